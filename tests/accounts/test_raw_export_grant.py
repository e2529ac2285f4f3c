"""Downloading residents' answers response by response: a permission of its own.

Office administrators have it; an administrator grants it to named reporters in the
users panel (audited); the platform operator never has it; nobody grants it to themselves.
"""

import pytest
from django.test import Client

from ocenurzad.accounts.models import Role, User
from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.audit.models import AuditEntry
from tests.accounts.conftest import make_staff, panel_url

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit(client, office, person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": person.role,
        "is_active": "on",
        **changes,
    }
    return client.post(panel_url(office, "panel:user-edit", person.pk), data)


@pytest.fixture
def reporter(office):
    return make_staff(office, "analityk", Role.REPORTER, first_name="Jan", last_name="Nowy")


def test_who_has_it_by_default(office, admin, reporter, clerk):
    operator = User.objects.create_user(username="op", password="x", role=Role.OPERATOR)
    assert can(admin, office, Perm.RAW_EXPORT)
    assert not can(reporter, office, Perm.RAW_EXPORT)
    assert not can(clerk, office, Perm.RAW_EXPORT)
    assert not can(operator, office, Perm.RAW_EXPORT)
    operator.raw_export = True  # set behind the panel's back: still nothing
    assert not can(operator, office, Perm.RAW_EXPORT)


def test_an_administrator_grants_it_to_a_named_reporter_audited(office, admin, reporter):
    page = signed_in(admin).get(panel_url(office, "panel:user-edit", reporter.pk))
    assert "Może pobierać odpowiedzi ankieta po ankiecie" in page.content.decode()

    response = _edit(signed_in(admin), office, reporter, raw_export="on")

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.raw_export is True
    assert can(reporter, office, Perm.RAW_EXPORT)
    entry = AuditEntry.objects.get(action="user.update")
    assert (entry.before, entry.after) == ({"raw_export": False}, {"raw_export": True})
    listing = signed_in(admin).get(panel_url(office, "panel:users")).content.decode()
    assert "pobiera odpowiedzi ankieta po ankiecie" in listing

    _edit(signed_in(admin), office, reporter)  # unticked: taken back
    reporter.refresh_from_db()
    assert not reporter.raw_export


def test_it_goes_with_the_reporter_role_only(office, admin, reporter, clerk):
    _edit(signed_in(admin), office, clerk, raw_export="on")
    clerk.refresh_from_db()
    assert not clerk.raw_export

    _edit(signed_in(admin), office, reporter, raw_export="on")
    reporter.refresh_from_db()
    _edit(signed_in(admin), office, reporter, role=Role.CLERK, raw_export="on")
    reporter.refresh_from_db()
    assert (reporter.role, reporter.raw_export) == (Role.CLERK, False)


def test_a_reporter_cannot_grant_it_to_anyone(office, reporter):
    other = make_staff(office, "drugi", Role.REPORTER)
    response = _edit(signed_in(reporter), office, other, raw_export="on")
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.raw_export
