"""One INSERT of a model's row without the ORM's per-call query building.

For the resident's submission, the busiest write of the service: ``Model.objects.create``
builds and compiles an insert query on every call, and on SQLite that Python work happens
while the database is locked for every other writer. Here the statement is built once
per model and database, values are prepared by the model's own fields
(``get_db_prep_save``: the same conversion the ORM applies), and the caller's transaction
holds nothing but the statement. No signals are sent (the project listens to none on
the models written this way).
"""

import contextlib
import re

from django.db import connections, models

# Fields whose conversion leaves a value of this exact type (or None) as it is: the
# ORM's get_db_prep_save would return it unchanged, through three calls per field.
_UNCHANGED = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.SmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
}


def _unchanged_type(field):
    """The value type ``field`` stores as it is, or None when it converts values."""
    if type(field) is models.ForeignKey:
        field = field.target_field
    return _UNCHANGED.get(type(field))


_STATEMENTS: dict[tuple, tuple[str, list]] = {}


def _statement(model, names: tuple[str, ...], using: str) -> tuple[str, list, bool]:
    """(sql, [(field, type kept as it is or None)], returns the new key) — built once."""
    connection = connections[using]
    key = (model, names, connection.vendor)
    cached = _STATEMENTS.get(key)
    if cached is None:
        meta = model._meta
        fields = [meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        returning = connection.features.can_return_columns_from_insert and meta.pk.name not in names
        sql = "INSERT INTO {} ({}) VALUES ({}){}".format(  # noqa: S608 — names from the model
            quote(meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
            f" RETURNING {quote(meta.pk.column)}" if returning else "",
        )
        plain = [_unchanged_type(field) for field in fields]
        cached = _STATEMENTS[key] = (sql, list(zip(fields, plain, strict=True)), returning)
    return cached


def prepare_insert(model, values: dict, *, using: str = "default") -> tuple:
    """(sql, params, returns_pk, pk_given) for one row of ``model``; ``values`` by field name
    (``department`` takes an id). Call it before opening the transaction."""
    sql, fields, returning = _statement(model, tuple(values), using)
    connection = connections[using]
    params = []
    for field, plain in fields:
        value = values[field.name]
        if value is None or type(value) is not plain:
            value = field.get_db_prep_save(value, connection)
        params.append(value)
    return sql, params, returning, model._meta.pk.name in values


def execute_insert(prepared: tuple[str, list, bool], *, using: str = "default"):
    """Run a prepared insert; the new primary key where the database gives it back
    (None when the row's key was among the values)."""
    sql, params, returning, pk_given = prepared
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            return cursor.fetchone()[0]
        if pk_given:
            return None
        return cursor.lastrowid


_QMARK: dict[str, str] = {}
_FORMAT_PARAM = re.compile(r"(?<!%)%s")


def _qmark(sql: str) -> str:
    """``%s`` placeholders as sqlite3's ``?`` (what Django's SQLite cursor does per call)."""
    converted = _QMARK.get(sql)
    if converted is None:
        if len(_QMARK) >= 256:
            _QMARK.clear()
        converted = _QMARK[sql] = _FORMAT_PARAM.sub("?", sql).replace("%%", "%")
    return converted


def raw_cursor_possible(connection) -> bool:
    """Whether a statement may bypass Django's cursor now.

    Not inside a transaction of the caller's (it would need a savepoint), not with
    autocommit switched off (the statement would join a transaction nobody commits), and
    not while someone watches the queries — DEBUG's query log, a test's
    CaptureQueriesContext, ``connection.execute_wrapper`` instrumentation see only what
    passes through Django's cursor, so then the caller takes that way."""
    return (
        not connection.in_atomic_block
        and connection.get_autocommit()
        and not connection.queries_logged
        and not connection.execute_wrappers
    )


def sqlite_short_write_possible(connection) -> bool:
    """Whether sqlite_short_write may run on ``connection`` now (see raw_cursor_possible)."""
    return connection.vendor == "sqlite" and raw_cursor_possible(connection)


def postgresql_fetchone(connection, sql: str, params: list):
    """Run one statement that returns rows on PostgreSQL with server-side parameter
    binding; its first row (None when it returned none).

    Django's psycopg cursors bind parameters on the client: every value is made into an
    SQL literal in Python and spliced into the statement's text. psycopg's own cursor
    sends the values apart from the statement instead, which for the submission's
    statement (13 values, one a JSON document) costs the app less CPU. No prepared
    statement is kept on the server (Django's ``prepare_threshold=None`` stays in force),
    so connection poolers such as PgBouncer keep working. Errors come out as Django's.
    Only where raw_cursor_possible.
    """
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def sqlite_short_write(connection, statements, *, check=None) -> list:
    """Run ``statements`` — (sql, params) pairs with ``%s`` placeholders — in one
    ``BEGIN IMMEDIATE … COMMIT`` on the raw sqlite3 connection; each one's result is its
    first row returned, or its ``lastrowid`` when it returns none.

    ``check(results)`` runs before the commit; whatever it (or a statement) raises rolls
    everything back. Errors come out as Django's (IntegrityError …).

    Why: SQLite lets one writer at a time in, and every other writer of every process
    waits — sleeping in steps of milliseconds — until the commit. Through Django's
    transaction and cursor wrappers the lock was held about twice as long as the
    statements need (bench/submit.py: 1.7 → 1.5 ms of server CPU per submission, the
    rate 0.35–0.42 → 0.43–0.46 of the floor's). Only for short writes of a few rows
    whose statements are ready before the call (see sqlite_short_write_possible).
    """
    connection.ensure_connection()
    raw = connection.connection
    results = []
    # The writers' turn first (core/sqlite_backend): then BEGIN finds the database free.
    turn = getattr(connection, "writers_turn", contextlib.nullcontext)
    with turn(), connection.wrap_database_errors:
        raw.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                cursor = raw.execute(_qmark(sql), params)
                row = cursor.fetchone()
                results.append(row if row is not None else cursor.lastrowid)
            if check is not None:
                check(results)
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
    return results
