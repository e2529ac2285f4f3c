"""The report in the panel with its summary and hot spots, in Chromium: the summary comes
first, a hot spot in it is reached from the keyboard, and axe-core finds no violation."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ocenurzad.offices.models import Department
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions
from tests.browser.conftest import assert_no_axe_violations, login_in_browser, wait_for

pytestmark = pytest.mark.browser


def _town(office):
    """A slow department (waiting time 2 or 4) among good ones, over the last months."""
    version = office.survey.current_version
    keys = [
        q["key"]
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]
    slow, good = office.departments.order_by("position")
    other = Department.objects.create(office=office, name="Wydział Podatków", position=2)
    start = timezone.localdate() - timedelta(days=150)
    rows = []
    for department, waits in ((slow, (2, 4)), (good, (4, 5)), (other, (5, 4))):
        for i in range(120):
            answers = dict.fromkeys(keys, 5)
            answers.update({"terminowosc_oczekiwanie": waits[i % 2], "ocena_ogolna": 4})
            if i < 6:
                answers["co_poprawic"] = f"Uwaga {department.name} {i}"
            rows.append(
                Response(
                    office=office,
                    version=version,
                    channel="paper",
                    department=department,
                    submitted_at=timezone.make_aware(
                        datetime.combine(start + timedelta(days=i % 120), time(10))
                    ),
                    answers=answers,
                )
            )
    Response.objects.bulk_create(rows)


def test_summary_first_hot_spot_reached_by_keyboard_and_no_axe_violations(
    browser, live_server, office, office_admin
):
    _town(office)
    login_in_browser(browser, live_server, office_admin)
    end = timezone.localdate()
    start = end - timedelta(days=160)
    browser.get(
        f"{live_server.url}/{office.slug}/admin/raporty/podglad/?okres=zakres"
        f"&od={start:%Y-%m-%d}&do={end:%Y-%m-%d}"
    )

    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".report h2")]
    assert headings[0] == "Najważniejsze wyniki"
    assert "Obszary do poprawy" in headings
    link = browser.find_element(By.CSS_SELECTOR, ".report-summary a[href^='#obszar-']")
    assert "Wydział Komunikacji" in link.text
    target = link.get_attribute("href").split("#", 1)[1]
    link.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: d.execute_script("return location.hash") == f"#{target}")
    row = browser.find_element(By.ID, target)
    assert "Czas oczekiwania na obsługę" in row.text
    assert_no_axe_violations(browser)
