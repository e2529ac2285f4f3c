import json

from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditEntry


def _jsonable(values: dict | None) -> dict:
    return json.loads(json.dumps(values or {}, cls=DjangoJSONEncoder, default=str))


def audit_record(
    *, office, actor, action: str, target, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """Record one change. Call it inside the transaction of the change it records, so
    the change and its entry are saved together or not at all."""
    return AuditEntry.objects.create(
        office=office,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if getattr(actor, "pk", None) else "system"),
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(getattr(target, "pk", "") or ""),
        target_label=str(target)[:300] if target is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
    )


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value differs, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
