"""Before office data shown on the survey changes, the report of the results so far is
archived (the ordinance, § 5), through office_update's before_change."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError

from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import Office
from ocenurzad.offices.services import office_update
from ocenurzad.reports import archive
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.surveys.services import office_before_change_report

from .conftest import answer

pytestmark = pytest.mark.django_db


def update(office, admin, **data):
    return office_update(
        office=office,
        actor=admin,
        data=data,
        before_change=partial(office_before_change_report, actor=admin),
    )


def test_a_change_residents_see_archives_the_report_first(office, admin):
    answer(office, office.survey.current_version)

    update(office, admin, name="Urząd Miasta Świnoujście")

    archived = ArchivedReport.objects.get(office=office)
    assert archived.reason == ArchivedReport.Reason.BEFORE_OFFICE_CHANGE
    assert archived.figures["method"]["responses"] == 1
    # the report shows the office as it was
    assert archived.figures["office"]["name"] == "Urząd Swinoujscie"
    assert Office.objects.get(pk=office.pk).name == "Urząd Miasta Świnoujście"


def test_a_change_residents_do_not_see_archives_nothing(office, admin, quick_archive):
    update(office, admin, opening_hours="pn–pt 7:30–15:30", require_2fa=True)

    assert quick_archive == []
    assert Office.objects.get(pk=office.pk).opening_hours == "pn–pt 7:30–15:30"


def test_without_the_report_the_office_data_stay_as_they_were(office, admin, monkeypatch):
    def broken(**_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(archive, "report_archive_all_so_far", broken)

    with pytest.raises(ValidationError) as refused:
        update(office, admin, name="Nowa nazwa", phone="91 321 00 00")

    assert "dane urzędu nie zostały zmienione" in refused.value.messages[0]
    office.refresh_from_db()
    assert office.name == "Urząd Swinoujscie" and office.phone == ""
    assert not AuditEntry.objects.filter(action="office.update").exists()
