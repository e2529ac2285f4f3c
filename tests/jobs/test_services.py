"""Jobs in one process: enqueue, the lease and its heartbeat, the reaper, finishing once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import (
    JobContext,
    JobLeaseLost,
    job_claim,
    job_enqueue,
    job_execute,
    job_heartbeat,
    job_retry,
    jobs_reap,
)
from tests.jobs import handlers

pytestmark = pytest.mark.django_db

State = Job.State


@pytest.fixture(autouse=True)
def lease(settings):
    settings.JOBS_LEASE_SECONDS = 60
    settings.JOBS_MAX_ATTEMPTS = 3


def enqueue(office, handler=handlers.echo, **kwargs):
    kwargs.setdefault("title", "Zadanie testowe")
    return job_enqueue(office=office, owner=None, handler=handler, **kwargs)


def test_enqueue_wakes_the_worker_only_after_commit(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = enqueue(office, params={"n": 1})
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    job.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert job.task_id == str(task.pk)
    assert task.args_kwargs["args"] == [str(job.pk)]
    assert task.status == "READY"
    assert job.state == State.QUEUED and job.handler == "tests.jobs.handlers.echo"


def test_same_key_returns_the_same_job(office, other_office):
    first = enqueue(office, params={"n": 1}, key=f"echo:{office.pk}")
    again = enqueue(office, params={"n": 2}, key=f"echo:{office.pk}")
    other = enqueue(other_office, params={"n": 3}, key=f"echo:{other_office.pk}")
    assert again.pk == first.pk and again.params == {"n": 1}
    assert other.pk != first.pk
    assert Job.objects.count() == 2


def test_refuses_what_is_not_a_handler_or_not_json(office):
    with pytest.raises(ValueError):
        enqueue(office, handler=handlers.not_a_handler)
    with pytest.raises(ValueError):
        enqueue(office, handler="os.system")
    with pytest.raises(TypeError):
        enqueue(office, params={"office": office})
    assert not Job.objects.exists()


def test_a_row_naming_an_undecorated_function_fails_without_running_it(office):
    job = Job.objects.create(office=office, handler="tests.jobs.handlers.not_a_handler", title="x")
    done = job_execute(job_id=job.pk, worker="w1")
    assert done.state == State.FAILED
    assert "Nieznany rodzaj zadania" in done.error


def test_runs_once_and_stores_the_result(office):
    job = enqueue(office, params={"n": 7})
    done = job_execute(job_id=job.pk, worker="w1")
    assert done.state == State.SUCCEEDED
    assert done.result == {"message": "Gotowe: 7", "n": 7}
    assert done.attempts == 1 and done.worker == "" and done.lease_expires_at is None
    assert done.finished_at is not None
    # A second wake-up for the same job (two workers, or the reaper's) does nothing.
    assert job_execute(job_id=job.pk, worker="w2") is None
    job.refresh_from_db()
    assert job.attempts == 1 and job.result["n"] == 7


def test_progress_is_stored_and_full_at_the_end(office):
    job = enqueue(office, handler=handlers.steps)
    done = job_execute(job_id=job.pk, worker="w1")
    assert (done.progress_done, done.progress_total, done.progress_note) == (3, 3, "krok 3")
    assert done.percent == 100


def test_a_job_error_fails_at_once_with_its_message(office):
    job = enqueue(office, handler=handlers.refuses)
    done = job_execute(job_id=job.pk, worker="w1")
    assert done.state == State.FAILED and done.attempts == 1
    assert done.error == "Plik nie jest skanem ankiety."


def test_a_crash_is_tried_again_then_failed(office, django_capture_on_commit_callbacks):
    job = enqueue(office, handler=handlers.crashes, max_attempts=2)
    first = job_execute(job_id=job.pk, worker="w1")
    assert first.state == State.QUEUED and first.attempts == 1
    woken = DBTaskResult.objects.filter(args_kwargs__args=[str(job.pk)]).order_by("-run_after")
    assert woken.first().run_after > timezone.now()  # tried again later, not at once
    second = job_execute(job_id=job.pk, worker="w1")
    assert second.state == State.FAILED and second.attempts == 2
    assert "Zadanie nie powiodło się" in second.error
    retried = job_retry(job=second)
    assert retried.state == State.QUEUED and retried.attempts == 0 and retried.error == ""


def test_the_lease_keeps_others_out_until_it_runs_out(office):
    job = enqueue(office)
    t0 = timezone.now()
    assert job_claim(job_id=job.pk, worker="a", now=t0).worker == "a"
    assert job_claim(job_id=job.pk, worker="b", now=t0 + timedelta(seconds=1)) is None
    # Within the lease the reaper leaves the job alone.
    assert jobs_reap(now=t0 + timedelta(seconds=59))["requeued"] == []
    job.refresh_from_db()
    assert (job.state, job.worker) == (State.RUNNING, "a")
    # Past it, the job is queued again, and another worker can take it.
    assert jobs_reap(now=t0 + timedelta(seconds=61))["requeued"] == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.worker, job.lease_expires_at) == (State.QUEUED, "", None)
    assert job_claim(job_id=job.pk, worker="b", now=t0 + timedelta(seconds=62)).attempts == 2


def test_a_heartbeat_renews_the_lease(office):
    job = enqueue(office)
    t0 = timezone.now()
    job_claim(job_id=job.pk, worker="a", now=t0)
    assert job_heartbeat(job_id=job.pk, worker="a", now=t0 + timedelta(seconds=50))
    assert jobs_reap(now=t0 + timedelta(seconds=100))["requeued"] == []
    assert jobs_reap(now=t0 + timedelta(seconds=111))["requeued"] == [job.pk]
    # The worker presumed dead finds out at its next heartbeat and stops.
    assert not job_heartbeat(job_id=job.pk, worker="a", now=t0 + timedelta(seconds=112))


def test_a_worker_that_lost_its_lease_cannot_store_a_result(office):
    job = enqueue(office, params={"n": 1})
    t0 = timezone.now()
    claimed = job_claim(job_id=job.pk, worker="slow", now=t0)
    jobs_reap(now=t0 + timedelta(seconds=61))
    context = JobContext(claimed, "slow")
    with pytest.raises(JobLeaseLost):
        context.progress(1, 2)
    # Another worker completes it; the slow one's late finish changes nothing.
    done = job_execute(job_id=job.pk, worker="fast")
    assert done.state == State.SUCCEEDED and done.attempts == 2
    from ocenurzad.jobs.services import _finish

    assert not _finish(job_id=job.pk, worker="slow", state=State.FAILED, error="late")
    job.refresh_from_db()
    assert job.state == State.SUCCEEDED and job.error == ""


def test_the_reaper_fails_a_job_out_of_attempts_and_closes_the_library_row(office):
    job = enqueue(office, max_attempts=1)
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path="ocenurzad.jobs.tasks.job_run_task",
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
    )
    Job.objects.filter(pk=job.pk).update(task_id=str(task.pk))
    t0 = timezone.now()
    job_claim(job_id=job.pk, worker="a", now=t0)
    found = jobs_reap(now=t0 + timedelta(seconds=61))
    assert found["failed"] == [job.pk]
    job.refresh_from_db()
    assert job.state == State.FAILED and "przerwane 1 razy" in job.error
    task.refresh_from_db()
    assert task.status == "FAILED"


def test_the_reaper_wakes_a_queued_job_that_lost_its_wake_up(office):
    job = enqueue(office)
    later = timezone.now() + timedelta(seconds=120)
    assert jobs_reap(now=later)["woken"] == [job.pk]
    job.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
    # With a live wake-up it is left alone.
    assert jobs_reap(now=later)["woken"] == []
