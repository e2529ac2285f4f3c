"""What is kept only for a while, and its purge (run nightly by ``manage.py nightly``).

Every purge below is safe at any time and idempotent; each removes only rows that no
longer do anything (an expired session, a spent token that has expired anyway, a counter
of a window that is over, a failed-login attempt whose lock is over). Later apps add
their own purges here in the same change that adds what they keep (see README,
"Architecture").
"""

from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.utils import timezone

from ocenurzad.accounts.throttling import attempts_purge
from ocenurzad.actions.jobs import reminders_enqueue
from ocenurzad.actions.reminders import reminder_claims_purge
from ocenurzad.core.throttle import counters_purge
from ocenurzad.responses.ratelimit import submit_counters_purge
from ocenurzad.responses.services import used_form_tokens_purge
from ocenurzad.scans.services import scans_purge


def sessions_purge() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


# (what, purge): printed by `manage.py nightly` as "what: N".
PURGES: list[tuple[str, Callable[[], int]]] = [
    ("wygasłe sesje panelu", sessions_purge),
    ("zużyte żetony formularzy ankiety", used_form_tokens_purge),
    ("liczniki limitu ankiet", submit_counters_purge),
    ("liczniki logowania i resetu hasła", counters_purge),
    ("nieudane próby logowania po blokadzie", attempts_purge),
    ("obrazy skanów ankiet po terminie przechowywania", scans_purge),
    ("potwierdzenia wysłanych przypomnień sprzed ponad roku", reminder_claims_purge),
]


def nightly_jobs_enqueue() -> dict[str, int]:
    """Queue the night's background jobs (the worker runs them): reminders and the yearly
    report on schedule, one job per office and day — queued once however often the night
    runs, and each mail claimed before it is sent (actions/jobs.py)."""
    return {"przypomnienia i raport roczny według harmonogramu": len(reminders_enqueue())}


def retention_purge() -> dict[str, int]:
    """Run every purge; returns how many rows each removed."""
    return {label: purge() for label, purge in PURGES}
