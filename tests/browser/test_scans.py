# ruff: noqa: F811 — the scans tests' fixtures are imported below and used as arguments
"""Wczytaj skany in Chromium: a clerk uploads a small PDF, follows the background job's
progress (the page asks for the job's state by itself), reads the protocol and confirms
a doubtful mark with one key; axe-core finds nothing on any of these pages, and the Nu
HTML Checker finds no error in the scan pages in each of their states."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ocenurzad.accounts.models import User
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import JobContext, job_execute
from ocenurzad.responses.models import Response
from ocenurzad.scans.models import ScanImport
from ocenurzad.scans.reader.synthetic import Harm
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for
from tests.browser.test_html_valid import _vnu
from tests.scans.conftest import (  # noqa: F401 — the fixtures, for this module
    marked,
    pdf_of,
    printed_form,
    scan_layout,
    scan_office,
)
from tests.scans.test_views import doubtful_pdf

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _worker_mode(settings, tmp_path):
    settings.SCANS_ROOT = str(tmp_path / "scans")
    settings.SCANS_INLINE = False  # the upload waits for the worker: this test is it
    settings.SCANS_WORKER_NICE = 0
    settings.JOBS_LEASE_SECONDS = 600  # no heartbeat during the test


@pytest.fixture
def clerk(scan_office):
    return User.objects.create_user(
        username="kancelaria", password="x" * 12, office=scan_office, role="clerk"
    )


def test_upload_progress_protocol_and_one_key(
    browser, live_server, scan_office, scan_layout, printed_form, clerk, tmp_path, monkeypatch
):
    stack = tmp_path / "stos.pdf"
    stack.write_bytes(doubtful_pdf(printed_form, scan_layout))
    base = f"{live_server.url}/{scan_office.slug}/admin/skany/"
    login_in_browser(browser, live_server, clerk)
    browser.get(base)
    assert h1_text(browser) == "Wczytaj skany"
    assert_no_axe_violations(browser)

    browser.find_element(By.ID, "scan_pliki").send_keys(str(stack))
    browser.find_element(By.CSS_SELECTOR, "form.panel-form button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "job-state"))
    assert "czeka w kolejce" in browser.find_element(By.ID, "job-state").text
    assert_no_axe_violations(browser)

    # The worker (here, in the test's thread): after the first page it waits until the
    # browser, polling on its own, shows "1 z 2".
    seen = []
    original = JobContext.progress

    def progress_watched(self, done, total=None, note=None):
        original(self, done, total, note)
        if done == 1 and total == 2:
            wait_for(
                browser,
                lambda d: d.find_element(By.ID, "job-count").text == "1 z 2",
                timeout=15,
            )
            seen.append(browser.find_element(By.ID, "job-progress").get_attribute("value"))
            assert_no_axe_violations(browser)

    monkeypatch.setattr(JobContext, "progress", progress_watched)
    job = Job.objects.get(office=scan_office)
    assert job_execute(job_id=job.pk, worker="test").state == Job.State.SUCCEEDED
    assert seen == ["1"]

    # The job has ended: the page loads the protocol by itself.
    wait_for(browser, lambda d: not d.find_elements(By.ID, "job"), timeout=15)
    assert "Protokół wczytania skanów nr" in h1_text(browser)
    assert "Arkuszy do sprawdzenia" in browser.page_source
    assert_no_axe_violations(browser)

    # Do sprawdzenia, from the keyboard: the field has the focus; one key answers.
    browser.get(base + "do-sprawdzenia/")
    assert "więcej niż jedno zaznaczenie" in browser.page_source
    assert_no_axe_violations(browser)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "scan-kod"
    ActionChains(browser).send_keys("3").perform()
    wait_for(browser, lambda d: "Nie ma nic do sprawdzenia" in d.page_source)
    stored = Response.objects.get(office=scan_office)
    assert stored.answers["ocena_ogolna"] == 3
    assert stored.entered_by == clerk
    assert_no_axe_violations(browser)

    # Do przepisania: type the comment, Tab to "Zapisz uwagę", Enter.
    browser.get(base + "do-przepisania/")
    assert_no_axe_violations(browser)
    browser.find_element(By.ID, "scan-tekst").send_keys("Za długa kolejka.")
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    wait_for(browser, lambda d: "Nie ma uwag do przepisania" in d.page_source)
    stored.refresh_from_db()
    assert stored.answers["co_poprawic"] == "Za długa kolejka."


@pytest.mark.django_db
def test_scan_pages_have_no_html_error(client, scan_office, scan_layout, printed_form, tmp_path):
    clerk = User.objects.create_user(
        username="k", password="x" * 12, office=scan_office, role="clerk"
    )
    client.force_login(clerk)
    base = f"/{scan_office.slug}/admin/skany/"
    pages = {}

    def take(name, response):
        assert response.status_code < 500, f"{name}: {response.status_code}"
        pages[name] = response.content.decode()

    def send(data: bytes, name="stos.pdf"):
        return client.post(
            base,
            {
                "pliki": [SimpleUploadedFile(name, data, content_type="application/pdf")],
                "data": "2026-11-30",
            },
        )

    take("upload, empty", client.get(base))
    take("upload, errors", client.post(base, {"data": "2099-01-01"}))
    waiting = send(doubtful_pdf(printed_form, scan_layout))
    take("import, queued", client.get(waiting["Location"]))
    job_execute(job_id=Job.objects.get(office=scan_office).pk, worker="w")
    take("import, protocol", client.get(waiting["Location"]))
    # An unnumbered sheet (waits for the stack's confirmation), a page whose code is
    # gone, and a file that is not a scan: the protocol's other parts.
    pages_plain, _truth = marked(printed_form, scan_layout, number=None, seed=5, harm=Harm())
    unreadable, _truth = marked(printed_form, scan_layout, number=103, seed=6, harm=Harm())
    unreadable[0][-260:, :320] = 255  # the corner with the code, wiped
    second = send(pdf_of(pages_plain + unreadable[:1]), name="inne.pdf")
    client.post(base, {"pliki": [SimpleUploadedFile("x.txt", b"nic")], "data": "2026-11-30"})
    for job in Job.objects.filter(office=scan_office, state=Job.State.QUEUED):
        job_execute(job_id=job.pk, worker="w")
    take("import, unnumbered and problems", client.get(second["Location"]))
    take("upload, with the list", client.get(base))
    take("check: a doubtful mark", client.get(base + "do-sprawdzenia/"))
    question_id = client.get(base + "do-sprawdzenia/").content.decode()
    question_id = question_id.split('name="id" value="', 1)[1].split('"', 1)[0]
    take(
        "check: a wrong key", client.post(base + "do-sprawdzenia/", {"id": question_id, "kod": "9"})
    )
    client.post(base + "do-sprawdzenia/", {"id": question_id, "kod": "3"})
    take("check: a page to assign", client.get(base + "do-sprawdzenia/"))
    take("comments: one to type", client.get(base + "do-przepisania/"))
    assert ScanImport.objects.filter(office=scan_office).count() == 3
    assert "Przypisz stronę" in pages["check: a page to assign"]
    assert "Potwierdzam" in pages["import, unnumbered and problems"]

    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"scan-{index:02d}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    messages = _vnu([str(tmp_path / file) for file in files])

    errors = [m for m in messages if m.get("type") == "error"]
    lines = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1])}:{m.get('lastLine')}: "
        f"{m.get('message')} — {m.get('extract', '')!r}"
        for m in errors
    ]
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(lines)
