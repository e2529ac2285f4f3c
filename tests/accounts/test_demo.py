"""Demo staff accounts: one of each role per office, and the operator; run twice, same."""

import pytest

from ocenurzad.accounts.demo import demo_accounts_create, demo_operator_create
from ocenurzad.accounts.models import Role, User
from tests.accounts.conftest import log_in

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Demo-Ocen-Urzad-2025"


def test_demo_accounts_one_per_role(office, other_office):
    accounts = demo_accounts_create(office=office, password=DEMO_PASSWORD)
    demo_accounts_create(office=other_office, password=DEMO_PASSWORD)

    assert [(u.username, u.role, u.office) for u in accounts] == [
        ("admin.swinoujscie", Role.OFFICE_ADMIN, office),
        ("raporty.swinoujscie", Role.REPORTER, office),
        ("rejestrator.swinoujscie", Role.CLERK, office),
    ]
    for user in accounts:
        assert user.first_name and user.last_name
        assert user.email.endswith("@swinoujscie.urzad.example")
        assert user.email.isascii()
    assert User.objects.filter(office=other_office).count() == 3


def test_demo_accounts_are_left_alone_when_run_again(office):
    demo_accounts_create(office=office, password=DEMO_PASSWORD)
    User.objects.filter(username="raporty.swinoujscie").update(first_name="Zmienione")

    again = demo_accounts_create(office=office, password="Inne-Haslo-Demo-99")

    assert len(again) == 3
    assert User.objects.filter(office=office).count() == 3
    reporter = User.objects.get(username="raporty.swinoujscie")
    assert reporter.first_name == "Zmienione"
    assert reporter.check_password(DEMO_PASSWORD)


def test_demo_operator_logs_in_anywhere(client, office):
    operator = demo_operator_create(password=DEMO_PASSWORD)
    assert demo_operator_create(password="cokolwiek-innego") == operator

    assert (operator.role, operator.office) == (Role.OPERATOR, None)
    assert log_in(client, office, "operator", DEMO_PASSWORD).status_code == 302
