"""The office's staff accounts in the panel: who may see them, and every change audited."""

import pytest
from django.test import Client

from ocenurzad.accounts.models import Role, User
from ocenurzad.audit.models import AuditEntry
from tests.accounts.conftest import PASSWORD, log_in, make_staff, panel_url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Nowe-Haslo-Do-Panelu-7"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


USERS_PAGES = ["panel:users", "panel:user-create"]


@pytest.mark.parametrize("name", USERS_PAGES)
def test_role_matrix_of_the_users_pages(
    name, office, admin, clerk, reporter, operator, other_admin
):
    url = panel_url(office, name)

    assert signed_in(admin).get(url).status_code == 200
    assert signed_in(operator).get(url).status_code == 200
    assert signed_in(clerk).get(url).status_code == 403
    assert signed_in(reporter).get(url).status_code == 403
    assert signed_in(other_admin).get(url).status_code == 404


def test_refusal_page_is_polish(office, clerk):
    response = signed_in(clerk).get(panel_url(office, "panel:users"))

    assert "Brak uprawnień" in response.content.decode()


def test_list_shows_only_this_office_with_roles_and_states(office, admin, clerk, other_admin):
    clerk.is_active = False
    clerk.save()

    html = signed_in(admin).get(panel_url(office, "panel:users")).content.decode()

    assert "admin.swinoujscie" in html
    assert "katarzyna.nowak@swinoujscie.urzad.example" in html
    assert "rejestrator.swinoujscie" in html
    assert "administrator urzędu" in html
    assert "wprowadzanie ankiet papierowych" in html
    assert "nie (wyłączone)" in html
    assert "admin.ksiazki" not in html
    assert '<th scope="col">Logowanie dwuetapowe</th>' in html


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("panel:user-edit", "get"),
        ("panel:user-edit", "post"),
        ("panel:user-set-password", "get"),
        ("panel:user-set-password", "post"),
        ("panel:user-unlock", "post"),
        ("panel:user-otp-reset", "post"),
    ],
)
def test_an_account_of_another_office_is_404_by_id(name, method, office, admin, other_clerk):
    client = signed_in(admin)

    response = getattr(client, method)(panel_url(office, name, other_clerk.pk))
    missing = getattr(client, method)(panel_url(office, name, 999_999))

    assert response.status_code == 404
    assert missing.status_code == 404
    other_clerk.refresh_from_db()
    assert other_clerk.is_active
    assert not AuditEntry.objects.exists()


def test_admin_creates_an_account_and_it_is_audited(office, admin):
    client = signed_in(admin)

    response = client.post(
        panel_url(office, "panel:user-create"),
        {
            "username": "jan.kowalski",
            "first_name": "Jan",
            "last_name": "Kowalski",
            "email": "jan.kowalski@swinoujscie.urzad.example",
            "role": Role.REPORTER,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="jan.kowalski")
    assert (created.office, created.role, created.is_active) == (office, Role.REPORTER, True)
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.office == office and entry.actor == admin
    assert entry.before == {}
    assert entry.after["role"] == Role.REPORTER
    assert entry.after["username"] == "jan.kowalski"
    assert NEW_PASSWORD not in str(entry.after) and "password" not in entry.after
    assert log_in(Client(), office, "jan.kowalski", NEW_PASSWORD).status_code == 302


def test_create_form_lists_errors_at_the_top_and_by_the_field(office, admin):
    response = signed_in(admin).post(
        panel_url(office, "panel:user-create"),
        {
            "username": "admin.SWINOUJSCIE",
            "role": Role.CLERK,
            "password1": "123",
            "password2": "456",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert (
        '<a href="#id_username">Nazwa użytkownika (login): To konto (login) już istnieje.</a>'
        in html
    )
    assert 'id="id_username_error"' in html
    assert 'href="#id_password2"' in html
    assert User.objects.filter(office=office).count() == 1


def test_only_an_operator_may_give_the_operator_role(office, admin, operator):
    data = {
        "username": "nowy.operator",
        "role": Role.OPERATOR,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    by_admin = signed_in(admin).post(panel_url(office, "panel:user-create"), data)

    assert by_admin.status_code == 200
    assert not User.objects.filter(username="nowy.operator").exists()
    assert (
        'value="operator"'
        not in signed_in(admin).get(panel_url(office, "panel:user-create")).content.decode()
    )

    by_operator = signed_in(operator).post(panel_url(office, "panel:user-create"), data)
    assert by_operator.status_code == 302
    assert User.objects.get(username="nowy.operator").role == Role.OPERATOR


def test_admin_edits_an_account_and_the_change_is_audited(office, admin, clerk):
    response = signed_in(admin).post(
        panel_url(office, "panel:user-edit", clerk.pk),
        {
            "first_name": "Ewa",
            "last_name": "Kozłowska-Nowak",
            "email": "",
            "role": Role.REPORTER,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.role, clerk.last_name) == (Role.REPORTER, "Kozłowska-Nowak")
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.before == {"last_name": "Kozłowska", "role": Role.CLERK}
    assert entry.after == {"last_name": "Kozłowska-Nowak", "role": Role.REPORTER}


def test_deactivated_account_can_no_longer_log_in(office, admin, clerk):
    signed_in(admin).post(
        panel_url(office, "panel:user-edit", clerk.pk),
        {"first_name": "Ewa", "last_name": "Kozłowska", "role": Role.CLERK},
    )

    clerk.refresh_from_db()
    assert not clerk.is_active
    assert log_in(Client(), office, clerk.username).status_code == 200
    assert AuditEntry.objects.get(action="user.update").after == {"is_active": False}


def test_admin_cannot_demote_or_deactivate_themselves(office, admin):
    client = signed_in(admin)
    page = client.get(panel_url(office, "panel:user-edit", admin.pk)).content.decode()
    assert "Własnej roli ani aktywności konta nie możesz zmienić." in page

    response = client.post(
        panel_url(office, "panel:user-edit", admin.pk),
        {"first_name": "Kasia", "last_name": "Nowak", "role": Role.CLERK},
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.role, admin.is_active, admin.first_name) == (Role.OFFICE_ADMIN, True, "Kasia")
    assert client.get(panel_url(office, "panel:users")).status_code == 200


def test_an_office_admin_cannot_touch_an_operator_account(office, admin):
    chief = make_staff(office, "operator.swinoujscie", Role.OPERATOR)
    client = signed_in(admin)

    edit = client.post(
        panel_url(office, "panel:user-edit", chief.pk), {"role": Role.OPERATOR, "is_active": ""}
    )
    password = client.post(
        panel_url(office, "panel:user-set-password", chief.pk),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert edit.status_code == 403
    assert password.status_code == 403
    chief.refresh_from_db()
    assert chief.is_active and chief.check_password(PASSWORD)


def test_admin_sets_a_password_audited_without_the_password(office, admin, clerk):
    client = signed_in(admin)
    url = panel_url(office, "panel:user-set-password", clerk.pk)
    assert '<label for="id_new_password1">Nowe hasło</label>' in client.get(url).content.decode()

    response = client.post(
        url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    assert "Ustawiono nowe hasło" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="user.password_set")
    assert entry.actor == admin and entry.target_id == str(clerk.pk)
    assert entry.before and entry.after
    recorded = str(entry.before) + str(entry.after)
    assert NEW_PASSWORD not in recorded
    assert clerk.password not in recorded


def test_with_mail_configured_a_reset_link_is_sent_instead(
    office, admin, clerk, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    clerk.email = "ewa.kozlowska@swinoujscie.urzad.example"
    clerk.save()
    client = signed_in(admin)
    url = panel_url(office, "panel:user-set-password", clerk.pk)
    assert "Wyślij link" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "Wysłano link do ustawienia hasła na adres ewa.kozlowska@" in response.content.decode()
    (message,) = [p.read_text() for p in tmp_path.iterdir()]
    assert "To: ewa.kozlowska@swinoujscie.urzad.example" in message
    assert "http://testserver/swinoujscie/admin/reset-hasla/" in message
    assert "Adres panelu urzędu: http://testserver/swinoujscie/admin/\n" in message
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)  # unchanged until the person sets one
    entry = AuditEntry.objects.get(action="user.password_reset_sent")
    assert entry.after == {"password_reset_link_sent_to": clerk.email}


def test_argon2_hashes_new_passwords(office, admin, settings):
    from ocenurzad import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    client = signed_in(admin)

    client.post(
        panel_url(office, "panel:user-create"),
        {
            "username": "anna.wozniak",
            "role": Role.CLERK,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    created = User.objects.get(username="anna.wozniak")
    assert created.password.startswith("argon2")
    assert log_in(Client(), office, "anna.wozniak", NEW_PASSWORD).status_code == 302


# The words the role help uses for each menu item (Pomoc aside: every role has it).
MENU_WORDS = {
    "Pulpit": "pulpit",
    "Generuj raport": "raporty",
    "Działania": "działania",
    "Pobierz ankietę do wydrukowania (PDF)": "druk ankiety",
    "Wprowadź ankietę (papierową)": "wpisywanie ankiet papierowych",
    "Wczytaj skany": "skanów",
}


@pytest.mark.parametrize(
    ("role", "name"),
    [(Role.REPORTER, "Raporty"), (Role.CLERK, "Wprowadzanie ankiet papierowych")],
)
def test_the_role_help_names_everything_the_role_s_menu_holds(role, name, office):
    from ocenurzad.accounts.forms import ROLE_HELP
    from ocenurzad.accounts.permissions import ROLE_PERMISSIONS, Perm
    from ocenurzad.panel.navigation import PRIMARY, SECONDARY

    sentence = next(s for s in str(ROLE_HELP).split(". ") if s.startswith(name + ":"))
    for _url, perm, label in PRIMARY + SECONDARY:
        if perm == Perm.HELP:
            continue
        word = MENU_WORDS.get(str(label))
        if perm in ROLE_PERMISSIONS[role]:
            assert word and word in sentence, f"{name}: {label} missing from the role help"
        elif word:
            assert word not in sentence, f"{name}: {label} is not in that role's menu"
