"""Onboarding an office: the office, its departments, its default survey and its first
administrator, in one transaction — a rule that joins offices, surveys and accounts, so it
lives here above them (README, "Architecture")."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ocenurzad.accounts.models import Role
from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Department, Office, OfficeType
from ocenurzad.offices.services import department_names_clean, office_slug_clean
from ocenurzad.surveys.services import survey_create_default


def office_create(
    *,
    actor,
    slug: str,
    name: str,
    office_type: str = OfficeType.GMINA,
    departments: Iterable[str] = (),
    admin_username: str,
    admin_first_name: str = "",
    admin_last_name: str = "",
    admin_email: str = "",
    admin_password: str,
):
    """Create a working office: the office, its departments in the given order, its
    default survey and its first administrator — in one transaction, audited.

    Refuses (ValidationError by input name, nothing created) a malformed, reserved or
    taken slug, repeated department names, a malformed username or one taken in any
    letter case, and a password that Django's password validators reject. Returns
    (office, administrator).
    """
    User = get_user_model()
    errors: dict[str, list] = {}
    admin_username = (admin_username or "").strip()
    try:
        slug = office_slug_clean(slug)
    except ValidationError as exc:
        errors["slug"] = exc.messages
    try:
        department_names = department_names_clean(departments)
    except ValidationError as exc:
        errors["departments"] = exc.messages
    candidate = User(
        username=admin_username,
        first_name=admin_first_name,
        last_name=admin_last_name,
        email=admin_email,
    )
    try:
        # The same rule as every other account (Użytkownicy): letters, digits and
        # . @ + - _, unique whatever the case of its letters.
        User.username_validator(admin_username)
    except ValidationError as exc:
        errors["admin_username"] = exc.messages
    else:
        if User.objects.filter(username__iexact=admin_username).exists():
            errors["admin_username"] = [
                _("Konto o nazwie „%(username)s” już istnieje.") % {"username": admin_username}
            ]
    try:
        validate_password(admin_password, user=candidate)
    except ValidationError as exc:
        errors["admin_password"] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("Wpisz nazwę urzędu.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            office = Office.objects.create(slug=slug, name=name.strip(), office_type=office_type)
            for position, department_name in enumerate(department_names):
                Department.objects.create(office=office, name=department_name, position=position)
            survey_create_default(office=office)
            # The username is checked here, last, by the database itself: a clash undoes
            # the office and everything made for it above.
            admin = User.objects.create_user(
                username=admin_username,
                password=admin_password,
                email=admin_email,
                first_name=admin_first_name,
                last_name=admin_last_name,
                office=office,
                role=Role.OFFICE_ADMIN,
            )
            audit_record(
                office=office,
                actor=actor,
                action="office.create",
                target=office,
                after={
                    "slug": office.slug,
                    "name": office.name,
                    "office_type": office.office_type,
                    "departments": department_names,
                    "admin": admin.get_username(),
                },
            )
    except IntegrityError as exc:
        if User.objects.filter(username=admin_username).exists():
            raise ValidationError(
                {
                    "admin_username": _("Konto o nazwie „%(username)s” już istnieje.")
                    % {"username": admin_username}
                }
            ) from exc
        if Office.objects.filter(slug=slug).exists():
            raise ValidationError(
                {"slug": _("Adres „%(slug)s” ma już inny urząd. Wybierz inny.") % {"slug": slug}}
            ) from exc
        raise
    return office, admin
