"""Reading an upload as a background job: one job per upload (``scan_import_enqueue``);
a large upload is read in parts, each a job of its own (``scan_chunk_process``), so that
every worker process reads it at once — the upload's job reads parts too, waits for the
others and then judges the sheets (``processing.scan_import_run``).

The handler is idempotent (the reaper may run it again after a worker died): pages
already read are not read again and a sheet already stored is not stored again
(``processing.scan_import_run``). It lowers the worker's CPU priority first, so that the
web server — residents filling in the survey — wins over image work on a shared machine.
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from ocenurzad.jobs.models import Job
from ocenurzad.jobs.registry import job_handler
from ocenurzad.jobs.services import (
    JobError,
    job_enqueue,
    job_execute,
    jobs_reap,
    lease_seconds,
)

from .models import ScanImport
from .processing import chunk_read, import_pages_done, scan_import_run
from .selectors import scan_import_protocol

logger = logging.getLogger(__name__)


def priority_lower(niceness: int) -> None:
    """Lower this process's CPU priority to ``niceness`` (never raise it back: an
    unprivileged process cannot). On Linux the nice value belongs to each thread, so every
    thread of the process is lowered (the job's heartbeat and OpenCV's pool included);
    threads started later inherit it. The worker stays at this priority for the jobs it
    runs afterwards: background work never competes with the web server."""
    tasks = Path("/proc/self/task")
    try:
        if tasks.is_dir():
            for tid in (int(name) for name in os.listdir(tasks)):
                try:
                    if os.getpriority(os.PRIO_PROCESS, tid) < niceness:
                        os.setpriority(os.PRIO_PROCESS, tid, niceness)
                except ProcessLookupError:
                    continue  # the thread has ended meanwhile
        else:
            current = os.nice(0)
            if current < niceness:
                os.nice(niceness - current)
    except OSError:
        logger.warning("could not lower the worker's priority to %s", niceness, exc_info=True)


@job_handler
def scan_import_process(job):
    """Read one upload's files; progress in pages read of all pages; the result is the
    import protocol's totals."""
    priority_lower(settings.SCANS_WORKER_NICE)
    scan_import = ScanImport.objects.filter(
        office=job.office, pk=job.params.get("import_id")
    ).first()
    if scan_import is None:
        raise JobError(_("Tego wczytania skanów już nie ma."))

    def progress(done: int, total: int) -> None:
        job.progress(
            done,
            total=total,
            note=_("Odczytano stron: %(done)d z %(total)d") % {"done": done, "total": total},
        )

    def chunks_run(parts: list[dict]) -> None:
        _parts_run(job, scan_import, parts)

    with override("pl"):
        scan_import_run(import_id=scan_import.pk, progress=progress, chunks_run=chunks_run)
        totals = scan_import_protocol(scan_import=scan_import)["totals"]
        message = (
            _(
                "Odczytano stron: %(pages_read)d z %(pages)d (pustych: %(pages_blank)d, "
                "odrzuconych: %(pages_refused)d). Arkuszy zapisanych: %(stored)d, pustych: "
                "%(blank)d, odrzuconych: %(refused)d, do sprawdzenia: %(waiting)d, do "
                "potwierdzenia: %(confirm)d; uwag do przepisania: %(comments)d."
            )
            % totals
        )
    # No links: the worker cannot know the office's address (its own host or a path
    # under the platform's); the upload's page shows this job's progress and protocol.
    return {"message": message, "import_id": scan_import.pk, "totals": totals}


def _note(done: int, total: int) -> str:
    return _("Odczytano stron: %(done)d z %(total)d") % {"done": done, "total": total}


def _part_title(scan_import: ScanImport, part: dict) -> str:
    if part["stop"] is None:  # a file whose pages could not be counted: read whole
        return _("Odczyt skanów — wczytanie nr %(number)d") % {"number": scan_import.pk}
    return _("Odczyt skanów — wczytanie nr %(number)d, strony %(first)d–%(last)d") % {
        "number": scan_import.pk,
        "first": part["start"] + 1,
        "last": part["stop"],
    }


def _parts_run(job, scan_import: ScanImport, parts: list[dict]) -> None:
    """Queue a job for each part (once: the key names the upload's job and the part),
    read here every part no other worker has taken, wait for the rest; the upload's
    progress counts the pages of every part. A part whose worker died is queued again by
    the reaper (run here too while waiting) and read by whoever claims it."""
    parent_key = job.job.key or str(job.job.pk)
    children = [
        job_enqueue(
            office=scan_import.office,
            owner=job.owner,
            handler=scan_chunk_process,
            title=_part_title(scan_import, part),
            params={**part, "import_id": scan_import.pk, "parent": str(job.job.pk)},
            key=f"{parent_key}:{part['file_id']}:{part['start']}",
        )
        for part in parts
    ]
    ids = [child.pk for child in children]
    reaped = float("-inf")  # at once on the first wait: a part may be a dead worker's
    while True:
        for child_id in ids:
            job.check()
            job_execute(job_id=child_id)  # nothing when another worker has it or it is done
        states = dict(Job.objects.filter(pk__in=ids).values_list("pk", "state"))
        failed = [pk for pk in ids if states.get(pk) == Job.State.FAILED]
        if failed:
            error = Job.objects.get(pk=failed[0]).error
            raise JobError(error or _("Nie udało się odczytać części stosu."))
        if all(states.get(pk) == Job.State.SUCCEEDED for pk in ids):
            return
        done = import_pages_done(scan_import)
        job.progress(done, note=_note(done, scan_import.pages_total))
        if time.monotonic() - reaped > lease_seconds() / 3:
            jobs_reap()
            reaped = time.monotonic()
        time.sleep(0.5)


@job_handler
def scan_chunk_process(job):
    """Read one part of an upload (pages ``start``..``stop`` of one file); the upload's
    job shows the progress of all parts and judges the sheets once all are read."""
    priority_lower(settings.SCANS_WORKER_NICE)
    params = job.params
    scan_import = ScanImport.objects.filter(office=job.office, pk=params.get("import_id")).first()
    if scan_import is None:
        raise JobError(_("Tego wczytania skanów już nie ma."))
    start, stop = params["start"], params.get("stop")

    def progress(done_here: int) -> None:
        done = import_pages_done(scan_import)
        Job.objects.filter(pk=params.get("parent"), state=Job.State.RUNNING).update(
            progress_done=done, progress_note=_note(done, scan_import.pages_total)[:300]
        )
        job.progress(done_here, total=(stop - start) if stop else None)

    with override("pl"):
        chunk_read(
            import_id=scan_import.pk,
            file_id=params["file_id"],
            start=start,
            stop=stop,
            progress=progress,
        )
    return {"import_id": scan_import.pk, "file_id": params["file_id"], "start": start}
