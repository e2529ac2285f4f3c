"""Every resident URL, found from the URL configuration: HEAD is answered like GET (link
checkers and some proxies ask with HEAD), and no resident page sets a cookie."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from ocenurzad.banner.layout import SIZES

pytestmark = pytest.mark.django_db

# Values for the path parameters of resident URLs.
PARAMETERS = {"<str:size>": next(iter(SIZES))}


def _resident_routes() -> list[str]:
    routes = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if p.namespace != "panel":
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                for placeholder, value in PARAMETERS.items():
                    route = route.replace(placeholder, value)
                assert "<" not in route, f"no test value for a parameter of {route}"
                routes.append(route)

    walk(get_resolver(settings.OFFICE_URLCONF).url_patterns, "")
    return routes


ROUTES = _resident_routes()


def test_the_resident_routes_are_all_found():
    assert {"", "wyslij/", "dziekujemy/", "ochrona-danych/", "deklaracja-dostepnosci/"} <= set(
        ROUTES
    )
    assert any(r.startswith("baner/") and r.endswith(".png") for r in ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_head_is_answered_like_get(client, office, route):
    url = f"/{office.slug}/{route}"
    get = client.get(url)
    head = client.head(url)

    assert head.status_code == get.status_code, f"HEAD {url}: {head.status_code}"
    assert head.status_code != 405
    assert head["Content-Type"] == get["Content-Type"]
    assert head.get("Location") == get.get("Location")
    assert head.content == b""
    assert not head.cookies


def test_head_is_answered_like_get_on_the_platform_index(client, office):
    get, head = client.get("/"), client.head("/")
    assert get.status_code == head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
