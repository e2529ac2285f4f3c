"""gunicorn.conf.py: bound to this machine by default, an access log without secrets or
addresses, and workers that die with their master."""

import http.client
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"


def load_conf(monkeypatch, **env):
    for name in ("BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_listens_on_this_machine_only_unless_told(monkeypatch):
    assert load_conf(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert load_conf(monkeypatch, PORT="8123")["bind"] == ["127.0.0.1:8123"]
    assert load_conf(monkeypatch, BIND="0.0.0.0:8000, [::]:8000")["bind"] == [
        "0.0.0.0:8000",
        "[::]:8000",
    ]
    assert load_conf(monkeypatch)["reuse_port"] is True


def _access_line(monkeypatch, path: str, query: str = "") -> str:
    from datetime import timedelta

    from gunicorn.config import Config

    conf = load_conf(monkeypatch)
    logger = conf["AnonymousLogger"](Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + ("?" + query if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (tajne)",
        "HTTP_REFERER": "https://example.pl/strona",
    }
    request = SimpleNamespace(
        headers=[("X-FORWARDED-FOR", "203.0.113.9"), ("USER-AGENT", "Mozilla/5.0 (tajne)")]
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.01))
    everything = "%(h)s %(r)s %(U)s %(q)s %(a)s %(f)s %({x-forwarded-for}i)s %({user-agent}i)s"
    return (conf["access_log_format"] % atoms) + " | " + (everything % atoms)


def test_access_log_has_no_reset_token_address_browser_or_query(monkeypatch):
    token = "cz8ehq-0123456789abcdef0123456789abcdef"
    line = _access_line(monkeypatch, f"/swinoujscie/admin/reset-hasla/MQ/{token}/", "next=x")

    assert token not in line
    assert "/reset-hasla/MQ/…/" in line
    for secret in ("198.51.100.7", "203.0.113.9", "tajne", "example.pl", "next=x"):
        assert secret not in line


def test_access_log_keeps_the_path_of_other_pages(monkeypatch):
    line = _access_line(monkeypatch, "/swinoujscie/admin/reset-hasla/MQ/set-password/")

    assert '"GET /swinoujscie/admin/reset-hasla/MQ/set-password/ HTTP/1.1" 200 10' in line


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_killed_master_and_a_new_master_binds_at_once(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("BIND", None)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(CONF)]
    master = subprocess.Popen(  # noqa: S603
        [*gunicorn, "--log-level", "debug"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        # Wait until both workers have passed post_fork (they log it): a worker stopped
        # between fork and its prctl — a window of microseconds a busy worker never sits
        # in — could not die with its master, and the test raced on a loaded machine.
        ready = 0
        while ready < 2:
            line = master.stderr.readline()
            assert line, "gunicorn ended before its workers were up"
            ready += "dies with its master" in line
        workers = _children(master.pid)
        assert len(workers) == 2

        # Stopped workers stand for busy ones: they cannot notice by themselves that the
        # master is gone (gunicorn's own check runs between requests), only the kernel
        # can end them.
        for worker in workers:
            os.kill(worker, signal.SIGSTOP)
        master.send_signal(signal.SIGKILL)
        master.wait()
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "an orphaned worker outlived its master"

        again = subprocess.Popen(  # noqa: S603
            gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            status = None
            while status is None and time.monotonic() < deadline:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", "/zdrowie/")
                    status = connection.getresponse().status
                except OSError:
                    time.sleep(0.2)
            assert status is not None
        finally:
            again.terminate()
            _out, err = again.communicate(timeout=60)
        assert b"Connection in use" not in err
    finally:
        if master.poll() is None:
            master.kill()
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)
