"""One visit, one response: a resident who presses Back after "Dziękujemy" and sends the
form again does not store a second response — in Chromium with the back/forward cache
on and off (the two ways a browser can bring the page back).

No cookie and no identifier tell the visits apart: the page that comes back carries the
form token it was sent with (from the back/forward cache, or from the browser's own HTTP
cache, which a history navigation uses without asking the server), and that token is
spent.
"""

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from ocenurzad.responses.models import Response
from tests.browser.conftest import (
    CHROME_ARGS,
    CHROMEDRIVER,
    CHROMIUM,
    WINDOW,
    assert_no_axe_violations,
    h1_text,
    wait_for,
)

pytestmark = pytest.mark.browser

BFCACHE = {
    "bfcache-on": "--enable-features=BackForwardCache",
    "bfcache-off": "--disable-features=BackForwardCache",
}


@pytest.fixture(scope="module", params=sorted(BFCACHE))
def chromium_bfcache(request, tmp_path_factory):
    """A Chromium of its own with the back/forward cache switched on or off."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(BFCACHE[request.param])
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-bfcache')}")
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        pytest.fail(f"could not start headless Chromium: {exc.msg}", pytrace=False)
    driver.set_page_load_timeout(30)
    driver.bfcache = request.param
    yield driver
    driver.quit()


@pytest.fixture
def resident(chromium_bfcache, live_server, transactional_db):
    from django.core.cache import cache

    cache.clear()
    yield chromium_bfcache
    chromium_bfcache.get("about:blank")


def _answer_and_send(driver):
    driver.find_element(By.ID, "q_wydzial").send_keys(Keys.ARROW_DOWN)
    driver.find_element(By.CSS_SELECTOR, "label[for='q_ocena_ogolna_4']").click()
    driver.find_element(By.ID, "q_co_poprawic").send_keys("Miła obsługa.")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").send_keys(Keys.ENTER)


def test_back_after_thanks_and_send_again_stores_one_response(resident, live_server, office):
    survey = f"{live_server.url}/{office.slug}/"
    # Given a resident who filled in the survey and got the thank-you page
    resident.get(survey)
    wait_for(resident, EC.presence_of_element_located((By.ID, "q_ocena_ogolna_4")))
    resident.execute_script("window.ocenurzadVisit = 'first';")
    _answer_and_send(resident)
    wait_for(resident, EC.url_contains("/dziekujemy/"))
    assert Response.objects.count() == 1

    # When they press Back and send the form again, as it comes back
    resident.back()
    wait_for(resident, EC.url_to_be(survey))
    wait_for(resident, EC.presence_of_element_located((By.CSS_SELECTOR, "form button")))
    restored = resident.execute_script("return window.ocenurzadVisit || null;")
    if resident.bfcache == "bfcache-on":
        assert restored == "first", "the page did not come from the back/forward cache"
    else:
        assert restored is None, "the back/forward cache was meant to be off"
    if not resident.find_element(By.ID, "q_ocena_ogolna_4").is_selected():
        resident.find_element(By.CSS_SELECTOR, "label[for='q_ocena_ogolna_4']").click()
    resident.find_element(By.CSS_SELECTOR, "form button[type=submit]").send_keys(Keys.ENTER)

    # Then nothing more is stored, and the page says the survey was already sent, with a
    # way to a fresh form
    wait_for(resident, lambda d: "została już wysłana" in h1_text(d))
    assert Response.objects.count() == 1
    assert_no_axe_violations(resident)
    resident.find_element(By.LINK_TEXT, "Wypełnij nową ankietę").send_keys(Keys.ENTER)
    wait_for(resident, EC.url_to_be(survey))
    assert not resident.find_element(By.ID, "q_ocena_ogolna_4").is_selected()

    # And a new visit (the link, not Back) is a new response
    _answer_and_send(resident)
    wait_for(resident, EC.url_contains("/dziekujemy/"))
    assert Response.objects.count() == 2
