"""core.rows: the submission's writes without the ORM's per-call work.

sqlite_short_write runs on the raw sqlite3 connection, outside Django's transaction
handling — so what the ORM would guarantee is checked here: all or nothing, Django's
exceptions, a usable connection afterwards, and the fallback when queries are watched.
"""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocenurzad.core.rows import (
    _qmark,
    execute_insert,
    prepare_insert,
    raw_cursor_possible,
    sqlite_short_write,
    sqlite_short_write_possible,
)
from ocenurzad.responses.models import UsedFormToken

pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="sqlite_short_write is for SQLite only"
)


def token_row(nonce):
    return prepare_insert(UsedFormToken, {"nonce": nonce, "used_at": timezone.now()})[:2]


@sqlite_only
def test_all_statements_are_committed_together():
    results = sqlite_short_write(connection, [token_row("a" * 32), token_row("b" * 32)])

    assert len(results) == 2
    assert set(UsedFormToken.objects.values_list("nonce", flat=True)) == {"a" * 32, "b" * 32}
    assert not connection.connection.in_transaction


@sqlite_only
def test_a_failing_statement_rolls_back_the_ones_before_it_and_is_djangos_error():
    UsedFormToken.objects.create(nonce="c" * 32, used_at=timezone.now())

    with pytest.raises(IntegrityError):
        sqlite_short_write(connection, [token_row("d" * 32), token_row("c" * 32)])

    assert list(UsedFormToken.objects.values_list("nonce", flat=True)) == ["c" * 32]
    assert not connection.connection.in_transaction
    # The connection is usable for the next write.
    sqlite_short_write(connection, [token_row("e" * 32)])
    assert UsedFormToken.objects.count() == 2


@sqlite_only
def test_a_refusing_check_rolls_everything_back():
    class Refused(Exception):
        pass

    def check(results):
        raise Refused

    with pytest.raises(Refused):
        sqlite_short_write(connection, [token_row("f" * 32)], check=check)

    assert not UsedFormToken.objects.exists()
    assert not connection.connection.in_transaction


def test_it_is_not_used_inside_a_transaction_or_when_queries_are_watched():
    from django.db import transaction

    assert sqlite_short_write_possible(connection) == (connection.vendor == "sqlite")
    with transaction.atomic():
        assert not sqlite_short_write_possible(connection)
    with CaptureQueriesContext(connection):
        assert not sqlite_short_write_possible(connection)
    with connection.execute_wrapper(lambda execute, *args: execute(*args)):
        assert not sqlite_short_write_possible(connection)
    transaction.set_autocommit(False)
    try:
        assert not sqlite_short_write_possible(connection)
        assert not raw_cursor_possible(connection)
    finally:
        transaction.rollback()
        transaction.set_autocommit(True)
    assert raw_cursor_possible(connection)


def test_placeholders_become_question_marks_and_literal_percent_signs_stay():
    assert _qmark("SELECT %s, '%%s', 'a%%' WHERE x = %s") == "SELECT ?, '%s', 'a%' WHERE x = ?"


def test_execute_insert_returns_the_new_key():
    row = prepare_insert(UsedFormToken, {"nonce": "g" * 32, "used_at": timezone.now()})
    assert execute_insert(row) is None  # the key (nonce) was given
    assert UsedFormToken.objects.filter(nonce="g" * 32).exists()


def test_values_are_converted_exactly_as_the_orm_converts_them(office):
    from ocenurzad.responses.models import Channel, Response

    values = {
        "office": office.pk,
        "version": office.survey.current_version.pk,
        "channel": Channel.ONLINE,
        "source": "qr",
        "language": "pl",
        "department": None,
        "submitted_at": timezone.now(),
        "answers": {"ocena_ogolna": 4, "co_poprawic": "Więcej ławek"},
    }
    _sql, params, _returning, _pk_given = prepare_insert(Response, values)

    expected = [
        Response._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    ]

    def comparable(value):  # psycopg's Jsonb wrapper has no equality of its own
        return (type(value), getattr(value, "obj", value))

    assert [comparable(p) for p in params] == [comparable(e) for e in expected]


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postgresql_fetchone is for PostgreSQL only"
)


@postgresql_only
def test_postgresql_statement_binds_values_on_the_server_and_round_trips_them(office):
    from ocenurzad.core.rows import postgresql_fetchone
    from ocenurzad.responses.models import Response

    when = timezone.now()
    values = {
        "office": office.pk,
        "version": office.survey.current_version.pk,
        "channel": "online",
        "source": "qr",
        "language": "pl",
        "department": None,
        "submitted_at": when,
        "answers": {"co_poprawic": "Żółć — 100% 'cytat' \\ %s"},
    }
    sql, params, returning, _ = prepare_insert(Response, values)
    assert returning

    (pk,) = postgresql_fetchone(connection, sql, params)

    stored = Response.objects.get(pk=pk)
    assert stored.submitted_at == when
    assert stored.answers == values["answers"]


@postgresql_only
def test_postgresql_errors_are_djangos_and_leave_the_connection_usable():
    from ocenurzad.core.rows import postgresql_fetchone

    sql, params = token_row("h" * 32)
    sql += " RETURNING nonce"
    assert postgresql_fetchone(connection, sql, params) == ("h" * 32,)
    with pytest.raises(IntegrityError):
        postgresql_fetchone(connection, sql, params)

    assert UsedFormToken.objects.count() == 1
