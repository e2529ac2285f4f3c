from .models import AuditEntry


def audit_entries(*, office, limit: int | None = 200):
    return AuditEntry.objects.filter(office=office).select_related("actor")[:limit]
