"""SQLite with a fair turn for writers.

SQLite lets one writer in at a time. A writer that finds the database locked waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 … and from a quarter of a second on
100 ms between tries: whoever has waited longest tries least often, and a newcomer, trying
after 1 ms, takes the lock first. Under load this starves a few writers for seconds
while no one holds the lock for more than a few hundredths of a second (bench/faults.py
--lock-trace: a resident waited 5.6 s for the lock, which was never held longer than
0.32 s, while an administrator drew a § 5 report on the same two cores).

Here every write transaction of the app — Django's ``atomic`` blocks (BEGIN IMMEDIATE)
and the raw short writes of ``core/rows.sqlite_short_write`` — first takes an exclusive
``flock`` on a file beside the database (``<database>-writers.lock``), and gives it back
when the transaction ends. A writer waiting for it sleeps in the kernel and is woken the
moment the holder lets go, so the lock passes on without idle gaps and nobody is left
polling at the back. SQLite's own lock and busy timeout stay as they were for whatever
does not take the turn (a single statement outside a transaction, the backup, the sqlite3
shell).

The turn is held only between BEGIN and the end of the transaction, and the kernel drops
it when its process ends (a killed worker cannot leave it taken). Threads of one process
take turns too: each has its own connection and its own open lock file. An in-memory
database (the tests) has no file and no turn.
"""

import contextlib
import fcntl
import os

from django.db.backends.sqlite3 import base


class WritersTurn:
    """An exclusive lock on ``path`` (created when missing), for one connection."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None
        self.held = False

    def take(self) -> None:
        if self.held:
            return
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.give_back()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writers_turn: WritersTurn | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self._writers_turn is None and not self.is_in_memory_db():
            self._writers_turn = WritersTurn(f"{self.settings_dict['NAME']}-writers.lock")
        return connection

    @contextlib.contextmanager
    def writers_turn(self):
        """Hold the writers' turn for a write transaction run by hand (rows.py)."""
        turn = self._writers_turn
        if turn is None:
            yield
            return
        turn.take()
        try:
            yield
        finally:
            turn.give_back()

    def _start_transaction_under_autocommit(self):
        # The outermost atomic block only: savepoints inside it need no turn of their own.
        turn = self._writers_turn
        if turn is not None:
            turn.take()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            if turn is not None:
                turn.give_back()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._give_back_unless_open()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._give_back_unless_open()

    def _give_back_unless_open(self):
        # A failed COMMIT leaves the transaction open until the ROLLBACK that follows.
        if self._writers_turn is not None and not (
            self.connection is not None and self.connection.in_transaction
        ):
            self._writers_turn.give_back()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self._writers_turn is not None:
                self._writers_turn.close()
