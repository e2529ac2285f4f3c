"""axe-core on every resident page in every language offered: no WCAG 2.1 A/AA violation,
and ``<html lang>`` is the language shown."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import assert_no_axe_violations, wait_for

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "uk", "de"]
PAGES = ["", "dziekujemy/", "ochrona-danych/", "deklaracja-dostepnosci/", "nie-ma-takiej-strony/"]


@pytest.fixture
def office(make_office):
    return make_office(languages=LANGUAGES, controller="Burmistrz Miasta", dpo_contact="iod@x.pl")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_resident_page_in_every_language_passes_axe(browser, live_server, office, lang):
    for path in PAGES:
        browser.get(f"{live_server.url}/{office.slug}/{path}?lang={lang}")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang, path
        assert_no_axe_violations(browser)
    # The survey with its error summary, in the language
    browser.get(f"{live_server.url}/{office.slug}/?lang={lang}")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert_no_axe_violations(browser)
