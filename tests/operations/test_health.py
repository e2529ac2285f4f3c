"""/zdrowie/ for the load balancer, and the version in the panel's footer."""

import json

import pytest
from django.db import connection

from ocenurzad.core.version import app_version

pytestmark = pytest.mark.django_db


def test_health_answers_by_any_host_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ocenurzad.example.pl"]

    response = client.get("/zdrowie/", HTTP_HOST="10.0.0.5:8000")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "version": app_version(),
    }


def test_health_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("baza danych nie odpowiada")

    monkeypatch.setattr(connection, "cursor", broken)

    response = client.get("/zdrowie/")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert "nie odpowiada" not in response.content.decode()


def test_zdrowie_cannot_be_an_office_address():
    from ocenurzad.offices.models import RESERVED_SLUGS

    assert "zdrowie" in RESERVED_SLUGS


def test_the_panel_footer_shows_the_version_and_resident_pages_do_not(client, office):
    from tests.accounts.conftest import make_staff

    staff = make_staff(office, "admin.wersja", "office_admin")
    client.force_login(staff)

    panel = client.get(f"/{office.slug}/admin/", follow=True).content.decode()
    resident = client.get(f"/{office.slug}/").content.decode()

    assert f"Wersja {app_version()}" in panel
    assert "Wersja " not in resident
