"""Login throttling by client: a salted hash, never the address.

django-axes locks an account after repeated failures. This module adds the per-client
limit: LOGIN_CLIENT_FAILURE_LIMIT failures in 15 minutes from one client, whatever the
accounts tried, lock that client for the rest of the window.
"""

from django.conf import settings
from django_ratelimit.core import get_usage, is_ratelimited

from ocenurzad.core.clients import client_hash

_GROUP = "login-client-failures"


def client_key(request, *_args) -> str:
    return client_hash(request, purpose="login")


def _rate() -> str:
    return f"{settings.LOGIN_CLIENT_FAILURE_LIMIT}/15m"


def client_login_blocked(request) -> bool:
    """Has this client used up its failures? (Does not count this request.)"""
    usage = get_usage(
        request, group=_GROUP, key=lambda g, r: client_key(r), rate=_rate(), increment=False
    )
    return usage is not None and usage["count"] >= usage["limit"]


def client_login_failed(request) -> None:
    """Count one failed login or wrong code of this client."""
    if request is not None:
        is_ratelimited(
            request, group=_GROUP, key=lambda g, r: client_key(r), rate=_rate(), increment=True
        )
