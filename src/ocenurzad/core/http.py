"""Small HTTP helpers for the resident's pages, the busiest of the service."""

import time
from functools import wraps

from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
_expires = (0, "")  # (a second, its HTTP date), shared by the threads


def never_cache(view):
    """Django's ``never_cache`` with the same headers, set directly.

    Django's decorator parses and re-joins Cache-Control through ``patch_cache_control``
    twice; a view's response that has neither Cache-Control nor Expires (every resident
    page) gets the two headers that would come out of it as they are. Any other response
    goes through Django's own ``add_never_cache_headers``.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        headers = response.headers
        if "Cache-Control" in headers or "Expires" in headers:
            add_never_cache_headers(response)
            return response
        global _expires
        second, date = _expires
        now = int(time.time())
        if second != now:
            date = http_date(now)
            _expires = (now, date)
        headers["Expires"] = date
        headers["Cache-Control"] = NEVER_CACHE
        return response

    return wrapper
