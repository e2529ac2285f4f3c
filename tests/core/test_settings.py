import os
import subprocess
import sys
from pathlib import Path

import pytest

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


PRODUCTION = {
    "OCENURZAD_PROFILE": "production",
    "SECRET_KEY": "x9!" * 20 + "abcdefghijklmnopqrst",
    "BASE_DOMAIN": "ocenurzad.example.pl",
    "ALLOWED_HOSTS": ".ocenurzad.example.pl",
}


@pytest.mark.parametrize(
    "weak",
    ["abcde", "dev-only-not-secret-" + "x" * 40, "django-insecure-" + "k" * 50, "ab" * 40],
    ids=["short", "development-key", "django-insecure", "few-characters"],
)
def test_production_profile_refuses_a_weak_secret_key(weak):
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": weak})

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_profile_refuses_debug():
    result = _manage("check", **{**PRODUCTION, "DEBUG": "true"})

    assert result.returncode != 0
    assert "DEBUG=true is refused" in result.stderr


def test_production_without_collectstatic_serves_pages_and_error_pages(tmp_path):
    script = (
        "from django.test import Client\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "c = Client(HTTP_HOST='ocenurzad.example.pl', HTTP_X_FORWARDED_PROTO='https')\n"
        "for path in ('/', '/nie-ma-takiej-strony/', '/static/css/nie-ma.css'):\n"
        "    r = c.get(path)\n"
        "    print(path, r.status_code, b'/static/' in r.content)\n"
    )
    result = _manage(
        "shell",
        "-c",
        script,
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static-never-collected"),
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "/ 200 True" in lines
    assert "/nie-ma-takiej-strony/ 404 True" in lines
    assert any(line.startswith("/static/css/nie-ma.css 404") for line in lines)


def test_permissions_policy_header_on_resident_and_staff_pages(client, office):
    for path in (f"/{office.slug}/", f"/{office.slug}/admin/logowanie/", "/"):
        policy = client.get(path)["Permissions-Policy"]
        assert "camera=()" in policy
        assert "geolocation=()" in policy
        assert "microphone=()" in policy


def test_sqlite_syncs_every_commit(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL: an acknowledged answer survives power loss
