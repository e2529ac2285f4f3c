"""An administrator changes the survey with the keyboard only — a new question in an area,
its English text, one place up, the preview, publishing — and residents get it; axe-core
finds nothing on the editor's pages (the editor, a question and its error state, the
preview, the publish confirmation).

Only key presses move focus, fill in and send the forms; the driver reads the page to
check where focus is and what is shown.
"""

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from ocenurzad.reports.models import ArchivedReport
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.selectors import survey_draft, survey_version_current
from ocenurzad.surveys.services import survey_draft_get_or_create
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for

pytestmark = pytest.mark.browser

TEXT_PL = "Dostępność toalet"
TEXT_EN = "Availability of toilets"
TAB_LIMIT = 600  # more than the editor's focusable elements


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Publishing archives a report: its PDF goes here."""
    settings.MEDIA_ROOT = tmp_path / "media"


def page_url(live_server, office, suffix="") -> str:
    return f"{live_server.url}/{office.slug}/admin/ankieta/{suffix}"


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    return driver.switch_to.active_element


def name_of(element) -> str:
    """What a screen reader announces for a link or button: its text, hidden parts too."""
    return " ".join((element.get_attribute("textContent") or "").split())


def tab_to(driver, wanted, what: str):
    """Press Tab until ``wanted(focused element)``; fail when it never comes."""
    for _ in range(TAB_LIMIT):
        press(driver, Keys.TAB)
        if wanted(focused(driver)):
            return focused(driver)
    pytest.fail(f"Tab never reached {what}")


def tab_to_named(driver, name: str):
    return tab_to(driver, lambda el: name_of(el) == name, f"„{name}”")


def wait_for_message(driver, text: str):
    present = EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), text)

    def shown(d):
        try:
            return present(d)
        except WebDriverException:  # the page is being replaced while we look
            return False

    wait_for(driver, shown)


def question_keys(version, section_key: str) -> list[str]:
    return [q["key"] for s, q in iter_questions(version.definition) if s["key"] == section_key]


def test_admin_adds_translates_moves_previews_and_publishes_a_question_by_keyboard(
    browser, live_server, office, office_admin
):
    login_in_browser(browser, live_server, office_admin)
    browser.get(page_url(live_server, office))
    assert h1_text(browser) == "Ankieta"

    # Start a draft
    tab_to_named(browser, "Utwórz szkic zmian")
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: h1_text(d) == "Szkic ankiety")
    wait_for_message(browser, "Utworzono szkic nowej wersji")
    assert_no_axe_violations(browser)

    # Add a question to the area "Wizerunek Urzędu": open the form, keep the kind (rating),
    # type the Polish text, replace the suggested key, send
    tab_to_named(browser, "Dodaj pytanie do obszaru: Wizerunek Urzędu")
    press(browser, Keys.ENTER)
    kind = tab_to(browser, lambda el: el.get_attribute("name") == "dodaj-wizerunek-kind", "kind")
    assert kind.get_attribute("value") == "rating"
    press(browser, Keys.TAB, TEXT_PL, Keys.TAB)
    key = focused(browser)
    assert key.get_attribute("name") == "dodaj-wizerunek-key"
    assert key.get_attribute("value") == "wizerunek_7"  # the suggestion
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    press(browser, "wizerunek_toalety", Keys.TAB)
    assert name_of(focused(browser)) == "Dodaj pytanie do obszaru: Wizerunek Urzędu"
    press(browser, Keys.ENTER)

    # The question's own page: focus on its heading; the English text, Enter to save
    wait_for(browser, lambda d: h1_text(d) == f"Pytanie „{TEXT_PL}”")
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "pytanie")
    tab_to(browser, lambda el: el.get_attribute("id") == "id_text_en", "the English text")
    assert (
        "Brak tłumaczenia — dopóki go nie ma, ten język nie jest oferowany mieszkańcom."
        in browser.find_element(By.ID, "id_text_en_helptext").text
    )
    press(browser, TEXT_EN, Keys.ENTER)

    # Back in the editor at the question; one place up with the button after "Edytuj"
    wait_for_message(browser, f"Zapisano pytanie „{TEXT_PL}”.")
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "pytanie-wizerunek_toalety")
    press(browser, Keys.TAB, Keys.TAB)
    assert name_of(focused(browser)) == f"Przesuń w górę: {TEXT_PL}"
    press(browser, Keys.ENTER)
    wait_for_message(browser, f"Przesunięto w górę: {TEXT_PL}.")
    # focus is on the same button again, ready to move it further
    wait_for(
        browser, lambda d: focused(d).get_attribute("id") == "pytanie-wizerunek_toalety-w-gore"
    )
    draft = survey_draft(office=office)
    assert question_keys(draft, "wizerunek")[-2:] == ["wizerunek_toalety", "wizerunek_ubior"]

    # Preview: the draft as residents will see it, in English too
    tab_to_named(browser, "Podgląd")
    press(browser, Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".preview-banner")))
    assert (
        "Podgląd szkicu — ankieta nie jest jeszcze opublikowana"
        in browser.find_element(By.CSS_SELECTOR, ".preview-banner").text
    )
    legends = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "legend.q-text")]
    assert legends.index(TEXT_PL) == legends.index("Schludność ubioru urzędników") - 1
    assert not browser.find_elements(By.CSS_SELECTOR, "[name=token], button[type=submit]")
    tab_to_named(browser, "English")
    press(browser, Keys.ENTER)
    wait_for(browser, EC.url_contains("lang=en"))
    legends = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "legend.q-text")]
    assert TEXT_EN in legends

    # Publish from the preview: the confirmation explains § 5, Enter publishes
    tab_to_named(browser, "Opublikuj")
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: h1_text(d) == "Opublikować szkic jako wersję SWINOUJSCIE-V2?")
    tab_to_named(browser, "Opublikuj wersję SWINOUJSCIE-V2")
    press(browser, Keys.ENTER)
    wait_for_message(browser, "Opublikowano wersję SWINOUJSCIE-V2")
    assert browser.find_element(By.CSS_SELECTOR, ".messages a").text == "Pobierz ten raport (PDF)"
    assert survey_version_current(office=office).number == 2
    assert ArchivedReport.objects.get(office=office).reason == "before_survey_change"

    # Residents now get the new question, in English too
    browser.get(f"{live_server.url}/{office.slug}/")
    assert TEXT_PL in [e.text for e in browser.find_elements(By.CSS_SELECTOR, "legend.q-text")]
    browser.get(f"{live_server.url}/{office.slug}/?lang=en")
    assert TEXT_EN in [e.text for e in browser.find_elements(By.CSS_SELECTOR, "legend.q-text")]


# Accessibility of every page of the editor


@pytest.fixture
def draft(office, office_admin):
    return survey_draft_get_or_create(office=office, actor=office_admin)


def test_editor_page_has_no_axe_violations(browser, live_server, office, office_admin, draft):
    login_in_browser(browser, live_server, office_admin)
    browser.get(page_url(live_server, office, "szkic/"))
    assert h1_text(browser) == "Szkic ankiety"
    # with an add form open, as after Enter on its summary
    browser.find_element(By.CSS_SELECTOR, "#obszar-wizerunek ~ details summary").click()
    assert_no_axe_violations(browser)


def test_question_page_and_its_error_state_have_no_axe_violations(
    browser, live_server, office, office_admin, draft
):
    login_in_browser(browser, live_server, office_admin)
    browser.get(page_url(live_server, office, "szkic/pytanie/cel_wizyty/"))
    assert h1_text(browser) == "Pytanie „Główny cel wizyty”"
    assert_no_axe_violations(browser)

    # the Polish text emptied and sent: the error is at the top (linked) and at the field
    field = browser.find_element(By.ID, "id_text_pl")
    field.clear()
    field.send_keys(Keys.ENTER)
    wait_for(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert browser.title.startswith("Błąd:")
    # focus starts on the summary: a screen reader reads it, Tab goes to its links
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "bledy")
    press(browser, Keys.TAB)
    link = focused(browser)
    assert link.text == "Treść pytania (polski): Wpisz treść pytania po polsku."
    assert browser.find_element(By.ID, "id_text_pl").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(browser)
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "id_text_pl")


def test_other_editor_pages_have_no_axe_violations(
    browser, live_server, office, office_admin, draft
):
    login_in_browser(browser, live_server, office_admin)
    for suffix, heading in [
        ("szkic/obszary/wizerunek/", "Obszar „Wizerunek Urzędu”"),
        ("szkic/skala/", "Skala ocen"),
        ("szkic/naglowek/", "Tytuł i wstęp ankiety"),
        ("szkic/obszary/dodaj/", "Dodaj obszar"),
        ("szkic/pytanie/metryka_plec/usun/", "Usunąć pytanie „Płeć”?"),
        (f"wersje/{draft.based_on_id}/", "Wersja SWINOUJSCIE-V1"),
        ("", "Ankieta"),
    ]:
        browser.get(page_url(live_server, office, suffix))
        assert h1_text(browser) == heading
        assert_no_axe_violations(browser)


def test_preview_has_no_axe_violations(browser, live_server, office, office_admin, draft):
    login_in_browser(browser, live_server, office_admin)
    for query in ("", "?lang=en"):
        browser.get(page_url(live_server, office, f"szkic/podglad/{query}"))
        assert browser.find_element(By.CSS_SELECTOR, ".preview-banner")
        assert_no_axe_violations(browser)


def test_publish_confirmation_has_no_axe_violations(
    browser, live_server, office, office_admin, draft
):
    login_in_browser(browser, live_server, office_admin)
    browser.get(page_url(live_server, office, "szkic/opublikuj/"))
    assert h1_text(browser) == "Opublikować szkic jako wersję SWINOUJSCIE-V2?"
    assert_no_axe_violations(browser)
