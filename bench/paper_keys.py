"""Paper entry by keyboard: keys and seconds per sheet for the same 10 demo sheets.

Drives headless Chromium (selenium) through the panel's "Wprowadź ankietę (papierową)" of
a running server, typing each sheet as a clerk would — only key presses move and fill —
and counts every key pressed. Afterwards it compares what was stored with the sheets
(wrong stored values must be 0) and removes the typed sheets again.

    # a server with the demo data (manage.py runserver on a demo database, DEBUG=1 so
    # that it serves the static files itself); see bench/README.md
    DATABASE_URL=sqlite:///$PWD/var/bench.db .venv/bin/python bench/paper_keys.py \\
        --url http://127.0.0.1:8143 --ui new

``--period 11.2026`` sets the stack's period of collection once before the first sheet
(Shift+Tab three times to the stack's field, the period, Tab three times back — counted in
the first sheet's keys) and checks that every sheet is stored with it; without it the
sheets are dated today (the stack's default).

``--ui new`` types the way the current form allows (numbers for departments and choices,
a valid digit moving on by itself, the stack's date and the next sheet number kept);
``--ui old`` the way the form before issue 11 needed (Tab after every field, the date
input's three parts, the first letters of the department in a select), so the same script
measures both: run it against a server of the older code with ``--ui old``.

The script reads the demo sheets and checks the stored ones through Django, so it needs
the same DATABASE_URL as the server. The ten sheets are the Świnoujście demo office's
first ten paper responses of the current version, entered as sheets 9001–9010 dated today.
Seconds are those of a machine typing (the server's and the browser's share); a person's
time follows from the keys (``--key-ms``, 250 ms a key by default, about 4 keys a second).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocenurzad.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from ocenurzad.accounts.models import User  # noqa: E402
from ocenurzad.offices.models import Office  # noqa: E402
from ocenurzad.responses.models import Channel, Response  # noqa: E402
from ocenurzad.responses.paper import sheet_date_read  # noqa: E402
from ocenurzad.surveys.definition import NOT_APPLICABLE, field_name, iter_questions  # noqa: E402

FIRST_NUMBER = 9001
SHEETS = 10
CLERK = "bench.paper-keys"


class Keyboard:
    def __init__(self, driver):
        self.driver = driver
        self.count = 0
        self.text_keys = 0

    def press(self, *keys, text=False):
        """Press each of ``keys``: a special key (Tab, Enter) is one key, a string one key
        a character. ``text``: the characters of a comment, counted apart as well."""
        for key in keys:
            n = 1 if len(key) == 1 or ord(key[0]) >= 0xE000 else len(key)
            self.count += n
            if text:
                self.text_keys += n
            ActionChains(self.driver).send_keys(key).perform()

    def focused(self):
        return self.driver.switch_to.active_element


def demo_sheets(office):
    version = office.survey.current_version
    rows = list(
        Response.objects.filter(office=office, channel=Channel.PAPER, version=version)
        .exclude(sheet_number__gte=FIRST_NUMBER, sheet_number__lt=FIRST_NUMBER + SHEETS)
        .select_related("department")
        .order_by("pk")[:SHEETS]
    )
    if len(rows) < SHEETS:
        sys.exit(f"{office.slug}: fewer than {SHEETS} demo paper sheets; run the demo first")
    return version, rows


def start(url, office, lang):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--lang={lang}",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": lang})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    clerk, _ = User.objects.get_or_create(
        username=CLERK, defaults={"office": office, "role": "clerk", "first_name": "Bench"}
    )
    client = Client()
    client.force_login(clerk)
    driver.get(f"{url}/static/css/site.css")
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    return driver, clerk


def wait_for_form(driver, previous=None):
    def ready(d):
        if previous is not None and d.find_elements(By.CSS_SELECTOR, ".messages") == []:
            return False
        return d.execute_script("return document.readyState") == "complete" and (
            d.find_elements(By.ID, "nr_arkusza")
        )

    WebDriverWait(driver, 20).until(ready)


def type_sheet_new(kb, driver, version, response, departments, number, first):
    """The current form: the stack's date kept, numbers for choices, digits move on."""
    assert kb.focused().get_attribute("id") == "nr_arkusza", "cursor not in Numer arkusza"
    suggested = kb.focused().get_attribute("value")
    if suggested != str(number):
        kb.press(str(number))  # the suggestion is selected: typing replaces it
    kb.press(Keys.TAB)
    for _section, question in iter_questions(version.definition):
        name = field_name(question)
        element = kb.focused()
        assert element.get_attribute("name") == name, (element.get_attribute("name"), name)
        kind = question["kind"]
        value = response.answers.get(question["key"])
        if kind == "department":
            number_on_list = next(
                (i for i, d in enumerate(departments, start=1) if d.pk == response.department_id),
                None,
            )
            keys = str(number_on_list) if number_on_list else ""
            moves = bool(keys) and int(keys) * 10 > len(departments)
        elif kind == "rating":
            keys = "" if value is None else ("0" if value == NOT_APPLICABLE else str(value))
            moves = bool(keys)
        elif kind == "single":
            values = [o["value"] for o in question["options"]]
            keys = str(values.index(value) + 1) if value in values else ""
            moves = bool(keys) and int(keys) * 10 > len(values)
        elif kind == "text":
            keys = value or ""
            moves = False
        else:
            raise SystemExit(f"question kind {kind} not covered by the bench")
        if keys:
            kb.press(keys, text=kind == "text")
        if not moves:
            kb.press(Keys.TAB)
    button = kb.focused()
    assert button.tag_name == "button", button.tag_name
    kb.press(Keys.ENTER)


def set_period_once(kb, driver, typed: str):
    """Before the first sheet: from "Numer arkusza" back to the stack's date field, type the
    period over it (tabbing into a text field selects its content) and come back."""
    assert kb.focused().get_attribute("id") == "nr_arkusza", "cursor not in Numer arkusza"
    for _ in range(3):
        kb.count += 1  # Shift+Tab: one chord
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert kb.focused().get_attribute("id") == "data_wypelnienia", kb.focused().get_attribute("id")
    kb.press(typed, Keys.TAB, Keys.TAB, Keys.TAB)
    assert kb.focused().get_attribute("id") == "nr_arkusza", "cursor not back in Numer arkusza"


def type_sheet_old(kb, driver, version, response, departments, number, first):
    """The form before issue 11: Tab after each field, the date input's parts, selects."""
    assert kb.focused().get_attribute("id") == "nr_arkusza", "cursor not in Numer arkusza"
    kb.press(str(number), Keys.TAB)
    for _ in range(4):  # the date's own parts (day, month, year) are tab stops too
        if kb.focused().get_attribute("name") != "data_wypelnienia":
            break
        kb.press(Keys.TAB)
    for _section, question in iter_questions(version.definition):
        name = field_name(question)
        element = kb.focused()
        assert element.get_attribute("name") == name, (element.get_attribute("name"), name)
        kind = question["kind"]
        value = response.answers.get(question["key"])
        if kind == "department":
            keys = ""
            if response.department_id:
                target = next(d.name for d in departments if d.pk == response.department_id)
                others = [d.name.lower() for d in departments if d.pk != response.department_id]
                for size in range(1, len(target) + 1):
                    keys = target[:size]
                    if not any(o.startswith(keys.lower()) for o in others):
                        break
        elif kind == "rating":
            keys = "" if value is None else ("0" if value == NOT_APPLICABLE else str(value))
        elif kind == "single":
            values = [o["value"] for o in question["options"]]
            keys = str(values.index(value) + 1) if value in values else ""
        elif kind == "text":
            keys = value or ""
        else:
            raise SystemExit(f"question kind {kind} not covered by the bench")
        if keys:
            kb.press(keys, text=kind == "text")
        kb.press(Keys.TAB)
    button = kb.focused()
    assert button.tag_name == "button", button.tag_name
    kb.press(Keys.ENTER)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--office", default="swinoujscie")
    parser.add_argument("--ui", choices=("new", "old"), default="new")
    parser.add_argument("--key-ms", type=int, default=250)
    parser.add_argument("--period", help="a period of collection set once, e.g. 11.2026")
    args = parser.parse_args()
    expected_date = None
    if args.period and args.ui == "old":
        sys.exit("--period is for the current form (--ui new)")
    if args.period:
        expected_date, error = sheet_date_read(args.period, today=timezone.localdate())
        if error:
            sys.exit(error)

    office = Office.objects.get(slug=args.office)
    version, sheets = demo_sheets(office)
    departments = list(office.departments.filter(is_active=True).order_by("position", "name"))
    numbers = range(FIRST_NUMBER, FIRST_NUMBER + SHEETS)
    Response.objects.filter(office=office, sheet_number__in=numbers).delete()
    driver, _clerk = start(args.url, office, "pl")
    kb = Keyboard(driver)
    typer = type_sheet_new if args.ui == "new" else type_sheet_old
    keys, text_keys, seconds = [], [], []
    try:
        driver.get(f"{args.url}/{office.slug}/admin/ankiety-papierowe/")
        wait_for_form(driver)
        for index, (response, number) in enumerate(zip(sheets, numbers, strict=True)):
            before, before_text, started = kb.count, kb.text_keys, time.perf_counter()
            if index == 0 and args.period:
                set_period_once(kb, driver, args.period)
            typer(kb, driver, version, response, departments, number, first=index == 0)
            WebDriverWait(driver, 20).until(
                lambda d, n=number: (
                    f"arkusz nr {n}." in d.page_source or "error-summary" in d.page_source
                )
            )
            wait_for_form(driver)
            if "error-summary" in driver.page_source:
                sys.exit(f"sheet {number}: the form reported errors")
            seconds.append(time.perf_counter() - started)
            keys.append(kb.count - before)
            text_keys.append(kb.text_keys - before_text)
        wrong = 0
        for response, number in zip(sheets, numbers, strict=True):
            stored = Response.objects.get(office=office, sheet_number=number)
            expected = response.answers
            for key in set(expected) | set(stored.answers):
                wrong += expected.get(key) != stored.answers.get(key)
            wrong += stored.department_id != response.department_id
            if expected_date is None:
                wrong += timezone.localdate(stored.submitted_at) != timezone.localdate()
            else:
                wrong += timezone.localdate(stored.submitted_at) != expected_date.day
                wrong += (stored.period_start, stored.period_end) != (
                    expected_date.stored()["period_start"],
                    expected_date.stored()["period_end"],
                )
    finally:
        driver.quit()
        Response.objects.filter(office=office, sheet_number__in=numbers).delete()
    human = [k * args.key_ms / 1000 for k in keys]
    period = f", period {args.period} set once" if args.period else ""
    print(f"paper entry by keyboard, {args.ui} form, {SHEETS} demo sheets of {office.slug}{period}")
    print(f"  keys a sheet:            mean {statistics.mean(keys):.1f}, max {max(keys)}")
    print(
        "  keys a sheet w/o comment: mean "
        f"{statistics.mean(k - t for k, t in zip(keys, text_keys, strict=True)):.1f}"
    )
    print(f"  seconds a sheet (machine): mean {statistics.mean(seconds):.2f}")
    print(f"  seconds a sheet at {args.key_ms} ms a key: mean {statistics.mean(human):.1f}")
    print(f"  wrong stored values:     {wrong}")


if __name__ == "__main__":
    main()
