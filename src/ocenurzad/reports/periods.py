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


# --- What a period is, and what it is compared with --------------------------------------


class Compare:
    """What the reader compares a period with (the form's ``porownaj``)."""

    NONE = ""
    PREVIOUS = "poprzedni"  # the previous year, quarter, month, 12 months; custom: before it
    YEAR_AGO = "rok_wczesniej"  # the same dates one year earlier (seasonal offices)

    ALL = (PREVIOUS, YEAR_AGO)


class Shape:
    """What a run of days is, whatever way it was asked for (form kind, or --from/--to)."""

    YEAR = "year"  # a whole calendar year
    YEAR_TO_DATE = "year_to_date"  # 1 January to today, the year still running
    QUARTER = "quarter"
    QUARTER_TO_DATE = "quarter_to_date"
    MONTH = "month"
    MONTH_TO_DATE = "month_to_date"
    TWELVE_MONTHS = "12_months"  # twelve whole calendar months, not a calendar year
    CUSTOM = "custom"


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` (a 1st) to ``end`` (a month's last day)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def period_shape(start: date, end: date, *, today: date, kind: str | None = None) -> str:
    """The shape of start..end: a calendar year, quarter or month (whole, or still running
    and ending today), twelve whole months, or a custom run of days.

    ``kind`` is the kind the reader chose (``Kind``), when known: January 1–15 of a running
    year asked for as a month is the month so far, asked for as a year the year so far.
    Without it (custom days, the command line) a range that is exactly a calendar year,
    quarter or month is one."""
    if kind == Kind.CUSTOM:
        kind = None
    whole = {Shape.YEAR, Shape.QUARTER, Shape.MONTH, Shape.TWELVE_MONTHS}
    wanted = {
        Kind.YEAR: {Shape.YEAR, Shape.YEAR_TO_DATE},
        Kind.QUARTER: {Shape.QUARTER, Shape.QUARTER_TO_DATE},
        Kind.MONTH: {Shape.MONTH, Shape.MONTH_TO_DATE},
        Kind.LAST_12_MONTHS: {Shape.TWELVE_MONTHS},
        None: whole | {Shape.YEAR_TO_DATE, Shape.QUARTER_TO_DATE, Shape.MONTH_TO_DATE},
    }.get(kind, set())
    for shape in _shapes(start, end, today=today):
        if shape in wanted:
            return shape
    return Shape.CUSTOM


def _shapes(start: date, end: date, *, today: date) -> list[str]:
    """Every shape start..end has, whole ones first, then the smaller running ones."""
    shapes = []
    if start.day != 1 or end < start:
        return shapes
    quarter_start = start.month % 3 == 1
    if end == _month_end(end):
        months = _months_between(start, end)
        if months == 12:
            if start.month == 1:
                shapes.append(Shape.YEAR)
            shapes.append(Shape.TWELVE_MONTHS)
        if months == 3 and quarter_start:
            shapes.append(Shape.QUARTER)
        if months == 1:
            shapes.append(Shape.MONTH)
    if end == today and end.year == start.year:
        # the smallest unit first: 1–27 October (today) read from dates alone is the month
        # so far, though it is also the quarter so far
        if end.month == start.month and Shape.MONTH not in shapes:
            shapes.append(Shape.MONTH_TO_DATE)
        if quarter_start and end.month < start.month + 3 and Shape.QUARTER not in shapes:
            shapes.append(Shape.QUARTER_TO_DATE)
        if start.month == 1 and end < date(end.year, 12, 31):
            shapes.append(Shape.YEAR_TO_DATE)
    return shapes


def shift_months(day: date, months: int, *, month_end: bool = False) -> date:
    """``day`` moved by ``months`` calendar months; a day that the target month lacks (31
    March → February, 29 February → a common year) becomes its last day; ``month_end``:
    the last day of the target month whatever the day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


_STEP = {
    Shape.YEAR: 12,
    Shape.YEAR_TO_DATE: 12,
    Shape.TWELVE_MONTHS: 12,
    Shape.QUARTER: 3,
    Shape.QUARTER_TO_DATE: 3,
    Shape.MONTH: 1,
    Shape.MONTH_TO_DATE: 1,
}
_WHOLE = {Shape.YEAR, Shape.TWELVE_MONTHS, Shape.QUARTER, Shape.MONTH}


@dataclass(frozen=True)
class Comparison:
    """A period and the one it is compared with, and how to name them."""

    current: Period
    previous: Period
    shape: str  # Shape of the current period
    how: str  # Compare.PREVIOUS or Compare.YEAR_AGO

    @property
    def equal_length_before(self) -> bool:
        """A custom range compared with the days just before it (said so on the report)."""
        return self.shape == Shape.CUSTOM and self.how == Compare.PREVIOUS

    def name(self, period: Period) -> str:
        return period_name(period, self.shape)

    def note(self) -> str:
        """One sentence saying what the comparison period is, in Polish."""
        previous = self.name(self.previous)
        if self.equal_length_before:
            return _(
                "Okres porównawczy to %(days)d dni bezpośrednio przed wybranym okresem — ta "
                "sama liczba dni: %(previous)s."
            ) % {"days": self.previous.days, "previous": previous}
        running = self.shape in (Shape.YEAR_TO_DATE, Shape.QUARTER_TO_DATE, Shape.MONTH_TO_DATE)
        if self.how == Compare.YEAR_AGO or _STEP.get(self.shape) == 12:
            if running:
                return _(
                    "Okres jeszcze trwa, więc porównano go z tymi samymi dniami rok wcześniej: "
                    "%(previous)s."
                ) % {"previous": previous}
            if self.shape == Shape.YEAR:
                return _("Okres porównawczy: %(previous)s.") % {"previous": previous}
            if self.shape == Shape.TWELVE_MONTHS:
                return _("Okres porównawczy: 12 poprzednich miesięcy, %(dates)s.") % {
                    "dates": _dates(self.previous)
                }
            return _("Okres porównawczy: ten sam okres rok wcześniej, %(previous)s.") % {
                "previous": previous
            }
        if running:
            return _(
                "Okres jeszcze trwa, więc porównano go z tymi samymi dniami poprzedniego "
                "%(unit)s: %(previous)s."
            ) % {
                "unit": _("kwartału") if self.shape == Shape.QUARTER_TO_DATE else _("miesiąca"),
                "previous": previous,
            }
        return _("Okres porównawczy: %(previous)s.") % {"previous": previous}


def comparison_period(
    start: date, end: date, *, how: str, today: date, kind: str | None = None
) -> Comparison:
    """What start..end is compared with.

    A calendar year with the previous year; a quarter with the previous quarter, or with
    the same quarter a year earlier (``how`` = YEAR_AGO); a month likewise; twelve whole
    months with the twelve before; a year, quarter or month still running (ending today)
    with the same dates of the period before (or a year earlier); a custom range with the
    range of equal length just before it (or the same dates a year earlier). Month ends
    stay month ends (Q2 → Q1 ends on 31 March); 29 February a year earlier is 28 February.
    ``kind``: see ``period_shape``.
    """
    if how not in Compare.ALL:
        raise ValueError(f"unknown comparison {how!r}")
    current = Period(start, end)
    shape = period_shape(start, end, today=today, kind=kind)
    if shape == Shape.CUSTOM and how == Compare.PREVIOUS:
        length = timedelta(days=current.days)
        previous = Period(start - length, start - timedelta(days=1))
        return Comparison(current, previous, shape, how)
    step = 12 if how == Compare.YEAR_AGO else _STEP.get(shape, 12)
    whole = shape in _WHOLE
    previous = Period(shift_months(start, -step), shift_months(end, -step, month_end=whole))
    return Comparison(current, previous, shape, how)


_QUARTER_NAMES = ("I", "II", "III", "IV")


def _month_name(day: date) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS[day.month]).lower()


def _dates(period: Period) -> str:
    return f"{period.start:%d.%m.%Y} – {period.end:%d.%m.%Y}"


def period_name(period: Period, shape: str | None = None) -> str:
    """A period in words, with its dates where the words do not say them all:
    "rok 2025", "II kwartał 2025", "marzec 2025", "01.01.2026 – 10.03.2026 (od początku
    roku)", "01.11.2024 – 31.10.2025 (12 miesięcy)", "05.01.2025 – 20.02.2025"."""
    start, end = period.start, period.end
    whole_months = start.day == 1 and end == _month_end(end)
    months = _months_between(start, end) if whole_months else 0
    if months == 12 and start.month == 1:
        return _("rok %(year)d") % {"year": start.year}
    if months == 3 and start.month % 3 == 1:
        return _("%(quarter)s kwartał %(year)d") % {
            "quarter": _QUARTER_NAMES[start.month // 3],
            "year": start.year,
        }
    if months == 1:
        return f"{_month_name(start)} {start.year}"
    if months == 12:
        return _("%(dates)s (12 miesięcy)") % {"dates": _dates(period)}
    if shape == Shape.YEAR_TO_DATE or (
        shape in (Shape.YEAR, Shape.YEAR_TO_DATE) and start.month == 1 and start.day == 1
    ):
        return _("%(dates)s (od początku roku)") % {"dates": _dates(period)}
    return _dates(period)
