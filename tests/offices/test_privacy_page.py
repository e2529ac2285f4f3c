"""The RODO information clause (art. 13) on the resident's privacy page, for both demo
offices as they are entered, and for an office that entered nothing."""

import html as html_lib
import re

import pytest

from ocenurzad.offices.models import Office
from ocenurzad.workflows.demo_data import DEMO_OFFICES

pytestmark = pytest.mark.django_db

# What art. 13 RODO asks the clause to say, as headings of the page.
HEADINGS = [
    "Administrator danych",
    "Inspektor ochrony danych",
    "Cel i podstawa prawna",
    "Co zapisujemy",
    "Kto widzi odpowiedzi",
    "Jak długo przechowujemy dane",
    "Pana/Pani prawa",
    "Skarga do organu nadzorczego",
]


def _text(response) -> str:
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"</?span[^>]*>", "", main)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.parametrize("demo", DEMO_OFFICES, ids=[d.slug for d in DEMO_OFFICES])
def test_the_clause_of_each_demo_office_is_complete_and_names_the_controller_once(client, demo):
    office = Office.objects.create(slug=demo.slug, **demo.fields)
    result = client.get(f"/{office.slug}/ochrona-danych/")
    assert result.status_code == 200
    text = _text(result)

    h2s = re.findall(r"<h2[^>]*>([^<]+)</h2>", result.content.decode())
    assert h2s == HEADINGS
    # the controller as entered, once — its address is part of what was entered
    assert text.count(office.controller) == 1
    assert text.count(office.street_address) == 1, "the controller's address is repeated"
    assert f"Z inspektorem ochrony danych można się skontaktować: {office.dpo_contact}." in text
    assert "art. 6 ust. 1 lit. e RODO" in text
    assert "Nie zapisujemy adresu IP" in text
    assert "grup mniejszych niż 5 osób" in text
    assert "przepisów o archiwizacji" in text
    assert "art. 15–18 i 21 RODO" in text
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in text
    assert "ul. Stawki 2, 00-193 Warszawa" in text


def test_the_smallest_group_shown_follows_the_report_setting(client, settings):
    settings.REPORT_MIN_CELL = 10
    demo = DEMO_OFFICES[1]
    office = Office.objects.create(slug=demo.slug, **demo.fields)
    text = _text(client.get(f"/{office.slug}/ochrona-danych/"))
    assert "grup mniejszych niż 10 osób" in text


def test_an_office_that_entered_no_controller_names_its_head_and_address_once(client):
    office = Office.objects.create(
        slug="nowy",
        name="Urząd Gminy Nowa",
        street_address="ul. Polna 3",
        postal_code="11-111",
        city="Nowa",
    )
    text = _text(client.get(f"/{office.slug}/ochrona-danych/"))
    assert "Kierownik urzędu: Urząd Gminy Nowa, ul. Polna 3, 11-111 Nowa." in text
    assert text.count("ul. Polna 3") == 1
    # no DPO contact entered: the clause still says how to reach the DPO
    assert "listownie na adres administratora" in text
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in text


def test_the_clause_is_of_the_office_at_whose_address_it_is(client):
    first, second = (Office.objects.create(slug=d.slug, **d.fields) for d in DEMO_OFFICES)
    text = _text(client.get(f"/{second.slug}/ochrona-danych/"))
    assert second.controller in text
    assert first.controller not in text and first.dpo_contact not in text
