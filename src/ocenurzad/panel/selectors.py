from datetime import timedelta

from django.utils import timezone


def report_last(*, office):
    """The newest archived report of the office, or None.

    Reports and their archive arrive with the report feature (issue 4); until then no
    report has ever been generated here.
    """
    try:
        from ocenurzad.reports.selectors import archived_report_latest
    except ImportError:
        return None
    return archived_report_latest(office=office)


def yearly_report_due(*, office, now=None) -> bool:
    last = report_last(office=office)
    now = now or timezone.now()
    return last is None or last.created_at < now - timedelta(days=365)
