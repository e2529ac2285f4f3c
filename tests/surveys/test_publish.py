"""Publishing a draft (the domain service). The report of the results so far that § 5
wants with it is the workflow's: tests/workflows/test_visible_changes.py."""

import pytest

from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.selectors import (
    survey_version_current,
    survey_version_get,
    survey_version_get_any,
)
from ocenurzad.surveys.services import (
    DefinitionInvalid,
    DraftConflict,
    survey_draft_get_or_create,
    survey_draft_question_remove,
    survey_draft_section_add,
    survey_version_publish,
)

from .conftest import answer

pytestmark = pytest.mark.django_db


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
