"""The survey's per-client limit counts an IPv6 client by its /64 (the audit had 25 of 25
surveys accepted from one /64 under a limit of 20)."""

import pytest

from ocenurzad.responses.models import Response
from tests.conftest import form_token
from tests.responses.test_views_public import get_form, valid_answers

pytestmark = pytest.mark.django_db


def test_one_ipv6_64_is_one_client_for_the_survey_limit(client, office, settings):
    settings.SURVEY_RATE_LIMIT = "3/h"
    statuses = []
    for n in range(5):
        token = form_token(get_form(client, office))
        statuses.append(
            client.post(
                f"/{office.slug}/wyslij/",
                valid_answers(office, token),
                REMOTE_ADDR=f"2001:db8:5:5::{n + 1}",
            ).status_code
        )
    token = form_token(get_form(client, office))
    neighbour = client.post(
        f"/{office.slug}/wyslij/", valid_answers(office, token), REMOTE_ADDR="2001:db8:5:6::1"
    )

    assert statuses == [303, 303, 303, 429, 429]
    assert neighbour.status_code == 303
    assert Response.objects.count() == 4
