"""Department names in the resident languages (Polish is the name itself)."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record

from .models import Department, Office

NAME_MAX_LENGTH = 200


@transaction.atomic
def department_names_translate(
    *,
    office: Office,
    actor,
    names: dict[int, dict[str, str]],
    before_change: Callable[..., None] | None = None,
) -> int:
    """Set the names of the office's departments in its other languages, all together.

    ``names``: {department id: {language: name}}; a language left empty removes that
    name (residents are then not offered the language while the department is in the
    survey). Languages the office has not switched on and ids of other offices are
    refused (ValidationError), as are names longer than 200 characters. One audit
    entry for the whole change, with the changed names before and after; nothing
    changed, nothing recorded. ``before_change(office=…, before=…, after=…)`` runs first
    inside the transaction (§ 5: the report of results so far). Returns how many
    departments changed."""
    languages = [code for code in office.enabled_languages if code != settings.LANGUAGE_CODE]
    departments = {d.pk: d for d in Department.objects.select_for_update().filter(office=office)}
    if set(names) - set(departments):
        raise ValidationError(_("Nie ma takiego wydziału."))
    before, after, changed = {}, {}, []
    for pk, wanted in names.items():
        if set(wanted) - set(languages):
            raise ValidationError(_("Ten język nie jest włączony w danych urzędu."))
        department = departments[pk]
        current = dict(department.name_translations or {})
        new = dict(current)
        for code, text in wanted.items():
            text = " ".join((text or "").split())
            if len(text) > NAME_MAX_LENGTH:
                raise ValidationError(
                    _("Nazwa wydziału może mieć najwyżej %(limit)d znaków.")
                    % {"limit": NAME_MAX_LENGTH}
                )
            if text:
                new[code] = text
            else:
                new.pop(code, None)
        if new != current:
            before[department.name] = current
            after[department.name] = new
            department.name_translations = new
            changed.append(department)
    if not changed:
        return 0
    if before_change is not None:
        before_change(office=office, before=before, after=after)
    for department in changed:
        department.save(update_fields=["name_translations"])
    audit_record(
        office=office,
        actor=actor,
        action="department.translate",
        target=office,
        before=before,
        after=after,
    )
    return len(changed)
