"""Per-client rate limit without keeping who the client is.

The key is an HMAC of the client address with a salt that changes every day, so the
address itself is never stored and yesterday's keys cannot be recomputed from a log.
Counters live in the shared cache (database or Redis) and expire with their window.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone
from django_ratelimit.core import is_ratelimited


def client_address(request) -> str:
    if settings.NUM_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def client_key(group, request) -> str:
    day = timezone.now().date().isoformat()
    salt = hmac.new(settings.SECRET_KEY.encode(), f"ratelimit:{day}".encode(),
                    hashlib.sha256).digest()
    return hmac.new(salt, client_address(request).encode(), hashlib.sha256).hexdigest()


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
