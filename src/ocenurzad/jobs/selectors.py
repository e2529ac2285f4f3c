"""Reads of background jobs, tenant first."""

import uuid

from django.http import Http404

from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.offices.models import Office

from .models import Job


def job_get(*, office: Office, job_id) -> Job:
    """One job of this office; 404 for a missing id and another office's job alike."""
    try:
        return Job.objects.select_related("owner").get(office=office, pk=uuid.UUID(str(job_id)))
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def job_get_for_user(*, office: Office, user, job_id) -> Job:
    """A job the account may follow: its own, or any of the office's for those who manage
    the office (office administrators, the operator). 404 otherwise — a job's existence
    is not told to others."""
    job = job_get(office=office, job_id=job_id)
    if job.owner_id == user.pk or can(user, office, Perm.USERS):
        return job
    raise Http404
