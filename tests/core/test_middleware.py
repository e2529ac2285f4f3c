"""The middleware chain: what resident pages skip, and the Content-Security-Policy."""

import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from ocenurzad.accounts.models import Role, User
from ocenurzad.core.middleware import CSPMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["", "dziekujemy/", "ochrona-danych/", "nie-ma-takiej/"])
def test_resident_pages_touch_no_session_user_or_messages(client, office, path):
    response = client.get(f"/{office.slug}/{path}")

    request = response.wsgi_request
    assert request.resident_page is True
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_staff_pages_keep_sessions_and_login(client, office):
    user = User.objects.create_user(
        username="sekretarz", password="x", office=office, role=Role.OFFICE_ADMIN
    )
    client.force_login(user)

    response = client.get(f"/{office.slug}/admin/pulpit/", follow=True)

    assert response.status_code == 200
    assert response.wsgi_request.resident_page is False
    assert response.wsgi_request.user == user


def test_a_logged_in_clerk_opening_the_survey_is_treated_as_a_resident(client, office):
    user = User.objects.create_user(
        username="sekretarz", password="x", office=office, role=Role.OFFICE_ADMIN
    )
    client.force_login(user)

    response = client.get(f"/{office.slug}/")

    assert response.status_code == 200
    assert not response.cookies, "the survey never sets or refreshes a cookie"


@pytest.mark.parametrize("path", ["", "admin/logowanie/", "nie-ma-takiej/"])
def test_every_page_has_the_configured_policy(client, office, path):
    response = client.get(f"/{office.slug}/{path}")

    assert response["Content-Security-Policy"] == build_policy()
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_platform_pages_have_the_policy_too(client, office):
    assert client.get("/")["Content-Security-Policy"] == build_policy()


def test_a_changed_policy_is_used_at_once(client, office, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert client.get(f"/{office.slug}/")["Content-Security-Policy"] == "default-src 'none'"


def test_the_policy_is_built_once_not_per_response(client, office, monkeypatch):
    from ocenurzad.core import middleware

    calls = []
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: calls.append(kw) or "x")
    monkeypatch.setattr(CSPMiddleware, "_built", None)

    for _ in range(5):
        assert client.get(f"/{office.slug}/")["Content-Security-Policy"] == "x"

    assert len(calls) == 2  # the policy and the report-only one, once


def test_a_per_response_policy_still_goes_through_django_csp():
    request = RequestFactory().get("/")
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://mapy.example.pl"]}
    middleware = CSPMiddleware(lambda r: response)

    middleware.process_request(request)
    result = middleware.process_response(request, response)

    assert "https://mapy.example.pl" in result["Content-Security-Policy"]


def test_a_nonce_still_goes_through_django_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}
    }
    request = RequestFactory().get("/")
    response = HttpResponse("x")
    middleware = CSPMiddleware(lambda r: response)

    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    result = middleware.process_response(request, response)

    assert f"'nonce-{nonce}'" in result["Content-Security-Policy"]
