"""Report periods: what the "Generuj raport" form and the ``report`` command ask for,
turned into a first and a last day (both inclusive).

Pure functions of their arguments; "today" is always passed in, so they are easy to test
and the same in the panel and on the command line. A refusal is a ``PeriodError`` naming
the field it is about, with a Polish message that names it too.

A period that is still running (this year, this quarter, this month) ends today: a report
can be made for the year so far. "Last 12 months" means the last twelve *full* calendar
months, without the current month, so that it can be compared month by month with the
twelve before it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)


class Kind:
    YEAR = "rok"
    LAST_12_MONTHS = "12m"
    QUARTER = "kwartal"
    MONTH = "miesiac"
    CUSTOM = "zakres"

    ALL = (YEAR, LAST_12_MONTHS, QUARTER, MONTH, CUSTOM)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class PeriodError(ValueError):
    """A period that cannot be reported on; ``field`` is the form field (URL parameter)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _year_checked(year: int, *, today: date, field: str = "rok") -> None:
    if year < EARLIEST.year:
        raise PeriodError(
            field, _("Rok: raporty obejmują lata od %(year)s.") % {"year": EARLIEST.year}
        )
    if year > today.year:
        raise PeriodError(
            field,
            _("Rok: %(year)s jeszcze się nie zaczął — wybierz rok nie późniejszy niż %(now)s.")
            % {"year": year, "now": today.year},
        )


def _until_today(start: date, end: date, *, today: date, field: str, what: str) -> Period:
    if start > today:
        raise PeriodError(
            field,
            _("%(what)s: ten okres jeszcze się nie zaczął (zaczyna się %(start)s).")
            % {"what": what, "start": start.isoformat()},
        )
    return Period(start, min(end, today))


def year_period(year: int, *, today: date) -> Period:
    """The calendar year; the current year ends today."""
    _year_checked(year, today=today)
    return Period(date(year, 1, 1), min(date(year, 12, 31), today))


def quarter_period(year: int, quarter: int, *, today: date) -> Period:
    """Quarter 1–4 of the year; the current quarter ends today."""
    _year_checked(year, today=today)
    if quarter not in (1, 2, 3, 4):
        raise PeriodError("kwartal", _("Kwartał: wybierz kwartał od I do IV."))
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return _until_today(start, end, today=today, field="kwartal", what=_("Kwartał"))


def month_period(year: int, month: int, *, today: date) -> Period:
    """One calendar month; the current month ends today."""
    if not 1 <= month <= 12:
        raise PeriodError("miesiac", _("Miesiąc: numer miesiąca musi być od 01 do 12."))
    if year < EARLIEST.year:
        raise PeriodError(
            "miesiac",
            _("Miesiąc: raporty obejmują miesiące od stycznia %(year)s.") % {"year": EARLIEST.year},
        )
    start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    return _until_today(start, end, today=today, field="miesiac", what=_("Miesiąc"))


def last_12_months_period(*, today: date) -> Period:
    """The twelve full calendar months before the current one."""
    end = today.replace(day=1) - timedelta(days=1)
    # the month after `end`, one year earlier: end 2026-10-31 → start 2025-11-01
    start = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)
    return Period(start, end)


def custom_period(start: date, end: date, *, today: date) -> Period:
    """Any run of days: not before 2000, not after today, the first not after the last."""
    if start < EARLIEST:
        raise PeriodError(
            "od",
            _("Data „od”: raporty obejmują dni od %(date)s.") % {"date": EARLIEST.isoformat()},
        )
    if start > today:
        raise PeriodError(
            "od",
            _("Data „od” nie może być późniejsza niż dzisiaj (%(today)s).")
            % {"today": today.isoformat()},
        )
    if end > today:
        raise PeriodError(
            "do",
            _(
                "Data „do” nie może być późniejsza niż dzisiaj (%(today)s): w przyszłości nie "
                "ma jeszcze odpowiedzi."
            )
            % {"today": today.isoformat()},
        )
    if end < start:
        raise PeriodError(
            "do",
            _("Data „do” (%(end)s) nie może być wcześniejsza niż data „od” (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    return Period(start, end)


def period_for(
    kind: str,
    *,
    today: date,
    year: int | None = None,
    quarter: int | None = None,
    month: tuple[int, int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period a form choice stands for. Missing values raise PeriodError naming them."""
    if kind == Kind.YEAR:
        if year is None:
            raise PeriodError("rok", _("Rok: podaj rok, np. %(year)s.") % {"year": today.year})
        return year_period(year, today=today)
    if kind == Kind.QUARTER:
        if year is None:
            raise PeriodError(
                "rok",
                _("Rok: podaj rok, którego kwartał ma objąć raport, np. %(year)s.")
                % {"year": today.year},
            )
        if quarter is None:
            raise PeriodError("kwartal", _("Kwartał: wybierz kwartał od I do IV."))
        return quarter_period(year, quarter, today=today)
    if kind == Kind.MONTH:
        if month is None:
            raise PeriodError(
                "miesiac",
                _("Miesiąc: podaj miesiąc w postaci RRRR-MM, np. %(example)s.")
                % {"example": today.strftime("%Y-%m")},
            )
        return month_period(*month, today=today)
    if kind == Kind.LAST_12_MONTHS:
        return last_12_months_period(today=today)
    if kind == Kind.CUSTOM:
        if start is None:
            raise PeriodError("od", _("Data „od”: podaj pierwszy dzień okresu."))
        if end is None:
            raise PeriodError("do", _("Data „do”: podaj ostatni dzień okresu."))
        return custom_period(start, end, today=today)
    raise PeriodError("okres", _("Okres: wybierz jeden z rodzajów okresu z listy."))


def so_far_period(first_response: date | None, *, today: date) -> Period:
    """All results so far: from the first response (or today, when there is none yet)
    to today."""
    start = min(first_response, today) if first_response else today
    return Period(start, today)
