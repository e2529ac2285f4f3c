"""Fixed-window counters in the database (ThrottleCounter), shared by every app process.

One statement counts a hit and returns the count of the current window, so concurrent
requests never lose a count; the cache is not used because it can be flooded until it
evicts the counter that holds a lock.
"""

import hashlib
import time

from django.db import connection

from .models import ThrottleCounter


def counter_key(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def _window_end(window: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return (int(now) // window + 1) * window


def counter_hit(*, key: str, window: int) -> int:
    """Count one hit for ``key`` and return the count of the current window."""
    table = connection.ops.quote_name(ThrottleCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (counter_key, window_end, hits) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
        "ON CONFLICT (counter_key) DO UPDATE SET "
        f"hits = CASE WHEN {table}.window_end = excluded.window_end "
        f"THEN {table}.hits + 1 ELSE 1 END, window_end = excluded.window_end "
        "RETURNING hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, _window_end(window)])
        return cursor.fetchone()[0]


def counter_count(*, key: str, window: int) -> int:
    """The count of the current window for ``key`` (0 if none); counts nothing."""
    row = (
        ThrottleCounter.objects.filter(counter_key=key, window_end=_window_end(window))
        .values_list("hits", flat=True)
        .first()
    )
    return row or 0


def counter_reset(*, keys) -> int:
    deleted, _ = ThrottleCounter.objects.filter(counter_key__in=list(keys)).delete()
    return deleted


def counters_purge() -> int:
    """Forget counters of windows that are over."""
    deleted, _ = ThrottleCounter.objects.filter(window_end__lte=int(time.time())).delete()
    return deleted
