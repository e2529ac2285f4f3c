"""Reading versions: each office sees its own, drafts included where asked."""

import pytest
from django.http import Http404

from ocenurzad.surveys.selectors import survey_draft, survey_version_get_any, survey_versions
from ocenurzad.surveys.services import survey_draft_get_or_create, survey_version_publish

from .conftest import answer

pytestmark = pytest.mark.django_db


def test_versions_come_newest_first_with_response_counts_in_one_query(
    office, other_office, admin, quick_archive, django_assert_num_queries
):
    v1 = office.survey.current_version
    for _ in range(3):
        answer(office, v1)
    answer(other_office, other_office.survey.current_version)
    draft = survey_draft_get_or_create(office=office, actor=admin)
    v2 = survey_version_publish(office=office, actor=admin, draft=draft)
    answer(office, v2)
    draft = survey_draft_get_or_create(office=office, actor=admin)

    with django_assert_num_queries(1):
        rows = [
            (v.number, v.status, v.response_count, v.is_current, v.published_by, v.based_on)
            for v in survey_versions(office=office)
        ]

    assert rows == [
        (3, "draft", 0, False, None, v2),
        (2, "published", 1, True, admin, v1),
        (1, "published", 3, False, None, None),
    ]
    assert [v.response_count for v in survey_versions(office=other_office)] == [1]


def test_any_version_of_the_office_can_be_read_drafts_too(office, other_office, admin):
    draft = survey_draft_get_or_create(office=office, actor=admin)
    foreign = other_office.survey.current_version

    assert survey_version_get_any(office=office, version_id=draft.pk) == draft
    assert survey_version_get_any(office=office, version_id=str(draft.pk)) == draft
    for wrong in (foreign.pk, 999_999, "x", None):
        with pytest.raises(Http404):
            survey_version_get_any(office=office, version_id=wrong)
    with pytest.raises(Http404):
        survey_version_get_any(office=other_office, version_id=draft.pk)


def test_the_draft_is_the_office_s_own(office, other_office, admin):
    assert survey_draft(office=office) is None

    draft = survey_draft_get_or_create(office=office, actor=admin)

    assert survey_draft(office=office) == draft
    assert survey_draft(office=other_office) is None
