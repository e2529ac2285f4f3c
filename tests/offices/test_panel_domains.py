"""The operator's page of an office's own domains: add, check, remove — and what it does
to the resident's address."""

import pytest

from ocenurzad.accounts.models import User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import OfficeDomain
from ocenurzad.offices.services import office_domain_clean

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    operator = User.objects.create_user(username="operator", password="x", role="operator")
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page(office, target):
    return f"/{office.slug}/admin/urzad/urzedy/{target.pk}/domeny/"


def test_the_operator_adds_a_domain_and_residents_reach_the_survey_there(
    operator_client, office, other_office, settings
):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "ankieta.ksiazki.pl"]

    added = operator_client.post(page(office, other_office), {"domain": " Ankieta.Ksiazki.PL. "})

    assert added.status_code == 302
    assert OfficeDomain.objects.get().domain == "ankieta.ksiazki.pl"
    assert OfficeDomain.objects.get().office == other_office
    listed = operator_client.get(page(office, other_office)).content.decode()
    assert "ankieta.ksiazki.pl" in listed
    assert "Dodano domenę ankieta.ksiazki.pl" in listed
    entry = AuditEntry.objects.get()
    assert (entry.office, entry.action, entry.after) == (
        other_office,
        "office.domain_add",
        {"domain": "ankieta.ksiazki.pl"},
    )
    survey = operator_client.get("/", HTTP_HOST="ankieta.ksiazki.pl")
    assert survey.status_code == 200
    assert other_office.name in survey.content.decode()


def test_a_domain_the_server_does_not_answer_to_yet_is_flagged(
    operator_client, office, other_office, settings
):
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    OfficeDomain.objects.create(office=other_office, domain="ankieta.ksiazki.pl")

    html = operator_client.get(page(office, other_office)).content.decode()

    assert "brak jej w ALLOWED_HOSTS" in html


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Wpisz domenę"),
        ("https://ankieta.ksiazki.pl/", "bez https://"),
        ("ankieta.ksiazki.pl:8443", "bez https://, numeru portu"),
        ("ankieta", "nie jest poprawną domeną"),
        ("ankieta..ksiazki.pl", "nie jest poprawną domeną"),
        ("-ankieta.ksiazki.pl", "nie jest poprawną domeną"),
        ("10.0.0.7", "nie jest poprawną domeną"),
        ("ksiazki.ocenurzad.example.pl", "urzędy mają już same"),
        ("ankieta.localhost", "urzędy mają już same"),
    ],
)
def test_what_is_not_a_usable_domain_is_refused_naming_the_field(
    operator_client, office, other_office, settings, typed, words
):
    settings.BASE_DOMAIN = "ocenurzad.example.pl"

    refused = operator_client.post(page(office, other_office), {"domain": typed})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="error-summary"' in html
    assert "Domena:" in html and words in html
    assert not OfficeDomain.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_domain_of_another_office_is_refused_naming_it(operator_client, office, other_office):
    OfficeDomain.objects.create(office=office, domain="ankieta.ksiazki.pl")

    refused = operator_client.post(page(office, other_office), {"domain": "ankieta.ksiazki.pl"})

    assert refused.status_code == 400
    assert f"ma już urząd „{office.name}”" in refused.content.decode()
    assert OfficeDomain.objects.get().office == office


def test_an_international_domain_is_kept_as_browsers_send_it():
    stored = office_domain_clean("Ankieta.Łódź.pl")

    assert stored.startswith("ankieta.xn--") and stored.endswith(".pl")
    assert stored.isascii()
    assert stored.encode("ascii").decode("idna") == "ankieta.łódź.pl"


def test_the_operator_removes_a_domain_and_it_no_longer_leads_to_the_office(
    operator_client, office, other_office, settings
):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "ankieta.ksiazki.pl"]
    domain = OfficeDomain.objects.create(office=other_office, domain="ankieta.ksiazki.pl")
    before = operator_client.get("/", HTTP_HOST="ankieta.ksiazki.pl").content.decode()
    assert 'name="token"' in before  # the office's survey

    removed = operator_client.post(f"{page(office, other_office)}{domain.pk}/usun/")

    assert removed.status_code == 302
    assert not OfficeDomain.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.before) == (
        "office.domain_remove",
        {"domain": "ankieta.ksiazki.pl"},
    )
    # The platform's list of offices now, not the office's survey.
    after = operator_client.get("/", HTTP_HOST="ankieta.ksiazki.pl").content.decode()
    assert 'name="token"' not in after
    assert office.name in after and other_office.name in after


def test_a_domain_is_removed_only_through_its_own_office(operator_client, office, other_office):
    domain = OfficeDomain.objects.create(office=other_office, domain="ankieta.ksiazki.pl")

    wrong_office = operator_client.post(f"{page(office, office)}{domain.pk}/usun/")
    by_get = operator_client.get(f"{page(office, other_office)}{domain.pk}/usun/")

    assert wrong_office.status_code == 404
    assert by_get.status_code == 405
    assert OfficeDomain.objects.filter(pk=domain.pk).exists()
    assert not AuditEntry.objects.exists()


def test_the_office_list_links_to_each_offices_domains(operator_client, office, other_office):
    OfficeDomain.objects.create(office=other_office, domain="ankieta.ksiazki.pl")

    html = operator_client.get(f"/{office.slug}/admin/urzad/urzedy/").content.decode()

    assert f'href="/{office.slug}/admin/urzad/urzedy/{other_office.pk}/domeny/"' in html
    assert "Domeny (1)" in html and "Domeny (0)" in html


def test_an_office_administrator_may_not_manage_domains(client, office):
    admin = User.objects.create_user(
        username="admin", password="x", role="office_admin", office=office
    )
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(page(office, office)).status_code == 403
    assert client.post(page(office, office), {"domain": "ankieta.gmina.pl"}).status_code == 403
    assert not OfficeDomain.objects.exists()
