"""No panel page answers 500 to nonsense: every page found in the URL configuration
(as tests/panel/test_access_matrix.py finds them) gets junk query parameters and junk
form fields, as the operator (who may open every page) and as an office administrator.
A clear 4xx page or the form shown again are fine; a server error is not."""

import pytest

from ocenurzad.accounts.models import Role, User
from tests.panel.test_access_matrix import PAGES

pytestmark = pytest.mark.django_db

JUNK_QUERY = (
    "?strona=abc&od=2025-13-45&do=%00&okres=%C5&rok=99999999999999999999&kwartal=9"
    "&miesiac=-1&wydzial=x&kanal=kiosk%27&porownaj=maybe&jezyk=zz&liczba=-5&szukaj=%25%00"
    "&wersja=%ff&format=../../etc"
)
FORM = "application/x-www-form-urlencoded"
JUNK_FORM = {
    "name": "\x00" * 3,
    "domain": "ą" * 300,
    "slug": "../",
    "username": "",
    "role": "superuser",
    "department_id": "1e9",
    "direction": "sideways",
    "active": "maybe",
    "revision": "-1",
    "definition": "{not json",
    "sheet_number": "12abc",
    "filled_on": "yesterday",
    "q_ocena_ogolna": ["1", "2"],
    "new-name": "x" * 5000,
    "file": "not a file",
}


@pytest.fixture(params=[Role.OPERATOR, Role.OFFICE_ADMIN])
def staff_client(request, client, office):
    user = User.objects.create_user(
        username=f"junk-{request.param}",
        password="x",
        role=request.param,
        office=None if request.param == Role.OPERATOR else office,
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("name", "route", "perm"), PAGES, ids=[p[0] for p in PAGES])
def test_junk_never_gets_a_server_error(staff_client, office, name, route, perm):
    url = f"/{office.slug}/{route}"

    for response in (
        staff_client.get(url + JUNK_QUERY),
        staff_client.post(url + JUNK_QUERY, JUNK_FORM),
        staff_client.post(url, "\x00\xff garbage", content_type=FORM),
    ):
        assert response.status_code < 500, f"{name}: {response.status_code} for {response.request}"


def _resident_routes():
    from django.conf import settings
    from django.urls import URLPattern, URLResolver, get_resolver

    routes = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if p.namespace != "panel":
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and "<" not in route:
                routes.append(route)

    walk(get_resolver(settings.OFFICE_URLCONF).url_patterns, "")
    return routes


RESIDENT_ROUTES = _resident_routes()


def test_resident_routes_are_found():
    assert {"", "dziekujemy/", "ochrona-danych/", "baner/"} <= set(RESIDENT_ROUTES)


@pytest.mark.parametrize("route", RESIDENT_ROUTES)
def test_junk_on_resident_pages_never_gets_a_server_error(client, office, route):
    client.raise_request_exception = False
    url = f"/{office.slug}/{route}"

    for response in (
        client.get(url + JUNK_QUERY + "&lang=%00&zrodlo=" + "x" * 500),
        client.post(url + JUNK_QUERY, JUNK_FORM),
        client.post(url, "\x00\xff garbage&token=" + "a" * 5000, content_type=FORM),
    ):
        assert response.status_code < 500, f"/{route}: {response.status_code}"
