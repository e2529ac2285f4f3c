"""The summary ("Najważniejsze wyniki") of a report whose periods cannot be compared: it
gives the plain reason, never a change — in the JSON, on screen, in the PDF and in the
workbook."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.render.html import report_html
from ocenurzad.reports.render.pdf import report_pdf
from ocenurzad.reports.render.xlsx import report_xlsx
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions
from tests.printing.conftest import pdf_pages_text

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2025, 6, 18, 12, 0, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def respond(office, day, rating):
    version = office.survey.current_version
    answers = {
        q["key"]: rating
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    }
    answers["ocena_ogolna"] = rating
    Response.objects.create(
        office=office,
        version=version,
        channel="paper",
        submitted_at=datetime.combine(day, time(12), tzinfo=WARSAW),
        answers=answers,
    )


@pytest.fixture
def report(office):
    """1–17 June: 40 residents on 17 days rate 5; the 17 days before: 40 on one day rate
    2. A difference of three points that the report must not call a change."""
    for i in range(40):
        respond(office, date(2025, 6, 1) + timedelta(days=i % 17), 5)
        respond(office, date(2025, 5, 20), 2)
    return report_compute(
        office=office, start=date(2025, 6, 1), end=date(2025, 6, 17), compare=True
    )


REASON = "okres porównawczy obejmuje tylko 1 dzień z odpowiedziami, a wybrany okres 17"


def test_summary_of_periods_that_cannot_be_compared_gives_the_reason_not_a_change(report):
    summary = report["summary"]

    assert report["comparison"]["periods_reason"].startswith(REASON)
    assert report["comparison"]["overall"]["diff"] == 3.0  # computed, but not a change
    assert summary["compared"] is True
    assert summary["not_compared"].startswith(REASON)
    assert summary["index"]["change"] is None
    assert summary["changes"] == []


def test_summary_on_screen_and_in_the_pdf_prints_the_reason_and_no_difference(report):
    html = str(report_html(report))
    start = html.index('class="report-section report-page report-summary"')
    on_screen = html[start : html.index("</section>", start)]
    pages = pdf_pages_text(report_pdf(report))
    on_paper = pages[1]  # the summary is page 2, after the cover

    for summary in (on_screen, on_paper):
        flat = " ".join(summary.replace("&nbsp;", " ").split())
        assert "Najważniejsze wyniki" in flat
        assert "Zmiany nie podano: okres porównawczy obejmuje tylko 1 dzień" in flat
        assert "Wyników nie porównano: okres porównawczy" in flat
        assert "+3,00" not in flat and "3,00 —" not in flat
        assert "wiarygodna zmiana" not in flat and "bez istotnej zmiany" not in flat
        assert "Żaden wynik nie zmienił się wiarygodnie" not in flat


def test_workbook_comparison_sheet_gives_the_reason_instead_of_differences(report):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report, responses=iter([]))))
    sheet = book["Porównanie"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]

    assert any(str(c).startswith("Wyników nie porównano: okres porównawczy") for c in cells)
    assert 3.0 not in cells and "PU 95% od" not in cells
