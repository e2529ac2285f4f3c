"""Headless Chromium for the browser tests: one driver per pytest(-xdist) worker.

A missing chromium, chromedriver or axe-core fails these tests; it never skips them, so
CI cannot go green without having run them (``make browser-deps`` installs all three).
"""

from pathlib import Path

import pytest
from django.core.cache import cache
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"

WINDOW = (1280, 900)
CHROME_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require(path: Path, what: str) -> None:
    if not path.is_file():
        pytest.fail(f"{what} not found at {path}; run `make browser-deps`", pytrace=False)


@pytest.fixture(scope="session")
def chrome(tmp_path_factory):
    _require(CHROMIUM, "Chromium (Debian package chromium)")
    _require(CHROMEDRIVER, "chromedriver (Debian package chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        pytest.fail(f"could not start headless Chromium: {exc.msg}", pytrace=False)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chrome, live_server, transactional_db):
    """The worker's driver, reset to a 1280x900 window, with rate-limit counters cleared.

    The live server runs in a thread of this process, so it sees the test's data
    (transactional_db) and shares its cache.
    """
    cache.clear()
    chrome.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.set_window_size(*WINDOW)
    yield chrome
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chrome.get("about:blank")


def login_in_browser(driver, live_server, user) -> None:
    """Start a panel session for ``user`` in the browser (the login form has its own test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    driver.get(f"{live_server.url}/static/css/site.css")
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": session_id, "path": "/"})


@pytest.fixture
def office_admin(office):
    from ocenurzad.accounts.models import User

    return User.objects.create_user(
        username="admin.swinoujscie",
        password="x" * 12,
        office=office,
        role="office_admin",
        first_name="Anna",
        last_name="Nowak",
    )


def wait_for(driver, condition, timeout: float = 10):
    # While a page is being replaced, Chromium may answer a look-up with "node does not
    # belong to the document": that is "not yet", not a failure; the timeout still is.
    return WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(condition)


def h1_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
  .then(result => done(result.violations))
  .catch(error => done({error: String(error)}));
"""


def axe_violations(driver, url: str | None = None) -> list[dict]:
    """Load ``url`` (or keep the current page) and return axe-core's WCAG 2.1 AA violations.

    The page's CSP (script-src 'self') does not apply to WebDriver's execute_script.
    """
    _require(AXE_JS, "axe-core (npm package axe-core)")
    if url is not None:
        driver.get(url)
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(_AXE_RUN, AXE_TAGS)
    if isinstance(result, dict) and "error" in result:
        pytest.fail(f"axe.run failed on {driver.current_url}: {result['error']}")
    return result


def format_violations(violations: list[dict], url: str) -> str:
    """One block per rule: what is wrong, how bad, and which elements to fix."""
    lines = [f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v.get('impact')}] {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary[:400]}")
    return "\n".join(lines)


def assert_no_axe_violations(driver, url: str | None = None) -> None:
    violations = axe_violations(driver, url)
    assert not violations, format_violations(violations, driver.current_url)
