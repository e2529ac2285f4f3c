"""Gunicorn settings for production: ``gunicorn`` (this file is read from the working
directory) or ``gunicorn -c /path/to/gunicorn.conf.py``.

Environment:
  PORT              port to listen on (all interfaces), default 8000
  WEB_CONCURRENCY   worker processes, default 2 x CPU cores + 1
  GUNICORN_THREADS  threads per worker (gthread worker), default 4; see bench/README.md
  LOG_LEVEL         gunicorn's own log level, default info

Residents are promised anonymity: no IP address, no cookie, no identifier is stored —
and that includes the logs. So the access log below has no client address (no ``%(h)s``,
no X-Forwarded-For / X-Real-IP header), no user agent and no referer, and gunicorn's one
warning that names a client address ("Invalid request from ip=…") is scrubbed.
"""

import logging
import multiprocessing
import os
import re
from pathlib import Path

from gunicorn import glogging

# The project is not installed as a package: put src/ on the path.
pythonpath = str(Path(__file__).resolve().parent / "src")
wsgi_app = "ocenurzad.wsgi:application"

bind = [f"0.0.0.0:{int(os.environ.get('PORT', '8000'))}"]
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# gthread: a worker keeps serving while one of its threads waits on the database and
# keeps connections alive between requests (bench/submit.py measures the choice).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5

# Both logs to stdout/stderr, collected by the platform (systemd, container runtime).
# Time, request line, status, bytes, duration in seconds — and nothing about the client.
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class _ScrubClientAddress(logging.Filter):
    """Gunicorn logs the peer's address on malformed requests; drop it."""

    _pattern = re.compile(r" from ip=.*?: ")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "ip=" in message:
            record.msg, record.args = self._pattern.sub(": ", message), ()
        return True


class AnonymousLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(_ScrubClientAddress())


logger_class = AnonymousLogger
