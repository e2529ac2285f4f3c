"""One office, three addresses: <slug>.<BASE_DOMAIN>, a custom domain and /<slug>/."""

import pytest

from ocenurzad.offices.models import Office, OfficeDomain
from ocenurzad.responses.models import Response
from tests.conftest import form_token
from tests.responses.test_views_public import valid_answers

pytestmark = pytest.mark.django_db


def _h1_and_office(response):
    html = response.content.decode()
    office = response.wsgi_request.office
    return response.status_code, office.slug, "Badanie satysfakcji" in html and office.name in html


def test_host_and_path_reach_the_same_office(client, office, other_office, settings):
    settings.BASE_DOMAIN = "ocenurzad.example.pl"
    settings.ALLOWED_HOSTS = [".ocenurzad.example.pl", ".localhost", "testserver"]
    OfficeDomain.objects.create(office=office, domain="ankieta.swinoujscie.pl")
    settings.ALLOWED_HOSTS.append("ankieta.swinoujscie.pl")

    by_path = client.get("/swinoujscie/")
    by_localhost = client.get("/", HTTP_HOST="swinoujscie.localhost:8000")
    by_base_domain = client.get("/", HTTP_HOST="swinoujscie.ocenurzad.example.pl")
    by_custom = client.get("/", HTTP_HOST="ankieta.swinoujscie.pl")

    expected = (200, "swinoujscie", True)
    assert _h1_and_office(by_path) == expected
    assert _h1_and_office(by_localhost) == expected
    assert _h1_and_office(by_base_domain) == expected
    assert _h1_and_office(by_custom) == expected


def test_links_follow_the_address_form_used(client, office):
    by_path = client.get("/swinoujscie/").content.decode()
    by_host = client.get("/", HTTP_HOST="swinoujscie.localhost").content.decode()

    assert 'href="/swinoujscie/ochrona-danych/"' in by_path
    assert 'action="/swinoujscie/wyslij/"' in by_path
    assert 'href="/ochrona-danych/"' in by_host
    assert 'action="/wyslij/"' in by_host


def test_submitting_by_host_stores_for_that_office(client, office, other_office):
    page = client.get("/", HTTP_HOST="ksiazki.localhost")
    token = form_token(page)

    result = client.post("/", valid_answers(other_office, token), HTTP_HOST="ksiazki.localhost")

    assert result.status_code == 303
    assert result["Location"] == "/dziekujemy/"
    assert Response.objects.get().office == other_office


def test_path_without_trailing_slash_redirects(client, office):
    result = client.get("/swinoujscie?zrodlo=qr")
    assert result.status_code == 301
    assert result["Location"] == "/swinoujscie/?zrodlo=qr"


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/nieznany/", "testserver"),
        ("/", "nieznany.localhost"),
        ("/swinoujscie/nie-ma-takiej-strony/", "testserver"),
        ("/nie-ma-takiej-strony/", "swinoujscie.localhost"),
        ("/", "nieaktywny.localhost"),
        ("/nieaktywny/", "testserver"),
    ],
)
def test_unknown_office_or_page_gives_a_polish_404(client, office, path, host):
    Office.objects.create(slug="nieaktywny", name="Urząd Zamknięty", is_active=False)

    result = client.get(path, HTTP_HOST=host)

    assert result.status_code == 404
    html = result.content.decode()
    assert '<html lang="pl">' in html
    assert "Nie znaleziono strony" in html


def test_platform_address_lists_active_offices_only(client, office, other_office):
    Office.objects.create(slug="nieaktywny", name="Urząd Zamknięty", is_active=False)

    html = client.get("/").content.decode()

    assert 'href="/swinoujscie/"' in html
    assert 'href="/ksiazki/"' in html
    assert "Urząd Gminy Książki" in html
    assert "Urząd Zamknięty" not in html


def test_office_pages_show_only_their_office(client, office, other_office):
    html = client.get("/ksiazki/").content.decode()
    assert "Urząd Gminy Książki" in html
    assert "Swinoujscie" not in html
    assert "Wydział Komunikacji" not in html  # a department of the other office
    assert "Referat Podatków" in html


def test_foreign_department_is_refused(client, office, other_office):
    token = form_token(client.get("/swinoujscie/"))
    foreign_department = other_office.departments.first()

    result = client.post(
        "/swinoujscie/", valid_answers(office, token, q_wydzial=str(foreign_department.pk))
    )

    assert result.status_code == 400
    assert "Proszę wybrać wydział z listy" in result.content.decode()
    assert Response.objects.count() == 0


def test_other_offices_privacy_page_names_its_own_controller(client, office, other_office):
    other_office.controller = "Wójt Gminy Książki"
    other_office.save()

    html = client.get("/ksiazki/ochrona-danych/").content.decode()

    assert "Wójt Gminy Książki" in html


def test_logo_is_served_per_office_and_404_without_one(client, office, other_office):
    from django.core.files.base import ContentFile

    office.logo.save("herb.svg", ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"/>'))

    assert client.get("/swinoujscie/logo").status_code == 200
    assert client.get("/ksiazki/logo").status_code == 404


def test_language_switch_offers_only_enabled_languages(client, office):
    html = client.get("/swinoujscie/?zrodlo=qr").content.decode()
    assert 'href="/swinoujscie/?zrodlo=qr&amp;lang=en"' in html
    assert 'hreflang="de"' not in html
