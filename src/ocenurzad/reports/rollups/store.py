"""Rollups: the counters of closed days and months, so a report need not read every raw
answer of every year.

A report period is drawn from *parts*: whole closed months from month rollups, the other
closed days at its edges from day rollups, and what is still open (today, and yesterday
for CLOSE_GRACE after midnight) live from the raw responses. Rollups are built lazily, on
first need, from the raw responses, stored and reused; only periods that are over are
ever stored. ``services.rollups_invalidate`` deletes the rollups of a day whose responses
changed (back-dated, corrected or deleted paper sheets); online and kiosk responses are
stamped "now", which is never stored.

A build reads and adds up the raw responses outside any write transaction (on SQLite one
would lock out every resident meanwhile) and stores its rollups in one short transaction
— only if the office's rollup epoch (``RollupEpoch``), which every invalidation raises in
the transaction of its change, is still the one read before reading; so a rollup is never
stored from data that an invalidation has made stale. Storing and invalidating take the
same per-office lock (``rollups_lock``). Two processes building the same rollup are
harmless: the second finds it stored, and the unique constraint (with conflicts ignored)
settles any remaining race.

What a rollup holds: see cells.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ocenurzad.offices.models import Office

from ..models import ReportRollup
from ..selectors import day_start, response_rows, rollup_epoch, rollups_stored
from .cells import ALL, RECORD_SEP, VersionBook, all_cells, gc_paused, tally

# Bump when the shape of cells or texts changes: rows of another schema are never read (a
# report builds the rollups it needs again, ``reports_warm`` rebuilds them all ahead).
# 1: counts only. 2: clustered sums by respondent ("k"), days with responses ("d"), item
# distributions and sums of segments. 3: the segments of each cell but "*" in a column of
# their own (``ReportRollup.segments``), read only by filtered reports.
ROLLUP_SCHEMA = 3
# A day is stored only this long after it ended: a response stamped a moment before
# midnight may still be committing (SQLite waits up to 20 s for its write lock).
CLOSE_GRACE = timedelta(minutes=5)
MONTH = ReportRollup.Granularity.MONTH.value
DAY = ReportRollup.Granularity.DAY.value


# --- Parts of a period -----------------------------------------------------------------


@dataclass
class Part:
    """Counters of a stretch of days inside one calendar month."""

    start: date  # its first day
    month: date  # the first day of its month
    cells: dict
    answers: list  # open answers, newest first (empty when not asked for)


def first_open_day() -> date:
    """The first local day that is not closed yet: never stored, always counted live."""
    return timezone.localdate(timezone.now() - CLOSE_GRACE, timezone.get_default_timezone())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _split(start: date, last: date) -> tuple[list[date], list[date]]:
    """Whole months within start..last (their first days), and the days left over."""
    months, days = [], []
    cursor = start
    while cursor <= last:
        following = next_month(cursor)
        if cursor.day == 1 and following - timedelta(days=1) <= last:
            months.append(cursor)
            cursor = following
        else:
            days.append(cursor)
            cursor += timedelta(days=1)
    return months, days


def _runs(days: list[date]) -> list[list[date]]:
    """Consecutive days grouped: each run is read with one query."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] + timedelta(days=1) == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def period_parts(
    *,
    office: Office,
    start: date,
    end: date,
    book: VersionBook,
    texts: bool = True,
    until: datetime | None = None,
    segments: bool = True,
) -> list[Part]:
    """The parts that make up start..end (local days, both included), newest first,
    with their open answers unless ``texts`` is False. With ``until``, open days count
    only responses submitted before it (a report "as of" a cut-off time). Without
    ``segments`` the stored cells but "*" come without their segments ("s"): enough for
    an unfiltered report, which takes the segments of "*" (a part without "*", counted
    live, has them all).

    Closed days come from rollups (built and stored here when missing), open days live
    from the raw responses. With every rollup stored this is two queries whatever the
    length of the period.
    """
    parts = []
    open_from = first_open_day()
    last_closed = min(end, open_from - timedelta(days=1))
    if start <= last_closed:
        months, days = _split(start, last_closed)
        stored = rollups_stored(
            office=office,
            schema=ROLLUP_SCHEMA,
            months=months,
            days=days,
            texts=texts,
            segments=segments,
        )
        for month in months:
            if (MONTH, month) not in stored:
                stored.update(_build(office=office, granularity=MONTH, starts=[month], book=book))
        for run in _runs([day for day in days if (DAY, day) not in stored]):
            stored.update(_build(office=office, granularity=DAY, starts=run, book=book))
        for (_granularity, first), (cells, answers) in stored.items():
            parts.append(
                Part(
                    start=first,
                    month=month_start(first),
                    cells=cells,
                    answers=answers.split(RECORD_SEP) if texts and answers else [],
                )
            )
    live_from = max(start, open_from)
    if live_from <= end:
        live_until = day_start(end + timedelta(days=1))
        if until is not None:
            live_until = min(live_until, until)
        rows = response_rows(office=office, since=day_start(live_from), until=live_until)
        for month, (cells, answers) in tally(rows, book=book, bucket_of=month_start).items():
            first = max(month, live_from)
            answers = answers if texts else []
            parts.append(Part(start=first, month=month, cells=cells, answers=answers))
    parts.sort(key=lambda part: part.start, reverse=True)
    return parts


def period_parts_of_client_type(
    *,
    office: Office,
    start: date,
    end: date,
    book: VersionBook,
    client_type: str,
    until: datetime | None = None,
) -> list[Part]:
    """The parts of start..end (one a month, newest first) counted live from the raw
    responses of one client type: rollups are kept by department and channel only, so a
    report of one client type reads its period's answers (those of the type alone: the
    database picks them). Slower than the rollups — a year of a large office takes
    seconds — but exact."""
    live_until = day_start(end + timedelta(days=1))
    if until is not None:
        live_until = min(live_until, until)
    rows = response_rows(
        office=office, since=day_start(start), until=live_until, client_type=client_type
    )
    parts = [
        Part(start=max(month, start), month=month, cells=cells, answers=answers)
        for month, (cells, answers) in tally(rows, book=book, bucket_of=month_start).items()
    ]
    parts.sort(key=lambda part: part.start, reverse=True)
    return parts


def rollups_lock(*, office: Office) -> None:
    """Take the office's rollup lock until the end of the current transaction.

    PostgreSQL: a FOR NO KEY UPDATE lock on the office row. It does not conflict with the
    KEY SHARE lock that inserting a response takes, so submissions never wait for it; it
    does serialise rollup builds with ``rollups_invalidate``. SQLite needs nothing more:
    its writing transactions are serialised already (and begin IMMEDIATE here).
    """
    list(
        Office.objects.select_for_update(no_key=True)
        .filter(pk=office.pk)
        .values_list("pk", flat=True)
    )


def _build(*, office: Office, granularity: str, starts: list[date], book: VersionBook) -> dict:
    """Build and store the rollups of one month, or of a run of consecutive days, from the
    raw responses; returns them as ``rollups_stored`` does.

    The raw responses are read and added up outside any write transaction — on SQLite a
    write transaction locks out every other writer, residents' submissions included, for
    as long as it lasts, and counting a month takes a large office a good part of a
    second. Only the storing is one short transaction, and it stores nothing if the
    office's rollups were invalidated since this build began reading (the epoch,
    ``RollupEpoch``): those figures may miss a change, and the next report builds them
    again. The report at hand uses them either way — they are the responses as they
    were when read. Two processes building the same rollup are harmless (the second
    finds it stored, or the unique constraint ignores it)."""
    found = rollups_stored(
        office=office,
        schema=ROLLUP_SCHEMA,
        **{"months" if granularity == MONTH else "days": starts},
    )
    wanted = [first for first in starts if (granularity, first) not in found]
    if not wanted:
        return found
    epoch = rollup_epoch(office=office)  # before reading: see the docstring
    if granularity == MONTH:
        since, until, bucket_of = wanted[0], next_month(wanted[0]), month_start
    else:
        since, until, bucket_of = wanted[0], wanted[-1] + timedelta(days=1), _same_day
    rows = response_rows(office=office, since=day_start(since), until=day_start(until))
    with gc_paused():
        counted = tally(rows, book=book, bucket_of=bucket_of)
    built_at = timezone.now()
    rollups = []
    for first in wanted:
        cells, texts = counted.get(first, ({}, []))
        if cells:
            cells[ALL] = all_cells(cells)
        texts = RECORD_SEP.join(texts)
        found[(granularity, first)] = (cells, texts)
        segments = {key: cell["s"] for key, cell in cells.items() if key != ALL}
        rollups.append(
            ReportRollup(
                office=office,
                granularity=granularity,
                period_start=first,
                schema=ROLLUP_SCHEMA,
                responses=cells[ALL]["n"] if cells else 0,
                cells={
                    key: cell if key == ALL else {k: v for k, v in cell.items() if k != "s"}
                    for key, cell in cells.items()
                },
                segments=segments,
                texts=texts,
                built_at=built_at,
            )
        )
    with transaction.atomic():
        rollups_lock(office=office)
        if rollup_epoch(office=office) != epoch:
            return found  # invalidated meanwhile: not stored, see the docstring
        # Rows of an older schema for these periods make way for the new ones.
        ReportRollup.objects.filter(
            office=office, granularity=granularity, period_start__in=wanted
        ).exclude(schema=ROLLUP_SCHEMA).delete()
        ReportRollup.objects.bulk_create(rollups, ignore_conflicts=True)
    return found


def _same_day(day: date) -> date:
    return day


def rollups_warm(*, office: Office, start: date, end: date | None = None) -> int:
    """Build every missing rollup of start..end (default: the last closed day) now rather
    than at the first report, e.g. from a nightly job; returns how many rollups of the
    period are stored afterwards. Idempotent."""
    last_closed = first_open_day() - timedelta(days=1)
    end = min(end or last_closed, last_closed)
    if start > end:
        return 0
    parts = period_parts(office=office, start=start, end=end, book=VersionBook.of_office(office))
    return len(parts)
