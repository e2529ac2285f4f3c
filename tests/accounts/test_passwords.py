"""Changing one's own password, and setting a forgotten one by e-mail."""

import re

import pytest
from django.test import Client

from ocenurzad.audit.models import AuditEntry
from tests.accounts.conftest import PASSWORD, log_in, make_staff, panel_url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jesienny-Spacer-Nad-Morzem"
LINK = re.compile(r"http://testserver(/swinoujscie/admin/reset-hasla/[^/\s]+/[^/\s]+/)")


def test_password_change_then_back_to_the_panel(client, office, clerk):
    client.force_login(clerk)
    url = panel_url(office, "panel:password-change")
    page = client.get(url).content.decode()
    assert '<label for="id_old_password">Obecne hasło</label>' in page

    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[0] == ("/swinoujscie/admin/", 302)
    assert "Hasło zostało zmienione." in response.content.decode()
    # Still logged in on this device; the new password works from now on.
    assert client.get(panel_url(office, "panel:password-change")).status_code == 200
    assert log_in(Client(), office, clerk.username, NEW_PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == clerk
    assert NEW_PASSWORD not in str(entry.before) + str(entry.after)


def test_password_change_with_wrong_old_password_is_refused(client, office, clerk):
    client.force_login(clerk)

    response = client.post(
        panel_url(office, "panel:password-change"),
        {"old_password": "zle", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'href="#id_old_password"' in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_password_change_page_does_not_mark_help_as_current(client, office, admin):
    client.force_login(admin)

    html = client.get(panel_url(office, "panel:password-change")).content.decode()

    assert 'aria-current="page"' not in html


def test_reset_by_mail_is_not_offered_without_a_mail_back_end(client, office):
    login = client.get(panel_url(office, "panel:login")).content.decode()
    reset = client.get(panel_url(office, "panel:password-reset")).content.decode()

    assert "Poproś administratora urzędu o ustawienie nowego" in login
    assert "nie skonfigurowano wysyłania poczty" in reset


@pytest.fixture
def mail_files(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


def test_forgotten_password_is_set_through_the_mailed_link(
    client, office, admin, mail_files, other_office
):
    same_address_elsewhere = make_staff(other_office, "kasia.ksiazki", email=admin.email)

    assert "Nie pamiętasz hasła?" in client.get(panel_url(office, "panel:login")).content.decode()
    sent = client.post(panel_url(office, "panel:password-reset"), {"email": admin.email.upper()})

    assert sent["Location"] == panel_url(office, "panel:password-reset-done")
    (message,) = [p.read_text() for p in mail_files.iterdir()]
    assert "Twój login: admin.swinoujscie" in message
    assert same_address_elsewhere.username not in message
    assert "Adres panelu urzędu: http://testserver/swinoujscie/admin/" in message
    link = LINK.search(message).group(1)
    form = client.get(link, follow=True)
    assert '<label for="id_new_password1">Nowe hasło</label>' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == panel_url(office, "panel:password-reset-complete")
    assert log_in(Client(), office, admin.username, NEW_PASSWORD).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_mail(client, office, mail_files):
    sent = client.post(panel_url(office, "panel:password-reset"), {"email": "nikt@example.invalid"})

    assert sent["Location"] == panel_url(office, "panel:password-reset-done")
    assert list(mail_files.iterdir()) == []


def test_reset_link_of_another_offices_account_is_refused_here(
    client, office, other_office, mail_files
):
    foreign = make_staff(other_office, "sekretarz.ksiazki", email="sekretarz@ksiazki.urzad.example")
    client.post(panel_url(other_office, "panel:password-reset"), {"email": foreign.email})
    (message,) = [p.read_text() for p in mail_files.iterdir()]
    path = re.search(r"http://testserver/ksiazki(/admin/reset-hasla/[^\s]+/)", message).group(1)

    at_wrong_office = client.get("/swinoujscie" + path, follow=True)

    assert "Ten link jest nieprawidłowy" in at_wrong_office.content.decode()
