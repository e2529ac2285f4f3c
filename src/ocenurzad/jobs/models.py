import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work, as the application sees it.

    The task library (django-tasks with its database backend) only wakes a worker up: its
    row says "run job X". Whether X may run, who runs it now and until when, how far it
    got and what came out are kept here, so that a worker that dies (SIGKILL, power) does
    not leave the work "running" for ever — its lease runs out and the reaper queues it
    again — and two workers (on one machine or two) never both finish it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("czeka w kolejce")
        RUNNING = "running", _("w toku")
        SUCCEEDED = "succeeded", _("zakończone")
        FAILED = "failed", _("nieudane")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Dotted path of a function decorated with @job_handler (jobs/registry.py).
    handler = models.CharField(max_length=200)
    title = models.CharField(_("zadanie"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # Idempotency key: enqueueing the same key again returns the job already there.
    key = models.CharField(max_length=200, blank=True, default="")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    progress_note = models.CharField(max_length=300, blank=True)
    result = models.JSONField(null=True, blank=True)
    # What the panel shows when the job failed (Polish, no traceback: that goes to the log).
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    # The lease: who runs the job now and until when. A worker renews it while it works
    # (heartbeat); past lease_expires_at the reaper may give the job to another worker.
    worker = models.CharField(max_length=120, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The task library's id of the latest wake-up sent for this job.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("zadanie w tle")
        verbose_name_plural = _("zadania w tle")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="jobs_job_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"], name="jobs_job_state_lease"),
            models.Index(fields=["office", "-created_at"], name="jobs_job_office_created"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))
