"""The background worker: the task library's database worker, plus our reaper.

Between tasks (at most every ``--reap-every`` seconds) it runs ``jobs_reap``: jobs whose
worker died are queued again. Stop it with SIGINT or SIGTERM: the job in hand is finished
first (a second signal stops it at once; its lease then runs out and the reaper queues it
again). ``--batch`` runs what is ready (after one reaping) and exits.

``--processes N`` (N > 1) runs N such workers, each a process of its own, under
``ocenurzad.core.supervise`` (which this process becomes): one worker uses one core, and a
large scan upload is read in parts by all of them at once (scans/jobs.py). A signal to
the supervisor reaches every worker; each finishes its job in hand within ``--grace``
seconds; when one worker ends, the others are stopped and the supervisor exits (the
init system starts it again).
"""

import logging
import os
import shlex
import sys
import time

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from ocenurzad.jobs.services import jobs_reap

logger = logging.getLogger(__name__)


class Worker(db_worker.Worker):
    def __init__(self, *, reap_every: float, **kwargs):
        self.keep_going = not kwargs["batch"]
        # The library's loop, in batch mode, returns when nothing is ready; ours reaps,
        # runs it, sleeps, again.
        kwargs["batch"] = True
        super().__init__(**kwargs)
        self.reap_every = reap_every
        self._reaped_at = None

    def reap(self) -> None:
        now = time.monotonic()
        if self._reaped_at is not None and now - self._reaped_at < self.reap_every:
            return
        self._reaped_at = now
        try:
            jobs_reap()
        except Exception:
            logger.exception("reaping jobs failed; trying again later")

    def run(self) -> None:
        while self.running:
            self.reap()
            super().run()
            self.startup_delay = False
            if not self.keep_going or (
                self.max_tasks is not None and self._run_tasks >= self.max_tasks
            ):
                return
            if self.running:
                time.sleep(self.interval)


class Command(db_worker.Command):
    help = "Run the background jobs worker (reaps jobs whose worker died)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--reap-every",
            type=float,
            default=10.0,
            help="Seconds between two runs of the reaper (default: %(default)s).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Run this many worker processes under one supervisor (default: %(default)s).",
        )
        parser.add_argument(
            "--grace",
            type=float,
            default=50.0,
            help="With --processes: seconds a stopped worker has to finish its job.",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity < 2:
            # The library says "no more tasks" on every idle round in batch mode.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        reap_every,
        processes=1,
        grace=50.0,
        **options,
    ):
        if processes > 1:
            os.execv(sys.executable, supervise_argv(sys.argv, processes, grace))  # noqa: S606
        # As the library's command, with our Worker; no autoreload (a reload would cut a
        # job short: it is for development of the worker itself, use db_worker for that).
        self.configure_logging(verbosity)
        if exclude_queues and "*" not in queue_name.split(","):
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            reap_every=reap_every,
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        worker.run()


def supervise_argv(argv: list[str], processes: int, grace: float) -> list[str]:
    """The supervisor's command line for ``processes`` copies of this worker's command
    (``argv``: this process's, without --processes and --grace)."""
    own, skip = [], False
    for arg in argv[1:]:
        if skip:
            skip = False
            continue
        if arg in ("--processes", "--grace"):
            skip = True
            continue
        if arg.startswith(("--processes=", "--grace=")):
            continue
        own.append(arg)
    command = shlex.join([sys.executable, argv[0], *own])
    return [
        sys.executable,
        "-m",
        "ocenurzad.core.supervise",
        "--grace",
        f"{grace:g}",
        *(f"worker-{n}={command}" for n in range(1, processes + 1)),
    ]
