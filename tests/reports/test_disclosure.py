"""Nobody singled out: the attacks of the threat model, tried in every format, must fail.

The attacker is a member of staff who served a resident: they know the department, the
day and roughly who it was (sex, age, education), and they may draw any report or export
the panel offers. The office below has a tiny department (Urząd Stanu Cywilnego: three
responses in the month), one of whose residents is the only elderly woman with primary
education, and wrote a comment on a day in the middle of the month.
"""

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import openpyxl
import pypdfium2
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ocenurzad.accounts.models import Role, User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.reports.compute.disclosure import (
    comment_months,
    comments_published,
    complementary,
    is_whole_months,
    k_anonymize,
    whole_months_refusal,
)
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response

K = 5
TODAY = timezone.localdate()
# the last month that is over, and the one before it
M2 = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
M1 = (M2 - timedelta(days=1)).replace(day=1)
M1_END = M2 - timedelta(days=1)
SECRET = "Pani w okienku była dla mnie niemiła"
SECRET_DAY = M1.replace(day=14)
REPORT_FORMATS = ("pdf", "xlsx", "json", "odpowiedzi-otwarte-csv", "odpowiedzi-otwarte-xlsx")
RAW_FORMATS = ("csv", "csv-standard")
RATING_KEYS = ("wizerunek_lokalizacja", "podejscie_godziny", "terminowosc_szybkosc")


# -- the pure rules -------------------------------------------------------------------


def test_complementary_suppression_hides_a_second_cell_when_one_would_be_recoverable():
    # one small cell: the smallest other one goes with it
    assert complementary([30, 12, 3], K) == [False, True, True]
    # two small cells that make a group together: nothing more
    assert complementary([30, 3, 3], K) == [False, True, True]
    # empty cells are no cover, and a table without small cells stays as it is
    assert complementary([30, 0, 12, 2], K) == [False, False, True, True]
    assert complementary([30, 12, 0], K) == [False, False, False]
    # responses in no cell (not answered) count as hidden already
    assert complementary([30, 3], K, remainder=4) == [False, True]
    assert complementary([30, 3], K, remainder=1) == [True, True]


def test_complementary_suppression_never_leaves_a_small_remainder():
    import random

    generator = random.Random(7)
    for _ in range(2000):
        sizes = [generator.choice([0, 1, 2, 3, 4, 5, 6, 9, 20, 50]) for _ in range(5)]
        hidden = complementary(sizes, K)
        remainder = sum(n for n, h in zip(sizes, hidden, strict=True) if h)
        every_cell = all(h for n, h in zip(sizes, hidden, strict=True) if n)
        assert remainder == 0 or remainder >= K or every_cell, sizes
        assert all(h for n, h in zip(sizes, hidden, strict=True) if 0 < n < K)


def test_k_anonymity_suppresses_rare_values_and_rare_combinations():
    counts = {
        ("2026-10", "A", "kobieta", "pow_65"): 1,  # the rare resident
        ("2026-10", "A", "mezczyzna", "26_40"): 7,
        ("2026-10", "A", "kobieta", "26_40"): 3,
        ("2026-10", "B", "kobieta", "26_40"): 3,
        ("2026-11", "B", "mezczyzna", "26_40"): 9,
    }
    published = k_anonymize(counts, K)
    groups: dict = {}
    for profile, n in counts.items():
        groups[published[profile]] = groups.get(published[profile], 0) + n
    for profile, n in groups.items():
        assert n >= K, (profile, n)  # the all-suppressed rows too: no odd one out
    rare = published[("2026-10", "A", "kobieta", "pow_65")]
    assert "pow_65" not in rare  # a value only one resident has
    # the big group keeps everything
    assert published[("2026-11", "B", "mezczyzna", "26_40")] == (
        "2026-11",
        "B",
        "mezczyzna",
        "26_40",
    )
    assert k_anonymize(counts, K) == published  # deterministic


def test_whole_months_that_are_over():
    today = date(2026, 12, 6)
    assert is_whole_months(date(2026, 1, 1), date(2026, 2, 28))
    assert not is_whole_months(date(2026, 1, 1), date(2026, 2, 27))
    assert not is_whole_months(date(2026, 1, 2), date(2026, 2, 28))
    assert (
        whole_months_refusal(date(2026, 11, 1), date(2026, 11, 30), today=today, what="X") is None
    )
    running = whole_months_refusal(date(2026, 12, 1), date(2026, 12, 6), today=today, what="X")
    assert "30.11.2026" in running
    assert comment_months(date(2026, 10, 15), date(2026, 12, 6), today=today) == {"2026-11"}
    assert comment_months(date(2024, 2, 1), date(2024, 2, 29), today=today) == {"2024-02"}


def test_comments_show_a_month_only_for_a_large_group_and_a_department_only_for_a_large_one():
    entries = [
        ("2026-10-03", 1, "online", "co_poprawic", "b"),
        ("2026-10-20", 2, "paper", "co_poprawic", "a"),
        ("2026-09-30", 1, "online", "co_poprawic", "c"),  # its month is not asked for
        ("2026-11-02", 1, "online", "co_poprawic", "d"),  # a month of 3 responses
    ]
    published, left_out = comments_published(
        entries,
        months={"2026-10", "2026-11"},
        month_sizes={"2026-10": 40, "2026-11": 3},
        department_month_sizes={(1, "2026-10"): 30, (2, "2026-10"): 4, (1, "2026-11"): 3},
        k=K,
    )

    assert left_out == 1
    assert published == [
        ("2026-10", None, "co_poprawic", "a"),  # department 2 had 4 responses that month
        ("2026-10", 1, "co_poprawic", "b"),
        (None, None, "co_poprawic", "d"),  # neither month nor department
    ]


_day = st.sampled_from(["2026-09-14", "2026-10-01", "2026-10-31", "2026-11-15", "2026-11-30"])
_entry = st.tuples(
    _day,
    st.sampled_from([None, 1, 2, 3]),
    st.sampled_from(["online", "paper"]),
    st.sampled_from(["co_poprawic", "inne", "co"]),
    st.sampled_from(["", "a", "ab", "b", "Ą", "z", "a b"]),
)


@given(
    entries=st.lists(_entry, max_size=40),
    sizes=st.dictionaries(st.sampled_from(["2026-09", "2026-10", "2026-11"]), st.integers(0, 9)),
    department_sizes=st.dictionaries(
        st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(["2026-10", "2026-11"])),
        st.integers(0, 9),
    ),
)
def test_comments_are_ordered_by_month_question_and_text_never_by_time(
    entries, sizes, department_sizes
):
    """Whatever the order they arrive in (newest first), comments come out by month
    (newest first, unshown months last), question and text; equal ones keep their order
    of arrival — exactly the order of the plain definition, which the faster bucketed
    sort must reproduce."""
    months = {"2026-10", "2026-11"}
    published, left_out = comments_published(
        entries, months=months, month_sizes=sizes, department_month_sizes=department_sizes, k=K
    )

    expected = []
    for day, department, _channel, key, text in entries:
        month = day[:7]
        if month not in months:
            continue
        shown = month if sizes.get(month, 0) >= K else None
        named = shown and department and department_sizes.get((department, month), 0) >= K
        expected.append((shown, department if named else None, key, text))
    expected.sort(key=lambda c: (c[2], c[3]))
    expected.sort(key=lambda c: c[0] or "", reverse=True)
    assert published == expected
    assert left_out == sum(1 for e in entries if e[0][:7] not in months)


# -- the office the attacks are tried on ---------------------------------------------------


def _at(day: date, hour=12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def _profile(sex="mezczyzna", age="26_40", education="wyzsze") -> dict:
    return {
        "metryka_plec": sex,
        "metryka_wiek": age,
        "metryka_wyksztalcenie": education,
        "metryka_rodzaj_klienta": "osoba_fizyczna",
    }


def _respond(office, department, day, rating, *, comment=None, **profile):
    answers = dict.fromkeys(RATING_KEYS, rating) | {"ocena_ogolna": rating} | _profile(**profile)
    if comment:
        answers["co_poprawic"] = comment
    Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel="online",
        department=department,
        submitted_at=_at(day),
        answers=answers,
    )


@pytest.fixture
def world(make_office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_MIN_CELL = K
    office = make_office(
        departments=("Wydział Komunikacji", "Referat Podatków", "Urząd Stanu Cywilnego")
    )
    big, middle, tiny = office.departments.order_by("position")
    for month in (M1, M2):
        for i in range(30):
            day = month.replace(day=1 + i % 27)
            _respond(office, big, day, 4, comment=f"Komentarz numer {i} z {month:%m}")
    for i in range(12):
        _respond(office, middle, M1.replace(day=1 + 2 * i), 2)
    _respond(office, tiny, M1.replace(day=3), 1)
    _respond(office, tiny, M1.replace(day=21), 1)
    _respond(
        office,
        tiny,
        SECRET_DAY,
        1,
        comment=SECRET,
        sex="kobieta",
        age="pow_65",
        education="podstawowe",
    )
    admin = User.objects.create_user(
        username="kierownik", password="x", role=Role.OFFICE_ADMIN, office=office
    )
    return {"office": office, "big": big, "middle": middle, "tiny": tiny, "admin": admin}


@pytest.fixture
def staff(client, world):
    client.force_login(world["admin"])
    return client


def _url(office, path):
    return f"/{office.slug}/admin/raporty/{path}"


def _custom(start: date, end: date, **extra) -> dict:
    return {"okres": "zakres", "od": start.isoformat(), "do": end.isoformat(), **extra}


def _month(month: date, **extra) -> dict:
    return {"okres": "miesiac", "miesiac": f"{month:%Y-%m}", **extra}


def _text(response, fmt: str) -> str:
    """Everything a person could read in a downloaded file, as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "pdf":
        pdf = pypdfium2.PdfDocument(body)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if fmt.endswith("xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return body.decode("utf-8-sig")


def _every_format(client, office, params: dict, formats=REPORT_FORMATS):
    yield "html", client.get(_url(office, "podglad/"), params)
    for fmt in formats:
        yield fmt, client.get(_url(office, f"pobierz/{fmt}/"), params)


# -- attack 1: a report filtered to the tiny department --------------------------------


@pytest.mark.django_db
def test_a_report_filtered_to_a_tiny_department_is_refused_in_every_format(staff, world):
    office, tiny = world["office"], world["tiny"]
    params = _month(M1, wydzial=tiny.pk)
    for fmt, response in _every_format(staff, office, params, (*REPORT_FORMATS, *RAW_FORMATS)):
        page = response.content.decode()
        assert response.status_code == 400, fmt
        assert "mniej niż 5" in page, fmt
        assert SECRET not in page, fmt
    # compared with a month where it had nobody is refused too? (an empty period is no
    # group: the report of the month before is simply empty) — a tiny previous period is:
    params = _month(M2, wydzial=tiny.pk, porownaj="on")
    response = staff.get(_url(office, "podglad/"), params)
    assert response.status_code == 400
    assert ArchivedReport.objects.count() == 0


@pytest.mark.django_db
def test_a_filtered_report_of_a_big_enough_group_is_shown(staff, world):
    office, big = world["office"], world["big"]
    response = staff.get(_url(office, "podglad/"), _month(M1, wydzial=big.pk))
    assert response.status_code == 200
    assert "Komentarz numer 1 z" in response.content.decode()


# -- attack 2: two ranges a day apart ------------------------------------------------------


@pytest.mark.django_db
def test_two_filtered_ranges_a_day_apart_are_refused(staff, world):
    office, big = world["office"], world["big"]
    for end in (SECRET_DAY - timedelta(days=1), SECRET_DAY):
        params = _custom(M1, end, wydzial=big.pk)
        for fmt, response in _every_format(staff, office, params, (*REPORT_FORMATS, *RAW_FORMATS)):
            assert response.status_code == 400, (fmt, end)
            assert "pełne, zakończone miesiące" in response.content.decode(), fmt


@pytest.mark.django_db
def test_two_ranges_a_day_apart_do_not_date_a_comment(staff, world):
    """Unfiltered reports of any days are drawn, but list only the comments of whole
    months that are over: the comment written on SECRET_DAY is in neither."""
    office = world["office"]
    for end in (SECRET_DAY - timedelta(days=1), SECRET_DAY):
        for fmt, response in _every_format(staff, office, _custom(M1, end)):
            assert response.status_code == 200, (fmt, end)
            text = _text(response, fmt) if fmt != "html" else response.content.decode()
            assert SECRET not in text, (fmt, end)
    # the raw answers of those ranges are refused outright
    for fmt in RAW_FORMATS:
        response = staff.get(_url(office, f"pobierz/{fmt}/"), _custom(M1, SECRET_DAY))
        assert response.status_code == 400


@pytest.mark.django_db
def test_a_comment_shows_its_month_never_its_day_nor_a_small_department(staff, world):
    office = world["office"]
    days = [SECRET_DAY.isoformat(), f"{SECRET_DAY:%d.%m.%Y}"]
    for fmt, response in _every_format(staff, office, _month(M1)):
        assert response.status_code == 200, fmt
        text = _text(response, fmt) if fmt != "html" else response.content.decode()
        if fmt in ("pdf",) and SECRET not in text:
            continue  # the PDF lists what fits; the annex has them all
        assert SECRET in text, fmt
        for day in days:
            assert day not in text, (fmt, day)
        # the comment's line names no department (USC had 3 responses that month)
        for line in text.splitlines() if fmt != "json" else []:
            if SECRET in line:
                assert "Stanu Cywilnego" not in line, fmt
    json_report = staff.get(_url(office, "pobierz/json/"), _month(M1)).json()
    secret = next(c for c in json_report["open_answers"] if c["text"] == SECRET)
    assert secret == {
        "key": "co_poprawic",
        "question": secret["question"],
        "month": f"{M1:%Y-%m}",
        "department": None,
        "text": SECRET,
    }
    big = next(c for c in json_report["open_answers"] if c["text"].startswith("Komentarz"))
    assert big["department"] == "Wydział Komunikacji"  # 30 responses that month
    # ordered by month, question and text — not by time
    texts = [c["text"] for c in json_report["open_answers"] if c["month"] == f"{M1:%Y-%m}"]
    assert texts == sorted(texts)


# -- attack 3: the total minus the shown cells ---------------------------------------------


@pytest.mark.django_db
def test_the_total_minus_the_shown_departments_never_gives_a_small_group(staff, world):
    office = world["office"]
    report = staff.get(_url(office, "pobierz/json/"), _month(M1)).json()
    total = report["method"]["responses"]
    cells = report["breakdowns"]["department"]
    shown = sum(c["n"] for c in cells if not c["suppressed"])
    assert total - shown > 0
    assert total - shown >= K  # the tiny department is hidden with another one
    by_name = {c["label"]: c for c in cells}
    assert by_name["Urząd Stanu Cywilnego"]["suppressed"]
    assert by_name["Referat Podatków"]["suppressed"]
    assert by_name["Referat Podatków"]["mean"] is None
    # months add up to the period's total as well
    for month in report["trend"]:
        assert month["n"] == 0 or month["n"] >= K or month["suppressed"]

    # nor in the other formats: the middle department's mean (2,00 / 2.0) is nowhere in
    # the department table of the workbook, and the tiny one's (1,00) nowhere at all
    book = openpyxl.load_workbook(
        io.BytesIO(staff.get(_url(office, "pobierz/xlsx/"), _month(M1)).content)
    )
    for row in book["Przekroje"].iter_rows(values_only=True):
        if row[1] in ("Referat Podatków", "Urząd Stanu Cywilnego"):
            assert all(v in (None, "—") for v in row[2:]), row
    for fmt, response in _every_format(staff, office, _month(M1), ("pdf",)):
        text = _text(response, fmt) if fmt != "html" else response.content.decode()
        assert not re.search(r"(?<![\d,])1,00(?!\d)", text), fmt


# -- attack 4: a rare profile in the raw answers ---------------------------------------------


def _raw_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.django_db
def test_a_rare_profile_cannot_be_found_in_the_raw_answers(staff, world):
    office = world["office"]
    for fmt in RAW_FORMATS:
        response = staff.get(_url(office, f"pobierz/{fmt}/"), _month(M1))
        assert response.status_code == 200
        header, *rows = _raw_rows(response)
        assert "id" not in header and "data" not in header
        assert "co_poprawic" not in header  # free text is a file of its own
        flat = "\n".join(";".join(r) for r in rows)
        for rare in ("pow_65", "podstawowe", "Urząd Stanu Cywilnego", SECRET):
            assert rare not in flat, (fmt, rare)
        for day in (SECRET_DAY.isoformat(), f"{SECRET_DAY:%d.%m.%Y}"):
            assert day not in flat
        profile = [
            i
            for i, name in enumerate(header)
            if name in ("miesiąc", "wydział", "kanał", "wersja", "język", "źródło")
            or name.startswith("metryka_")
            or name in ("cel_wizyty", "sprawa_zalatwiona")
        ]
        groups: dict = {}
        for row in rows:
            key = tuple(row[i] for i in profile)
            groups[key] = groups.get(key, 0) + 1
        for key, n in groups.items():
            assert n >= K, (key, n)
    # the same rows in the workbook's raw-data sheet
    book = openpyxl.load_workbook(
        io.BytesIO(staff.get(_url(office, "pobierz/xlsx/"), _month(M1)).content), read_only=True
    )
    raw = "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in book["Dane surowe"].iter_rows(values_only=True)
    )
    assert "pow_65" not in raw and "podstawowe" not in raw and SECRET not in raw


# -- who may take the raw answers ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "granted", "raw_allowed"),
    [
        (Role.OFFICE_ADMIN, False, True),
        (Role.REPORTER, True, True),
        (Role.REPORTER, False, False),
        (Role.OPERATOR, False, False),
        (Role.OPERATOR, True, False),  # a flag set on an operator grants nothing
        (Role.CLERK, True, False),
    ],
)
def test_raw_export_permission_by_role_and_format(client, world, role, granted, raw_allowed):
    office = world["office"]
    user = User.objects.create_user(
        username=f"u-{role}-{granted}",
        password="x",
        role=role,
        office=None if role == Role.OPERATOR else office,
        raw_export=granted,
    )
    client.force_login(user)
    may_report = role != Role.CLERK
    for fmt in RAW_FORMATS:
        response = client.get(_url(office, f"pobierz/{fmt}/"), _month(M1))
        assert response.status_code == (200 if raw_allowed else 403), (role, fmt)
        if raw_allowed:
            b"".join(response.streaming_content)
    response = client.get(_url(office, "pobierz/xlsx/"), _month(M1))
    assert response.status_code == (200 if may_report else 403)
    if may_report:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        assert ("Dane surowe" in book.sheetnames) is raw_allowed, role
    exports = AuditEntry.objects.filter(office=office, action="responses.export")
    assert exports.count() == (3 if raw_allowed else 0)
    assert all(e.actor_id == user.pk for e in exports)
    preview = client.get(_url(office, "podglad/"), _month(M1))
    if may_report:
        assert ("pobierz/csv/" in preview.content.decode()) is raw_allowed


@pytest.mark.django_db
def test_every_download_is_in_the_audit_log_and_none_archives(staff, world):
    office = world["office"]
    for fmt, response in _every_format(staff, office, _month(M1), (*REPORT_FORMATS, "csv")):
        assert response.status_code == 200, fmt
        if response.streaming:
            b"".join(response.streaming_content)
    logged = list(
        AuditEntry.objects.filter(office=office, action__in=("report.download", "responses.export"))
        .order_by("pk")
        .values_list("after", flat=True)
    )
    # every report file, the raw-data sheet of the workbook and the CSV
    assert len(logged) == len(REPORT_FORMATS) + 2
    assert ArchivedReport.objects.count() == 0


# -- attack 3b: the total minus the shown cells, where a hot spot shows a hidden cell --------


@pytest.fixture
def hot_world(make_office, settings, tmp_path):
    """One month: Wydział Komunikacji 60 residents rating 4, Referat Podatków 40 rating 2
    (a hot spot in every item and area: 2 against 3,90 in the rest of the office), Urząd
    Stanu Cywilnego 2 rating 1. The department table hides USC and, to protect it, one
    more department: if that were Referat Podatków, its hot spots would still show its
    figures and the total minus them would give USC's two residents away."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_MIN_CELL = K
    office = make_office(
        departments=("Wydział Komunikacji", "Referat Podatków", "Urząd Stanu Cywilnego")
    )
    big, weak, tiny = office.departments.order_by("position")
    for i in range(60):
        _respond(office, big, M1.replace(day=1 + i % 27), 4)
    for i in range(40):
        _respond(office, weak, M1.replace(day=1 + i % 27), 2)
    for day in (3, 21):
        _respond(office, tiny, M1.replace(day=day), 1, comment=SECRET)
    admin = User.objects.create_user(
        username="kierownik", password="x", role=Role.OFFICE_ADMIN, office=office
    )
    return {"office": office, "big": big, "weak": weak, "tiny": tiny, "admin": admin}


def _section(page: str, section_id: str) -> str:
    """One main section of the report's HTML: from its id to the next main section."""
    start = page.index(f'id="{section_id}"')
    following = page.find('<section class="report-section', start)
    return page[start : following if following > 0 else len(page)]


def _published_departments(report: dict) -> dict[int, int]:
    """Departments whose figures the report publishes anywhere, with their n: the shown
    rows of the department table and every hot spot's department."""
    out = {
        int(c["key"]): c["n"]
        for c in report["breakdowns"]["department"]
        if not c["suppressed"] and c["key"] != "none"
    }
    for cell in report["hot_spots"]["cells"]:
        if cell["department"]:
            out.setdefault(cell["department"]["id"], None)
    return out


@pytest.mark.django_db
def test_total_minus_shown_departments_and_hot_spots_never_gives_a_small_group(client, hot_world):
    office, weak, tiny = hot_world["office"], hot_world["weak"], hot_world["tiny"]
    client.force_login(hot_world["admin"])
    report = client.get(_url(office, "pobierz/json/"), _month(M1)).json()
    total = report["method"]["responses"]
    hidden = {c["label"] for c in report["breakdowns"]["department"] if c["suppressed"]}
    published = _published_departments(report)

    # the weak department is a hot spot, so the table hides the big one with USC instead
    assert hidden == {"Wydział Komunikacji", "Urząd Stanu Cywilnego"}
    assert report["hot_spots"]["cells"]
    assert {c["department"]["id"] for c in report["hot_spots"]["cells"]} == {weak.pk}
    assert tiny.pk not in published
    sizes = {int(c["key"]): c["n"] for c in report["breakdowns"]["department"] if c["n"]}
    shown_n = sum(sizes.get(pk) or 0 for pk in published)
    assert shown_n == 40 and total - shown_n >= K  # only 62 together: USC hides among them

    # no format names a hidden department with a hot spot or its figures
    for fmt, response in _every_format(client, office, _month(M1), ("pdf", "xlsx")):
        assert response.status_code == 200, fmt
        if fmt == "html":
            page = response.content.decode()
            parts = [
                page[page.index('id="raport-najwazniejsze"') : page.index('id="raport-okladka"')],
                _section(page, "raport-do-poprawy"),
            ]
        elif fmt == "pdf":
            # the summary's hot-spot lines and its next steps name their departments
            parts = [
                line
                for line in _text(response, fmt).splitlines()
                if "pozostałej części urzędu" in line or "Omów z kierownictwem" in line
            ]
        else:
            book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            parts = [
                "\t".join("" if v is None else str(v) for v in row)
                for row in book["Obszary do poprawy"].iter_rows(values_only=True)
            ]
            rows = list(book["Przekroje"].iter_rows(values_only=True))
            for row in rows:
                if row[1] in hidden:
                    assert all(v in (None, "—") for v in row[2:]), row
        flat = "\n".join(parts)
        assert "Referat Podatków" in flat, fmt
        for name in hidden:
            assert name not in flat, (fmt, name)
    # the comments annex and the raw answers never name the tiny department either
    for fmt in ("odpowiedzi-otwarte-csv", "csv"):
        response = client.get(_url(office, f"pobierz/{fmt}/"), _month(M1))
        assert response.status_code == 200, fmt
        assert "Urząd Stanu Cywilnego" not in _text(response, fmt), fmt


@pytest.mark.django_db
def test_a_hot_spot_of_a_department_hidden_as_the_only_complement_is_left_out(hot_world):
    """When every department the table could hide for USC is a hot spot, one of them is
    hidden all the same — and its hot spots go with it."""
    from ocenurzad.reports.compute import report_compute

    office, big, weak = hot_world["office"], hot_world["big"], hot_world["weak"]
    Response.objects.filter(department=big).update(
        answers=dict.fromkeys(RATING_KEYS, 4) | {"ocena_ogolna": 4, "podejscie_godziny": 1}
    )
    report = report_compute(office=office, start=M1, end=M1_END)
    hidden = {int(c["key"]) for c in report["breakdowns"]["department"] if c["suppressed"]}
    hot = {c["department"]["id"] for c in report["hot_spots"]["cells"] if c["department"]}

    assert hidden & {big.pk, weak.pk}  # one of the two hides USC …
    assert not hot & hidden  # … and none of its hot spots is shown
    assert hot  # the other one's are
    summary_spots = set(report["summary"]["hot_spots"])
    assert summary_spots <= {c["id"] for c in report["hot_spots"]["cells"]}
