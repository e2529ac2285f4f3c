"""core.http.never_cache: the headers Django's never_cache sets, set faster."""

import time

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import add_never_cache_headers

from ocenurzad.core.http import never_cache


def django_headers(response):
    add_never_cache_headers(response)
    return response


def test_same_headers_as_djangos_never_cache():
    view = never_cache(lambda request: HttpResponse("x"))
    before = int(time.time())
    ours = view(RequestFactory().get("/"))
    theirs = django_headers(HttpResponse("x"))

    assert ours["Cache-Control"] == theirs["Cache-Control"]
    assert ours["Expires"] in {
        theirs["Expires"],
        django_headers(HttpResponse("x"))["Expires"],  # the second may have turned
    }
    assert int(time.time()) - before <= 1


def test_a_response_with_its_own_cache_headers_is_patched_like_django_does():
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=600"
        return response

    ours = never_cache(view)(RequestFactory().get("/"))
    theirs = HttpResponse("x")
    theirs["Cache-Control"] = "public, max-age=600"
    add_never_cache_headers(theirs)

    assert ours["Cache-Control"] == theirs["Cache-Control"]
    assert "max-age=0" in ours["Cache-Control"] and "no-store" in ours["Cache-Control"]
