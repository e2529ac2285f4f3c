"""Per-client limit on accepted survey submissions, without knowing who the client is.

The counter key is a hash of the client's salted daily hash and the office; the counter
lives in the database (SubmitCounter), shared by every app process, and is counted up
atomically in the transaction that stores the response: one statement, no lost counts,
and a refused submission (over the limit, replayed token) counts nothing.
"""

import hashlib
import re

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ocenurzad.core.clients import client_address, client_hash
from ocenurzad.offices.networks import address_in_networks

from .models import SubmitCounter

_RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Counter keys of an office's own network (its hall's guest Wi-Fi) start with this; they
# count everyone there together against OFFICE_NETWORK_RATE_LIMIT.
OFFICE_NETWORK_KEY_PREFIX = "siec-"


class RateLimited(Exception):
    """Too many accepted submissions from this client at this office just now."""


def submit_rate(key: str | None = None) -> tuple[int, int]:
    """SURVEY_RATE_LIMIT ("20/h", "100/15m") as (count, window in seconds); for the counter
    of an office's own network, OFFICE_NETWORK_RATE_LIMIT in the same window."""
    match = _RATE_RE.match(settings.SURVEY_RATE_LIMIT.strip())
    if not match:
        raise ValueError(
            f"SURVEY_RATE_LIMIT must look like 20/h, not {settings.SURVEY_RATE_LIMIT!r}"
        )
    count, multiple, unit = match.groups()
    if int(count) < 1 or multiple == "0":
        raise ValueError(
            "SURVEY_RATE_LIMIT must allow at least one submission in a window longer than "
            f"nothing, not {settings.SURVEY_RATE_LIMIT!r} (RATELIMIT_ENABLE=0 switches it off)"
        )
    window = int(multiple or 1) * _SECONDS[unit]
    if key is not None and key.startswith(OFFICE_NETWORK_KEY_PREFIX):
        return max(1, settings.OFFICE_NETWORK_RATE_LIMIT), window
    return int(count), window


def submit_counter_key(request, *, office_id: int, networks=()) -> str | None:
    """The counter this request counts against, or None when the limit is switched off.

    A client in one of the office's own ``networks`` (its hall's Wi-Fi, where residents
    share one public address) counts against the office network's one shared counter."""
    if not settings.RATELIMIT_ENABLE:
        return None
    if networks and address_in_networks(client_address(request), networks):
        digest = hashlib.sha256(f"office-network:{office_id}".encode()).hexdigest()
        return (OFFICE_NETWORK_KEY_PREFIX + digest)[:64]
    base = f"{client_hash(request, purpose='survey')}:{office_id}"
    return hashlib.sha256(base.encode()).hexdigest()


def submit_counter_statement(*, key: str, now) -> tuple[str, list]:
    """(sql, params) that counts one accepted submission for ``key`` and returns the
    count of the current window (a new window starts again at one)."""
    _limit, window = submit_rate(key)
    period_no = int(now.timestamp()) // window
    table = connection.ops.quote_name(SubmitCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (counter_key, period_no, hits) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
        "ON CONFLICT (counter_key) DO UPDATE SET "
        f"hits = CASE WHEN {table}.period_no = excluded.period_no "
        f"THEN {table}.hits + 1 ELSE 1 END, period_no = excluded.period_no "
        "RETURNING hits"
    )
    return sql, [key, period_no]


def submit_counter_check(hits: int, key: str | None = None) -> None:
    """Raise RateLimited when ``hits`` (what the counter statement returned) is over the
    limit of ``key`` — inside the transaction, so that the raise rolls the submission back."""
    if hits > submit_rate(key)[0]:
        raise RateLimited


def submit_counter_take(*, key: str) -> None:
    """Count one accepted submission; raise RateLimited when that goes over the limit.

    Call inside the transaction that stores the response, so that a raise rolls both back.
    """
    sql, params = submit_counter_statement(key=key, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        hits = cursor.fetchone()[0]
    submit_counter_check(hits, key)


def submit_counters_purge() -> int:
    """Forget counters of windows that are over."""
    _limit, window = submit_rate()
    current = int(timezone.now().timestamp()) // window
    deleted, _ = SubmitCounter.objects.filter(period_no__lt=current).delete()
    return deleted
