"""Background jobs: enqueue, claim under a lease, heartbeat, progress, finish, reap.

The task library (django-tasks, database backend) only wakes a worker: its task
``jobs.tasks.job_run_task(job_id)`` calls ``job_execute``. Everything that makes a job
safe lives here, on the ``Job`` row:

- **Claim** is one conditional UPDATE (``state=queued`` → ``running`` with this worker's
  name and a lease): of two workers (two processes, two machines) woken for the same job,
  exactly one gets it; the other does nothing.
- **Heartbeat**: while the handler runs, a thread of the worker renews the lease every
  ``JOBS_LEASE_SECONDS / 3``; ``JobContext.progress`` renews it too.
- **Reaper** (``jobs_reap``, run by every worker between tasks and by ``manage.py
  jobs_reap``): a running job whose lease ran out belonged to a worker that died (SIGKILL,
  power, OOM — the library leaves its own row "running" for ever); it is queued again and a
  new wake-up sent, or failed once it used up ``max_attempts``.
- **Finish** is conditional on still holding the lease: a worker that lost its lease (it
  was presumed dead and the job went to another) cannot overwrite the other's result.

So a handler may run more than once (after a death) but its result is stored once, by
the attempt that held the lease to the end. Handlers must be idempotent (registry.py).
"""

import json
import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office

from .models import Job
from .registry import handler_path, handler_resolve

logger = logging.getLogger(__name__)

State = Job.State


class JobError(Exception):
    """Raised by a handler to fail its job with a message for the panel (Polish): the job
    is not tried again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class JobLeaseLost(Exception):
    """This worker no longer holds the job (it was presumed dead): stop, store nothing."""


def lease_seconds() -> float:
    return float(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def worker_name() -> str:
    """Unique per process and attempt: host, process id, random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# Enqueueing


def job_enqueue(
    *,
    office: Office | None,
    owner,
    handler,
    title: str,
    params: dict | None = None,
    key: str | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Queue ``handler`` (a ``@job_handler`` function or its dotted path) to run in the
    background for ``office``, on behalf of ``owner`` (a staff account or None).

    - ``params`` must be JSON (checked here, not in the worker): ids and plain values,
      never model instances.
    - Idempotent with ``key``: when a job with this key exists, it is returned as it is
      (whatever its state) and nothing new is queued. Put the office in the key.
    - The worker is woken when the caller's transaction commits (at once without one):
      a job enqueued in a transaction that rolls back never runs.
    """
    path = handler_path(handler)
    params = dict(params or {})
    json.dumps(params)  # refuse what the worker could not read back
    key = key or ""
    if key:
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
    fields = {
        "office": office,
        "owner": owner if getattr(owner, "pk", None) else None,
        "handler": path,
        "title": title[:200],
        "params": params,
        "key": key,
        "max_attempts": max_attempts or getattr(settings, "JOBS_MAX_ATTEMPTS", 3),
    }
    try:
        with transaction.atomic():
            job = Job.objects.create(**fields)
    except IntegrityError:
        if not key:
            raise
        return Job.objects.get(key=key)  # enqueued by someone else at the same moment
    transaction.on_commit(lambda: job_wake(job_id=job.pk))
    return job


def job_wake(*, job_id, delay: float = 0) -> None:
    """Ask the task library to run the job (now, or after ``delay`` seconds). Waking a job
    twice is harmless: only one claim succeeds. A failure here is logged, not raised —
    the reaper wakes queued jobs that have no live wake-up."""
    from .tasks import job_run_task

    try:
        task = job_run_task
        if delay:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        result = task.enqueue(str(job_id))
        Job.objects.filter(pk=job_id).update(task_id=str(result.id))
    except Exception:
        logger.exception("could not wake job %s; the reaper will", job_id)


# The lease


def job_claim(*, job_id, worker: str, now: datetime | None = None) -> Job | None:
    """Take a queued job for ``worker`` with a fresh lease; None when it is not queued
    (another worker has it, or it is finished). One conditional UPDATE: safe between
    processes and machines."""
    now = _now(now)
    claimed = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING,
        worker=worker,
        lease_expires_at=now + timedelta(seconds=lease_seconds()),
        heartbeat_at=now,
        started_at=Coalesce(F("started_at"), now),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return Job.objects.select_related("office", "owner").get(pk=job_id)


def job_heartbeat(*, job_id, worker: str, now: datetime | None = None, **fields) -> bool:
    """Renew ``worker``'s lease on the job (and store ``fields``, e.g. progress); False
    when the worker no longer holds it."""
    now = _now(now)
    return bool(
        Job.objects.filter(pk=job_id, state=State.RUNNING, worker=worker).update(
            lease_expires_at=now + timedelta(seconds=lease_seconds()), heartbeat_at=now, **fields
        )
    )


def _finish(*, job_id, worker: str, now: datetime | None = None, **fields) -> bool:
    now = _now(now)
    return bool(
        Job.objects.filter(pk=job_id, state=State.RUNNING, worker=worker).update(
            worker="", lease_expires_at=None, finished_at=now, **fields
        )
    )


def jobs_reap(*, now: datetime | None = None) -> dict:
    """Queue again every running job whose lease ran out (its worker died), or fail it
    when it used up its attempts; wake queued jobs that lost their wake-up. Safe to run
    anywhere, any number of times at once: each change is a conditional UPDATE.

    Returns {"requeued": [...ids], "failed": [...ids], "woken": [...ids]}.
    """
    from django_tasks_db.models import DBTaskResult

    now = _now(now)
    requeued, failed, woken = [], [], []
    expired = Job.objects.filter(state=State.RUNNING, lease_expires_at__lt=now)
    fields = ("pk", "worker", "lease_expires_at", "attempts", "max_attempts", "task_id")
    for job in expired.only(*fields):
        still = Job.objects.filter(
            pk=job.pk, state=State.RUNNING, worker=job.worker, lease_expires_at=job.lease_expires_at
        )
        if job.attempts >= job.max_attempts:
            if still.update(
                state=State.FAILED,
                worker="",
                lease_expires_at=None,
                finished_at=now,
                error=_(
                    "Zadanie zostało przerwane %(count)d razy (proces, który je wykonywał, "
                    "przestał działać). Spróbuj ponownie albo powiadom operatora platformy."
                )
                % {"count": job.attempts},
            ):
                failed.append(job.pk)
        elif still.update(state=State.QUEUED, worker="", lease_expires_at=None):
            requeued.append(job.pk)
        else:
            continue
        # The library's row of the dead attempt stays RUNNING for ever: close it.
        if job.task_id:
            DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
                status="FAILED", finished_at=now
            )
    # Queued jobs whose wake-up is gone (sending it failed, or it was pruned): wake them.
    stale = now - timedelta(seconds=lease_seconds())
    queued = Job.objects.filter(state=State.QUEUED, created_at__lt=stale).exclude(pk__in=requeued)
    for job in queued.only("pk", "task_id"):
        alive = (
            job.task_id
            and DBTaskResult.objects.filter(
                pk=job.task_id, status__in=("READY", "RUNNING")
            ).exists()
        )
        if not alive:
            woken.append(job.pk)
    for job_id in requeued + woken:
        job_wake(job_id=job_id)
    if requeued or failed:
        logger.warning("jobs reaped: requeued=%s failed=%s", requeued, failed)
    return {"requeued": requeued, "failed": failed, "woken": woken}


def job_retry(*, job: Job) -> Job:
    """Queue a failed job again (the panel's "spróbuj ponownie"), attempts from zero."""
    updated = Job.objects.filter(pk=job.pk, state=State.FAILED).update(
        state=State.QUEUED, attempts=0, error="", result=None, finished_at=None
    )
    if updated:
        transaction.on_commit(lambda: job_wake(job_id=job.pk))
    return Job.objects.get(pk=job.pk)


# Running


class JobContext:
    """What a handler gets: the job's ``params``, ``office``, ``owner``, and ``progress``."""

    def __init__(self, job: Job, worker: str):
        self.job = job
        self.worker = worker
        self.lost = threading.Event()

    @property
    def params(self) -> dict:
        return self.job.params

    @property
    def office(self) -> Office | None:
        return self.job.office

    @property
    def owner(self):
        return self.job.owner

    def progress(self, done: int, total: int | None = None, note: str | None = None) -> None:
        """Record how far the job got (shown in the panel); renews the lease. Raises
        JobLeaseLost when this worker no longer holds the job: stop at once."""
        fields: dict = {"progress_done": max(0, int(done))}
        if total is not None:
            fields["progress_total"] = max(0, int(total))
        if note is not None:
            fields["progress_note"] = str(note)[:300]
        self.check()
        if not job_heartbeat(job_id=self.job.pk, worker=self.worker, **fields):
            self.lost.set()
            raise JobLeaseLost(str(self.job.pk))

    def check(self) -> None:
        """Raise JobLeaseLost if the heartbeat found the lease gone; call it between
        steps of long work."""
        if self.lost.is_set():
            raise JobLeaseLost(str(self.job.pk))


class _Heartbeat(threading.Thread):
    """Renews the lease while the handler works, on its own database connection."""

    def __init__(self, context: JobContext, every: float):
        super().__init__(name=f"job-heartbeat-{context.job.pk}", daemon=True)
        self.context = context
        self.every = every
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(self.every):
                try:
                    alive = job_heartbeat(job_id=self.context.job.pk, worker=self.context.worker)
                except Exception:
                    logger.exception("job heartbeat failed; trying again")
                    close_old_connections()
                    continue
                if not alive:
                    self.context.lost.set()
                    return
        finally:
            connections.close_all()

    def stop(self):
        self.stopped.set()
        self.join()


def job_execute(*, job_id, worker: str | None = None) -> Job | None:
    """Run one job here and now, if it can be claimed (None otherwise: another worker
    has it or it is finished). This is what the worker's task does; tests and
    ``manage.py jobs_worker`` call it the same way.

    The handler's return value is stored as the result. ``JobError`` fails the job with
    its message; any other exception is logged and the job queued again (after
    10 s times the attempt) until ``max_attempts``, then failed with a general message.
    """
    worker = worker or worker_name()
    job = job_claim(job_id=job_id, worker=worker)
    if job is None:
        return None
    handler = handler_resolve(job.handler)
    if handler is None:
        _finish(
            job_id=job.pk,
            worker=worker,
            state=State.FAILED,
            error=_("Nieznany rodzaj zadania. Powiadom operatora platformy."),
        )
        logger.error("job %s names no @job_handler: %s", job.pk, job.handler)
        return Job.objects.get(pk=job.pk)
    context = JobContext(job, worker)
    beat = _Heartbeat(context, every=max(0.05, lease_seconds() / 3))
    beat.start()
    try:
        result = handler(context)
        json.dumps(result)
    except JobLeaseLost:
        logger.warning("job %s: lease lost by %s; its result is not stored", job.pk, worker)
        return Job.objects.get(pk=job.pk)
    except JobError as exc:
        _finish(job_id=job.pk, worker=worker, state=State.FAILED, error=exc.message)
    except Exception:
        logger.exception("job %s (%s) failed in attempt %d", job.pk, job.handler, job.attempts)
        if job.attempts < job.max_attempts:
            again = Job.objects.filter(pk=job.pk, state=State.RUNNING, worker=worker).update(
                state=State.QUEUED, worker="", lease_expires_at=None
            )
            if again:
                job_wake(job_id=job.pk, delay=10 * job.attempts)
        else:
            _finish(
                job_id=job.pk,
                worker=worker,
                state=State.FAILED,
                error=_(
                    "Zadanie nie powiodło się z powodu błędu. Spróbuj ponownie później albo "
                    "powiadom operatora platformy."
                ),
            )
    else:
        done = Q(progress_total__isnull=False)
        if not _finish(job_id=job.pk, worker=worker, state=State.SUCCEEDED, result=result):
            logger.warning("job %s: finished by %s after losing its lease", job.pk, worker)
        Job.objects.filter(done, pk=job.pk, state=State.SUCCEEDED).update(
            progress_done=F("progress_total")
        )
    finally:
        beat.stop()
    return Job.objects.get(pk=job.pk)
