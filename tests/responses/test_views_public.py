"""The resident's survey: what is stored, what is refused, and that nothing leaks."""

from datetime import timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocenurzad.responses.models import Response, SubmitCounter, UsedFormToken
from ocenurzad.responses.tokens import token_issue
from ocenurzad.surveys.models import SurveyVersion
from tests.conftest import form_token

pytestmark = pytest.mark.django_db


def valid_answers(office, token, **extra):
    department = office.departments.first()
    data = {
        "token": token,
        "q_wydzial": str(department.pk),
        "q_ocena_ogolna": "4",
        "q_wizerunek_lokalizacja": "5",
        "q_wizerunek_parking": "na",
        "q_cel_wizyty": "odbior_dokumentu",
        "q_co_poprawic": "Więcej ławek w poczekalni.",
    }
    data.update(extra)
    return data


def get_form(client, office, query=""):
    response = client.get(f"/{office.slug}/{query}")
    assert response.status_code == 200
    return response


def test_valid_response_is_stored_with_all_its_fields(client, office):
    token = form_token(get_form(client, office, "?zrodlo=baner"))
    result = client.post(f"/{office.slug}/", valid_answers(office, token, zrodlo="baner"))

    assert result.status_code == 303
    assert result["Location"] == f"/{office.slug}/dziekujemy/"
    stored = Response.objects.get()
    assert stored.office == office
    assert stored.version == office.survey.current_version
    assert stored.channel == "online"
    assert stored.source == "baner"
    assert stored.language == "pl"
    assert stored.department == office.departments.first()
    assert stored.answers == {
        "ocena_ogolna": 4,
        "wizerunek_lokalizacja": 5,
        "wizerunek_parking": "na",
        "cel_wizyty": "odbior_dokumentu",
        "co_poprawic": "Więcej ławek w poczekalni.",
    }
    assert stored.submitted_at is not None


def test_english_survey_stores_language_and_thanks_in_english(client, office):
    page = get_form(client, office, "?lang=en")
    assert "Customer satisfaction survey" in page.content.decode()
    token = form_token(page)

    result = client.post(f"/{office.slug}/", valid_answers(office, token, lang="en"))

    assert result["Location"] == f"/{office.slug}/dziekujemy/?lang=en"
    assert Response.objects.get().language == "en"
    thanks = client.get(result["Location"])
    assert "Thank you" in thanks.content.decode()


def test_thank_you_page_links_back_to_the_office_website(client, office):
    token = form_token(get_form(client, office))
    result = client.post(f"/{office.slug}/", valid_answers(office, token), follow=True)

    assert result.status_code == 200
    assert "Dziękujemy" in result.content.decode()
    assert f'href="{office.website}"' in result.content.decode()


def test_missing_required_answers_are_named_and_given_answers_kept(client, office):
    token = form_token(get_form(client, office))
    data = valid_answers(office, token)
    del data["q_ocena_ogolna"], data["q_wydzial"]

    result = client.post(f"/{office.slug}/", data)

    assert result.status_code == 400
    html = result.content.decode()
    assert "error-summary" in html
    assert 'href="#q_ocena_ogolna_1"' in html
    assert 'href="#q_wydzial"' in html
    assert "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?" in html
    # the answers already given are still selected
    assert 'id="q_wizerunek_lokalizacja_5" name="q_wizerunek_lokalizacja" value="5" checked' in html
    assert "Więcej ławek w poczekalni." in html
    assert Response.objects.count() == 0
    assert UsedFormToken.objects.count() == 0


def test_corrected_form_can_be_sent_with_the_same_token(client, office):
    token = form_token(get_form(client, office))
    data = valid_answers(office, token)
    del data["q_ocena_ogolna"]
    client.post(f"/{office.slug}/", data)

    result = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert result.status_code == 303
    assert Response.objects.count() == 1


def test_overlong_comment_is_refused_with_a_message_and_kept(client, office):
    token = form_token(get_form(client, office))
    result = client.post(f"/{office.slug}/", valid_answers(office, token, q_co_poprawic="ą" * 2001))

    assert result.status_code == 400
    assert "jest za długa" in result.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"q_ocena_ogolna": "6"},  # out of range
        {"q_ocena_ogolna": "0"},
        {"q_ocena_ogolna": "cztery"},  # wrong type
        {"q_ocena_ogolna": "na"},  # "nie dotyczy" not allowed on this item
        {"q_cel_wizyty": "łapówka"},  # not an option
        {"q_wydzial": "abc"},
        {"q_nieznane": "1"},  # unknown key
        {"q_ocena_ogolna": ["4", "5"]},  # repeated value
        {"zrodlo": "<script>"},
        {"csrfmiddlewaretoken": "x"},
    ],
)
def test_tampered_input_gets_a_400_page_and_stores_nothing(client, office, change):
    token = form_token(get_form(client, office))
    result = client.post(f"/{office.slug}/", valid_answers(office, token, **change))

    assert result.status_code == 400
    assert "Nieprawidłowe dane formularza" in result.content.decode()
    assert Response.objects.count() == 0
    assert UsedFormToken.objects.count() == 0


def test_tampered_version_is_refused(client, office, other_office):
    foreign_version = other_office.survey.current_version
    token = token_issue(office_id=office.pk, version_id=foreign_version.pk)

    result = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert result.status_code == 404
    assert Response.objects.count() == 0


def test_draft_version_cannot_be_answered(client, office):
    draft = SurveyVersion.objects.create(
        office=office,
        survey=office.survey,
        number=2,
        definition=office.survey.current_version.definition,
    )
    token = token_issue(office_id=office.pk, version_id=draft.pk)

    result = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert result.status_code == 404
    assert Response.objects.count() == 0


def test_altered_token_is_refused(client, office):
    token = form_token(get_form(client, office))
    result = client.post(f"/{office.slug}/", valid_answers(office, token[:-2] + "xx"))

    assert result.status_code == 400
    assert Response.objects.count() == 0


def test_missing_token_is_refused(client, office):
    data = valid_answers(office, "")
    result = client.post(f"/{office.slug}/", data)
    assert result.status_code == 400
    assert Response.objects.count() == 0


def test_replayed_token_gets_a_friendly_message_and_stores_once(client, office):
    token = form_token(get_form(client, office))
    first = client.post(f"/{office.slug}/", valid_answers(office, token))
    replay = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert first.status_code == 303
    assert replay.status_code == 409
    assert "została już wysłana" in replay.content.decode()
    assert Response.objects.count() == 1


def test_sending_a_sent_form_again_says_so_and_links_to_a_fresh_form(client, office):
    # Back after "Dziękujemy" brings back the page with the token it was sent with
    token = form_token(get_form(client, office))
    client.post(f"/{office.slug}/wyslij/", valid_answers(office, token))
    again = client.post(f"/{office.slug}/wyslij/", valid_answers(office, token, q_ocena_ogolna="1"))

    assert again.status_code == 409
    html = again.content.decode()
    assert "<h1>Ankieta została już wysłana</h1>" in html
    assert "Drugi raz nie została zapisana" in html
    assert f'href="/{office.slug}/">Wypełnij nową ankietę</a>' in html
    assert not again.cookies
    assert Response.objects.get().answers["ocena_ogolna"] == 4


def test_a_sent_form_sent_again_after_its_token_expired_is_still_refused(
    client, office, settings, monkeypatch
):
    token = form_token(get_form(client, office))
    client.post(f"/{office.slug}/wyslij/", valid_answers(office, token))
    settings.SURVEY_TOKEN_MAX_AGE = 60
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 120)

    again = client.post(f"/{office.slug}/wyslij/", valid_answers(office, token))

    assert again.status_code == 409
    assert "została już wysłana" in again.content.decode()
    assert Response.objects.count() == 1


def test_expired_token_keeps_answers_and_stores_nothing(client, office, settings, monkeypatch):
    token = form_token(get_form(client, office))
    settings.SURVEY_TOKEN_MAX_AGE = 60
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 120)

    result = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert result.status_code == 400
    html = result.content.decode()
    assert "wygasł" in html
    assert "Więcej ławek w poczekalni." in html
    assert form_token(result) != token  # a fresh token to send again
    assert Response.objects.count() == 0


def test_token_of_one_office_is_refused_by_another(client, office, other_office):
    token = form_token(get_form(client, other_office))

    result = client.post(f"/{office.slug}/", valid_answers(office, token))

    assert result.status_code == 400
    assert Response.objects.count() == 0


def test_honeypot_filled_looks_like_success_but_stores_nothing(client, office):
    token = form_token(get_form(client, office))
    result = client.post(
        f"/{office.slug}/", valid_answers(office, token, adres_strony="http://spam.example")
    )

    assert result.status_code == 303
    assert Response.objects.count() == 0


def test_rate_limit_stops_a_flood_from_one_client(client, office, settings):
    settings.SURVEY_RATE_LIMIT = "3/h"
    statuses = []
    for _ in range(4):
        token = form_token(get_form(client, office))
        statuses.append(
            client.post(
                f"/{office.slug}/", valid_answers(office, token), REMOTE_ADDR="203.0.113.7"
            ).status_code
        )

    assert statuses == [303, 303, 303, 429]
    assert Response.objects.count() == 3
    # another client is not affected
    token = form_token(get_form(client, office))
    other = client.post(f"/{office.slug}/", valid_answers(office, token), REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 303


def test_rate_limit_is_kept_in_the_database_without_the_address(client, office, settings):
    settings.SURVEY_RATE_LIMIT = "3/h"
    token = form_token(get_form(client, office))
    client.post(f"/{office.slug}/", valid_answers(office, token), REMOTE_ADDR="203.0.113.7")

    counters = list(SubmitCounter.objects.values_list("counter_key", "hits"))
    assert len(counters) == 1, "the counter lives in the shared database"
    assert counters[0][1] == 1
    assert "203.0.113.7" not in counters[0][0]


def test_refused_submissions_are_not_counted(client, office, settings):
    settings.SURVEY_RATE_LIMIT = "2/h"
    token = form_token(get_form(client, office))
    client.post(f"/{office.slug}/", valid_answers(office, token))
    client.post(f"/{office.slug}/", valid_answers(office, token))  # replay: refused
    client.post(f"/{office.slug}/", {"token": "zly"})  # invalid: refused

    assert SubmitCounter.objects.get().hits == 1
    token = form_token(get_form(client, office))
    assert client.post(f"/{office.slug}/", valid_answers(office, token)).status_code == 303


def test_the_limit_window_starts_again(client, office, settings, monkeypatch):
    from django.utils import timezone

    settings.SURVEY_RATE_LIMIT = "1/h"
    token = form_token(get_form(client, office))
    assert client.post(f"/{office.slug}/", valid_answers(office, token)).status_code == 303
    later = timezone.now() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    token = form_token(get_form(client, office))
    assert client.post(f"/{office.slug}/", valid_answers(office, token)).status_code == 303
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "",
        "?zrodlo=qr",
        "?lang=en",
        "dziekujemy/",
        "ochrona-danych/",
        "deklaracja-dostepnosci/",
        "nie-ma-takiej/",
    ],
)
def test_resident_pages_set_no_cookie(client, office, path):
    result = client.get(f"/{office.slug}/{path}")
    assert "Set-Cookie" not in str(result.serialize_headers())
    assert not result.cookies


def test_submitting_sets_no_cookie(client, office):
    token = form_token(get_form(client, office))
    for data in (valid_answers(office, token), valid_answers(office, token), {"token": "x"}):
        result = client.post(f"/{office.slug}/", data)
        assert not result.cookies


def test_no_ip_address_is_stored_or_logged(client, office, caplog):
    caplog.set_level("DEBUG")
    token = form_token(get_form(client, office))
    client.post(f"/{office.slug}/", valid_answers(office, token), REMOTE_ADDR="198.51.100.23")
    client.post(f"/{office.slug}/", {"token": "zly"}, REMOTE_ADDR="198.51.100.23")

    assert "198.51.100.23" not in caplog.text
    stored = Response.objects.values()[0]
    assert "198.51.100.23" not in str(stored)


def test_survey_page_is_not_cached_by_proxies_and_asked_for_again_on_each_visit(client, office):
    # private: no shared cache keeps it; no-cache: every ordinary visit asks the server
    # (a fresh token); no no-store: Back brings the sent page back with its spent token
    result = get_form(client, office)
    directives = {d.strip() for d in result["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives
    assert "public" not in directives and "no-store" not in directives


def test_answers_to_a_sent_form_are_never_kept_by_any_cache(client, office):
    token = form_token(get_form(client, office))
    invalid = client.post(f"/{office.slug}/wyslij/", {"token": token, "q_co_poprawic": "x"})
    assert invalid.status_code == 400
    assert "no-store" in invalid["Cache-Control"]


def test_the_form_is_sent_to_an_address_of_its_own(client, office):
    # A browser drops its copy of a page whose address a form was sent to; the blank
    # form must keep its copy for Back, so the form goes to wyslij/.
    html = get_form(client, office).content.decode()
    assert f'action="/{office.slug}/wyslij/"' in html
    token = form_token(get_form(client, office))
    result = client.post(f"/{office.slug}/wyslij/", valid_answers(office, token))
    assert result.status_code == 303
    assert result["Location"] == f"/{office.slug}/dziekujemy/"
    assert Response.objects.count() == 1


@pytest.mark.parametrize("query", ["", "?lang=en"])
def test_opening_the_send_address_leads_to_the_form(client, office, query):
    result = client.get(f"/{office.slug}/wyslij/{query}")
    assert result.status_code == 303
    assert result["Location"] == f"/{office.slug}/{query}"
    assert Response.objects.count() == 0


def test_survey_page_marks_required_items_in_text_and_uses_fieldsets(client, office):
    html = get_form(client, office).content.decode()
    assert html.count("<fieldset") >= 25
    assert html.count("(wymagane)") >= 3  # two questions plus the explanation
    assert '<label for="q_wizerunek_lokalizacja_1">' in html
    assert "Ochrona danych osobowych (RODO)" in html


def test_source_from_the_banner_link_is_carried_in_the_form(client, office):
    html = get_form(client, office, "?zrodlo=qr").content.decode()
    assert 'name="zrodlo" value="qr"' in html


def test_survey_page_query_count_is_bounded(client, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        get_form(client, office)


def test_submit_stores_in_one_transaction(client, office):
    token = form_token(get_form(client, office))
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/{office.slug}/", valid_answers(office, token))
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "WITH"))]
    assert any("responses_response" in sql for sql in writes)
    assert any("responses_usedformtoken" in sql for sql in writes)
    if connection.vendor == "postgresql":
        # One statement, atomic by itself: the response, the spent token and the count.
        assert len(writes) == 1
        assert "responses_submitcounter" in writes[0]


def test_get_and_post_only(client, office):
    assert client.put(f"/{office.slug}/").status_code == 405


def test_purge_forgets_only_expired_tokens(office, settings):
    from django.utils import timezone

    from ocenurzad.responses.services import used_form_tokens_purge

    now = timezone.now()
    UsedFormToken.objects.create(nonce="a" * 32, used_at=now - timedelta(days=1))
    UsedFormToken.objects.create(nonce="b" * 32, used_at=now)

    assert used_form_tokens_purge() == 1
    assert list(UsedFormToken.objects.values_list("nonce", flat=True)) == ["b" * 32]
