"""Who may print what. The plain form: anyone with Perm.PRINT_FORM (panel_view checks it).
Numbered sheets commit the office to a numbering, so only its administrators print them."""

from ocenurzad.accounts.permissions import Perm, can


def can_print_numbered(user, office) -> bool:
    return can(user, office, Perm.SURVEY)
