#!/usr/bin/env python
"""How many valid survey submissions per second the app stores, over HTTP, under gunicorn.

For each database engine (SQLite, PostgreSQL) it prepares a fresh database, starts the
Django app and the floor (bench/floor_app.py, a plain WSGI app doing only the insert)
under gunicorn with the same settings, and measures:

  (a) submissions/s — POSTs of valid answers with tokens fetched beforehand (untimed),
      Django next to the floor, and their ratio (target >= 0.5);
  (b) complete respondent cycles/s — GET the form, read its token, POST ~20 answers
      (target >= 325/s, 50 x the reference 6.5/s).

Only 303 answers count. Every server is stopped at the end. Only 127.0.0.1 is used.
See bench/README.md.

    .venv/bin/python bench/submit.py [--engines sqlite,postgres] [--duration 30]
        [--clients 8] [--workers 2] [--worker-class gthread] [--threads 4]
"""

import argparse
import contextlib
import gzip
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
sys.path.insert(0, str(ROOT / "src"))

from ocenurzad.surveys.default_definition import default_definition  # noqa: E402

SLUG = "benchmarkowo"
REFERENCE_CYCLES = 6.5  # complete respondent cycles/s of the system being replaced
CYCLES_FACTOR = 50
RATIO_TARGET = 0.5
SECRET_KEY = "bench-only-not-secret-" + "y" * 40
TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
# What a browser sends; the survey page is then gzipped by Django (GZipMiddleware).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate"}
HTTP_TIMEOUT = 15.0
ERROR_PAUSE = 0.01  # after a connection error, so that a dead server is not hammered
DEPARTMENTS = [
    "Wydział Komunikacji",
    "Wydział Spraw Obywatelskich",
    "Urząd Stanu Cywilnego",
    "Wydział Podatków i Opłat",
    "Wydział Architektury i Budownictwa",
    "Wydział Gospodarki Nieruchomościami",
    "Wydział Ochrony Środowiska",
    "Biuro Obsługi Interesantów",
]
SETUP_CODE = f"""
import json
from ocenurzad.offices.models import Department, Office
from ocenurzad.surveys.services import survey_create_default
office = Office.objects.create(slug={SLUG!r}, name="Urząd Miasta Benchmarkowo",
                               office_type="miasto", city="Benchmarkowo")
departments = [Department.objects.create(office=office, name=name, position=i)
               for i, name in enumerate({DEPARTMENTS!r})]
survey = survey_create_default(office=office)
print("BENCH_SETUP " + json.dumps({{"office_id": office.pk,
      "version_id": survey.current_version_id, "departments": [d.pk for d in departments]}}))
"""


# --------------------------------------------------------------------------- answers


def answer_bodies(department_ids: list[int], count: int, seed: int = 6) -> list[str]:
    """Urlencoded answers as a browser sends them (token put in front later).

    About 20 items answered: the department, the purpose, 14 of the 24 ratings (some
    "nie dotyczy"), the overall rating, "settled?", two metryka questions; the comment
    box is sent empty by most and filled by some. The honeypot goes empty, as from a
    browser.
    """
    rnd = random.Random(seed)
    questions = [q for s in default_definition()["sections"] for q in s["questions"]]
    ratings = [q["key"] for q in questions if q["kind"] == "rating" and q.get("na")]
    singles = {
        q["key"]: [o["value"] for o in q["options"]] for q in questions if q["kind"] == "single"
    }
    metryka = [k for k in singles if k.startswith("metryka_")]
    bodies = []
    for _ in range(count):
        answered = set(rnd.sample(ratings, min(14, len(ratings))))
        answered |= set(rnd.sample(metryka, min(2, len(metryka))))
        answered |= {"wydzial", "cel_wizyty", "ocena_ogolna", "sprawa_zalatwiona"}
        fields = [("adres_strony", "")]
        for q in questions:
            key, kind = q["key"], q["kind"]
            if kind == "text":
                text = (
                    "Dłuższe godziny pracy w czwartki i więcej miejsc parkingowych."
                    if rnd.random() < 0.2
                    else ""
                )
                fields.append((f"q_{key}", text))
            elif key not in answered:
                continue
            elif kind == "department":
                fields.append((f"q_{key}", str(rnd.choice(department_ids))))
            elif kind == "rating":
                value = "na" if q.get("na") and rnd.random() < 0.1 else str(rnd.randint(1, 5))
                fields.append((f"q_{key}", value))
            elif kind == "single":
                fields.append((f"q_{key}", rnd.choice(singles[key])))
        bodies.append(urlencode(fields))
    return bodies


def with_token(token: str, body: str) -> bytes:
    return f"token={quote(token, safe='')}&{body}".encode()


def floor_bodies(index: int, clients: int, token_length: int, pool: list[str]):
    """Endless bodies for the floor: unique stand-in tokens as long as real ones."""
    for n in itertools.count(index, clients):
        yield with_token(f"{n:0{token_length}d}", pool[n % len(pool)])


# ---------------------------------------------------------------------- HTTP client


class Client:
    """One keep-alive connection (reopened by http.client when the server closes it)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return response.status, data

    def close(self):
        self.conn.close()


@dataclass
class Stats:
    ok: int = 0
    statuses: Counter = field(default_factory=Counter)  # unexpected HTTP statuses
    exceptions: Counter = field(default_factory=Counter)  # connection-level failures
    latencies: list = field(default_factory=list)  # seconds, successful requests
    get_latencies: list = field(default_factory=list)
    elapsed: float = 0.0

    def merge(self, other: "Stats"):
        self.ok += other.ok
        self.statuses.update(other.statuses)
        self.exceptions.update(other.exceptions)
        self.latencies += other.latencies
        self.get_latencies += other.get_latencies

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) + sum(self.exceptions.values())

    def error_text(self) -> str:
        parts = [f"HTTP {s}: {n}" for s, n in sorted(self.statuses.items())]
        parts += [f"{e}: {n}" for e, n in sorted(self.exceptions.items())]
        return ", ".join(parts) or "none"


def percentile(values: list, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_clients(count: int, work, deadline: float) -> Stats:
    """Run ``work(index, client_stats, deadline)`` in ``count`` threads; merged stats."""
    per_thread = [Stats() for _ in range(count)]
    threads = [
        threading.Thread(target=work, args=(i, per_thread[i], deadline), daemon=True)
        for i in range(count)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 2 * HTTP_TIMEOUT)
    total = Stats(elapsed=time.perf_counter() - started)
    for stats in per_thread:
        total.merge(stats)
    if any(t.is_alive() for t in threads):
        total.exceptions["client thread did not finish"] += 1
    return total


def fetch_tokens(port: int, path: str, wanted: int, clients: int, limit_s: float) -> list[str]:
    """GET the survey form until ``wanted`` tokens are in hand (untimed preparation)."""
    buckets: list[list[str]] = [[] for _ in range(clients)]
    share = -(-wanted // clients)

    def work(index, stats, deadline):
        client = Client(port)
        try:
            while len(buckets[index]) < share and time.monotonic() < deadline:
                try:
                    status, data = client.request("GET", path, headers=BROWSER_HEADERS)
                except (OSError, http.client.HTTPException) as exc:
                    stats.exceptions[type(exc).__name__] += 1
                    time.sleep(ERROR_PAUSE)
                    continue
                match = TOKEN_RE.search(data) if status == 200 else None
                if match:
                    buckets[index].append(match.group(1).decode())
                else:
                    stats.statuses[status] += 1
        finally:
            client.close()

    stats = run_clients(clients, work, time.monotonic() + limit_s)
    if stats.errors:
        print(f"    token fetch errors: {stats.error_text()}")
    return [token for bucket in buckets for token in bucket]


def post_phase(port: int, path: str, bodies: list, duration: float) -> Stats:
    """Each client POSTs its own prepared bodies (an iterator it continues from one call
    to the next) until they run out or time is up."""

    def work(index, stats, deadline):
        client = Client(port)
        try:
            for body in bodies[index]:
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                try:
                    status, _data = client.request("POST", path, body, FORM_HEADERS)
                except (OSError, http.client.HTTPException) as exc:
                    stats.exceptions[type(exc).__name__] += 1
                    time.sleep(ERROR_PAUSE)
                    continue
                if status == 303:
                    stats.ok += 1
                    stats.latencies.append(time.perf_counter() - started)
                else:
                    stats.statuses[status] += 1
        finally:
            client.close()

    return run_clients(len(bodies), work, time.monotonic() + duration)


def cycle_phase(
    port: int, path: str, answer_pool: list[str], clients: int, duration: float
) -> Stats:
    """GET the form, take its token, POST the answers: a respondent, start to finish."""

    def work(index, stats, deadline):
        client = Client(port)
        rnd = random.Random(index)
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    status, data = client.request("GET", path, headers=BROWSER_HEADERS)
                    match = TOKEN_RE.search(data) if status == 200 else None
                    if match is None:
                        stats.statuses[f"GET {status}"] += 1
                        continue
                    got = time.perf_counter()
                    stats.get_latencies.append(got - started)
                    body = with_token(match.group(1).decode(), rnd.choice(answer_pool))
                    status, _data = client.request("POST", path, body, FORM_HEADERS)
                except (OSError, http.client.HTTPException) as exc:
                    stats.exceptions[type(exc).__name__] += 1
                    time.sleep(ERROR_PAUSE)
                    continue
                if status == 303:
                    stats.ok += 1
                    stats.latencies.append(time.perf_counter() - got)
                else:
                    stats.statuses[f"POST {status}"] += 1
        finally:
            client.close()

    return run_clients(clients, work, time.monotonic() + duration)


# ------------------------------------------------------------------ processes, CPU


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_TICK = os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its descendants (Linux /proc)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / _TICK
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier += children
    return sum(cpu.get(p, 0.0) for p in tree)


def machine_busy() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU seconds of the server (all its processes) and of this client, and how busy the
    whole machine was, summed over every ``with meter:`` block."""

    def __init__(self, server_pid: int):
        self.pid = server_pid
        self.server = self.client = 0.0
        self.busy = self.total = 0

    def __enter__(self):
        self._server0 = process_tree_cpu(self.pid)
        self._client0 = time.process_time()
        self._busy0, self._total0 = machine_busy()
        return self

    def __exit__(self, *exc):
        self.server += process_tree_cpu(self.pid) - self._server0
        self.client += time.process_time() - self._client0
        busy, total = machine_busy()
        self.busy += busy - self._busy0
        self.total += total - self._total0

    @property
    def machine(self) -> float:
        return self.busy / self.total if self.total else 0.0


def _gunicorn_has_control_socket() -> bool:
    from gunicorn import version_info

    return tuple(version_info[:2]) >= (25, 1)


GUNICORN_HAS_CONTROL_SOCKET = _gunicorn_has_control_socket()


class Server:
    """gunicorn with the project's gunicorn.conf.py, overridden for the benchmark."""

    def __init__(
        self, name: str, app: str, env: dict, args, workdir: Path, pythonpath: Path | None = None
    ):
        self.name = name
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self.access_path = workdir / f"{name}-access.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--access-logfile",
            str(self.access_path),
            "--log-level",
            "warning",
        ]
        if GUNICORN_HAS_CONTROL_SOCKET:
            # One per server: by default they would all share ~/.gunicorn/gunicorn.ctl.
            command += ["--control-socket", str(workdir / f"{name}.ctl")]
        if pythonpath:
            command += ["--pythonpath", str(pythonpath)]
        command.append(app)
        self.log = open(self.log_path, "wb")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, limit_s: float = 60.0):
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited; see {self.log_path}:\n"
                    + self.log_path.read_text()[-3000:]
                )
            client = Client(self.port)
            try:
                status, _ = client.request("GET", path)
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                client.close()
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer on port {self.port} in {limit_s:.0f} s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        # Any worker left behind is in the session gunicorn was started in.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def access_log_addresses(self) -> tuple[int, int]:
        """(lines in the access log, lines naming the client's address)."""
        if not self.access_path.exists():
            return 0, 0
        lines = self.access_path.read_text().splitlines()
        return len(lines), sum("127.0.0.1" in line for line in lines)


# ------------------------------------------------------------------------ databases


class PrivateRedis:
    """A throw-away redis-server on a free 127.0.0.1 port, for --cache redis."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


class Engine:
    name = ""
    label = ""

    def __init__(self, workdir: Path, args):
        self.workdir = workdir
        self.args = args

    def prepare(self) -> str:
        raise NotImplementedError

    def count_responses(self) -> int:
        raise NotImplementedError

    def drop(self):
        pass


class SQLiteEngine(Engine):
    name, label = "sqlite", "SQLite (WAL, synchronous=FULL)"

    def prepare(self) -> str:
        self.path = self.workdir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{self.path}"

    def count_responses(self) -> int:
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
            return conn.execute("SELECT COUNT(*) FROM responses_response").fetchone()[0]


class PostgresEngine(Engine):
    name, label = "postgres", "PostgreSQL"

    def prepare(self) -> str:
        import psycopg
        from psycopg import sql

        self.url = self.args.pg_url
        parts = urlsplit(self.url)
        self.dbname = parts.path.lstrip("/")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.dbname or "") or "bench" not in self.dbname:
            raise SystemExit(f"--pg-url must name a bench database (…/x_bench), not {self.url}")
        self.admin_url = parts._replace(path="/postgres").geturl()
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.dbname)
                )
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.dbname)))
            self.version = conn.execute("SHOW server_version").fetchone()[0]
        self.label = f"PostgreSQL {self.version}"
        return self.url

    def count_responses(self) -> int:
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute("SELECT COUNT(*) FROM responses_response").fetchone()[0]

    def drop(self):
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.dbname)
                )
            )


ENGINES = {"sqlite": SQLiteEngine, "postgres": PostgresEngine}


def django_env(database_url: str, args) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "OCENURZAD_", "GUNICORN_", "FLOOR_"))
        and k not in ("CACHE_URL", "DATABASE_URL", "WEB_CONCURRENCY", "PORT")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ocenurzad.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "0",
            # The limiter runs (and counts in the database cache) but never says no.
            "RATELIMIT_ENABLE": "1",
            "SURVEY_RATE_LIMIT": "1000000/h",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    if args.django_settings != "ocenurzad.settings":
        # A what-if settings module in bench/ (it imports the project's settings).
        env["DJANGO_SETTINGS_MODULE"] = args.django_settings
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH")]))
    for assignment in args.django_env:
        key, _, value = assignment.partition("=")
        env[key] = value
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(args[:1])} failed:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


# ---------------------------------------------------------------------------- report


@dataclass
class PostResult:
    stats: Stats
    cpu: CpuMeter
    rows: int = 0

    @property
    def rate(self) -> float:
        return self.stats.ok / self.stats.elapsed if self.stats.elapsed else 0.0


def fmt_ms(values: list) -> str:
    return f"{percentile(values, 0.5) * 1000:.1f} / {percentile(values, 0.95) * 1000:.1f}"


def load_warning():
    """Say so when other work on the machine may have taken CPU from the benchmark."""
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) * 0.5:
        print(
            f"    note: load average {load:.1f} on {os.cpu_count()} cores — other processes "
            "are busy; figures are lower and noisier than on a quiet machine"
        )


def print_engine_table(
    engine: Engine,
    args,
    django: PostResult,
    floor: PostResult,
    cycles: Stats | None,
    cycles_cpu: CpuMeter | None,
    logs: list,
):
    ratio = django.rate / floor.rate if floor.rate else 0.0
    worker = f"{args.workers} x {args.worker_class}" + (
        f" ({args.threads} threads)" if args.worker_class == "gthread" else ""
    )
    print()
    print(f"=== {engine.label} — gunicorn {worker}, {args.clients} clients ===")
    print("(a) submissions: POSTs with tokens fetched beforehand")
    print(f"    {'':<34} {'Django':>15} {'floor':>15}")
    rows = [
        ("valid submissions/s (303)", f"{django.rate:.1f}", f"{floor.rate:.1f}"),
        ("submissions stored (rows)", f"{django.rows}", f"{floor.rows}"),
        ("errors", django.stats.error_text(), floor.stats.error_text()),
        ("latency p50 / p95, ms", fmt_ms(django.stats.latencies), fmt_ms(floor.stats.latencies)),
        (
            "server CPU per submission, ms",
            f"{django.cpu.server / max(1, django.stats.ok) * 1000:.2f}",
            f"{floor.cpu.server / max(1, floor.stats.ok) * 1000:.2f}",
        ),
        (
            "client CPU per submission, ms",
            f"{django.cpu.client / max(1, django.stats.ok) * 1000:.2f}",
            f"{floor.cpu.client / max(1, floor.stats.ok) * 1000:.2f}",
        ),
        (
            "machine CPU busy (all processes)",
            f"{django.cpu.machine:.0%}",
            f"{floor.cpu.machine:.0%}",
        ),
        ("seconds measured", f"{django.stats.elapsed:.1f}", f"{floor.stats.elapsed:.1f}"),
    ]
    for label, a, b in rows:
        if len(a) > 15 or len(b) > 15:
            print(f"    {label:<34}\n      Django: {a}\n      floor:  {b}")
        else:
            print(f"    {label:<34} {a:>15} {b:>15}")
    verdict = "met" if ratio >= RATIO_TARGET else "MISSED"
    print(f"    {'ratio Django / floor':<34} {ratio:>15.2f}   target >= {RATIO_TARGET}: {verdict}")
    if django.stats.elapsed < floor.stats.elapsed * 0.9:
        print(
            "    note: Django's tokens ran out before its last round; it was measured over "
            "fewer rounds than the floor (raise --posts)"
        )
    if cycles is not None:
        rate = cycles.ok / cycles.elapsed if cycles.elapsed else 0.0
        target = REFERENCE_CYCLES * CYCLES_FACTOR
        verdict = "met" if rate >= target else "MISSED"
        print(f"(b) complete respondent cycles (GET form + POST), {cycles.elapsed:.0f} s")
        print(
            f"    {'cycles/s (303)':<34} {rate:>15.1f}   "
            f"{rate / REFERENCE_CYCLES:.0f} x the reference {REFERENCE_CYCLES}/s; "
            f"target >= {target:.0f}/s: {verdict}"
        )
        print(f"    {'errors':<34} {cycles.error_text():>15}")
        print(f"    {'GET p50 / p95, ms':<34} {fmt_ms(cycles.get_latencies):>15}")
        print(f"    {'POST p50 / p95, ms':<34} {fmt_ms(cycles.latencies):>15}")
        print(
            f"    {'server CPU per cycle, ms':<34} "
            f"{cycles_cpu.server / max(1, cycles.ok) * 1000:>15.2f}"
        )
        print(
            f"    {'client CPU per cycle, ms':<34} "
            f"{cycles_cpu.client / max(1, cycles.ok) * 1000:>15.2f}"
        )
        print(f"    {'machine CPU busy (all processes)':<34} {cycles_cpu.machine:>15.0%}")
    for name, (lines, with_ip) in logs:
        print(f"    access log {name}: {lines} lines, {with_ip} with the client address")


# ------------------------------------------------------------------------------ main


def bench_engine(engine: Engine, args) -> dict:
    print(f"\n--- {engine.label}: preparing a fresh database", flush=True)
    load_warning()
    database_url = engine.prepare()
    env = django_env(database_url, args)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    out = manage(env, "shell", "-c", SETUP_CODE)
    setup = json.loads(out.split("BENCH_SETUP ", 1)[1].splitlines()[0])
    path = f"/{SLUG}/"
    pool = answer_bodies(setup["departments"], 200)
    floor_env = dict(
        env,
        FLOOR_DATABASE_URL=database_url,
        FLOOR_OFFICE_ID=str(setup["office_id"]),
        FLOOR_VERSION_ID=str(setup["version_id"]),
    )
    servers = []
    try:
        django = Server(
            f"django-{engine.name}", "ocenurzad.wsgi:application", env, args, engine.workdir
        )
        servers.append(django)
        floor = Server(
            f"floor-{engine.name}",
            "floor_app:application",
            floor_env,
            args,
            engine.workdir,
            pythonpath=BENCH_DIR,
        )
        servers.append(floor)
        django.wait_ready(path)
        floor.wait_ready(path)

        # (a) Django: tokens first (untimed), then timed POSTs.
        print(f"    fetching {args.posts} tokens with GET (untimed) …", flush=True)
        tokens = fetch_tokens(django.port, path, args.posts, args.clients, limit_s=300)
        if not tokens:
            raise RuntimeError(f"no token from {path}; see {django.log_path}")
        rnd = random.Random(1)
        django_bodies = [
            iter([with_token(t, rnd.choice(pool)) for t in tokens[i :: args.clients]])
            for i in range(args.clients)
        ]
        # The floor gets the same kind of body, with a stand-in token of the same length;
        # it needs no token of ours, so it never runs out.
        floor_bodies_ = [
            floor_bodies(i, args.clients, len(tokens[0]), pool) for i in range(args.clients)
        ]
        # Django and the floor take turns in short slices, so that whatever else the
        # machine is doing weighs on both alike.
        django_result = PostResult(Stats(), CpuMeter(django.process.pid))
        floor_result = PostResult(Stats(), CpuMeter(floor.process.pid))
        slice_s = args.post_duration / args.rounds
        print(
            f"    POST: {args.rounds} rounds of {slice_s:.1f} s Django (until its "
            f"{len(tokens)} tokens are spent) then {slice_s:.1f} s floor …",
            flush=True,
        )
        django_done = False
        for _round in range(args.rounds):
            for server, result, bodies in (
                (django, django_result, django_bodies),
                (floor, floor_result, floor_bodies_),
            ):
                if server is django and django_done:
                    continue
                before = engine.count_responses()
                with result.cpu:
                    stats = post_phase(server.port, path, bodies, slice_s)
                result.rows += engine.count_responses() - before
                result.stats.merge(stats)
                result.stats.elapsed += stats.elapsed
                if server is django and stats.elapsed < slice_s * 0.9:
                    django_done = True  # its tokens ran out

        cycles = cycles_cpu = None
        if args.duration > 0:
            print(f"    complete cycles against Django for {args.duration:.0f} s …", flush=True)
            cycles_cpu = CpuMeter(django.process.pid)
            with cycles_cpu:
                cycles = cycle_phase(django.port, path, pool, args.clients, args.duration)
    finally:
        for server in servers:
            server.stop()
    load_warning()
    logs = [(s.name, s.access_log_addresses()) for s in servers]
    print_engine_table(engine, args, django_result, floor_result, cycles, cycles_cpu, logs)
    return {
        "engine": engine.name,
        "django_submissions_per_s": django_result.rate,
        "floor_submissions_per_s": floor_result.rate,
        "ratio": django_result.rate / floor_result.rate if floor_result.rate else 0.0,
        "cycles_per_s": cycles.ok / cycles.elapsed if cycles and cycles.elapsed else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--engines",
        default="sqlite,postgres",
        help="comma-separated: sqlite, postgres (default both)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=30,
        help="seconds of complete respondent cycles, (b); 0 skips (default 30)",
    )
    parser.add_argument(
        "--post-duration",
        type=float,
        default=10,
        help="at most this many seconds of timed POSTs, (a) (default 10)",
    )
    parser.add_argument(
        "--posts",
        type=int,
        default=15000,
        help="tokens fetched before the timed POSTs, (a) (default 15000: enough for "
        "Django to take part in every round at up to 1,500 submissions a second)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="(a) alternates Django and the floor this many times (default 5)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        default="gthread",
        choices=["gthread", "sync"],
        help="gunicorn worker class for both apps (default gthread)",
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gthread worker (default 4)"
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/ocenurzad_bench"
        ),
        help="PostgreSQL database to recreate (its name must contain 'bench')",
    )
    parser.add_argument(
        "--cache",
        choices=["db", "redis"],
        default="db",
        help="cache for rate-limit counters: the database (the app's default) or a private "
        "redis-server started for the run (CACHE_URL=redis://…)",
    )
    parser.add_argument(
        "--django-settings",
        default="ocenurzad.settings",
        metavar="MODULE",
        help="what-if: another settings module (looked up in bench/ too)",
    )
    parser.add_argument(
        "--django-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="what-if: extra environment for the Django app, e.g. RATELIMIT_ENABLE=0",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (databases, logs) and the PG database",
    )
    args = parser.parse_args()
    # Stopped by a signal: unwind, so that the servers are stopped and files removed.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    if args.worker_class == "sync":
        args.threads = 1
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = set(names) - set(ENGINES)
    if unknown or not names:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown)) or '(none)'}")
    if args.clients < 1 or args.posts < args.clients or args.workers < 1:
        parser.error("need --clients >= 1, --posts >= --clients, --workers >= 1")

    print(
        f"Oceń Urząd submission benchmark — {os.cpu_count()} CPU cores, "
        f"Python {sys.version.split()[0]}, {args.clients} clients, "
        f"gunicorn {args.workers} x {args.worker_class}"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
    )
    workdir = Path(tempfile.mkdtemp(prefix="ocenurzad-bench-"))
    summary = []
    redis = None
    args.cache_url = ""
    try:
        if args.cache == "redis":
            redis = PrivateRedis(workdir)
            args.cache_url = f"redis://127.0.0.1:{redis.port}/0"
        changes = [f"cache: {'private redis-server' if redis else 'the database (default)'}"]
        if args.django_settings != "ocenurzad.settings":
            changes.append(f"settings: {args.django_settings}")
        changes += args.django_env
        print("Django app: " + "; ".join(changes))
        for name in names:
            engine_dir = workdir / name
            engine_dir.mkdir()
            engine = ENGINES[name](engine_dir, args)
            try:
                summary.append(bench_engine(engine, args))
            finally:
                if not args.keep:
                    engine.drop()
    finally:
        if redis:
            redis.stop()
        if args.keep:
            print(f"\nkept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\nSummary")
    target = REFERENCE_CYCLES * CYCLES_FACTOR
    for row in summary:
        cycles = row["cycles_per_s"]
        print(
            f"  {row['engine']:<9} submissions/s Django {row['django_submissions_per_s']:8.1f}"
            f"  floor {row['floor_submissions_per_s']:8.1f}  ratio {row['ratio']:.2f}"
            f" (>= {RATIO_TARGET})"
            + (f"  cycles/s {cycles:7.1f} (>= {target:.0f})" if cycles is not None else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
