"""Writing actions: create, change, change of state, attachment. Each write is one
transaction with its audit entry (the audit log is the action's history)."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record, changed_fields

from .attachments import CheckedAttachment
from .models import Action, ActionStatus, ReminderOptOut, ReminderSettings

# Fields recorded in the audit log, in the values the log can show in words.
_RECORDED = (
    "title",
    "kind",
    "targets",
    "department_id",
    "hotspot_id",
    "finding",
    "owner_id",
    "owner_name",
    "deadline",
    "status",
    "started_on",
    "done_on",
    "dropped_on",
    "notes",
    "may_publish",
    "attachment_name",
)
EDITABLE = (
    "title",
    "kind",
    "targets",
    "department",
    "hotspot_id",
    "finding",
    "owner",
    "owner_name",
    "deadline",
    "notes",
    "may_publish",
)


def _snapshot(action: Action) -> dict:
    values = {}
    for name in _RECORDED:
        value = getattr(action, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def _store_attachment(action: Action, attachment: CheckedAttachment) -> None:
    name = f"{action.office_id}/{secrets.token_hex(12)}.{attachment.extension}"
    if action.attachment:
        action.attachment.delete(save=False)
    action.attachment.save(name, ContentFile(attachment.content), save=False)
    action.attachment_name = attachment.name


def _apply(action: Action, data: dict) -> None:
    for name in EDITABLE:
        if name in data:
            setattr(action, name, data[name])
    action.department_name = action.department.name if action.department_id else ""
    if action.owner_id:
        action.owner_name = ""


def _check_owner(*, office, data: dict) -> None:
    owner = data.get("owner")
    if owner is not None and owner.office_id != office.pk:
        raise ValidationError({"owner": _("Ta osoba nie pracuje w tym urzędzie.")})
    department = data.get("department")
    if department is not None and department.office_id != office.pk:
        raise ValidationError({"department": _("Ten wydział nie należy do tego urzędu.")})


def action_create(
    *, office, actor, data: dict, attachment: CheckedAttachment | None = None
) -> Action:
    """Create an action with the next number of its year (DN/<year>/<nn>), audited.

    The year is the year of creation. Two clerks saving at once get consecutive numbers
    (the unique constraint decides; the loser takes the next one)."""
    _check_owner(office=office, data=data)
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = (
                    Action.objects.filter(office=office, year=year)
                    .order_by("-number")
                    .values_list("number", flat=True)
                    .first()
                )
                action = Action(office=office, year=year, number=(last or 0) + 1, created_by=actor)
                _apply(action, data)
                if attachment is not None:
                    _store_attachment(action, attachment)
                action.save()
                audit_record(
                    office=office,
                    actor=actor,
                    action="action.create",
                    target=action,
                    after=_snapshot(action),
                )
                return action
        except IntegrityError:
            continue
    raise ValidationError(_("Nie udało się nadać numeru działaniu. Spróbuj ponownie."))


def action_update(
    *,
    office,
    actor,
    action: Action,
    data: dict,
    attachment: CheckedAttachment | None = None,
    remove_attachment: bool = False,
) -> Action:
    """Change what an action says (not its state: ``action_set_status``), audited with
    the values before and after. Saving without a change records nothing."""
    if action.office_id != office.pk:
        raise ValueError("action of another office")
    _check_owner(office=office, data=data)
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        before = _snapshot(action)
        _apply(action, data)
        if attachment is not None:
            _store_attachment(action, attachment)
        elif remove_attachment and action.attachment:
            action.attachment.delete(save=False)
            action.attachment = ""
            action.attachment_name = ""
        old, new = changed_fields(before, _snapshot(action))
        if not new:
            return action
        action.save()
        audit_record(
            office=office, actor=actor, action="action.update", target=action, before=old, after=new
        )
    return action


def action_set_status(
    *, office, actor, action: Action, status: str, on: date | None = None, note: str = ""
) -> Action:
    """Move an action to another state, dated (``on``, default today).

    Starting sets ``started_on`` if it was empty; done and dropped set their dates;
    reopening (back to planned or in progress) clears the date of completion or drop, which
    stays in the history. A date in the future or before the action was created is refused.
    """
    if action.office_id != office.pk:
        raise ValueError("action of another office")
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Wybierz stan z listy.")})
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": _("Data zmiany stanu nie może być w przyszłości.")})
    if on < timezone.localdate(action.created_at) and status != ActionStatus.PLANNED:
        raise ValidationError(
            {"on": _("Data zmiany stanu nie może być wcześniejsza niż utworzenie działania.")}
        )
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        before = _snapshot(action)
        action.status = status
        if status == ActionStatus.IN_PROGRESS:
            action.started_on = action.started_on or on
            action.done_on = action.dropped_on = None
        elif status == ActionStatus.DONE:
            action.started_on = action.started_on or on
            action.done_on = on
            action.dropped_on = None
        elif status == ActionStatus.DROPPED:
            action.dropped_on = on
            action.done_on = None
        else:
            action.done_on = action.dropped_on = None
        old, new = changed_fields(before, _snapshot(action))
        if not new and not note:
            return action
        action.save()
        if note:
            new["status_note"] = note
        audit_record(
            office=office, actor=actor, action="action.status", target=action, before=old, after=new
        )
    return action


def reminder_settings_save(*, office, actor, data: dict):
    """Store the office's reminder settings, audited (before and after)."""
    with transaction.atomic():
        config, _created = ReminderSettings.objects.select_for_update().get_or_create(office=office)
        before = {name: getattr(config, name) for name in data}
        for name, value in data.items():
            setattr(config, name, value)
        old, new = changed_fields(before, data)
        if not new:
            return config
        config.save()
        audit_record(
            office=office,
            actor=actor,
            action="reminders.settings",
            target=config,
            before=old,
            after=new,
        )
    return config


def reminder_opt_out_set(*, office, actor, user, opted_out: bool) -> None:
    """A staff member switches their own reminder mails off or on (audited)."""
    with transaction.atomic():
        if opted_out:
            _obj, created = ReminderOptOut.objects.get_or_create(user=user)
        else:
            created = bool(ReminderOptOut.objects.filter(user=user).delete()[0])
        if created:
            audit_record(
                office=office,
                actor=actor,
                action="reminders.opt_out" if opted_out else "reminders.opt_in",
                target=user,
            )
