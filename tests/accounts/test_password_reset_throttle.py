"""Password-reset mail is throttled per client and per address, and its token never
reaches a log line."""

import io
import logging
import re

import pytest

from tests.accounts.conftest import panel_url
from tests.accounts.test_passwords import mail_files  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def request_link(client, office, email, address="198.51.100.23"):
    return client.post(
        panel_url(office, "panel:password-reset"), {"email": email}, REMOTE_ADDR=address
    )


def test_one_client_asking_again_and_again_is_stopped(client, office, admin, mail_files, settings):  # noqa: F811
    settings.PASSWORD_RESET_CLIENT_LIMIT = 3
    answers = [request_link(client, office, f"nikt{n}@example.invalid") for n in range(4)]

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Spróbuj ponownie za godzinę" in answers[-1].content.decode()
    # the same client from another address of its IPv6 /64 is the same client
    ipv6 = [
        request_link(client, office, "nikt@example.invalid", f"2001:db8:9:9::{n}")
        for n in range(1, 5)
    ]
    assert [a.status_code for a in ipv6] == [302, 302, 302, 429]


def test_one_address_gets_a_few_mails_an_hour_from_any_number_of_clients(
    client,
    office,
    admin,
    mail_files,  # noqa: F811
    settings,
):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 2
    answers = [request_link(client, office, admin.email, f"203.0.113.{n}") for n in range(1, 6)]

    # Every answer is the same (nobody learns whether the address exists) …
    assert {a.status_code for a in answers} == {302}
    # … but only two mails went out.
    assert len(list(mail_files.iterdir())) == 2


def test_the_reset_token_is_not_in_the_log(client, office, admin, mail_files):  # noqa: F811
    request_link(client, office, admin.email)
    (message,) = [p.read_text() for p in mail_files.iterdir()]
    link = re.search(r"http://testserver(/\S+/reset-hasla/\S+/)", message).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        client.get(link)
        client.get(link.replace(token, token[:-3] + "zzz"))  # a bad token: a 200 "invalid" page
        client.get(link + "dalej/")  # a 404 whose path holds the token
    finally:
        handler.setStream(old)

    assert "Not Found" in stream.getvalue()
    assert token not in stream.getvalue()
    assert token[:-3] not in stream.getvalue()
