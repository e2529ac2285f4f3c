"""Staff accounts for the accounts tests, and small helpers to reach the panel."""

import pytest
from django.urls import get_script_prefix, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocenurzad.accounts.models import Role, User

PASSWORD = "Zielona-Ławka-2024"
WRONG = "to-nie-jest-haslo"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Argon2 as configured costs about a third of a second per hash; these tests hash
    hundreds of times. test_argon2_* checks the configured hasher itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def panel_url(office, name: str, *args) -> str:
    """The path of a panel page under the office's /<slug>/ address."""
    path = reverse(name, urlconf="ocenurzad.urls_office", args=args)
    return f"/{office.slug}/" + path[len(get_script_prefix()) :]


def make_staff(office, username: str, role: str = Role.CLERK, **fields) -> User:
    user = User(office=office, username=username, role=role, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admin(office):
    return make_staff(
        office,
        "admin.swinoujscie",
        Role.OFFICE_ADMIN,
        first_name="Katarzyna",
        last_name="Nowak",
        email="katarzyna.nowak@swinoujscie.urzad.example",
    )


@pytest.fixture
def clerk(office):
    return make_staff(
        office, "rejestrator.swinoujscie", Role.CLERK, first_name="Ewa", last_name="Kozłowska"
    )


@pytest.fixture
def reporter(office):
    return make_staff(office, "raporty.swinoujscie", Role.REPORTER, first_name="Tomasz")


@pytest.fixture
def operator(db):
    return make_staff(None, "operator", Role.OPERATOR, first_name="Marek")


@pytest.fixture
def other_admin(other_office):
    return make_staff(other_office, "admin.ksiazki", Role.OFFICE_ADMIN, first_name="Piotr")


@pytest.fixture
def other_clerk(other_office):
    return make_staff(other_office, "rejestrator.ksiazki", Role.CLERK)


def log_in(client, office, username: str, password: str = PASSWORD, next_url=None, **extra):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(panel_url(office, "panel:login"), data, **extra)


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
