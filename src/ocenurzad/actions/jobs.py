"""Reminders and the yearly report on schedule as background jobs: one job per active
office and day, queued by ``manage.py nightly`` (``reminders_enqueue``) and run by the
background worker. ``manage.py reminders`` does the same work at once (for cron).

Safe to run twice, after a worker died half-way, or on two machines at once: the job's key
(office and day) queues it once a day, and every mail and scheduled archive is claimed
(ReminderClaim) before it is sent or made, so a repeated run sends nothing twice.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.jobs.registry import job_handler
from ocenurzad.jobs.services import job_enqueue
from ocenurzad.offices.models import Office

from .reminders import reminders_send, scheduled_archives


@job_handler
def reminders_office_run(job) -> dict:
    """The office's scheduled yearly archive, then its due reminders, for ``params.today``."""
    office = job.office
    today = date.fromisoformat(job.params["today"])
    job.progress(0, 2, note=_("Raport roczny według harmonogramu"))
    archived = scheduled_archives(today=today, offices=[office])
    job.progress(1, 2, note=_("Przypomnienia"))
    sent = reminders_send(today=today, offices=[office])
    job.progress(2, 2, note=_("Gotowe"))
    return {
        "message": _("Wysłano przypomnień: %(sent)s; raportów w archiwum: %(archived)s.")
        % {"sent": len(sent), "archived": len(archived)},
        "sent": len(sent),
        "archived": len(archived),
    }


def reminders_enqueue(*, today: date | None = None, offices=None) -> list:
    """Queue the day's reminders job of every active office (once a day: the key)."""
    today = today or timezone.localdate()
    offices = offices if offices is not None else Office.objects.filter(is_active=True)
    return [
        job_enqueue(
            office=office,
            owner=None,
            handler=reminders_office_run,
            title=_("Przypomnienia i raport roczny według harmonogramu (%(day)s)")
            % {"day": today.isoformat()},
            params={"today": today.isoformat()},
            key=f"reminders:{office.pk}:{today.isoformat()}",
        )
        for office in offices
    ]
