"""The resident-page cache (core/localcache.py): what residents see after the office, its
departments or its survey change — at once when the change is made in this process,
within the time-to-live when another process makes it — and that staff never see stale
data."""

import contextlib

import pytest
from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.test import Client

from ocenurzad.accounts.models import Role, User
from ocenurzad.core import localcache
from ocenurzad.core.apps import RESIDENT_CACHE_MODELS
from ocenurzad.offices.models import Department, Office
from ocenurzad.offices.selectors import office_for_resident
from ocenurzad.reports import archive
from ocenurzad.responses.models import Response
from ocenurzad.surveys.services import (
    survey_draft_get_or_create,
    survey_draft_question_add,
    survey_draft_question_update,
    survey_version_publish,
)
from tests.conftest import form_token
from tests.responses.test_views_public import get_form, valid_answers

pytestmark = pytest.mark.django_db

TTL = 5
NEW_NAME = "Urząd Miasta Świnoujście po zmianie"


class FrozenClock:
    """Stands in for the ``time`` module inside localcache: time moves only when told."""

    def __init__(self):
        self.now = 10_000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    """A known time-to-live and a clock that stands still: whatever a test sees change
    before it calls ``clock.advance`` was made visible by clearing, not by expiry."""
    settings.RESIDENT_CACHE_SECONDS = TTL
    frozen = FrozenClock()
    monkeypatch.setattr(localcache, "time", frozen)
    return frozen


@pytest.fixture
def office_admin(office):
    return User.objects.create_user(
        username="sekretarz.cache", password="x", office=office, role=Role.OFFICE_ADMIN
    )


@pytest.fixture
def staff_client(office_admin):
    """A second browser, logged in to the office's panel (residents never have a cookie)."""
    browser = Client()
    browser.force_login(office_admin)
    return browser


def page(client, office, query="", **extra) -> str:
    response = client.get(f"/{office.slug}/{query}", **extra)
    assert response.status_code == 200
    return response.content.decode()


def host_page(client, office, path="/", **extra):
    return client.get(path, HTTP_HOST=f"{office.slug}.localhost", **extra)


def survey_draft_with_toilets(office, actor):
    """A draft with one more question, "Toalety" / "Toilets", ready to publish."""
    draft = survey_draft_get_or_create(office=office, actor=actor)
    draft = survey_draft_question_add(
        office=office,
        actor=actor,
        draft=draft,
        revision=draft.revision,
        section_key="wizerunek",
        kind="rating",
        key="wizerunek_toalety",
        text_pl="Toalety",
    )
    return survey_draft_question_update(
        office=office,
        actor=actor,
        draft=draft,
        revision=draft.revision,
        key="wizerunek_toalety",
        fields={"text": {"pl": "Toalety", "en": "Toilets"}},
    )


@contextlib.contextmanager
def changes_made_in_another_process():
    """Saves inside reach this process's cache only by expiry, as a save made by another
    server process would: the cache's signal receivers are disconnected meanwhile."""
    receivers = [
        (signal, apps.get_model(label), f"localcache-{label}-{name}")
        for label in RESIDENT_CACHE_MODELS
        for name, signal in (("save", post_save), ("delete", post_delete))
    ]
    for signal, model, uid in receivers:
        assert signal.disconnect(sender=model, dispatch_uid=uid)
    try:
        yield
    finally:
        for signal, model, uid in receivers:
            signal.connect(localcache.clear_on_change, sender=model, dispatch_uid=uid)


# Changes made through the ORM in this process: visible on the very next request


def test_office_renamed_through_the_orm_shows_on_the_next_survey_page(client, office):
    old_name = office.name
    assert old_name in page(client, office)
    assert old_name in page(client, office, "?lang=en")
    assert old_name in host_page(client, office).content.decode()

    office.name = NEW_NAME
    office.save()

    for html in (
        page(client, office),
        page(client, office, "?lang=en"),
        host_page(client, office).content.decode(),
    ):
        assert NEW_NAME in html
        assert old_name not in html


def test_department_switched_off_leaves_the_survey_at_once(client, office):
    closed = office.departments.get(name="Urząd Stanu Cywilnego")
    token = form_token(get_form(client, office))
    assert "Urząd Stanu Cywilnego" in page(client, office)

    closed.is_active = False
    closed.save()

    html = page(client, office)
    assert "Urząd Stanu Cywilnego" not in html
    assert "Wydział Komunikacji" in html
    # a form opened before the change that chose it is asked again, nothing is stored
    result = client.post(f"/{office.slug}/", valid_answers(office, token, q_wydzial=closed.pk))
    assert result.status_code == 400
    assert "Proszę wybrać wydział z listy." in result.content.decode()
    assert Response.objects.count() == 0


def test_department_switched_back_on_returns_to_the_survey_at_once(client, make_office):
    office = make_office()
    closed = office.departments.get(name="Urząd Stanu Cywilnego")
    closed.is_active = False
    closed.save()
    assert "Urząd Stanu Cywilnego" not in page(client, office)

    closed.is_active = True
    closed.save()

    assert "Urząd Stanu Cywilnego" in page(client, office)


def test_newly_published_survey_version_is_what_the_next_resident_gets(
    client, office, office_admin, monkeypatch
):
    # The real archive renders a PDF (seconds); publishing only needs it to succeed.
    monkeypatch.setattr(archive, "report_archive_all_so_far", lambda **_kwargs: None)
    v1 = office.survey.current_version
    old_token = form_token(get_form(client, office))
    assert "Toalety" not in page(client, office)

    draft = survey_draft_with_toilets(office, office_admin)
    # a draft is not what residents answer
    assert "Toalety" not in page(client, office)

    v2 = survey_version_publish(office=office, actor=office_admin, draft=draft)

    first = get_form(client, office)
    assert "Toalety" in first.content.decode()
    assert "Toilets" in page(client, office, "?lang=en")
    # the new page's answers are stored against the new version …
    result = client.post(
        f"/{office.slug}/", valid_answers(office, form_token(first), q_wizerunek_toalety="3")
    )
    assert result.status_code == 303
    stored = Response.objects.get()
    assert stored.version == v2
    assert stored.answers["wizerunek_toalety"] == 3
    # … and a form opened before the change still counts, for the version it showed
    result = client.post(f"/{office.slug}/", valid_answers(office, old_token))
    assert result.status_code == 303
    assert Response.objects.exclude(pk=stored.pk).get().version == v1


def test_deactivated_office_is_gone_at_once(client, office):
    token = form_token(get_form(client, office))
    assert host_page(client, office).status_code == 200

    office.is_active = False
    office.save()

    assert client.get(f"/{office.slug}/").status_code == 404
    assert host_page(client, office).status_code == 404
    assert client.get(f"/{office.slug}/?lang=en").status_code == 404
    assert client.post(f"/{office.slug}/", valid_answers(office, token)).status_code == 404
    assert Response.objects.count() == 0


def test_reactivated_office_is_back_at_once(client, make_office):
    office = make_office(is_active=False)
    assert client.get(f"/{office.slug}/").status_code == 404

    office.is_active = True
    office.save()

    assert office.name in page(client, office)


# Changes made behind the cache's back (another server process): within the time-to-live


def test_office_renamed_elsewhere_reaches_residents_after_the_time_to_live(client, office, clock):
    old_name = office.name
    assert old_name in page(client, office)

    Office.objects.filter(pk=office.pk).update(name=NEW_NAME)

    html = page(client, office)
    assert old_name in html
    assert NEW_NAME not in html
    clock.advance(TTL - 0.5)
    assert NEW_NAME not in page(client, office)

    clock.advance(1)

    html = page(client, office)
    assert NEW_NAME in html
    assert old_name not in html


@pytest.mark.parametrize("form", ["path", "host"])
def test_staff_see_a_change_made_elsewhere_at_once(client, office, staff_client, form):
    assert office.name in page(client, office)
    assert office.name in host_page(client, office).content.decode()

    Office.objects.filter(pk=office.pk).update(name=NEW_NAME)

    if form == "path":
        dashboard = staff_client.get(f"/{office.slug}/admin/", follow=True)
        assert dashboard.redirect_chain[-1][0] == f"/{office.slug}/admin/pulpit/"
    else:
        dashboard = host_page(staff_client, office, "/admin/", follow=True)
        assert dashboard.redirect_chain[-1][0] == "/admin/pulpit/"
    assert dashboard.status_code == 200
    assert NEW_NAME in dashboard.content.decode()
    # while residents still get the page of a moment ago
    assert NEW_NAME not in page(client, office)
    assert NEW_NAME not in host_page(client, office).content.decode()


def test_panel_of_an_office_deactivated_elsewhere_closes_at_once(client, office, staff_client):
    # (its survey page may still be served for up to the time-to-live)
    assert page(client, office)

    Office.objects.filter(pk=office.pk).update(is_active=False)

    assert staff_client.get(f"/{office.slug}/admin/pulpit/").status_code == 404
    assert client.get(f"/{office.slug}/").status_code == 200


def test_department_switched_off_elsewhere_leaves_after_the_time_to_live(client, office, clock):
    assert "Urząd Stanu Cywilnego" in page(client, office)

    Department.objects.filter(office=office, name="Urząd Stanu Cywilnego").update(is_active=False)

    assert "Urząd Stanu Cywilnego" in page(client, office)
    clock.advance(TTL + 0.5)
    html = page(client, office)
    assert "Urząd Stanu Cywilnego" not in html
    assert "Wydział Komunikacji" in html


def test_version_published_elsewhere_reaches_residents_after_the_time_to_live(
    client, office, office_admin, clock, monkeypatch
):
    monkeypatch.setattr(archive, "report_archive_all_so_far", lambda **_kwargs: None)
    draft = survey_draft_with_toilets(office, office_admin)
    old_token = form_token(get_form(client, office))
    assert "Toalety" not in page(client, office)

    with changes_made_in_another_process():
        v2 = survey_version_publish(office=office, actor=office_admin, draft=draft)

    assert "Toalety" not in page(client, office)
    clock.advance(TTL + 0.5)
    first = get_form(client, office)
    assert "Toalety" in first.content.decode()
    result = client.post(
        f"/{office.slug}/", valid_answers(office, form_token(first), q_wizerunek_toalety="2")
    )
    assert result.status_code == 303
    assert Response.objects.get().version == v2
    # a form opened before still counts, for the version it showed
    assert client.post(f"/{office.slug}/", valid_answers(office, old_token)).status_code == 303
    assert Response.objects.filter(version=v2.based_on).count() == 1


def test_with_the_cache_switched_off_a_change_made_elsewhere_shows_at_once(
    client, office, settings
):
    settings.RESIDENT_CACHE_SECONDS = 0
    assert office.name in page(client, office)

    Office.objects.filter(pk=office.pk).update(name=NEW_NAME)
    Department.objects.filter(office=office, name="Urząd Stanu Cywilnego").update(is_active=False)

    for html in (page(client, office), host_page(client, office).content.decode()):
        assert NEW_NAME in html
        assert "Urząd Stanu Cywilnego" not in html

    Office.objects.filter(pk=office.pk).update(is_active=False)

    assert client.get(f"/{office.slug}/").status_code == 404


# Each request gets its own office object


class RenameOfficeMiddleware:
    """Test-only: a request carrying X-Rename changes its office's name (as a view that
    adjusts ``request.office`` for its own page would)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.office is not None and "HTTP_X_RENAME" in request.META:
            request.office.name = request.META["HTTP_X_RENAME"]
        return self.get_response(request)


def test_a_change_to_one_requests_office_does_not_reach_the_next_request(client, office, settings):
    position = settings.MIDDLEWARE.index("ocenurzad.offices.middleware.OfficeMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: position + 1],
        f"{__name__}.RenameOfficeMiddleware",
        *settings.MIDDLEWARE[position + 1 :],
    ]
    privacy = f"/{office.slug}/ochrona-danych/"
    assert office.name in client.get(privacy).content.decode()

    changed = client.get(privacy, HTTP_X_RENAME="Urząd Podmieniony").content.decode()
    assert "Urząd Podmieniony" in changed

    for html in (client.get(privacy).content.decode(), page(client, office)):
        assert office.name in html
        assert "Urząd Podmieniony" not in html


DOMAIN = "ankieta.swinoujscie.example.pl"


@pytest.fixture
def office_domain(office, settings):
    """The office also answers at a domain of its own."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, DOMAIN]
    return office.domains.create(domain=DOMAIN)


def warm(client, office, lookup):
    """A resident request loads the office into the cache (by slug or by domain), and
    the cache is then shown to be what answers: a change behind its back is not seen."""
    if lookup == "slug":
        assert office.name in page(client, office)
        find = {"slug": office.slug}
    else:
        assert office.name in client.get("/", HTTP_HOST=DOMAIN).content.decode()
        find = {"domain": DOMAIN}
    Office.objects.filter(pk=office.pk).update(website="https://zmieniony.example.pl/")
    assert office_for_resident(**find).website == office.website
    return find


@pytest.mark.parametrize("lookup", ["slug", "domain"])
def test_each_resident_lookup_returns_its_own_office_object(client, office, office_domain, lookup):
    find = warm(client, office, lookup)

    first = office_for_resident(**find)
    first.name = "Urząd Podmieniony"
    first.is_active = False
    first._state.adding = True
    first._state.fields_cache["survey"] = None
    second = office_for_resident(**find)

    assert second is not first
    assert second._state.adding is False and second._state.db == "default"
    assert "survey" not in second._state.fields_cache
    assert second.pk == office.pk
    assert second.name == office.name
    assert second.is_active is True


@pytest.mark.parametrize("lookup", ["slug", "domain"])
def test_an_in_place_change_to_one_requests_languages_does_not_reach_the_next(
    client, office, office_domain, lookup
):
    find = warm(client, office, lookup)

    office_for_resident(**find).languages.append("de")

    assert office_for_resident(**find).enabled_languages == ["pl", "en"]
    html = (
        page(client, office)
        if lookup == "slug"
        else client.get("/", HTTP_HOST=DOMAIN).content.decode()
    )
    assert 'hreflang="de"' not in html
    assert 'hreflang="en"' in html


def test_a_change_made_elsewhere_reaches_every_cached_page_within_the_time_to_live(
    client, office, clock
):
    # The office is cached at 0 s and renamed elsewhere at once; the English page is
    # first drawn at 4 s from the still-cached office. At 5.5 s every page shows the new
    # name: the English page expires with the office it was drawn from, not at 9 s.
    old_name = office.name
    assert old_name in page(client, office)
    Office.objects.filter(pk=office.pk).update(name=NEW_NAME)
    clock.advance(TTL - 1)
    assert old_name in page(client, office, "?lang=en")

    clock.advance(1.5)

    assert NEW_NAME in page(client, office)
    assert NEW_NAME in page(client, office, "?lang=en")
    assert NEW_NAME in page(client, office, "?lang=en&zrodlo=qr")
