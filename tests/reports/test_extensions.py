"""Sections that apps above reports add (reports/extensions.py): computed with the report,
stored in it, printed after "Obszary do poprawy" on the screen and in the PDF."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from ocenurzad.reports.archive import report_content_key
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.extensions import (
    ReportSection,
    report_section_register,
    report_section_unregister,
)
from ocenurzad.reports.render.html import report_html
from ocenurzad.reports.render.pdf import report_document_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_section(settings):
    settings.TEMPLATES = [
        {**engine, "DIRS": [*engine.get("DIRS", []), Path(__file__).parent / "templates"]}
        for engine in settings.TEMPLATES
    ]
    calls = []

    def compute(*, office, start, end, department_id, channel, report):
        calls.append((office.slug, start, end, department_id, channel, report["params"]["end"]))
        return {"rows": [{"name": "Dłuższe godziny w czwartki", "change": "+0,3"}]}

    section = ReportSection(
        key="test_extra",
        title=lambda: "Działania i ich zmiana po wdrożeniu",
        compute=compute,
        template="tests/report_extra_section.html",
        context=lambda data, *, medium: {"rows": data["rows"], "print": medium.print},
    )
    report_section_register(section)
    yield calls
    report_section_unregister("test_extra")


def _report(office):
    today = timezone.localdate()
    return report_compute(office=office, start=today - timedelta(days=30), end=today)


def test_a_registered_section_is_computed_stored_and_printed_after_improvement(
    office, extra_section
):
    # given a section registered by a layer above reports
    # when the report is computed
    report = _report(office)
    # then its data is in the computed report (so the archive keeps it) …
    assert report["extra_sections"]["test_extra"]["rows"][0]["name"] == "Dłuższe godziny w czwartki"
    assert extra_section[0][0] == office.slug
    # … and the screen and the PDF print it under its heading, listed in the contents
    html = str(report_html(report))
    assert 'id="raport-test-extra"' in html
    assert "Dłuższe godziny w czwartki" in html
    assert html.count('href="#raport-test-extra"') == 1
    assert html.index('id="raport-test-extra"') < html.index('id="raport-kwestionariusz"')
    assert "print=True" in report_document_html(report)


def test_without_sections_the_report_and_its_content_key_stay_as_they_were(office, extra_section):
    with_section = _report(office)
    report_section_unregister("test_extra")
    without = _report(office)
    assert "extra_sections" not in without
    assert report_content_key(with_section) != report_content_key(without)
    # a stored section nobody registers any more is not printed (its data stays)
    assert 'id="raport-test-extra"' not in str(report_html(with_section))
