"""Department names in other languages: the panel page and its service."""

import pytest
from django.core.exceptions import ValidationError

from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.translations import department_names_translate
from tests.offices.test_panel_office import log_in, make_user

URL = "/{slug}/admin/urzad/wydzialy/tlumaczenia/"


@pytest.fixture
def office(make_office):
    return make_office(languages=["en", "uk"])


def test_the_page_has_a_named_field_per_department_and_language(client, office):
    page = log_in(client, make_user(office, "office_admin")).get(URL.format(slug=office.slug))
    html = page.content.decode()
    assert page.status_code == 200
    for department in office.departments.all():
        assert f'name="d{department.pk}_en"' in html and f'name="d{department.pk}_uk"' in html
        assert f'<legend lang="pl">{department.name}' in html
    assert "Nazwa po ukraińsku" in html and 'lang="uk"' in html
    assert "_de" not in html  # German is not switched on


def test_saving_sets_the_names_in_one_audited_change(client, office):
    admin = make_user(office, "office_admin")
    departments = list(office.departments.all())
    data = {f"d{d.pk}_uk": f"  Відділ   {d.pk} " for d in departments}
    data |= {f"d{d.pk}_en": d.name_translations["en"] for d in departments}

    result = log_in(client, admin).post(URL.format(slug=office.slug), data)

    assert result.status_code == 302
    for d in departments:
        d.refresh_from_db()
        assert d.name_translations["uk"] == f"Відділ {d.pk}"  # spaces tidied
    entry = AuditEntry.objects.get(office=office, action="department.translate")
    assert entry.actor == admin
    assert set(entry.after) == {d.name for d in departments}
    # Saving the same again changes nothing and records nothing
    log_in(client, admin).post(URL.format(slug=office.slug), data)
    assert AuditEntry.objects.filter(action="department.translate").count() == 1


def test_a_too_long_name_is_refused_with_a_polish_message_naming_the_field(client, office):
    department = office.departments.first()
    before = dict(department.name_translations)
    result = log_in(client, make_user(office, "office_admin")).post(
        URL.format(slug=office.slug), {f"d{department.pk}_uk": "я" * 201}
    )
    assert result.status_code == 400
    html = result.content.decode()
    assert "Nazwa może mieć najwyżej 200 znaków." in html
    assert f'href="#id_d{department.pk}_uk"' in html
    department.refresh_from_db()
    assert department.name_translations == before  # nothing saved


def test_other_offices_departments_and_languages_not_switched_on_are_refused(office, other_office):
    foreign = other_office.departments.first()
    with pytest.raises(ValidationError):
        department_names_translate(office=office, actor=None, names={foreign.pk: {"en": "X"}})
    own = office.departments.first()
    with pytest.raises(ValidationError):
        department_names_translate(office=office, actor=None, names={own.pk: {"de": "X"}})
    foreign.refresh_from_db()
    assert foreign.name_translations.get("en") != "X"


@pytest.mark.parametrize("role", ["reporter", "clerk"])
def test_only_those_who_edit_office_data_reach_the_page(client, office, role):
    page = log_in(client, make_user(office, role)).get(URL.format(slug=office.slug))
    assert page.status_code in (302, 403)


def test_another_office_s_staff_cannot_reach_it(client, office, other_office):
    page = log_in(client, make_user(other_office, "office_admin")).get(URL.format(slug=office.slug))
    assert page.status_code in (302, 403, 404)
