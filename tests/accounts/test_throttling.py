"""Five failed logins lock the account; twenty from one client lock the client — and
nobody's address is kept anywhere while doing it."""

import base64
import logging
import pickle
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.db.models import F

from ocenurzad.accounts.selectors import usernames_locked_out
from ocenurzad.audit.models import AuditEntry
from ocenurzad.core.models import ThrottleCounter
from tests.accounts.conftest import WRONG, log_in, panel_url

pytestmark = pytest.mark.django_db

DESK = "198.51.100.23"  # the computer the locked-out person works at
ELSEWHERE = "203.0.113.77"
ADMIN_DESK = "192.0.2.10"
LOCKED_TEXT = "Logowanie tymczasowo zablokowane"


def fail_five_times(client, office, username, address=DESK):
    responses = [log_in(client, office, username, WRONG, REMOTE_ADDR=address) for _ in range(5)]
    return responses


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, office, clerk):
    responses = fail_five_times(client, office, clerk.username)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    right = log_in(client, office, clerk.username, REMOTE_ADDR=DESK)
    assert right.status_code == 429
    html = right.content.decode()
    assert LOCKED_TEXT in html
    assert "15 min" in html
    assert "administrator" in html
    assert "_auth_user_id" not in client.session


def test_the_account_stays_locked_from_another_computer(client, office, clerk):
    fail_five_times(client, office, clerk.username)

    assert log_in(client, office, clerk.username, REMOTE_ADDR=ELSEWHERE).status_code == 429


def fail_as_a_client(client, office, address=DESK, times=20):
    for n in range(times):
        log_in(client, office, f"ktos-{n % 7}", WRONG, REMOTE_ADDR=address)


def test_one_persons_typos_do_not_lock_colleagues_behind_the_same_address(
    client, office, clerk, reporter
):
    fail_five_times(client, office, clerk.username)

    colleague = log_in(client, office, reporter.username, REMOTE_ADDR=DESK)

    assert colleague.status_code == 302


def test_a_client_trying_many_accounts_is_locked_for_all_of_them(
    client, office, clerk, reporter, settings
):
    fail_as_a_client(client, office, times=settings.LOGIN_CLIENT_FAILURE_LIMIT)

    same_computer = log_in(client, office, reporter.username, REMOTE_ADDR=DESK)
    other_computer = log_in(client, office, reporter.username, REMOTE_ADDR=ELSEWHERE)

    assert same_computer.status_code == 429
    assert LOCKED_TEXT in same_computer.content.decode()
    assert other_computer.status_code == 302


def test_failures_at_the_wrong_office_count_too(client, office, other_office, other_clerk):
    for _ in range(5):
        log_in(client, office, other_clerk.username, REMOTE_ADDR=DESK)

    assert (
        log_in(client, other_office, other_clerk.username, REMOTE_ADDR=ELSEWHERE).status_code == 429
    )


def test_four_failures_then_success_start_counting_again(client, office, clerk):
    for _ in range(4):
        log_in(client, office, clerk.username, WRONG, REMOTE_ADDR=DESK)
    assert log_in(client, office, clerk.username, REMOTE_ADDR=DESK).status_code == 302
    client.logout()

    responses = [log_in(client, office, clerk.username, WRONG, REMOTE_ADDR=DESK) for _ in range(4)]

    assert {r.status_code for r in responses} == {200}


def test_users_page_shows_the_lock_and_the_admin_lifts_it(client, office, admin, clerk):
    fail_five_times(client, office, clerk.username)
    staff = client_for(admin, office)

    page = staff.get(panel_url(office, "panel:users"), REMOTE_ADDR=ADMIN_DESK)
    html = page.content.decode()
    assert "zablokowane" in html
    assert f'action="{panel_url(office, "panel:user-unlock", clerk.pk)}"' in html

    unlocked = staff.post(panel_url(office, "panel:user-unlock", clerk.pk), REMOTE_ADDR=ADMIN_DESK)

    assert unlocked.status_code == 302
    assert "Odblokowano konto" in staff.get(unlocked["Location"]).content.decode()
    # The person can log in again at their own desk, where the lock happened.
    assert log_in(client, office, clerk.username, REMOTE_ADDR=DESK).status_code == 302
    entry = AuditEntry.objects.get(action="user.unlock")
    assert entry.office == office
    assert entry.actor == admin
    assert entry.target_id == str(clerk.pk)
    assert (entry.before, entry.after) == ({"locked_out": True}, {"locked_out": False})


def test_unlock_needs_post(client, office, admin, clerk):
    staff = client_for(admin, office)

    assert staff.get(panel_url(office, "panel:user-unlock", clerk.pk)).status_code == 405


def clock(minutes: float) -> None:
    """As if ``minutes`` had passed: failed attempts and client windows that old."""
    shift = timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - shift)
    ThrottleCounter.objects.update(window_end=F("window_end") - int(shift.total_seconds()))


def test_lock_ends_by_itself_after_the_cool_off(client, office, clerk, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    fail_five_times(client, office, clerk.username)
    assert "30 min" in log_in(client, office, clerk.username, REMOTE_ADDR=DESK).content.decode()

    clock(29)
    assert usernames_locked_out(usernames=[clerk.username]) == {clerk.username}

    clock(2)
    assert usernames_locked_out(usernames=[clerk.username]) == set()
    assert log_in(client, office, clerk.username, REMOTE_ADDR=DESK).status_code == 302


def test_no_address_in_the_database_the_cache_or_the_log(client, office, clerk, caplog):
    caplog.set_level(logging.DEBUG)

    fail_five_times(client, office, clerk.username, address=DESK)
    log_in(client, office, clerk.username, REMOTE_ADDR=DESK)

    stored = []
    with connection.cursor() as cursor:
        for table in ("ocenurzad_cache", "axes_accessattempt", "core_throttlecounter"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            stored += [repr(row) for row in cursor.fetchall()]
        cursor.execute("SELECT value FROM ocenurzad_cache")
        stored += [
            repr(pickle.loads(base64.b64decode(value)))  # noqa: S301 — our own cache rows
            for (value,) in cursor.fetchall()
        ]
    assert AccessAttempt.objects.filter(username=clerk.username).exists()
    assert DESK not in " ".join(stored)
    assert "AXES" in caplog.text
    assert DESK not in caplog.text


def client_for(user, office):
    from django.test import Client

    staff = Client()
    staff.force_login(user)
    return staff


def test_a_locked_client_gets_the_lockout_page_for_any_login(client, office, clerk):
    fail_as_a_client(client, office)

    response = log_in(client, office, "ktokolwiek", WRONG, REMOTE_ADDR=DESK)

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert response.context["office"] == office
