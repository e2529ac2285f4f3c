"""The resident's form after an error, and "nie dotyczy" apart from "5", at 320 and 1280
CSS pixels: focus goes to the error summary when it appears; following an error link
shows the question's text and its message; the two ends of the scale do not touch."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import assert_no_axe_violations, wait_for

pytestmark = pytest.mark.browser

WIDTHS = [320, 1280]


def _focused(driver):
    return driver.switch_to.active_element


def _send_empty_form(driver, url):
    driver.get(url)
    wait_for(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "form button")))
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").send_keys(Keys.ENTER)
    return wait_for(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary")))


@pytest.mark.parametrize("width", WIDTHS)
def test_focus_moves_to_the_error_summary_and_each_link_shows_its_question(
    browser, live_server, office, width
):
    browser.set_window_size(width, 800)
    summary = _send_empty_form(browser, f"{live_server.url}/{office.slug}/")

    # focus is on the summary, so a screen reader reads it and Tab reaches the links
    wait_for(browser, lambda d: "error-summary" in (_focused(d).get_attribute("class") or ""))
    links = summary.find_elements(By.CSS_SELECTOR, "li a")
    assert len(links) == 2  # the department and the overall rating
    assert_no_axe_violations(browser)

    for index in range(len(links)):
        summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
        link = summary.find_elements(By.CSS_SELECTOR, "li a")[index]
        target = link.get_attribute("href").rsplit("#", 1)[1]
        browser.execute_script("window.scrollTo(0, 0)")
        link.send_keys(Keys.ENTER)
        wait_for(browser, lambda d, t=target: _focused(d).get_attribute("id") == t)
        # the question's text and its error message are both on screen
        seen = browser.execute_script(
            """
            const field = document.getElementById(arguments[0]);
            const question = field.closest('.question');
            const text = question.querySelector('.q-text');
            const error = question.querySelector('.field-error');
            const t = text.getBoundingClientRect(), e = error.getBoundingClientRect();
            return {textTop: t.top, errorBottom: e.bottom, height: innerHeight,
                    text: text.textContent.trim(), error: error.textContent.trim()};
            """,
            target,
        )
        assert seen["textTop"] >= 0, f"the question is scrolled out of view: {seen}"
        assert seen["errorBottom"] <= seen["height"], f"the message is below the view: {seen}"
        assert seen["error"].startswith("Błąd:")


@pytest.mark.parametrize("width", WIDTHS)
def test_not_applicable_is_kept_apart_from_5(browser, live_server, office, width):
    browser.set_window_size(width, 800)
    browser.get(f"{live_server.url}/{office.slug}/")
    gap = browser.execute_script(
        """
        const five = document.querySelector("label[for='q_wizerunek_lokalizacja_5']");
        const na = document.querySelector("label[for='q_wizerunek_lokalizacja_na']");
        const a = five.getBoundingClientRect(), b = na.getBoundingClientRect();
        const sameRow = Math.abs(a.top - b.top) < 4;
        return {sameRow, across: b.left - a.right, down: b.top - a.bottom,
                naWidth: b.width, text: na.textContent.trim()};
        """
    )
    assert gap["text"] == "nie dotyczy"
    if gap["sameRow"]:
        assert gap["across"] >= 32, f"'nie dotyczy' sits right next to 5: {gap}"
    else:
        assert gap["down"] >= 16, f"'nie dotyczy' sits right under 5: {gap}"


def test_the_error_summary_is_announced_once_focus_leaves_it(browser, live_server, office):
    # Shift+Tab from the summary goes back to the page's start, Tab on to its first link
    _send_empty_form(browser, f"{live_server.url}/{office.slug}/")
    wait_for(browser, lambda d: "error-summary" in (_focused(d).get_attribute("class") or ""))
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert _focused(browser).tag_name == "a"
    assert _focused(browser).get_attribute("href").split("#")[1].startswith("q_")
