"""Per-client limits count an IPv6 client by its /64: a phone or a household gets a whole
/64 and may use any address in it."""

import pytest
from django.test import RequestFactory

from ocenurzad.core.clients import client_hash, client_network


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::9]", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("", ""),
        ("nonsense", "nonsense"),
    ],
)
def test_client_network(address, network):
    assert client_network(address) == network


def _hash(address):
    return client_hash(RequestFactory().get("/", REMOTE_ADDR=address), purpose="survey")


def test_addresses_of_one_ipv6_64_are_one_client_and_the_next_64_another():
    assert _hash("2001:db8:1:2::1") == _hash("2001:db8:1:2:dead:beef:0:7")
    assert _hash("2001:db8:1:2::1") != _hash("2001:db8:1:3::1")
    assert _hash("198.51.100.7") != _hash("198.51.100.8")
    assert _hash("::ffff:198.51.100.7") == _hash("198.51.100.7")


def test_the_key_depends_on_the_secret_key(settings):
    before = _hash("198.51.100.7")
    settings.SECRET_KEY = "another-" + "z" * 50

    assert _hash("198.51.100.7") != before
