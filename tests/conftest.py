import re

import pytest

from ocenurzad.core import localcache
from ocenurzad.offices.models import Department, Office
from ocenurzad.surveys.services import survey_create_default
from ocenurzad.workflows.demo_data import DEPARTMENT_TRANSLATIONS


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Argon2 as configured costs about a third of a second per hash; tests create many
    accounts. tests/accounts/test_*argon2* checks the configured hasher itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_resident_cache():
    """Each test starts with an empty resident-page cache: a test database rolled back
    leaves no signal behind, so entries of an earlier test could otherwise survive."""
    localcache.clear()
    yield
    localcache.clear()


@pytest.fixture
def make_office(db):
    """Create an office with departments and its default survey, as an operator would."""

    def make(
        slug="swinoujscie",
        name=None,
        departments=("Wydział Komunikacji", "Urząd Stanu Cywilnego"),
        **fields,
    ):
        fields.setdefault("languages", ["en"])
        office = Office.objects.create(
            slug=slug,
            name=name or f"Urząd {slug.capitalize()}",
            website=f"https://{slug}.example.pl/",
            **fields,
        )
        for position, dept in enumerate(departments):
            # Named in every language the office switches on (so that it is offered).
            known = DEPARTMENT_TRANSLATIONS.get(dept, {})
            Department.objects.create(
                office=office,
                name=dept,
                name_translations={code: known.get(code, dept) for code in office.languages},
                position=position,
            )
        survey_create_default(office=office)
        return office

    return make


@pytest.fixture
def office(make_office):
    return make_office()


@pytest.fixture
def other_office(make_office):
    return make_office(
        slug="ksiazki", name="Urząd Gminy Książki", departments=("Referat Podatków",)
    )


TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


def form_token(response) -> str:
    match = TOKEN_RE.search(response.content.decode())
    assert match, "the survey page has no form token"
    return match.group(1)
