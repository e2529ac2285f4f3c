"""Residents' languages are real: every page a resident sees, in every language offered,
has no Polish left but office-entered proper names marked ``lang="pl"``; a language with
anything missing is not offered at all."""

import re

import pytest
from django.conf import settings
from django.core import signing

from ocenurzad.core import i18n, localcache
from ocenurzad.printing.pdf import survey_pdf_render
from ocenurzad.surveys import languages
from ocenurzad.surveys.selectors import survey_version_current
from ocenurzad.surveys.services import (
    survey_draft_get_or_create,
    survey_draft_save,
    survey_version_publish,
)
from tests.conftest import form_token
from tests.i18n.pages import polish_left, texts_by_language

OTHER = ["en", "uk", "de"]
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def office(make_office):
    return make_office(
        languages=OTHER,
        controller="Prezydent Miasta Świnoujście",
        dpo_contact="iod@um.swinoujscie.pl",
        accessibility_contact="Koordynator do spraw dostępności, dostepnosc@example.pl",
        street_address="ul. Wojska Polskiego 1/5",
        postal_code="72-600",
        city="Świnoujście",
    )


def _query(lang: str) -> str:
    return "" if lang == "pl" else f"?lang={lang}"


def _post_data(lang, token, **answers):
    data = {"token": token, **answers}
    if lang != "pl":
        data["lang"] = lang
    return data


def _department_id(office) -> str:
    return str(office.departments.order_by("position").first().pk)


def _page(client, office, lang, name) -> tuple[int, str]:
    """One resident page in ``lang``, as ``name`` describes it."""
    base = f"/{office.slug}/"
    q = _query(lang)
    if name == "survey":
        response = client.get(base + q)
    elif name == "survey-errors":
        token = form_token(client.get(base + q))
        response = client.post(base, _post_data(lang, token, q_co_poprawic="1" * 2001))
    elif name == "already-sent":
        token = form_token(client.get(base + q))
        answers = {"q_wydzial": _department_id(office), "q_ocena_ogolna": "4"}
        assert client.post(base, _post_data(lang, token, **answers)).status_code == 303
        localcache.clear()
        response = client.post(base, _post_data(lang, token, **answers))
    elif name == "expired":
        token = form_token(client.get(base + q))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "SURVEY_TOKEN_MAX_AGE", -1)
            response = client.post(base, _post_data(lang, token, q_ocena_ogolna="4"))
    elif name == "bad-request":
        response = client.post(base, _post_data(lang, signing.dumps("x"), q_ocena_ogolna="4"))
    elif name == "thanks":
        response = client.get(base + "dziekujemy/" + q)
    elif name == "privacy":
        response = client.get(base + "ochrona-danych/" + q)
    elif name == "accessibility":
        response = client.get(base + "deklaracja-dostepnosci/" + q)
    elif name == "not-found":
        response = client.get(base + "nie-ma-takiej-strony/" + q)
    else:  # pragma: no cover
        raise AssertionError(name)
    localcache.clear()
    return response.status_code, response.content.decode()


PAGES = [
    ("survey", 200),
    ("survey-errors", 400),
    ("already-sent", 409),
    ("expired", 400),
    ("bad-request", 400),
    ("thanks", 200),
    ("privacy", 200),
    ("accessibility", 200),
    ("not-found", 404),
]


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize(("name", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_every_resident_page_is_wholly_in_the_chosen_language(client, office, lang, name, status):
    # Given the page in Polish and in the chosen language
    polish_status, polish = _page(client, office, "pl", name)
    got_status, page = _page(client, office, lang, name)

    # Then both are the same page, the other one says so in <html lang> …
    assert polish_status == got_status == status
    html_lang, texts = texts_by_language(page)
    assert html_lang == lang
    assert texts_by_language(polish)[0] == "pl"
    # … and nothing in it is the Polish page's Polish text, but what is marked lang="pl"
    assert polish_left(polish, page, lang) == []
    # The office's own proper names stay as entered, marked as Polish
    assert ("pl", office.name) in texts
    if name == "privacy":
        assert ("pl", office.controller) in texts
        assert ("pl", office.dpo_contact) in texts
    if name in ("privacy", "accessibility"):
        # Legal texts: the office approves the translation; the Polish text is binding
        assert 'class="notice translation-note"' in page
        assert ("pl", "Wersja polska") in texts


def test_the_polish_pages_carry_no_translation_note(client, office):
    for name in ("privacy", "accessibility"):
        _status, page = _page(client, office, "pl", name)
        assert "translation-note" not in page


@pytest.mark.parametrize("lang", OTHER)
def test_the_survey_names_departments_in_the_chosen_language(client, office, lang):
    page = client.get(f"/{office.slug}/?lang={lang}").content.decode()
    for department in office.departments.all():
        assert f">{department.name_translations[lang]}</option>" in page
        assert f">{department.name}</option>" not in page


def _pdf_lines(office, lang) -> list[str]:
    import pypdfium2

    version = survey_version_current(office=office)
    rendered = survey_pdf_render(office=office, version=version, language=lang)
    pdf = pypdfium2.PdfDocument(rendered.pdf)
    lines = []
    for page in pdf:
        text = page.get_textpage().get_text_range()
        lines += [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if re.search(r"[^\W\d_]", line)]


@pytest.mark.parametrize("lang", OTHER)
def test_the_printed_form_is_wholly_in_the_chosen_language(office, lang):
    # Given the printed form in Polish and in the chosen language
    polish = set(_pdf_lines(office, "pl"))
    other = _pdf_lines(office, lang)

    # Then no line of it is a Polish line, but the office's name and address
    proper_names = {office.name, office.address_line}
    assert [line for line in other if line in polish and line not in proper_names] == []
    assert office.name in other


def _publish_without(office, admin_user, lang):
    """Publish a version whose question "Główny cel wizyty" lacks its text in ``lang``."""
    draft = survey_draft_get_or_create(office=office, actor=admin_user)
    definition = draft.definition
    question = definition["sections"][0]["questions"][1]
    del question["text"][lang]
    draft = survey_draft_save(
        office=office, actor=admin_user, draft=draft, definition=definition, revision=1
    )
    survey_version_publish(office=office, actor=admin_user, draft=draft)
    localcache.clear()


@pytest.fixture
def admin_user(office):
    from tests.offices.test_panel_office import make_user

    return make_user(office, "office_admin")


def test_a_language_with_a_missing_survey_text_is_not_offered(client, office, admin_user):
    # Given Ukrainian offered, then a version published with one Ukrainian text missing
    assert 'hreflang="uk"' in client.get(f"/{office.slug}/").content.decode()
    _publish_without(office, admin_user, "uk")

    # Then residents are not offered Ukrainian: no link, and ?lang=uk gives Polish
    page = client.get(f"/{office.slug}/").content.decode()
    assert 'hreflang="uk"' not in page
    assert 'hreflang="de"' in page and 'hreflang="en"' in page
    asked = client.get(f"/{office.slug}/?lang=uk")
    assert texts_by_language(asked.content.decode())[0] == "pl"
    assert asked["Content-Language"] == "pl"
    assert languages.languages_offered(office=office) == ["pl", "en", "de"]
    # And the printed form is not offered in it either
    assert "uk" not in [code for code, _n in _print_choices(office)]


def test_the_publish_page_warns_which_languages_stop_being_offered(client, office, admin_user):
    from tests.offices.test_panel_office import log_in

    draft = survey_draft_get_or_create(office=office, actor=admin_user)
    definition = draft.definition
    del definition["sections"][0]["questions"][1]["text"]["de"]
    survey_draft_save(
        office=office, actor=admin_user, draft=draft, definition=definition, revision=1
    )

    page = log_in(client, admin_user).get(f"/{office.slug}/admin/ankieta/szkic/opublikuj/")
    html = page.content.decode()
    assert "Te języki nie będą oferowane mieszkańcom" in html
    assert "Niemiecki" in html and "Pytanie „Główny cel wizyty”" in html
    assert "Ukraiński" not in html.split("Te języki nie będą oferowane mieszkańcom")[1]


def _print_choices(office):
    from ocenurzad.printing.forms import LanguageForm

    return LanguageForm(office=office).fields["jezyk"].choices


def test_a_language_with_a_department_without_its_name_is_not_offered(client, office):
    department = office.departments.first()
    department.name_translations.pop("de")
    department.save()
    localcache.clear()

    assert languages.languages_offered(office=office) == ["pl", "en", "uk"]
    assert 'hreflang="de"' not in client.get(f"/{office.slug}/").content.decode()
    # A department taken out of the survey does not hold the language back
    department.is_active = False
    department.save()
    localcache.clear()
    assert languages.languages_offered(office=office) == ["pl", "en", "uk", "de"]


def test_a_language_whose_interface_lacks_a_message_is_not_offered(office, monkeypatch):
    monkeypatch.setattr(
        languages, "interface_missing", lambda code: ("Wyślij ankietę",) if code == "de" else ()
    )
    assert languages.languages_offered(office=office) == ["pl", "en", "uk"]
    gaps = {gap.code: gap for gap in languages.language_gaps_now(office=office)}
    assert gaps["de"].interface == ("Wyślij ankietę",)
    assert gaps["en"].complete


def test_the_language_is_never_taken_from_the_browser(client, office):
    page = client.get(f"/{office.slug}/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert texts_by_language(page.content.decode())[0] == "pl"
    # The language links are at the top, each in its own language
    html = page.content.decode()
    nav = html[html.index('<nav class="languages"') : html.index("</nav>")]
    assert html.index('<nav class="languages"') < html.index('<main id="main"')
    for code, name in settings.LANGUAGES:
        assert f'lang="{code}" hreflang="{code}"' in nav
        assert f">{name}</a>" in nav


def test_every_resident_message_is_translated_in_every_language():
    # The shipped catalogues translate every message of the resident pages and the form
    for code in OTHER:
        assert i18n.interface_missing(code) == (), code


def test_the_list_of_resident_messages_is_current():
    # make messages writes it; a string added to a resident page without `make messages`
    # would otherwise escape the check above
    current = i18n.resident_messages_from_po(i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po")
    assert list(i18n.resident_messages()) == current
    assert "Wyślij ankietę" in current


def test_machine_drafted_entries_are_marked_and_still_compiled():
    import polib

    for code in OTHER:
        po = polib.pofile(str(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))
        drafts = [e for e in po if i18n.MACHINE_DRAFT_COMMENT in (e.tcomment or "")]
        assert drafts, code
        # Every resident message is there and translated
        for message in i18n.resident_messages():
            msgid = message[1] if isinstance(message, tuple) else message
            entry = po.find(msgid, msgctxt=message[0] if isinstance(message, tuple) else False)
            assert entry is not None and entry.msgstr, (code, msgid)
            assert "fuzzy" not in entry.flags, (code, msgid)  # fuzzy is never compiled


def test_the_panel_offers_polish_and_english_only(client, office, admin_user):
    from tests.offices.test_panel_office import log_in

    page = log_in(client, admin_user).get(f"/{office.slug}/admin/pulpit/").content.decode()
    nav = page[page.index('<nav class="languages"') : page.index("</nav>")]
    assert 'hreflang="en"' in nav and 'hreflang="pl"' in nav
    assert 'hreflang="uk"' not in nav and 'hreflang="de"' not in nav
