"""When paper sheets were filled in: one day, or only the period they were collected in.

A sheet handed over at the desk has its day. A sheet from an urn emptied once a month has
none: all that is known is the period, e.g. 01.11–30.11.2026. Such a sheet keeps both
ends of the period (``Response.period_start`` / ``period_end``) and is counted in reports
on the period's **middle day** (``SheetDate.day``, stored as ``submitted_at``): the best
single guess for sheets dropped in evenly over the period, which puts a period of whole
months and any period inside one month in its own month. A period crossing a month (or a
year) still lands in one of them — the clerk is warned when typing it
(``sheet_date_warnings``) and each report says how many of its sheets were dated by a
period and how many of those periods reach outside the report's own period
(``reports.selectors.responses_dated_by_period``).

The clerk types, in the one field "Data lub okres wypełnienia":

- ``05.12.2026``, ``5.12.2026``, ``2026-12-05`` — a day; ``05.12`` — the latest such day
  not after today (a December backlog typed in January is last year's);
- ``01.11.2026–30.11.2026`` (a dash, an en dash or ``..`` between) — a period; its start
  may leave out the year (``01.11–30.11.2026``);
- ``11.2026`` — the whole month (up to today while it lasts).
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = date(2000, 1, 1)
# A longer period cannot be put in a month or even a quarter of a report (settings can
# change it: PAPER_PERIOD_MAX_DAYS).
PERIOD_MAX_DAYS = 92

_DAY = r"\d{1,2}\.\d{1,2}\.?(?:\d{4})?|\d{4}-\d{2}-\d{2}"
_PERIOD = re.compile(rf"({_DAY})\s*(?:–|—|-|\.\.)\s*({_DAY})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class SheetDate:
    """A day (``start == end``) or a period of collection, both ends included."""

    start: date
    end: date

    @classmethod
    def of(cls, day: date) -> "SheetDate":
        return cls(day, day)

    @classmethod
    def of_response(cls, response) -> "SheetDate":
        """What was typed for a stored response (its period, else its day)."""
        if response.period_start is not None and response.period_end is not None:
            return cls(response.period_start, response.period_end)
        return cls.of(timezone.localdate(response.submitted_at))

    @property
    def is_period(self) -> bool:
        return self.start != self.end

    @property
    def day(self) -> date:
        """The day reports count the sheets on: the day itself, or the period's middle
        (of an even number of days, the earlier of the two middle days)."""
        return self.start + timedelta(days=(self.end - self.start).days // 2)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def text(self) -> str:
        """As the clerk types it: dd.mm.rrrr, or dd.mm.rrrr–dd.mm.rrrr."""
        if not self.is_period:
            return date_text(self.start)
        return f"{date_text(self.start)}–{date_text(self.end)}"

    def stored(self) -> dict:
        """The response's fields for this date (``submitted_at`` aside)."""
        if not self.is_period:
            return {"period_start": None, "period_end": None}
        return {"period_start": self.start, "period_end": self.end}


def date_text(value: date) -> str:
    """A date as the clerk types it: dd.mm.rrrr."""
    return value.strftime("%d.%m.%Y")


def period_max_days() -> int:
    return int(getattr(settings, "PAPER_PERIOD_MAX_DAYS", PERIOD_MAX_DAYS))


def _one_day(typed: str, *, latest: date) -> date | None:
    """A typed day, or None when it is not a real one. Without a year: the latest such
    day not after ``latest``."""
    if match := _ISO_DATE.fullmatch(typed):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DOTTED_DATE.fullmatch(typed.rstrip(".")):
        day, month, year = (int(part) for part in match.groups())
    elif match := _DAY_MONTH.fullmatch(typed):
        day, month = (int(part) for part in match.groups())
        year = latest.year
        try:
            if date(year, month, day) > latest:
                year -= 1
        except ValueError:
            pass
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def sheet_date_read(typed: str, *, today: date) -> tuple[SheetDate | None, str | None]:
    """(the day or period typed, None) or (None, a Polish message naming the field)."""
    raw = typed.strip()
    if raw == "":
        return None, _(
            "Podaj datę wypełnienia ankiety (dd.mm.rrrr) albo okres, w którym ją zebrano "
            "(dd.mm.rrrr–dd.mm.rrrr)."
        )
    if match := _PERIOD.fullmatch(raw):
        end = _one_day(match.group(2), latest=today)
        start = _one_day(match.group(1), latest=end) if end is not None else None
        if start is None or end is None:
            return None, _(
                "Okres wypełnienia: wpisz dwie prawdziwe daty, np. 01.11.2026–30.11.2026."
            )
        return _checked(SheetDate(start, end), today=today)
    if match := _MONTH.fullmatch(raw):
        month, year = (int(part) for part in match.groups())
        if not 1 <= month <= 12 or year < 1:
            return None, _("Okres wypełnienia: miesiąc wpisuje się jako mm.rrrr, np. 11.2026.")
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        if start <= today < end:
            end = today  # the month so far
        return _checked(SheetDate(start, end), today=today)
    day = _one_day(raw, latest=today)
    if day is None:
        return None, _(
            "Data wypełnienia: wpisz prawdziwą datę w postaci dd.mm.rrrr albo okres "
            "dd.mm.rrrr–dd.mm.rrrr."
        )
    return _checked(SheetDate.of(day), today=today)


def _checked(value: SheetDate, *, today: date) -> tuple[SheetDate | None, str | None]:
    error = sheet_date_error(value, today=today)
    return (None, error) if error else (value, None)


def sheet_date_error(value: SheetDate, *, today: date) -> str | None:
    """Why this day or period cannot be stored (in Polish, naming the field), else None."""
    if not value.is_period:
        if value.start > today:
            return _("Data wypełnienia nie może być późniejsza niż dzisiaj (%(today)s).") % {
                "today": date_text(today)
            }
        if value.start < EARLIEST_DATE:
            return _("Data wypełnienia nie może być wcześniejsza niż 1 stycznia 2000.")
        return None
    names = {"start": date_text(value.start), "end": date_text(value.end)}
    if value.end < value.start:
        return (
            _("Okres wypełnienia: koniec (%(end)s) jest wcześniejszy niż początek (%(start)s).")
            % names
        )
    if value.end > today:
        return _(
            "Okres wypełnienia: koniec (%(end)s) nie może być późniejszy niż dzisiaj (%(today)s)."
        ) % {**names, "today": date_text(today)}
    if value.start < EARLIEST_DATE:
        return _("Okres wypełnienia nie może zaczynać się przed 1 stycznia 2000.")
    if value.days > period_max_days():
        return _(
            "Okres wypełnienia może trwać najwyżej %(max)d dni (kwartał), a od %(start)s do "
            "%(end)s jest %(days)d dni: ankiet zebranych przez tak długi czas nie da się "
            "przypisać do miesiąca ani kwartału raportu. Wprowadź je w krótszych okresach "
            "albo wpisz dzień."
        ) % {**names, "max": period_max_days(), "days": value.days}
    return None


def sheet_date_warnings(value: SheetDate) -> list[str]:
    """What the clerk should know before storing sheets with this period (not errors): a
    period across a month or a year is counted in the month of its middle day only."""
    if not value.is_period or (value.start.year, value.start.month) == (
        value.end.year,
        value.end.month,
    ):
        return []
    what = _("roku") if value.start.year != value.end.year else _("miesiąca")
    return [
        _(
            "Uwaga: okres przekracza granicę %(what)s — w raportach miesięcznych cały stos "
            "trafi do miesiąca %(month)s (środek okresu: %(day)s). Jeżeli się da, rozdziel "
            "arkusze według miesięcy."
        )
        % {"what": what, "day": date_text(value.day), "month": value.day.strftime("%m.%Y")}
    ]
