"""Office networks (the hall's guest Wi-Fi): declared in Dane urzędu with Polish messages,
and residents there counted together against their own, higher limit."""

import re

import pytest

from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.networks import address_in_networks, office_networks_parse
from ocenurzad.responses.models import Response
from tests.conftest import form_token
from tests.offices.test_panel_office import admin_client, office_form_data  # noqa: F401
from tests.responses.test_views_public import get_form, valid_answers

pytestmark = pytest.mark.django_db


def test_networks_are_normalised_and_bad_ones_named_in_polish():
    assert office_networks_parse(" 203.0.113.7/28\n2001:db8:12::1/48, 198.51.100.9 ") == [
        "203.0.113.0/28",
        "2001:db8:12::/48",
        "198.51.100.9/32",
    ]
    with pytest.raises(ValueError, match="„wifi urzędu” nie jest adresem sieci"):
        office_networks_parse("wifi urzędu")
    with pytest.raises(ValueError, match=re.escape("Sieć 10.0.0.0/8 jest za duża")):
        office_networks_parse("10.0.0.0/8")
    with pytest.raises(ValueError, match=re.escape("Sieć 2001:db8::/16 jest za duża")):
        office_networks_parse("2001:db8::/16")
    with pytest.raises(ValueError, match="najwyżej 20"):
        office_networks_parse("\n".join(f"198.51.100.{n}/32" for n in range(21)))


def test_address_in_networks():
    networks = ["203.0.113.0/28", "2001:db8:12::/48"]
    assert address_in_networks("203.0.113.14", networks)
    assert not address_in_networks("203.0.113.16", networks)
    assert address_in_networks("2001:db8:12:7::1", networks)
    assert address_in_networks("::ffff:203.0.113.1", networks)
    assert not address_in_networks("", networks)
    assert not address_in_networks("203.0.113.1", [])


def test_office_admin_declares_the_networks_in_dane_urzedu(admin_client, office):  # noqa: F811
    page = admin_client.get(f"/{office.slug}/admin/urzad/").content.decode()
    assert "Sieci urzędu" in page

    saved = admin_client.post(
        f"/{office.slug}/admin/urzad/",
        office_form_data(office, networks="203.0.113.0/28\n2001:db8:12::/48"),
    )
    refused = admin_client.post(
        f"/{office.slug}/admin/urzad/", office_form_data(office, networks="203.0.113.300/28")
    )

    assert saved.status_code == 302
    office.refresh_from_db()
    assert office.networks == ["203.0.113.0/28", "2001:db8:12::/48"]
    entry = AuditEntry.objects.filter(action="office.update").latest("pk")
    assert entry.after == {"networks": ["203.0.113.0/28", "2001:db8:12::/48"]}
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Sieci urzędu" in text and "nie jest adresem sieci" in text


def _submit(client, office, address):
    token = form_token(get_form(client, office))
    return client.post(f"/{office.slug}/wyslij/", valid_answers(office, token), REMOTE_ADDR=address)


def test_the_hall_shares_one_higher_limit_and_other_clients_keep_theirs(
    client, office, other_office, settings
):
    settings.SURVEY_RATE_LIMIT = "2/h"
    settings.OFFICE_NETWORK_RATE_LIMIT = 5
    office.networks = ["203.0.113.0/28"]
    office.save()

    hall = [_submit(client, office, "203.0.113.5").status_code for _ in range(6)]
    outside = [_submit(client, office, "198.51.100.5").status_code for _ in range(3)]
    # The same address is an ordinary client at another office that did not declare it.
    elsewhere = [_submit(client, other_office, "203.0.113.5").status_code for _ in range(3)]

    assert hall == [303] * 5 + [429]
    assert outside == [303, 303, 429]
    assert elsewhere == [303, 303, 429]
    assert Response.objects.filter(office=office).count() == 7
