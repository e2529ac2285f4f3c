"""The job page in Chromium: no axe violations while running and after; with JavaScript it
follows the job by itself and shows the result when the job finishes."""

import pytest
from selenium.webdriver.common.by import By

from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_claim, job_enqueue
from tests.browser.conftest import assert_no_axe_violations, login_in_browser, wait_for
from tests.jobs import handlers

pytestmark = pytest.mark.browser


def test_job_page_follows_the_job_to_its_result(browser, live_server, office, office_admin):
    job = job_enqueue(office=office, owner=office_admin, handler=handlers.echo, title="Raport")
    job_claim(job_id=job.pk, worker="w")
    Job.objects.filter(pk=job.pk).update(progress_done=1, progress_total=4, progress_note="Krok")
    login_in_browser(browser, live_server, office_admin)
    browser.get(f"{live_server.url}/{office.slug}/admin/zadania/{job.pk}/")
    assert "w toku" in browser.find_element(By.ID, "job-state").text
    assert_no_axe_violations(browser)

    Job.objects.filter(pk=job.pk).update(progress_done=3)
    wait_for(browser, lambda d: d.find_element(By.ID, "job-count").text == "3 z 4")

    Job.objects.filter(pk=job.pk).update(
        state="succeeded",
        worker="",
        result={"message": "Raport zapisany w archiwum.", "links": []},
    )
    wait_for(browser, lambda d: "Raport zapisany w archiwum." in d.page_source)
    assert "zakończone" in browser.find_element(By.ID, "job-state").text
    assert_no_axe_violations(browser)
