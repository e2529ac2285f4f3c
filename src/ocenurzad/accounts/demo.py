"""Demo staff accounts for ``manage.py demo``: one of each office role, and the operator.

Safe to run again: an account that exists (by login) is left exactly as it is, password
included. Addresses are in the reserved ``.example`` domain, so no demo mail can reach
anybody.
"""

from django.db import transaction

from ocenurzad.audit.services import audit_record

from .models import Role, User

# (login prefix, role, first name, last name) — a different team in each office.
_TEAMS = (
    (
        ("admin", Role.OFFICE_ADMIN, "Katarzyna", "Nowak"),
        ("raporty", Role.REPORTER, "Tomasz", "Wiśniewski"),
        ("rejestrator", Role.CLERK, "Magdalena", "Kamińska"),
    ),
    (
        ("admin", Role.OFFICE_ADMIN, "Piotr", "Zieliński"),
        ("raporty", Role.REPORTER, "Agnieszka", "Wójcik"),
        ("rejestrator", Role.CLERK, "Grzegorz", "Lewandowski"),
    ),
    (
        ("admin", Role.OFFICE_ADMIN, "Joanna", "Szymańska"),
        ("raporty", Role.REPORTER, "Krzysztof", "Dąbrowski"),
        ("rejestrator", Role.CLERK, "Ewa", "Kozłowska"),
    ),
)
_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def _email(first: str, last: str, domain: str) -> str:
    return f"{first}.{last}".lower().translate(_ASCII) + "@" + domain


def _create(
    *, office, username: str, role: str, first: str, last: str, email: str, password: str
) -> User:
    user = User(
        office=office, username=username, role=role, first_name=first, last_name=last, email=email
    )
    user.set_password(password)
    user.save()
    audit_record(
        office=office,
        actor=None,
        action="user.create",
        target=user,
        after={
            "username": username,
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": email,
            "is_active": True,
            "demo": True,
        },
    )
    return user


@transaction.atomic
def demo_accounts_create(*, office, password: str) -> list[User]:
    """``admin.<slug>`` (office administrator), ``raporty.<slug>`` (reports) and
    ``rejestrator.<slug>`` (paper entry) for the office. Returns the three accounts,
    whether just made or already there (those are not changed)."""
    team = _TEAMS[sum(map(ord, office.slug)) % len(_TEAMS)]
    domain = f"{office.slug}.urzad.example"
    accounts = []
    for prefix, role, first, last in team:
        username = f"{prefix}.{office.slug}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = _create(
                office=office,
                username=username,
                role=role,
                first=first,
                last=last,
                email=_email(first, last, domain),
                password=password,
            )
        accounts.append(user)
    return accounts


@transaction.atomic
def demo_operator_create(*, password: str) -> User:
    """The platform operator ``operator`` (no office); left as it is if it exists."""
    user = User.objects.filter(username="operator").first()
    if user is None:
        user = _create(
            office=None,
            username="operator",
            role=Role.OPERATOR,
            first="Marek",
            last="Jankowski",
            email="marek.jankowski@operator.example",
            password=password,
        )
    return user
