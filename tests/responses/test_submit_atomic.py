"""Storing a response outside any surrounding transaction, as in production.

The other tests run inside a transaction that pytest-django rolls back; here the database
commits every statement, so the path a real submission takes is the one tested: on
PostgreSQL one statement (response, spent token and count together), on SQLite a short
transaction. In both, a refused submission leaves nothing behind, the count included.
"""

import secrets

import pytest

from ocenurzad.responses.models import Response, SubmitCounter, UsedFormToken
from ocenurzad.responses.ratelimit import RateLimited
from ocenurzad.responses.services import TokenAlreadyUsed, response_submit_online
from ocenurzad.surveys.answers import ParsedAnswers

pytestmark = pytest.mark.django_db(transaction=True)


def submit(office, *, nonce=None, rate_key="klient-a", rating=4):
    return response_submit_online(
        office=office,
        version=office.survey.current_version,
        parsed=ParsedAnswers(
            answers={"ocena_ogolna": rating, "co_poprawic": "Więcej ławek"},
            department_id=office.departments.first().pk,
        ),
        nonce=nonce or secrets.token_hex(16),
        source="qr",
        language="en",
        rate_key=rate_key,
    )


def test_a_response_is_stored_with_its_fields_and_the_token_spent(office):
    nonce = secrets.token_hex(16)
    returned = submit(office, nonce=nonce)

    stored = Response.objects.get()
    assert returned == stored.pk
    assert (stored.office, stored.version) == (office, office.survey.current_version)
    assert (stored.channel, stored.source, stored.language) == ("online", "qr", "en")
    assert stored.department == office.departments.first()
    assert stored.answers == {"ocena_ogolna": 4, "co_poprawic": "Więcej ławek"}
    assert UsedFormToken.objects.filter(nonce=nonce).exists()
    assert SubmitCounter.objects.get().hits == 1


def test_a_spent_token_stores_nothing_and_counts_nothing(office):
    nonce = secrets.token_hex(16)
    submit(office, nonce=nonce)

    with pytest.raises(TokenAlreadyUsed):
        submit(office, nonce=nonce, rating=1)

    assert Response.objects.count() == 1
    assert Response.objects.get().answers["ocena_ogolna"] == 4
    assert SubmitCounter.objects.get().hits == 1


def test_over_the_limit_stores_nothing_and_counts_nothing(office, settings):
    settings.SURVEY_RATE_LIMIT = "2/h"
    submit(office)
    submit(office)
    refused_nonce = secrets.token_hex(16)

    with pytest.raises(RateLimited):
        submit(office, nonce=refused_nonce)

    assert Response.objects.count() == 2
    assert SubmitCounter.objects.get().hits == 2
    # The refused form's token was not spent: the resident may send it later.
    assert not UsedFormToken.objects.filter(nonce=refused_nonce).exists()
    # Another client at the same office is not affected.
    submit(office, rate_key="klient-b")
    assert Response.objects.count() == 3


def test_without_a_rate_limit_nothing_is_counted(office):
    submit(office, rate_key=None)

    assert Response.objects.count() == 1
    assert not SubmitCounter.objects.exists()


def test_the_database_can_be_used_after_a_refusal(office, settings):
    """A refused statement must not leave a broken transaction behind for the next one."""
    nonce = secrets.token_hex(16)
    submit(office, nonce=nonce)
    with pytest.raises(TokenAlreadyUsed):
        submit(office, nonce=nonce)

    submit(office)
    assert Response.objects.count() == 2
