"""„Archiwizuj raport” in a real browser: by keyboard, its error, the archive with an
entry — each page checked by axe-core."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from tests.browser.conftest import assert_no_axe_violations, login_in_browser

pytestmark = pytest.mark.browser


def _responses(office, count=12):
    version = office.survey.current_version
    month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    Response.objects.bulk_create(
        Response(
            office=office,
            version=version,
            channel="online",
            department=office.departments.first(),
            submitted_at=timezone.make_aware(
                datetime.combine(month_end.replace(day=1 + i), time(10))
            ),
            answers={"ocena_ogolna": 1 + i % 5, "co_poprawic": f"Uwaga {i} <b>pogrubiona</b>"},
        )
        for i in range(count)
    )
    return month_end.replace(day=1), month_end


def test_archiving_by_keyboard_with_its_error_and_the_archive_page(
    browser, live_server, office, office_admin
):
    start, end = _responses(office)
    login_in_browser(browser, live_server, office_admin)
    browser.get(
        f"{live_server.url}/{office.slug}/admin/raporty/podglad/?okres=zakres"
        f"&od={start:%Y-%m-%d}&do={end:%Y-%m-%d}"
    )
    button = browser.find_element(By.XPATH, "//button[normalize-space()='Archiwizuj raport']")

    button.send_keys(Keys.ENTER)  # no reason typed: the report again, with the error

    WebDriverWait(browser, 10).until(lambda b: "id_cel_error" in b.page_source)
    assert "Powód archiwizacji: wpisz" in browser.page_source
    assert not ArchivedReport.objects.exists()
    assert_no_axe_violations(browser)

    reason = browser.find_element(By.ID, "id_cel")
    reason.send_keys("raport miesięczny <dla kierownika>")
    reason.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: "/archiwum/" in b.current_url)

    assert "Raport zapisano w archiwum jako raport nr" in browser.page_source
    assert "raport miesięczny &lt;dla kierownika&gt;" in browser.page_source
    assert ArchivedReport.objects.get().purpose == "raport miesięczny <dla kierownika>"
    assert_no_axe_violations(browser)
