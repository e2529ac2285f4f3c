"""The one task the library knows: wake a worker to run one of our jobs."""

from django_tasks import task

from .services import job_execute


@task()
def job_run_task(job_id: str) -> str:
    job = job_execute(job_id=job_id)
    return "skipped" if job is None else job.state
