#!/usr/bin/env python
"""Faults under the shipped supervision: nothing acknowledged is lost or doubled.

For each engine (SQLite, PostgreSQL) it prepares a fresh database, starts gunicorn
(gunicorn.conf.py, 2 workers) and, where the version has one, the background-job worker,
each under a supervisor that does what deploy/systemd/*.service say — Restart=always,
RestartSec=1, KillMode=control-group — and runs 50 concurrent residents (GET the form,
POST it with a unique comment, retry a failed POST with the same token like a browser's
resend) while it:

  1. runs normally (the baseline: p99 of a resident's wait),
  2. SIGKILLs a gunicorn worker, four times,
  3. SIGKILLs the gunicorn master, three times (recovery: from the kill until /zdrowie/
     answers 200 again),
  4. SIGKILLs the background-job worker,
  5. lets an administrator change office data and publish the survey twice (each
     archives the § 5 report first) — the longest resident wait meanwhile.

Then it checks every acknowledged answer (a 303 the resident saw) is stored exactly
once, and that nothing is stored twice.

systemd itself cannot run here (PID 1 is not systemd, `systemctl` has no manager): the
supervisor below is an emulation — each service in its own process group, and when the
main process ends the whole group is SIGKILLed (what KillMode=control-group does to the
unit's cgroup) and the service started again one second later.

Not in CI: it takes minutes.

    .venv/bin/python bench/faults.py [--engines sqlite,postgres]
        [--pg-url postgres://postgres@127.0.0.1:5432/faults_bench] [--clients 50]
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from submit import SLUG, answer_bodies, free_port, percentile  # noqa: E402

SECRET_KEY = "faults-bench-only-" + "q" * 50
TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
ADMIN = "admin.faults"
SETUP_CODE = f"""
import json
from ocenurzad.accounts.models import User
from ocenurzad.offices.models import Department, Office
from ocenurzad.surveys.services import survey_create_default
office = Office.objects.create(slug={SLUG!r}, name="Urząd Miasta Benchmarkowo", city="B")
departments = [Department.objects.create(office=office, name=f"Wydział {{i}}", position=i)
               for i in range(6)]
survey_create_default(office=office)
User.objects.create(username={ADMIN!r}, office=office, role="office_admin")
print("FAULTS_SETUP " + json.dumps([d.pk for d in departments]))
"""
ADMIN_CODE = f"""
import os
import time
def step(name, since):
    print(f"ADMIN_STEP {{name}} {{since:.3f}} {{time.time():.3f}}", flush=True)
from ocenurzad.accounts.models import User
from ocenurzad.offices.models import Office
from ocenurzad.surveys.services import survey_draft_get_or_create
from ocenurzad.workflows.visible_changes import office_data_save, survey_publish
office = Office.objects.get(slug={SLUG!r})
admin = User.objects.get(username={ADMIN!r})
for i in range(int(os.environ.get("FAULTS_ADMIN_ROUNDS", "2"))):
    since = time.time()
    office_data_save(office=office, actor=admin, data={{"phone": f"91 000 00 {{i:02d}}"}})
    step("office_data_save", since)
    since = time.time()
    draft = survey_draft_get_or_create(office=office, actor=admin)
    survey_publish(office=office, actor=admin, draft=draft)
    step("survey_publish", since)
    time.sleep(1)
print("ADMIN_DONE")
"""


class Supervised:
    """One service as the systemd unit runs it: Restart=always, RestartSec=1,
    KillMode=control-group (emulated with the service's own process group)."""

    def __init__(self, name, command, env, log):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.proc = None
        self.starts = 0
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        while self.proc is None:
            time.sleep(0.01)

    def _run(self):
        while not self.stopping:
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(
                    self.command,
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=log,
                    start_new_session=True,
                )
            self.starts += 1
            self.proc.wait()
            # KillMode=control-group: whatever of the service is left goes too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            if not self.stopping:
                time.sleep(1.0)  # RestartSec=1

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except FileNotFoundError:
            return []

    def stop(self):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.thread.join(timeout=45)


def request(port, method, path, body=None, timeout=30.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Residents:
    """N residents in a loop; every wait (GET the form, POST it until answered) recorded."""

    def __init__(self, port, count, bodies):
        self.port, self.count, self.bodies = port, count, bodies
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.waits: list[tuple[float, float]] = []  # (start time, seconds waited)
        self.paths: list[str] = []  # what each wait was for, in the same order
        self.wall = time.time() - time.monotonic()  # monotonic + wall = wall clock
        self.acknowledged: list[str] = []
        self.attempted = 0
        self.threads = [threading.Thread(target=self._loop, args=(i,)) for i in range(count)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _timed(self, method, path, body=None):
        """Like a browser: on a dropped connection, try again (same form) until answered."""
        started = time.monotonic()
        while True:
            try:
                status, content = request(self.port, method, path, body)
            except (OSError, http.client.HTTPException):  # refused, reset, cut mid-answer
                if time.monotonic() - started > 60:
                    status, content = 0, b""
                    break
                time.sleep(0.1)
                continue
            if status in (502, 503) and time.monotonic() - started < 60:
                time.sleep(0.1)
                continue
            break
        with self.lock:
            self.waits.append((started, time.monotonic() - started))
            self.paths.append(path.split("?")[0][-12:] + " " + method)
        return status, content

    def _loop(self, index):
        n = 0
        while not self.stop.is_set():
            status, content = self._timed("GET", f"/{SLUG}/")
            match = TOKEN_RE.search(content) if status == 200 else None
            if not match:
                continue
            marker = f"faults-{uuid.uuid4().hex}"
            fields = [
                (k, v) if k != "q_co_poprawic" else (k, marker)
                for k, v in parse_qsl(self.bodies[(index + n) % len(self.bodies)], True)
            ]
            body = f"token={quote(match.group(1).decode(), safe='')}&" + urlencode(fields)
            n += 1
            with self.lock:
                self.attempted += 1
            status, _content = self._timed("POST", f"/{SLUG}/wyslij/", body.encode())
            if status == 303:
                with self.lock:
                    self.acknowledged.append(marker)


def wait_healthy(port, limit=60.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            if request(port, "GET", "/zdrowie/", timeout=2)[0] == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError("the service did not come back within a minute")


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {args[0]}: {result.stderr[-3000:]}")
    return result.stdout


def stored_markers(env) -> dict[str, int]:
    code = (
        "import json\nfrom collections import Counter\n"
        "from ocenurzad.responses.models import Response\n"
        "c = Counter(a.get('co_poprawic', '') for a in "
        "Response.objects.values_list('answers', flat=True))\n"
        "print('MARKERS ' + json.dumps({k: v for k, v in c.items() if k.startswith('faults-')}))"
    )
    out = manage(env, "shell", "-c", code)
    return json.loads(out.split("MARKERS ", 1)[1].splitlines()[0])


def prepare_database(engine, args, workdir) -> str:
    if engine == "sqlite":
        return f"sqlite:///{workdir / 'faults.sqlite3'}"
    import psycopg
    from psycopg import sql

    parts = urlsplit(args.pg_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit("--pg-url must name a bench database (…/x_bench)")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return args.pg_url


def run_engine(engine, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"faults-{engine}-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OCENURZAD_", "GUNICORN_"))},
        "DATABASE_URL": prepare_database(engine, args, workdir),
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "0",
        "RATELIMIT_ENABLE": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("BIND", None)
    if args.django_settings != "ocenurzad.settings":
        # A what-if settings module in bench/ (it imports the project's settings).
        env["DJANGO_SETTINGS_MODULE"] = args.django_settings
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "bench"), env.get("PYTHONPATH")) if p
        )
    locks = workdir / "locks.jsonl" if args.lock_trace and engine == "sqlite" else None
    if locks is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "bench" / "locktrace"), env.get("PYTHONPATH")) if p
        )
        env["FAULTS_LOCKTRACE"] = str(locks)
    print(f"\n--- {engine}: preparing {env['DATABASE_URL']}", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    departments = json.loads(manage(env, "shell", "-c", SETUP_CODE).split("FAULTS_SETUP ")[1])
    has_worker = "jobs_worker" in manage(env, "help", "--commands")
    web = Supervised(
        "web",
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
        env,
        workdir / "web.log",
    )
    worker = Supervised(
        "worker", [sys.executable, "manage.py", "jobs_worker"], env, workdir / "worker.log"
    )
    web.start()
    if has_worker:
        worker.start()
    wait_healthy(port)
    residents = Residents(port, args.clients, answer_bodies(departments, 200))
    result: dict = {"engine": engine}
    try:
        residents.start()
        print("    normal load, 15 s", flush=True)
        normal_from = time.monotonic()
        time.sleep(15)
        normal = [w for s, w in residents.waits if s >= normal_from]
        result["normal_p99_s"] = percentile(normal, 0.99)

        print("    SIGKILL a gunicorn worker, 4 times", flush=True)
        for _ in range(4):
            children = web.children()
            if children:
                os.kill(children[0], signal.SIGKILL)
            time.sleep(3)

        print("    SIGKILL the gunicorn master, 3 times", flush=True)
        recoveries = []
        for _ in range(3):
            starts, killed_at = web.starts, time.monotonic()
            os.kill(web.proc.pid, signal.SIGKILL)
            while web.starts == starts:  # the supervisor has started a new master
                time.sleep(0.01)
            wait_healthy(port)
            recoveries.append(time.monotonic() - killed_at)
            time.sleep(5)
        result["master_recovery_s"] = recoveries

        if has_worker:
            print("    SIGKILL the background-job worker", flush=True)
            starts = worker.starts
            os.kill(worker.proc.pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while worker.starts == starts and time.monotonic() < deadline:
                time.sleep(0.05)
            result["worker_restarted"] = worker.starts > starts
        else:
            result["worker_restarted"] = "no background-job worker in this version"

        print(f"    an administrator changes office data and publishes, {args.admin_rounds}x")
        time.sleep(3)
        admin_from = time.monotonic()
        out = manage(
            {**env, "FAULTS_ADMIN_ROUNDS": str(args.admin_rounds)}, "shell", "-c", ADMIN_CODE
        )
        admin_to = time.monotonic()
        during = [
            (w, s, p)
            for (s, w), p in zip(residents.waits, residents.paths, strict=False)
            if admin_from <= s <= admin_to
        ]
        result["admin_seconds"] = admin_to - admin_from
        result["admin_longest_wait_s"] = max(w for w, _s, _p in during) if during else None
        result["admin_p99_s"] = percentile([w for w, _s, _p in during], 0.99) if during else None
        result["admin_steps"] = [
            line.split()[1:] for line in out.splitlines() if line.startswith("ADMIN_STEP ")
        ]
        result["admin_from_wall"] = admin_from + residents.wall
        result["admin_longest"] = [
            (round(w, 3), round(s + residents.wall, 3), p)
            for w, s, p in sorted(during, reverse=True)[:5]
        ]
        time.sleep(2)
    finally:
        residents.finish()
        web.stop()
        if has_worker:
            worker.stop()
    if locks is not None:
        result["locks"] = lock_summary(locks, result["admin_from_wall"], result["admin_seconds"])
    stored = stored_markers(env)
    acknowledged = residents.acknowledged
    result.update(
        {
            "attempted": residents.attempted,
            "acknowledged": len(acknowledged),
            "stored": sum(stored.values()),
            "lost": sum(1 for m in acknowledged if m not in stored),
            "doubled": sum(1 for count in stored.values() if count > 1),
            "web_starts": web.starts,
        }
    )
    return result


def lock_summary(path: Path, since: float, seconds: float) -> dict:
    """What the SQLite lock trace (bench/locktrace) saw while the administrator worked:
    the longest holds of the write lock and by whom, and the residents' longest wait for
    it inside the server (the writers' turn and BEGIN together; not counting the time
    waiting for a CPU or a worker)."""
    entries = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if since <= entry["at"] <= since + seconds:
                entries.append(entry)
    holds = sorted(entries, key=lambda e: e["hold"], reverse=True)
    web = [e for e in entries if e["role"] == "web"]
    return {
        "longest_holds": [
            (round(e["hold"], 3), e["role"], e["end"], e["where"]) for e in holds[:6]
        ],
        "admin_holds_total_s": round(sum(e["hold"] for e in entries if e["role"] != "web"), 3),
        "admin_transactions": sum(1 for e in entries if e["role"] != "web"),
        "web_longest_lock_wait_s": round(max((e["wait"] for e in web), default=0.0), 3),
        "web_longest_turn_wait_s": round(max((e.get("turn", 0) for e in web), default=0.0), 3),
        "web_longest_hold_s": round(max((e["hold"] for e in web), default=0.0), 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/faults_bench")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--admin-rounds", type=int, default=2)
    parser.add_argument(
        "--django-settings",
        default="ocenurzad.settings",
        metavar="MODULE",
        help="what-if: another settings module (looked up in bench/ too), e.g. "
        "whatif_sqlite_busy_handler",
    )
    parser.add_argument(
        "--lock-trace",
        action="store_true",
        help="SQLite: log each write transaction's wait and hold (bench/locktrace)",
    )
    args = parser.parse_args()
    results = [run_engine(engine, args) for engine in args.engines.split(",")]
    print("\n=== bench/faults.py")
    for r in results:
        recoveries = ", ".join(f"{s:.2f}" for s in r["master_recovery_s"])
        target = r["normal_p99_s"] + 0.5
        print(
            f"{r['engine']}: {r['attempted']} submitted, {r['acknowledged']} acknowledged, "
            f"{r['stored']} stored — lost {r['lost']}, doubled {r['doubled']}\n"
            f"  master recovery (kill -> /zdrowie/ 200, incl. RestartSec=1): {recoveries} s "
            f"(target < 5 s); master started {r['web_starts']} times\n"
            f"  background worker restarted: {r['worker_restarted']}\n"
            f"  resident wait: normal p99 {r['normal_p99_s']:.3f} s; while the administrator "
            f"worked ({r['admin_seconds']:.1f} s): longest {r['admin_longest_wait_s'] or 0:.3f} s,"
            f" p99 {r['admin_p99_s'] or 0:.3f} s (target ≤ {target:.3f} s)\n"
            f"  longest resident waits then (s, wall clock, what): {r['admin_longest']}\n"
            f"  administrator's steps (name, from, to): {r['admin_steps']}"
        )
        if "locks" in r:
            print(f"  SQLite write lock while the administrator worked: {json.dumps(r['locks'])}")
    bad = any(r["lost"] or r["doubled"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
