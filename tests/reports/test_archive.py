"""The report archive: reports kept unchanged, with their checksum, per office."""

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.offices.models import Office
from ocenurzad.reports import archive
from ocenurzad.reports.archive import (
    archived_report_create,
    archived_report_get,
    archived_report_latest,
    archived_report_orphans,
    archived_report_verify,
    archived_reports,
    report_archive_all_so_far,
)
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.models import ArchivedReport, ArchivedReportChangeRefused
from ocenurzad.reports.services import rollups_invalidate_office
from ocenurzad.responses.models import Response

pytestmark = pytest.mark.django_db

Reason = ArchivedReport.Reason


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _respond(office, *, days_ago: int, rating: int = 4, count: int = 5):
    for _ in range(count):
        Response.objects.create(
            office=office,
            version=office.survey.current_version,
            channel="online",
            department=office.departments.first(),
            submitted_at=timezone.now() - timedelta(days=days_ago),
            answers={"wizerunek_lokalizacja": rating, "ocena_ogolna": rating},
        )


def _report(office, days=30, **kwargs):
    today = timezone.localdate()
    return report_compute(office=office, start=today - timedelta(days=days), end=today, **kwargs)


@pytest.fixture
def reporter(office):
    return User.objects.create_user(
        username="anna",
        password="x",
        first_name="Anna",
        last_name="Nowak",
        office=office,
        role=Role.REPORTER,
    )


def test_an_archived_report_keeps_the_pdf_its_checksum_and_who_why(office, reporter, media):
    _respond(office, days_ago=2)
    report = _report(office)

    archived = archived_report_create(
        office=office, actor=reporter, report=report, reason=Reason.ON_REQUEST, note="roczny"
    )

    archived.refresh_from_db()
    stored = (media / archived.pdf.name).read_bytes()
    assert stored.startswith(b"%PDF")
    assert archived.sha256 == hashlib.sha256(stored).hexdigest()
    assert archived.pdf.name.startswith(f"reports/{office.slug}/")
    assert archived.created_by == reporter
    assert archived.created_by_name == "Anna Nowak"
    assert archived.get_reason_display() == "na żądanie"
    assert archived.note == "roczny"
    assert archived.figures == report
    assert archived.params == report["params"]
    assert str(archived.period_start) == report["params"]["start"]
    assert str(archived.period_end) == report["params"]["end"]
    assert archived_report_verify(archived=archived) is True
    assert archived_report_orphans(office=office) == []
    for field, checksum in (
        ("comments_csv", "comments_csv_sha256"),
        ("comments_xlsx", "comments_xlsx_sha256"),
    ):
        body = (media / getattr(archived, field).name).read_bytes()
        assert getattr(archived, checksum) == hashlib.sha256(body).hexdigest()
    assert archived.existing is False


def test_an_archived_report_cannot_be_changed(office, reporter):
    archived = archived_report_create(
        office=office, actor=reporter, report=_report(office), reason=Reason.SCHEDULED
    )
    archived.note = "poprawka"
    with pytest.raises(ArchivedReportChangeRefused):
        archived.save()
    with pytest.raises(ArchivedReportChangeRefused):
        ArchivedReport.objects.filter(pk=archived.pk).update(note="poprawka")
    archived.refresh_from_db()
    assert archived.note == ""


def test_a_report_of_another_office_or_an_unknown_reason_is_refused(office, other_office, media):
    with pytest.raises(ValueError):
        archived_report_create(
            office=office, actor=None, report=_report(other_office), reason=Reason.SCHEDULED
        )
    with pytest.raises(ValueError):
        archived_report_create(office=office, actor=None, report=_report(office), reason="kaprys")
    assert not ArchivedReport.objects.exists()
    assert _files(media) == []


def test_all_results_so_far_run_from_the_first_response_to_today(office, reporter):
    _respond(office, days_ago=400)
    _respond(office, days_ago=3)

    archived = report_archive_all_so_far(
        office=office, actor=reporter, reason=Reason.BEFORE_SURVEY_CHANGE
    )

    today = timezone.localdate()
    assert archived.period_start == timezone.localdate(timezone.now() - timedelta(days=400))
    assert archived.period_end == today
    assert archived.params["compare"] is False
    assert archived.figures["comparison"] is None
    assert archived.figures["method"]["responses"] == 10
    assert archived.get_reason_display() == "przed zmianą ankiety"
    assert archived.figures["generated_by"] == "Anna Nowak"


def test_all_results_so_far_without_any_response_is_today_only(office):
    archived = report_archive_all_so_far(
        office=office, actor=None, reason=Reason.BEFORE_OFFICE_CHANGE
    )
    assert archived.period_start == archived.period_end == timezone.localdate()
    assert archived.created_by is None
    assert archived.figures["method"]["responses"] == 0


def test_when_the_pdf_cannot_be_made_nothing_is_kept_and_the_change_rolls_back(
    office, reporter, media, monkeypatch
):
    _respond(office, days_ago=3)

    def broken(report):
        raise RuntimeError("renderer out of order")

    monkeypatch.setattr(archive, "report_pdf", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        # the caller's change (e.g. the office's new name) and the report: both or neither
        Office.objects.filter(pk=office.pk).update(name="Nowa nazwa")
        report_archive_all_so_far(office=office, actor=reporter, reason=Reason.BEFORE_OFFICE_CHANGE)

    office.refresh_from_db()
    assert office.name != "Nowa nazwa"
    assert not ArchivedReport.objects.exists()
    assert _files(media) == []


def test_a_change_rolled_back_after_its_report_leaves_only_a_file_that_can_be_found(office, media):
    with pytest.raises(RuntimeError), transaction.atomic():
        archived = report_archive_all_so_far(
            office=office, actor=None, reason=Reason.BEFORE_OFFICE_CHANGE
        )
        raise RuntimeError("the change itself failed afterwards")

    assert not ArchivedReport.objects.exists()
    assert archived_report_orphans(office=office) == sorted(
        [archived.pdf.name, archived.comments_csv.name, archived.comments_xlsx.name]
    )


def test_when_the_row_cannot_be_saved_the_file_is_removed(office, media, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise IntegrityError("disk full of rows")

    monkeypatch.setattr(ArchivedReport, "save", refuse)
    with pytest.raises(IntegrityError):
        archived_report_create(
            office=office, actor=None, report=_report(office), reason=Reason.SCHEDULED
        )
    assert _files(media) == []


def test_selectors_see_only_their_own_office(office, other_office):
    assert archived_report_latest(office=office) is None
    older = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.SCHEDULED
    )
    _respond(office, days_ago=1)
    newer = archived_report_create(
        office=office, actor=None, report=_report(office, days=10), reason=Reason.ON_REQUEST
    )
    foreign = archived_report_create(
        office=other_office, actor=None, report=_report(other_office), reason=Reason.SCHEDULED
    )

    assert list(archived_reports(office=office)) == [newer, older]
    assert list(archived_reports(office=other_office)) == [foreign]
    assert archived_report_latest(office=office) == newer
    assert archived_report_get(office=office, report_id=older.pk) == older
    for missing in (foreign.pk, 999_999, "abc", None):
        with pytest.raises(Http404):
            archived_report_get(office=office, report_id=missing)


def test_verify_notices_a_changed_or_missing_file(office, media):
    archived = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.SCHEDULED
    )
    path = media / archived.pdf.name
    path.write_bytes(path.read_bytes() + b"%")
    assert archived_report_verify(archived=archived) is False
    path.unlink()
    assert archived_report_verify(archived=archived) is None


def test_the_same_report_is_archived_once_and_asking_again_answers_with_it(office, reporter, media):
    _respond(office, days_ago=3)
    first = archived_report_create(
        office=office, actor=reporter, report=_report(office), reason=Reason.ON_REQUEST
    )
    files = sorted(_files(media))

    # drawn again later, by someone else, for another reason: same parameters, same figures
    again = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.SCHEDULED, note="x"
    )

    assert again.pk == first.pk
    assert again.existing is True
    assert ArchivedReport.objects.count() == 1
    assert sorted(_files(media)) == files


def test_new_figures_or_other_parameters_are_a_new_entry(office, media):
    _respond(office, days_ago=3)
    first = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.ON_REQUEST
    )
    other_period = archived_report_create(
        office=office, actor=None, report=_report(office, days=20), reason=Reason.ON_REQUEST
    )
    _respond(office, days_ago=2, count=1)  # one more resident: other figures
    rollups_invalidate_office(office=office)
    new_figures = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.ON_REQUEST
    )
    assert len({first.pk, other_period.pk, new_figures.pk}) == 3
    assert not new_figures.existing


def test_two_requests_at_once_store_one_entry(office, media, monkeypatch):
    """The second request misses the entry (not yet committed when it looked), stores its
    files, hits the unique key and answers with the first entry, its files removed."""
    first = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.ON_REQUEST
    )
    files = sorted(_files(media))
    real = archive._existing
    calls = []

    def late(office, key):
        calls.append(key)
        return None if len(calls) == 1 else real(office, key)

    monkeypatch.setattr(archive, "_existing", late)
    second = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.ON_REQUEST
    )
    assert second.pk == first.pk and second.existing
    assert ArchivedReport.objects.count() == 1
    assert sorted(_files(media)) == files


def test_the_content_key_ignores_when_and_by_whom_only(office):
    report = _report(office)
    later = {**report, "generated_at": "2030-01-01T00:00:00+01:00", "generated_by": "Ktoś"}
    assert archive.report_content_key(later) == archive.report_content_key(report)
    changed = {**report, "open_answers_count": report["open_answers_count"] + 1}
    assert archive.report_content_key(changed) != archive.report_content_key(report)


def test_verify_checks_the_comments_annex_too(office, media):
    archived = archived_report_create(
        office=office, actor=None, report=_report(office), reason=Reason.SCHEDULED
    )
    path = media / archived.comments_csv.name
    path.write_bytes(path.read_bytes() + b"x")
    assert archived_report_verify(archived=archived) is False
    path.unlink()
    assert archived_report_verify(archived=archived) is None
