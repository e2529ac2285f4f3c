"""The actions register in a real browser: created by keyboard alone, marked done, and
every page of it (list, form with errors, card with history) free of axe violations."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from ocenurzad.actions.models import Action
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for

pytestmark = pytest.mark.browser


def test_an_action_by_keyboard_from_creation_to_done(browser, live_server, office, office_admin):
    login_in_browser(browser, live_server, office_admin)
    base = f"{live_server.url}/{office.slug}/admin/dzialania/"
    department = office.departments.first()
    browser.get(f"{base}nowe/?cel=area:terminowosc&wydzial={department.pk}")

    # an empty save first: the error summary, axe-clean
    browser.find_element(By.ID, "id_title").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Błąd" in d.title)
    assert_no_axe_violations(browser)

    title = browser.find_element(By.ID, "id_title")
    title.send_keys("Dodatkowe stanowisko w poniedziałki")
    browser.find_element(By.ID, "id_owner_name").send_keys("Jan Kowalski")
    browser.find_element(By.ID, "id_deadline").send_keys("31.03.2027")
    browser.find_element(By.ID, "id_owner_name").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Karta działania" in h1_text(d))
    action = Action.objects.get()
    assert action.department == department
    assert [t["key"] for t in action.targets] == ["terminowosc"]
    assert action.deadline.isoformat() == "2027-03-31"
    assert_no_axe_violations(browser)

    # mark it done by keyboard: focus the state select, choose, submit with Enter
    select = browser.find_element(By.ID, "id_status")
    select.send_keys("zak")  # "zakończone"
    browser.find_element(By.ID, "id_note").send_keys("Stanowisko działa od lutego")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/stan/'] button").send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "Zmieniono stan" in d.page_source)
    action.refresh_from_db()
    assert action.status == "done"
    assert "Stanowisko działa od lutego" in browser.page_source
    assert_no_axe_violations(browser)

    browser.get(base)
    assert action.code in browser.page_source
    assert_no_axe_violations(browser)
