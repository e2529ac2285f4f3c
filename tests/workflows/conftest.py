"""§ 5 workflows: staff, answers and a quick stand-in for the PDF renderer."""

import secrets

import pytest

from ocenurzad.accounts.models import Role, User
from ocenurzad.reports import archive
from ocenurzad.responses.services import response_submit_online
from ocenurzad.surveys.answers import ParsedAnswers


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Archived reports write their files here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(office):
    return User.objects.create_user(
        username="sekretarz",
        password="x",
        first_name="Ewa",
        last_name="Sekretarz",
        office=office,
        role=Role.OFFICE_ADMIN,
    )


@pytest.fixture
def quick_pdf(monkeypatch):
    """The report's PDF as a few bytes: WeasyPrint takes seconds per report, and these
    tests are about when and with what a report is archived, not how it looks. Records
    the figures of each report rendered."""
    rendered = []

    def render(report):
        rendered.append(report)
        return b"%PDF-1.4\n% " + str(len(rendered)).encode() + b"\n"

    monkeypatch.setattr(archive, "report_pdf", render)
    return rendered


def answer(office, rating: int = 4) -> int:
    """One resident's online answer to the current version, as the survey page stores it."""
    return response_submit_online(
        office=office,
        version=office.survey.current_version,
        parsed=ParsedAnswers(
            answers={"wizerunek_lokalizacja": rating, "ocena_ogolna": rating},
            department_id=office.departments.first().pk,
        ),
        nonce=secrets.token_hex(16),
        source="",
        language="pl",
    )


def files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
