"""Reads of staff accounts always stay inside one office."""

import pytest
from django.http import Http404

from ocenurzad.accounts.selectors import staff_user_get, staff_users
from tests.accounts.conftest import confirmed_device

pytestmark = pytest.mark.django_db


def test_staff_users_of_one_office_only(office, other_office, admin, clerk, other_admin, operator):
    assert set(staff_users(office=office)) == {admin, clerk}
    assert set(staff_users(office=other_office)) == {other_admin}


def test_staff_users_tell_who_has_a_second_factor(office, admin, clerk):
    confirmed_device(clerk)

    flags = {u.username: u.has_2fa for u in staff_users(office=office)}

    assert flags == {admin.username: False, clerk.username: True}


def test_staff_user_get_is_404_for_missing_and_foreign_alike(
    office, other_office, admin, other_admin
):
    assert staff_user_get(office=office, user_id=admin.pk) == admin
    with pytest.raises(Http404):
        staff_user_get(office=office, user_id=other_admin.pk)
    with pytest.raises(Http404):
        staff_user_get(office=office, user_id=987_654)
    assert staff_user_get(office=other_office, user_id=other_admin.pk) == other_admin
