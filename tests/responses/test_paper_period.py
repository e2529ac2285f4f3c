"""Paper sheets with a period of collection instead of a day (an urn emptied monthly):
typed once per stack, kept for the next sheets and explained on screen, stored with both
ends and counted on the middle day, corrected, refused with named errors (never a 500),
per office — and what reports say about them."""

from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocenurzad.accounts.models import Role
from ocenurzad.audit.models import AuditEntry
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.selectors import responses_dated_by_period
from ocenurzad.responses.models import Response
from ocenurzad.responses.paper import (
    SheetDate,
    paper_recent,
    paper_sheet_read,
    response_correct_paper,
    sheet_date_read,
    sheet_date_warnings,
)
from tests.responses.test_paper_entry import (
    enter,
    entry_url,
    error_summary,
    input_tag,
    make_staff,
    page_text,
    read_sheet,
    save_sheet,
    typed_sheet,
)

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 20)
NOVEMBER = "01.11.2025–30.11.2025"


@pytest.fixture
def clerk(office):
    return make_staff(office, "rejestrator")


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk)
    return client


def stored_with(office, clerk, typed: str, *, number=None, **fields) -> Response:
    return save_sheet(
        office, clerk, read_sheet(office, sheet_number=number, data_wypelnienia=typed, **fields)
    )


# What the clerk types


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("01.11.2026–30.11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("01.11.2026-30.11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("1.11.2026 - 30.11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("01.11.2026..30.11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-11-01–2026-11-30", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-11-01-2026-11-30", date(2026, 11, 1), date(2026, 11, 30)),
        # the start without a year: the latest such day not after the end
        ("15.12–14.01.2027", date(2026, 12, 15), date(2027, 1, 14)),
        # neither with a year: the end is the latest such day not after today
        ("01.12–31.12", date(2026, 12, 1), date(2026, 12, 31)),
        # a whole month, and the month still running (up to today)
        ("11.2026", date(2026, 11, 1), date(2026, 11, 30)),
        ("2.2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("01.2027", date(2027, 1, 1), TODAY),
        # a day stays a day, also typed as a period of one day
        ("05.12.2026", date(2026, 12, 5), date(2026, 12, 5)),
        ("05.12.2026–05.12.2026", date(2026, 12, 5), date(2026, 12, 5)),
    ],
)
def test_a_day_a_period_or_a_month_is_read_from_one_field(typed, start, end):
    value, error = sheet_date_read(typed, today=TODAY)
    assert error is None
    assert (value.start, value.end) == (start, end)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30.11.2026–01.11.2026", "Okres wypełnienia: koniec (01.11.2026) jest wcześniejszy"),
        ("01.01.2027–31.01.2027", "Okres wypełnienia: koniec (31.01.2027) nie może być późniejszy"),
        ("02.2027", "Okres wypełnienia: koniec (28.02.2027) nie może być późniejszy"),
        ("01.12.1999–31.12.1999", "Okres wypełnienia nie może zaczynać się przed 1 stycznia 2000"),
        ("01.01.2026–30.06.2026", "Okres wypełnienia może trwać najwyżej 92 dni"),
        ("31.11.2026–05.12.2026", "Okres wypełnienia: wpisz dwie prawdziwe daty"),
        ("13.2026", "Okres wypełnienia: miesiąc wpisuje się jako mm.rrrr"),
        ("0.0000", "Okres wypełnienia: miesiąc wpisuje się jako mm.rrrr"),
        ("listopad", "Data wypełnienia: wpisz prawdziwą datę"),
        ("01.11.2026–", "Data wypełnienia: wpisz prawdziwą datę"),
        ("9" * 40, "Data wypełnienia: wpisz prawdziwą datę"),
    ],
)
def test_a_bad_period_is_a_message_naming_the_field(typed, message):
    value, error = sheet_date_read(typed, today=TODAY)
    assert value is None
    assert error.startswith(message), error


def test_the_longest_period_is_a_quarter_and_a_setting(settings):
    assert sheet_date_read("01.10.2026–31.12.2026", today=TODAY)[1] is None  # 92 days
    settings.PAPER_PERIOD_MAX_DAYS = 31
    assert "najwyżej 31 dni" in sheet_date_read("01.10.2026–31.12.2026", today=TODAY)[1]


@pytest.mark.parametrize(
    ("start", "end", "day"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 15)),
        (date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 1)),
        (date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 14)),
        (date(2026, 10, 15), date(2026, 11, 14), date(2026, 10, 30)),
        (date(2026, 12, 15), date(2027, 1, 20), date(2027, 1, 2)),
    ],
)
def test_a_period_counts_on_its_middle_day(start, end, day):
    assert SheetDate(start, end).day == day


def test_every_whole_month_counts_in_itself():
    # a report by month never moves a whole-month period (an urn emptied monthly)
    for month in range(1, 13):
        value, _error = sheet_date_read(f"{month}.2025", today=TODAY)
        assert (value.day.year, value.day.month) == (2025, month)


def test_a_period_across_a_month_or_a_year_warns_and_names_the_month_it_counts_in():
    assert sheet_date_warnings(SheetDate(date(2026, 11, 1), date(2026, 11, 30))) == []
    assert sheet_date_warnings(SheetDate.of(date(2026, 11, 1))) == []
    (month,) = sheet_date_warnings(SheetDate(date(2026, 10, 15), date(2026, 11, 14)))
    assert "przekracza granicę miesiąca" in month
    assert "trafi do miesiąca 10.2026 (środek okresu: 30.10.2026)" in month
    (year,) = sheet_date_warnings(SheetDate(date(2026, 12, 15), date(2027, 1, 20)))
    assert "przekracza granicę roku" in year
    assert "trafi do miesiąca 01.2027 (środek okresu: 02.01.2027)" in year


# Stored


def test_a_sheet_with_a_period_stores_both_ends_and_counts_on_the_middle_day(office, clerk):
    stored = stored_with(office, clerk, NOVEMBER, number=7)

    stored.refresh_from_db()
    assert (stored.period_start, stored.period_end) == (date(2025, 11, 1), date(2025, 11, 30))
    local = timezone.localtime(stored.submitted_at)
    assert (local.date(), local.hour) == (date(2025, 11, 15), 12)
    entry = AuditEntry.objects.get(action="response.paper_enter")
    assert entry.after["period_start"] == "2025-11-01"
    assert entry.after["period_end"] == "2025-11-30"
    assert entry.after["filled_on"] == "2025-11-15"


def test_a_day_stores_no_period(office, clerk):
    stored = stored_with(office, clerk, "05.11.2025")
    assert (stored.period_start, stored.period_end) == (None, None)
    assert "period_start" not in AuditEntry.objects.get().after


def test_the_database_refuses_half_a_period_or_one_turned_round(office, clerk):
    stored = stored_with(office, clerk, "05.11.2025")
    for start, end in [
        (date(2025, 11, 1), None),
        (None, date(2025, 11, 1)),
        (date(2025, 11, 30), date(2025, 11, 1)),
        (date(2025, 11, 1), date(2025, 11, 1)),
    ]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.filter(pk=stored.pk).update(period_start=start, period_end=end)


def test_the_service_refuses_a_period_the_form_would_refuse(office, clerk):
    sheet = read_sheet(office)
    sheet.sheet_date = SheetDate(date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ValueError, match="92 dni"):
        save_sheet(office, clerk, sheet)
    assert not Response.objects.exists()


def test_a_correction_turns_a_period_into_a_day_and_back(office, clerk):
    stored = stored_with(office, clerk, NOVEMBER, number=8)

    def correct(typed):
        data = QueryDict(mutable=True)
        data.update(typed_sheet(office, nr_arkusza="8", data_wypelnienia=typed))
        sheet = paper_sheet_read(
            office=office,
            version=stored.version,
            data=data,
            departments=list(office.departments.all()),
            exclude_pk=stored.pk,
        )
        return response_correct_paper(
            office=office,
            actor=clerk,
            response=stored,
            parsed=sheet.parsed,
            sheet_date=sheet.sheet_date,
            sheet_number=8,
        )

    day = correct("20.11.2025")
    assert (day.period_start, day.period_end) == (None, None)
    assert timezone.localdate(day.submitted_at) == date(2025, 11, 20)
    again = correct("01.10.2025–31.10.2025")
    assert (again.period_start, again.period_end) == (date(2025, 10, 1), date(2025, 10, 31))
    assert timezone.localdate(again.submitted_at) == date(2025, 10, 16)
    entry = AuditEntry.objects.filter(action="response.paper_correct").latest("pk")
    assert "period_start" not in entry.before
    assert entry.after["period_start"] == "2025-10-01"


# The panel: set once per stack, kept, explained on screen


def test_a_period_typed_once_is_kept_for_the_next_sheets_and_explained(as_clerk, office):
    result = enter(as_clerk, office, data_wypelnienia="01.11.2025-30.11.2025", nr_arkusza="31")

    assert result.status_code == 303
    location = result["Location"]
    assert f"data_wypelnienia={NOVEMBER}" in unquote(location)
    page = as_clerk.get(location)
    assert f'value="{NOVEMBER}"' in input_tag(page, "data_wypelnienia")
    text = page_text(page)
    assert (
        "Okres zebrania 01.11.2025–30.11.2025 (30 dni): w raportach arkusze liczą się w jego "
        "środkowym dniu, 15.11.2025." in text
    )
    assert "przekracza" not in text
    # the explanation is read with the field
    assert "data_wypelnienia-hint" in input_tag(page, "data_wypelnienia")

    # the next sheet sent from that form keeps the period
    result = as_clerk.post(location.split("#")[0], typed_sheet(office, data_wypelnienia=NOVEMBER))
    assert result.status_code == 303
    assert [(r.period_start, r.period_end) for r in Response.objects.all()] == [
        (date(2025, 11, 1), date(2025, 11, 30))
    ] * 2


def test_a_period_across_months_is_warned_about_on_screen(as_clerk, office):
    page = as_clerk.get(entry_url(office, "?data_wypelnienia=15.10.2025–14.11.2025"))

    text = page_text(page)
    assert "przekracza granicę miesiąca" in text
    assert "trafi do miesiąca 10.2025 (środek okresu: 30.10.2025)" in text
    assert "data_wypelnienia-warning" in input_tag(page, "data_wypelnienia")


def test_the_recent_list_and_the_correction_show_the_period(as_clerk, office, clerk):
    stored = stored_with(office, clerk, NOVEMBER, number=9)

    assert paper_recent(office=office, user=clerk)[0]["period"] == NOVEMBER
    assert NOVEMBER in page_text(as_clerk.get(entry_url(office, "ostatnie/")))
    correction = as_clerk.get(entry_url(office, f"{stored.pk}/"))
    assert f'value="{NOVEMBER}"' in input_tag(correction, "data_wypelnienia")
    assert f"okres {NOVEMBER}" in page_text(as_clerk.get(entry_url(office, f"{stored.pk}/usun/")))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30.11.2025–01.11.2025", "Okres wypełnienia: koniec (01.11.2025) jest wcześniejszy"),
        ("01.11.2025–01.01.2999", "Okres wypełnienia: koniec (01.01.2999) nie może być"),
        ("01.01.2025–31.12.2025", "Okres wypełnienia może trwać najwyżej 92 dni"),
        ("01.11.1999–30.11.1999", "Okres wypełnienia nie może zaczynać się przed"),
        ("32.11.2025–30.11.2025", "Okres wypełnienia: wpisz dwie prawdziwe daty"),
        ("13.2025", "Okres wypełnienia: miesiąc wpisuje się jako mm.rrrr"),
        ("1" * 5000, "Data wypełnienia: wpisz prawdziwą datę"),
        ("01.11.2025\x00–30.11.2025", "Data wypełnienia: wpisz prawdziwą datę"),
    ],
)
def test_a_bad_period_is_a_named_field_error_and_nothing_is_stored(
    as_clerk, office, typed, message
):
    result = enter(as_clerk, office, data_wypelnienia=typed)

    assert result.status_code == 400
    ((target, text),) = error_summary(result)
    assert target == "data_wypelnienia"
    assert text.startswith(message), text
    assert not Response.objects.exists()


def test_a_bad_period_in_the_address_is_shown_not_an_error_page(as_clerk, office):
    page = as_clerk.get(entry_url(office, "?data_wypelnienia=31.12.2025–01.01.2025"))
    assert page.status_code == 200
    assert "w raportach arkusze liczą się" not in page_text(page)


def test_a_reporter_cannot_enter_a_sheet_with_a_period(client, office):
    client.force_login(make_staff(office, "raporty", Role.REPORTER))

    assert enter(client, office, data_wypelnienia=NOVEMBER).status_code == 403
    assert not Response.objects.exists()


def test_logged_out_a_period_stores_nothing(client, office):
    result = enter(client, office, data_wypelnienia=NOVEMBER)
    assert result.status_code == 302
    assert not Response.objects.exists()


def test_another_offices_clerk_cannot_see_or_correct_a_sheet_with_a_period(
    client, office, other_office, clerk
):
    stored = stored_with(office, clerk, NOVEMBER, number=11)
    client.force_login(make_staff(other_office, "rejestrator.ksiazki"))

    assert enter(client, office, data_wypelnienia=NOVEMBER).status_code == 404
    for suffix in (f"{stored.pk}/", f"{stored.pk}/usun/"):
        assert client.get(entry_url(other_office, suffix)).status_code == 404
        foreign = typed_sheet(other_office, data_wypelnienia="01.10.2025–31.10.2025")
        assert client.post(entry_url(other_office, suffix), foreign).status_code == 404
    assert NOVEMBER not in page_text(client.get(entry_url(other_office, "ostatnie/")))
    stored.refresh_from_db()
    assert stored.period_start == date(2025, 11, 1)
    assert Response.objects.count() == 1


# Reports


def test_reports_count_a_period_on_its_middle_day_and_say_so(office, clerk):
    # Given sheets of the November urn, and a stack collected 15.10–14.11 (middle: 30.10)
    for number in range(1, 4):
        stored_with(office, clerk, NOVEMBER, number=number)
    stored_with(office, clerk, "15.10.2025–14.11.2025", number=4)
    stored_with(office, clerk, "05.11.2025", number=5)

    november = report_compute(office=office, start=date(2025, 11, 1), end=date(2025, 11, 30))
    october = report_compute(office=office, start=date(2025, 10, 1), end=date(2025, 10, 31))
    autumn = report_compute(office=office, start=date(2025, 10, 1), end=date(2025, 12, 31))

    # Then each counts once, in the month of its middle day
    assert november["method"]["responses"] == 4
    assert november["method"]["dated_by_period"] == {"responses": 3, "outside": 0}
    assert october["method"]["responses"] == 1
    assert october["method"]["dated_by_period"] == {"responses": 1, "outside": 1}
    assert autumn["method"]["dated_by_period"] == {"responses": 4, "outside": 0}
    # … and the notes say how, and that the October one reaches outside its report
    (note,) = [n for n in october["notes"] if "okres zebrania zamiast dnia" in n]
    assert "środkowym dniu" in note
    assert "Okres zebrania 1 z nich wykracza poza okres raportu" in note
    (note,) = [n for n in november["notes"] if "okres zebrania zamiast dnia" in n]
    assert "wykracza" not in note


def test_a_report_without_such_sheets_is_as_before(office, clerk):
    stored_with(office, clerk, "05.11.2025", number=5)
    report = report_compute(office=office, start=date(2025, 11, 1), end=date(2025, 11, 30))
    assert "dated_by_period" not in report["method"]
    assert not [n for n in report["notes"] if "okres zebrania" in n]


def test_the_count_follows_the_reports_filters_and_cut_off(office, clerk):
    usc = office.departments.get(name="Urząd Stanu Cywilnego")
    stored_with(office, clerk, NOVEMBER, number=1, q_wydzial="2")
    stored_with(office, clerk, NOVEMBER, number=2, q_wydzial="1")
    start, end = date(2025, 11, 1), date(2025, 11, 30)

    assert responses_dated_by_period(office=office, start=start, end=end) == (2, 0)
    assert responses_dated_by_period(office=office, start=start, end=end, department_id=usc.pk) == (
        1,
        0,
    )
    assert responses_dated_by_period(office=office, start=start, end=end, channel="online") == (
        0,
        0,
    )
    assert responses_dated_by_period(
        office=office, start=start, end=end, until=timezone.now() - timedelta(days=3650)
    ) == (0, 0)


def test_the_count_is_per_office(office, other_office, clerk):
    stored_with(office, clerk, NOVEMBER, number=1)
    start, end = date(2025, 11, 1), date(2025, 11, 30)

    assert responses_dated_by_period(office=other_office, start=start, end=end) == (0, 0)
    report = report_compute(office=other_office, start=start, end=end)
    assert "dated_by_period" not in report["method"]


def test_the_count_reads_only_the_index_of_sheets_dated_by_a_period(office):
    # A report must not scan every raw answer of its period (DESIGN.md): the count of
    # sheets dated by a period reads the partial index that holds only those.
    if connection.vendor != "sqlite":
        pytest.skip("the plan checked is SQLite's; PostgreSQL picks by its statistics")
    with CaptureQueriesContext(connection) as queries:
        responses_dated_by_period(office=office, start=date(2020, 1, 1), end=date(2025, 12, 31))
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX response_period_time" in plan
