import pytest

from ocenurzad.accounts.models import Role, User


def make_user(office, role, username=None, **fields):
    return User.objects.create_user(
        username=username or f"{role}-{office.slug if office else 'platform'}",
        password="Niełatwe-hasło-2024",
        office=office,
        role=role,
        **fields,
    )


def panel(office, path=""):
    return f"/{office.slug}/admin/dzialania/{path}"


@pytest.fixture
def admin(office):
    return make_user(office, Role.OFFICE_ADMIN, first_name="Katarzyna", last_name="Nowak")


@pytest.fixture
def reporter(office):
    return make_user(office, Role.REPORTER, first_name="Tomasz", last_name="Wiśniewski")


@pytest.fixture
def clerk(office):
    return make_user(office, Role.CLERK)


@pytest.fixture
def logged_in(client, admin):
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def form_data(**overrides):
    data = {
        "title": "Skrócić kolejkę w Wydziale Komunikacji",
        "kind": "corrective",
        "targets": ["item:wizerunek_oznakowanie"],
        "department": "",
        "finding": "Czas oczekiwania: 2,95 (n = 311)",
        "owner": "",
        "owner_name": "Jan Kowalski, kierownik WK",
        "deadline": "31.03.2027",
        "notes": "",
    }
    data.update(overrides)
    return data
