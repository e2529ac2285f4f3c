"""Figures as a Polish reader expects them: 4,12 · 78% · 12 500 · 01.03.2025.

Every builder of a human-readable format (HTML, PDF, chart labels) formats through
here, so a figure reads the same wherever it is shown. Spreadsheets keep real numbers
and let the spreadsheet program format them.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext as _

from ocenurzad.responses.models import Channel

MISSING = "—"
NBSP = "\u00a0"
MINUS = "\u2212"


def _rounded(value: float, places: int) -> Decimal:
    # Half up, as people round by hand (Python's round() rounds half to even).
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_number(value: float | None, places: int = 2) -> str:
    """4.1 -> "4,10"; None -> "—"."""
    if value is None:
        return MISSING
    text = f"{_rounded(value, places):f}"
    sign = ""
    if text.startswith("-"):
        text = text[1:]
        sign = MINUS if _rounded(value, places) != 0 else ""
    whole, _dot, fraction = text.partition(".")
    whole = fmt_int(int(whole))
    return f"{sign}{whole},{fraction}" if fraction else f"{sign}{whole}"


def fmt_mean(value: float | None) -> str:
    return fmt_number(value, 2)


def fmt_diff(value: float | None) -> str:
    """A change, always signed: +0,12 · 0,00 · and a minus sign (U+2212) for a fall."""
    if value is None:
        return MISSING
    text = fmt_number(value, 2)
    return text if text.startswith(MINUS) or _rounded(value, 2) == 0 else f"+{text}"


def fmt_share(value: float | None) -> str:
    """A share 0..1 as whole percent: 0.785 -> "79%"."""
    if value is None:
        return MISSING
    return f"{_rounded(value * 100, 0):f}%"


def fmt_int(value: int | None) -> str:
    """12500 -> "12 500" (no-break space); four-digit numbers stay whole, as in Polish."""
    if value is None:
        return MISSING
    sign = MINUS if value < 0 else ""
    digits = str(abs(int(value)))
    if len(digits) <= 4:
        return sign + digits
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + NBSP.join(groups)


def fmt_n(value: int | None) -> str:
    """The base of a figure: "n = 1 100"."""
    return f"n{NBSP}={NBSP}{fmt_int(value)}"


def fmt_date(value: str | None) -> str:
    """ISO date -> "01.03.2025"."""
    if not value:
        return MISSING
    day = date.fromisoformat(value[:10])
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def fmt_datetime(value: str | None) -> str:
    """ISO date-time (with its offset, as stored) -> "23.11.2026, 17:00"."""
    if not value:
        return MISSING
    moment = datetime.fromisoformat(value)
    return f"{fmt_date(value)}, {moment.hour:02d}:{moment.minute:02d}"


def fmt_period(start: str | None, end: str | None) -> str:
    return f"{fmt_date(start)} – {fmt_date(end)}"


def fmt_month(value: str, *, short: bool = False) -> str:
    """ "2025-03" -> "Marzec 2025" (or "mar 2025")."""
    return f"{fmt_month_name(value, short=short)} {value[:4]}"


def fmt_month_name(value: str, *, short: bool = False) -> str:
    """ "2025-03" -> "Marzec" (or "mar")."""
    month = int(value.split("-")[1])
    return str((MONTHS_3 if short else MONTHS)[month])


def fmt_ci(interval: list | None) -> str:
    """[0.05, 0.19] -> "od +0,05 do +0,19"."""
    if not interval or interval[0] is None or interval[1] is None:
        return MISSING
    return _("od %(low)s do %(high)s") % {
        "low": fmt_diff(interval[0]),
        "high": fmt_diff(interval[1]),
    }


def channel_label(value: str | None) -> str:
    """ "paper" -> "papierowa", as the rest of the panel names channels."""
    if not value:
        return MISSING
    try:
        return str(Channel(value).label)
    except ValueError:
        return value
