"""Reading an upload as a background job: one job per upload (``scan_import_enqueue``).

The handler is idempotent (the reaper may run it again after a worker died): pages
already read are not read again and a sheet already stored is not stored again
(``processing.scan_import_run``). It lowers the worker's CPU priority first, so that the
web server — residents filling in the survey — wins over image work on a shared machine.
"""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from ocenurzad.jobs.registry import job_handler
from ocenurzad.jobs.services import JobError

from .models import ScanImport
from .processing import scan_import_run
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

    with override("pl"):
        scan_import_run(import_id=scan_import.pk, progress=progress)
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
