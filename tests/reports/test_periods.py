"""Which period a report is compared with: the table for every kind (leap years, month
ends, quarters, year to date), how both periods are named, and the command line's kinds.
"""

import json
from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from ocenurzad.reports.periods import (
    Compare,
    Kind,
    Shape,
    comparison_period,
    period_name,
    period_shape,
    shift_months,
)
from ocenurzad.reports.periods import Period as P

WARSAW = ZoneInfo("Europe/Warsaw")
D = date
PREVIOUS, YEAR_AGO = Compare.PREVIOUS, Compare.YEAR_AGO
TODAY = D(2026, 12, 5)

# (the period asked for, compared how, the kind the reader chose or None) -> (its shape,
# the comparison period); today is TODAY
TABLE = [
    # calendar years, a leap year among them
    ("2025-01-01 2025-12-31", PREVIOUS, None, Shape.YEAR, "2024-01-01 2024-12-31"),
    ("2025-01-01 2025-12-31", YEAR_AGO, Kind.YEAR, Shape.YEAR, "2024-01-01 2024-12-31"),
    ("2024-01-01 2024-12-31", PREVIOUS, None, Shape.YEAR, "2023-01-01 2023-12-31"),
    # quarters: the previous one (month ends stay month ends), or the same one a year earlier
    ("2025-04-01 2025-06-30", PREVIOUS, Kind.QUARTER, Shape.QUARTER, "2025-01-01 2025-03-31"),
    ("2025-01-01 2025-03-31", PREVIOUS, None, Shape.QUARTER, "2024-10-01 2024-12-31"),
    ("2025-07-01 2025-09-30", PREVIOUS, None, Shape.QUARTER, "2025-04-01 2025-06-30"),
    ("2025-04-01 2025-06-30", YEAR_AGO, None, Shape.QUARTER, "2024-04-01 2024-06-30"),
    ("2024-01-01 2024-03-31", YEAR_AGO, None, Shape.QUARTER, "2023-01-01 2023-03-31"),
    # months: February of leap and common years, 31-day months after 30-day ones
    ("2024-03-01 2024-03-31", PREVIOUS, Kind.MONTH, Shape.MONTH, "2024-02-01 2024-02-29"),
    ("2025-03-01 2025-03-31", PREVIOUS, None, Shape.MONTH, "2025-02-01 2025-02-28"),
    ("2024-02-01 2024-02-29", YEAR_AGO, None, Shape.MONTH, "2023-02-01 2023-02-28"),
    ("2025-02-01 2025-02-28", YEAR_AGO, None, Shape.MONTH, "2024-02-01 2024-02-29"),
    ("2025-07-01 2025-07-31", PREVIOUS, None, Shape.MONTH, "2025-06-01 2025-06-30"),
    ("2025-01-01 2025-01-31", PREVIOUS, None, Shape.MONTH, "2024-12-01 2024-12-31"),
    # twelve whole months: the twelve before
    (
        "2025-11-01 2026-10-31",
        PREVIOUS,
        Kind.LAST_12_MONTHS,
        Shape.TWELVE_MONTHS,
        "2024-11-01 2025-10-31",
    ),
    ("2023-03-01 2024-02-29", PREVIOUS, None, Shape.TWELVE_MONTHS, "2022-03-01 2023-02-28"),
    (
        "2025-01-01 2025-12-31",
        PREVIOUS,
        Kind.LAST_12_MONTHS,
        Shape.TWELVE_MONTHS,
        "2024-01-01 2024-12-31",
    ),
    # periods still running (ending today): the same dates of the period before
    ("2026-01-01 2026-12-05", PREVIOUS, Kind.YEAR, Shape.YEAR_TO_DATE, "2025-01-01 2025-12-05"),
    ("2026-01-01 2026-12-05", PREVIOUS, None, Shape.YEAR_TO_DATE, "2025-01-01 2025-12-05"),
    (
        "2026-10-01 2026-12-05",
        PREVIOUS,
        Kind.QUARTER,
        Shape.QUARTER_TO_DATE,
        "2026-07-01 2026-09-05",
    ),
    (
        "2026-10-01 2026-12-05",
        YEAR_AGO,
        Kind.QUARTER,
        Shape.QUARTER_TO_DATE,
        "2025-10-01 2025-12-05",
    ),
    ("2026-12-01 2026-12-05", PREVIOUS, Kind.MONTH, Shape.MONTH_TO_DATE, "2026-11-01 2026-11-05"),
    ("2026-12-01 2026-12-05", YEAR_AGO, Kind.MONTH, Shape.MONTH_TO_DATE, "2025-12-01 2025-12-05"),
    # custom days: the same number of days just before (also across a leap day), or a year earlier
    ("2025-02-03 2025-03-04", PREVIOUS, Kind.CUSTOM, Shape.CUSTOM, "2025-01-04 2025-02-02"),
    ("2024-03-01 2024-03-10", PREVIOUS, None, Shape.CUSTOM, "2024-02-20 2024-02-29"),
    ("2025-06-15 2025-06-15", PREVIOUS, None, Shape.CUSTOM, "2025-06-14 2025-06-14"),
    ("2024-02-10 2024-02-29", YEAR_AGO, None, Shape.CUSTOM, "2023-02-10 2023-02-28"),
    ("2025-01-01 2025-03-30", PREVIOUS, None, Shape.CUSTOM, "2024-10-04 2024-12-31"),
]


def _days(text: str) -> tuple[date, date]:
    first, last = text.split()
    return date.fromisoformat(first), date.fromisoformat(last)


@pytest.mark.parametrize(("asked", "how", "kind", "shape", "expected"), TABLE)
def test_the_comparison_period_of_every_kind(asked, how, kind, shape, expected):
    start, end = _days(asked)
    comparison = comparison_period(start, end, how=how, today=TODAY, kind=kind)
    assert comparison.shape == shape
    assert (comparison.previous.start, comparison.previous.end) == _days(expected)
    assert comparison.current == P(start, end)
    assert comparison.previous.end < start


def test_january_so_far_is_a_month_or_a_year_as_the_reader_asked():
    today = D(2026, 1, 15)
    start = D(2026, 1, 1)
    as_month = comparison_period(start, today, how=PREVIOUS, today=today, kind=Kind.MONTH)
    as_year = comparison_period(start, today, how=PREVIOUS, today=today, kind=Kind.YEAR)
    assert as_month.previous == P(D(2025, 12, 1), D(2025, 12, 15))
    assert as_year.previous == P(D(2025, 1, 1), D(2025, 1, 15))
    # from the dates alone (custom days, the command line) the smallest unit: the month
    unnamed = comparison_period(start, today, how=PREVIOUS, today=today)
    assert unnamed.shape == Shape.MONTH_TO_DATE
    october = comparison_period(
        D(2025, 10, 1), D(2025, 10, 27), how=PREVIOUS, today=D(2025, 10, 27)
    )
    assert october.previous == P(D(2025, 9, 1), D(2025, 9, 27))


def test_the_last_day_of_february_a_year_after_a_leap_year():
    # a year so far ending on 29 February is compared with the days to 28 February
    today = D(2028, 2, 29)
    comparison = comparison_period(D(2028, 1, 1), today, how=PREVIOUS, today=today, kind=Kind.YEAR)
    assert comparison.shape == Shape.YEAR_TO_DATE
    assert comparison.previous == P(D(2027, 1, 1), D(2027, 2, 28))
    assert shift_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert shift_months(D(2025, 6, 30), -3, month_end=True) == D(2025, 3, 31)
    assert shift_months(D(2024, 2, 29), -12) == D(2023, 2, 28)


def test_a_range_that_is_exactly_a_calendar_unit_is_one():
    assert period_shape(D(2025, 1, 1), D(2025, 12, 31), today=TODAY) == Shape.YEAR
    assert period_shape(D(2025, 10, 1), D(2025, 12, 31), today=TODAY) == Shape.QUARTER
    assert period_shape(D(2025, 11, 1), D(2025, 12, 31), today=TODAY) == Shape.CUSTOM
    assert period_shape(D(2025, 2, 1), D(2025, 2, 28), today=TODAY) == Shape.MONTH
    assert period_shape(D(2025, 2, 2), D(2025, 2, 28), today=TODAY) == Shape.CUSTOM
    # a quarter asked for as a quarter is not mistaken for anything else, and the reverse
    assert period_shape(D(2025, 1, 1), D(2025, 3, 31), today=TODAY, kind=Kind.QUARTER) == (
        Shape.QUARTER
    )
    assert period_shape(D(2025, 1, 1), D(2025, 3, 31), today=TODAY, kind=Kind.MONTH) == (
        Shape.CUSTOM
    )


def test_both_periods_are_named_and_a_custom_comparison_says_what_it_is():
    year = comparison_period(D(2025, 1, 1), D(2025, 12, 31), how=PREVIOUS, today=TODAY)
    assert (year.name(year.current), year.name(year.previous)) == ("rok 2025", "rok 2024")
    assert year.note() == "Okres porównawczy: rok 2024."
    quarter = comparison_period(D(2025, 4, 1), D(2025, 6, 30), how=YEAR_AGO, today=TODAY)
    assert quarter.name(quarter.previous) == "II kwartał 2024"
    assert "rok wcześniej" in quarter.note()
    month = comparison_period(D(2024, 3, 1), D(2024, 3, 31), how=PREVIOUS, today=TODAY)
    assert month.name(month.previous) == "luty 2024"
    custom = comparison_period(D(2025, 2, 3), D(2025, 3, 4), how=PREVIOUS, today=TODAY)
    assert custom.equal_length_before
    assert custom.note() == (
        "Okres porównawczy to 30 dni bezpośrednio przed wybranym okresem — ta sama liczba "
        "dni: 04.01.2025 – 02.02.2025."
    )
    running = comparison_period(D(2026, 1, 1), TODAY, how=PREVIOUS, today=TODAY)
    assert running.note().startswith("Okres jeszcze trwa, więc porównano go z tymi samymi dniami")
    assert (
        period_name(P(D(2025, 11, 1), D(2026, 10, 31))) == "01.11.2025 – 31.10.2026 (12 miesięcy)"
    )
    with pytest.raises(ValueError):
        comparison_period(D(2025, 1, 1), D(2025, 1, 2), how="tydzien", today=TODAY)


# --- the command line -----------------------------------------------------------------


def _respond(office, day, rating):
    from ocenurzad.responses.models import Response

    version = office.survey.current_version
    return Response.objects.create(
        office=office,
        version=version,
        channel="paper",
        submitted_at=datetime.combine(day, time(12), tzinfo=WARSAW),
        answers={"wizerunek_lokalizacja": rating, "ocena_ogolna": rating},
    )


def _json(office, tmp_path, *args):
    target = tmp_path / "r.json"
    call_command("report", office.slug, *args, "--format", "json", "-o", str(target),
                 stdout=StringIO())  # fmt: skip
    return json.loads(target.read_bytes())


@pytest.mark.django_db
def test_the_command_treats_an_exact_year_as_a_year_and_compares_it_by_default(office, tmp_path):
    _respond(office, D(2024, 6, 3), 3)
    _respond(office, D(2025, 6, 3), 5)

    compared = _json(office, tmp_path, "--from", "2025-01-01", "--to", "2025-12-31", "--compare")
    by_default = _json(office, tmp_path, "--year", "2025")
    without = _json(office, tmp_path, "--year", "2025", "--no-compare")
    custom = _json(office, tmp_path, "--from", "2025-01-02", "--to", "2025-12-31", "--compare")

    for report in (compared, by_default):
        previous = report["comparison"]["previous"]
        assert (previous["start"], previous["end"], previous["name"]) == (
            "2024-01-01",
            "2024-12-31",
            "rok 2024",
        )
        assert previous["respondents"] == 1 and report["comparison"]["current"]["respondents"] == 1
    assert without["comparison"] is None
    # not a calendar year: the same number of days just before, said so
    assert custom["comparison"]["previous"]["start"] == "2024-01-04"
    assert custom["comparison"]["equal_length_before"] is True


@pytest.mark.django_db
def test_the_command_offers_the_panels_kinds(office, tmp_path):
    quarter = _json(office, tmp_path, "--quarter", "2025-Q2", "--compare", "year-ago")
    assert (quarter["params"]["start"], quarter["params"]["end"]) == ("2025-04-01", "2025-06-30")
    assert quarter["comparison"]["previous"]["start"] == "2024-04-01"
    month = _json(office, tmp_path, "--month", "2024-03", "--compare")
    assert month["comparison"]["previous"]["end"] == "2024-02-29"
    last = _json(office, tmp_path, "--last-12-months")
    assert last["comparison"] is None  # only the calendar year compares by default


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Podaj okres raportu jednym sposobem"),
        (["--year", "2025", "--month", "2025-03"], "podano: --year, --month"),
        (["--year", "20x5"], "--year: „20x5” nie jest rokiem"),
        (["--year", "2999"], "--year: Rok: 2999 jeszcze się nie zaczął"),
        (["--quarter", "2025-Q5"], "--quarter: „2025-Q5” nie jest kwartałem"),
        (["--month", "2025-13"], "--month: Miesiąc: numer miesiąca musi być od 01 do 12"),
        (["--from", "2025-01-01"], "Podaj obie daty okresu"),
        (["--year", "2025", "--compare", "--no-compare"], "nie oba"),
    ],
)
def test_the_command_refuses_a_period_it_cannot_read_in_polish(office, tmp_path, args, message):
    with pytest.raises(CommandError) as error:
        call_command("report", office.slug, *args, "--format", "json", "-o", str(tmp_path / "x"))
    assert message in str(error.value)


# --- the panel's choice -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_offers_the_comparison_and_the_yearly_report_compares_by_default(office):
    from ocenurzad.reports.forms import ReportForm

    unbound = ReportForm(office=office, today=TODAY)
    assert unbound["porownaj"].value() == PREVIOUS
    assert unbound["okres"].value() == Kind.YEAR

    quarter = ReportForm(
        {"okres": "kwartal", "rok": "2025", "kwartal": "2", "porownaj": "rok_wczesniej"},
        office=office,
        today=TODAY,
    )
    assert quarter.is_valid(), quarter.errors
    params = quarter.report_params()
    assert (params["compare"], params["kind"]) == (YEAR_AGO, Kind.QUARTER)
    none = ReportForm({"okres": "rok", "rok": "2025", "porownaj": ""}, office=office, today=TODAY)
    assert none.is_valid() and none.report_params()["compare"] is False
    old_link = ReportForm({"okres": "rok", "rok": "2025", "porownaj": "on"}, office=office)
    assert old_link.is_valid() and old_link.report_params()["compare"] == PREVIOUS
    bad = ReportForm({"okres": "rok", "rok": "2025", "porownaj": "tydzien"}, office=office)
    assert not bad.is_valid()
    assert bad.errors["porownaj"] == ["Porównanie: wybierz jedną z możliwości z listy."]
