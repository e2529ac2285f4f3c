"""axe-core on every panel page an office administrator can open without parameters,
found from the URL configuration (as the role matrix does), plus the login page and a
report preview with figures."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ocenurzad.accounts.models import User
from ocenurzad.responses.models import Response
from tests.browser.conftest import (
    assert_no_axe_violations,
    h1_text,
    login_in_browser,
    wait_for,
)
from tests.panel.test_access_matrix import PAGES, QUERY

pytestmark = pytest.mark.browser

# Operator pages are checked below; PDF downloads are not pages.
NOT_PAGES = {
    "offices",
    "print-pdf",
    "print-batch",
    "survey-draft-preview-pdf",
    "help-manual-pdf",
}
ADMIN_PAGES = [(name, route) for name, route, _perm in PAGES if name not in NOT_PAGES]


@pytest.fixture
def operator(office):
    return User.objects.create_user(username="operator", password="x" * 12, role="operator")


def _responses(office, count=40):
    version = office.survey.current_version
    departments = list(office.departments.all())
    start = timezone.localdate() - timedelta(days=200)
    rows = []
    for i in range(count):
        day = start + timedelta(days=i * 4)
        rows.append(
            Response(
                office=office,
                version=version,
                channel="online" if i % 3 else "paper",
                department=departments[i % len(departments)],
                submitted_at=timezone.make_aware(datetime.combine(day, time(10))),
                answers={
                    "ocena_ogolna": 1 + i % 5,
                    "wizerunek_lokalizacja": 1 + (i * 7) % 5,
                    "metryka_rodzaj_klienta": "osoba_fizyczna",
                    "co_poprawic": f"Uwaga numer {i}.",
                },
            )
        )
    Response.objects.bulk_create(rows)


@pytest.mark.parametrize(("name", "route"), ADMIN_PAGES, ids=[p[0] for p in ADMIN_PAGES])
def test_panel_page_has_no_axe_violations(browser, live_server, office, office_admin, name, route):
    login_in_browser(browser, live_server, office_admin)
    browser.get(f"{live_server.url}/{office.slug}/{route}{QUERY.get(name, '')}")
    assert h1_text(browser), f"{name}: no heading — is it an error page?"
    assert_no_axe_violations(browser)


def test_operator_pages_have_no_axe_violations(browser, live_server, office, operator):
    login_in_browser(browser, live_server, operator)
    for path in (
        "admin/urzad/urzedy/",
        "admin/urzad/urzedy/nowy/",
        f"admin/urzad/urzedy/{office.pk}/domeny/",
    ):
        browser.get(f"{live_server.url}/{office.slug}/{path}")
        assert_no_axe_violations(browser)


def test_login_page_has_no_axe_violations(browser, live_server, office):
    browser.get(f"{live_server.url}/{office.slug}/admin/logowanie/")
    assert_no_axe_violations(browser)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_report_preview_with_figures_has_no_axe_violations(
    browser, live_server, office, office_admin, language
):
    _responses(office)
    login_in_browser(browser, live_server, office_admin)
    end = timezone.localdate()
    start = end - timedelta(days=300)
    browser.get(
        f"{live_server.url}/{office.slug}/admin/raporty/podglad/?okres=zakres"
        f"&od={start:%Y-%m-%d}&do={end:%Y-%m-%d}&porownaj=on&lang={language}"
    )
    assert "<svg" in browser.page_source  # a real report, with figures and charts
    marked = browser.execute_script("return document.querySelectorAll('main [lang=pl]').length")
    # in English the survey's texts, departments and the charts' labels are marked Polish
    assert (marked > 20) if language == "en" else (marked == 0)
    assert_no_axe_violations(browser)


def test_departments_whole_order_and_the_report_message_have_no_axe_violations(
    browser, live_server, office, office_admin, settings, tmp_path
):
    """§ 5 on the departments page: the notice before saving, the whole-order form (shown
    from three departments on), and the message with the report's link after saving."""
    from selenium.webdriver.common.by import By

    from ocenurzad.reports import archive
    from ocenurzad.workflows.models import VisibleChange

    settings.MEDIA_ROOT = tmp_path / "media"
    office.departments.create(name="Wydział Podatków", position=2)
    _responses(office, count=10)
    login_in_browser(browser, live_server, office_admin)
    browser.get(f"{live_server.url}/{office.slug}/admin/urzad/wydzialy/")
    assert "najpierw zapisze w archiwum raport" in browser.page_source
    assert_no_axe_violations(browser)

    first, second, last = office.departments.order_by("position")
    for department, place in ((last, "1"), (first, "2"), (second, "3")):
        field = browser.find_element(By.ID, f"id_place-{department.pk}")
        field.clear()
        field.send_keys(place)
    real_pdf = archive.report_pdf
    try:
        archive.report_pdf = lambda report: b"%PDF-1.4\n% quick\n"
        field.submit()
        # Wait for the page after saving (the message with the report's link), not the
        # departments page still being replaced.
        wait_for(browser, lambda b: "Pobierz ten raport (PDF)" in b.page_source, timeout=30)
    finally:
        archive.report_pdf = real_pdf

    change = VisibleChange.objects.get(office=office)
    assert list(office.departments.order_by("position")) == [last, first, second]
    link = browser.find_element(By.CSS_SELECTOR, f'a[href$="/archiwum/{change.report_id}/pdf/"]')
    assert link.text == "Pobierz ten raport (PDF)"
    assert_no_axe_violations(browser)


# Pages of the English panel that show what the office entered in Polish (marked lang="pl").
ENGLISH_PAGES = [
    "admin/ankieta/szkic/",
    "admin/ankiety-papierowe/",
    "admin/urzad/wydzialy/",
    "admin/dzialania/nowe/",
    "admin/raporty/",
]


@pytest.mark.parametrize("route", ENGLISH_PAGES)
def test_english_panel_page_has_no_axe_violations(
    browser, live_server, office, office_admin, route
):
    from ocenurzad.surveys.services import survey_draft_get_or_create

    survey_draft_get_or_create(office=office, actor=office_admin)
    login_in_browser(browser, live_server, office_admin)
    browser.get(f"{live_server.url}/{office.slug}/{route}?lang=en")
    assert h1_text(browser), f"{route}: no heading — is it an error page?"
    marked = browser.execute_script("return document.querySelectorAll('main [lang=pl]').length")
    assert marked > 0, f"{route}: nothing the office entered is marked Polish"
    assert_no_axe_violations(browser)
