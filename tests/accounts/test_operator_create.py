import pytest
from django.core.management import CommandError, call_command

from ocenurzad.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_operator_is_created_with_a_checked_password(monkeypatch):
    monkeypatch.setenv("OPERATOR_PASSWORD", "Zielona-Ławka-2024")
    call_command("operator_create", "operator", email="it@example.pl")

    user = User.objects.get(username="operator")
    assert user.role == Role.OPERATOR
    assert user.office is None
    assert user.check_password("Zielona-Ławka-2024")


def test_weak_password_or_existing_account_is_refused(monkeypatch):
    monkeypatch.setenv("OPERATOR_PASSWORD", "12345")
    with pytest.raises(CommandError, match="Hasło odrzucone"):
        call_command("operator_create", "operator")
    assert not User.objects.exists()

    monkeypatch.setenv("OPERATOR_PASSWORD", "Zielona-Ławka-2024")
    call_command("operator_create", "operator")
    with pytest.raises(CommandError, match="już istnieje"):
        call_command("operator_create", "operator")
