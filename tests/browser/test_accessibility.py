"""axe-core finds no WCAG 2.1 A/AA violation on any page a resident can reach."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import (
    assert_no_axe_violations,
    h1_text,
    login_in_browser,
    wait_for,
)

pytestmark = pytest.mark.browser

ERROR_TITLES = {"Nie znaleziono strony", "Błąd serwera", "Page not found", "Server error"}

PAGES = [
    pytest.param("/swinoujscie/", "Badanie satysfakcji klienta", id="survey"),
    pytest.param("/swinoujscie/?lang=en", "Customer satisfaction survey", id="survey-en"),
    pytest.param("/swinoujscie/dziekujemy/", "Dziękujemy za wypełnienie ankiety", id="thanks"),
    pytest.param(
        "/swinoujscie/ochrona-danych/", "Informacja o przetwarzaniu danych (RODO)", id="privacy"
    ),
    pytest.param(
        "/swinoujscie/deklaracja-dostepnosci/", "Deklaracja dostępności", id="accessibility"
    ),
    pytest.param("/swinoujscie/nie-ma-takiej-strony/", "Nie znaleziono strony", id="404-office"),
    pytest.param("/nie-ma-takiej-strony/", "Nie znaleziono strony", id="404-platform"),
    pytest.param("/", "Oceń Urząd — badanie satysfakcji klientów", id="platform-index"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_has_no_axe_violations(browser, live_server, office, path, heading):
    browser.get(live_server.url + path)
    assert h1_text(browser) == heading
    assert_no_axe_violations(browser)


@pytest.mark.parametrize("query", ["", "?lang=en"], ids=["pl", "en"])
def test_survey_error_state_has_no_axe_violations(browser, live_server, office, query):
    # Given the survey sent empty: both required items are reported
    browser.get(f"{live_server.url}/swinoujscie/{query}")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    summary = wait_for(
        browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
    )
    assert len(summary.find_elements(By.CSS_SELECTOR, "li a")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, ".field-error")) == 2
    # Then the page with the summary and the inline errors passes axe
    assert_no_axe_violations(browser)


@pytest.mark.parametrize("query", ["", "?jezyk=uk", "?lang=en&jezyk=de"])
def test_banner_page_has_no_axe_violations(browser, live_server, office, office_admin, query):
    # The panel page an office's webmaster copies the "Oceń Urząd" banner and QR code from,
    # with the banner in each language residents are offered.
    office.languages = ["en", "uk", "de"]
    office.save()
    for department in office.departments.all():
        department.name_translations = dict.fromkeys(office.languages, department.name)
        department.save()
    login_in_browser(browser, live_server, office_admin)
    browser.get(f"{live_server.url}/swinoujscie/admin/baner/{query}")
    heading = h1_text(browser)
    assert heading not in ERROR_TITLES, f"the banner page shows an error page: {heading!r}"
    assert "Oceń Urząd" in heading
    if query:
        code = query[-2:]
        assert (
            browser.find_element(By.CSS_SELECTOR, ".banner-preview img").get_attribute("lang")
            == code
        )
    assert_no_axe_violations(browser)


def test_english_version_speaks_english(browser, live_server, office):
    browser.get(f"{live_server.url}/swinoujscie/?lang=en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert h1_text(browser) == "Customer satisfaction survey"
    polish = {"Przejdź do treści", "Wyślij ankietę", "(wymagane)", "— wybierz —"}
    shown = browser.execute_script(
        "return [document.querySelector('.skip-link').textContent,"
        " document.querySelector('form button[type=submit]').textContent,"
        " document.querySelector('.req').textContent,"
        " document.querySelector('#q_wydzial option').textContent].map(t => t.trim())"
    )
    assert not polish & set(shown), f"Polish text on the English page: {shown}"
