"""Logging in with a second factor (TOTP): setting it up, giving the code, throttling."""

from base64 import b32encode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocenurzad.audit.models import AuditEntry
from tests.accounts.conftest import confirmed_device, log_in, panel_url, totp_code

pytestmark = pytest.mark.django_db


def test_set_up_shows_qr_and_secret_then_turns_on_with_a_code(client, office, admin):
    client.force_login(admin)
    setup = panel_url(office, "panel:otp-setup")

    page = client.get(setup)

    html = page.content.decode()
    device = TOTPDevice.objects.get(user=admin)
    assert not device.confirmed
    assert "<svg" in html
    assert 'aria-labelledby="otp-qr-label"' in html
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    assert 'id="id_code"' in html
    assert "style=" not in html
    # Reloading keeps the secret already scanned.
    client.get(setup)
    assert TOTPDevice.objects.filter(user=admin).count() == 1

    done = client.post(setup, {"action": "confirm", "code": totp_code(device)})

    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Logowanie dwuetapowe jest włączone" in client.get(setup).content.decode()
    entry = AuditEntry.objects.get(action="user.2fa_on")
    assert (entry.before, entry.after) == ({"two_factor": False}, {"two_factor": True})
    assert device.key not in str(entry.after) and secret not in str(entry.after)


def test_wrong_code_does_not_turn_it_on(client, office, admin):
    client.force_login(admin)
    setup = panel_url(office, "panel:otp-setup")
    client.get(setup)

    response = client.post(setup, {"action": "confirm", "code": "000000"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_after_set_up_the_login_requires_the_code(client, office, admin):
    device = confirmed_device(admin)

    login = log_in(client, office, admin.username, next_url=panel_url(office, "panel:users"))

    verify = panel_url(office, "panel:otp-verify")
    assert login["Location"] == f"{verify}?next=%2Fswinoujscie%2Fadmin%2Fuzytkownicy%2F"
    # Without the code no panel page opens.
    assert client.get(panel_url(office, "panel:dashboard"))["Location"] == verify
    assert client.get(panel_url(office, "panel:password-change"))["Location"] == verify
    page = client.get(login["Location"])
    assert '<label for="id_code">' in page.content.decode()

    done = client.post(
        verify, {"code": totp_code(device), "next": panel_url(office, "panel:users")}
    )

    assert done["Location"] == panel_url(office, "panel:users")
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 200


def test_a_wrong_code_keeps_the_panel_closed(client, office, admin):
    confirmed_device(admin)
    log_in(client, office, admin.username)

    response = client.post(panel_url(office, "panel:otp-verify"), {"code": "12345x"})

    assert response.status_code == 200
    assert "Kod to 6 cyfr" in response.content.decode()
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 302


def test_five_wrong_codes_lock_like_passwords(client, office, admin):
    device = confirmed_device(admin)
    log_in(client, office, admin.username)
    verify = panel_url(office, "panel:otp-verify")

    responses = [client.post(verify, {"code": "000000"}) for _ in range(5)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Logowanie tymczasowo zablokowane" in responses[-1].content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1  # django-otp's own back-off counted too
    # Logged out, and the password alone does not let the account back in.
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 302
    assert log_in(client, office, admin.username, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_quick_retry_is_held_back_by_the_device_throttle(client, office, admin):
    device = confirmed_device(admin)
    log_in(client, office, admin.username)
    verify = panel_url(office, "panel:otp-verify")
    client.post(verify, {"code": "000000"})

    right_too_soon = client.post(verify, {"code": totp_code(device)})

    assert "Zbyt wiele prób" in right_too_soon.content.decode()
    assert client.get(panel_url(office, "panel:dashboard")).status_code == 302


def test_office_requiring_2fa_forces_set_up_before_any_panel_page(client, office, clerk):
    office.require_2fa = True
    office.save()

    login = log_in(client, office, clerk.username)
    to_setup = client.get(login["Location"])

    setup = panel_url(office, "panel:otp-setup")
    assert to_setup["Location"].startswith(setup)
    for name in ("panel:dashboard", "panel:users", "panel:password-change"):
        assert client.get(panel_url(office, name))["Location"] == panel_url(
            office, "panel:otp-verify"
        )
    page = client.get(setup)
    assert "Ten urząd wymaga logowania dwuetapowego" in page.content.decode()
    assert "panel-nav" not in page.content.decode()

    device = TOTPDevice.objects.get(user=clerk)
    done = client.post(
        setup, {"action": "confirm", "code": totp_code(device), "next": "/swinoujscie/admin/"}
    )

    assert done["Location"] == "/swinoujscie/admin/"
    assert client.get(panel_url(office, "panel:password-change")).status_code == 200


def test_second_factor_can_be_turned_off_unless_the_office_requires_it(client, office, admin):
    confirmed_device(admin)
    log_in(client, office, admin.username)
    client.post(
        panel_url(office, "panel:otp-verify"),
        {"code": totp_code(TOTPDevice.objects.get(user=admin))},
    )
    setup = panel_url(office, "panel:otp-setup")

    office.require_2fa = True
    office.save()
    refused = client.post(setup, {"action": "disable"}, follow=True)
    assert "nie można go wyłączyć" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()

    office.require_2fa = False
    office.save()
    client.post(setup, {"action": "disable"})
    assert not TOTPDevice.objects.filter(user=admin).exists()
    entry = AuditEntry.objects.get(action="user.2fa_off")
    assert (entry.before, entry.after) == ({"two_factor": True}, {"two_factor": False})


def test_with_a_device_set_up_the_code_comes_before_changing_it(client, office, admin):
    confirmed_device(admin)
    log_in(client, office, admin.username)

    response = client.post(panel_url(office, "panel:otp-setup"), {"action": "disable"})

    assert response["Location"].startswith(panel_url(office, "panel:otp-verify"))
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_admin_turns_off_a_lost_phone_and_it_is_audited(client, office, admin, clerk):
    confirmed_device(clerk)
    client.force_login(admin)

    response = client.post(panel_url(office, "panel:user-otp-reset", clerk.pk))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    entry = AuditEntry.objects.get(action="user.2fa_reset")
    assert entry.actor == admin and entry.target_id == str(clerk.pk)
