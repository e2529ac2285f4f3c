"""Writes of the reports app."""

from datetime import date

from django.db import transaction
from django.db.models import F, Q

from ocenurzad.offices.models import Office

from .models import ReportRollup, RollupEpoch
from .rollups import month_start, rollups_lock


def rollups_invalidate(*, office: Office, day: date) -> int:
    """Forget the stored counters of the local ``day`` and of its month, so the next report
    counts them again from the raw responses; returns how many rollups were deleted.

    Call it whenever a response of a past day is added, changed or deleted — a paper
    sheet typed in back-dated, corrected (for a changed date: for the old day and the new
    one) or deleted — inside the transaction of that change, so both happen or neither.
    Any caller may call it, any number of times; for today it deletes nothing, as today
    is never stored. It raises the office's rollup epoch in the same transaction, so a
    build that read the raw responses before the change does not store its figures after
    it (rollups/store.py); and it waits while one is being stored (rollups_lock).
    """
    Granularity = ReportRollup.Granularity
    with transaction.atomic():
        rollups_lock(office=office)
        _epoch_raise(office)
        deleted, _by_model = (
            ReportRollup.objects.filter(office=office)
            .filter(
                Q(granularity=Granularity.DAY, period_start=day)
                | Q(granularity=Granularity.MONTH, period_start=month_start(day))
            )
            .delete()
        )
    return deleted


def rollups_on_responses_changed(*, office: Office, days, **_signal) -> None:
    """Receiver of ``responses.signals.responses_days_changed``: forget the stored
    counters of each changed day (``rollups_invalidate``), in the sender's transaction."""
    for day in sorted(days):
        rollups_invalidate(office=office, day=day)


def rollups_invalidate_office(*, office: Office) -> int:
    """Forget every stored counter of the office; returns how many rollups were deleted.

    For writes that touch many past days at once — responses imported or generated in
    bulk (e.g. ``manage.py demo``), responses deleted in bulk — inside their transaction.
    The next report rebuilds what it needs.
    """
    with transaction.atomic():
        rollups_lock(office=office)
        _epoch_raise(office)
        deleted, _by_model = ReportRollup.objects.filter(office=office).delete()
    return deleted


def _epoch_raise(office: Office) -> None:
    """One more invalidation of the office's rollups (inside the caller's transaction,
    under rollups_lock, which serialises this with every other raise of the office)."""
    if not RollupEpoch.objects.filter(office=office).update(number=F("number") + 1):
        RollupEpoch.objects.create(office=office, number=1)
