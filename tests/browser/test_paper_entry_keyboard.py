"""A clerk types a whole paper sheet in with the keyboard only; axe-core finds nothing on
any paper-entry page (the form, its error state, the recent list, the delete question).

Only key presses move focus and fill the form; the driver reads the page to check.
"""

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from ocenurzad.accounts.models import User
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import SurveyVersion
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for

pytestmark = pytest.mark.browser

COMMENT = "Więcej ławek w poczekalni."
# One paper sheet as the clerk reads it, field by field in the printed order: digits for
# ratings ("n"/"0": nie dotyczy, "" : left blank), the option's number or the first
# letters of a department for the selects.
TYPED = {
    "wydzial": "Urz",
    "cel_wizyty": "3",
    "wizerunek_lokalizacja": "5",
    "wizerunek_oznakowanie": "4",
    "wizerunek_parking": "n",
    "wizerunek_strona": "0",
    "wizerunek_czystosc": "",
    "wizerunek_ubior": "3",
    "podejscie_godziny": "2",
    "podejscie_formularze": "",
    "podejscie_zaangazowanie": "4",
    "podejscie_szacunek": "5",
    "kompetencje_wiedza": "5",
    "kompetencje_informacja": "4",
    "kompetencje_watpliwosci": "",
    "kompetencje_jezyk": "4",
    "kompetencje_uprzejmosc": "5",
    "kompetencje_pomoc": "5",
    "terminowosc_oczekiwanie": "1",
    "terminowosc_szybkosc": "2",
    "terminowosc_informacja": "N",
    "terminowosc_dotrzymanie": "3",
    "rzetelnosc_obiektywizm": "4",
    "rzetelnosc_przepisy": "",
    "rzetelnosc_przejrzystosc": "4",
    "rzetelnosc_starannosc": "5",
    "ocena_ogolna": "4",
    "sprawa_zalatwiona": "2",
    "co_poprawic": COMMENT,
    "metryka_czestotliwosc": "2",
    "metryka_rodzaj_klienta": "1",
    "metryka_plec": "",
    "metryka_wiek": "3",
    "metryka_wyksztalcenie": "4",
    "metryka_zamieszkanie": "1",
}
STORED = {
    "cel_wizyty": "informacja",
    "wizerunek_lokalizacja": 5,
    "wizerunek_oznakowanie": 4,
    "wizerunek_parking": "na",
    "wizerunek_strona": "na",
    "wizerunek_ubior": 3,
    "podejscie_godziny": 2,
    "podejscie_zaangazowanie": 4,
    "podejscie_szacunek": 5,
    "kompetencje_wiedza": 5,
    "kompetencje_informacja": 4,
    "kompetencje_jezyk": 4,
    "kompetencje_uprzejmosc": 5,
    "kompetencje_pomoc": 5,
    "terminowosc_oczekiwanie": 1,
    "terminowosc_szybkosc": 2,
    "terminowosc_informacja": "na",
    "terminowosc_dotrzymanie": 3,
    "rzetelnosc_obiektywizm": 4,
    "rzetelnosc_przejrzystosc": 4,
    "rzetelnosc_starannosc": 5,
    "ocena_ogolna": 4,
    "sprawa_zalatwiona": "czesciowo",
    "co_poprawic": COMMENT,
    "metryka_czestotliwosc": "kilka_razy_w_roku",
    "metryka_rodzaj_klienta": "osoba_fizyczna",
    "metryka_wiek": "41_55",
    "metryka_wyksztalcenie": "wyzsze",
    "metryka_zamieszkanie": "gmina",
}


@pytest.fixture
def clerk(office):
    return User.objects.create_user(
        username="rejestrator",
        password="x" * 12,
        office=office,
        role="clerk",
        first_name="Ewa",
        last_name="Kozłowska",
    )


def entry_url(live_server, suffix="") -> str:
    return f"{live_server.url}/swinoujscie/admin/ankiety-papierowe/{suffix}"


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    return driver.switch_to.active_element


def focused_name(driver) -> str | None:
    return focused(driver).get_attribute("name")


def open_entry(driver, live_server, user):
    login_in_browser(driver, live_server, user)
    driver.get(entry_url(live_server))
    wait_for(driver, EC.presence_of_element_located((By.ID, "nr_arkusza")))
    assert h1_text(driver) == "Wprowadź ankietę (papierową)"


def typed_in(office, clerk, sheet_number):
    return Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=Channel.PAPER,
        source="papier",
        department=office.departments.first(),
        submitted_at=timezone.now(),
        answers={"ocena_ogolna": 5},
        entered_by=clerk,
        sheet_number=sheet_number,
        entered_at=timezone.now(),
    )


def test_clerk_types_a_whole_sheet_by_keyboard_and_gets_an_empty_form(
    browser, live_server, office, clerk
):
    # Given the entry page: focus is already in the first field, the sheet number
    open_entry(browser, live_server, clerk)
    assert focused(browser).get_attribute("id") == "nr_arkusza"

    # When the clerk types the number, keeps today's date, and goes through every item
    # in the printed order, typing and pressing Tab
    press(browser, "123", Keys.TAB)
    assert focused_name(browser) == "data_wypelnienia"
    for _ in range(4):  # the date's own parts (day, month, year) are tab stops too
        if focused_name(browser) != "data_wypelnienia":
            break
        press(browser, Keys.TAB)
    for _section, question in iter_questions(office.survey.current_version.definition):
        name = f"q_{question['key']}"
        assert focused_name(browser) == name, "Tab does not follow the order of the sheet"
        if TYPED[question["key"]]:
            press(browser, TYPED[question["key"]])
        if question["key"] == "wizerunek_oznakowanie":
            # typing shows what the digit means, next to the field
            echo = browser.find_element(By.CSS_SELECTOR, f"#{name} ~ .paper-echo")
            assert echo.text == "4 – dobrze"
        press(browser, Keys.TAB)

    # … and presses Enter on the first button
    button = focused(browser)
    assert button.tag_name == "button" and button.text == "Zapisz i wprowadź następną"
    press(browser, Keys.ENTER)

    # Then the sheet is stored as typed …
    wait_for(
        browser,
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".messages"), "Zapisano ankietę — arkusz nr 123."
        ),
    )
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER
    assert stored.entered_by == clerk
    assert stored.sheet_number == 123
    assert stored.department.name == "Urząd Stanu Cywilnego"
    assert timezone.localdate(stored.submitted_at) == timezone.localdate()
    assert stored.answers == STORED
    # … and the next, empty form waits with focus on its first field
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    assert focused(browser).get_attribute("value") == ""
    values = browser.execute_script(
        "return [...document.querySelectorAll('input.paper-digit, form.paper-form select')]"
        ".map(el => el.value)"
    )
    assert values and not any(values)


def test_a_typo_is_reported_with_focus_on_the_summary_and_a_link_to_the_field(
    browser, live_server, office, clerk
):
    open_entry(browser, live_server, clerk)
    browser.find_element(By.ID, "nr_arkusza").send_keys("12a")
    browser.find_element(By.ID, "q_wizerunek_lokalizacja").send_keys("7")
    press(browser, Keys.ENTER)

    summary = wait_for(
        browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
    )
    assert browser.title.startswith("Błąd:")
    wait_for(browser, lambda d: "error-summary" in focused(d).get_attribute("class"))
    assert "Ocena musi być cyfrą od 1 do 5, 0 lub n (nie dotyczy)" in summary.text
    # the errors are listed in the order of the form: the sheet number first
    press(browser, Keys.TAB)
    assert "arkusz" in focused(browser).text.lower()
    press(browser, Keys.TAB)
    assert focused(browser).text.startswith("Ocena musi być cyfrą")
    press(browser, Keys.ENTER)
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "q_wizerunek_lokalizacja")
    assert focused(browser).get_attribute("value") == "7"
    assert not Response.objects.exists()


# Accessibility


def test_entry_page_has_no_axe_violations(browser, live_server, office, clerk):
    typed_in(office, clerk, 41)
    open_entry(browser, live_server, clerk)
    assert_no_axe_violations(browser)


def test_entry_page_with_a_version_choice_has_no_axe_violations(
    browser, live_server, office, clerk
):
    # Given a second published version: the form offers the older one for old sheets
    survey = office.survey
    first = survey.current_version
    survey.current_version = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=2,
        status=SurveyVersion.Status.PUBLISHED,
        definition=first.definition,
        published_at=timezone.now(),
    )
    survey.save()
    open_entry(browser, live_server, clerk)
    choice = Select(browser.find_element(By.ID, "wersja-arkusza"))
    assert choice.first_selected_option.text == "SWINOUJSCIE-V2 — bieżąca"
    assert_no_axe_violations(browser)

    # When the clerk picks version 1 by keyboard and shows its form
    choice_element = browser.find_element(By.ID, "wersja-arkusza")
    choice_element.send_keys(Keys.ARROW_DOWN)
    press(browser, Keys.TAB, Keys.ENTER)

    # Then the form is that of version 1
    wait_for(browser, EC.url_contains(f"?wersja={first.pk}"))
    legend = browser.find_element(By.CSS_SELECTOR, ".paper-section legend").text
    assert legend == "Arkusz SWINOUJSCIE-V1"
    assert_no_axe_violations(browser)


def test_entry_error_state_has_no_axe_violations(browser, live_server, office, clerk):
    open_entry(browser, live_server, clerk)
    browser.find_element(By.ID, "nr_arkusza").send_keys("12a")
    browser.find_element(By.ID, "q_wizerunek_lokalizacja").send_keys("x")
    browser.find_element(By.CSS_SELECTOR, "button[name=dalej][value='0']").click()
    summary = wait_for(
        browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
    )
    # the sheet number and the letter (paper does not enforce required items)
    assert len(summary.find_elements(By.CSS_SELECTOR, "li a")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, ".field-error")) == 2
    assert_no_axe_violations(browser)


def test_recent_list_has_no_axe_violations(browser, live_server, office, clerk):
    typed_in(office, clerk, 41)
    typed_in(office, clerk, None)
    login_in_browser(browser, live_server, clerk)
    browser.get(entry_url(live_server, "ostatnie/"))
    assert h1_text(browser) == "Ostatnio wprowadzone ankiety papierowe"
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 2
    assert_no_axe_violations(browser)


def test_correction_form_has_no_axe_violations(browser, live_server, office, clerk):
    response = typed_in(office, clerk, 41)
    login_in_browser(browser, live_server, clerk)
    browser.get(entry_url(live_server, f"{response.pk}/"))
    assert h1_text(browser) == "Popraw ankietę papierową"
    assert browser.find_element(By.ID, "nr_arkusza").get_attribute("value") == "41"
    assert_no_axe_violations(browser)


def test_delete_confirmation_has_no_axe_violations(browser, live_server, office, clerk):
    response = typed_in(office, clerk, 41)
    login_in_browser(browser, live_server, clerk)
    browser.get(entry_url(live_server, f"{response.pk}/usun/"))
    assert h1_text(browser) == "Usunąć ankietę papierową?"
    assert_no_axe_violations(browser)

    # and the deletion itself is one keyboard action away
    button = browser.find_element(By.CSS_SELECTOR, "form.paper-buttons button")
    button.send_keys(Keys.ENTER)
    wait_for(
        browser,
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".messages"), "Usunięto ankietę — arkusz nr 41."
        ),
    )
    assert not Response.objects.exists()
