"""Departments' validity dates: when residents could name them. Reports list a department
without responses only for periods it overlaps; the dates of departments that existed
before the fields did are read from the audit log."""

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import Department
from ocenurzad.offices.services import department_create, department_set_active

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
backfill = importlib.import_module("ocenurzad.offices.migrations.0003_department_validity").backfill


def logged(office, department, action, when):
    entry = AuditEntry.objects.create(
        office=office,
        action=action,
        target_type="department",
        target_id=str(department.pk),
        target_label=department.name,
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "is_active", "period", "existed"),
    [
        (None, None, True, (date(2025, 1, 1), date(2025, 12, 31)), True),
        (date(2026, 3, 2), None, True, (date(2025, 1, 1), date(2025, 12, 31)), False),
        (date(2025, 12, 31), None, True, (date(2025, 1, 1), date(2025, 12, 31)), True),
        (None, date(2024, 12, 31), False, (date(2025, 1, 1), date(2025, 12, 31)), False),
        (None, date(2025, 1, 1), False, (date(2025, 1, 1), date(2025, 12, 31)), True),
        # switched off on a day nobody recorded: not listed without responses
        (None, None, False, (date(2025, 1, 1), date(2025, 12, 31)), False),
    ],
)
def test_a_department_existed_in_a_period_by_its_dates(
    office, valid_from, valid_to, is_active, period, existed
):
    department = Department(
        office=office, name="X", valid_from=valid_from, valid_to=valid_to, is_active=is_active
    )

    assert department.existed_during(*period) is existed


def test_creating_and_switching_off_a_department_records_the_days(office, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 2, 9, tzinfo=WARSAW))
    department = department_create(office=office, actor=None, name="Wydział Nowy")
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 9, 30, 23, 30, tzinfo=WARSAW)
    )
    department_set_active(office=office, actor=None, department=department, is_active=False)
    department.refresh_from_db()

    assert (department.valid_from, department.valid_to) == (date(2026, 3, 2), date(2026, 9, 30))
    assert not department.existed_during(date(2025, 1, 1), date(2025, 12, 31))
    assert department.existed_during(date(2026, 1, 1), date(2026, 12, 31))
    assert not department.existed_during(date(2026, 10, 1), date(2026, 12, 31))


def test_the_migration_reads_the_days_from_the_audit_log(office, other_office):
    added, closed, reopened, unknown = (
        Department.objects.create(office=office, name=name, position=9)
        for name in ("Dodany", "Zamknięty", "Przywrócony", "Bez wpisów")
    )
    foreign = other_office.departments.get()
    # 23:30 UTC on 31 January is 1 February in Warsaw: the office's local day counts.
    logged(
        office, added, "department.create", datetime(2025, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    logged(office, closed, "department.create", datetime(2024, 5, 6, 10, tzinfo=WARSAW))
    logged(office, closed, "department.deactivate", datetime(2025, 7, 1, 10, tzinfo=WARSAW))
    Department.objects.filter(pk=closed.pk).update(is_active=False)
    logged(office, reopened, "department.deactivate", datetime(2025, 2, 1, 10, tzinfo=WARSAW))
    logged(office, reopened, "department.activate", datetime(2025, 3, 1, 10, tzinfo=WARSAW))
    logged(other_office, foreign, "department.rename", datetime(2025, 3, 1, 10, tzinfo=WARSAW))

    backfill(apps, None)

    dates = dict(
        Department.objects.filter(office__in=[office, other_office]).values_list(
            "name", "valid_from"
        )
    )
    ends = dict(Department.objects.values_list("name", "valid_to"))
    assert dates["Dodany"] == date(2025, 2, 1) and ends["Dodany"] is None
    assert (dates["Zamknięty"], ends["Zamknięty"]) == (date(2024, 5, 6), date(2025, 7, 1))
    assert (dates["Przywrócony"], ends["Przywrócony"]) == (None, None)
    assert (dates["Bez wpisów"], ends["Bez wpisów"]) == (None, None)
    assert (dates["Referat Podatków"], ends["Referat Podatków"]) == (None, None)
    assert unknown.is_active
