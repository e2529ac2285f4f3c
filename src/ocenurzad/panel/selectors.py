from datetime import timedelta

from django.utils import timezone

from ocenurzad.reports.archive import archived_report_latest


def report_last(*, office):
    """The newest archived report of the office, or None."""
    return archived_report_latest(office=office)


def yearly_report_due(*, office, now=None) -> bool:
    last = report_last(office=office)
    now = now or timezone.now()
    return last is None or last.created_at < now - timedelta(days=365)
