"""The manual's screenshots (docs/pl/img), taken from the demo in a real Chromium.

``make screenshots`` runs this with OCENURZAD_SCREENSHOTS set: the demo (fixed seeds, a
fixed "today"), then each page the manual shows, saved as a small palette PNG. Without
the variable the test is skipped: it writes into docs/pl and is run on purpose, after
pages change (tests/panel/test_manual.py checks that every image the manual names
exists and that the PDF carries them).
"""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import login_in_browser, wait_for

pytestmark = pytest.mark.browser

TARGET = os.environ.get("OCENURZAD_SCREENSHOTS", "")
# The demo's "today": every date on the pages (periods, the dashboard) follows it.
TODAY = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
VIEWPORT = (1100, 760)
COLOURS = 64


def _save(driver, name: str) -> None:
    png = driver.get_screenshot_as_png()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(
        colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    path = Path(TARGET) / f"{name}.png"
    small.save(path, optimize=True)


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TODAY)
    call_command("demo", responses=400, stdout=io.StringIO())
    from ocenurzad.offices.models import Office

    return Office.objects.get(slug="swinoujscie")


@pytest.mark.skipif(not TARGET, reason="writes docs/pl/img: run `make screenshots`")
def test_manual_screenshots(browser, live_server, demo):
    from ocenurzad.accounts.models import User
    from ocenurzad.surveys.services import survey_draft_get_or_create

    browser.set_window_size(*VIEWPORT)
    base = f"{live_server.url}/{demo.slug}"
    admin = User.objects.filter(office=demo, role="office_admin").order_by("pk").first()
    clerk = User.objects.filter(office=demo, role="clerk").order_by("pk").first()

    def shot(url, name, ready=(By.TAG_NAME, "h1")):
        browser.get(url)
        wait_for(browser, EC.presence_of_element_located(ready))
        browser.execute_script("window.scrollTo(0, 0)")
        _save(browser, name)

    # Residents
    shot(f"{base}/", "ankieta")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    _save(browser, "ankieta-bledy")
    shot(f"{base}/?lang=uk", "ankieta-uk")

    # Paper entry, by a clerk
    login_in_browser(browser, live_server, clerk)
    shot(f"{base}/admin/ankiety-papierowe/", "ankiety-papierowe")

    # The office administrator: printing, reports, survey editing, office data
    browser.delete_all_cookies()
    login_in_browser(browser, live_server, admin)
    shot(f"{base}/admin/pulpit/", "pulpit")
    shot(f"{base}/admin/druk/", "druk")
    shot(f"{base}/admin/raporty/", "raport-formularz")
    browser.find_element(By.CSS_SELECTOR, "form[action$='podglad/'] button[type=submit]").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, "main h2")))
    browser.execute_script("window.scrollTo(0, 0)")
    _save(browser, "raport")
    survey_draft_get_or_create(office=demo, actor=admin)
    shot(f"{base}/admin/ankieta/szkic/", "edycja-ankiety")
    shot(f"{base}/admin/ankieta/jezyki/", "jezyki-ankiety")
    shot(f"{base}/admin/urzad/", "dane-urzedu")
    shot(f"{base}/admin/pomoc/", "pomoc")
