"""Disclosure control: nobody can be singled out, by the staff who served them either.

The threat: an employee knows that they served a resident on a given day, in their own
department, through a given channel, and roughly who the resident was (sex, age, what
they came for). From any report or export they must not be able to tell which answer or
comment is that resident's. Every rule below answers one way of trying:

- a small group shown directly → figures of fewer than ``k`` responses are hidden
  (the report's minimum, ``REPORT_MIN_CELL``), and a report filtered to a group of fewer
  than ``k`` is refused (``filter_refusal``);
- the total minus the shown cells → complementary suppression (``complementary``): the
  hidden cells of a table together always hold at least ``k`` responses, and a cell hidden
  in a table is not shown elsewhere either (a hot spot, the mode difference:
  ``protect_hot_spots``);
- two reports a day apart → a filtered report, the comments and the raw exports cover
  whole calendar months that are over (``whole_months_refusal``, ``comment_months``);
- the day or the order of a comment → a comment shows its month only, and its
  department only where that department had at least ``k`` responses in that month;
  comments are ordered by month, question and text, never by time (``comments_published``);
- a rare profile (the only woman over 70 who came by paper) → raw rows are k-anonymous
  over their profile fields: rare values are suppressed until every combination is
  shared by at least ``k`` rows (``k_anonymize``).

Pure functions of their arguments: no database, no settings, no clock (``today`` passed).
"""

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from operator import itemgetter

from django.utils.translation import gettext as _

SUPPRESSED = None  # a suppressed value in a published profile
# The segment questions of the breakdowns (rollups.SEGMENT_KEYS), by table name.
CLIENT_TYPE_KEY, PURPOSE_KEY = "metryka_rodzaj_klienta", "cel_wizyty"


# -- periods -------------------------------------------------------------------------


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_whole_months(start: date, end: date) -> bool:
    """Does ``start``..``end`` consist of whole calendar months?"""
    return start.day == 1 and end == month_end(end) and start <= end


def last_closed_day(today: date) -> date:
    """The last day of the last month that is over."""
    return today.replace(day=1) - timedelta(days=1)


def whole_months_refusal(start: date, end: date, *, today: date, what: str) -> str | None:
    """Why ``start``..``end`` cannot be used for ``what`` (a filtered report, raw answers)
    — it must be whole calendar months that are over — or None when it can.

    A range that ends a day later than another one differs by that day's answers; a
    month that is still running differs from one day to the next the same way."""
    if is_whole_months(start, end) and end <= last_closed_day(today):
        return None
    last = last_closed_day(today)
    first = start.replace(day=1)
    if first > last:
        first = last.replace(day=1)
    return _(
        "%(what)s obejmuje tylko pełne, zakończone miesiące kalendarzowe, aby nikogo nie "
        "dało się rozpoznać po dniu, w którym wypełnił ankietę. Wybierz okres od pierwszego "
        "dnia miesiąca do ostatniego dnia miesiąca, najpóźniej do %(last)s — na przykład "
        "od %(first)s do %(last)s."
    ) % {"what": what, "last": f"{last:%d.%m.%Y}", "first": f"{first:%d.%m.%Y}"}


def comment_months(start: date, end: date, *, today: date) -> set[str]:
    """The months ("YYYY-MM") whose comments a report of ``start``..``end`` may list: the
    whole calendar months inside the period that are over. A month only partly inside
    the period, or still running, would let two reports a day apart date a comment."""
    out: set[str] = set()
    last = last_closed_day(today)
    month = start if start.day == 1 else month_end(start) + timedelta(days=1)
    while month <= end and month_end(month) <= end and month_end(month) <= last:
        out.add(f"{month:%Y-%m}")
        month = month_end(month) + timedelta(days=1)
    return out


# -- filtered reports ----------------------------------------------------------------


def filter_refusal(*, responses: int, k: int, what: str, previous: int | None = None) -> str | None:
    """Why a report filtered to ``what`` (a department, a channel) is refused, or None.

    Refused — not drawn with its figures hidden — when the filtered group has fewer than
    ``k`` responses in the period or, when compared, in the period before: a report of a
    group of three is a report on three people, whatever is hidden in it."""
    if 0 < responses < k or (previous is not None and 0 < previous < k):
        return _(
            "Nie można pokazać raportu dla: %(what)s — w wybranym okresie%(compare)s ta grupa "
            "liczy mniej niż %(k)d ankiet, a wyniki tak małych grup nie są pokazywane, by "
            "nikogo nie dało się rozpoznać. Wybierz dłuższy okres albo raport bez tego "
            "ograniczenia."
        ) % {
            "what": what,
            "k": k,
            "compare": _(" lub w okresie porównawczym")
            if previous is not None and 0 < previous < k
            else "",
        }
    return None


# -- tables --------------------------------------------------------------------------


def complementary(
    sizes: Sequence[int], k: int, *, remainder: int = 0, avoid: Sequence[bool] = ()
) -> list[bool]:
    """Which cells of a table to hide: each non-empty cell of fewer than ``k`` responses,
    and then, while the hidden cells (with ``remainder``, responses of the table's total
    in no cell) together hold fewer than ``k``, the smallest shown non-empty cell too —
    preferring cells not marked in ``avoid`` (cells whose figures the report publishes
    elsewhere, e.g. as a hot spot: hiding them here would not hide them).

    The total minus the shown cells is then always a group of at least ``k`` (or none),
    so no hidden cell can be recovered from it."""
    hidden = [0 < n < k for n in sizes]
    hidden_total = remainder + sum(n for n, h in zip(sizes, hidden, strict=True) if h)
    if hidden_total == 0:
        return hidden
    avoided = [bool(a) for a in avoid] + [False] * (len(sizes) - len(avoid))
    shown = sorted((avoided[i], n, i) for i, n in enumerate(sizes) if n > 0 and not hidden[i])
    for _avoided, n, index in shown:
        if hidden_total >= k:
            break
        hidden[index] = True
        hidden_total += n
    return hidden


def _blank_cell(cell: dict, *, keep_n: bool) -> None:
    for key in ("mean", "positive_share", "satisfaction_mean", "areas"):
        if key in cell:
            cell[key] = None
    if not keep_n:
        cell["n"] = None
    cell["suppressed"] = True


def protect_breakdowns(
    breakdowns: dict, *, collected, k: int, shown_elsewhere: dict | None = None
) -> dict:
    """Complementary suppression of the tables of responses by department, channel,
    client type and purpose of the visit, in place; returns ``breakdowns``. Responses of
    the report in no cell of a table (who did not answer that question) count as hidden:
    the total minus the shown cells gives only them and the hidden cells together.

    ``shown_elsewhere`` names, by table, the cell keys whose figures the report also
    publishes in another section (hot spots of a department or client type, the mode
    difference of two channels): they are hidden as complements only when no other cell
    will do — and then the other section must leave them out (``hidden_keys``)."""
    shown_elsewhere = shown_elsewhere or {}
    total = collected.total["n"]
    segments = collected.total.get("s") or {}
    tables = {
        "department": lambda key: collected.by_department.get(
            None if key == "none" else _int_or(key), {}
        ).get("n", 0),
        "channel": lambda key: collected.by_channel.get(key, {}).get("n", 0),
        "client_type": lambda key: segments.get(CLIENT_TYPE_KEY, {}).get(key, {}).get("n", 0),
        "purpose": lambda key: segments.get(PURPOSE_KEY, {}).get(key, {}).get("n", 0),
    }
    for name, size_of in tables.items():
        cells = breakdowns.get(name) or []
        sizes = [size_of(cell.get("key")) for cell in cells]
        elsewhere = shown_elsewhere.get(name) or set()
        hide = complementary(
            sizes,
            k,
            remainder=max(total - sum(sizes), 0),
            avoid=[cell.get("key") in elsewhere for cell in cells],
        )
        for cell, hidden in zip(cells, hide, strict=True):
            if hidden and not (cell.get("suppressed") and cell.get("n") is None):
                _blank_cell(cell, keep_n=False)
    return breakdowns


def hidden_keys(breakdowns: dict, name: str) -> set[str]:
    """The keys of the cells of breakdown table ``name`` that are hidden."""
    return {str(cell.get("key")) for cell in breakdowns.get(name) or [] if cell.get("suppressed")}


def protect_hot_spots(hot_spots: dict, breakdowns: dict) -> dict:
    """Leave out, in place, the hot spots of a department or client type whose cell the
    breakdown tables hide: its figures there would give the hidden cell away (the total
    minus the shown cells). Returns ``hot_spots``."""
    hidden = {
        "department": hidden_keys(breakdowns, "department"),
        "client_type": hidden_keys(breakdowns, "client_type"),
    }
    kept = []
    for cell in hot_spots.get("cells") or []:
        group = cell.get("group")
        key = (
            (cell.get("department") or {}).get("id")
            if group == "department"
            else (cell.get("client_type") or {}).get("value")
        )
        if str(key) in hidden.get(group, set()):
            continue
        kept.append(cell)
    hot_spots["cells"] = kept
    return hot_spots


def protect_trend(trend: list[dict], *, k: int) -> list[dict]:
    """Complementary suppression of the months table (months add up to the period), in
    place: counts stay, figures of the months hidden together go."""
    hide = complementary([month.get("n") or 0 for month in trend], k)
    for month, hidden in zip(trend, hide, strict=True):
        if hidden:
            _blank_cell(month, keep_n=True)
    return trend


def _int_or(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


# -- comments ------------------------------------------------------------------------


def comments_published(
    entries: Iterable[tuple[str, int | None, str, str, str]],
    *,
    months: set[str],
    month_sizes: dict[str, int],
    department_month_sizes: dict[tuple[int | None, str], int],
    k: int,
) -> tuple[list[tuple[str | None, int | None, str, str]], int]:
    """Comments as they may be shown: ``entries`` are (local day "YYYY-MM-DD", department
    id, channel, question key, text), newest first; the channel is never shown. Returns
    ((month or None, department id or None, key, text) sorted by month (newest first,
    unshown months last), key and text — never by time; equal ones keep their order — and
    the number of comments left out because their month is not one of ``months``).

    The month is shown when the report's group had at least ``k`` responses in it; the
    department when it had at least ``k`` responses in that month."""
    # Bucketed by the month shown, each bucket sorted by text and then (stably) by
    # question: the same order as sorting all by (question, text) and then by month, in
    # a fraction of the time (a five-year report has about 100,000 comments).
    by_month: dict[str | None, list[tuple[str, str, int | None]]] = {}
    left_out = 0
    for day, department_id, _channel, key, text in entries:
        month = day[:7]
        if month not in months:
            left_out += 1
            continue
        shown_month = month if month_sizes.get(month, 0) >= k else None
        shown_department = (
            department_id
            if shown_month is not None
            and department_id is not None
            and department_month_sizes.get((department_id, month), 0) >= k
            else None
        )
        bucket = by_month.get(shown_month)
        if bucket is None:
            bucket = by_month[shown_month] = []
        bucket.append((key, text, shown_department))
    out = []
    # Months newest first; comments whose month is not shown last.
    for month in sorted(by_month, key=lambda m: m or "", reverse=True):
        bucket = by_month[month]
        bucket.sort(key=itemgetter(1))
        bucket.sort(key=itemgetter(0))
        out += [(month, department_id, key, text) for key, text, department_id in bucket]
    return out, left_out


# -- raw rows ------------------------------------------------------------------------


def k_anonymize(counts: dict[tuple, int], k: int) -> dict[tuple, tuple]:
    """Published profiles for raw rows: ``counts`` maps each profile (a tuple of the
    quasi-identifying values of a row, most useful first) to its number of rows; returns
    each profile's published form, with ``SUPPRESSED`` (None) for suppressed values.

    1. Rare values: a value that fewer than ``k`` rows have in its column is suppressed
       everywhere.
    2. Rare combinations: while some published profile is shared by fewer than ``k``
       rows, each such profile gives up its rarest remaining value (ties: the last, least
       useful column), and the rows are counted again.
    3. The odd ones out: rows whose every value is suppressed could still be told apart
       from the others by elimination, so while there are fewer than ``k`` of them, the
       smallest remaining profile is suppressed whole too.

    Every published profile is then shared by at least ``k`` rows, the all-suppressed
    one included (unless there are fewer than ``k`` rows at all). Deterministic: the same
    counts give the same result."""
    if not counts:
        return {}
    width = len(next(iter(counts)))
    column_counts = [Counter() for _ in range(width)]
    for profile, n in counts.items():
        for column, value in enumerate(profile):
            column_counts[column][value] += n
    published = {
        profile: tuple(
            value if value is SUPPRESSED or column_counts[c][value] >= k else SUPPRESSED
            for c, value in enumerate(profile)
        )
        for profile in counts
    }
    empty = (SUPPRESSED,) * width
    while True:
        sizes: Counter = Counter()
        for profile, n in counts.items():
            sizes[published[profile]] += n
        small = {p for p, n in sizes.items() if n < k and p != empty}
        if not small:
            return _fill_empty(published, sizes, empty, k)
        value_counts = [Counter() for _ in range(width)]
        for p, n in sizes.items():
            for column, value in enumerate(p):
                if value is not SUPPRESSED:
                    value_counts[column][value] += n
        for profile, shown in published.items():
            if shown not in small:
                continue
            column = min(
                (c for c in range(width) if shown[c] is not SUPPRESSED),
                key=lambda c: (value_counts[c][shown[c]], -c),
            )
            published[profile] = (*shown[:column], SUPPRESSED, *shown[column + 1 :])


def _fill_empty(published: dict, sizes: Counter, empty: tuple, k: int) -> dict:
    hidden = sizes.get(empty, 0)
    if hidden == 0 or hidden >= k:
        return published
    others = sorted((n, repr(p), p) for p, n in sizes.items() if p != empty)
    gone = set()
    for n, _text, profile in others:
        if hidden >= k:
            break
        gone.add(profile)
        hidden += n
    return {row: empty if shown in gone else shown for row, shown in published.items()}
