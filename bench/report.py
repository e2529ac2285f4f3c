#!/usr/bin/env python
"""How fast reports come out of a million responses of one office over five years.

For each database engine (SQLite, PostgreSQL) a database is filled — once, then kept and
reused — with 1,000,000 responses of one office (slug ``benchmarkowo``) spread over the
five years up to yesterday, plus 100,000 of each of two other offices in the same tables,
answers drawn with a seeded RNG for the default survey. Then it measures:

  (a) the JSON report (report_compute + report_json) of the last full calendar year and of
      all five years: cold (rollups deleted first: the first report of a period reads
      every raw answer once and stores rollups) and warm (the steady state, rollups of
      closed days and months stored) — target <= 1 s warm; both WITH the comparison (the
      year with the year before, the five years with the days before them); then, warm,
      every other kind of period with its comparison: the last full quarter against the
      same quarter a year earlier, the last full month against the month before, the year
      so far against the same dates a year earlier, the last 12 months against the 12
      before — target <= 1 s each; and the last full year of one client type
      ('przedsiebiorca') against the year before, counted from the raw answers;
  (b) the naive baseline: one SQL GROUP BY over the raw answers of the same period, and
      the ratio warm report / naive (target <= 0.5);
  (c) the PDF of the one-year report (report_pdf) — target <= 5 s — and its pages;
  (d) the CSV export of all the office's responses (responses_csv_rows + csv_stream,
      dialect excel-pl) to /dev/null in a child process: time (< 60 s) and the child's
      peak RSS (< 300 MB);
  (e) a submission staying cheap: measured by bench/submit.py, not run here.

Each engine runs in its own child process (DATABASE_URL is set before django.setup()).
See bench/README.md.

    .venv/bin/python bench/report.py [--engines sqlite,postgres] [--responses 1000000]
        [--refill] [--skip-pdf] [--skip-csv] [--profile]
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Bump when the generated data changes: a cached database of another version is refilled.
GENERATOR_VERSION = 1
YEARS = 5
MAIN_SLUG = "benchmarkowo"
CLIENT_TYPE = "przedsiebiorca"  # 15 % of the residents who answer the metryka
OTHER_SLUGS = ("inne-miasto-a", "inne-miasto-b")
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "ocenurzad-bench" / "report.sqlite3"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/bench_report"
CHUNK = 50_000  # rows per executemany / COPY write; one transaction each

TARGET_REPORT_S = 1.0
TARGET_RATIO = 0.5
TARGET_PDF_S = 5.0
TARGET_CSV_S = 60.0
TARGET_CSV_MB = 300.0

# The main office's departments: (name, share of visits, how much better or worse than
# average residents rate it). The last one was closed two years before the data ends.
DEPARTMENTS = [
    ("Wydział Komunikacji", 0.22, -0.35),
    ("Wydział Spraw Obywatelskich", 0.16, 0.05),
    ("Urząd Stanu Cywilnego", 0.09, 0.30),
    ("Wydział Podatków i Opłat", 0.12, -0.10),
    ("Wydział Architektury i Budownictwa", 0.07, -0.30),
    ("Wydział Gospodarki Nieruchomościami", 0.06, -0.15),
    ("Wydział Ochrony Środowiska", 0.04, 0.00),
    ("Biuro Obsługi Interesantów", 0.12, 0.25),
    ("Wydział Edukacji", 0.03, 0.10),
    ("Wydział Spraw Społecznych", 0.05, 0.00),
    ("Biuro Rady Miasta", 0.02, 0.15),
    ("Referat Zamówień Publicznych", 0.02, -0.05),
]
CLOSED_DEPARTMENT = "Referat Zamówień Publicznych"
OTHER_DEPARTMENTS = [
    ("Referat Spraw Obywatelskich", 0.30, 0.10),
    ("Referat Podatków", 0.25, -0.05),
    ("Urząd Stanu Cywilnego", 0.15, 0.25),
    ("Referat Budownictwa", 0.15, -0.20),
    ("Referat Gospodarki Komunalnej", 0.10, -0.10),
    ("Sekretariat", 0.05, 0.20),
]
# Rating items rated better or worse than the respondent's mood, and how often "nie
# dotyczy" is chosen (online, paper). Items not named: 0.0 and 3 %.
ITEM_OFFSET = {
    "wizerunek_parking": -0.65,
    "wizerunek_strona": -0.20,
    "wizerunek_czystosc": 0.30,
    "wizerunek_ubior": 0.35,
    "podejscie_godziny": -0.15,
    "podejscie_formularze": -0.10,
    "podejscie_szacunek": 0.25,
    "kompetencje_uprzejmosc": 0.30,
    "terminowosc_oczekiwanie": -0.55,
    "terminowosc_dotrzymanie": -0.20,
}
ITEM_NA = {
    "wizerunek_parking": (0.15, 0.25),
    "wizerunek_strona": (0.08, 0.30),
    "podejscie_formularze": (0.10, 0.10),
    "terminowosc_informacja": (0.06, 0.08),
    "terminowosc_dotrzymanie": (0.12, 0.15),
}
# Waiting time improves over the years (a queue system was installed), so the trend and
# the comparison have something to show.
ITEM_TREND = {"terminowosc_oczekiwanie": 0.12}
OPTION_WEIGHTS = {
    "cel_wizyty": {
        "zlozenie_wniosku": 35,
        "odbior_dokumentu": 25,
        "informacja": 20,
        "uzupelnienie": 10,
        "skarga_wniosek": 3,
        "inna": 7,
    },
    "metryka_czestotliwosc": {"pierwszy_raz": 25, "kilka_razy_w_roku": 60, "raz_w_miesiacu": 15},
    "metryka_rodzaj_klienta": {"osoba_fizyczna": 80, "przedsiebiorca": 15, "instytucja": 5},
    "metryka_plec": {"kobieta": 52, "mezczyzna": 43, "nie_podaje": 5},
    "metryka_wiek": {"do_25": 10, "26_40": 32, "41_55": 30, "56_65": 16, "pow_65": 12},
    "metryka_wyksztalcenie": {"podstawowe": 5, "zawodowe": 18, "srednie": 40, "wyzsze": 37},
    "metryka_zamieszkanie": {"gmina": 85, "poza_gmina": 15},
}
COMMENTS = [
    "Więcej miejsc parkingowych dla interesantów.",
    "Dłuższe godziny pracy w czwartki.",
    "Za długo czekałem w kolejce do okienka.",
    "Bardzo miła i kompetentna obsługa, dziękuję!",
    "Automat z numerkami także na parterze.",
    "Strona internetowa jest nieczytelna, trudno znaleźć formularze.",
    "Brak podjazdu dla wózków przy wejściu od ul. Długiej.",
    "Formularze powinny być dostępne do wypełnienia przez internet.",
    "Pani w okienku nr 3 była bardzo pomocna.",
    "Latem w poczekalni jest za gorąco, przydałaby się klimatyzacja.",
    "Więcej stanowisk w Wydziale Komunikacji.",
    "Telefon w sekretariacie często nie odpowiada.",
    "Termin załatwienia sprawy przekroczono o dwa tygodnie.",
    "- więcej ławek w poczekalni",
    "Możliwość płatności kartą w kasie.",
    "Oznakowanie pokoi jest mylące, błądziłam po piętrach.",
    "Wszystko w porządku.",
    "Brak toalety dla interesantów na piętrze.",
    "Urzędnik nie potrafił odpowiedzieć na moje pytania.",
    "Szybko i sprawnie, tak trzymać.",
    "Za mało informacji o wymaganych dokumentach.",
    "Możliwość umawiania wizyt przez internet.",
    'Proszę o "ludzki" język w pismach, a nie cytaty z ustawy.',
    "Obsługa w języku ukraińskim bardzo pomogła.",
    "Godziny otwarcia w sobotę choć raz w miesiącu.",
    "Kasa zamknięta w czasie przerwy, musiałem wrócić.",
    "Uprzejmy pan ochroniarz wskazał drogę.",
    "Wniosek odrzucono bez wyjaśnienia przyczyny.",
    "Pokój 214 – za mało krzeseł.",
    "Poprawić wentylację; w zimie duszno.",
]

TZ_NAME = "Europe/Warsaw"  # checked against settings.TIME_ZONE


# ============================================================================ data


def _lookup(weights: dict, size: int = 1000) -> list:
    """A list of ``size`` slots filled in proportion to ``weights``: a uniform index into
    it draws a value much faster than random.choices."""
    total = sum(weights.values())
    table = []
    cumulative = 0.0
    for value, weight in weights.items():
        cumulative += weight
        table += [value] * (round(cumulative / total * size) - len(table))
    return table


@dataclass
class OfficePlan:
    office_id: int
    version_id: int
    responses: int
    departments: list  # (id, weight, quality, last local day it was open or None)


class Generator:
    """Rows of responses for every office of the benchmark, oldest first (offices
    interleaved, as a live database has them), drawn with one seeded RNG: the same
    arguments always give the same rows."""

    def __init__(
        self,
        plans: list[OfficePlan],
        span_start: date,
        span_end: date,
        seed: int,
        definition: dict,
        tz,
    ):
        self.plans = plans
        self.span_start, self.span_end = span_start, span_end
        self.days = [
            span_start + timedelta(days=i) for i in range((span_end - span_start).days + 1)
        ]
        self.rnd = random.Random(seed)
        self.tz = tz
        # Normal noise drawn once: a table lookup is several times faster than gauss().
        noise_rnd = random.Random(seed + 1)
        self.noise = [noise_rnd.gauss(0.0, 0.7) for _ in range(4096)]
        self.mood_noise = [noise_rnd.gauss(0.0, 0.8) for _ in range(4096)]
        questions = [q for s in definition["sections"] for q in s["questions"]]
        self.ratings = [
            (
                q["key"],
                ITEM_OFFSET.get(q["key"], 0.0),
                ITEM_TREND.get(q["key"], 0.0),
                *ITEM_NA.get(q["key"], (0.03, 0.03)),
            )
            for q in questions
            if q["kind"] == "rating" and q.get("na")
        ]
        self.singles = {
            q["key"]: _lookup(OPTION_WEIGHTS.get(q["key"]) or {o["value"]: 1 for o in q["options"]})
            for q in questions
            if q["kind"] == "single"
        }
        self.metryka = [k for k in self.singles if k.startswith("metryka_")]
        self.counts = {plan.office_id: self._allocate(plan.responses) for plan in plans}

    def _weight(self, day: date) -> float:
        weekday = day.weekday()
        dow = 1.0 if weekday < 5 else (0.10 if weekday == 5 else 0.05)
        season = (1.10, 1.05, 1.10, 1.0, 0.95, 0.90, 0.80, 0.78, 1.0, 1.05, 1.0, 0.85)
        growth = 1.0 + 0.12 * (day - self.span_start).days / 365.25  # the survey catches on
        return dow * season[day.month - 1] * growth

    def _allocate(self, total: int) -> list[int]:
        """Responses per day summing exactly to ``total`` (largest remainder)."""
        weights = [self._weight(day) for day in self.days]
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        return counts

    def rows(self, now: datetime):
        """(utc submitted_at, office, version, channel, source, language, department,
        answers JSON, utc entered_at or None), oldest first."""
        rnd, tz = self.rnd, self.tz
        tables = {plan.office_id: self._department_tables(plan) for plan in self.plans}
        years = (self.span_end - self.span_start).days / 365.25
        for index, day in enumerate(self.days):
            midnight = datetime.combine(day, dtime(0))
            # Local times of 7:00–22:00 all have the offset of noon (DST switches at night).
            base = midnight - datetime.combine(day, dtime(12), tz).utcoffset()
            age = (day - self.span_start).days / 365.25  # years since the start
            online_share = 0.45 + 0.25 * age / years if day.weekday() < 5 else 1.0
            batch = []
            for plan in self.plans:
                open_table, closed_table = tables[plan.office_id]
                departments = (
                    open_table
                    if closed_table is None or day <= closed_table[0]
                    else closed_table[1]
                )
                for _ in range(self.counts[plan.office_id][index]):
                    paper = rnd.random() >= online_share
                    if paper:
                        submitted = base + timedelta(hours=12)  # as paper entry stores it
                        entered = submitted + timedelta(
                            days=rnd.randint(0, 14),
                            hours=rnd.randint(0, 4),
                            seconds=rnd.randint(0, 3599),
                        )
                        entered = min(entered, now.replace(tzinfo=None))
                        channel, source, language = "paper", "papier", "pl"
                        department = (
                            None if rnd.random() < 0.06 else departments[int(rnd.random() * 1000)]
                        )
                    else:
                        submitted = base + timedelta(seconds=25200 + rnd.random() * 54000)
                        entered = None
                        channel = "online"
                        r = rnd.random()
                        source = "" if r < 0.7 else ("qr" if r < 0.9 else "strona")
                        r = rnd.random()
                        language = (
                            "pl" if r < 0.94 else "en" if r < 0.97 else "uk" if r < 0.995 else "de"
                        )
                        department = departments[int(rnd.random() * 1000)]
                    department_id, quality = department or (None, 0.0)
                    mood = 3.95 + quality + 0.05 * age + self.mood_noise[int(rnd.random() * 4096)]
                    answers = self._answers(rnd, mood, paper, age)
                    batch.append(
                        (
                            submitted,
                            plan.office_id,
                            plan.version_id,
                            channel,
                            source,
                            language,
                            department_id,
                            json.dumps(answers),
                            entered,
                        )
                    )
            batch.sort(key=lambda row: row[0])
            yield from batch

    def _department_tables(self, plan: OfficePlan):
        """Lookup tables of (id, quality): while every department was open, and after one
        closed (None when none did); with the closing day."""
        everyone = {(d, q): w for d, w, q, _closed in plan.departments}
        open_table = _lookup(everyone)
        closed = [c for _d, _w, _q, c in plan.departments if c is not None]
        if not closed:
            return open_table, None
        remaining = {(d, q): w for d, w, q, c in plan.departments if c is None}
        return open_table, (min(closed), _lookup(remaining))

    def _answers(self, rnd, mood: float, paper: bool, age: float) -> dict:
        """One resident's answers, in questionnaire order, only what was answered."""
        answers = {}
        singles = self.singles
        if rnd.random() < 0.88:
            table = singles["cel_wizyty"]
            answers["cel_wizyty"] = table[int(rnd.random() * len(table))]
        style = rnd.random()
        skip = 0.0 if style < 0.6 else (0.15 if style < 0.9 else 0.65)
        if paper:
            skip += 0.04
        noise = self.noise
        for key, offset, trend, na_online, na_paper in self.ratings:
            if skip and rnd.random() < skip:
                continue
            if rnd.random() < (na_paper if paper else na_online):
                answers[key] = "na"
                continue
            value = int(mood + offset + trend * age + noise[int(rnd.random() * 4096)] + 0.5)
            answers[key] = 1 if value < 1 else (5 if value > 5 else value)
        if not paper or rnd.random() < 0.95:  # required online; a paper sheet may skip it
            value = int(mood + 0.1 + noise[int(rnd.random() * 4096)] * 0.8 + 0.5)
            answers["ocena_ogolna"] = 1 if value < 1 else (5 if value > 5 else value)
        if rnd.random() < 0.8:
            r = rnd.random() + (3.95 - mood) * 0.15
            answers["sprawa_zalatwiona"] = (
                "tak" if r < 0.72 else ("czesciowo" if r < 0.9 else "nie")
            )
            if mood > 4.2 and answers["sprawa_zalatwiona"] == "nie":
                answers["sprawa_zalatwiona"] = "tak"
        if rnd.random() < 0.10:
            answers["co_poprawic"] = self._comment(rnd)
        if rnd.random() < 0.55:  # the metryka is answered sometimes
            for key in self.metryka:
                if rnd.random() < 0.9:
                    table = singles[key]
                    answers[key] = table[int(rnd.random() * len(table))]
        return answers

    @staticmethod
    def _comment(rnd) -> str:
        parts = [COMMENTS[int(rnd.random() * len(COMMENTS))] for _ in range(rnd.randint(1, 3))]
        if rnd.random() < 0.03:  # a long one
            parts = parts * 8
        return " ".join(parts)[:2000]


# ======================================================================== databases


def sqlite_stamp(moment: datetime | None) -> str | None:
    """Django's text for a datetime on SQLite: naive UTC, ISO with a space."""
    return None if moment is None else moment.isoformat(" ")


def pg_stamp(moment: datetime | None) -> str:
    return "\\N" if moment is None else moment.isoformat(" ") + "+00"


# The columns the bulk load fills (the others keep their defaults: NULL).
SQLITE_INSERT = (
    "INSERT INTO responses_response (submitted_at, office_id, version_id, channel, source, "
    "language, department_id, answers, entered_at, entered_by_id, sheet_number) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)"
)
PG_COPY = (
    "COPY responses_response (submitted_at, office_id, version_id, channel, source, language, "
    "department_id, answers, entered_at, entered_by_id, sheet_number) FROM STDIN"
)
META_READ = "SELECT value FROM bench_report_meta WHERE key = 'fill'"
META_CREATE = "CREATE TABLE IF NOT EXISTS bench_report_meta (key text PRIMARY KEY, value text)"


class Store:
    """One engine's cached database: checks it, (re)creates it, bulk-loads rows."""

    name = label = ""

    def __init__(self, args):
        self.args = args

    def database_url(self) -> str:
        raise NotImplementedError

    def read_meta(self) -> dict | None:
        raise NotImplementedError

    def recreate(self):
        raise NotImplementedError

    def load(self, rows, total: int):
        raise NotImplementedError

    def write_meta(self, meta: dict):
        raise NotImplementedError

    def drop(self):
        raise NotImplementedError


class SQLiteStore(Store):
    name = "sqlite"

    def __init__(self, args):
        super().__init__(args)
        self.path = Path(args.sqlite_path)
        self.label = f"SQLite {sqlite3.sqlite_version} (WAL)"

    def database_url(self) -> str:
        return f"sqlite:///{self.path}"

    def read_meta(self) -> dict | None:
        if not self.path.exists():
            return None
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
            try:
                (value,) = conn.execute(META_READ).fetchone()
                meta = json.loads(value)
                meta["rows_now"] = conn.execute(
                    "SELECT COUNT(*) FROM responses_response"
                ).fetchone()[0]
            except (sqlite3.Error, TypeError):
                return None
        return meta

    def recreate(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def load(self, rows, total: int):
        sql = SQLITE_INSERT
        with contextlib.closing(
            sqlite3.connect(self.path, isolation_level=None, timeout=60)
        ) as conn:
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-262144")  # 256 MiB for the indexes
            done = 0
            chunk = []
            for row in rows:
                chunk.append((sqlite_stamp(row[0]), *row[1:8], sqlite_stamp(row[8])))
                if len(chunk) >= CHUNK:
                    done += self._insert(conn, sql, chunk)
                    chunk = []
                    progress(done, total)
            done += self._insert(conn, sql, chunk)
            progress(done, total)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return done

    @staticmethod
    def _insert(conn, sql, chunk) -> int:
        conn.execute("BEGIN")
        conn.executemany(sql, chunk)
        conn.execute("COMMIT")
        return len(chunk)

    def write_meta(self, meta: dict):
        with contextlib.closing(
            sqlite3.connect(self.path, isolation_level=None, timeout=60)
        ) as conn:
            conn.execute(META_CREATE)
            conn.execute(
                "INSERT OR REPLACE INTO bench_report_meta VALUES ('fill', ?)", (json.dumps(meta),)
            )

    def drop(self):
        self.recreate()


class PostgresStore(Store):
    name = "postgres"

    def __init__(self, args):
        super().__init__(args)
        self.url = args.pg_url
        parts = urlsplit(self.url)
        self.dbname = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.dbname or "") or "bench" not in self.dbname:
            raise SystemExit(f"--pg-url must name a bench database (…/bench_x), not {self.url}")
        self.admin_url = parts._replace(path="/postgres").geturl()
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0]
        self.label = f"PostgreSQL {self.version}"

    def database_url(self) -> str:
        return self.url

    def read_meta(self) -> dict | None:
        import psycopg

        try:
            with psycopg.connect(self.url) as conn:
                (value,) = conn.execute(META_READ).fetchone()
                meta = json.loads(value)
                meta["rows_now"] = conn.execute(
                    "SELECT COUNT(*) FROM responses_response"
                ).fetchone()[0]
        except (psycopg.Error, TypeError):
            return None
        return meta

    def recreate(self):
        self.drop()
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.dbname)))

    def load(self, rows, total: int):
        import psycopg

        copy_sql = PG_COPY
        done = 0
        with psycopg.connect(self.url) as conn:
            lines = []
            for row in rows:
                department = "\\N" if row[6] is None else str(row[6])
                # COPY's text format: a backslash escapes, so JSON's own escapes are doubled.
                answers = row[7].replace("\\", "\\\\")
                lines.append(
                    f"{pg_stamp(row[0])}\t{row[1]}\t{row[2]}\t{row[3]}\t{row[4]}\t{row[5]}\t"
                    f"{department}\t{answers}\t{pg_stamp(row[8])}\t\\N\t\\N\n"
                )
                if len(lines) >= CHUNK:
                    done += self._copy(conn, copy_sql, lines)
                    lines = []
                    progress(done, total)
            done += self._copy(conn, copy_sql, lines)
            progress(done, total)
        print("    VACUUM ANALYZE …", flush=True)
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE) responses_response")
        return done

    @staticmethod
    def _copy(conn, copy_sql, lines) -> int:
        with conn.transaction(), conn.cursor() as cur, cur.copy(copy_sql) as copy:
            copy.write("".join(lines))
        return len(lines)

    def write_meta(self, meta: dict):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(META_CREATE)
            conn.execute(
                "INSERT INTO bench_report_meta VALUES ('fill', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (json.dumps(meta),),
            )

    def drop(self):
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.dbname)
                )
            )


STORES = {"sqlite": SQLiteStore, "postgres": PostgresStore}

_last_progress = [0.0]


def progress(done: int, total: int):
    now = time.monotonic()
    if done >= total or now - _last_progress[0] > 10:
        _last_progress[0] = now
        print(f"    … {done:,} / {total:,} rows", flush=True)


# ============================================================================= fill


def wanted_meta(args) -> dict:
    return {
        "generator": GENERATOR_VERSION,
        "responses": args.responses,
        "others": [args.others] * len(OTHER_SLUGS),
        "seed": args.seed,
    }


def cache_state(store: Store, args) -> tuple[dict | None, str]:
    """The cached database's fill description when it can be reused, else why not."""
    if args.refill:
        return None, "--refill"
    meta = store.read_meta()
    if meta is None:
        return None, "no filled database yet"
    wanted = wanted_meta(args)
    differs = [k for k, v in wanted.items() if meta.get(k) != v]
    if differs:
        return None, "filled with other parameters (" + ", ".join(differs) + ")"
    if meta.get("rows_now") != meta.get("rows"):
        return None, f"holds {meta.get('rows_now')} responses instead of {meta.get('rows')}"
    return meta, "reused"


def django_setup(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocenurzad.settings"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from django.conf import settings

    if settings.TIME_ZONE != TZ_NAME:
        raise SystemExit(f"TIME_ZONE is {settings.TIME_ZONE}, the generator assumes {TZ_NAME}")


def fill(store: Store, args) -> dict:
    """Offices, departments and surveys through the ORM; responses by bulk insert."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ocenurzad.offices.models import Department, Office
    from ocenurzad.surveys.default_definition import default_definition
    from ocenurzad.surveys.services import survey_create_default

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    today = timezone.localdate()
    try:
        span_start = today.replace(year=today.year - YEARS)
    except ValueError:  # 29 February
        span_start = today.replace(year=today.year - YEARS, day=28)
    span_end = today - timedelta(days=1)  # yesterday: every day of the data is closed
    closed_on = (
        span_end.replace(year=span_end.year - 2)
        if span_end.month != 2
        else span_end - timedelta(days=730)
    )

    plans = []
    offices = {}
    for slug, name, departments, count in [
        (MAIN_SLUG, "Urząd Miasta Benchmarkowo", DEPARTMENTS, args.responses),
        *[
            (slug, f"Urząd Gminy {slug.rsplit('-', 1)[1].upper()}", OTHER_DEPARTMENTS, args.others)
            for slug in OTHER_SLUGS
        ],
    ]:
        office = Office.objects.create(
            slug=slug,
            name=name,
            office_type="miasto" if slug == MAIN_SLUG else "gmina",
            street_address="ul. Długa 1",
            postal_code="00-001",
            city=name.split()[-1],
        )
        rows = []
        for position, (dep_name, weight, quality) in enumerate(departments):
            closed = slug == MAIN_SLUG and dep_name == CLOSED_DEPARTMENT
            department = Department.objects.create(
                office=office, name=dep_name, position=position, is_active=not closed
            )
            rows.append((department.pk, weight, quality, closed_on if closed else None))
        survey = survey_create_default(office=office)
        plans.append(OfficePlan(office.pk, survey.current_version_id, count, rows))
        offices[slug] = office.pk
    connection.close()  # the bulk load uses its own connection

    generator = Generator(
        plans,
        span_start,
        span_end,
        args.seed,
        default_definition(),
        timezone.get_default_timezone(),
    )
    total = args.responses + args.others * len(OTHER_SLUGS)
    print(f"    inserting {total:,} responses ({span_start} … {span_end}) …", flush=True)
    started = time.perf_counter()
    rows = store.load(generator.rows(now), total)
    seconds = time.perf_counter() - started
    meta = {
        **wanted_meta(args),
        "rows": rows,
        "span_start": span_start.isoformat(),
        "span_end": span_end.isoformat(),
        "offices": offices,
        "filled_at": now.isoformat(timespec="seconds"),
        "fill_seconds": round(seconds, 1),
    }
    store.write_meta(meta)
    return meta


# ========================================================================= measures


def vm_hwm_mb() -> float:
    """This process's peak resident set so far (VmHWM), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Timed:
    wall: float
    cpu: float
    result: object = None
    waited: float = 0.0  # seconds runnable but waiting for a CPU (others' processes)


def run_queue_wait() -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat);
    0 where the kernel does not say. On a shared machine this, not the database, is most
    of the difference between wall and CPU time."""
    try:
        with open(f"/proc/self/task/{os.getpid()}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def timed(fn) -> Timed:
    wall, cpu, waited = time.perf_counter(), time.process_time(), run_queue_wait()
    result = fn()
    return Timed(
        time.perf_counter() - wall,
        time.process_time() - cpu,
        result,
        run_queue_wait() - waited,
    )


NAIVE_SQLITE = (
    "SELECT j.key, j.value, count(*) FROM responses_response r, json_each(r.answers) j "
    "WHERE r.office_id = %s AND r.submitted_at >= %s AND r.submitted_at < %s "
    "GROUP BY j.key, j.value"
)
NAIVE_PG_JSONB = (
    "SELECT j.key, j.value, count(*) FROM responses_response r, jsonb_each_text(r.answers) j "
    "WHERE r.office_id = %s AND r.submitted_at >= %s AND r.submitted_at < %s "
    "GROUP BY j.key, j.value"
)
NAIVE_PG_JSON = NAIVE_PG_JSONB.replace("jsonb_each_text", "json_each_text")


def naive_sql(vendor: str, answers_type: str) -> str:
    """The baseline: every (question, answer) pair of the period counted by the database.
    On PostgreSQL Django's JSONField is jsonb (checked, not assumed)."""
    if vendor == "sqlite":
        return NAIVE_SQLITE
    return NAIVE_PG_JSONB if answers_type == "jsonb" else NAIVE_PG_JSON


def answers_column_type() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return "text (JSON)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'responses_response' AND column_name = 'answers'"
        )
        return cursor.fetchone()[0]


def naive_run(office_id: int, start: date, end: date, answers_type: str) -> Timed:
    from django.db import connection

    from ocenurzad.reports.selectors import day_start

    since, until = day_start(start), day_start(end + timedelta(days=1))
    if connection.vendor == "sqlite":  # Django's own text for a datetime on SQLite
        since, until = (
            sqlite_stamp(m.astimezone(UTC).replace(tzinfo=None)) for m in (since, until)
        )
    sql = naive_sql(connection.vendor, answers_type)

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [office_id, since, until])
            return cursor.fetchall()

    return timed(run)


def rollups_delete(office) -> int:
    from ocenurzad.reports.models import ReportRollup

    deleted, _ = ReportRollup.objects.filter(office=office).delete()
    return deleted


def rollups_count(office) -> tuple[int, int]:
    from ocenurzad.reports.models import ReportRollup

    rows = ReportRollup.objects.filter(office=office)
    return rows.filter(granularity="month").count(), rows.filter(granularity="day").count()


def profile_call(fn, top: int, title: str):
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
        text = out.getvalue()
        # Drop pstats' preamble down to the column header.
        text = text[text.find("   ncalls") :] if "   ncalls" in text else text
        print(f"\n--- cProfile: {title}, by {sort} (top {top})\n{text.rstrip()}")


@dataclass
class Figure:
    label: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: no target (information)
    note: str = ""

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("OK" if self.ok else "MISSED")


def engine_main(args) -> dict:
    """Everything for one engine, in this (child) process."""
    store = STORES[args._engine](args)
    load_start = os.getloadavg()
    print(f"\n=== {store.label}: {store.database_url()}", flush=True)
    print(f"    load average at start: {fmt_load(load_start)} on {os.cpu_count()} CPUs", flush=True)
    meta, why = cache_state(store, args)
    fill_note = ""
    if meta is None:
        print(f"    filling the database ({why}) …", flush=True)
        store.recreate()
        django_setup(store.database_url())
        meta = fill(store, args)
        fill_note = (
            f"filled now in {meta['fill_seconds']:.0f} s "
            f"({meta['rows'] / meta['fill_seconds']:,.0f} rows/s)"
        )
    else:
        django_setup(store.database_url())
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # new migrations since
        fill_note = f"cached, filled {meta['filled_at']} in {meta['fill_seconds']:.0f} s"
    print(f"    data: {fill_note}", flush=True)

    from django.db import connection
    from django.utils import timezone

    from ocenurzad.offices.models import Office
    from ocenurzad.reports.compute import report_compute
    from ocenurzad.reports.periods import Compare, Kind, period_for
    from ocenurzad.reports.render.json import report_json

    office = Office.objects.get(slug=MAIN_SLUG)
    today = timezone.localdate()
    span_start = date.fromisoformat(meta["span_start"])
    last_year = today.year - 1
    periods = [
        (f"{last_year} (1 year)", date(last_year, 1, 1), date(last_year, 12, 31)),
        (f"{span_start} … {today} (5 years)", span_start, today),
    ]
    answers_type = answers_column_type()
    office_rows = meta["rows"] - args.others * len(OTHER_SLUGS)
    print(
        f"    {office_rows:,} responses of {MAIN_SLUG} from {meta['span_start']} to "
        f"{meta['span_end']}, {args.others:,} of each of {len(OTHER_SLUGS)} other offices; "
        f"answers column: {answers_type}",
        flush=True,
    )

    figures: list[Figure] = []
    results = {"engine": store.name, "label": store.label}
    reports = {}
    for label, start, end in periods:
        short = label.split(" (")[0] if "1 year" in label else "5 years"

        def compute(start=start, end=end):
            """report_compute then report_json, each timed: (report, JSON, split)."""
            first = timed(
                lambda: report_compute(
                    office=office, start=start, end=end, compare=Compare.PREVIOUS
                )
            )
            second = timed(lambda: report_json(first.result))
            return first.result, second.result, (first.wall, second.wall)

        deleted = rollups_delete(office)
        print(f"    report {label}: cold (deleted {deleted} rollups) …", flush=True)
        try:
            cold = timed(compute)
        except Exception as exc:  # the engine may still be unfinished: say exactly what broke
            import traceback

            traceback.print_exc()
            figures.append(
                Figure(
                    f"(a) JSON report {short}",
                    "FAILED",
                    "",
                    False,
                    f"{type(exc).__name__}: {exc}"[:300],
                )
            )
            results[f"report_{short}_error"] = f"{type(exc).__name__}: {exc}"
            continue
        months, days = rollups_count(office)
        report, body, _split = cold.result
        reports[short] = report
        warm = [timed(compute) for _ in range(args.runs)]
        middle = sorted(warm, key=lambda t: t.wall)[len(warm) // 2]  # the median run
        warm_wall, warm_cpu = middle.wall, middle.cpu
        compute_s, json_s = middle.result[2]
        print(f"    naive GROUP BY {label} …", flush=True)
        naive = naive_run(office.pk, start, end, answers_type)
        responses = report["method"]["responses"]
        open_kib = len(json.dumps(report["open_answers"], ensure_ascii=False, indent=1)) / 1024
        ratio = warm_wall / naive.wall if naive.wall else float("inf")
        figures += [
            Figure(
                f"(a) JSON report {short}, cold first run",
                f"{cold.wall:.2f} s",
                "— (builds rollups)",
                None,
                f"CPU {cold.cpu:.2f} s; read {responses:,} responses, stored {months} month "
                f"+ {days} day rollups; {'within' if cold.wall <= TARGET_REPORT_S else 'OVER'} "
                "1 s",
            ),
            Figure(
                f"(a) JSON report {short}, warm (median of {args.runs})",
                f"{warm_wall:.3f} s",
                f"<= {TARGET_REPORT_S:g} s",
                warm_wall <= TARGET_REPORT_S,
                f"CPU {warm_cpu:.3f} s, waited for a CPU {middle.waited:.3f} s; wall = "
                f"report_compute {compute_s:.3f} s + report_json {json_s:.3f} s; runs "
                + ", ".join(f"{t.wall:.3f}" for t in warm)
                + f"; JSON {len(body) / 1024:,.0f} KiB, of it {open_kib:,.0f} KiB the "
                f"{report['open_answers_count']:,} open answers",
            ),
            Figure(
                f"(b) naive GROUP BY {short}",
                f"{naive.wall:.2f} s",
                "",
                None,
                f"CPU of this process {naive.cpu:.2f} s (the rest is the database's); "
                f"{len(naive.result):,} (key, value) groups",
            ),
            Figure(
                f"(b) ratio warm report / naive {short}",
                f"{ratio:.3f}",
                f"<= {TARGET_RATIO:g}",
                ratio <= TARGET_RATIO,
                f"cold / naive {cold.wall / naive.wall:.2f}" if naive.wall else "",
            ),
        ]
        results[f"report_{short}_cold"] = cold.wall
        results[f"report_{short}_warm"] = warm_wall
        results[f"naive_{short}"] = naive.wall
        results[f"ratio_{short}"] = ratio

    # Every other kind of period with its comparison, warm (the rollups are stored by now).
    quarter_end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    quarter = (quarter_end.year, (quarter_end.month - 1) // 3 + 1)
    month_end = today.replace(day=1) - timedelta(days=1)
    kinds = [
        (f"quarter {quarter[0]}-Q{quarter[1]} vs a year earlier", Kind.QUARTER,
         Compare.YEAR_AGO, {"year": quarter[0], "quarter": quarter[1]}),
        (f"month {month_end:%Y-%m} vs the month before", Kind.MONTH, Compare.PREVIOUS,
         {"month": (month_end.year, month_end.month)}),
        (f"year {today.year} so far vs the same dates", Kind.YEAR, Compare.PREVIOUS,
         {"year": today.year}),
        ("last 12 months vs the 12 before", Kind.LAST_12_MONTHS, Compare.PREVIOUS, {}),
    ]  # fmt: skip
    for label, kind, how, given in kinds:
        period = period_for(kind, today=today, **given)

        def compared(period=period, kind=kind, how=how):
            report = report_compute(
                office=office, start=period.start, end=period.end, compare=how, kind=kind
            )
            return report, report_json(report)

        timed(compared)  # builds what is missing (today's month, edges)
        runs = [timed(compared) for _ in range(args.runs)]
        middle = sorted(runs, key=lambda t: t.wall)[len(runs) // 2]
        report = middle.result[0]
        comparison = report["comparison"] or {}
        figures.append(
            Figure(
                f"(a) JSON report {label}, warm (median of {args.runs})",
                f"{middle.wall:.3f} s",
                f"<= {TARGET_REPORT_S:g} s",
                middle.wall <= TARGET_REPORT_S,
                f"CPU {middle.cpu:.3f} s, waited for a CPU {middle.waited:.3f} s; "
                f"{period.start} … {period.end} vs "
                f"{comparison.get('previous', {}).get('start')} … "
                f"{comparison.get('previous', {}).get('end')}; "
                f"{report['method']['responses']:,} responses; "
                f"{comparison.get('reliable_count')} reliable changes of "
                f"{comparison.get('tests')} tests",
            )
        )
        results[f"report_{kind}_{how}_warm"] = middle.wall

    # A report of one client type: a filter the rollups do not keep (they are kept by
    # department and channel), so it is counted from the period's raw answers of that type.
    year = period_for(Kind.YEAR, today=today, year=last_year)

    def of_client_type():
        report = report_compute(
            office=office,
            start=year.start,
            end=year.end,
            compare=Compare.PREVIOUS,
            kind=Kind.YEAR,
            client_type=CLIENT_TYPE,
        )
        return report, report_json(report)

    timed(of_client_type)  # the database's pages read once
    runs = [timed(of_client_type) for _ in range(args.runs)]
    middle = sorted(runs, key=lambda t: t.wall)[len(runs) // 2]
    figures.append(
        Figure(
            f"(a) JSON report {last_year} of client type {CLIENT_TYPE!r} vs {last_year - 1}, "
            f"warm (median of {args.runs})",
            f"{middle.wall:.3f} s",
            f"<= {TARGET_REPORT_S:g} s",
            middle.wall <= TARGET_REPORT_S,
            f"CPU {middle.cpu:.3f} s, waited for a CPU {middle.waited:.3f} s; "
            f"{middle.result[0]['method']['responses']:,} responses of that type, counted "
            "from the raw answers of both years (no rollups by client type)",
        )
    )
    results["report_client_type_warm"] = middle.wall

    one_year = f"{last_year}"
    if not args.skip_pdf:
        if one_year in reports:
            print(f"    PDF of the {one_year} report …", flush=True)
            import pypdfium2

            from ocenurzad.reports.render import pdf as pdf_module
            from ocenurzad.reports.render.pdf import report_pdf

            runs = [timed(lambda: report_pdf(reports[one_year])) for _ in range(2)]
            worst = max(t.wall for t in runs)
            pdf = runs[0].result
            pages = len(pypdfium2.PdfDocument(pdf))
            count = reports[one_year]["open_answers_count"]
            limit = getattr(pdf_module, "PDF_OPEN_ANSWERS_LIMIT", count)
            figures.append(
                Figure(
                    f"(c) PDF of the {one_year} report",
                    f"{worst:.2f} s",
                    f"<= {TARGET_PDF_S:g} s",
                    worst <= TARGET_PDF_S,
                    f"first {runs[0].wall:.2f} s (CPU {runs[0].cpu:.2f} s, waited for a CPU "
                    f"{runs[0].waited:.2f} s), second {runs[1].wall:.2f} s (CPU "
                    f"{runs[1].cpu:.2f} s, waited {runs[1].waited:.2f} s), report_pdf only ("
                    f"the warm report adds {results.get(f'report_{one_year}_warm', 0):.2f} s); "
                    f"{pages} pages, {len(pdf) / 1024:,.0f} KiB; it prints "
                    f"{min(count, limit):,} of the {count:,} open answers (limit {limit:,})",
                )
            )
            results["pdf"] = worst
        else:
            figures.append(
                Figure(
                    f"(c) PDF of the {one_year} report",
                    "not run",
                    "",
                    False,
                    "no report to draw (report_compute failed)",
                )
            )

    if not args.skip_csv:
        print(f"    CSV export of every response of {MAIN_SLUG}, in a child process …", flush=True)
        connection.close()
        csv = csv_in_child(store.database_url(), span_start, today, args)
        if "error" in csv:
            figures.append(Figure("(d) CSV export", "FAILED", "", False, csv["error"][:300]))
        else:
            figures += [
                Figure(
                    f"(d) CSV export, {csv['rows']:,} responses",
                    f"{csv['seconds']:.1f} s",
                    f"< {TARGET_CSV_S:g} s",
                    csv["seconds"] < TARGET_CSV_S,
                    f"{csv['bytes'] / 2**20:,.0f} MiB of CSV to {args.csv_out}, "
                    f"CPU {csv['cpu']:.1f} s, child process {csv['process_seconds']:.1f} s in all",
                ),
                Figure(
                    "(d) CSV export, peak RSS of its process",
                    f"{csv['peak_mb']:.0f} MB",
                    f"< {TARGET_CSV_MB:g} MB",
                    csv["peak_mb"] < TARGET_CSV_MB,
                    f"VmHWM of the child process, {csv['base_mb']:.0f} MB of it before the "
                    "export began (Python, Django, the ORM)",
                ),
            ]
            results["csv_seconds"] = csv["seconds"]
            results["csv_peak_mb"] = csv["peak_mb"]

    figures.append(
        Figure(
            "(e) one submission stays cheap",
            "see bench/submit.py",
            "",
            None,
            "not run here: it measures submissions/s against a bare-insert floor",
        )
    )
    load_end = os.getloadavg()
    print_table(store.label, figures, load_start, load_end, fill_note)
    results["figures"] = [f.__dict__ | {"verdict": f.verdict} for f in figures]

    if args.profile:
        from ocenurzad.reports.render.pdf import report_pdf

        for label, start, end in periods:
            short = label.split(" (")[0] if "1 year" in label else "5 years"
            if short not in reports:
                continue

            def both(s=start, e=end):
                return report_json(report_compute(office=office, start=s, end=e))

            rollups_delete(office)
            profile_call(both, args.profile_top, f"report_compute + report_json {label}, cold")
            profile_call(both, args.profile_top, f"report_compute + report_json {label}, warm")
        if one_year in reports and not args.skip_pdf:
            profile_call(
                lambda: report_pdf(reports[one_year]), args.profile_top, f"report_pdf {one_year}"
            )
    return results


def fmt_load(load) -> str:
    return " / ".join(f"{x:.2f}" for x in load)


def print_table(label, figures, load_start, load_end, fill_note):
    print(f"\n=== {label} — report benchmark ===")
    print(f"    data: {fill_note}")
    width = max(len(f.label) for f in figures)
    print(f"    {'figure':<{width}}  {'value':>19}  {'target':<19} verdict")
    for f in figures:
        print(f"    {f.label:<{width}}  {f.value:>19}  {f.target:<19} {f.verdict}")
        if f.note:
            print(f"    {'':<{width}}    {f.note}")
    print(
        f"    load average (1/5/15 min) at start {fmt_load(load_start)}, at end "
        f"{fmt_load(load_end)}, on {os.cpu_count()} CPUs"
    )
    if max(load_start[0], load_end[0]) > (os.cpu_count() or 1) * 0.5:
        print(
            "    note: other processes were busy; times are longer and noisier than on a "
            "quiet machine"
        )
    print(
        "    cold = first report of the period with no rollups stored (it reads every raw "
        "answer once and stores the rollups); warm = every later report: the steady state "
        "the 1 s target is for."
    )


# ============================================================================ CSV child


def csv_in_child(database_url: str, start: date, end: date, args) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--_csv-child",
        "--_database-url",
        database_url,
        "--_start",
        start.isoformat(),
        "--_end",
        end.isoformat(),
        "--csv-out",
        args.csv_out,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode:
        return {"error": f"exit {result.returncode}: {result.stderr[-2000:]}"}
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("CSV_RESULT "))
    out = json.loads(line.removeprefix("CSV_RESULT "))
    out["process_seconds"] = elapsed
    return out


def csv_child(args) -> int:
    django_setup(args._database_url)
    from ocenurzad.offices.models import Office
    from ocenurzad.reports.render.csv import csv_stream, responses_csv_rows

    office = Office.objects.get(slug=MAIN_SLUG)
    start, end = date.fromisoformat(args._start), date.fromisoformat(args._end)
    base = vm_hwm_mb()
    count = [0]

    def counted(rows):
        for row in rows:
            count[0] += 1
            yield row

    def export():
        written = 0
        with open(args.csv_out, "wb") as out:
            for chunk in csv_stream(
                counted(responses_csv_rows(office=office, start=start, end=end, k=5)),
                dialect="excel-pl",
            ):
                out.write(chunk)
                written += len(chunk)
        return written

    run = timed(export)
    print(
        "CSV_RESULT "
        + json.dumps(
            {
                "rows": count[0] - 1,  # the header
                "bytes": run.result,
                "seconds": run.wall,
                "cpu": run.cpu,
                "base_mb": base,
                "peak_mb": vm_hwm_mb(),
            }
        )
    )
    return 0


# ================================================================================ main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--engines",
        default="sqlite,postgres",
        help="comma-separated: sqlite, postgres (default both)",
    )
    parser.add_argument(
        "--responses",
        type=int,
        default=1_000_000,
        help="responses of the measured office (default 1000000)",
    )
    parser.add_argument(
        "--others",
        type=int,
        default=100_000,
        help=f"responses of each of the {len(OTHER_SLUGS)} other offices (default 100000)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--refill",
        action="store_true",
        help="fill the databases again even when the cached ones fit",
    )
    parser.add_argument("--runs", type=int, default=3, help="warm report runs (default 3)")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument(
        "--csv-out", default=os.devnull, help="where the CSV export is written (default /dev/null)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print cProfile listings of report_compute, cold and warm",
    )
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument(
        "--sqlite-path",
        default=str(DEFAULT_SQLITE),
        help=f"the cached SQLite database (default {DEFAULT_SQLITE})",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_REPORT_PG_URL", DEFAULT_PG_URL),
        help="the cached PostgreSQL database (its name must contain 'bench')",
    )
    parser.add_argument(
        "--drop-cache", action="store_true", help="remove the cached databases at the end"
    )
    # Internal: one engine's child process, and the CSV export's child process.
    parser.add_argument("--_engine", help=argparse.SUPPRESS)
    parser.add_argument("--_result", help=argparse.SUPPRESS)
    parser.add_argument("--_csv-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_database-url", help=argparse.SUPPRESS)
    parser.add_argument("--_start", help=argparse.SUPPRESS)
    parser.add_argument("--_end", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._csv_child:
        return csv_child(args)
    if args._engine:
        results = engine_main(args)
        Path(args._result).write_text(json.dumps(results, default=str))
        return 0

    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = set(names) - set(STORES)
    if unknown or not names:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown)) or '(none)'}")
    if args.responses < 1 or args.others < 0 or args.runs < 1:
        parser.error("need --responses >= 1, --others >= 0, --runs >= 1")
    load = os.getloadavg()
    print(
        f"Oceń Urząd report benchmark — {os.cpu_count()} CPU cores, Python "
        f"{sys.version.split()[0]}, {args.responses:,} responses of one office over {YEARS} "
        f"years (+ {len(OTHER_SLUGS)} x {args.others:,} of other offices); load average "
        f"{fmt_load(load)}"
    )
    summary = []
    with tempfile.TemporaryDirectory(prefix="ou-bench-report-") as tmp:
        for name in names:
            result_path = Path(tmp) / f"{name}.json"
            forwarded = list(sys.argv[1:])
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                *forwarded,
                "--_engine",
                name,
                "--_result",
                str(result_path),
            ]
            code = subprocess.run(command, cwd=ROOT, check=False).returncode
            if code or not result_path.exists():
                print(f"\n{name}: the engine's run failed (exit {code})")
                summary.append({"engine": name, "failed": code})
                continue
            summary.append(json.loads(result_path.read_text()))
    if args.drop_cache:
        for name in names:
            STORES[name](args).drop()
        print("\ncached databases removed (--drop-cache)")

    print(
        "\nSummary (warm = steady state; targets: report <= 1 s, report/naive <= 0.5, "
        "PDF <= 5 s, CSV < 60 s and < 300 MB)"
    )
    for row in summary:
        if row.get("failed") is not None:
            print(f"  {row['engine']:<9} FAILED (exit {row['failed']})")
            continue
        missed = [f["label"] for f in row["figures"] if f["verdict"] == "MISSED"]
        parts = [
            f"{f['label'].split(' ', 1)[1]}: {f['value']}" for f in row["figures"] if f["verdict"]
        ]
        print(f"  {row['label']}")
        for part in parts:
            print(f"      {part}")
        print(f"      → {'all targets met' if not missed else 'MISSED: ' + '; '.join(missed)}")
    print(f"load average at the end: {fmt_load(os.getloadavg())}")
    print("(e) whether a submission stays cheap is measured by bench/submit.py (not run here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
