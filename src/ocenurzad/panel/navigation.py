"""The panel's menu: the three functions of the ordinance first, then the rest — each
shown only to a role that may use it."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ocenurzad.accounts.permissions import Perm, can

PRIMARY = [
    ("panel:paper-entry", Perm.PAPER_ENTRY, _("Wprowadź ankietę (papierową)")),
    ("panel:scans", Perm.SCANS, _("Wczytaj skany")),
    ("panel:print", Perm.PRINT_FORM, _("Pobierz ankietę do wydrukowania (PDF)")),
    ("panel:reports", Perm.REPORTS, _("Generuj raport")),
]
SECONDARY = [
    ("panel:dashboard", Perm.DASHBOARD, _("Pulpit")),
    ("panel:actions", Perm.ACTIONS, _("Działania")),
    ("panel:office", Perm.OFFICE_DATA, _("Dane urzędu")),
    ("panel:survey", Perm.SURVEY, _("Ankieta")),
    ("panel:banner", Perm.BANNER, _("Baner „Oceń Urząd”")),
    ("panel:users", Perm.USERS, _("Użytkownicy")),
    ("panel:audit", Perm.AUDIT, _("Dziennik zmian")),
    ("panel:offices", Perm.OFFICES, _("Urzędy platformy")),
    ("panel:help", Perm.HELP, _("Pomoc")),
]


def menu(request) -> dict:
    user, office = request.user, request.office
    current = getattr(request, "panel_perm", None)

    def items(entries):
        result = []
        for name, perm, label in entries:
            if not can(user, office, perm):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            result.append(
                {"url": url, "label": label, "current": perm == current, "perm": str(perm)}
            )
        return result

    return {"primary": items(PRIMARY), "secondary": items(SECONDARY)}
