"""``jobs_worker --processes N``: N copies of the worker's own command under the
supervisor (one worker a core), without the options that asked for them."""

import sys

from ocenurzad.jobs.management.commands.jobs_worker import supervise_argv


def test_processes_become_copies_of_the_command_under_the_supervisor():
    argv = ["manage.py", "jobs_worker", "--processes", "2", "--interval", "0.5", "--grace=30"]

    command = supervise_argv(argv, 2, 30.0)

    assert command[:5] == [sys.executable, "-m", "ocenurzad.core.supervise", "--grace", "30"]
    own = f"{sys.executable} manage.py jobs_worker --interval 0.5"
    assert command[5:] == [f"worker-1={own}", f"worker-2={own}"]
