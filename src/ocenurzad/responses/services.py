import contextlib
import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ocenurzad.core.rows import (
    execute_insert,
    postgresql_fetchone,
    prepare_insert,
    raw_cursor_possible,
    sqlite_short_write,
    sqlite_short_write_possible,
)
from ocenurzad.offices.models import Office
from ocenurzad.surveys.answers import ParsedAnswers
from ocenurzad.surveys.models import SurveyVersion

from .models import Channel, Response, SubmitCounter, UsedFormToken
from .ratelimit import (
    RateLimited,
    submit_counter_check,
    submit_counter_statement,
    submit_counter_take,
    submit_counters_purge,
    submit_rate,
)


class TokenAlreadyUsed(Exception):
    pass


def response_submit_online(
    *,
    office: Office,
    version: SurveyVersion,
    parsed: ParsedAnswers,
    nonce: str,
    source: str,
    language: str,
    rate_key: str | None = None,
) -> int:
    """Store a resident's valid answers with the form token marked spent — both or neither;
    returns the new response's id.

    Raises TokenAlreadyUsed when the token was used before, and RateLimited when
    ``rate_key``'s client is over SURVEY_RATE_LIMIT at this office — storing nothing.
    """
    now = timezone.now()
    values = {
        "office": office.pk,
        "version": version.pk,
        "channel": Channel.ONLINE,
        "source": source,
        "language": language,
        "department": parsed.department_id,
        "submitted_at": now,
        "answers": parsed.answers,
    }
    try:
        if connection.vendor == "postgresql":
            pk = _store_postgresql(values, nonce=nonce, now=now, rate_key=rate_key)
        else:
            pk = _store_in_transaction(values, nonce=nonce, now=now, rate_key=rate_key)
    except IntegrityError as exc:
        if UsedFormToken.objects.filter(nonce=nonce).exists():
            raise TokenAlreadyUsed from exc
        raise
    if random.random() < 0.01:  # noqa: S311 — housekeeping, not security
        used_form_tokens_purge()
        submit_counters_purge()
    return pk


def _store_in_transaction(values: dict, *, nonce: str, now, rate_key: str | None) -> int:
    # Prepared before the transaction: on SQLite it locks out every other writer until
    # the commit, so it should hold nothing but the statements.
    insert_token = prepare_insert(UsedFormToken, {"nonce": nonce, "used_at": now})
    insert_response = prepare_insert(Response, values)
    if sqlite_short_write_possible(connection):
        statements = [insert_token[:2], insert_response[:2]]
        if rate_key is not None:
            statements.append(submit_counter_statement(key=rate_key, now=now))
        results = sqlite_short_write(
            connection,
            statements,
            check=(lambda r: submit_counter_check(r[2][0], rate_key))
            if rate_key is not None
            else None,
        )
        return results[1][0] if insert_response[2] else results[1]
    with transaction.atomic():
        execute_insert(insert_token)
        pk = execute_insert(insert_response)
        # Last before the commit: the client's counter row stays locked only from here
        # to the commit (RateLimited rolls everything back).
        if rate_key is not None:
            submit_counter_take(key=rate_key)
    return pk


_RESPONSE_FIELDS = (
    "office",
    "version",
    "channel",
    "source",
    "language",
    "department",
    "submitted_at",
    "answers",
)
_PG_STATEMENTS: dict[bool, str] = {}


def _postgresql_statement(*, limited: bool) -> str:
    """One statement that counts the client (if ``limited``), marks the token spent and
    stores the response — each step only if the one before it went through — and
    returns the new response's id, or no row when the client is over the limit.

    A spent token breaks the token's primary key: the whole statement fails and nothing,
    the count included, is kept. Over the limit, the counter row is left as it was (the
    ``WHERE`` of ``DO UPDATE``), so a refused submission counts nothing either.
    """
    if limited in _PG_STATEMENTS:
        return _PG_STATEMENTS[limited]
    quote = connection.ops.quote_name
    fields = [Response._meta.get_field(name) for name in _RESPONSE_FIELDS]
    columns = ", ".join(quote(field.column) for field in fields)
    typed = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
    token_table = quote(UsedFormToken._meta.db_table)
    counter_table = quote(SubmitCounter._meta.db_table)
    if limited:
        gate = (
            f"counted AS (INSERT INTO {counter_table} AS c (counter_key, period_no, hits) "  # noqa: S608
            "VALUES (%s, %s, 1) ON CONFLICT (counter_key) DO UPDATE SET "
            "hits = CASE WHEN c.period_no = excluded.period_no THEN c.hits + 1 ELSE 1 END, "
            "period_no = excluded.period_no "
            "WHERE c.period_no <> excluded.period_no OR c.hits < %s RETURNING hits), "
            f"spent AS (INSERT INTO {token_table} (nonce, used_at) "
            "SELECT %s::varchar(32), %s::timestamptz FROM counted RETURNING nonce)"
        )
    else:
        gate = (
            f"spent AS (INSERT INTO {token_table} (nonce, used_at) "  # noqa: S608
            "VALUES (%s, %s) RETURNING nonce)"
        )
    sql = (
        f"WITH {gate} "  # noqa: S608 — table and column names come from the models
        f"INSERT INTO {quote(Response._meta.db_table)} ({columns}) "
        f"SELECT {typed} FROM spent RETURNING {quote(Response._meta.pk.column)}"
    )
    _PG_STATEMENTS[limited] = sql
    return sql


def _store_postgresql(values: dict, *, nonce: str, now, rate_key: str | None) -> int:
    """PostgreSQL: the whole submission in one statement, one round trip (a statement
    is atomic by itself). Raises RateLimited when the limit refused it."""
    params = []
    if rate_key is not None:
        limit, window = submit_rate(rate_key)
        params += [rate_key, int(now.timestamp()) // window, limit]
    params += [nonce, now]
    params += [
        Response._meta.get_field(name).get_db_prep_save(values[name], connection)
        for name in _RESPONSE_FIELDS
    ]
    sql = _postgresql_statement(limited=rate_key is not None)
    if raw_cursor_possible(connection):
        row = postgresql_fetchone(connection, sql, params)
        if row is None:
            raise RateLimited
        return row[0]
    with contextlib.ExitStack() as stack:
        if connection.in_atomic_block:
            # Inside someone's transaction a failed statement would spoil it; a
            # savepoint keeps it usable. On its own the statement needs no transaction.
            stack.enter_context(transaction.atomic())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if row is None:
        raise RateLimited
    return row[0]


def token_spent(*, nonce: str) -> bool:
    """Whether a response was stored with this form token (while its record is kept)."""
    return UsedFormToken.objects.filter(nonce=nonce).exists()


def used_form_tokens_purge() -> int:
    """Forget spent tokens that have expired anyway; returns how many were removed."""
    cutoff = timezone.now() - timedelta(seconds=settings.SURVEY_TOKEN_MAX_AGE + 60)
    deleted, _ = UsedFormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
