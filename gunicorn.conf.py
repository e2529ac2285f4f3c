"""Gunicorn settings for production: ``gunicorn`` (this file is read from the working
directory) or ``gunicorn -c /path/to/gunicorn.conf.py``.

Environment:
  BIND              address(es) to listen on, comma-separated, default 127.0.0.1:$PORT
                    (behind a reverse proxy on the same machine; a container sets
                    0.0.0.0:8000 itself)
  PORT              port for the default BIND, default 8000
  WEB_CONCURRENCY   worker processes, default 2 x CPU cores + 1
  GUNICORN_THREADS  threads per worker (gthread worker), default 4; see bench/README.md
  LOG_LEVEL         gunicorn's own log level, default info

Residents are promised anonymity: no IP address, no cookie, no identifier is stored —
and that includes the logs. So the access log below has no client address (no ``%(h)s``,
no X-Forwarded-For / X-Real-IP header), no user agent, no referer and no query string,
a password-reset link's token is cut out of the path, and gunicorn's one warning that
names a client address ("Invalid request from ip=…") is scrubbed. Every log line is one
event (a traceback's line breaks are written as ``\\n``).

Crash recovery: a worker dies with its master (PR_SET_PDEATHSIG), so a master killed by
SIGKILL or the OOM killer leaves no orphan holding the port; and the socket is opened
with SO_REUSEPORT, so the restarted master binds at once even while a dying worker still
has it. systemd (deploy/ocenurzad-web.service) restarts the master and kills the whole
control group.
"""

import ctypes
import logging
import multiprocessing
import os
import re
import signal
import sys
from pathlib import Path

from gunicorn import glogging

# The project is not installed as a package: put src/ on the path.
pythonpath = str(Path(__file__).resolve().parent / "src")
wsgi_app = "ocenurzad.wsgi:application"

_port = int(os.environ.get("PORT", "8000"))
bind = [
    address.strip()
    for address in os.environ.get("BIND", f"127.0.0.1:{_port}").split(",")
    if address.strip()
]
reuse_port = True
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# gthread: a worker keeps serving while one of its threads waits on the database and
# keeps connections alive between requests (bench/submit.py measures the choice).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5

# Both logs to stdout/stderr, collected by the platform (systemd, container runtime).
# Time, method and path, status, bytes, duration in seconds — nothing about the client.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

_PR_SET_PDEATHSIG = 1
_RESET_TOKEN = re.compile(r"(/reset-hasla/[^/\s]+/)(?!set-password/)[^/\s?\"]+")


def post_fork(server, worker):
    """Make the worker die with its master: the kernel sends it SIGKILL when the master
    (the thread that forked it) ends, however it ends."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != server.pid:  # the master died before prctl took effect
            os._exit(1)
        server.log.debug("Worker %s dies with its master", worker.pid)


class _ScrubClientAddress(logging.Filter):
    """Gunicorn logs the peer's address on malformed requests; drop it."""

    _pattern = re.compile(r" from ip=.*?: ")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "ip=" in message:
            record.msg, record.args = self._pattern.sub(": ", message), ()
        return True


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


class AnonymousLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(_ScrubClientAddress())
        for handler in self.error_log.handlers:
            handler.setFormatter(_OneLine(self.error_fmt, self.datefmt))

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = atoms.get("U") or ""
        if "reset-hasla/" in path:
            atoms["U"] = path = _RESET_TOKEN.sub(r"\1…", path)
        atoms["r"] = f"{atoms.get('m')} {path} {atoms.get('H')}"
        # Whatever access_log_format says: no address, browser, referer or query string.
        atoms.update({"h": "-", "a": "-", "f": "-", "q": ""})
        for name in [k for k in atoms if k.endswith("}i")]:
            atoms[name] = "-"
        return atoms


logger_class = AnonymousLogger
