"""Locks that a flooded cache cannot lift, IPv6 clients counted by /64, and failed
attempts that keep nothing of staff but the username, a count and a time."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.cache import cache

from ocenurzad.accounts.throttling import attempts_purge
from ocenurzad.core.models import ThrottleCounter
from tests.accounts.conftest import WRONG, log_in

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Logowanie tymczasowo zablokowane"


def test_a_flooded_cache_does_not_unlock_an_account(client, office, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, office, clerk.username, WRONG, REMOTE_ADDR="198.51.100.23")
    # Junk logins from many addresses fill the shared cache until it evicts entries;
    # emptying it is the worst such a flood can do.
    for n in range(30):
        log_in(client, office, f"smiec-{n}", WRONG, REMOTE_ADDR=f"203.0.113.{n + 1}")
    cache.clear()

    right = log_in(client, office, clerk.username, REMOTE_ADDR="192.0.2.44")

    assert right.status_code == 429
    assert LOCKED_TEXT in right.content.decode()


def test_a_flooded_cache_does_not_unlock_a_client(client, office, clerk, settings):
    for n in range(settings.LOGIN_CLIENT_FAILURE_LIMIT):
        log_in(client, office, f"ktos-{n}", WRONG, REMOTE_ADDR="198.51.100.23")
    cache.clear()

    assert log_in(client, office, clerk.username, REMOTE_ADDR="198.51.100.23").status_code == 429


def test_an_ipv6_client_is_locked_across_its_whole_64(client, office, clerk, settings):
    for n in range(settings.LOGIN_CLIENT_FAILURE_LIMIT):
        log_in(client, office, f"ktos-{n}", WRONG, REMOTE_ADDR=f"2001:db8:7:7::{n + 1:x}")

    same_64 = log_in(client, office, clerk.username, REMOTE_ADDR="2001:db8:7:7:abcd::1")
    next_64 = log_in(client, office, clerk.username, REMOTE_ADDR="2001:db8:7:8::1")

    assert same_64.status_code == 429
    assert next_64.status_code == 302


def test_a_failed_attempt_keeps_only_username_count_and_time(client, office, clerk):
    for _ in range(3):
        client.post(
            f"/{office.slug}/admin/logowanie/?next=/tajne/",
            {"username": clerk.username, "password": WRONG, "extra": "dane-formularza"},
            REMOTE_ADDR="198.51.100.23",
            HTTP_USER_AGENT="Przegladarka/1.0 (Dom Kowalskich)",
            HTTP_ACCEPT="text/html-tajne",
        )

    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == clerk.username
    assert attempt.failures_since_start == 3
    assert (attempt.ip_address, attempt.user_agent, attempt.http_accept) == (None, "", "")
    assert (attempt.path_info, attempt.get_data, attempt.post_data) == ("", "", "")


def test_successful_logins_leave_no_access_log(client, office, clerk):
    assert log_in(client, office, clerk.username, REMOTE_ADDR="198.51.100.23").status_code == 302

    assert not AccessLog.objects.exists()


def test_attempts_end_with_the_cool_off(client, office, clerk, settings):
    from datetime import timedelta

    from django.db.models import F

    log_in(client, office, clerk.username, WRONG, REMOTE_ADDR="198.51.100.23")
    log_in(client, office, "ktos", WRONG, REMOTE_ADDR="198.51.100.23")
    assert attempts_purge() == 0
    AccessAttempt.objects.filter(username="ktos").update(
        attempt_time=F("attempt_time") - timedelta(hours=settings.AXES_COOLOFF_TIME, seconds=1)
    )

    assert attempts_purge() == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [clerk.username]
    assert ThrottleCounter.objects.count() == 1
