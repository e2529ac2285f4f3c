"""``manage.py report`` and ``manage.py archive``."""

import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ocenurzad.reports.archive import archived_report_create, archived_reports
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# A whole month that is over, preceded by one of the same length: filtered reports, their
# comparison, the comments and the raw answers all need whole months (disclosure.py).
MONTH = ("2025-08-01", "2025-08-31")


@pytest.fixture
def answered(office):
    for channel, count in (("online", 6), ("paper", 5)):
        for _ in range(count):
            Response.objects.create(
                office=office,
                version=office.survey.current_version,
                channel=channel,
                department=office.departments.first(),
                submitted_at=datetime(2025, 8, 12, 12, tzinfo=timezone.get_default_timezone()),
                answers={
                    "wizerunek_lokalizacja": 5,
                    "ocena_ogolna": 4,
                    "co_poprawic": "Więcej ławek w holu",
                },
            )
    return office


def _dates():
    return ["--from", MONTH[0], "--to", MONTH[1]]


def _report(office, *args) -> str:
    out = StringIO()
    call_command("report", office.slug, *_dates(), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("pdf", lambda data: data.startswith(b"%PDF")),
        ("xlsx", lambda data: data.startswith(b"PK")),
        ("csv", lambda data: data.startswith(b"\xef\xbb\xbf")),
        ("json", lambda data: json.loads(data)["method"]["responses"] == 11),
        (
            "html",
            lambda data: (
                data.lstrip().lower().startswith(b"<!doctype html>")
                and b"</html>" in data
                and "Więcej ławek w holu".encode() in data
            ),
        ),
    ],
)
def test_the_report_command_writes_each_format(answered, tmp_path, fmt, check):
    target = tmp_path / f"raport.{fmt}"

    said = _report(answered, "--format", fmt, "-o", str(target))

    assert check(target.read_bytes())
    assert str(target) in said
    assert not ArchivedReport.objects.exists()


def test_the_html_file_carries_its_styles_inside(answered, tmp_path):
    target = tmp_path / "raport.html"
    _report(answered, "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert "<style>" in html
    assert 'rel="stylesheet"' not in html


def test_the_report_command_applies_filters(answered, tmp_path):
    target = tmp_path / "papier.json"
    department = answered.departments.first()
    _report(
        answered,
        "--format",
        "json",
        "-o",
        str(target),
        "--channel",
        "paper",
        "--department",
        str(department.pk),
        "--compare",
    )
    data = json.loads(target.read_bytes())
    assert data["method"]["responses"] == 5
    assert data["params"]["channel"] == "paper"
    assert data["params"]["department"]["id"] == department.pk
    assert data["comparison"] is not None


def test_the_csv_dialect_can_be_standard(answered, tmp_path):
    target = tmp_path / "odpowiedzi.csv"
    _report(answered, "--format", "csv", "--csv-dialect", "excel", "-o", str(target))
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "," in header and ";" not in header


def test_the_report_command_can_archive_as_scheduled(answered, tmp_path):
    said = _report(answered, "--format", "json", "-o", str(tmp_path / "r.json"), "--archive")
    archived = ArchivedReport.objects.get()
    assert archived.reason == ArchivedReport.Reason.SCHEDULED
    assert archived.sha256 in said


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nieznany", "--from", "2025-01-01", "--to", "2025-01-31"], "Nie ma urzędu"),
        (["{office}", "--from", "2025-13-01", "--to", "2025-12-31"], "--from: „2025-13-01”"),
        (["{office}", "--from", "2025-03-01", "--to", "2025-02-01"], "nie może być wcześniejsza"),
        (["{office}", "--from", "2025-03-01", "--to", "2999-02-01"], "późniejsza niż dzisiaj"),
        (["{office}", "--from", "1999-01-01", "--to", "2000-02-01"], "2000-01-01"),
        (["{office}", "--from", "2025-01-01", "--to", "2025-01-31", "--channel", "fax"], "kanał"),
        (
            ["{office}", "--from", "2025-01-01", "--to", "2025-01-31", "--department", "{foreign}"],
            "nie należy do urzędu",
        ),
        (["{office}", "--from", "2025-01-01", "--to", "2025-01-31", "--format", "doc"], "format"),
    ],
)
def test_the_report_command_refuses_bad_input_in_polish(
    office, other_office, tmp_path, args, words
):
    foreign = other_office.departments.first().pk
    args = [a.format(office=office.slug, foreign=foreign) for a in args]
    if "--format" not in args:
        args += ["--format", "json"]
    with pytest.raises(CommandError) as error:
        call_command("report", *args, "-o", str(tmp_path / "x"))
    assert words in str(error.value)
    assert not (tmp_path / "x").exists()


def _archive(office, reason=ArchivedReport.Reason.ON_REQUEST, days=7):
    today = timezone.localdate()
    return archived_report_create(
        office=office,
        actor=None,
        report=report_compute(office=office, start=today - timedelta(days=days), end=today),
        reason=reason,
    )


def test_the_archive_command_lists_and_verifies(office, other_office):
    first = _archive(office)
    second = _archive(office, ArchivedReport.Reason.BEFORE_SURVEY_CHANGE, days=8)
    _archive(other_office)

    out = StringIO()
    call_command("archive", office.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 + 2
    assert lines[1].startswith(f"{second.pk}\t")
    assert "przed zmianą ankiety" in lines[1]
    assert first.sha256[:12] in lines[2]

    out = StringIO()
    call_command("archive", office.slug, "--verify", stdout=out)
    assert out.getvalue().count("\tOK") == 2
    assert "wszystkie pliki (PDF i odpowiedzi otwarte) są bez zmian" in out.getvalue()


def test_verify_names_files_no_archived_report_refers_to(office, media):
    _archive(office)
    stray = media / "reports" / office.slug / "2026" / "raport-po-wycofanej-zmianie.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF-1.7")
    out = StringIO()
    call_command("archive", office.slug, "--verify", stdout=out)
    assert "Plik bez wpisu w archiwum" in out.getvalue()
    assert "raport-po-wycofanej-zmianie.pdf" in out.getvalue()
    assert stray.exists(), "listed, never deleted"


def test_the_archive_command_fails_when_a_file_changed(office, media):
    archived = _archive(office)
    (media / archived.pdf.name).write_bytes(b"%PDF-1.7 podmieniony")
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("archive", office.slug, "--verify", stdout=out)
    assert "NIEZGODNA SUMA" in out.getvalue()
    assert "1 z 1" in str(error.value)


def test_the_archive_command_on_an_empty_archive_and_an_unknown_office(office):
    out = StringIO()
    call_command("archive", office.slug, stdout=out)
    assert "jest puste" in out.getvalue()
    assert list(archived_reports(office=office)) == []
    with pytest.raises(CommandError, match="Nie ma urzędu"):
        call_command("archive", "nieznany")


def test_reports_warm_builds_the_counters_ahead_of_the_first_report(office, other_office):
    from datetime import datetime, time, timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from ocenurzad.reports.models import ReportRollup
    from ocenurzad.responses.models import Response

    day = timezone.localdate() - timedelta(days=70)
    Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel="paper",
        submitted_at=timezone.make_aware(datetime.combine(day, time(10))),
        answers={"ocena_ogolna": 5},
    )

    out = StringIO()
    call_command("reports_warm", stdout=out)

    assert ReportRollup.objects.filter(office=office).exists()
    assert not ReportRollup.objects.filter(office=other_office).exists()
    assert "ksiazki: brak ankiet." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("reports_warm", "nie-ma-takiego")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--department", "{department}", "--format", "json"], "mniej niż 5"),
        (["--channel", "paper", "--format", "pdf"], "mniej niż 5"),
        (["--format", "csv", "--to", "2025-08-30"], "pełne, zakończone miesiące"),
    ],
)
def test_the_command_refuses_what_would_single_someone_out(office, tmp_path, args, words):
    for _ in range(3):
        Response.objects.create(
            office=office,
            version=office.survey.current_version,
            channel="paper",
            department=office.departments.first(),
            submitted_at=datetime(2025, 8, 12, 12, tzinfo=timezone.get_default_timezone()),
            answers={"ocena_ogolna": 1},
        )
    args = [a.replace("{department}", str(office.departments.first().pk)) for a in args]
    with pytest.raises(CommandError) as error:
        call_command("report", office.slug, *_dates(), *args, "-o", str(tmp_path / "x"))
    assert words in str(error.value)
    assert not (tmp_path / "x").exists()


def test_archiving_the_same_report_twice_keeps_one_entry(answered, tmp_path):
    first = _report(answered, "--format", "json", "-o", str(tmp_path / "a.json"), "--archive")
    again = _report(answered, "--format", "json", "-o", str(tmp_path / "b.json"), "--archive")
    assert ArchivedReport.objects.count() == 1
    assert "zapisano w archiwum" in first
    assert "jest już w archiwum" in again
