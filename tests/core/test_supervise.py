"""make run's supervisor: Ctrl-C ends every command with all it started, a command that
ends takes the others with it, and nothing outlives a killed supervisor."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocenurzad.core.supervise import parse

# A command that starts a grandchild, writes both process ids and waits; with
# IGNORE_TERM it ignores SIGTERM (it must then be killed after the grace period).
CHILD = """
import os, signal, subprocess, sys, time
if os.environ.get("IGNORE_TERM"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1] + ".tmp", "w") as handle:
    handle.write(f"{os.getpid()} {grandchild.pid}")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
if len(sys.argv) > 2:
    # End only once every other command has started (else, on a slow machine, this one
    # ends first and the supervisor rightly stops the others before they wrote their ids).
    others = [p for p in os.environ.get("WAIT_FOR", "").split(os.pathsep) if p]
    deadline = time.monotonic() + 60
    while not all(os.path.exists(p) for p in others) and time.monotonic() < deadline:
        time.sleep(0.05)
    sys.exit(int(sys.argv[2]))
while True:
    time.sleep(0.1)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


def wait_for(predicate, what, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start(tmp_path, *commands, grace="5", env=None):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    args = [f"{name}={sys.executable} {script} {tmp_path / name} {code}" for name, code in commands]
    started = os.pathsep.join(str(tmp_path / name) for name, _code in commands)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "ocenurzad.core.supervise", "--grace", grace, *args],
        env={**os.environ, "WAIT_FOR": started, **(env or {})},
        stderr=subprocess.PIPE,
        text=True,
    )
    pids = []
    for name, _code in commands:
        pid_file = tmp_path / name
        wait_for(pid_file.exists, f"{name} to start")
        pids += [int(p) for p in pid_file.read_text().split()]
    return process, pids


def test_ctrl_c_stops_every_command_and_what_it_started(tmp_path):
    supervisor, pids = start(tmp_path, ("web", ""), ("worker", ""))
    assert all(alive(pid) for pid in pids)
    supervisor.send_signal(signal.SIGINT)
    assert supervisor.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in pids)
    assert "all stopped" in supervisor.stderr.read()


def test_a_command_that_ignores_sigterm_is_killed_after_the_grace(tmp_path):
    supervisor, pids = start(tmp_path, ("web", ""), grace="0.5", env={"IGNORE_TERM": "1"})
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in pids)
    assert "did not stop in 0.5 s: killing it" in supervisor.stderr.read()


def test_a_command_that_ends_stops_the_others(tmp_path):
    supervisor, pids = start(tmp_path, ("worker", ""), ("web", "3"))
    assert supervisor.wait(timeout=30) == 3
    wait_for(lambda: not any(alive(pid) for pid in pids), "everything to stop")
    assert "web ended with status 3: stopping the rest" in supervisor.stderr.read()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_supervisor_leaves_no_command_behind(tmp_path):
    supervisor, pids = start(tmp_path, ("web", ""), ("worker", ""))
    commands = pids[0::2]
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait(timeout=30)
    try:
        wait_for(lambda: not any(alive(pid) for pid in commands), "the commands to stop")
    finally:
        # The grandchildren (here: plain sleeps) are their command's to stop; gunicorn's
        # workers stop with their master.
        for pid in pids[1::2]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_commands_are_named(capsys):
    commands, grace = parse(["--grace", "2", "web=gunicorn -c gunicorn.conf.py", "w=a 'b c'"])
    assert commands == {"web": ["gunicorn", "-c", "gunicorn.conf.py"], "w": ["a", "b c"]}
    assert grace == 2
    with pytest.raises(SystemExit):
        parse(["gunicorn"])
    assert "expected NAME=COMMAND" in capsys.readouterr().err
