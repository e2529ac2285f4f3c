"""Create the platform operator of a new installation (the first account of all)."""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ocenurzad.accounts.models import Role, User


class Command(BaseCommand):
    help = (
        "Tworzy konto operatora platformy (zakłada urzędy i ich pierwszych administratorów). "
        "Hasło z OPERATOR_PASSWORD albo wpisane z klawiatury."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username: str, email: str, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Konto „{username}” już istnieje.")
        password = os.environ.get("OPERATOR_PASSWORD") or self._ask()
        user = User(username=username, email=email, role=Role.OPERATOR)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Hasło odrzucone: " + " ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
        self.stdout.write(self.style.SUCCESS(f"Utworzono operatora „{username}”."))

    def _ask(self) -> str:
        first = getpass.getpass("Hasło operatora: ")
        if first != getpass.getpass("Powtórz hasło: "):
            raise CommandError("Hasła nie są takie same.")
        return first
