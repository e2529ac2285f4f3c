"""The "Oceń Urząd" banner: a page for the office's webmaster and the images it offers.

Images are public, cacheable and set no cookie; they are hot-linked from office websites.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_safe

from ocenurzad.accounts.permissions import Perm
from ocenurzad.panel.access import panel_view

from .layout import SIZES
from .services import (
    banner_fingerprint,
    banner_language_choose,
    banner_languages,
    banner_page_data,
    banner_png_render,
    banner_size_get,
    banner_svg_render,
    qr_fingerprint,
    qr_png_render,
    qr_svg_render,
)

IMAGE_MAX_AGE = 24 * 60 * 60
# The banner's language on its panel page (the page itself is in the panel's language).
BANNER_LANGUAGE_PARAM = "jezyk"
# An SVG opened on its own is a document: let it load and run nothing.
SVG_CSP = "default-src 'none'; frame-ancestors 'none'"


def _banner_etag(kind: str):
    def etag(request, size: str) -> str | None:
        if size not in SIZES:
            return None  # the view answers 404
        return f"{banner_fingerprint(office=request.office, size=SIZES[size])}-{kind}"

    return etag


def _qr_etag(kind: str):
    def etag(request) -> str:
        return f"{qr_fingerprint(request=request)}-{kind}"

    return etag


def _image(content, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Meant to be shown on the office's own website, another origin.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if content_type.startswith("image/svg+xml"):
        response["Content-Security-Policy"] = SVG_CSP
    return response


@require_GET
@panel_view(Perm.BANNER)
def banner_page(request):
    """For the office's webmaster, in the panel: sizes, snippets, the QR code — in any
    language residents are offered, whatever the panel's."""
    offered = banner_languages(office=request.office)
    language = banner_language_choose(
        offered=offered,
        wanted=request.GET.get(BANNER_LANGUAGE_PARAM),
        page_language=request.LANGUAGE_CODE,
    )
    data = banner_page_data(request=request, language=language, offered=offered)
    return render(request, "banner/page.html", data)


@require_safe
def banner_page_moved(request):
    """The page used to be public at baner/; bookmarks lead into the panel, with the
    banner in the language asked for (English: the panel's too)."""
    target = reverse("panel:banner")
    language = request.LANGUAGE_CODE
    if language == "en":
        return redirect(target + request.lang_query)
    if language != settings.LANGUAGE_CODE:
        return redirect(f"{target}?{BANNER_LANGUAGE_PARAM}={language}")
    return redirect(target)


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@condition(etag_func=_banner_etag("svg"))
def banner_svg(request, size: str):
    svg = banner_svg_render(office=request.office, size=banner_size_get(key=size))
    return _image(svg, "image/svg+xml; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@condition(etag_func=_banner_etag("png"))
def banner_png(request, size: str):
    png = banner_png_render(office=request.office, size=banner_size_get(key=size))
    return _image(png, "image/png")


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@condition(etag_func=_qr_etag("svg"))
def qr_svg(request):
    return _image(qr_svg_render(request=request), "image/svg+xml; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
@condition(etag_func=_qr_etag("png"))
def qr_png(request):
    return _image(qr_png_render(request=request), "image/png")
