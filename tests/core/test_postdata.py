"""core.postdata: urlencoded form bodies parsed as Django parses them.

Browsers send the survey as application/x-www-form-urlencoded (the test client sends
multipart unless told otherwise), so these tests post the way a resident's browser does.
"""

from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from ocenurzad.core.postdata import urlencoded_querydict
from ocenurzad.responses.models import Response, UsedFormToken
from tests.conftest import form_token

FORM = "application/x-www-form-urlencoded"

pieces = st.sampled_from(
    [
        *("a", "q_x", "ż", "%C5%BC", "%", "%zz", "+", "=", "&", ";", "%FF", "é", " ", "", "1"),
        *("%2B", "%26", "%3D", "%25", "==", "&&", "%C5", "%E2%80", "\x00", "\n", "%20+"),
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(pieces, max_size=30).map("".join), st.sampled_from(["utf-8", "iso-8859-2"]))
def test_same_result_as_djangos_querydict(text, encoding):
    body = text.encode(encoding)
    ours = urlencoded_querydict(body)
    django = QueryDict(body, encoding="utf-8")

    assert dict(ours.lists()) == dict(django.lists())
    assert ours.encoding == django.encoding
    with pytest.raises(AttributeError):  # immutable like request.POST
        ours["x"] = "y"


@pytest.mark.parametrize("limit", [0, 1, 3, None])
@pytest.mark.parametrize("body", [b"", b"a", b"a=1&b=2&c=3", b"a=1&b=2&c=3&d=4", b"&&", b"a&"])
def test_the_field_limit_is_the_same_as_djangos(settings, limit, body):
    from django.core.exceptions import TooManyFieldsSent

    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = limit
    try:
        expected = dict(QueryDict(body, encoding="utf-8").lists())
    except TooManyFieldsSent:
        with pytest.raises(TooManyFieldsSent):
            urlencoded_querydict(body)
    else:
        assert dict(urlencoded_querydict(body).lists()) == expected


def test_too_many_fields_are_refused_like_django_does(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    from django.core.exceptions import TooManyFieldsSent

    with pytest.raises(TooManyFieldsSent):
        urlencoded_querydict(b"a=1&b=2&c=3&d=4")
    assert dict(urlencoded_querydict(b"a=1&b=2&c=3").lists()) == {
        "a": ["1"],
        "b": ["2"],
        "c": ["3"],
    }


valid = {
    "q_ocena_ogolna": "4",
    "q_cel_wizyty": "odbior_dokumentu",
    "q_co_poprawic": "Więcej ławek — i zieleni & cienia; 100% za!",
}


@pytest.mark.django_db
def test_a_browsers_urlencoded_survey_is_stored_with_polish_text_intact(client, office):
    token = form_token(client.get(f"/{office.slug}/?zrodlo=qr"))
    department = office.departments.first()
    body = urlencode(dict(valid, token=token, zrodlo="qr", q_wydzial=department.pk, lang="en"))

    result = client.post(f"/{office.slug}/", body, content_type=FORM)

    assert result.status_code == 303
    assert result["Location"].endswith("?lang=en")
    stored = Response.objects.get()
    assert stored.answers["co_poprawic"] == valid["q_co_poprawic"]
    assert (stored.source, stored.language, stored.department) == ("qr", "en", department)


@pytest.mark.django_db
def test_a_repeated_single_answer_field_is_still_refused(client, office):
    token = form_token(client.get(f"/{office.slug}/"))
    body = urlencode(dict(valid, token=token)) + "&q_ocena_ogolna=1"

    result = client.post(f"/{office.slug}/", body, content_type=FORM)

    assert result.status_code == 400
    assert not Response.objects.exists()
    assert not UsedFormToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "setting, body",
    [
        ("DATA_UPLOAD_MAX_NUMBER_FIELDS", "&".join(f"f{i}=1" for i in range(50))),
        ("DATA_UPLOAD_MAX_MEMORY_SIZE", "q_co_poprawic=" + "x" * 5000),
    ],
)
def test_oversized_forms_get_a_polish_400_page_and_store_nothing(
    client, office, settings, setting, body
):
    setattr(settings, setting, 40 if setting.endswith("FIELDS") else 1000)

    result = client.post(f"/{office.slug}/", body, content_type=FORM)

    assert result.status_code == 400
    assert 'lang="pl"' in result.content.decode()
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_form_in_another_charset_is_left_to_django_and_refused(client, office):
    result = client.post(f"/{office.slug}/", "a=1", content_type=f"{FORM}; charset=latin-1")

    assert result.status_code == 400
    assert not Response.objects.exists()
