"""Knowing a client again for a short while without knowing who it is.

``client_hash`` is an HMAC of the client address with a salt that changes every day: the
address itself is never stored, and yesterday's hashes cannot be recomputed from a log.
Used by the survey rate limit and the login throttle.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone


def client_address(request) -> str:
    if settings.NUM_PROXIES:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= settings.NUM_PROXIES:
            return hops[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def client_hash(request, *, purpose: str) -> str:
    day = timezone.now().date().isoformat()
    salt = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{day}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(salt, client_address(request).encode(), hashlib.sha256).hexdigest()
