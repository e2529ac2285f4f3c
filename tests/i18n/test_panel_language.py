"""The panel is in Polish and English only: a survey language in its address must not put
Polish text under lang="uk" (WCAG 3.1.1); the draft preview still shows the survey in it."""

import pytest

from ocenurzad.accounts.models import Role, User

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
