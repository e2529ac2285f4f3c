"""Survey versions: staff, drafts and answers made through the real services."""

import secrets

import pytest

from ocenurzad.accounts.models import Role, User
from ocenurzad.reports import archive
from ocenurzad.responses.models import Response
from ocenurzad.responses.services import response_submit_online
from ocenurzad.surveys.answers import ParsedAnswers
from ocenurzad.surveys.models import Survey, SurveyVersion
from ocenurzad.surveys.services import survey_draft_get_or_create


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Archived reports write their PDF here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(office):
    return User.objects.create_user(
        username="sekretarz", password="x", office=office, role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def other_admin(office):
    return User.objects.create_user(
        username="inspektor", password="x", office=office, role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def draft(office, admin):
    return survey_draft_get_or_create(office=office, actor=admin)


def answer(office, version, rating: int = 4):
    """One resident's online answer to ``version``."""
    pk = response_submit_online(
        office=office,
        version=version,
        parsed=ParsedAnswers(
            answers={"wizerunek_lokalizacja": rating, "ocena_ogolna": rating},
            department_id=office.departments.first().pk,
        ),
        nonce=secrets.token_hex(16),
        source="",
        language="pl",
    )
    return Response.objects.get(pk=pk)


@pytest.fixture
def quick_archive(monkeypatch):
    """Stands in for the report archive in tests about something else: the real
    ``report_archive_all_so_far`` renders a PDF (seconds per call). Records each call
    with the survey as it was at that moment. test_publish.py uses the real one."""
    calls = []

    def record(*, office, actor, reason):
        survey = Survey.objects.get(office=office)
        calls.append(
            {
                "office": office,
                "actor": actor,
                "reason": reason,
                "current_version": survey.current_version_id,
                "drafts": list(
                    SurveyVersion.objects.filter(survey=survey, status="draft").values_list(
                        "pk", flat=True
                    )
                ),
            }
        )

    monkeypatch.setattr(archive, "report_archive_all_so_far", record)
    return calls
