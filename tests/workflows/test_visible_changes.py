"""§ 5 the same everywhere: every change residents see comes with the report of the results
so far, stored together with the change — never one without the other (workflows).

The residents-do-not-wait side (the report drawn outside any transaction) is
test_residents_do_not_wait.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ocenurzad.audit.models import AuditEntry
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_execute
from ocenurzad.offices.logo import CheckedLogo
from ocenurzad.offices.models import Department, Office
from ocenurzad.offices.services import OFFICE_DATA_FIELDS, RESIDENT_VISIBLE_FIELDS
from ocenurzad.reports.archive import archived_report_orphans
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.services import DraftConflict, PublishFailed, survey_draft_get_or_create
from ocenurzad.workflows import visible_changes as section5
from ocenurzad.workflows.models import VisibleChange

from .conftest import answer, files

pytestmark = pytest.mark.django_db

BEFORE = "report.before_change"


def _png() -> CheckedLogo:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 20), (11, 61, 117)).save(buffer, "PNG")
    return CheckedLogo(buffer.getvalue(), "png")


def _data(office: Office, **changes) -> dict:
    data = {name: getattr(office, name) for name in OFFICE_DATA_FIELDS}
    data.update(changes)
    return data


# --- The survey ------------------------------------------------------------------------


def test_publishing_stores_the_report_of_all_results_so_far_with_it(office, admin):
    # given answers to version 1, the oldest from long ago (the real PDF renderer here)
    old = Response.objects.get(pk=answer(office, rating=2))
    Response.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=800))
    old.refresh_from_db()
    for _ in range(4):
        answer(office, rating=5)
    draft = survey_draft_get_or_create(office=office, actor=admin)

    # when the draft is published through the workflow
    outcome = section5.survey_publish(office=office, actor=admin, draft=draft, revision=1)

    # then the new version is current, and the change names its report of every answer
    # so far — of version 1, as it was before the change, "stan na" the cut-off
    version = outcome.result
    assert version.status == SurveyVersion.Status.PUBLISHED and version.number == 2
    change = VisibleChange.objects.get(office=office)
    assert change == outcome.change and change.kind == "survey_publish"
    archived = change.report
    assert archived.reason == ArchivedReport.Reason.BEFORE_SURVEY_CHANGE
    assert archived.created_by == admin
    assert archived.figures["method"]["responses"] == 5
    assert archived.period_start == timezone.localdate(old.submitted_at)
    assert [v["code"] for v in archived.figures["method"]["versions"]] == ["SWINOUJSCIE-V1"]
    assert archived.figures["as_of"] == timezone.localtime(change.report_as_of).isoformat(
        timespec="seconds"
    )
    assert archived.pdf.read().startswith(b"%PDF")
    entry = AuditEntry.objects.get(action=BEFORE)
    assert entry.after["report"] == archived.pk and entry.after["reused"] is False
    assert entry.after["change"] == "survey_publish"


def test_a_report_that_cannot_be_made_publishes_nothing(office, admin, monkeypatch, media):
    def broken(**_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(section5, "report_so_far_compute", broken)
    draft = survey_draft_get_or_create(office=office, actor=admin)

    with pytest.raises(PublishFailed) as refused:
        section5.survey_publish(office=office, actor=admin, draft=draft)

    assert "ankieta nie została opublikowana" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["survey.publish", BEFORE]).exists()
    assert files(media) == []


def test_a_failure_after_the_report_was_stored_takes_report_and_files_back(
    office, admin, monkeypatch, media, quick_pdf
):
    """The archive entry is written in the change's transaction: it goes with it, and
    the files rendered for it are deleted."""
    answer(office)
    draft = survey_draft_get_or_create(office=office, actor=admin)
    real = section5.audit_record

    def stored_then_broken(**kwargs):
        assert ArchivedReport.objects.count() == 1
        real(**kwargs)
        raise RuntimeError("the connection broke")

    monkeypatch.setattr(section5, "audit_record", stored_then_broken)

    with pytest.raises(RuntimeError):
        section5.survey_publish(office=office, actor=admin, draft=draft)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert files(media) == [] and archived_report_orphans(office=office) == []


def test_a_refused_publish_archives_nothing(office, admin, quick_pdf, media):
    draft = survey_draft_get_or_create(office=office, actor=admin)

    with pytest.raises(DraftConflict):
        section5.survey_publish(office=office, actor=admin, draft=draft, revision=7)

    assert quick_pdf == []  # refused before any report was drawn
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert files(media) == []


# --- Office data -----------------------------------------------------------------------

VISIBLE_VALUES = {
    "name": "Urząd Miasta Świnoujście",
    "office_type": "starostwo",
    "street_address": "ul. Wojska Polskiego 1/5",
    "postal_code": "72-600",
    "city": "Świnoujście",
    "phone": "91 321 00 00",
    "email": "um@swinoujscie.pl",
    "website": "https://www.swinoujscie.pl/",
    "bip_url": "https://bip.um.swinoujscie.pl/",
    "opening_hours": "pn–pt 7:30–15:30",
    "controller": "Prezydent Miasta Świnoujście",
    "dpo_contact": "iod@um.swinoujscie.pl",
    "accessibility_contact": "dostepnosc@um.swinoujscie.pl",
    "languages": ["en", "uk"],
}


def test_every_field_residents_see_is_listed_and_staff_settings_are_not():
    assert set(VISIBLE_VALUES) | {"logo"} == RESIDENT_VISIBLE_FIELDS
    assert set(OFFICE_DATA_FIELDS) - RESIDENT_VISIBLE_FIELDS == {"require_2fa", "networks"}


@pytest.mark.parametrize("field", sorted(VISIBLE_VALUES))
def test_each_field_residents_see_changes_with_the_report(office, admin, quick_pdf, field):
    answer(office)

    outcome = section5.office_data_save(
        office=office, actor=admin, data=_data(office, **{field: VISIBLE_VALUES[field]})
    )

    office.refresh_from_db()
    assert getattr(office, field) == VISIBLE_VALUES[field]
    change = VisibleChange.objects.get(office=office)
    assert change == outcome.change and change.kind == "office_data"
    assert change.summary == [section5.FIELD_LABELS[field]]
    assert change.report.reason == ArchivedReport.Reason.BEFORE_OFFICE_CHANGE
    # the report shows the office as it was before the change
    assert change.report.figures["office"]["name"] == "Urząd Swinoujscie"
    assert len(quick_pdf) == 1


def test_a_new_logo_and_a_removed_logo_change_with_the_report(office, admin, quick_pdf):
    section5.office_data_save(office=office, actor=admin, data=_data(office), logo=_png())
    office.refresh_from_db()
    assert office.logo.name
    answer(office)  # so the second change cannot refer to the first one's report

    section5.office_data_save(office=office, actor=admin, data=_data(office), remove_logo=True)

    office.refresh_from_db()
    assert not office.logo.name
    assert [c.summary for c in VisibleChange.objects.order_by("pk")] == [["logo"], ["logo"]]
    assert ArchivedReport.objects.count() == 2


@pytest.mark.parametrize(("field", "value"), [("require_2fa", True), ("networks", ["10.0.0.0/24"])])
def test_a_change_nobody_sees_archives_nothing(office, admin, quick_pdf, field, value):
    answer(office)

    outcome = section5.office_data_save(
        office=office, actor=admin, data=_data(office, **{field: value})
    )

    office.refresh_from_db()
    assert getattr(office, field) == value
    assert outcome.change is None
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert not AuditEntry.objects.filter(action=BEFORE).exists()
    assert quick_pdf == []


def test_a_refused_change_archives_nothing(office, admin, quick_pdf, media):
    answer(office)

    with pytest.raises(ValidationError):
        section5.office_data_save(
            office=office, actor=admin, data=_data(office, name="Nowa", postal_code="72600")
        )

    office.refresh_from_db()
    assert office.name == "Urząd Swinoujscie"
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert files(media) == []


# --- Departments -----------------------------------------------------------------------


def _operation(office, op):
    first = office.departments.order_by("position").first()
    return {
        "add": {"op": "add", "name": "Wydział Podatków"},
        "rename": {"op": "rename", "id": first.pk, "name": "Wydział Komunikacji i Transportu"},
        "move": {"op": "move", "id": first.pk, "direction": "down"},
        "reorder": {
            "op": "reorder",
            "order": list(office.departments.order_by("-position").values_list("pk", flat=True)),
        },
        "deactivate": {"op": "active", "id": first.pk, "active": False},
        "translate": {"op": "translate", "names": {str(first.pk): {"en": "Transport Department"}}},
    }[op]


@pytest.mark.parametrize("op", ["add", "rename", "move", "reorder", "deactivate", "translate"])
def test_each_department_operation_changes_with_the_report(office, admin, quick_pdf, op):
    answer(office)

    outcome = section5.departments_change(
        office=office, actor=admin, operations=[_operation(office, op)]
    )

    change = VisibleChange.objects.get(office=office)
    assert change == outcome.change and change.kind == "departments" and change.summary
    assert change.report.reason == ArchivedReport.Reason.BEFORE_OFFICE_CHANGE
    assert AuditEntry.objects.filter(action=BEFORE).count() == 1
    assert AuditEntry.objects.filter(action__startswith="department.").count() == 1


def test_reordering_many_departments_is_one_change_with_one_report(office, admin, quick_pdf):
    for name in ("Wydział Podatków", "Biuro Obsługi Interesantów", "Referat Oświaty"):
        Department.objects.create(office=office, name=name, position=office.departments.count())
    answer(office)
    reversed_order = list(office.departments.order_by("-position").values_list("pk", flat=True))

    section5.departments_reorder(office=office, actor=admin, order=reversed_order)

    assert list(office.departments.order_by("position").values_list("pk", flat=True)) == (
        reversed_order
    )
    assert VisibleChange.objects.count() == 1 and ArchivedReport.objects.count() == 1
    assert len(quick_pdf) == 1
    assert AuditEntry.objects.filter(action="department.reorder").count() == 1


def test_several_department_edits_saved_together_are_one_change(office, admin, quick_pdf):
    answer(office)
    first, second = office.departments.order_by("position")

    outcome = section5.departments_change(
        office=office,
        actor=admin,
        operations=[
            {"op": "add", "name": "Wydział Podatków"},
            {"op": "rename", "id": second.pk, "name": "USC"},
            {"op": "active", "id": first.pk, "active": False},
        ],
    )

    assert len(outcome.change.summary) == 3
    assert VisibleChange.objects.count() == 1 and ArchivedReport.objects.count() == 1


def test_one_refused_edit_undoes_the_others_and_archives_nothing(office, admin, quick_pdf, media):
    answer(office)
    first, second = office.departments.order_by("position")

    with pytest.raises(ValidationError):
        section5.departments_change(
            office=office,
            actor=admin,
            operations=[
                {"op": "add", "name": "Wydział Podatków"},
                {"op": "rename", "id": second.pk, "name": first.name},  # taken
            ],
        )

    assert not office.departments.filter(name="Wydział Podatków").exists()
    assert not ArchivedReport.objects.exists() and not VisibleChange.objects.exists()
    assert files(media) == []
    assert quick_pdf == []  # refused before any report was drawn


# --- Reuse of the previous report ------------------------------------------------------


def test_without_new_responses_a_change_refers_to_the_previous_report(office, admin, quick_pdf):
    answer(office)
    first_dept = office.departments.order_by("position").first()
    first = section5.department_rename(
        office=office, actor=admin, department=first_dept, name="Wydział Komunikacji i Dróg"
    ).change

    # no response since: the next changes refer to the same report, audited as reused
    second = section5.office_data_save(
        office=office, actor=admin, data=_data(office, opening_hours="pn 8–17")
    ).change
    plan = section5.visible_change_plan(office=office)

    assert second.report == first.report and second.report_reused
    assert second.report_as_of == first.report_as_of
    assert plan.reuse == second
    assert ArchivedReport.objects.count() == 1 and len(quick_pdf) == 1
    reused = AuditEntry.objects.filter(action=BEFORE).order_by("pk").last()
    assert reused.after["reused"] is True and reused.after["report"] == first.report_id


@pytest.mark.parametrize("how", ["online", "paper typed in", "paper deleted"])
def test_a_response_since_the_cut_off_means_a_new_report(office, admin, quick_pdf, how):
    answer(office)
    first = section5.office_data_save(
        office=office, actor=admin, data=_data(office, phone="91 000 00 00")
    ).change
    if how == "online":
        answer(office, rating=1)
    elif how == "paper typed in":
        # a sheet filled in last month, typed in now: its date is before the cut-off
        Response.objects.create(
            office=office,
            version=office.survey.current_version,
            channel="paper",
            submitted_at=first.report_as_of - timedelta(days=30),
            entered_at=timezone.now(),
            answers={"ocena_ogolna": 1},
        )
    else:
        # a sheet deleted by a clerk (as response_delete_paper does it: row and audit)
        Response.objects.filter(office=office).delete()
        AuditEntry.objects.create(office=office, action="response.paper_delete", target_type="")

    assert section5.visible_change_plan(office=office).reuse is None
    second = section5.office_data_save(
        office=office, actor=admin, data=_data(office, phone="91 111 11 11")
    ).change

    assert not second.report_reused and second.report != first.report
    assert second.report_as_of > first.report_as_of


def test_a_report_counts_only_responses_before_its_cut_off(office, admin):
    from ocenurzad.reports.archive import report_so_far_compute

    answer(office)
    cut_off = timezone.now()
    later = answer(office)
    Response.objects.filter(pk=later).update(submitted_at=cut_off + timedelta(seconds=1))

    report = report_so_far_compute(office=office, actor=admin, as_of=cut_off)

    assert report["method"]["responses"] == 1
    assert report["as_of"] == timezone.localtime(cut_off).isoformat(timespec="seconds")


# --- In the background -----------------------------------------------------------------


def test_a_long_report_is_drawn_by_a_job_that_then_makes_the_change(
    office, admin, quick_pdf, settings, client
):
    settings.REPORT_BEFORE_CHANGE_INLINE_MAX = 0
    answer(office)
    client.force_login(admin)
    first = office.departments.order_by("position").first()

    page = client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{first.pk}/nazwa/",
        {f"d{first.pk}-name": "Wydział Komunikacji i Dróg"},
    )

    job = Job.objects.get(office=office)
    assert page.status_code == 302 and page["Location"].endswith(f"/zadania/{job.pk}/")
    first.refresh_from_db()
    assert first.name == "Wydział Komunikacji" and not VisibleChange.objects.exists()

    done = job_execute(job_id=job.pk)
    assert done.state == "succeeded", done.error
    first.refresh_from_db()
    change = VisibleChange.objects.get(office=office)
    assert first.name == "Wydział Komunikacji i Dróg" and change.job_id == job.pk
    shown = client.get(page["Location"]).content.decode()
    assert f"/admin/raporty/archiwum/{change.report_id}/pdf/" in shown

    # idempotent: a second run after a worker died does not make the change again
    Job.objects.filter(pk=job.pk).update(state="queued")
    job_execute(job_id=job.pk)
    assert VisibleChange.objects.count() == 1


def test_a_refused_change_in_a_job_fails_it_with_the_reason(office, admin, quick_pdf):
    answer(office)
    first, second = office.departments.order_by("position")
    job = section5.visible_change_enqueue(
        office=office,
        actor=admin,
        operation="departments",
        params={"operations": [{"op": "rename", "id": second.pk, "name": first.name}]},
    )

    done = job_execute(job_id=job.pk)

    assert done.state == "failed" and "już jest na liście" in done.error
    assert quick_pdf == []
    assert not ArchivedReport.objects.exists()


# --- The pages -------------------------------------------------------------------------


def test_the_pages_say_so_before_saving_and_link_the_report_after(office, admin, quick_pdf, client):
    answer(office)
    client.force_login(admin)
    before = client.get(f"/{office.slug}/admin/urzad/wydzialy/").content.decode()
    assert "najpierw zapisze w archiwum raport ze wszystkich dotychczasowych wyników" in before

    client.post(f"/{office.slug}/admin/urzad/wydzialy/", {"new-name": "Wydział Podatków"})

    after = client.get(f"/{office.slug}/admin/urzad/wydzialy/").content.decode()
    change = VisibleChange.objects.get()
    assert f"/admin/raporty/archiwum/{change.report_id}/pdf/" in after
    assert "nie wpłynęła żadna ankieta" in after  # the next change would refer to it
    office_page = client.get(f"/{office.slug}/admin/urzad/").content.decode()
    assert "nie tworzy raportu" in office_page


def test_the_order_form_saves_the_whole_order_as_one_change(office, admin, quick_pdf, client):
    Department.objects.create(office=office, name="Wydział Podatków", position=2)
    answer(office)
    client.force_login(admin)
    a, b, c = office.departments.order_by("position")
    assert (
        "Kolejność wszystkich wydziałów naraz"
        in client.get(f"/{office.slug}/admin/urzad/wydzialy/").content.decode()
    )

    # the last one first, the other two keep their order (a tie keeps the old order)
    page = client.post(
        f"/{office.slug}/admin/urzad/wydzialy/kolejnosc/",
        {f"place-{a.pk}": "2", f"place-{b.pk}": "2", f"place-{c.pk}": "1"},
    )

    assert page.status_code == 302
    assert list(office.departments.order_by("position")) == [c, a, b]
    assert VisibleChange.objects.count() == 1 and len(quick_pdf) == 1
    assert AuditEntry.objects.filter(action="department.reorder").count() == 1


def test_department_names_in_other_languages_go_to_a_job_when_long(
    office, admin, quick_pdf, settings, client
):
    settings.REPORT_BEFORE_CHANGE_INLINE_MAX = 0
    answer(office)
    client.force_login(admin)
    first, second = office.departments.order_by("position")

    page = client.post(
        f"/{office.slug}/admin/urzad/wydzialy/tlumaczenia/",
        {f"d{first.pk}_en": "Transport", f"d{second.pk}_en": "Civil Status Office"},
    )

    job = Job.objects.get(office=office)
    assert page.status_code == 302 and page["Location"].endswith(f"/zadania/{job.pk}/")
    assert job_execute(job_id=job.pk).state == "succeeded"
    first.refresh_from_db()
    assert first.name_translations["en"] == "Transport"
    assert VisibleChange.objects.get().summary == ["nazwy wydziałów w innych językach (2)"]
