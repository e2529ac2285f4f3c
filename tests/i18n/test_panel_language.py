"""The panel is in Polish and English only: a survey language in its address must not put
Polish text under lang="uk" (WCAG 3.1.1); the draft preview still shows the survey in it.
A staff member's choice holds for the session, in their office's panel only; residents'
pages never keep one."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.responses.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, office):
    office.languages = ["en", "uk", "de"]
    office.save()
    user = User.objects.create_user(
        username="adm", password="x", role=Role.OFFICE_ADMIN, office=office
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return user


@pytest.mark.parametrize("code", ["uk", "de", "xx"])
def test_a_survey_language_is_not_taken_by_the_panel(client, office, admin, code):
    page = client.get(f"/{office.slug}/admin/pulpit/?lang={code}")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="pl">' in html and page["Content-Language"] == "pl"
    assert "Pulpit" in html
    # The language links at the top offer only the panel's languages.
    assert 'hreflang="uk"' not in html and 'hreflang="de"' not in html


def test_english_is_the_panels_second_language(client, office, admin):
    page = client.get(f"/{office.slug}/admin/pulpit/?lang=en")
    html = page.content.decode()
    assert '<html lang="en">' in html and page["Content-Language"] == "en"
    assert 'hreflang="en"' in html


def test_the_draft_preview_shows_the_survey_in_a_residents_language(client, office, admin):
    page = client.get(f"/{office.slug}/admin/ankieta/szkic/podglad/?lang=uk")
    assert page.status_code == 200
    assert '<html lang="uk">' in page.content.decode()


# --- the choice is kept for the session -----------------------------------------------------

MENU_RE = re.compile(r'<nav class="panel-nav".*?</nav>', re.S)


def _lang(page) -> str:
    return re.search(r'<html lang="(\w+)">', page.content.decode()).group(1)


def _menu_links(page) -> list[str]:
    menu = MENU_RE.search(page.content.decode()).group(0)
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', menu)]


def _staff(office, username, role=Role.OFFICE_ADMIN):
    client = Client()
    user = User.objects.create_user(username=username, password="x", role=role, office=office)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_english_chosen_once_holds_on_every_menu_link(client, office, admin):
    chosen = client.get(f"/{office.slug}/admin/pulpit/?lang=en")
    links = _menu_links(chosen)

    assert _lang(chosen) == "en"
    assert len(links) >= 8
    assert not [link for link in links if "lang=" in link], "menu links need no ?lang= now"
    for link in links:
        page = client.get(link, follow=True)
        assert page.status_code == 200, link
        assert _lang(page) == "en" and page["Content-Language"] == "en", link


def test_english_holds_after_a_form_is_sent_and_on_the_page_it_leads_to(client, office, admin):
    client.get(f"/{office.slug}/admin/?lang=en")

    sent = client.post(f"/{office.slug}/admin/urzad/wydzialy/", {"new-name": "Wydział Oświaty"})
    shown = client.get(sent["Location"])

    assert sent.status_code == 302 and "lang=" not in sent["Location"]
    assert _lang(shown) == "en"
    # The message names the department as entered: Polish, marked so (WCAG 3.1.2).
    assert (
        'Department “<span lang="pl">Wydział Oświaty</span>” has been added.'
        in shown.content.decode()
    )


def test_error_pages_and_downloads_of_the_panel_follow_the_choice(client, office, admin):
    client.get(f"/{office.slug}/admin/?lang=en")
    clerk = _staff(office, "clerk", role=Role.CLERK)
    clerk.get(f"/{office.slug}/admin/ankiety-papierowe/?lang=en")

    missing = client.get(f"/{office.slug}/admin/nie-ma-takiej-strony/")
    refused = clerk.get(f"/{office.slug}/admin/urzad/")
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    for day in range(1, 7):
        Response.objects.create(
            office=office,
            version=office.survey.current_version,
            channel="online",
            submitted_at=timezone.make_aware(datetime.combine(month.replace(day=day), time(12))),
            answers={"ocena_ogolna": 4},
        )
    download = client.get(
        f"/{office.slug}/admin/raporty/pobierz/csv/",
        {"okres": "miesiac", "miesiac": f"{month:%Y-%m}"},
    )
    header = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()[0]

    assert missing.status_code == 404 and _lang(missing) == "en"
    assert refused.status_code == 403 and _lang(refused) == "en"
    assert download.status_code == 200 and download["Content-Language"] == "en"
    assert header.startswith("month;department;channel"), header


def test_choosing_polish_brings_polish_back_for_good(client, office, admin):
    english = client.get(f"/{office.slug}/admin/pulpit/?lang=en")
    polish_link = re.search(r'<a href="([^"]+)" lang="pl"', english.content.decode()).group(1)

    back = client.get(polish_link.replace("&amp;", "&"))
    later = client.get(f"/{office.slug}/admin/urzad/")

    assert "lang=pl" in polish_link, "without it the kept English would answer"
    assert _lang(back) == "pl" and _lang(later) == "pl"
    assert "Dane urzędu" in later.content.decode()


def test_another_staff_members_panel_stays_polish(client, office, admin):
    colleague = _staff(office, "colleague")
    client.get(f"/{office.slug}/admin/pulpit/?lang=en")

    assert _lang(client.get(f"/{office.slug}/admin/urzad/")) == "en"
    assert _lang(colleague.get(f"/{office.slug}/admin/urzad/")) == "pl"


def test_the_choice_is_kept_for_one_office_only(client, office, other_office):
    """An operator opens every office's panel in one session (offices under the
    platform's address share it): English chosen in one office's panel is not another's."""
    operator = User.objects.create_user(username="op", password="x", role=Role.OPERATOR)
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")

    client.get(f"/{office.slug}/admin/pulpit/?lang=en")

    assert _lang(client.get(f"/{office.slug}/admin/pulpit/")) == "en"
    assert _lang(client.get(f"/{other_office.slug}/admin/pulpit/")) == "pl"


def test_a_survey_language_chosen_in_the_preview_is_not_kept(client, office, admin):
    client.get(f"/{office.slug}/admin/pulpit/?lang=en")

    preview = client.get(f"/{office.slug}/admin/ankieta/szkic/podglad/")
    client.get(f"/{office.slug}/admin/ankieta/szkic/podglad/?lang=uk")
    client.get(f"/{office.slug}/admin/ankieta/szkic/podglad/?lang=pl")

    assert _lang(preview) == "en"
    assert _lang(client.get(f"/{office.slug}/admin/pulpit/")) == "en"


def test_the_login_page_passes_its_language_to_the_session_and_logout_keeps_it(client, office):
    User.objects.create_user(username="adm", password="Dobre-haslo-123", office=office)
    login = client.get(f"/{office.slug}/admin/pulpit/?lang=en", follow=True)

    assert _lang(login) == "en" and "lang=en" in login.redirect_chain[-1][0]
    assert not client.cookies.get(settings.SESSION_COOKIE_NAME), "no session for a visitor"

    logged_in = client.post(
        login.redirect_chain[-1][0],
        {"username": "adm", "password": "Dobre-haslo-123", "next": f"/{office.slug}/admin/"},
        follow=True,
    )
    assert _lang(logged_in) == "en"
    assert _lang(client.get(f"/{office.slug}/admin/urzad/")) == "en"

    out = client.post(f"/{office.slug}/admin/wyloguj/", follow=True)
    assert _lang(out) == "en" and "signed out" in out.content.decode()
    assert _lang(client.get(f"/{office.slug}/admin/logowanie/")) == "pl"


def test_resident_pages_take_no_kept_choice_and_set_no_cookie(client, office, admin):
    """A clerk with the English panel open fills in the survey on the same computer: it
    is Polish unless ?lang= says otherwise, and no page of it sets a cookie."""
    client.get(f"/{office.slug}/admin/pulpit/?lang=en")

    for path in ("", "dziekujemy/", "ochrona-danych/", "deklaracja-dostepnosci/", "nie-ma/"):
        page = client.get(f"/{office.slug}/{path}")
        assert _lang(page) == "pl", path
        assert "Set-Cookie" not in str(page.serialize_headers()), path
        assert not page.cookies, path
    english = client.get(f"/{office.slug}/?lang=en")
    assert _lang(english) == "en" and not english.cookies
