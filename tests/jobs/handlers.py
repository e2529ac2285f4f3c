"""Job handlers used by the tests (importable by a worker subprocess: ``tests.jobs.handlers``)."""

import os
import time
from pathlib import Path

from ocenurzad.jobs.registry import job_handler
from ocenurzad.jobs.services import JobError


@job_handler
def echo(job):
    return {"message": f"Gotowe: {job.params.get('n')}", "n": job.params.get("n")}


@job_handler
def steps(job):
    for step in range(1, 4):
        job.progress(step, 3, note=f"krok {step}")
    return {"steps": 3}


@job_handler
def refuses(job):
    raise JobError("Plik nie jest skanem ankiety.")


@job_handler
def crashes(job):
    raise RuntimeError("a bug")


@job_handler
def block_until_released(job):
    """Marks its start, waits for the file ``go`` in params["dir"], then appends a line to
    ``done`` — a side effect counted by the test (the job must complete exactly once)."""
    folder = Path(job.params["dir"])
    (folder / f"started-{job.job.attempts}").write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            raise RuntimeError("never released")
        job.check()
        time.sleep(0.02)
    with open(folder / "done", "a") as handle:
        handle.write(f"attempt {job.job.attempts} pid {os.getpid()}\n")
    return {"attempt": job.job.attempts}


def not_a_handler(job):  # not decorated: must never run
    raise AssertionError("ran an undecorated function")
