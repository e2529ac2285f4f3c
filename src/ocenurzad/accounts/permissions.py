"""Who may do what in the panel — the one place that says it.

Views ask ``can(user, office, Perm.X)``; navigation shows only what ``can`` allows.
"""

from enum import StrEnum

from .models import Role


class Perm(StrEnum):
    DASHBOARD = "dashboard"
    PAPER_ENTRY = "paper_entry"
    PAPER_CORRECT_ANY = "paper_correct_any"  # correct or delete sheets others typed in
    PRINT_FORM = "print_form"
    SCANS = "scans"  # read scanned paper forms back, and their queues
    REPORTS = "reports"
    OFFICE_DATA = "office_data"
    SURVEY = "survey"
    BANNER = "banner"
    USERS = "users"
    AUDIT = "audit"
    HELP = "help"
    ACTIONS = "actions"  # corrective and improvement actions register
    OFFICES = "offices"  # the platform: create offices and their first administrator
    # Residents' answers response by response (CSV, the XLSX raw-data sheet): office
    # administrators, and reporters an administrator named; never the operator by default.
    RAW_EXPORT = "raw_export"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.OPERATOR: frozenset(Perm) - {Perm.RAW_EXPORT},
    Role.OFFICE_ADMIN: frozenset(Perm) - {Perm.OFFICES},
    Role.REPORTER: frozenset(
        {Perm.DASHBOARD, Perm.REPORTS, Perm.PRINT_FORM, Perm.HELP, Perm.ACTIONS}
    ),
    Role.CLERK: frozenset({Perm.PAPER_ENTRY, Perm.SCANS, Perm.HELP}),
}


def is_member(user, office) -> bool:
    """May this account work in this office's panel at all?"""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.OPERATOR:
        return True
    return office is not None and user.office_id == office.pk


# Roles whose accounts an office administrator may grant RAW_EXPORT, one by one.
RAW_EXPORT_GRANTABLE = frozenset({Role.REPORTER})


def can(user, office, perm: Perm) -> bool:
    if not is_member(user, office):
        return False
    if perm in ROLE_PERMISSIONS.get(user.role, frozenset()):
        return True
    return (
        perm == Perm.RAW_EXPORT
        and user.role in RAW_EXPORT_GRANTABLE
        and bool(getattr(user, "raw_export", False))
    )


def landing_perm(user) -> Perm:
    """Where a role starts after login: the dashboard, or paper entry for clerks."""
    perms = ROLE_PERMISSIONS.get(user.role, frozenset())
    return Perm.DASHBOARD if Perm.DASHBOARD in perms else Perm.PAPER_ENTRY
