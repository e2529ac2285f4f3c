"""The 2025 report of the demo town, as a new user would first see it: at most 24 pages,
the summary on page 2, the slow department's waiting time found as a hot spot, nothing
listed that could not have been answered.

One demo and one PDF for the whole module (a few seconds of CPU): every test reads them.
"""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction

from ocenurzad.offices.models import Department, Office
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.compute.hotspots import hot_spot_id_parse
from ocenurzad.reports.render.pdf import report_pdf
from tests.printing.conftest import pdf_pages_text

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=WARSAW)  # the demo reaches two years back
MAX_PAGES = 24


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo offices, a department added in 2026, and the 2025 report with its PDF."""
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        transaction.atomic(),  # rolled back below: other modules never see the demo
    ):
        patch.setattr("django.utils.timezone.now", lambda: NOW)
        from django.conf import settings

        patch.setattr(settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        patch.delenv("PORT", raising=False)
        call_command("demo", stdout=StringIO())
        office = Office.objects.get(slug="swinoujscie")
        Department.objects.create(
            office=office, name="Wydział Nowy 2026", position=99, valid_from=date(2026, 3, 2)
        )
        report = report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 12, 31))
        pdf = report_pdf(report)
        names = dict(office.departments.values_list("pk", "name"))
        yield {"report": report, "pages": pdf_pages_text(pdf), "names": names}
        transaction.set_rollback(True)


def test_the_2025_demo_pdf_has_at_most_24_pages_and_the_summary_on_page_two(demo):
    pages = demo["pages"]

    assert len(pages) <= MAX_PAGES
    assert pages[1].startswith("Najważniejsze wyniki")
    assert "Spis treści" in pages[0]


def test_no_page_of_the_demo_pdf_holds_only_a_heading_or_a_sentence(demo):
    for number, page in enumerate(demo["pages"], start=1):
        body = re.sub(r"strona \d+ z \d+", "", page.replace("Urząd Miasta Świnoujście", ""))
        lines = [line for line in body.splitlines() if line.strip()]
        assert len(lines) >= 3 and len(body.strip()) > 150, (number, body)


def test_the_slow_departments_waiting_time_is_a_top_hot_spot(demo):
    top = demo["report"]["summary"]["hot_spots"]
    first = hot_spot_id_parse(top[0])

    assert demo["names"][first["department_id"]] == "Wydział Komunikacji"
    assert first["key"].startswith("terminowosc_") and first["period"] == "2025"


def test_nothing_is_listed_that_could_not_have_been_answered_in_2025(demo):
    report, text = demo["report"], "\n".join(demo["pages"])

    assert "Wydział Nowy 2026" not in text
    assert "kiosk" not in text  # the demo office has none
    assert [c["key"] for c in report["breakdowns"]["channel"]] == ["online", "paper"]
    assert "Ważność a satysfakcja" not in text  # not asked: left out, and said so
    assert "ważność obszarów — ankieta nie pytała" in text
