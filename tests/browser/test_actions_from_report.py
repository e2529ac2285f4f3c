"""From a hot spot of the report to an action and back, in a real browser and by keyboard:
the report's link, the prefilled form, the action marked done, the report's section
"Działania i ich zmiana po wdrożeniu"; the dashboard with satisfaction and its hot spot;
axe-core on each page and the Nu HTML Checker on the new and changed pages."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ocenurzad.actions.models import Action
from ocenurzad.reports.archive import archived_report_create
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for
from tests.browser.test_html_valid import _vnu

pytestmark = pytest.mark.browser
WARSAW = ZoneInfo("Europe/Warsaw")
WAIT = "terminowosc_oczekiwanie"


def _months_back(today: date, count: int) -> list[date]:
    """The ``count`` whole months before this one, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(date(year, month, 1))
    return months[::-1]


@pytest.fixture
def slow_department(office):
    """Two years of paper sheets: the Wydział Komunikacji's waiting time rated 2–4, the
    other department's 4–5, everything else 5."""
    version = office.survey.current_version
    keys = [
        q["key"]
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]
    slow, good = office.departments.order_by("position")
    months = _months_back(timezone.localdate(), 24)
    rows = []
    for department, waits in ((slow, [2, 4] * 240), (good, [4, 5] * 240)):
        for index, wait in enumerate(waits):
            day = months[index % len(months)].replace(day=1 + index % 27)
            rows.append(
                Response(
                    office=office,
                    version=version,
                    channel="paper",
                    department=department,
                    submitted_at=datetime.combine(day, time(12), tzinfo=WARSAW),
                    answers={**dict.fromkeys(keys, 5), WAIT: wait, "ocena_ogolna": 5},
                )
            )
    Response.objects.bulk_create(rows)
    return slow


def test_from_a_hot_spot_to_a_done_action_in_the_reports_section(
    browser, live_server, office, office_admin, slow_department, tmp_path
):
    year = timezone.localdate().year - 1
    report_url = (
        f"{live_server.url}/{office.slug}/admin/raporty/podglad/?okres=rok&rok={year}&porownaj="
    )
    login_in_browser(browser, live_server, office_admin)
    browser.get(report_url)
    assert_no_axe_violations(browser)

    # the hot spot's link, followed by keyboard
    link = browser.find_element(By.CSS_SELECTOR, ".report-hot a[href*='/dzialania/nowe/']")
    spot_id = f"item:{WAIT}|dept:{slow_department.pk}|{year}"
    assert spot_id.replace("|", "%7C").replace(":", "%3A") in link.get_attribute("href")
    link.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Nowe działanie" in h1_text(d) or "działanie" in d.title)
    assert browser.find_element(By.CSS_SELECTOR, f"input[value='item:{WAIT}']").is_selected()
    assert spot_id in browser.page_source
    assert_no_axe_violations(browser)

    browser.find_element(By.ID, "id_title").send_keys("Drugie okienko w godzinach szczytu")
    browser.find_element(By.ID, "id_owner_name").send_keys("Jan Kowalski")
    browser.find_element(By.ID, "id_deadline").send_keys("31.03.2027")
    browser.find_element(By.ID, "id_deadline").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Karta działania" in h1_text(d))
    action = Action.objects.get(office=office)
    assert action.hotspot_id == spot_id
    assert action.department == slow_department

    # done, by keyboard
    browser.find_element(By.ID, "id_status").send_keys("zak")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/stan/'] button").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Zmieniono stan" in d.page_source)
    action.refresh_from_db()
    assert action.status == "done"

    # the report's section now accounts for it
    browser.get(report_url)
    section = browser.find_element(By.ID, "raport-actions")
    assert "Działania i ich zmiana po wdrożeniu" in section.text
    assert f"{action.code} Drugie okienko w godzinach szczytu" in section.text
    assert "za wcześnie, by ocenić" in section.text  # done today: no month after it yet
    assert_no_axe_violations(browser)

    # the dashboard: satisfaction, the sparkline's table, the weakest hot spot's link
    browser.get(f"{live_server.url}/{office.slug}/admin/pulpit/")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.sparkline[role='img']")
    browser.find_element(By.CSS_SELECTOR, ".dashboard-months summary").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".dashboard-months table"))
    assert "Zapisz działanie dla tego obszaru" in browser.page_source
    assert_no_axe_violations(browser)

    # the archive with its count of responses entered later
    archived_report_create(
        office=office,
        actor=office_admin,
        report=report_compute(office=office, start=date(year, 1, 1), end=date(year, 12, 31)),
        reason=ArchivedReport.Reason.ON_REQUEST,
    )
    browser.get(f"{live_server.url}/{office.slug}/admin/raporty/archiwum/")
    assert "ankiety z tego okresu wprowadzone później: 0" in browser.page_source
    assert_no_axe_violations(browser)

    # the Nu HTML Checker on the pages as the server sends them
    client = Client()
    client.force_login(office_admin)
    pages = {
        "report with hot spots and actions": report_url.replace(live_server.url, ""),
        "dashboard with satisfaction": f"/{office.slug}/admin/pulpit/",
        "action form from a hot spot": (
            f"/{office.slug}/admin/dzialania/nowe/?obszar={spot_id.replace('|', '%7C')}"
        ),
        "archive": f"/{office.slug}/admin/raporty/archiwum/",
    }
    files = {}
    for index, (name, url) in enumerate(pages.items()):
        response = client.get(url)
        assert response.status_code == 200, name
        path = tmp_path / f"page-{index}.html"
        path.write_text(response.content.decode(), encoding="utf-8")
        files[path.name] = name
    errors = [m for m in _vnu([str(tmp_path / f) for f in files]) if m.get("type") == "error"]
    assert not errors, [
        (files.get(m.get("url", "").rsplit("/", 1)[-1]), m.get("lastLine"), m.get("message"))
        for m in errors
    ]
