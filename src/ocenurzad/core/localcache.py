"""A short-lived, per-process cache for what every resident request reads: the office, its
published survey version and its departments.

Resident pages are the hot path (a banner on a city's home page); without this each of
them ran three ORM queries that only change when a clerk edits something. Entries live
``RESIDENT_CACHE_SECONDS`` (default 5; 0 switches the cache off). Any save or delete of
an office, domain, department, survey or survey version empties this process's cache at
once (signals, ocenurzad.offices.apps) — and again when the transaction commits — so a
change is visible in the process that made it immediately and in every other process
within the time-to-live. Staff pages (the panel) never read from it.

An entry never outlives what it was built from: within a request (``begin_request``,
called by OfficeMiddleware) every entry read sets a deadline, and an entry stored later
in the same request expires no later than that — so the survey page drawn from a cached
office expires with the office, not a time-to-live after it.

Values are kept as loaded; callers that hand a model instance to code that might change
it take a copy (``office_for_resident`` in offices/selectors.py).
"""

import threading
import time

from django.conf import settings
from django.db import transaction

_MAX_ENTRIES = 4096
# Kinds of entry (a key's first item) with a tighter bound: a drawn survey page is ~50 KB
# and its key holds a value from the query string, so anyone can ask for new ones.
KIND_LIMITS = {"survey-page": 128}
_entries: dict = {}
_kind_counts: dict = {}
_lock = threading.Lock()
_generation = 0
_request = threading.local()  # .deadline: earliest expiry of the entries read so far


def begin_request() -> None:
    """Start a request's bookkeeping: nothing read yet."""
    _request.deadline = None


def _read(expires: float) -> None:
    deadline = getattr(_request, "deadline", None)
    if deadline is None or expires < deadline:
        _request.deadline = expires


def get_or_load(key, load):
    """The cached value for ``key``, or ``load()`` (cached unless it is None)."""
    ttl = settings.RESIDENT_CACHE_SECONDS
    if ttl <= 0:
        return load()
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and hit[0] > now:
        _read(hit[0])
        return hit[1]
    generation = _generation
    value = load()
    if value is not None:
        expires = now + ttl
        deadline = getattr(_request, "deadline", None)
        if deadline is not None:
            expires = min(expires, deadline)
        with _lock:
            # Not if the cache was emptied while loading: the value may predate the change.
            if generation == _generation:
                if len(_entries) >= _MAX_ENTRIES:
                    _entries.clear()
                    _kind_counts.clear()
                _make_room_for(key)
                _entries[key] = (expires, value)
        _read(expires)
    return value


def _make_room_for(key) -> None:
    """Count ``key`` against its kind's bound; over it, forget that kind's entries."""
    kind = key[0] if isinstance(key, tuple) and key else None
    limit = KIND_LIMITS.get(kind)
    if limit is None or key in _entries:
        return
    if _kind_counts.get(kind, 0) >= limit:
        for old in [k for k in _entries if isinstance(k, tuple) and k and k[0] == kind]:
            del _entries[old]
        _kind_counts[kind] = 0
    _kind_counts[kind] = _kind_counts.get(kind, 0) + 1


def clear() -> None:
    """Forget everything (this process only)."""
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()
        _kind_counts.clear()


def clear_on_change(**_kwargs) -> None:
    """Signal receiver: empty the cache now and once more when the transaction commits
    (a concurrent request may have re-read the old rows in between)."""
    clear()
    transaction.on_commit(clear)
