"""The panel page of one background job: its progress while it runs, its result after.

Without JavaScript the page offers a refresh link; with it, a small script asks for the
JSON state every 2 seconds and reloads the page when the job has finished.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view

from .selectors import job_get_for_user


def job_state(job) -> dict:
    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "finished": job.finished,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        # The last step's note describes work in progress; a finished job shows its state
        # and result only ("zakończone — Przygotowanie raportu…" read as still working).
        "note": "" if job.finished else job.progress_note,
    }


@require_GET
@never_cache
@panel_view(Perm.HELP)  # every role; job_get_for_user decides who sees which job
def job_page(request, job_id):
    job = job_get_for_user(office=request.office, user=request.user, job_id=job_id)
    result = job.result if isinstance(job.result, dict) else {}
    links = [_link(link) for link in result.get("links", [])]
    return render(
        request,
        "jobs/job.html",
        {"job": job, "message": result.get("message", ""), "links": [x for x in links if x]},
    )


def _link(link: dict) -> dict | None:
    """A result's link: ``url`` as stored, or ``route`` (a URL name) and ``args`` reversed
    here — a worker has no request, so it cannot know the office's address."""
    if "route" not in link:
        return link
    try:
        return {"url": reverse(link["route"], args=link.get("args", [])), "label": link["label"]}
    except NoReverseMatch:
        return None


@require_GET
@never_cache
@panel_view(Perm.HELP)
def job_status(request, job_id):
    job = job_get_for_user(office=request.office, user=request.user, job_id=job_id)
    return JsonResponse(job_state(job))
