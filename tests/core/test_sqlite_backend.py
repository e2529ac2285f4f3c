"""SQLite writers take turns in the kernel's queue (core/sqlite_backend): the turn is held
exactly from BEGIN to the end of each write transaction — Django's atomic blocks and the
raw short writes alike — and a writer that has to wait gets the database the moment the
one before it is done, without SQLite's busy handler (here switched off: timeout 0).

Deterministic: an event holds one writer inside its transaction while the other asks."""

import fcntl
import os
import threading

import pytest
from django.db import connections, transaction
from django.db.utils import OperationalError

from ocenurzad.core.rows import sqlite_short_write

ENGINE = "ocenurzad.core.sqlite_backend"
STOCK = "django.db.backends.sqlite3"


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A file database of its own under two aliases — "turns" (the project's backend) and
    "stock" (Django's) — with SQLite's busy handler off: a writer that finds the database
    locked fails at once. Each thread gets its own connection of an alias."""
    path = tmp_path / "turns.sqlite3"
    options = {"transaction_mode": "IMMEDIATE", "timeout": 0}
    configured = configure(
        {
            alias: {"ENGINE": engine, "NAME": str(path), "OPTIONS": options}
            for alias, engine in (("turns", ENGINE), ("stock", STOCK))
        }
    )
    with django_db_blocker.unblock():
        with connections["turns"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE t (writer TEXT, seen INTEGER)")
        yield path
        for alias in configured:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def configure(databases: dict) -> dict:
    """Add these aliases to Django's connections, with Django's defaults filled in."""
    configured = connections.configure_settings(
        {"default": connections.settings["default"], **databases}
    )
    added = {alias: configured[alias] for alias in databases}
    connections.settings.update(added)
    return added


def in_thread(target):
    """Run ``target`` in a thread with its own connections, closed afterwards."""

    def run():
        try:
            target()
        finally:
            for alias in ("turns", "stock"):
                connections[alias].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def turn_is_free(path) -> bool:
    """Whether nobody holds the writers' turn of the database at ``path`` (a probe)."""
    fd = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_an_atomic_block_holds_the_turn_from_begin_to_commit_or_rollback(database):
    assert turn_is_free(database)

    with transaction.atomic(using="turns"):
        with connections["turns"].cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES ('a', 0)")
        assert not turn_is_free(database)
        with transaction.atomic(using="turns"):  # a savepoint takes no second turn
            assert not turn_is_free(database)
        assert not turn_is_free(database)
    assert turn_is_free(database)

    with pytest.raises(ZeroDivisionError), transaction.atomic(using="turns"):
        assert not turn_is_free(database)
        1 / 0  # noqa: B018
    assert turn_is_free(database)


def test_a_raw_short_write_holds_the_turn_too(database):
    seen = []

    def check(results):
        seen.append(turn_is_free(database))

    sqlite_short_write(
        connections["turns"], [("INSERT INTO t VALUES (%s, %s)", ["raw", 0])], check=check
    )

    assert seen == [False]
    assert turn_is_free(database)


def test_a_second_writer_waits_for_its_turn_and_then_finds_the_database_free(database):
    # Given writer A inside its transaction, held there by an event …
    a_inside, a_may_commit, b_asking = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def writer_a():
        try:
            with transaction.atomic(using="turns"), connections["turns"].cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES ('a', 0)")
                a_inside.set()
                a_may_commit.wait(10)
        except Exception as exc:  # pragma: no cover — reported below
            errors.append(exc)

    def writer_b():
        b_asking.set()
        try:
            with transaction.atomic(using="turns"), connections["turns"].cursor() as cursor:
                # … B's transaction begins only after A's commit: it sees A's row
                cursor.execute("SELECT COUNT(*) FROM t WHERE writer = 'a'")
                seen = cursor.fetchone()[0]
                cursor.execute("INSERT INTO t VALUES ('b', %s)", [seen])
        except Exception as exc:
            errors.append(exc)

    a = in_thread(writer_a)
    assert a_inside.wait(10)
    # … when writer B asks for the database (SQLite's busy handler off: with Django's own
    # backend its BEGIN IMMEDIATE fails with "database is locked" — the next test)
    b = in_thread(writer_b)
    assert b_asking.wait(10)
    assert not turn_is_free(database)
    a_may_commit.set()
    a.join(10)
    b.join(10)

    # Then both are stored, B after A, and nobody was told the database is locked
    assert errors == []
    with connections["turns"].cursor() as cursor:
        cursor.execute("SELECT writer, seen FROM t ORDER BY rowid")
        assert cursor.fetchall() == [("a", 0), ("b", 1)]
    assert turn_is_free(database)


def test_without_the_turn_the_same_second_writer_is_refused(database):
    # The negative control: Django's own backend, SQLite's busy handler off — B's
    # BEGIN IMMEDIATE meets A's lock and fails (with the handler on, B would poll).
    refused = []

    def writer_b():
        try:
            with transaction.atomic(using="stock"), connections["stock"].cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES ('b', 0)")
        except OperationalError as exc:
            refused.append(str(exc))

    with transaction.atomic(using="stock"), connections["stock"].cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES ('a', 0)")
        in_thread(writer_b).join(10)

    assert refused == ["database is locked"]


def test_an_in_memory_database_has_no_turn(database):
    configure({"memory": {"ENGINE": ENGINE, "NAME": ":memory:"}})
    try:
        with transaction.atomic(using="memory"):
            pass
        assert connections["memory"]._writers_turn is None
    finally:
        del connections["memory"]
        del connections.settings["memory"]
