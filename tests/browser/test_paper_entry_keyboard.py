"""A clerk types a whole paper sheet in with the keyboard only; axe-core finds nothing on
any paper-entry page (the form, its error state, the recent list, the delete question).

Only key presses move focus and fill the form; the driver reads the page to check.
"""

from datetime import date

import pytest
from django.utils import timezone
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from ocenurzad.accounts.models import User
from ocenurzad.printing.services import print_batch_record
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import SurveyVersion
from tests.browser.conftest import assert_no_axe_violations, h1_text, login_in_browser, wait_for

pytestmark = pytest.mark.browser

COMMENT = "Więcej ławek w poczekalni."
# One paper sheet as the clerk reads it, field by field in the printed order: digits for
# ratings ("n"/"0": nie dotyczy, "" : left blank), the number shown next to the department
# or the choice for the others.
TYPED = {
    "wydzial": "2",
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


def moves_on(question, typed: str) -> bool:
    """Whether a valid digit moves the cursor on by itself (the form's default)."""
    # ratings, and lists of fewer than ten choices or departments
    return bool(typed) and question["kind"] != "text"


def type_sheet(driver, definition, typed: dict):
    """Type one sheet from the first question on, only with keys: a digit where the
    sheet has an answer (the cursor moves on by itself), Tab where it has none."""
    for _section, question in iter_questions(definition):
        name = f"q_{question['key']}"
        assert focused_name(driver) == name, "the cursor does not follow the sheet"
        value = typed.get(question["key"], "")
        if value:
            press(driver, value)
        if not moves_on(question, value):
            press(driver, Keys.TAB)


def test_clerk_types_a_whole_sheet_by_keyboard_and_gets_an_empty_form(
    browser, live_server, office, clerk
):
    # Given the entry page: focus is already in the first field, the sheet number
    open_entry(browser, live_server, clerk)
    assert focused(browser).get_attribute("id") == "nr_arkusza"

    # When the clerk types the number and goes through every item in the printed order —
    # the stack's date is kept, so the next field is the first question
    press(browser, "123", Keys.TAB)
    definition = office.survey.current_version.definition
    for _section, question in iter_questions(definition):
        name = f"q_{question['key']}"
        assert focused_name(browser) == name, "the cursor does not follow the sheet"
        value = TYPED[question["key"]]
        if value:
            press(browser, value)
        if question["key"] == "wizerunek_oznakowanie":
            # typing shows what the digit means, next to the field
            echo = browser.find_element(By.CSS_SELECTOR, f"#{name} ~ .paper-echo")
            assert echo.text == "4 – dobrze"
        if question["key"] == "cel_wizyty":
            echo = browser.find_element(By.CSS_SELECTOR, f"#{name} ~ .paper-echo")
            assert echo.text == "3 uzyskanie informacji lub wyjaśnień"
        if not moves_on(question, value):
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
    # … and the next, empty form waits with the cursor in the number, 124 suggested
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    assert focused(browser).get_attribute("value") == "124"
    assert browser.execute_script(
        "const el = document.activeElement; return [el.selectionStart, el.selectionEnd]"
    ) == [0, 3]
    values = browser.execute_script(
        "return [...document.querySelectorAll('.paper-section:not(.paper-stack) "
        "input.paper-digit, form.paper-form textarea')].map(el => el.value)"
    )
    assert values and not any(values)


def test_ten_sheets_by_keyboard_with_the_cursor_in_the_number_after_each_save(
    browser, live_server, office, clerk
):
    open_entry(browser, live_server, clerk)
    definition = office.survey.current_version.definition
    for index in range(10):
        # the cursor waits in "Numer arkusza", at the top of the page
        wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
        assert browser.execute_script("return window.scrollY") == 0
        if index == 0:
            press(browser, "501")
        else:
            assert focused(browser).get_attribute("value") == str(501 + index)
        press(browser, Keys.TAB)
        if index == 3:
            # a typo: "7" stays put (not a rating); Enter sends the sheet as it is
            press(browser, "1", "2", "7")
            assert focused_name(browser) == "q_wizerunek_lokalizacja"
        else:
            sheet = {"wydzial": "1", "cel_wizyty": "2"}
            sheet["wizerunek_lokalizacja"] = str(1 + index % 5)
            type_sheet(browser, {"sections": definition["sections"][:2]}, sheet)
        press(browser, Keys.ENTER)
        if index == 3:
            summary = wait_for(
                browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
            )
            wait_for(browser, lambda d: "error-summary" in focused(d).get_attribute("class"))
            press(browser, Keys.TAB)
            assert "Ocena musi być cyfrą" in focused(browser).text
            press(browser, Keys.ENTER)
            wait_for(browser, lambda d: focused(d).get_attribute("id") == "q_wizerunek_lokalizacja")
            # jumping to the error selects the bad value: typing replaces it
            assert browser.execute_script(
                "const el = document.activeElement;"
                "return [el.value, el.selectionStart, el.selectionEnd]"
            ) == ["7", 0, 1]
            assert "#q_wizerunek_lokalizacja" in browser.current_url or summary
            press(browser, "4", Keys.ENTER)
        wait_for(
            browser,
            EC.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".messages"), f"arkusz nr {501 + index}."
            ),
        )
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    stored = Response.objects.order_by("sheet_number")
    assert [r.sheet_number for r in stored] == list(range(501, 511))
    assert stored[3].answers["wizerunek_lokalizacja"] == 4
    assert [r.answers["wizerunek_lokalizacja"] for r in stored] == [
        4 if i == 3 else 1 + i % 5 for i in range(10)
    ]
    assert {r.department.name for r in stored} == {"Wydział Komunikacji"}
    assert "Wprowadzone dzisiaj arkusze: 10." in browser.find_element(By.TAG_NAME, "main").text


def test_ten_sheets_by_keyboard_with_a_period_set_once_for_the_stack(
    browser, live_server, office, clerk
):
    # Given the November urn: its sheets have no day, only the period 01.11–30.11.2025
    open_entry(browser, live_server, clerk)
    assert focused(browser).get_attribute("id") == "nr_arkusza"

    # When the clerk goes back to the stack's field (once), types the period over the date
    # and comes back to the number
    for _ in range(3):
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert focused(browser).get_attribute("id") == "data_wypelnienia"
    press(browser, "01.11.2025-30.11.2025", Keys.TAB, Keys.TAB, Keys.TAB)
    assert focused(browser).get_attribute("id") == "nr_arkusza"

    # … and types ten sheets, nothing more for the date
    definition = office.survey.current_version.definition
    for index in range(10):
        wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
        assert browser.execute_script("return window.scrollY") == 0
        if index == 0:
            press(browser, "701")
        else:
            assert focused(browser).get_attribute("value") == str(701 + index)
            # the period stays for the stack, explained next to it
            field = browser.find_element(By.ID, "data_wypelnienia")
            assert field.get_attribute("value") == "01.11.2025–30.11.2025"
            note = browser.find_element(By.ID, "data_wypelnienia-hint").text
            assert "liczą się w jego środkowym dniu, 15.11.2025." in note
        press(browser, Keys.TAB)
        sheet = {"wydzial": "2", "cel_wizyty": "1", "wizerunek_lokalizacja": str(1 + index % 5)}
        type_sheet(browser, {"sections": definition["sections"][:2]}, sheet)
        press(browser, Keys.ENTER)
        wait_for(
            browser,
            EC.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".messages"), f"arkusz nr {701 + index}."
            ),
        )

    # Then every sheet keeps the period and counts on its middle day
    stored = Response.objects.order_by("sheet_number")
    assert [r.sheet_number for r in stored] == list(range(701, 711))
    assert {(r.period_start, r.period_end) for r in stored} == {
        (date(2025, 11, 1), date(2025, 11, 30))
    }
    assert {timezone.localdate(r.submitted_at) for r in stored} == {date(2025, 11, 15)}
    assert [r.answers["wizerunek_lokalizacja"] for r in stored] == [1 + i % 5 for i in range(10)]
    assert_no_axe_violations(browser)


def test_a_version_1_sheet_number_in_the_version_2_form_is_refused_then_entered_in_v1(
    browser, live_server, office, clerk
):
    # Given sheets 101–150 printed as version 1, and version 2 current since
    survey = office.survey
    first = survey.current_version
    print_batch_record(
        office=office, version=first, language="pl", numbers=list(range(101, 151)),
        fingerprint="", actor=clerk,
    )  # fmt: skip
    survey.current_version = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=2,
        status=SurveyVersion.Status.PUBLISHED,
        definition=first.definition,
        published_at=timezone.now(),
    )
    survey.save()
    # (without JavaScript: with it, leaving the number field already opens the version 1
    # form — the next test)
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        open_entry(browser, live_server, clerk)
        form_text = browser.find_element(By.CSS_SELECTOR, ".paper-form").text
        assert "Arkusz SWINOUJSCIE-V2" in form_text

        # When the clerk types sheet 105 into the version 2 form and sends it
        press(browser, "105", Keys.TAB, "1", Keys.TAB, "3", Keys.TAB, "5", Keys.ENTER)
        wait_for(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".error-summary")))
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

    # Then it is refused with a message naming its version, nothing stored
    summary = wait_for(
        browser, EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-summary"))
    )
    assert "wydrukowano w wersji SWINOUJSCIE-V1 (arkusze 101–150)" in summary.text
    assert not Response.objects.exists()
    assert_no_axe_violations(browser)

    # When the clerk opens the version 1 form from the message and types the sheet there
    link = summary.find_element(By.PARTIAL_LINK_TEXT, "Otwórz formularz wersji SWINOUJSCIE-V1")
    link.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    assert "Arkusz SWINOUJSCIE-V1" in browser.find_element(By.CSS_SELECTOR, ".paper-form").text
    assert focused(browser).get_attribute("value") == "105"
    press(browser, Keys.TAB, "1", "3", "5", Keys.ENTER)

    # Then it is stored as a version 1 sheet, and sheet 106 opens in version 1 again
    wait_for(
        browser,
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "arkusz nr 105."),
    )
    assert Response.objects.get().version == first
    assert "Arkusz SWINOUJSCIE-V1" in browser.find_element(By.CSS_SELECTOR, ".paper-form").text
    assert browser.find_element(By.ID, "nr_arkusza").get_attribute("value") == "106"


def test_a_typed_sheet_number_opens_the_form_of_the_version_it_was_printed_as(
    browser, live_server, office, clerk
):
    survey = office.survey
    first = survey.current_version
    print_batch_record(
        office=office, version=first, language="pl", numbers=list(range(101, 151)),
        fingerprint="", actor=clerk,
    )  # fmt: skip
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
    browser.find_element(By.ID, "data_wypelnienia").clear()
    browser.find_element(By.ID, "data_wypelnienia").send_keys("02.12.2026")
    browser.find_element(By.ID, "nr_arkusza").click()

    # When the clerk types a number printed as version 1 and leaves the field
    press(browser, "105", Keys.TAB)

    # Then the version 1 form opens, with the number and the stack's date kept
    wait_for(browser, EC.url_contains(f"wersja={first.pk}"))
    wait_for(
        browser,
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".paper-section:not(.paper-stack) legend"), "SWINOUJSCIE-V1"
        ),
    )
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    assert focused(browser).get_attribute("value") == "105"
    assert browser.find_element(By.ID, "data_wypelnienia").get_attribute("value") == "02.12.2026"
    # a number of the form's own version (or of no batch) stays where it is
    press(browser, Keys.TAB)
    assert focused_name(browser) == "q_wydzial"
    assert f"wersja={first.pk}" in browser.current_url


def test_without_the_option_a_digit_does_not_move_on(browser, live_server, office, clerk):
    open_entry(browser, live_server, clerk)
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert focused(browser).get_attribute("id") == "auto"
    press(browser, Keys.SPACE)  # switch the option off
    browser.find_element(By.ID, "q_wizerunek_lokalizacja").click()
    press(browser, "5")
    assert focused_name(browser) == "q_wizerunek_lokalizacja"


def test_enter_saves_from_the_stacks_option_and_list_too(browser, live_server, office, clerk):
    # Browsers send a form on Enter only from a text field; the paper form does it from
    # a checkbox and a list as well — from every field but the comment.
    open_entry(browser, live_server, clerk)

    def shift_tab():
        ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()

    press(browser, "77", Keys.TAB, "2")  # the number, then department 2 (moves on)
    assert focused_name(browser) == "q_cel_wizyty"
    for _ in range(3):
        shift_tab()
    assert focused(browser).get_attribute("id") == "auto"
    press(browser, Keys.ENTER)
    wait_for(
        browser,
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "arkusz nr 77."),
    )
    wait_for(browser, lambda d: focused(d).get_attribute("id") == "nr_arkusza")
    press(browser, Keys.TAB, "1")  # 78 suggested; department 1
    for _ in range(4):
        shift_tab()
    assert focused(browser).get_attribute("id") == "urna"
    press(browser, Keys.ENTER)
    wait_for(
        browser,
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "arkusz nr 78."),
    )
    assert [r.sheet_number for r in Response.objects.order_by("sheet_number")] == [77, 78]
    # the option is still on: nothing but Enter was pressed on it
    assert browser.find_element(By.ID, "auto").is_selected()


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
    wait_for(browser, EC.url_contains(f"wersja={first.pk}"))
    legend = browser.find_element(By.CSS_SELECTOR, ".paper-section:not(.paper-stack) legend").text
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
