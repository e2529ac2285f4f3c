"""Rollups: counters of closed days and months, built on first need, stored, reused,
forgotten when a past day's responses change, never stored for what is still open."""

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ocenurzad.reports import selectors
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.models import ReportRollup
from ocenurzad.reports.rollups import ROLLUP_SCHEMA, rollups_warm, store
from ocenurzad.reports.services import rollups_invalidate, rollups_invalidate_office
from ocenurzad.responses.models import Response

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2025, 6, 18, 12, 0, tzinfo=WARSAW)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def respond(office, day, *, rating=4, clock=time(12), channel="paper"):
    return Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=channel,
        submitted_at=datetime.combine(day, clock, tzinfo=WARSAW),
        answers={"wizerunek_lokalizacja": rating, "ocena_ogolna": rating},
    )


def stored(office) -> list[tuple[str, str]]:
    return sorted(
        (r.granularity, r.period_start.isoformat())
        for r in ReportRollup.objects.filter(office=office)
    )


def responses_of(report) -> int:
    return report["method"]["responses"]


@pytest.mark.django_db
def test_rollups_are_built_on_first_need_for_closed_days_and_months_only(office):
    respond(office, date(2025, 4, 30))
    respond(office, date(2025, 6, 17))
    assert stored(office) == []

    report = report_compute(office=office, start=date(2025, 4, 29), end=TODAY)

    assert responses_of(report) == 2
    assert stored(office) == [
        ("day", "2025-04-29"),
        ("day", "2025-04-30"),
        *[("day", f"2025-06-{d:02d}") for d in range(1, 18)],
        ("month", "2025-05-01"),
    ]
    rollup = ReportRollup.objects.get(office=office, granularity="day", period_start="2025-04-30")
    assert (rollup.responses, rollup.schema) == (1, ROLLUP_SCHEMA)


@pytest.mark.django_db
def test_stored_rollups_are_reused_without_reading_raw_answers(office):
    for day in range(1, 29):
        respond(office, date(2025, 2, day))
    first = report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 5, 31))

    with CaptureQueriesContext(connection) as queries:
        again = report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 5, 31))

    assert responses_of(again) == responses_of(first) == 28
    # only the count of sheets dated by a period, which reads an index of those alone
    raw = [q["sql"] for q in queries.captured_queries if "responses_response" in q["sql"]]
    assert len(raw) == 1
    assert '"responses_response"."period_start" IS NOT NULL' in raw[0]
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]


@pytest.mark.django_db
def test_a_back_dated_sheet_counts_once_its_day_is_invalidated(office, other_office):
    respond(office, date(2025, 5, 10))
    respond(other_office, date(2025, 5, 10))
    period = {"office": office, "start": date(2025, 5, 1), "end": date(2025, 5, 31)}
    assert responses_of(report_compute(**period)) == 1
    report_compute(office=other_office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    sheet = respond(office, date(2025, 5, 20))  # typed in today, dated on the sheet
    assert responses_of(report_compute(**period)) == 1  # what invalidation is for

    assert rollups_invalidate(office=office, day=date(2025, 5, 20)) == 1
    assert responses_of(report_compute(**period)) == 2
    assert stored(other_office) == [("month", "2025-05-01")]  # other offices untouched

    sheet.submitted_at = datetime.combine(date(2025, 4, 2), time(12), tzinfo=WARSAW)
    sheet.save()  # a correction of the date: both days
    rollups_invalidate(office=office, day=date(2025, 5, 20))
    rollups_invalidate(office=office, day=date(2025, 4, 2))
    assert responses_of(report_compute(**period)) == 1
    sheet.delete()
    rollups_invalidate(office=office, day=date(2025, 4, 2))
    assert responses_of(report_compute(office=office, start=date(2025, 4, 1), end=TODAY)) == 1


@pytest.mark.django_db
def test_invalidation_forgets_the_day_and_its_month_only(office):
    report_compute(office=office, start=date(2025, 3, 30), end=date(2025, 5, 2))
    before = stored(office)

    rollups_invalidate(office=office, day=date(2025, 4, 15))
    rollups_invalidate(office=office, day=date(2025, 3, 30))
    assert rollups_invalidate(office=office, day=TODAY) == 0  # never stored anyway

    assert set(before) - set(stored(office)) == {("month", "2025-04-01"), ("day", "2025-03-30")}


@pytest.mark.django_db
def test_a_bulk_import_forgets_every_rollup_of_its_office_only(office, other_office):
    for each in (office, other_office):
        report_compute(office=each, start=date(2025, 4, 1), end=date(2025, 5, 31))
    Response.objects.bulk_create(
        [Response(office=office, version=office.survey.current_version, channel="paper",
                  submitted_at=datetime(2025, 4, d, 12, tzinfo=WARSAW), answers={})
         for d in range(1, 11)]
    )  # fmt: skip

    assert rollups_invalidate_office(office=office) == 2

    assert stored(office) == []
    assert stored(other_office) == [("month", "2025-04-01"), ("month", "2025-05-01")]
    report = report_compute(office=office, start=date(2025, 4, 1), end=date(2025, 5, 31))
    assert responses_of(report) == 10


@pytest.mark.django_db
def test_today_is_never_stored_and_always_counted_live(office):
    respond(office, TODAY, clock=time(8))
    assert responses_of(report_compute(office=office, start=date(2025, 6, 1), end=TODAY)) == 1

    respond(office, TODAY, clock=time(11), channel="online")

    assert responses_of(report_compute(office=office, start=date(2025, 6, 1), end=TODAY)) == 2
    assert ("day", TODAY.isoformat()) not in stored(office)
    assert ("month", "2025-06-01") not in stored(office)


@pytest.mark.django_db
def test_yesterday_stays_open_just_after_midnight(office, monkeypatch):
    """A response stamped a moment before midnight may commit a moment after it."""
    just_after = datetime(2025, 7, 1, 0, 2, tzinfo=WARSAW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: just_after)
    report_compute(office=office, start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert ("month", "2025-06-01") not in stored(office)

    respond(office, date(2025, 6, 30), clock=time(23, 59, 59), channel="online")

    report = report_compute(office=office, start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert responses_of(report) == 1


@pytest.mark.django_db
def test_a_rollup_of_an_older_schema_is_rebuilt(office):
    respond(office, date(2025, 5, 10))
    report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))
    ReportRollup.objects.filter(office=office).update(schema=ROLLUP_SCHEMA - 1, cells={})

    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    assert responses_of(report) == 1
    assert list(ReportRollup.objects.values_list("schema", flat=True)) == [ROLLUP_SCHEMA]


@pytest.mark.django_db
def test_warming_builds_every_closed_period_ahead_of_the_first_report(office):
    respond(office, date(2025, 3, 3))

    assert rollups_warm(office=office, start=date(2025, 3, 1)) == 3 + 17  # Mar–May, June 1–17

    with CaptureQueriesContext(connection) as queries:
        report = report_compute(office=office, start=date(2025, 3, 1), end=date(2025, 6, 17))
    assert responses_of(report) == 1
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]


@pytest.mark.django_db
def test_a_rollup_stored_meanwhile_by_another_process_is_kept(office, monkeypatch):
    """Two processes building the same month: the loser of the race stores nothing and
    fails nothing."""
    respond(office, date(2025, 5, 10))
    real = selectors.rollups_stored
    calls = []

    def as_if_not_stored_yet(**kwargs):
        calls.append(kwargs)
        found = real(**kwargs)
        if len(calls) == 2:  # the check under the lock: the other process wins meanwhile
            ReportRollup.objects.create(
                office=office,
                granularity="month",
                period_start=date(2025, 5, 1),
                schema=ROLLUP_SCHEMA,
                responses=1,
                cells={},
                built_at=NOW,
            )
        return found

    monkeypatch.setattr("ocenurzad.reports.rollups.store.rollups_stored", as_if_not_stored_yet)
    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    assert responses_of(report) == 1
    assert stored(office) == [("month", "2025-05-01")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_build_each_rollup_once(office):
    """Real concurrency needs a database that runs writers side by side; SQLite
    serialises them (and its in-memory test database is one connection's)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite runs one writer at a time")
    for day in range(1, 29):
        respond(office, date(2025, 2, day))
    results, errors = [], []
    barrier = threading.Barrier(3)

    def run():
        try:
            barrier.wait()
            report = report_compute(office=office, start=date(2024, 12, 20), end=TODAY)
            results.append(responses_of(report))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and results == [28, 28, 28]
    periods = stored(office)
    assert len(periods) == len(set(periods)) == 12 + 5 + 17  # Dec 20–31, Jan–May, June 1–17


@pytest.mark.django_db
def test_a_first_format_rollup_is_never_read_and_reports_warm_replaces_it(office):
    """Rollups of schema 1 (counts only, before the clustered sums) must not be misread as
    having no respondents: they are ignored, rebuilt, and reports_warm drops the rest."""
    from io import StringIO

    from django.core.management import call_command

    respond(office, date(2025, 5, 10), rating=2)
    respond(office, date(2025, 5, 11), rating=4)
    report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))
    old = ReportRollup.objects.get(office=office)
    cells = {key: {k: v for k, v in cell.items() if k not in ("k", "d")}
             for key, cell in old.cells.items()}  # fmt: skip
    ReportRollup.objects.filter(pk=old.pk).update(schema=1, cells=cells)
    ReportRollup.objects.create(  # a day of an old format inside a month now stored whole
        office=office, granularity="day", period_start=date(2025, 4, 2), schema=1,
        responses=0, cells={}, texts="", built_at=NOW,
    )  # fmt: skip

    out = StringIO()
    call_command("reports_warm", office.slug, stdout=out)

    assert set(ReportRollup.objects.filter(office=office).values_list("schema", flat=True)) == {
        ROLLUP_SCHEMA
    }
    assert "usunięto 1 sum w starszym formacie" in out.getvalue()
    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))
    assert (report["overall"]["n"], report["overall"]["mean"]) == (2, 3.0)
    assert report["overall"]["ci95"] is not None


@pytest.mark.django_db
def test_clustered_sums_add_up_from_days_months_and_live_parts_alike(office):
    """The same responses give the same sums whether read from a month rollup, day
    rollups or live: a report across a month's end, stored in parts, equals one read raw."""
    for day, rating in ((date(2025, 5, 30), 2), (date(2025, 5, 31), 5), (date(2025, 6, 2), 4),
                        (TODAY, 3)):  # fmt: skip
        respond(office, day, rating=rating)
    whole = report_compute(office=office, start=date(2025, 5, 1), end=TODAY)
    ReportRollup.objects.all().delete()
    days = report_compute(office=office, start=date(2025, 5, 30), end=TODAY)

    assert whole["overall"] == days["overall"]
    assert whole["overall"]["n"] == 4 and whole["overall"]["n_ratings"] == 4
    month = ReportRollup.objects.filter(office=office, granularity="day").count()
    assert month > 0  # the edge days came from day rollups


# Building outside the write transaction: the epoch keeps a stale build from being stored


@pytest.mark.django_db(transaction=True)  # no test transaction around it
def test_the_raw_answers_are_read_and_counted_outside_any_transaction(office, monkeypatch):
    # On SQLite a write transaction locks out every resident: counting a month in one
    # would keep them waiting for as long as the count takes.
    respond(office, date(2025, 5, 10))
    real = store.tally
    seen = []

    def counting(rows, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(rows, **kwargs)

    monkeypatch.setattr(store, "tally", counting)
    with CaptureQueriesContext(connection) as queries:
        report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    assert responses_of(report) == 1
    assert seen == [False]
    assert stored(office) == [("month", "2025-05-01")]
    # the one write transaction stores; the responses were read before it began
    sql = [q["sql"] for q in queries.captured_queries]
    read = max(i for i, q in enumerate(sql) if '"responses_response"."answers"' in q)
    insert = next(
        i for i, q in enumerate(sql) if q.startswith("INSERT") and "reports_reportrollup" in q
    )
    assert read < insert


@pytest.mark.django_db
def test_a_build_that_read_before_a_change_does_not_store_its_stale_figures(office, monkeypatch):
    # Given a build that has read May's responses (one) when a back-dated sheet of May is
    # typed in, with its invalidation, before the build stores its figures …
    respond(office, date(2025, 5, 10))
    real = store.tally
    late = []

    def then_a_sheet_is_typed_in(rows, **kwargs):
        counted = real(rows, **kwargs)  # the responses have been read
        if not late:
            late.append(respond(office, date(2025, 5, 20)))
            rollups_invalidate(office=office, day=date(2025, 5, 20))
        return counted

    monkeypatch.setattr(store, "tally", then_a_sheet_is_typed_in)
    period = {"office": office, "start": date(2025, 5, 1), "end": date(2025, 5, 31)}

    # … then that report counts what it read, and stores nothing …
    assert responses_of(report_compute(**period)) == 1
    assert stored(office) == []
    # … so the next one counts the sheet too, and stores that
    assert responses_of(report_compute(**period)) == 2
    assert stored(office) == [("month", "2025-05-01")]
    assert responses_of(report_compute(**period)) == 2


@pytest.mark.django_db
def test_every_invalidation_raises_the_epoch_of_its_office_only(office, other_office):
    assert selectors.rollup_epoch(office=office) == 0
    rollups_invalidate(office=office, day=date(2025, 5, 20))
    rollups_invalidate(office=office, day=TODAY)  # stores nothing, still counted
    rollups_invalidate_office(office=office)
    assert selectors.rollup_epoch(office=office) == 3
    assert selectors.rollup_epoch(office=other_office) == 0
