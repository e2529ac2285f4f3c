"""Real worker processes: one is SIGKILLed in the middle of a job; the reaper queues the
job again and a second worker completes it, exactly once. On the test database's engine
(SQLite: a copy of the test database in a file the processes share; PostgreSQL: the test
database itself)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from ocenurzad.jobs.services import job_enqueue
from tests.jobs import handlers

ROOT = Path(settings.BASE_DIR).parent.parent
MANAGE = str(ROOT / "manage.py")
LEASE = 3  # seconds; the heartbeat renews it every second


COLUMNS = ("state", "attempts", "worker", "heartbeat_at", "lease_expires_at", "task_id")
JOB_SQL = f"SELECT {', '.join(COLUMNS)} FROM jobs_job WHERE id = ?"  # noqa: S608
TASK_SQL = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?"


class SharedDatabase:
    """The test database as other processes see it, read back with plain SQL (the test's
    own Django connection may not open a second database)."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.path = None
        self.url = None

    def share(self) -> None:
        """Make what the test wrote so far visible to subprocesses."""
        conn = connections["default"]
        s = conn.settings_dict
        if conn.vendor == "sqlite":
            self.path = self.tmp_path / "shared.sqlite3"
            conn.ensure_connection()
            target = sqlite3.connect(self.path)
            conn.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
            self.url = (
                f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
                f"{s['PORT'] or 5432}/{s['NAME']}"
            )

    def query(self, sql: str, params: tuple) -> tuple | None:
        if self.path is None:
            with connections["default"].cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()
        with sqlite3.connect(self.path, timeout=20) as conn:
            return conn.execute(sql, params).fetchone()

    def job(self, pk) -> dict:
        key = pk.hex if self.path else pk
        row = self.query(JOB_SQL, (key,))
        values = dict(zip(COLUMNS, row, strict=True))
        for name in ("heartbeat_at", "lease_expires_at"):
            if isinstance(values[name], str):
                values[name] = datetime.fromisoformat(values[name]).replace(tzinfo=UTC)
        return values

    def task_status(self, task_id: str) -> str:
        key = uuid.UUID(task_id).hex if self.path else task_id
        return self.query(TASK_SQL, (key,))[0]

    def manage(self, *args: str, **popen) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "JOBS_LEASE_SECONDS": str(LEASE),
            "DJANGO_SETTINGS_MODULE": "ocenurzad.settings",
        }
        return subprocess.Popen(  # noqa: S603
            [sys.executable, MANAGE, *args], cwd=ROOT, env=env, **popen
        )


@pytest.fixture
def shared(transactional_db, tmp_path):
    return SharedDatabase(tmp_path)


def wait_for(predicate, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_killed_worker_job_is_requeued_and_completed_once(office, shared, tmp_path):
    folder = tmp_path / "job"
    folder.mkdir()
    job = job_enqueue(
        office=office,
        owner=None,
        handler=handlers.block_until_released,
        title="Zadanie blokowane",
        params={"dir": str(folder)},
    )
    shared.share()

    worker_a = shared.manage("jobs_worker", "--no-startup-delay", "--interval", "0.1")
    try:
        wait_for(lambda: (folder / "started-1").exists(), "worker A to start the job")
        started = shared.job(job.pk)
        assert (started["state"], started["attempts"]) == ("running", 1)
        # The heartbeat renews the lease while the handler works.
        beat = wait_for(
            lambda: (j := shared.job(job.pk))["heartbeat_at"] > started["heartbeat_at"] and j,
            "a heartbeat",
        )
        assert beat["lease_expires_at"] > started["lease_expires_at"]
        worker_a.send_signal(signal.SIGKILL)
        worker_a.wait(timeout=30)
    finally:
        if worker_a.poll() is None:
            worker_a.kill()
            worker_a.wait()

    # Dead: no heartbeat any more; the job still says "running" until its lease runs out.
    held = shared.job(job.pk)
    assert held["state"] == "running" and held["worker"]
    # What the task library alone would leave for ever:
    assert shared.task_status(held["task_id"]) == "RUNNING"

    def lease_over():
        return shared.job(job.pk)["lease_expires_at"] < datetime.now(UTC)

    wait_for(lease_over, "the lease to run out", timeout=LEASE * 10)
    reaper = shared.manage("jobs_reap", stdout=subprocess.PIPE, text=True)
    out, _ = reaper.communicate(timeout=60)
    assert reaper.returncode == 0 and "requeued 1" in out
    requeued = shared.job(job.pk)
    assert (requeued["state"], requeued["worker"]) == ("queued", "")
    assert shared.task_status(held["task_id"]) == "FAILED"

    (folder / "go").write_text("")
    worker_b = shared.manage("jobs_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert worker_b.wait(timeout=120) == 0

    done = shared.job(job.pk)
    assert (done["state"], done["attempts"]) == ("succeeded", 2)
    lines = (folder / "done").read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("attempt 2 ")
    assert not (folder / "started-3").exists()


def test_processes_two_runs_two_workers_under_one_supervisor(shared):
    shared.share()

    supervisor = shared.manage(
        "jobs_worker",
        "--processes",
        "2",
        "--grace",
        "5",
        "--no-startup-delay",
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait until the supervisor says both workers started (a fixed sleep raced: on a
        # loaded machine the TERM came before the command had set up its supervisor, and
        # the process ended without a word). readline returns "" if the process ends.
        seen = []
        while not all(f"worker-{n} started" in "".join(seen) for n in (1, 2)):
            line = supervisor.stderr.readline()
            if not line:
                break
            seen.append(line)
        supervisor.send_signal(signal.SIGTERM)
        _out, rest = supervisor.communicate(timeout=30)
        err = "".join(seen) + rest
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    assert "worker-1 started" in err
    assert "worker-2 started" in err
    assert "all stopped" in err
