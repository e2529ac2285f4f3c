"""A resident fills in the survey with the keyboard only, on a wide screen and a narrow one.

Only key presses move focus and choose answers; the driver reads the page to check.
"""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from ocenurzad.offices.models import Department
from ocenurzad.responses.models import Channel, Response
from tests.browser.conftest import h1_text, wait_for

pytestmark = pytest.mark.browser

SURVEY_TITLE = "Badanie satysfakcji klienta"
OVERALL_TEXT = "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?"
COMMENT = "Więcej miejsc parkingowych, proszę. Obsługa była miła."


# --- keyboard helpers ------------------------------------------------------------------


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    return driver.switch_to.active_element


def tab_to(driver, description: str, matches, limit: int = 120):
    """Press Tab until the focused element satisfies ``matches``; fail after ``limit``."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        element = focused(driver)
        if matches(element):
            return element
    pytest.fail(f"{description} never received focus after {limit} presses of Tab")


def tab_to_field(driver, name: str):
    """Tab to a form control (a select, a textarea, or the radio group) named ``name``."""
    return tab_to(driver, f"field {name!r}", lambda el: el.get_attribute("name") == name)


def tab_to_submit(driver):
    return tab_to(
        driver,
        "the submit button",
        lambda el: el.tag_name == "button" and el.get_attribute("type") == "submit",
    )


def checked_value(driver, name: str) -> str | None:
    return driver.execute_script(
        "const el = document.querySelector(`input[name='${arguments[0]}']:checked`);"
        "return el ? el.value : null;",
        name,
    )


def assert_focus_visible(driver):
    """The focused control, or for a visually hidden radio its label, shows an outline."""
    style = driver.execute_script(
        """
        const el = document.activeElement;
        const shown = el.matches('.option input') ? el.labels[0] : el;
        const s = getComputedStyle(shown);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), id: el.id};
        """
    )
    assert style["style"] != "none" and style["width"] >= 2, (
        f"no visible focus indicator on #{style['id']}: {style}"
    )


def survey_url(live_server, slug="swinoujscie") -> str:
    return f"{live_server.url}/{slug}/"


def open_survey(driver, url: str):
    driver.get(url)
    wait_for(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "form button")))
    assert h1_text(driver) == SURVEY_TITLE


def submit_with_enter(driver):
    tab_to_submit(driver)
    assert_focus_visible(driver)
    press(driver, Keys.ENTER)


def wait_for_thanks(driver, expected_url: str):
    wait_for(driver, EC.url_to_be(expected_url))
    assert "Dziękujemy" in h1_text(driver)


# --- the whole survey by keyboard ---------------------------------------------------------


def test_resident_fills_in_the_survey_by_keyboard_only(browser, live_server, office):
    # Given the survey at the office's path address
    registry = Department.objects.get(office=office, name="Urząd Stanu Cywilnego")
    open_survey(browser, survey_url(live_server))

    # When the resident picks the department in the select with the arrow keys
    select = tab_to_field(browser, "q_wydzial")
    assert select.tag_name == "select"
    assert_focus_visible(browser)
    press(browser, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert select.get_attribute("value") == str(registry.pk)

    # … moves into the purpose group with Tab and chooses the third option with arrows
    press(browser, Keys.TAB)
    assert focused(browser).get_attribute("id") == "q_cel_wizyty_0"
    assert checked_value(browser, "q_cel_wizyty") is None, "focus alone must not answer"
    press(browser, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert checked_value(browser, "q_cel_wizyty") == "informacja"
    assert_focus_visible(browser)

    # … rates items: arrows to 5, Space for 1, Left wraps round to "nie dotyczy"
    press(browser, Keys.TAB)
    assert focused(browser).get_attribute("name") == "q_wizerunek_lokalizacja"
    press(browser, Keys.ARROW_RIGHT * 4)
    press(browser, Keys.TAB, Keys.SPACE)
    press(browser, Keys.TAB, Keys.ARROW_LEFT)
    assert checked_value(browser, "q_wizerunek_lokalizacja") == "5"
    assert checked_value(browser, "q_wizerunek_oznakowanie") == "1"
    assert checked_value(browser, "q_wizerunek_parking") == "na"

    # … skips the remaining items to the overall rating (required) and gives it 4
    tab_to_field(browser, "q_ocena_ogolna")
    press(browser, Keys.ARROW_RIGHT * 3)
    assert checked_value(browser, "q_ocena_ogolna") == "4"

    # … types a comment and sends the form with Enter on the button
    tab_to_field(browser, "q_co_poprawic")
    press(browser, COMMENT)
    submit_with_enter(browser)

    # Then the thank-you page shows and exactly these answers are stored
    wait_for_thanks(browser, f"{live_server.url}/swinoujscie/dziekujemy/")
    response = Response.objects.get()
    assert response.office == office
    assert response.channel == Channel.ONLINE
    assert response.department == registry
    assert response.language == "pl"
    assert response.answers == {
        "cel_wizyty": "informacja",
        "wizerunek_lokalizacja": 5,
        "wizerunek_oznakowanie": 1,
        "wizerunek_parking": "na",
        "ocena_ogolna": 4,
        "co_poprawic": COMMENT,
    }


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(browser, live_server, office):
    open_survey(browser, survey_url(live_server))

    press(browser, Keys.TAB)
    skip = focused(browser)
    assert skip.get_attribute("class") == "skip-link"
    assert skip.text == "Przejdź do treści"
    box = browser.execute_script("return arguments[0].getBoundingClientRect().toJSON()", skip)
    assert box["left"] >= 0 and box["top"] >= 0 and box["width"] > 0, (
        f"the focused skip link is off screen: {box}"
    )

    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "main")
    # The next Tab lands on the first question, past the header's links.
    press(browser, Keys.TAB)
    assert focused(browser).get_attribute("name") == "q_wydzial"


def test_missing_required_answer_is_listed_linked_and_answers_are_kept(
    browser, live_server, office
):
    # Given a resident who answers some items but not the overall rating
    communication = Department.objects.get(office=office, name="Wydział Komunikacji")
    open_survey(browser, survey_url(live_server))
    tab_to_field(browser, "q_wydzial")
    press(browser, Keys.ARROW_DOWN)
    tab_to_field(browser, "q_kompetencje_wiedza")
    press(browser, Keys.ARROW_RIGHT * 2)
    tab_to_field(browser, "q_co_poprawic")
    press(browser, COMMENT)

    # When the form is sent
    submit_with_enter(browser)

    # Then the error summary names the item and links to a control that exists
    summary = wait_for(
        browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
    )
    assert browser.title.startswith("Błąd:")
    links = summary.find_elements(By.CSS_SELECTOR, "li a")
    assert len(links) == 1
    assert OVERALL_TEXT in links[0].text
    target_id = links[0].get_attribute("href").rsplit("#", 1)[1]
    target = browser.execute_script(
        "const el = document.getElementById(arguments[0]);"
        "return el && el.closest('fieldset') ? el.closest('fieldset').id : null;",
        target_id,
    )
    assert target == "q_ocena_ogolna", f"#{target_id} is not a control of the missing item"
    fieldset = browser.find_element(By.ID, "q_ocena_ogolna")
    assert (
        "Proszę odpowiedzieć na pytanie"
        in fieldset.find_element(By.CSS_SELECTOR, ".field-error").text
    )

    # … and every answer given is still there
    assert browser.find_element(By.ID, "q_wydzial").get_attribute("value") == str(communication.pk)
    assert checked_value(browser, "q_kompetencje_wiedza") == "3"
    assert browser.find_element(By.ID, "q_co_poprawic").get_attribute("value") == COMMENT
    assert Response.objects.count() == 0

    # When the resident follows the link with Enter, answers and sends again
    tab_to(browser, "the error summary link", lambda el: el == links[0])
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: focused(d).get_attribute("id") == target_id)
    press(browser, Keys.ARROW_RIGHT)
    submit_with_enter(browser)

    # Then the response is stored with both the kept and the new answers
    wait_for_thanks(browser, f"{live_server.url}/swinoujscie/dziekujemy/")
    response = Response.objects.get()
    assert response.department == communication
    assert response.answers == {
        "kompetencje_wiedza": 3,
        "ocena_ogolna": 2,
        "co_poprawic": COMMENT,
    }


# --- reflow: 320 CSS pixels wide, no horizontal scrolling (WCAG 1.4.10) ------------------


def assert_no_horizontal_scroll(driver, width: int = 320):
    sizes = driver.execute_script(
        """
        const root = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
          .slice(0, 5)
          .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className ? '.' + String(el.className).replace(/ +/g, '.') : ''));
        return {inner: innerWidth, client: root.clientWidth, scroll: root.scrollWidth, wide};
        """
    )
    assert sizes["inner"] == width, f"the viewport is not {width} CSS px wide: {sizes}"
    assert sizes["scroll"] <= sizes["client"], (
        f"{driver.current_url} scrolls sideways at {width} CSS px: {sizes}"
    )


REFLOW_PAGES = [
    "",
    "?lang=en",
    "dziekujemy/",
    "ochrona-danych/",
    "deklaracja-dostepnosci/",
]


@pytest.mark.parametrize("page", REFLOW_PAGES)
def test_page_fits_a_320px_wide_window(browser, live_server, office, page):
    browser.set_window_size(320, 800)
    browser.get(survey_url(live_server) + page)
    assert_no_horizontal_scroll(browser)


def test_survey_error_state_fits_a_320px_wide_window(browser, live_server, office):
    browser.set_window_size(320, 800)
    open_survey(browser, survey_url(live_server))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    assert_no_horizontal_scroll(browser)


def test_survey_fits_1280px_window_zoomed_to_400_percent(browser, live_server, office):
    # Browser zoom of 400% on a 1280x900 window leaves a 320x225 CSS-pixel viewport with
    # four device pixels per CSS pixel; emulate exactly that.
    browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 225, "deviceScaleFactor": 4, "mobile": False},
    )
    open_survey(browser, survey_url(live_server))
    assert browser.execute_script("return devicePixelRatio") == 4
    assert_no_horizontal_scroll(browser)


# --- host routing: <slug>.localhost ---------------------------------------------------------


def test_office_host_address_shows_the_same_office(browser, live_server, office, other_office):
    # Given the office's own host name (Chromium resolves *.localhost to loopback)
    host_url = f"http://swinoujscie.localhost:{live_server.thread.port}/"
    open_survey(browser, host_url)

    # Then it is this office's survey, with its departments, posting to its own host
    assert browser.current_url == host_url
    assert browser.find_element(By.CSS_SELECTOR, ".brand").text == office.name
    options = browser.find_elements(By.CSS_SELECTOR, "#q_wydzial option")
    assert [o.text for o in options[1:]] == ["Wydział Komunikacji", "Urząd Stanu Cywilnego"]
    assert browser.find_element(By.TAG_NAME, "form").get_attribute("action") == host_url + "wyslij/"

    # When the resident answers the required items by keyboard and sends
    tab_to_field(browser, "q_wydzial")
    press(browser, Keys.ARROW_DOWN)
    tab_to_field(browser, "q_ocena_ogolna")
    press(browser, Keys.SPACE)
    submit_with_enter(browser)

    # Then the thank-you page is on the same host and the response is this office's
    wait_for_thanks(browser, host_url + "dziekujemy/")
    response = Response.objects.get()
    assert response.office == office
    assert response.answers == {"ocena_ogolna": 1}


def test_other_office_host_shows_only_its_own_departments(
    browser, live_server, office, other_office
):
    open_survey(browser, f"http://ksiazki.localhost:{live_server.thread.port}/")
    assert browser.find_element(By.CSS_SELECTOR, ".brand").text == "Urząd Gminy Książki"
    options = browser.find_elements(By.CSS_SELECTOR, "#q_wydzial option")
    assert [o.text for o in options[1:]] == ["Referat Podatków"]
