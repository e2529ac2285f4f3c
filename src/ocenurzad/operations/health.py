"""``/zdrowie/``: the load balancer's health check.

Answered by the first middleware, before host validation, the HTTPS redirect and the
office look-up: a load balancer asks by the machine's address over plain HTTP. It runs
one query, so a process whose database is gone is taken out of rotation. It says only
"ok"/"error" and the version — nothing about offices, settings or the error itself
(that goes to the log)."""

import json
import logging

from django.db import connection
from django.http import HttpResponse

from ocenurzad.core.version import app_version

HEALTH_PATH = "/zdrowie/"
log = logging.getLogger(__name__)


def health_response() -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database, status = "ok", 200
    except Exception:
        log.exception("Health check: the database does not answer")
        database, status = "error", 503
    body = {"status": "ok" if status == 200 else "error", "database": database}
    body["version"] = app_version()
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health_response()
        return self.get_response(request)
