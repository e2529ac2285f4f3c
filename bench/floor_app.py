"""The floor for bench/submit.py: the least a WSGI app must do to store a submission.

A plain WSGI callable, no framework. For a POST it reads the same urlencoded body the
survey form sends, turns the answers into the same JSON document, and atomically
inserts the same two rows the Django view stores — one into ``responses_response`` (same
columns) and the spent-token mark into ``responses_usedformtoken`` — then answers 303 to
``dziekujemy/`` like the survey. It writes them as the app does: on SQLite in one short
transaction (BEGIN IMMEDIATE … COMMIT), on PostgreSQL in one statement, so that the
ratio measures what the framework costs, not a difference in SQL.
It does not check the token's signature, the survey definition, the rate limit or the
tenant: it is what the request would cost if all of that were free.

Each worker (each thread, for the gthread worker) opens one connection with sqlite3 or
psycopg on first use and keeps it open.

Environment: FLOOR_DATABASE_URL (``sqlite:////abs/path.sqlite3`` or a PostgreSQL URL),
FLOOR_OFFICE_ID, FLOOR_VERSION_ID.
"""

import hashlib
import json
import os
import threading
from datetime import UTC, datetime
from urllib.parse import parse_qsl

DATABASE_URL = os.environ.get("FLOOR_DATABASE_URL", "")
OFFICE_ID = int(os.environ.get("FLOOR_OFFICE_ID", "0"))
VERSION_ID = int(os.environ.get("FLOOR_VERSION_ID", "0"))
SQLITE = DATABASE_URL.startswith("sqlite:")
NOT_ANSWERS = frozenset({"token", "lang", "zrodlo", "adres_strony", "q_wydzial"})
MAX_BODY = 64 * 1024

INSERT_RESPONSE = (
    "INSERT INTO responses_response (office_id, version_id, channel, source, language, "
    "department_id, submitted_at, answers, entered_by_id, sheet_number) "
    "VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {json}, NULL, NULL)"
)
INSERT_NONCE = "INSERT INTO responses_usedformtoken (nonce, used_at) VALUES ({p}, {p})"

_local = threading.local()


class _SQLite:
    def __init__(self):
        import sqlite3

        path = DATABASE_URL.removeprefix("sqlite:///")
        self.conn = sqlite3.connect(path, timeout=20, isolation_level=None, check_same_thread=False)
        # The same settings Django's connection uses (see ocenurzad/settings.py).
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA busy_timeout=20000")
        self.insert_response = INSERT_RESPONSE.format(p="?", json="?")
        self.insert_nonce = INSERT_NONCE.format(p="?")

    def store(self, department_id, answers: str, nonce: str, now: datetime):
        # Django stores naive UTC text on SQLite.
        stamp = now.replace(tzinfo=None).isoformat(" ")
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            cur.execute(self.insert_nonce, (nonce, stamp))
            cur.execute(
                self.insert_response,
                (OFFICE_ID, VERSION_ID, "online", "", "pl", department_id, stamp, answers),
            )
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")


# PostgreSQL: both rows in one statement (atomic by itself), one round trip — the way the
# app stores a submission there (responses/services.py), minus the rate-limit count.
PG_STORE = (
    "WITH spent AS (INSERT INTO responses_usedformtoken (nonce, used_at) "
    "VALUES (%s, %s) RETURNING nonce) "
    "INSERT INTO responses_response (office_id, version_id, channel, source, language, "
    "department_id, submitted_at, answers, entered_by_id, sheet_number) "
    "SELECT %s::bigint, %s::bigint, %s::varchar, %s::varchar, %s::varchar, %s::bigint, "
    "%s::timestamptz, %s::jsonb, NULL, NULL FROM spent"
)


class _Postgres:
    def __init__(self):
        import psycopg

        # As the app's connection is made (Django's default): no server-side prepared
        # statements (prepare_threshold=None keeps connection poolers working), so both
        # send the statement's text and have it planned every time. The floor would
        # otherwise skip that work after five executions and the app could not.
        prepare = os.environ.get("FLOOR_PG_PREPARE_THRESHOLD", "")
        self.conn = psycopg.connect(
            DATABASE_URL, autocommit=True, prepare_threshold=int(prepare) if prepare else None
        )

    def store(self, department_id, answers: str, nonce: str, now: datetime):
        with self.conn.cursor() as cur:
            cur.execute(
                PG_STORE,
                (
                    nonce,
                    now,
                    OFFICE_ID,
                    VERSION_ID,
                    "online",
                    "",
                    "pl",
                    department_id,
                    now,
                    answers,
                ),
            )


def _database():
    db = getattr(_local, "db", None)
    if db is None:
        db = _local.db = _SQLite() if SQLITE else _Postgres()
    return db


def _answers(pairs) -> tuple[int | None, dict, str]:
    department_id, answers, token = None, {}, ""
    for name, value in pairs:
        if name == "token":
            token = value
        elif name == "q_wydzial":
            department_id = int(value) if value.isdigit() else None
        elif name.startswith("q_") and value and name not in NOT_ANSWERS:
            answers[name[2:]] = int(value) if value.isdigit() else value.strip()
    return department_id, answers, token


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        start_response("413 Content Too Large", [("Content-Length", "0")])
        return [b""]
    body = environ["wsgi.input"].read(length).decode()
    department_id, answers, token = _answers(parse_qsl(body, keep_blank_values=True))
    if department_id is None or "ocena_ogolna" not in answers or not token:
        start_response("400 Bad Request", [("Content-Length", "0")])
        return [b""]
    nonce = hashlib.blake2b(token.encode(), digest_size=16).hexdigest()
    _database().store(department_id, json.dumps(answers), nonce, datetime.now(UTC))
    start_response("303 See Other", [("Location", "dziekujemy/"), ("Content-Length", "0")])
    return [b""]
