"""Login and password-reset throttling by client: a salted hash, never the address.

- django-axes locks an *account* after AXES_FAILURE_LIMIT failures, with its database
  handler (``StaffMinimalDatabaseHandler`` below): a lock kept in a cache could be
  evicted by flooding the cache with junk logins from other addresses.
- This module adds the per-*client* limit: LOGIN_CLIENT_FAILURE_LIMIT failures in 15
  minutes from one client (an IPv4 address or an IPv6 /64, see core/clients.py),
  whatever the accounts tried, lock that client for the rest of the window.
- Password-reset mail: PASSWORD_RESET_CLIENT_LIMIT requests an hour from one client and
  PASSWORD_RESET_ADDRESS_LIMIT mails an hour to one e-mail address.

All counters live in the database (core.throttle), where no flood can evict them.
"""

import hashlib
import hmac
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from ocenurzad.core.clients import client_hash
from ocenurzad.core.throttle import counter_count, counter_hit, counter_key, counter_reset

LOGIN_WINDOW = 15 * 60
RESET_WINDOW = 60 * 60


def client_key(request, *_args) -> str:
    """The hashed client (what the per-client lock counts and an unlock frees)."""
    return client_hash(request, purpose="login")


def axes_client_ip(request, *_args) -> None:
    """django-axes keeps no address at all: its lock is per account (username only), and
    its database column for the address accepts only real addresses."""
    return None


def _login_counter(client: str) -> str:
    return counter_key("login-client", client)


def client_login_blocked(request) -> bool:
    """Has this client used up its failures? (Does not count this request.)"""
    count = counter_count(key=_login_counter(client_key(request)), window=LOGIN_WINDOW)
    return count >= settings.LOGIN_CLIENT_FAILURE_LIMIT


def client_login_failed(request) -> None:
    """Count one failed login or wrong code of this client."""
    if request is not None:
        counter_hit(key=_login_counter(client_key(request)), window=LOGIN_WINDOW)


def client_login_reset(*, clients) -> None:
    """Free these (hashed) clients: an administrator unlocked an account they locked."""
    counter_reset(keys=[_login_counter(client) for client in clients])


def password_reset_client_allowed(request) -> bool:
    """Count one reset request of this client; False once it is over its hourly limit."""
    key = counter_key("reset-client", client_hash(request, purpose="password-reset"))
    return counter_hit(key=key, window=RESET_WINDOW) <= settings.PASSWORD_RESET_CLIENT_LIMIT


def password_reset_address_allowed(email: str) -> bool:
    """Count one reset mail to this address; False once it is over its hourly limit.
    The address is kept only as a keyed hash."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()
    key = counter_key("reset-address", digest)
    return counter_hit(key=key, window=RESET_WINDOW) <= settings.PASSWORD_RESET_ADDRESS_LIMIT


class StaffMinimalDatabaseHandler(AxesDatabaseHandler):
    """django-axes' database handler, keeping no more of staff than the lock needs.

    An attempt row holds the username, the failure count and the time — no address, no
    browser (user agent, Accept header), no path, no form data (axes would append every
    failed request's query and form to the row: an attacker hammering a locked account
    would grow it without bound). Rows end with the cool-off (``attempts_purge``)."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request=request, **kwargs)
        request.axes_user_agent = ""
        request.axes_http_accept = ""
        request.axes_path_info = ""
        saved = request.GET, request.POST
        request.GET, request.POST = QueryDict(), QueryDict()
        try:
            super().user_login_failed(sender, credentials, request=request, **kwargs)
        finally:
            request.GET, request.POST = saved
        # axes appends a separator to the (empty) form data on every repeat failure.
        AccessAttempt.objects.filter(username=credentials.get("username")).exclude(
            get_data="", post_data=""
        ).update(get_data="", post_data="")


def attempts_purge() -> int:
    """Forget failed-login attempts older than the cool-off (their lock is over)."""
    threshold = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lte=threshold).delete()
    return deleted
