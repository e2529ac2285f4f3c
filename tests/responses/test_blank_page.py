"""The blank survey page, drawn once and served with a fresh form token each time
(responses/pages.py): every copy works, the gzip copy is the same page, and no copy
carries another address's, language's, source's or office's content."""

import gzip
import zlib

import pytest

from ocenurzad.responses.models import Response
from ocenurzad.responses.pages import TOKEN_SLOT
from tests.conftest import TOKEN_RE, form_token
from tests.responses.test_views_public import get_form, valid_answers

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def html_of(response) -> str:
    """The page as the browser shows it: unpacked when it came gzipped."""
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    html = body.decode()
    assert TOKEN_SLOT not in html
    return html


def token_in(html: str) -> str:
    match = TOKEN_RE.search(html)
    assert match, "the survey page has no form token"
    return match.group(1)


def without_token(html: str) -> str:
    return TOKEN_RE.sub('name="token" value=""', html)


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


def on_host(client, office, path="/", method="get", **extra):
    return getattr(client, method)(path, HTTP_HOST=f"{office.slug}.localhost", **extra)


# Fresh tokens


def test_every_copy_of_the_page_has_its_own_token_and_each_can_be_sent(client, office):
    first = form_token(get_form(client, office))
    second = form_token(get_form(client, office))
    assert first != second

    # the later one first: neither depends on the other
    for token in (second, first):
        result = client.post(f"/{office.slug}/", valid_answers(office, token))
        assert result.status_code == 303
        assert result["Location"] == f"/{office.slug}/dziekujemy/"
    assert Response.objects.count() == 2
    # and each only once
    result = client.post(f"/{office.slug}/", valid_answers(office, first))
    assert result.status_code == 409
    assert Response.objects.count() == 2


# Compression


@pytest.mark.parametrize("gzip_first", [True, False], ids=["gzip-first", "plain-first"])
def test_the_gzip_page_is_the_plain_page_with_its_own_token(client, office, gzip_first):
    if gzip_first:
        packed = client.get(f"/{office.slug}/", **GZIP)
        plain = client.get(f"/{office.slug}/")
    else:
        plain = client.get(f"/{office.slug}/")
        packed = client.get(f"/{office.slug}/", **GZIP)

    assert packed.status_code == plain.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert "accept-encoding" in vary(packed)
    assert "accept-encoding" in vary(plain)
    # what a browser would get on the wire: the length it is told is the length sent
    assert packed["Content-Length"] == str(len(packed.content))
    assert packed.content[:2] == b"\x1f\x8b"

    unpacked = html_of(packed)
    assert unpacked.startswith("<!doctype html>")
    assert unpacked.rstrip().endswith("</html>")
    assert without_token(unpacked) == without_token(plain.content.decode())
    assert token_in(unpacked) != form_token(plain)

    result = client.post(f"/{office.slug}/", valid_answers(office, token_in(unpacked)))
    assert result.status_code == 303
    assert Response.objects.count() == 1


def test_the_gzip_page_unpacks_as_a_browser_reads_it_piece_by_piece(client, office):
    packed = client.get(f"/{office.slug}/?lang=en&zrodlo=qr", **GZIP).content
    reader = zlib.decompressobj(wbits=31)  # a gzip stream, header and trailer checked

    body = b"".join(reader.decompress(packed[i : i + 100]) for i in range(0, len(packed), 100))
    body += reader.flush()

    assert reader.eof
    assert reader.unused_data == b""
    html = body.decode()
    assert '<html lang="en">' in html
    assert '<input type="hidden" name="zrodlo" value="qr">' in html
    assert TOKEN_SLOT not in html


def test_many_gzip_copies_each_unpack_to_a_page_with_a_working_token(client, office):
    tokens = set()
    for _ in range(5):
        response = client.get(f"/{office.slug}/", **GZIP)
        tokens.add(token_in(html_of(response)))
    assert len(tokens) == 5

    for token in tokens:
        assert client.post(f"/{office.slug}/", valid_answers(office, token)).status_code == 303
    assert Response.objects.count() == 5


@pytest.mark.parametrize("accept", ["", "identity", "br", "deflate"])
def test_a_browser_that_does_not_take_gzip_gets_plain_html(client, office, accept):
    client.get(f"/{office.slug}/", **GZIP)  # the page is drawn and cached

    response = client.get(f"/{office.slug}/", HTTP_ACCEPT_ENCODING=accept)

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert "accept-encoding" in vary(response)
    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert TOKEN_SLOT not in html
    result = client.post(f"/{office.slug}/", valid_answers(office, form_token(response)))
    assert result.status_code == 303


# One cached page per address, language, source and office


def test_language_of_one_request_is_not_served_to_the_next(client, office):
    english = get_form(client, office, "?lang=en").content.decode()
    polish = get_form(client, office).content.decode()
    english_again = get_form(client, office, "?lang=en").content.decode()

    assert '<html lang="en">' in english
    assert "Customer satisfaction survey" in english
    assert '<html lang="pl">' in polish
    assert "Customer satisfaction survey" not in polish
    assert '<input type="hidden" name="lang" value="en">' not in polish
    assert '<html lang="en">' in english_again
    assert '<input type="hidden" name="lang" value="en">' in english_again


def test_gzip_page_follows_the_language_too(client, office):
    client.get(f"/{office.slug}/?lang=en")

    html = html_of(client.get(f"/{office.slug}/", **GZIP))

    assert '<html lang="pl">' in html


def test_source_of_one_request_is_not_served_to_the_next(client, office):
    tagged = get_form(client, office, "?zrodlo=qr").content.decode()
    plain = get_form(client, office)

    assert '<input type="hidden" name="zrodlo" value="qr">' in tagged
    assert 'name="zrodlo"' not in plain.content.decode()
    assert "zrodlo=qr" not in plain.content.decode()
    # the answers sent from the plain page are not counted as coming from the QR code
    result = client.post(f"/{office.slug}/", valid_answers(office, form_token(plain)))
    assert result.status_code == 303
    assert Response.objects.get().source == ""


def test_language_links_keep_the_source_exactly_as_given(client, office):
    lower = get_form(client, office, "?zrodlo=qr").content.decode()
    upper = get_form(client, office, "?zrodlo=QR").content.decode()

    # both count as the same source …
    assert '<input type="hidden" name="zrodlo" value="qr">' in lower
    assert '<input type="hidden" name="zrodlo" value="qr">' in upper
    # … while the links to the English page carry what the address had
    assert f'href="/{office.slug}/?zrodlo=qr&amp;lang=en"' in lower
    assert f'href="/{office.slug}/?zrodlo=QR&amp;lang=en"' in upper
    assert "zrodlo=QR" not in lower


def test_path_and_host_addresses_each_get_their_own_links(client, office):
    by_path = get_form(client, office).content.decode()
    by_host_response = on_host(client, office)
    by_host = by_host_response.content.decode()
    by_path_again = get_form(client, office).content.decode()

    assert by_host_response.status_code == 200
    for html in (by_path, by_path_again):
        assert f'href="/{office.slug}/ochrona-danych/"' in html
        assert f'action="/{office.slug}/wyslij/"' in html
    assert 'href="/ochrona-danych/"' in by_host
    assert 'action="/wyslij/"' in by_host
    assert f'href="/{office.slug}/' not in by_host
    # the host page's form is sent to the host address and counted there
    result = on_host(
        client, office, method="post", data=valid_answers(office, form_token(by_host_response))
    )
    assert result.status_code == 303
    assert result["Location"] == "/dziekujemy/"
    assert Response.objects.get().office == office


def test_two_offices_on_their_own_hosts_each_show_only_their_own_survey(
    client, office, other_office
):
    mine = on_host(client, office)
    theirs = on_host(client, other_office)
    mine_again = on_host(client, office, **GZIP)

    for response, own, foreign in (
        (mine, office, other_office),
        (theirs, other_office, office),
        (mine_again, office, other_office),
    ):
        assert response.status_code == 200
        html = html_of(response)
        assert own.name in html
        assert foreign.name not in html
        for department in own.departments.all():
            assert department.name in html
        for department in foreign.departments.all():
            assert department.name not in html

    # a form of one office cannot be sent to the other
    foreign_token = form_token(theirs)
    result = on_host(client, office, method="post", data=valid_answers(office, foreign_token))
    assert result.status_code == 400
    assert Response.objects.count() == 0
    result = on_host(
        client, other_office, method="post", data=valid_answers(other_office, foreign_token)
    )
    assert result.status_code == 303
    assert Response.objects.get().office == other_office


# The form sent back with errors


def test_missing_answers_after_a_cached_page_are_named_and_given_answers_kept(client, office):
    get_form(client, office)  # the blank page is drawn and cached
    token = form_token(get_form(client, office))
    data = valid_answers(office, token)
    del data["q_ocena_ogolna"], data["q_wydzial"]

    result = client.post(f"/{office.slug}/", data)

    assert result.status_code == 400
    html = result.content.decode()
    assert "error-summary" in html
    assert 'href="#q_ocena_ogolna_1"' in html
    assert 'href="#q_wydzial"' in html
    assert 'id="q_wizerunek_lokalizacja_5" name="q_wizerunek_lokalizacja" value="5" checked' in html
    assert "Więcej ławek w poczekalni." in html
    assert form_token(result) == token
    assert TOKEN_SLOT not in html
    assert Response.objects.count() == 0

    # the next resident's blank page shows neither the errors nor those answers
    blank = get_form(client, office).content.decode()
    assert "error-summary" not in blank
    assert "Więcej ławek w poczekalni." not in blank
    assert " checked" not in blank
    assert token_in(blank) != token

    # and the corrected form goes through with the same token
    result = client.post(f"/{office.slug}/", valid_answers(office, token))
    assert result.status_code == 303
    assert Response.objects.count() == 1


def test_errors_after_a_cached_english_gzip_page_come_back_in_english(client, office):
    token = token_in(html_of(client.get(f"/{office.slug}/?lang=en", **GZIP)))
    data = valid_answers(office, token, lang="en")
    del data["q_ocena_ogolna"]

    result = client.post(f"/{office.slug}/", data, **GZIP)

    assert result.status_code == 400
    html = html_of(result)
    assert '<html lang="en">' in html
    assert "error-summary" in html
    assert "Więcej ławek w poczekalni." in html
    assert token_in(html) == token


def test_pages_for_made_up_sources_do_not_pile_up_in_memory(client, office):
    """Anyone can put a new ``?zrodlo=`` in the address; each would be a page of ~50 KB.
    The process keeps a bounded number of them and every page stays correct."""
    from ocenurzad.core import localcache

    limit = localcache.KIND_LIMITS["survey-page"]
    for n in range(limit * 2 + 5):
        response = client.get(f"/{office.slug}/?zrodlo=z{n}")
        assert f'name="zrodlo" value="z{n}"' in response.content.decode()

    pages = [key for key in localcache._entries if key[0] == "survey-page"]
    assert 0 < len(pages) <= limit
    assert 'name="zrodlo"' not in client.get(f"/{office.slug}/").content.decode()
