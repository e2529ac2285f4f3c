"""One click from a hot spot of the report to a new action about it."""

import re
from datetime import date, datetime, time
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from ocenurzad.actions.models import Action
from ocenurzad.reports.render.html import report_html
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions

from .conftest import form_data, panel

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
WAIT = "terminowosc_oczekiwanie"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    now = datetime(2026, 2, 10, 12, 0, tzinfo=WARSAW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)


@pytest.fixture
def slow(office):
    """A department whose waiting time is rated 2–4 while the rest of the office gives 4–5."""
    version = office.survey.current_version
    keys = [
        q["key"]
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]
    slow, good = office.departments.order_by("position")
    rows = []
    for department, waits in ((slow, [2, 4] * 150), (good, [4, 5] * 150)):
        for index, wait in enumerate(waits):
            answers = {**dict.fromkeys(keys, 5), WAIT: wait}
            day = date(2025, 1 + index % 12, 1 + index % 28)
            rows.append(
                Response(
                    office=office,
                    version=version,
                    channel="paper",
                    department=department,
                    submitted_at=datetime.combine(day, time(10), tzinfo=WARSAW),
                    answers=answers,
                )
            )
    Response.objects.bulk_create(rows)
    return slow


def test_the_reports_hot_spot_links_to_a_new_action_and_the_action_keeps_it(
    logged_in, office, slow
):
    page = logged_in.get(
        f"/{office.slug}/admin/raporty/podglad/?okres=rok&rok=2025&porownaj="
    ).content.decode()
    spot_id = f"item:{WAIT}|dept:{slow.pk}|2025"
    links = re.findall(r'href="([^"]*/dzialania/nowe/\?obszar=[^"]+)"', page)
    assert links, "no link from a hot spot to a new action"
    link = unescape(links[0])
    assert link.endswith("obszar=item%3Aterminowosc_oczekiwanie%7Cdept%3A" + f"{slow.pk}%7C2025")

    form = logged_in.get(link).content.decode()
    assert re.search(rf'value="item:{WAIT}"[^>]*checked', form)
    assert f'<option value="{slow.pk}" selected>' in form
    assert spot_id in form
    assert "Obszar do poprawy z raportu (2025): Czas oczekiwania na obsługę" in form

    data = form_data(targets=[f"item:{WAIT}"], department=str(slow.pk), hotspot_id=spot_id)
    response = logged_in.post(panel(office, "nowe/"), data)
    assert response.status_code == 302
    action = Action.objects.get(office=office)
    assert action.hotspot_id == spot_id
    assert action.department == slow


def test_the_pdf_and_a_report_outside_the_panel_have_no_such_link(office, slow):
    from ocenurzad.reports.compute import report_compute

    report = report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert report["hot_spots"]["cells"]
    assert "dzialania/nowe" not in str(report_html(report))  # no office address to link to


def test_a_made_up_identifier_is_not_stored(logged_in, office):
    data = form_data(hotspot_id="item:x|dept:abc|2025<script>")
    logged_in.post(panel(office, "nowe/"), data)
    assert Action.objects.get(office=office).hotspot_id == ""


def test_an_identifier_of_another_offices_department_preselects_nothing(
    logged_in, office, other_office
):
    foreign = other_office.departments.get()
    form = logged_in.get(
        panel(office, f"nowe/?obszar=item:{WAIT}|dept:{foreign.pk}|2025")
    ).content.decode()
    assert f'<option value="{foreign.pk}"' not in form
    assert "Referat Podatków" not in form
