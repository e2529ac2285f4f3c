"""Logging in at an office's panel address, and out again."""

import pytest

from tests.accounts.conftest import WRONG, log_in, panel_url

pytestmark = pytest.mark.django_db

INVALID = "Nieprawidłowa nazwa użytkownika lub hasło."


def test_login_page_is_polish_and_labels_every_field(client, office):
    page = client.get(panel_url(office, "panel:login"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Logowanie do panelu urzędu" in html
    assert '<label for="id_username">Nazwa użytkownika (login)</label>' in html
    assert '<label for="id_password">Hasło</label>' in html
    assert "style=" not in html
    assert "<script" not in html


def test_member_logs_in_and_lands_in_the_panel(client, office, admin):
    response = log_in(client, office, admin.username)

    assert response.status_code == 302
    assert response["Location"] == "/swinoujscie/admin/"
    dashboard = client.get(panel_url(office, "panel:dashboard"))
    assert dashboard.status_code == 200
    assert "Katarzyna Nowak" in dashboard.content.decode()


def test_account_of_another_office_is_refused_with_the_same_message(
    client, office, other_office, other_admin
):
    foreign = log_in(client, office, other_admin.username)
    wrong_password = log_in(client, office, "admin.swinoujscie-nie-ma", WRONG)

    assert foreign.status_code == 200
    assert INVALID in foreign.content.decode()
    assert INVALID in wrong_password.content.decode()
    assert "_auth_user_id" not in client.session
    # At its own office the same account gets in.
    assert log_in(client, other_office, other_admin.username).status_code == 302


def test_wrong_password_is_refused_and_listed_at_the_top(client, office, admin):
    response = log_in(client, office, admin.username, WRONG)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert html.index("error-summary") < html.index('name="username"')
    assert "<title>Błąd:" in html
    assert "_auth_user_id" not in client.session


def test_inactive_account_is_refused(client, office, clerk):
    clerk.is_active = False
    clerk.save()

    response = log_in(client, office, clerk.username)

    assert INVALID in response.content.decode()


def test_operator_may_log_in_at_any_office(client, office, other_office, operator):
    assert log_in(client, office, operator.username)["Location"] == "/swinoujscie/admin/"
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 200
    client.logout()
    assert log_in(client, other_office, operator.username)["Location"] == "/ksiazki/admin/"
    assert client.get(panel_url(other_office, "panel:dashboard")).status_code == 200


def test_login_by_host_name_works_the_same(client, office, admin):
    response = client.post(
        "/admin/logowanie/",
        {"username": admin.username, "password": "Zielona-Ławka-2024"},
        HTTP_HOST="swinoujscie.localhost",
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_next_within_the_site_is_followed(client, office, admin):
    target = panel_url(office, "panel:users")

    response = log_in(client, office, admin.username, next_url=target)

    assert response["Location"] == target


@pytest.mark.parametrize(
    "next_url", ["https://zly.example/kradziez", "//zly.example/", "javascript:alert(1)"]
)
def test_next_outside_the_site_is_ignored(client, office, admin, next_url):
    response = log_in(client, office, admin.username, next_url=next_url)

    assert response["Location"] == "/swinoujscie/admin/"


def test_panel_page_sends_to_login_and_back(client, office, admin):
    users = panel_url(office, "panel:users")

    first = client.get(users)

    assert first.status_code == 302
    assert (
        first["Location"]
        == "/swinoujscie/admin/logowanie/?next=%2Fswinoujscie%2Fadmin%2Fuzytkownicy%2F"
    )
    login_page = client.get(first["Location"])
    assert f'name="next" value="{users}"' in login_page.content.decode()


def test_logout_needs_post(client, office, admin):
    client.force_login(admin)

    by_get = client.get(panel_url(office, "panel:logout"))
    assert by_get.status_code == 405
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 200

    by_post = client.post(panel_url(office, "panel:logout"))
    assert by_post.status_code == 302
    assert by_post["Location"] == "/swinoujscie/admin/logowanie/"
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 302
    assert "Wylogowano" in client.get(by_post["Location"]).content.decode()


def test_logged_in_member_opening_login_goes_to_the_panel(client, office, admin):
    client.force_login(admin)

    response = client.get(panel_url(office, "panel:login"))

    assert response.status_code == 302
    assert response["Location"] == "/swinoujscie/admin/"


def test_panel_bar_offers_logout_as_a_form(client, office, admin):
    client.force_login(admin)

    html = client.get(panel_url(office, "panel:dashboard")).content.decode()

    assert 'action="/swinoujscie/admin/wyloguj/"' in html
    assert 'href="/swinoujscie/admin/haslo/"' in html
    assert 'href="/swinoujscie/admin/dwuetapowe/"' in html


def test_the_panel_session_ends_with_the_browser_and_after_idle_hours(
    client, office, admin, settings
):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    response = log_in(client, office, admin.username)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"], "a cookie for this browser session"
    dashboard = panel_url(office, "panel:dashboard")
    assert client.get(dashboard).status_code == 200

    # Each request starts the idle count again: 7 hours after the last one it still works.
    Session.objects.update(expire_date=timezone.now() + timedelta(hours=1))
    assert client.get(dashboard).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(hours=7, minutes=59)

    # Past the idle limit the session is over: back to the login page.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    over = client.get(dashboard)
    assert over.status_code == 302
    assert "/admin/logowanie/" in over["Location"]
