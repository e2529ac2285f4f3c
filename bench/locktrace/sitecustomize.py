"""Bench only (bench/faults.py --lock-trace): log how long each SQLite write transaction
waited for the write lock and how long it held it, and where in the app it began.

Loaded by Python at start-up from PYTHONPATH (this folder); does nothing unless
FAULTS_LOCKTRACE names the log file. Every connection the sqlite3 module opens gets a
subclass that notes BEGIN, COMMIT and ROLLBACK — Django's (through its cursor) and the
app's raw ones (core/rows.sqlite_short_write) alike — and single writing statements in
autocommit mode (each one takes the lock by itself). One JSON line a transaction:
{"role", "pid", "at" (wall clock of the lock taken), "wait", "hold", "end", "where"} —
"wait" includes the wait for the writers' turn (core/sqlite_backend: an flock before
BEGIN), also given alone as "turn";
transactions of the residents' web workers are logged only when they waited or held the
lock for 20 ms or more (a submission holds it about a millisecond).
"""

import fcntl
import json
import os
import sqlite3
import sys
import threading
import time
import traceback

LOG = os.environ.get("FAULTS_LOCKTRACE")
QUIET_BELOW = 0.02
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _role() -> str:
    argv = " ".join(sys.argv)
    if "gunicorn" in argv:
        return "web"
    if "jobs_worker" in argv:
        return "worker"
    if "shell" in argv:
        return "admin"
    return os.path.basename(sys.argv[0] if sys.argv else "?")


_lock = threading.Lock()
_turn = threading.local()  # this thread's last wait for the writers' turn (flock)


def _log(**entry) -> None:
    role = _role()
    if role == "web" and max(entry["wait"], entry["hold"]) < QUIET_BELOW:
        return
    line = json.dumps({"role": role, "pid": os.getpid(), **entry})
    with _lock, open(LOG, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _where() -> str:
    """The app's innermost frames (not this module's), innermost first."""
    frames = [
        f
        for f in traceback.extract_stack(limit=80)
        if "/ocenurzad/" in f.filename and "locktrace" not in f.filename
    ]
    names = [
        f"{os.path.basename(os.path.dirname(f.filename))}/"
        f"{os.path.splitext(os.path.basename(f.filename))[0]}.{f.name}"
        for f in frames
    ]
    return " < ".join(reversed(names[-5:])) or "?"


class TracedConnection(sqlite3.Connection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open = None  # (asked, taken, wall clock taken, where)

    def _begin(self, run):
        where, asked = _where(), time.monotonic()
        turn = getattr(_turn, "seconds", 0.0)
        _turn.seconds = 0.0
        result = run()
        self._open = (asked, time.monotonic(), time.time(), where, turn)
        return result

    def _end(self, run, how):
        result = run()
        if self._open is not None:
            asked, taken, at, where, turn = self._open
            self._open = None
            _log(
                at=at,
                wait=turn + taken - asked,
                turn=turn,
                hold=time.monotonic() - taken,
                end=how,
                where=where,
            )
        return result

    def _statement(self, sql, run):
        verb = sql.lstrip()[:10].upper() if isinstance(sql, str) else ""
        if verb.startswith("BEGIN"):
            return self._begin(run)
        if verb.startswith(("COMMIT", "ROLLBACK")):
            return self._end(run, verb.split()[0])
        if not self.in_transaction and verb.startswith(WRITES):
            started, at = time.monotonic(), time.time()
            result = run()
            # one statement in autocommit: its wait and hold cannot be told apart
            _log(
                at=at,
                wait=0.0,
                turn=0.0,
                hold=time.monotonic() - started,
                end="AUTO",
                where=_where(),
            )
            return result
        return run()

    def execute(self, sql, *args):
        return self._statement(sql, lambda: super(TracedConnection, self).execute(sql, *args))

    def commit(self):
        return self._end(super().commit, "COMMIT")

    def rollback(self):
        return self._end(super().rollback, "ROLLBACK")

    def cursor(self, factory=sqlite3.Cursor):
        return super().cursor(_traced_cursor(factory))


_CURSORS: dict[type, type] = {}


def _traced_cursor(factory: type) -> type:
    traced = _CURSORS.get(factory)
    if traced is None:

        class Traced(factory):
            def execute(self, sql, params=None):
                if params is None:
                    return self.connection._statement(sql, lambda: factory.execute(self, sql))
                return self.connection._statement(sql, lambda: factory.execute(self, sql, params))

        traced = _CURSORS[factory] = Traced
    return traced


if LOG:
    _flock = fcntl.flock

    def flock(fd, operation):
        if not operation & fcntl.LOCK_EX:
            return _flock(fd, operation)
        started = time.monotonic()
        try:
            return _flock(fd, operation)
        finally:
            _turn.seconds = time.monotonic() - started

    fcntl.flock = flock
    _connect = sqlite3.dbapi2.connect

    def connect(*args, **kwargs):
        kwargs.setdefault("factory", TracedConnection)
        return _connect(*args, **kwargs)

    sqlite3.dbapi2.connect = connect
    sqlite3.connect = connect
