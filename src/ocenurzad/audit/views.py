"""The office's audit log in the panel: who changed what and when, newest first."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view

from .selectors import audit_entries

PER_PAGE = 50

# Recorded action codes in words. An action missing here is shown by its code.
ACTION_LABELS = {
    "response.paper_enter": gettext_lazy("wprowadzenie ankiety papierowej"),
    "response.paper_correct": gettext_lazy("poprawienie ankiety papierowej"),
    "response.paper_delete": gettext_lazy("usunięcie ankiety papierowej"),
    "user.create": gettext_lazy("utworzenie konta"),
    "user.update": gettext_lazy("zmiana konta"),
    "user.password_set": gettext_lazy("ustawienie hasła przez administratora"),
    "user.password_reset_sent": gettext_lazy("wysłanie linku do ustawienia hasła"),
    "user.password_change": gettext_lazy("zmiana własnego hasła"),
    "user.unlock": gettext_lazy("odblokowanie konta"),
    "user.2fa_on": gettext_lazy("włączenie logowania dwuetapowego"),
    "user.2fa_off": gettext_lazy("wyłączenie logowania dwuetapowego"),
    "user.2fa_reset": gettext_lazy("wyłączenie logowania dwuetapowego przez administratora"),
    "office.create": gettext_lazy("utworzenie urzędu"),
    "office.update": gettext_lazy("zmiana danych urzędu"),
    "office.activate": gettext_lazy("włączenie urzędu"),
    "office.deactivate": gettext_lazy("wyłączenie urzędu"),
    "department.create": gettext_lazy("dodanie wydziału"),
    "department.rename": gettext_lazy("zmiana nazwy wydziału"),
    "department.move": gettext_lazy("zmiana kolejności wydziałów"),
    "department.activate": gettext_lazy("przywrócenie wydziału do ankiety"),
    "department.deactivate": gettext_lazy("wyłączenie wydziału z ankiety"),
}
# Recorded keys that are not model fields.
EXTRA_FIELD_LABELS = {
    "version_id": gettext_lazy("wersja ankiety"),
    "filled_on": gettext_lazy("data na arkuszu"),
    "department_id": gettext_lazy("wydział"),
    "departments": gettext_lazy("wydziały"),
    "admin": gettext_lazy("administrator urzędu"),
    "place": gettext_lazy("miejsce na liście"),
}


@require_GET
@panel_view(Perm.AUDIT)
def audit_log(request):
    paginator = Paginator(audit_entries(office=request.office, limit=None), PER_PAGE)
    page = paginator.get_page(request.GET.get("strona"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "page_numbers": list(
                paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "ellipsis": paginator.ELLIPSIS,
            "rows": [_entry_row(entry) for entry in page],
        },
    )


def _entry_row(entry) -> dict:
    model = _model_named(entry.target_type)
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    return {
        "entry": entry,
        "who": (entry.actor.get_full_name() or entry.actor.get_username())
        if entry.actor
        else entry.actor_name,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "object_kind": model._meta.verbose_name if model else entry.target_type,
        "changes": [
            {
                "label": _field_label(model, key),
                "had_before": key in entry.before,
                "before": _shown(entry.before.get(key)),
                "after": _shown(entry.after.get(key)),
                "has_after": key in entry.after,
            }
            for key in keys
        ],
    }


def _model_named(model_name: str):
    return next(
        (m for m in apps.get_models() if model_name and m._meta.model_name == model_name), None
    )


def _field_label(model, key: str) -> str:
    if key in EXTRA_FIELD_LABELS:
        return str(EXTRA_FIELD_LABELS[key])
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key


def _shown(value) -> str:
    if value is True:
        return _("tak")
    if value is False:
        return _("nie")
    if value in (None, "", [], {}):
        return _("(puste)")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
