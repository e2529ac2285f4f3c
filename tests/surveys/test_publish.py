"""Publishing: the report of all results so far is archived first, in the same
transaction (the ordinance, § 5); without it nothing changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ocenurzad.audit.models import AuditEntry
from ocenurzad.reports import archive
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.selectors import (
    survey_version_current,
    survey_version_get,
    survey_version_get_any,
)
from ocenurzad.surveys.services import (
    DefinitionInvalid,
    DraftConflict,
    PublishFailed,
    survey_draft_get_or_create,
    survey_draft_question_remove,
    survey_draft_section_add,
    survey_version_publish,
)

from .conftest import answer

pytestmark = pytest.mark.django_db


def test_publishing_archives_the_report_of_all_results_so_far_first(office, admin, draft):
    # Given answers to version 1, the oldest from long ago
    v1 = office.survey.current_version
    old = answer(office, v1, rating=2)
    Response.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=800))
    old.refresh_from_db()
    for _ in range(4):
        answer(office, v1, rating=5)

    # When the draft is published
    v2 = survey_version_publish(office=office, actor=admin, draft=draft)

    # Then one report covering every answer so far is in the archive, made before the change
    archived = ArchivedReport.objects.get(office=office)
    assert archived.reason == ArchivedReport.Reason.BEFORE_SURVEY_CHANGE
    assert archived.created_by == admin
    assert archived.figures["method"]["responses"] == 5
    assert archived.period_start == timezone.localdate(old.submitted_at)
    assert archived.period_end == timezone.localdate()
    assert [v["code"] for v in archived.figures["method"]["versions"]] == ["SWINOUJSCIE-V1"]
    assert archived.created_at <= v2.published_at
    entry = AuditEntry.objects.get(action="survey.publish")
    assert entry.after == {"current_version": 2, "revision": 1, "report": archived.pk}
    assert entry.before == {"current_version": 1}


def test_the_published_draft_becomes_the_current_version(office, admin, draft, quick_archive):
    v2 = survey_version_publish(office=office, actor=admin, draft=draft)

    office.survey.refresh_from_db()
    assert office.survey.current_version == v2
    assert survey_version_current(office=office) == v2
    assert (v2.status, v2.number, v2.published_by) == ("published", 2, admin)
    assert v2.published_at is not None
    # the report was asked for while version 1 was still current and the draft a draft
    assert quick_archive == [
        {
            "office": office,
            "actor": admin,
            "reason": "before_survey_change",
            "current_version": v2.based_on_id,
            "drafts": [v2.pk],
        }
    ]


def test_a_report_that_cannot_be_made_leaves_everything_unchanged(
    office, admin, draft, monkeypatch
):
    def broken(**_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(archive, "report_archive_all_so_far", broken)
    v1 = office.survey.current_version

    with pytest.raises(PublishFailed) as refused:
        survey_version_publish(office=office, actor=admin, draft=draft)

    assert "ankieta nie została opublikowana" in refused.value.message
    draft.refresh_from_db()
    office.survey.refresh_from_db()
    assert (draft.status, draft.number, draft.revision) == ("draft", 2, 1)
    assert draft.published_at is None and draft.published_by is None
    assert office.survey.current_version == v1
    assert not ArchivedReport.objects.exists()
    assert not AuditEntry.objects.filter(action="survey.publish").exists()


def test_a_failure_after_the_report_was_stored_takes_the_report_back_too(
    office, admin, draft, monkeypatch
):
    """The archive row is written in the publish's transaction: it goes with it."""
    real = archive.report_archive_all_so_far

    def stored_then_broken(**kwargs):
        real(**kwargs)
        assert ArchivedReport.objects.count() == 1
        raise RuntimeError("the connection broke")

    monkeypatch.setattr(archive, "report_archive_all_so_far", stored_then_broken)

    with pytest.raises(PublishFailed):
        survey_version_publish(office=office, actor=admin, draft=draft)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not ArchivedReport.objects.exists()
    assert not AuditEntry.objects.filter(action="survey.publish").exists()


def test_an_invalid_draft_is_not_published_and_no_report_is_made(
    office, admin, draft, quick_archive
):
    survey_draft_section_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=1,
        key="pusta",
        kind="area",
        title_pl="Pusta sekcja",
    )

    with pytest.raises(DefinitionInvalid) as refused:
        survey_version_publish(office=office, actor=admin, draft=draft)

    assert "Sekcja „Pusta sekcja” nie ma żadnego pytania" in refused.value.errors[0].message
    assert quick_archive == []
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_changed_since_it_was_reviewed_is_not_published(
    office, admin, other_admin, draft, quick_archive
):
    survey_draft_question_remove(
        office=office, actor=other_admin, draft=draft, revision=1, key="metryka_plec"
    )

    with pytest.raises(DraftConflict):
        survey_version_publish(office=office, actor=admin, draft=draft, revision=1)

    assert quick_archive == []


def test_responses_keep_their_version_and_old_versions_stay_viewable(
    office, admin, draft, quick_archive
):
    v1 = office.survey.current_version
    before = answer(office, v1)
    draft = survey_draft_question_remove(
        office=office, actor=admin, draft=draft, revision=1, key="metryka_plec"
    )
    v2 = survey_version_publish(office=office, actor=admin, draft=draft)
    after = answer(office, survey_version_current(office=office))

    before.refresh_from_db()
    assert before.version == v1
    assert after.version == v2
    old = survey_version_get(office=office, version_id=v1.pk)
    assert "metryka_plec" in [q["key"] for s in old.definition["sections"] for q in s["questions"]]
    assert survey_version_get_any(office=office, version_id=v1.pk) == v1


def test_versions_are_numbered_in_order_of_publishing(office, admin, draft, quick_archive):
    v2 = survey_version_publish(office=office, actor=admin, draft=draft)
    draft = survey_draft_get_or_create(office=office, actor=admin)
    v3 = survey_version_publish(office=office, actor=admin, draft=draft)

    assert (v2.number, v3.number) == (2, 3)
    assert v3.based_on == v2
    assert v3.code == "SWINOUJSCIE-V3"
    assert list(SurveyVersion.objects.filter(office=office).values_list("number", "status")) == [
        (1, "published"),
        (2, "published"),
        (3, "published"),
    ]
