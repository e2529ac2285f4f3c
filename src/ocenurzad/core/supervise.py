"""Run several commands as one: ``make run``'s web server and background worker.

    python -m ocenurzad.core.supervise [--grace SECONDS] NAME=COMMAND [NAME=COMMAND ...]

- Each command runs in a process group of its own (with whatever it starts: gunicorn's
  workers, say), so a signal meant for one reaches all of its processes and nothing else.
- Ctrl-C, SIGTERM or SIGHUP to the supervisor: every group gets SIGTERM (gunicorn and the
  worker stop gracefully), and whatever is still there after ``--grace`` seconds (10 by
  default) gets SIGKILL. A second Ctrl-C kills at once.
- When one command ends by itself, the others are stopped the same way and the supervisor
  exits with its status: the service is never left half running.
- On Linux each command is also told to stop (SIGTERM) when the supervisor itself dies,
  even by SIGKILL, so no process is left behind holding the port.

Why not honcho or supervisord: they are one more dependency for ~100 lines, and neither
ties the children's life to the supervisor's (the SIGKILL case above). Production does not
use this: there the web server and the worker are two services of the init system (README).
"""

import argparse
import contextlib
import ctypes
import os
import shlex
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1


def _die_with_parent():  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


class Supervisor:
    def __init__(self, commands: dict[str, list[str]], grace: float = 10.0):
        self.commands = commands
        self.grace = grace
        self.processes: dict[str, subprocess.Popen] = {}
        self.stop_requests = 0

    def log(self, message: str) -> None:
        print(f"[supervise] {message}", file=sys.stderr, flush=True)

    def request_stop(self, signum, _frame) -> None:
        self.stop_requests += 1
        if self.stop_requests > 1:
            self.log("second signal: killing everything now")
            for process in self.processes.values():
                _signal_group(process, signal.SIGKILL)

    def start(self) -> None:
        for name, argv in self.commands.items():
            process = subprocess.Popen(  # noqa: S603 - the commands are ours (Makefile)
                argv,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            self.processes[name] = process
            self.log(f"{name} started (pid {process.pid}): {shlex.join(argv)}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and self.stop_requests < 2:
            if all(p.poll() is not None for p in self.processes.values()):
                break
            time.sleep(0.05)
        for name, process in self.processes.items():
            if process.poll() is None:
                self.log(f"{name} did not stop in {self.grace:g} s: killing it")
        # The whole group, always: a command that exited may have left children behind.
        for process in self.processes.values():
            _signal_group(process, signal.SIGKILL)
        for process in self.processes.values():
            process.wait()

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.request_stop)
        self.start()
        status = 0
        while not self.stop_requests:
            ended = [(n, p) for n, p in self.processes.items() if p.poll() is not None]
            if ended:
                name, process = ended[0]
                self.log(f"{name} ended with status {process.returncode}: stopping the rest")
                status = process.returncode or 1
                break
            time.sleep(0.1)
        self.stop()
        self.log("all stopped")
        return status


def parse(argv: list[str]) -> tuple[dict[str, list[str]], float]:
    parser = argparse.ArgumentParser(prog="supervise", description=__doc__.split("\n\n")[0])
    parser.add_argument("--grace", type=float, default=10.0)
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args(argv)
    commands = {}
    for item in args.commands:
        name, sep, command = item.partition("=")
        if not sep or not name or not command.strip():
            parser.error(f"expected NAME=COMMAND, got {item!r}")
        commands[name] = shlex.split(command)
    return commands, args.grace


def main(argv: list[str] | None = None) -> int:
    commands, grace = parse(sys.argv[1:] if argv is None else argv)
    return Supervisor(commands, grace=grace).run()


if __name__ == "__main__":
    sys.exit(main())
