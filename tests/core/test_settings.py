import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    full_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        OCENURZAD_PROFILE="production",
        SECRET_KEY="x9!" * 20 + "abcdefghijklmnopqrst",
        BASE_DOMAIN="ocenurzad.example.pl",
        ALLOWED_HOSTS=".ocenurzad.example.pl",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret():
    result = _manage("check", OCENURZAD_PROFILE="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
