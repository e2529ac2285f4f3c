"""Reads about staff accounts: the office's staff, lock-outs, second-factor devices."""

from base64 import b32encode
from datetime import timedelta
from hashlib import sha256

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def staff_users(*, office) -> QuerySet[User]:
    """The office's staff accounts (not platform operators without an office), with
    ``has_2fa`` telling whether a confirmed TOTP device is set up."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(office=office)
        .annotate(has_2fa=Exists(confirmed))
        .order_by("last_name", "first_name", "username")
    )


def staff_user_get(*, office, user_id) -> User:
    """One staff account of the office; 404 alike for a missing one and another office's."""
    user = staff_users(office=office).filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def usernames_locked_out(*, usernames) -> set[str]:
    """Which of these accounts are locked by too many failed logins right now.

    Reads django-axes' per-account attempts in the database (the per-client counters are
    keyed by a salted hash that the panel cannot and need not know)."""
    usernames = list(usernames)
    if not usernames:
        return set()
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    counts = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
    )
    limit = get_failure_limit(None, None)
    return {row["username"] for row in counts if (row["failures"] or 0) >= limit}


def login_locked(*, request, username: str) -> bool:
    """Is this account, or the client making the request, locked out at the moment?"""
    return AxesProxyHandler.is_locked(request, {"username": username})


def lock_clients_key(username: str) -> str:
    """Where the hashed clients that locked an account are remembered (no address)."""
    return "accounts:lock-clients:" + sha256(username.encode()).hexdigest()


def totp_device_confirmed(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_setup_info(*, device: TOTPDevice) -> dict:
    """What the set-up page shows: the QR code (inline SVG) and the secret for typing in.

    The secret is shown only while the device is not confirmed yet."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, light="#fff", svgclass="otp-qr", lineclass=None
    )
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="otp-qr-label" ', 1)
    return {
        "qr_svg": svg,
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "secret": secret,
    }
