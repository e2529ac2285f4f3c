"""The printed survey: what a resident reads on paper, and what a scanner finds where."""

import copy
import io
import logging
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from ocenurzad.banner.fonts import REGULAR
from ocenurzad.offices.models import Department
from ocenurzad.printing import pdf as pdf_module
from ocenurzad.printing.models import PrintLayout
from ocenurzad.printing.pdf import (
    MAX_SHEETS,
    MachineCode,
    _LocalFetcher,
    layout_fingerprint,
    machine_code_payload,
    machine_code_read,
    survey_pdf_render,
)
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.surveys.models import SurveyVersion
from tests.printing.conftest import (
    mm_to_px,
    page_image,
    pdf_objects,
    pdf_page_count,
    pdf_pages_text,
    qr_texts,
)

pytestmark = pytest.mark.django_db

TOLERANCE_MM = 0.5


def render(office, **kwargs):
    return survey_pdf_render(office=office, version=office.survey.current_version, **kwargs)


def band(image, x0, y0, x1, y1):
    """The pixels of a rectangle (in px, clipped to the image)."""
    box = (max(0, round(x0)), max(0, round(y0)), round(x1) + 1, round(y1) + 1)
    return list(image.crop(box).tobytes())


def box_is_drawn(image, rect: dict) -> bool:
    """A dark border along each side of the recorded rectangle (give or take 0.5 mm)
    and a light inside."""
    x, y = mm_to_px(rect["x_mm"]), mm_to_px(rect["y_mm"])
    w, h = mm_to_px(rect["w_mm"]), mm_to_px(rect["h_mm"])
    tol = mm_to_px(TOLERANCE_MM)
    for f in (0.25, 0.5, 0.75):
        sides = [
            band(image, x - tol, y + f * h, x + tol, y + f * h),  # left
            band(image, x + w - tol, y + f * h, x + w + tol, y + f * h),  # right
            band(image, x + f * w, y - tol, x + f * w, y + tol),  # top
            band(image, x + f * w, y + h - tol, x + f * w, y + h + tol),  # bottom
        ]
        if any(min(side) > 100 for side in sides):
            return False
    inside = band(image, x + w / 2 - tol, y + h / 2 - tol, x + w / 2 + tol, y + h / 2 + tol)
    return min(inside) > 200


def shifted(rect: dict, dx_mm: float) -> dict:
    return {**rect, "x_mm": rect["x_mm"] + dx_mm}


def fingerprint_of(office, language="pl") -> str:
    version = office.survey.current_version
    return layout_fingerprint(office=office, version=version, language=language)


def test_form_shows_office_and_items_with_polish_letters(print_office):
    text = "\n".join(pdf_pages_text(render(print_office).pdf))

    assert "Urząd Miasta Świnoujście" in text
    assert "Badanie satysfakcji klienta" in text
    assert "Proszę zaznaczyć odpowiedź znakiem X w kratce" in text
    assert "Ankieta jest anonimowa." in text
    assert "Czystość pomieszczeń Urzędu" in text
    assert "Uprzejmość i życzliwość wobec Klienta" in text
    assert "Wydział Gospodarki Nieruchomościami" in text
    assert "bardzo dobrze" in text
    assert "nie dotyczy" in text


def test_default_survey_fits_on_one_duplex_sheet(print_office):
    rendered = render(print_office)

    pages = pdf_pages_text(rendered.pdf)
    assert len(pages) == 2
    assert rendered.pages_per_sheet == 2
    assert "Wersja SWINOUJSCIE-V1 · strona 1 z 2" in pages[0]
    assert "Wersja SWINOUJSCIE-V1 · strona 2 z 2" in pages[1]
    # The form is complete: the last metryka question made it onto the sheet.
    assert "poza gminą / miastem" in pages[1]
    assert rendered.layout["page_width_mm"] == 210.0
    assert rendered.layout["page_height_mm"] == 297.0


def test_fonts_are_embedded(print_office):
    objects = pdf_objects(render(print_office).pdf)

    descriptors = objects.count(b"/Type /FontDescriptor")
    assert descriptors >= 2  # regular and bold
    assert objects.count(b"/FontFile2") == descriptors
    # Only the shipped DejaVu Sans, subset and embedded: no font of the server.
    names = set(re.findall(rb"/BaseFont\s*/([^\s/<>]+)", objects))
    assert names
    assert all(name.split(b"+")[-1].startswith(b"OU-DejaVu-Sans") for name in names), names


def test_every_page_has_a_machine_code_naming_office_version_language_and_page(print_office):
    rendered = render(print_office)
    version = print_office.survey.current_version
    fingerprint = rendered.layout["fingerprint"]

    found = [qr_texts(page_image(rendered.pdf, page)) for page in (0, 1)]

    assert re.fullmatch(r"[0-9a-f]{10}", fingerprint)
    assert fingerprint == fingerprint_of(print_office)
    assert found == [
        [f"OU2 SWINOUJSCIE-V1 PL {fingerprint.upper()} - 1"],
        [f"OU2 SWINOUJSCIE-V1 PL {fingerprint.upper()} - 2"],
    ]
    assert found[1][0] == machine_code_payload(
        version=version, language="pl", sheet_number=None, fingerprint=fingerprint, page=1
    )
    assert machine_code_read(found[1][0]) == MachineCode(
        version_code="SWINOUJSCIE-V1",
        language="pl",
        fingerprint=fingerprint,
        sheet_number=None,
        page=1,
    )
    assert machine_code_read(found[0][0]).office_slug == "swinoujscie"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "OU1;swinoujscie;1;SWINOUJSCIE-V1;-;pl;abc",
        "OU2 SWINOUJSCIE PL ABCDEF12 - 1",
        "OU2 X-V1 PL ABCDEF12 - 0",
        "https://swinoujscie.example.pl/",
    ],
)
def test_other_codes_are_not_machine_codes(text):
    assert machine_code_read(text) is None


def test_machine_code_is_a_data_matrix_and_the_only_qr_code_opens_the_online_survey(print_office):
    """A resident's phone camera reacts to QR codes: the one on the form opens the survey;
    the machine codes are Data Matrix, which phone cameras leave alone."""
    import zxingcpp

    url = "https://swinoujscie.example.pl/?zrodlo=arkusz"
    rendered = render(print_office, survey_url=url)

    first = zxingcpp.read_barcodes(page_image(rendered.pdf, 0))
    second = zxingcpp.read_barcodes(page_image(rendered.pdf, 1))

    assert {(b.format, b.text.split(" ")[0]) for b in first} == {
        (zxingcpp.BarcodeFormat.QRCode, url),
        (zxingcpp.BarcodeFormat.DataMatrix, "OU2"),
    }
    assert [b.format for b in second] == [zxingcpp.BarcodeFormat.DataMatrix]
    assert "internecie" in pdf_pages_text(rendered.pdf)[0]
    # The QR code does not move anything: the same layout as without it.
    assert rendered.layout == render(print_office).layout


def test_marks_and_code_are_where_recorded_on_every_page(print_office):
    rendered = render(print_office, sheet_numbers=[5])
    layout = rendered.layout

    assert len(layout["marks"]) == 4
    for page in (0, 1):
        image = page_image(rendered.pdf, page)
        for mark in layout["marks"]:
            x, y = mm_to_px(mark["x_mm"] + 0.5), mm_to_px(mark["y_mm"] + 0.5)
            w, h = mm_to_px(mark["w_mm"] - 1), mm_to_px(mark["h_mm"] - 1)
            assert max(band(image, x, y, x + w, y + h)) < 60, (page, mark)
            # Clear paper around each mark.
            assert min(band(image, x - mm_to_px(1.5), y, x - mm_to_px(1.2), y + h)) > 200
        code = layout["code"]
        x, y = mm_to_px(code["x_mm"] - 1), mm_to_px(code["y_mm"] - 1)
        crop = image.crop(
            (
                round(x),
                round(y),
                round(x + mm_to_px(code["w_mm"] + 2)),
                round(y + mm_to_px(code["h_mm"] + 2)),
            )
        )
        assert [machine_code_read(t).page for t in qr_texts(crop)] == [page]


def test_questions_print_at_11_pt_at_least(print_office):
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    rendered = render(print_office)
    document = pypdfium2.PdfDocument(rendered.pdf)
    try:
        textpage = document[0].get_textpage()
        text = textpage.get_text_range()
        sizes = {}
        for phrase in ("Lokalizacja Urzędu", "W którym wydziale", "Oznakowanie Urzędu"):
            index = text.index(phrase)
            sizes[phrase] = pdfium_c.FPDFText_GetFontSize(textpage, index)
    finally:
        document.close()
    assert all(size >= 11 for size in sizes.values()), sizes


def test_instruction_prints_the_marking_and_correction_rule(print_office):
    text = pdf_pages_text(render(print_office).pdf)[0]

    assert "znakiem X" in text
    assert "zamalować całą błędną" in text


def test_every_answer_box_is_recorded_once(print_office):
    layout = render(print_office).layout
    definition = print_office.survey.current_version.definition

    keys = {(box["key"], box["value"]) for box in layout["boxes"]}
    assert len(keys) == len(layout["boxes"])
    departments = print_office.departments.all()
    assert {v for k, v in keys if k == "wydzial"} == {str(d.pk) for d in departments}
    assert {v for k, v in keys if k == "wizerunek_czystosc"} == {"1", "2", "3", "4", "5", "na"}
    assert {v for k, v in keys if k == "ocena_ogolna"} == {"1", "2", "3", "4", "5"}
    assert {v for k, v in keys if k == "metryka_plec"} == {"kobieta", "mezczyzna", "nie_podaje"}
    questions = [q for s in definition["sections"] for q in s["questions"]]
    assert {k for k, _v in keys} == {q["key"] for q in questions if q["kind"] != "text"}
    assert all(b["w_mm"] >= 5 and b["h_mm"] >= 5 for b in layout["boxes"])
    assert {b["page"] for b in layout["boxes"]} == {0, 1}


def test_recorded_boxes_are_where_they_are_drawn(print_office):
    rendered = render(print_office)
    images = [page_image(rendered.pdf, 0), page_image(rendered.pdf, 1)]
    boxes = rendered.layout["boxes"]

    sample = [*boxes[::9], boxes[-1]]
    assert {b["page"] for b in sample} == {0, 1}
    for box in sample:
        assert box_is_drawn(images[box["page"]], box), box
        # The check has teeth: half a box to the side, it fails.
        assert not box_is_drawn(images[box["page"]], shifted(box, 2.75)), box


def test_layout_is_stored_on_first_render_and_identical_on_the_next(print_office):
    version = print_office.survey.current_version

    first = render(print_office)
    stored = PrintLayout.objects.get(version=version, language="pl")
    second = render(print_office)

    assert stored.office == print_office
    assert stored.fingerprint == first.layout["fingerprint"] == second.layout["fingerprint"]
    assert stored.layout == first.layout == second.layout
    assert PrintLayout.objects.get(version=version, language="pl").created_at == stored.created_at
    assert PrintLayout.objects.count() == 1
    assert first.pdf == second.pdf
    assert b"/CreationDate" not in pdf_objects(first.pdf)  # nothing in it changes by itself


def test_stored_layout_is_never_changed_and_a_difference_is_logged(
    print_office, caplog, monkeypatch
):
    """Nothing in the fingerprint changed, yet the boxes moved: rendering is not
    deterministic. The stored layout stays, and someone is told."""
    first = render(print_office)
    read = pdf_module.layout_read

    def moved(pages):
        layout = read(pages)
        layout["boxes"][0] = shifted(layout["boxes"][0], 1.0)
        return layout

    monkeypatch.setattr(pdf_module, "layout_read", moved)
    with caplog.at_level(logging.WARNING, logger="ocenurzad.printing.services"):
        second = render(print_office)

    stored = PrintLayout.objects.get(version=print_office.survey.current_version, language="pl")
    assert second.layout["fingerprint"] == first.layout["fingerprint"] == stored.fingerprint
    assert stored.layout == first.layout
    assert second.layout != first.layout
    assert PrintLayout.objects.count() == 1
    assert "SWINOUJSCIE-V1" in caplog.text
    assert first.layout["fingerprint"] in caplog.text


def rename_department(office):
    # Too long for three columns: the department boxes go to two, the rest moves.
    department = office.departments.get(name="Wydział Gospodarki Nieruchomościami")
    department.name = "Wydział Gospodarki Nieruchomościami, Geodezji, Kartografii i Katastru"
    department.save()


def add_department(office):
    Department.objects.create(office=office, name="Nowe Biuro Paszportowe", position=99)


@pytest.mark.parametrize("change", [rename_department, add_department])
def test_changed_departments_get_a_new_layout_and_old_sheets_keep_theirs(print_office, change):
    version = print_office.survey.current_version
    old = render(print_office, sheet_numbers=[41])
    old_stored = PrintLayout.objects.get()
    old_stored_at = old_stored.created_at

    change(print_office)
    new = render(print_office)

    old_fingerprint, new_fingerprint = old.layout["fingerprint"], new.layout["fingerprint"]
    assert new_fingerprint != old_fingerprint
    assert new_fingerprint == fingerprint_of(print_office)
    # Both layouts are kept; the old one exactly as it was.
    assert PrintLayout.objects.count() == 2
    old_stored.refresh_from_db()
    assert old_stored.layout == old.layout
    assert old_stored.created_at == old_stored_at
    new_stored = PrintLayout.objects.get(fingerprint=new_fingerprint)
    assert new_stored.layout == new.layout
    assert new.layout["boxes"] != old.layout["boxes"]  # the change did move boxes
    assert print_layout_get(office=print_office, version=version, language="pl") == new_stored

    # The sheet printed before the change says which layout it has...
    (payload,) = qr_texts(page_image(old.pdf, 0))
    code = machine_code_read(payload)
    assert (code.version_code, code.sheet_number, code.language) == ("SWINOUJSCIE-V1", 41, "pl")
    assert code.fingerprint == old_fingerprint
    (new_payload,) = qr_texts(page_image(new.pdf, 0))
    assert machine_code_read(new_payload).fingerprint == new_fingerprint
    # ...and that layout is where its boxes are drawn.
    layout = print_layout_get(
        office=print_office, version=version, language="pl", fingerprint=code.fingerprint
    ).layout
    assert layout == old.layout
    images = [page_image(old.pdf, 0), page_image(old.pdf, 1)]
    departments = [b for b in layout["boxes"] if b["key"] == "wydzial"]
    later = [b for b in layout["boxes"] if b["key"] != "wydzial"]
    for box in [*departments, *later[::12]]:
        assert box_is_drawn(images[box["page"]], box), box
    # Read with the new layout instead, the old sheet would be misread.
    old_boxes = {(b["key"], b["value"]): b for b in old.layout["boxes"]}
    moved = [
        b
        for b in new.layout["boxes"]
        if old_boxes.get((b["key"], b["value"]), {}) != b and not box_is_drawn(images[b["page"]], b)
    ]
    assert moved


def test_same_inputs_give_the_same_fingerprint(print_office):
    version = print_office.survey.current_version
    first = render(print_office)
    reloaded = type(print_office).objects.get(pk=print_office.pk)

    second = survey_pdf_render(office=reloaded, version=version)

    assert second.layout["fingerprint"] == first.layout["fingerprint"]
    assert fingerprint_of(reloaded) == fingerprint_of(print_office) == first.layout["fingerprint"]
    assert PrintLayout.objects.count() == 1
    # Inactive departments are not printed: they do not count.
    Department.objects.create(
        office=print_office, name="Zamknięty Referat", position=5, is_active=False
    )
    assert fingerprint_of(print_office) == first.layout["fingerprint"]


def test_fingerprint_covers_header_language_and_weasyprint(print_office, monkeypatch):
    base = fingerprint_of(print_office)
    seen = {base, fingerprint_of(print_office, language="en")}

    print_office.name = "Urząd Miasta Świnoujście – Urząd Stanu Cywilnego i Wydział Komunikacji"
    seen.add(fingerprint_of(print_office))
    print_office.city = "Świnoujście-Przytór"
    seen.add(fingerprint_of(print_office))
    print_office.logo.name = "logos/herb.png"
    seen.add(fingerprint_of(print_office))
    print_office.logo.name = "logos/herb_nowy.png"
    seen.add(fingerprint_of(print_office))
    monkeypatch.setattr(pdf_module.weasyprint, "__version__", "0.0-test")
    seen.add(fingerprint_of(print_office))
    draft = SurveyVersion.objects.create(
        office=print_office,
        survey=print_office.survey,
        number=2,
        definition=copy.deepcopy(print_office.survey.current_version.definition),
    )
    seen.add(layout_fingerprint(office=print_office, version=draft, language="pl"))

    assert len(seen) == 8


def test_draft_versions_are_printed_but_not_stored(print_office):
    current = print_office.survey.current_version
    draft = SurveyVersion.objects.create(
        office=print_office,
        survey=print_office.survey,
        number=2,
        definition=copy.deepcopy(current.definition),
    )

    rendered = survey_pdf_render(office=print_office, version=draft)

    assert "SWINOUJSCIE-V2" in pdf_pages_text(rendered.pdf)[0]
    assert not PrintLayout.objects.filter(version=draft).exists()


def test_english_form_has_english_texts_and_its_own_layout(print_office):
    rendered = render(print_office, language="en")
    text = "\n".join(pdf_pages_text(rendered.pdf))

    assert "Customer satisfaction survey" in text
    assert "Cleanliness of the office's rooms" in text
    assert "Courtesy and kindness towards the client" in text
    assert "not applicable" in text
    assert "Czystość pomieszczeń" not in text
    assert rendered.layout["language"] == "en"
    assert PrintLayout.objects.filter(language="en").count() == 1
    assert rendered.layout["fingerprint"] != render(print_office).layout["fingerprint"]
    assert qr_texts(page_image(rendered.pdf, 0)) == [
        f"OU2 SWINOUJSCIE-V1 EN {rendered.layout['fingerprint'].upper()} - 1"
    ]


def test_numbered_batch_prints_each_number_in_text_and_code(print_office):
    plain = render(print_office)

    batch = render(print_office, sheet_numbers=[101, 102, 103])

    pages = pdf_pages_text(batch.pdf)
    assert len(pages) == 6
    for sheet, number in enumerate((101, 102, 103)):
        first, second = pages[2 * sheet], pages[2 * sheet + 1]
        assert f"Arkusz nr {number}" in first
        assert f"Arkusz nr {number}" in second
        assert "strona 1 z 2" in first
        assert "strona 2 z 2" in second
        assert "Czystość pomieszczeń Urzędu" in first
    assert "Arkusz nr 101" not in pages[2]
    assert qr_texts(page_image(batch.pdf, 4)) == [
        f"OU2 SWINOUJSCIE-V1 PL {plain.layout['fingerprint'].upper()} 103 1"
    ]
    assert qr_texts(page_image(batch.pdf, 5)) == [
        f"OU2 SWINOUJSCIE-V1 PL {plain.layout['fingerprint'].upper()} 103 2"
    ]
    assert batch.layout == plain.layout
    assert PrintLayout.objects.count() == 1


def test_numbered_sheets_have_boxes_where_recorded(print_office):
    batch = render(print_office, sheet_numbers=[7, 8])
    image = page_image(batch.pdf, 3)  # second sheet, second page

    boxes = [b for b in batch.layout["boxes"] if b["page"] == 1]
    for box in boxes[::10]:
        assert box_is_drawn(image, box), box


def test_batch_of_n_sheets_has_2n_pages(print_office):
    batch = render(print_office, sheet_numbers=list(range(1, 41)))

    assert pdf_page_count(batch.pdf) == 80
    assert "Arkusz nr 40" in pdf_pages_text(batch.pdf)[79]


def test_sheets_of_odd_page_count_start_on_a_new_paper(print_office):
    current = print_office.survey.current_version
    definition = copy.deepcopy(current.definition)
    extra = [
        {"key": f"uwagi_{n}", "kind": "text", "text": {"pl": f"Uwagi {n}"}, "required": False}
        for n in range(4)
    ]
    definition["sections"].append(
        {"key": "uwagi", "kind": "questions", "title": {"pl": "Uwagi"}, "questions": extra}
    )
    longer = SurveyVersion.objects.create(
        office=print_office,
        survey=print_office.survey,
        number=2,
        definition=definition,
        status=SurveyVersion.Status.PUBLISHED,
    )

    batch = survey_pdf_render(office=print_office, version=longer, sheet_numbers=[1, 2])

    pages = pdf_pages_text(batch.pdf)
    assert batch.pages_per_sheet == 3
    assert len(pages) == 7  # 3 + a blank back + 3
    assert "strona 3 z 3" in pages[2]
    assert pages[3].strip() == ""
    assert "Arkusz nr 2" in pages[4]
    assert "strona 1 z 3" in pages[4]


def test_yes_no_and_multiple_choice_questions_get_boxes(print_office):
    current = print_office.survey.current_version
    definition = copy.deepcopy(current.definition)
    definition["sections"][0]["questions"] += [
        {"key": "pierwsza_wizyta", "kind": "yesno", "text": {"pl": "Czy to pierwsza wizyta?"}},
        {
            "key": "kanaly",
            "kind": "multi",
            "text": {"pl": "Skąd wiesz o ankiecie?"},
            "options": [
                {"value": "plakat", "label": {"pl": "plakat"}},
                {"value": "strona", "label": {"pl": "strona urzędu"}},
            ],
        },
    ]
    draft = SurveyVersion.objects.create(
        office=print_office, survey=print_office.survey, number=2, definition=definition
    )

    rendered = survey_pdf_render(office=print_office, version=draft)

    keys = {(b["key"], b["value"]) for b in rendered.layout["boxes"]}
    assert {("pierwsza_wizyta", "tak"), ("pierwsza_wizyta", "nie")} <= keys
    assert {("kanaly", "plakat"), ("kanaly", "strona")} <= keys
    text = " ".join(pdf_pages_text(rendered.pdf)[0].split())  # lines joined
    assert "Czy to pierwsza wizyta?" in text
    assert "(można zaznaczyć kilka odpowiedzi)" in text
    image = page_image(rendered.pdf, 0)
    for box in rendered.layout["boxes"]:
        if box["key"] in ("pierwsza_wizyta", "kanaly"):
            assert box_is_drawn(image, box), box


@pytest.mark.parametrize(
    "numbers",
    [[], [0], [-1], [1, 1], ["7"], list(range(1, MAX_SHEETS + 2))],
)
def test_bad_sheet_numbers_are_refused(print_office, numbers):
    with pytest.raises(ValueError):
        render(print_office, sheet_numbers=numbers)


def test_version_of_another_office_is_refused(print_office, other_office):
    with pytest.raises(ValueError):
        survey_pdf_render(office=print_office, version=other_office.survey.current_version)


def test_office_logo_is_printed_in_the_header(print_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    black = Image.new("RGB", (60, 60), "black")
    buffer = io.BytesIO()
    black.save(buffer, format="PNG")
    plain = render(print_office)
    print_office.logo.save("herb.png", ContentFile(buffer.getvalue()), save=True)

    rendered = render(print_office)

    # An 18 mm square at the left of the 25.5 mm high header: its middle is all black.
    image = page_image(rendered.pdf, 0)
    middle = [round(mm_to_px(v)) for v in (17, 19, 25, 27)]
    assert max(image.crop(middle).tobytes()) < 60
    assert max(page_image(plain.pdf, 0).crop(middle).tobytes()) > 200
    # The header keeps its height: the answer boxes stay where they were.
    assert rendered.layout["boxes"] == plain.layout["boxes"]
    # Still, a header with a logo is another layout input: stored apart.
    assert rendered.layout["fingerprint"] != plain.layout["fingerprint"]
    assert PrintLayout.objects.count() == 2


def test_printing_fetches_nothing_but_the_shipped_fonts_and_data(print_office):
    fetcher = _LocalFetcher()

    assert fetcher(REGULAR.resolve().as_uri()).read(4) == b"\x00\x01\x00\x00"
    assert fetcher("data:text/plain;base64,b2s=").read() == b"ok"
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/logo.png", "https://example.com/"):
        with pytest.raises(ValueError):
            fetcher(url)


@pytest.mark.parametrize("slug", ["a", "omrowo", "swinoujscie", "bardzodlugiidentyfikatorurzedu"])
def test_machine_code_is_always_a_square_symbol_that_reads_back(make_office, slug):
    """The encoder would pick a long thin rectangle for some texts; squeezed into the
    square room it cannot be read."""
    import zxingcpp

    office = make_office(slug=slug)
    rendered = survey_pdf_render(
        office=office, version=office.survey.current_version, sheet_numbers=[7]
    )

    image = page_image(rendered.pdf, 1)
    (found,) = zxingcpp.read_barcodes(image)
    code = machine_code_read(found.text)
    assert (code.office_slug, code.sheet_number, code.page) == (slug, 7, 1)
