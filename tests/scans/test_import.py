"""Reading scanned sheets end to end: from a file to stored responses, or to a clear
Polish reason why not — through the command line a clerk's administrator would use."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ocenurzad.responses.models import Channel, Response
from ocenurzad.scans.models import ScanImport, ScanPage, ScanQuestion, ScanSheet
from ocenurzad.scans.reader.synthetic import Harm
from tests.scans.conftest import marked, pdf_of, png_of

pytestmark = pytest.mark.django_db


def run_import(office, tmp_path, files: dict[str, bytes], *extra) -> dict:
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    out = StringIO()
    call_command("scans", "import", office.slug, *paths, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture(autouse=True)
def _scans_root(settings, tmp_path):
    settings.SCANS_ROOT = str(tmp_path / "scans")


def expected_answers(truth, layout) -> dict:
    """The truth as a response stores it: ratings as numbers, everything else as marked."""
    return {
        key: int(values[0]) if values[0].isdigit() else values[0]
        for key, values in truth.answers.items()
    }


def test_degraded_numbered_sheet_is_stored_with_exactly_its_marks(
    scan_office, scan_layout, printed_form, tmp_path
):
    harm = Harm(angle=1.5, scale=0.975, shift_mm=(2, -1.5), noise=4, jpeg=70)
    pages, truth = marked(printed_form, scan_layout, number=101, seed=3, harm=harm)

    result = run_import(scan_office, tmp_path, {"stos.pdf": pdf_of(pages)})

    (sheet,) = result["sheets"]
    assert sheet["state"] == "stored", sheet.get("message")
    response = Response.objects.get(office=scan_office)
    assert response.channel == Channel.PAPER
    assert response.sheet_number == 101
    department = truth.answers.pop("wydzial", None)
    assert response.department_id == (int(department[0]) if department else None)
    assert response.answers == expected_answers(truth, scan_layout)
    assert result["totals"]["stored"] == 1


def test_marked_department_is_stored_whatever_the_ids_and_the_list_order(
    scan_office, scan_layout, printed_form, tmp_path
):
    # The department boxes stand for the departments themselves, not for their place in
    # the list: on PostgreSQL ids never equal the places (found there: "wpisano 6"), and
    # here the list is put in the reverse order of the ids after printing.
    departments = list(scan_office.departments.order_by("position"))
    for place, department in enumerate(reversed(departments)):
        department.position = place
        department.save(update_fields=["position"])
    middle = str(departments[1].pk)
    for seed in range(100):
        pages, truth = marked(printed_form, scan_layout, number=101, seed=seed, harm=Harm())
        if truth.answers.get("wydzial", [middle]) != [middle]:
            break

    result = run_import(scan_office, tmp_path, {"stos.pdf": pdf_of(pages)})

    assert [s["state"] for s in result["sheets"]] == ["stored"], result["sheets"]
    response = Response.objects.get(office=scan_office, sheet_number=101)
    assert str(response.department_id) == truth.answers["wydzial"][0]


def test_upside_down_second_page_first_is_put_in_order(
    scan_office, scan_layout, printed_form, tmp_path
):
    pages, truth = marked(printed_form, scan_layout, number=102, seed=4, harm=Harm())
    import cv2

    turned = cv2.rotate(pages[1], cv2.ROTATE_180)

    result = run_import(scan_office, tmp_path, {"a.png": png_of(turned), "b.png": png_of(pages[0])})

    assert [s["state"] for s in result["sheets"]] == ["stored"]
    response = Response.objects.get(office=scan_office, sheet_number=102)
    truth.answers.pop("wydzial", None)
    assert response.answers == expected_answers(truth, scan_layout)


def _bomb_png(width=60_000, height=60_000) -> bytes:
    """A PNG whose header claims 3.6 billion pixels (a few bytes of data)."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("pusty.pdf", b"", "Plik jest pusty"),
        ("uszkodzony.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage", "Plik PDF jest uszkodzony"),
        ("bomba.png", _bomb_png(), "Obraz jest za duży"),
        ("notatki.txt", b"To nie jest skan.", "To nie jest skan"),
        ("obcięty.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "Obrazu nie da się odczytać"),
    ],
)
def test_bad_files_are_refused_with_a_polish_message_and_nothing_stored(
    scan_office, tmp_path, name, data, message
):
    result = run_import(scan_office, tmp_path, {name: data})

    (refused,) = result["files"]
    assert refused["state"] == "refused"
    assert message in refused["message"]
    assert result["sheets"] == []
    assert not Response.objects.exists()


def test_rescanned_stack_is_stored_once(scan_office, scan_layout, printed_form, tmp_path):
    first, _truth = marked(printed_form, scan_layout, number=103, seed=7, harm=Harm())
    again = [p.copy() for p in first]
    again[0][0:5, 0:5] = 200  # a new scan of the same sheets: other pixels
    stack = pdf_of(first)

    run_import(scan_office, tmp_path, {"stos.pdf": stack})
    same_file = run_import(scan_office, tmp_path, {"stos-kopia.pdf": stack})
    rescanned = run_import(scan_office, tmp_path, {"skan2.pdf": pdf_of(again)})

    assert Response.objects.filter(office=scan_office).count() == 1
    assert same_file["files"][0]["state"] == "duplicate"
    assert "wczytano już" in same_file["files"][0]["message"]
    (sheet,) = rescanned["sheets"]
    assert sheet["state"] == "refused"
    assert "Arkusz nr 103 został już wprowadzony" in sheet["message"]


def test_same_page_twice_in_one_stack_counts_once(scan_office, scan_layout, printed_form, tmp_path):
    pages, _truth = marked(printed_form, scan_layout, number=101, seed=8, harm=Harm())
    second = pages[0].copy()
    second[0:5, 0:5] = 180

    result = run_import(scan_office, tmp_path, {"s.pdf": pdf_of([pages[0], second, pages[1]])})

    assert [s["state"] for s in result["sheets"]] == ["stored"]
    (page,) = result["pages"]
    assert page["state"] == "duplicate"
    assert "drugi raz" in page["message"]
    assert Response.objects.count() == 1


def test_page_of_another_office_is_refused(
    make_office, scan_office, scan_layout, printed_form, tmp_path
):
    other = make_office(slug="ksiazki", name="Urząd Gminy Książki")
    pages, _truth = marked(printed_form, scan_layout, number=101, seed=9, harm=Harm())

    result = run_import(other, tmp_path, {"obcy.pdf": pdf_of(pages)})

    assert result["sheets"] == []
    assert {p["state"] for p in result["pages"]} == {"refused"}
    assert "innego urzędu" in result["pages"][0]["message"]
    assert not Response.objects.exists()


def test_blank_pages_are_skipped(scan_office, scan_layout, printed_form, tmp_path):
    import numpy

    pages, _truth = marked(printed_form, scan_layout, number=102, seed=10, harm=Harm())
    blank = numpy.full_like(pages[0], 250)

    result = run_import(scan_office, tmp_path, {"s.pdf": pdf_of([pages[0], blank, pages[1]])})

    assert [s["state"] for s in result["sheets"]] == ["stored"]
    assert result["totals"]["pages_blank"] == 1


def test_two_marks_in_a_row_are_asked_then_stored_after_one_key(
    scan_office, scan_layout, printed_form, tmp_path, django_user_model
):
    from ocenurzad.scans.reader.synthetic import _draw_mark
    from ocenurzad.scans.services import scan_question_answer

    pages, _truth = marked(printed_form, scan_layout, number=101, seed=11)
    row = [b for b in scan_layout["boxes"] if b["key"] == "wizerunek_czystosc"]
    import random

    for box in (row[1], row[3]):
        _draw_mark(pages[box["page"]], box, 150 / 25.4, random.Random(1), "x")

    result = run_import(scan_office, tmp_path, {"s.pdf": pdf_of(pages)})

    (sheet,) = result["sheets"]
    assert sheet["state"] == "waiting"
    assert not Response.objects.exists()
    question = ScanQuestion.objects.get(sheet__office=scan_office)
    assert question.key == "wizerunek_czystosc"
    assert question.crop  # the clerk sees the row
    assert [o["code"] for o in question.options] == ["1", "2", "3", "4", "5", "0"]
    clerk = django_user_model.objects.create_user(
        username="urzednik", password="x", office=scan_office, role="clerk"
    )

    scan_question_answer(office=scan_office, actor=clerk, question=question, codes=["4"])

    response = Response.objects.get(office=scan_office)
    assert response.answers["wizerunek_czystosc"] == 4
    assert response.entered_by == clerk
    assert ScanSheet.objects.get().state == "stored"


def test_unreadable_code_is_assigned_by_hand_and_read(
    scan_office, scan_layout, printed_form, tmp_path, django_user_model
):
    from ocenurzad.scans.services import scan_page_assign

    pages, truth = marked(printed_form, scan_layout, number=None, seed=12)
    code = scan_layout["code"]
    ppm = 150 / 25.4
    for page in pages:
        y0, x0 = int((code["y_mm"] - 1) * ppm), int((code["x_mm"] - 1) * ppm)
        page[y0 : y0 + int(16 * ppm), x0 : x0 + int(16 * ppm)] = 255  # a torn-off corner

    result = run_import(scan_office, tmp_path, {"s.pdf": pdf_of(pages)}, "--potwierdz-bez-numeru")

    assert result["sheets"] == []
    assert [p["state"] for p in result["pages"]] == ["unreadable", "unreadable"]
    assert not Response.objects.exists()
    admin = django_user_model.objects.create_user(
        username="admin", password="x", office=scan_office, role="office_admin"
    )
    questions = list(ScanQuestion.objects.filter(key="").order_by("page__index"))
    version = scan_office.survey.current_version
    for page_no, question in enumerate(questions):
        scan_page_assign(
            office=scan_office,
            actor=admin,
            question=question,
            version=version,
            page_no=page_no,
            sheet_number=None,
        )

    response = Response.objects.get(office=scan_office)
    truth.answers.pop("wydzial", None)
    assert response.answers == expected_answers(truth, scan_layout)
    assert ScanPage.objects.filter(state="read").count() == 2


def test_images_are_deleted_after_the_kept_time_and_rows_stay(
    scan_office, scan_layout, printed_form, tmp_path, settings
):
    from datetime import timedelta
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import timezone

    from ocenurzad.scans.models import ScanFile

    pages, _truth = marked(printed_form, scan_layout, number=101, seed=13, comment=True)
    run_import(scan_office, tmp_path, {"s.pdf": pdf_of(pages)})
    root = Path(settings.SCANS_ROOT)
    before = [p for p in root.rglob("*") if p.is_file()]
    assert before  # the upload, two pages, the comment's crop

    call_command("nightly", stdout=StringIO())  # within SCANS_KEEP_HOURS: kept
    assert [p for p in root.rglob("*") if p.is_file()] == before

    later = timezone.now() + timedelta(hours=settings.SCANS_KEEP_HOURS + 1)
    from ocenurzad.scans.services import scans_purge

    deleted = scans_purge(now=later)

    assert deleted == len(before)
    assert [p for p in root.rglob("*") if p.is_file()] == []
    assert ScanFile.objects.get().path == ""
    assert ScanPage.objects.filter(image="").count() == 2
    assert Response.objects.count() == 1  # the answers stay; only images go


def test_unfinished_work_keeps_its_images_until_the_longest_limit(
    scan_office, scan_layout, printed_form, tmp_path, settings
):
    import random
    from datetime import timedelta
    from pathlib import Path

    from django.utils import timezone

    from ocenurzad.scans.reader.synthetic import _draw_mark
    from ocenurzad.scans.services import scans_purge

    pages, _truth = marked(printed_form, scan_layout, number=102, seed=14)
    row = [b for b in scan_layout["boxes"] if b["key"] == "ocena_ogolna"]
    for box in (row[0], row[4]):
        _draw_mark(pages[box["page"]], box, 150 / 25.4, random.Random(3), "x")
    run_import(scan_office, tmp_path, {"s.pdf": pdf_of(pages)})
    crop = Path(settings.SCANS_ROOT) / ScanQuestion.objects.get().crop

    scans_purge(now=timezone.now() + timedelta(hours=settings.SCANS_KEEP_HOURS + 1))
    assert crop.is_file()  # a person has not decided yet

    scans_purge(now=timezone.now() + timedelta(days=settings.SCANS_MAX_DAYS + 1))
    assert not crop.is_file()


def test_a_stack_collected_over_a_period_is_stored_with_it(
    scan_office, scan_layout, printed_form, tmp_path
):
    # An urn emptied monthly: the sheets have no day, only the period 01.11–30.11.2025.
    pages, _truth = marked(printed_form, scan_layout, number=101, seed=3, harm=Harm())

    result = run_import(
        scan_office,
        tmp_path,
        {"stos.pdf": pdf_of(pages)},
        "--data",
        "2025-11-30",
        "--od",
        "2025-11-01",
    )

    assert [s["state"] for s in result["sheets"]] == ["stored"], result["sheets"]
    assert result["warnings"] == []
    response = Response.objects.get(office=scan_office)
    assert (response.period_start, response.period_end) == (date(2025, 11, 1), date(2025, 11, 30))
    assert timezone.localdate(response.submitted_at) == date(2025, 11, 15)


def test_a_period_across_months_is_stored_with_a_warning_naming_its_middle_month(
    scan_office, scan_layout, printed_form, tmp_path
):
    pages, _truth = marked(printed_form, scan_layout, number=101, seed=3, harm=Harm())

    result = run_import(
        scan_office, tmp_path, {"stos.pdf": pdf_of(pages)}, "--data", "2025-11-14", "--od",
        "2025-10-15",
    )  # fmt: skip

    (warning,) = result["warnings"]
    assert "przekracza granicę miesiąca" in warning
    assert "trafi do miesiąca 10.2025 (środek okresu: 30.10.2025)" in warning
    response = Response.objects.get(office=scan_office)
    assert (response.period_start, response.period_end) == (date(2025, 10, 15), date(2025, 11, 14))


def test_a_too_long_period_is_refused_before_anything_is_read(scan_office, tmp_path):
    with pytest.raises(CommandError, match="najwyżej 92"):
        run_import(
            scan_office, tmp_path, {"a.pdf": b"%PDF-1.4"}, "--data", "2025-12-31", "--od",
            "2025-01-01",
        )  # fmt: skip
    assert not ScanImport.objects.exists()
