"""Departments get the days residents could name them (valid_from, valid_to), so that a
report of a period lists only departments that existed in it. Filled in from the audit
log where it knows them: the day a department was added, and — for a department that is
switched off now — the day it was switched off. Departments the log knows nothing of keep
both dates empty (reports then treat them as before)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    Department = apps.get_model("offices", "Department")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    zone = ZoneInfo(settings.TIME_ZONE)
    created, switched = {}, {}
    entries = AuditEntry.objects.filter(
        target_type="department",
        action__in=("department.create", "department.activate", "department.deactivate"),
    ).order_by("at", "pk")
    for action, target_id, at in entries.values_list("action", "target_id", "at").iterator():
        if not target_id.isdigit():
            continue
        day = at.astimezone(zone).date()
        if action == "department.create":
            created.setdefault(int(target_id), day)
        else:
            switched[int(target_id)] = (action, day)  # the latest wins
    for department in Department.objects.filter(pk__in=set(created) | set(switched)):
        department.valid_from = created.get(department.pk)
        action, day = switched.get(department.pk, (None, None))
        if not department.is_active and action == "department.deactivate":
            department.valid_to = day
        department.save(update_fields=["valid_from", "valid_to"])


class Migration(migrations.Migration):
    dependencies = [
        ("offices", "0002_office_opening_hours_office_require_2fa"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="valid_from",
            field=models.DateField(blank=True, null=True, verbose_name="w ankiecie od"),
        ),
        migrations.AddField(
            model_name="department",
            name="valid_to",
            field=models.DateField(blank=True, null=True, verbose_name="w ankiecie do"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
