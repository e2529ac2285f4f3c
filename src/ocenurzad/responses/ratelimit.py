"""Per-client rate limit on survey submissions, keyed by a salted daily hash.

Counters live in the shared cache (database or Redis) and expire with their window.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from ocenurzad.core.clients import client_hash


def client_key(group, request) -> str:
    return client_hash(request, purpose="survey")


def survey_submit_limited(request, *, office_id: int) -> bool:
    """Count this submission; True when the client is over the limit for this office."""
    if not settings.RATELIMIT_ENABLE:
        return False
    return is_ratelimited(
        request,
        group=f"survey-submit:{office_id}",
        key=client_key,
        rate=settings.SURVEY_RATE_LIMIT,
        increment=True,
    )
