"""One INSERT of a model's row without the ORM's per-call query building.

For the resident's submission, the busiest write of the service: ``Model.objects.create``
builds and compiles an insert query on every call, and on SQLite that Python work happens
while the database is locked for every other writer. Here the statement is built once
per model and database, values are prepared by the model's own fields
(``get_db_prep_save``: the same conversion the ORM applies), and the caller's transaction
holds nothing but the statement. No signals are sent (the project listens to none on
the models written this way).
"""

from django.db import connections

_STATEMENTS: dict[tuple, tuple[str, list]] = {}


def _statement(model, names: tuple[str, ...], using: str) -> tuple[str, list, bool]:
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
        cached = _STATEMENTS[key] = (sql, fields, returning)
    return cached


def prepare_insert(model, values: dict, *, using: str = "default") -> tuple:
    """(sql, params, returns_pk, pk_given) for one row of ``model``; ``values`` by field name
    (``department`` takes an id). Call it before opening the transaction."""
    sql, fields, returning = _statement(model, tuple(values), using)
    connection = connections[using]
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
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
