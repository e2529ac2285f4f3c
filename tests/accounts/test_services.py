"""The rules of staff-account changes, as the services enforce them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocenurzad.accounts.models import Role
from ocenurzad.accounts.services import (
    staff_user_create,
    staff_user_password_set,
    staff_user_unlock,
    staff_user_update,
)
from ocenurzad.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "Spokojny-Poranek-2025"


def update(actor, user, **changes):
    fields = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": user.is_active,
        **changes,
    }
    return staff_user_update(office=user.office, actor=actor, user=user, **fields)


def test_admin_cannot_remove_own_admin_role(admin):
    with pytest.raises(ValidationError):
        update(admin, admin, role=Role.REPORTER)
    admin.refresh_from_db()
    assert admin.role == Role.OFFICE_ADMIN
    assert not AuditEntry.objects.exists()


def test_admin_cannot_deactivate_themselves(admin):
    with pytest.raises(ValidationError):
        update(admin, admin, is_active=False)


def test_admin_may_edit_own_name(admin):
    update(admin, admin, first_name="Kasia")

    entry = AuditEntry.objects.get()
    assert (entry.before, entry.after) == ({"first_name": "Katarzyna"}, {"first_name": "Kasia"})


def test_an_edit_that_changes_nothing_is_not_recorded(admin, clerk):
    update(admin, clerk)

    assert not AuditEntry.objects.exists()


def test_operator_role_only_by_an_operator(office, admin, clerk, operator):
    with pytest.raises(ValidationError):
        update(admin, clerk, role=Role.OPERATOR)
    with pytest.raises(ValidationError):
        staff_user_create(
            office=office, actor=admin, username="x.y", password=PASSWORD, role=Role.OPERATOR
        )

    update(operator, clerk, role=Role.OPERATOR)
    clerk.refresh_from_db()
    assert clerk.role == Role.OPERATOR


def test_another_offices_account_is_refused(office, admin, other_clerk):
    with pytest.raises(PermissionDenied):
        staff_user_update(
            office=office,
            actor=admin,
            user=other_clerk,
            first_name="",
            last_name="",
            email="",
            role=Role.CLERK,
            is_active=False,
        )
    with pytest.raises(PermissionDenied):
        staff_user_password_set(office=office, actor=admin, user=other_clerk, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        staff_user_unlock(office=office, actor=admin, user=other_clerk)


def test_weak_password_and_taken_login_are_refused(office, admin):
    with pytest.raises(ValidationError):
        staff_user_create(
            office=office, actor=admin, username="nowy", password="12345678901", role=Role.CLERK
        )
    with pytest.raises(ValidationError):
        staff_user_create(
            office=office,
            actor=admin,
            username="ADMIN.swinoujscie",
            password=PASSWORD,
            role=Role.CLERK,
        )


def test_create_records_the_account_but_not_the_password(office, admin):
    user = staff_user_create(
        office=office,
        actor=admin,
        username="jan.nowak",
        password=PASSWORD,
        role=Role.CLERK,
        first_name="Jan",
        last_name="Nowak",
    )

    entry = AuditEntry.objects.get(action="user.create")
    assert entry.target_id == str(user.pk)
    assert entry.after == {
        "username": "jan.nowak",
        "first_name": "Jan",
        "last_name": "Nowak",
        "email": "",
        "role": Role.CLERK,
        "is_active": True,
        "raw_export": False,
    }
    assert PASSWORD not in str(entry.after)


def test_a_failed_change_leaves_no_audit_entry(office, admin, monkeypatch):
    import ocenurzad.accounts.services as services

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)

    with pytest.raises(RuntimeError):
        staff_user_create(
            office=office, actor=admin, username="jan.nowak", password=PASSWORD, role=Role.CLERK
        )

    from ocenurzad.accounts.models import User

    assert not User.objects.filter(username="jan.nowak").exists()
