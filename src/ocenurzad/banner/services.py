"""The office's banner, QR code and HTML snippet, all pointing at its survey.

Nothing here writes data. Images depend only on the office's name, the size and the
language, so they are cached (shared cache, keyed by office id) and sent with an ETag.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office

from .layout import SIZES, BannerSize, banner_alt_text, banner_layout
from .render import banner_to_png, banner_to_svg, qr_pixel_size, qr_to_png, qr_to_svg

# Bump when the drawing changes, so cached images and ETags are renewed.
RENDER_VERSION = 1
PNG_CACHE_SECONDS = 7 * 24 * 60 * 60

SOURCE_BANNER = "baner"
SOURCE_QR = "qr"
SOURCE_LINK = "strona"


def banner_size_get(*, key: str) -> BannerSize:
    """The banner size ``prostokat`` etc., or 404 for any other."""
    try:
        return SIZES[key]
    except KeyError as exc:
        raise Http404 from exc


def banner_fingerprint(*, office: Office, size: BannerSize) -> str:
    """Changes whenever the banner's picture would: name, size, language, drawing."""
    parts = f"{RENDER_VERSION}:{office.pk}:{size.key}:{_language()}:{office.name}"
    return hashlib.sha256(parts.encode()).hexdigest()[:32]


def banner_svg_render(*, office: Office, size: BannerSize) -> str:
    return banner_to_svg(banner_layout(size=size, office_name=office.name, language=_language()))


def banner_png_render(*, office: Office, size: BannerSize) -> bytes:
    """The PNG, drawn once per office, size, name and language, then served from cache."""
    key = f"banner:png:{office.pk}:{banner_fingerprint(office=office, size=size)}"
    png = cache.get(key)
    if png is None:
        png = banner_to_png(banner_layout(size=size, office_name=office.name, language=_language()))
        cache.set(key, png, PNG_CACHE_SECONDS)
    return png


def survey_absolute_url(*, request, source: str) -> str:
    """The office's survey, absolute, tagged with where the resident came from."""
    query = {"zrodlo": source}
    if _language() != settings.LANGUAGE_CODE:
        query["lang"] = _language()
    return request.build_absolute_uri(reverse("survey") + "?" + urlencode(query))


def qr_png_render(*, request) -> bytes:
    return qr_to_png(url=survey_absolute_url(request=request, source=SOURCE_QR))


def qr_svg_render(*, request) -> str:
    url = survey_absolute_url(request=request, source=SOURCE_QR)
    return qr_to_svg(url=url, label=qr_alt_text(url=url))


def qr_alt_text(*, url: str) -> str:
    return _("Kod QR prowadzący do ankiety „Oceń Urząd”: %(url)s") % {"url": url}


def qr_fingerprint(*, request) -> str:
    url = survey_absolute_url(request=request, source=SOURCE_QR)
    return hashlib.sha256(f"{RENDER_VERSION}:{url}".encode()).hexdigest()[:32]


def banner_snippet(*, survey_url: str, image_url: str, size: BannerSize, alt: str) -> str:
    """The HTML a webmaster pastes into the office's home page."""
    return format_html(
        '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
        survey_url,
        image_url,
        size.width,
        size.height,
        alt,
    )


def banner_page_data(*, request) -> dict:
    """Everything the banner page shows: each size with its files and snippet, the QR code
    and the direct link, in the language the page is read in."""
    office = request.office
    lang_query = request.lang_query
    banner_url = survey_absolute_url(request=request, source=SOURCE_BANNER)
    qr_url = survey_absolute_url(request=request, source=SOURCE_QR)
    alt = banner_alt_text(office_name=office.name)
    banners = []
    for size in SIZES.values():
        png_url = reverse("banner-png", kwargs={"size": size.key}) + lang_query
        banners.append(
            {
                "size": size,
                "svg_url": reverse("banner-svg", kwargs={"size": size.key}) + lang_query,
                "png_url": png_url,
                "filename": f"ocen-urzad-{size.key}",
                "snippet": banner_snippet(
                    survey_url=banner_url,
                    image_url=request.build_absolute_uri(png_url),
                    size=size,
                    alt=alt,
                ),
            }
        )
    return {
        "banners": banners,
        "alt": alt,
        "qr_survey_url": qr_url,
        "qr_alt": qr_alt_text(url=qr_url),
        "qr_size": qr_pixel_size(url=qr_url),
        "link_survey_url": survey_absolute_url(request=request, source=SOURCE_LINK),
        "survey_url": reverse("survey") + lang_query,
        "qr_png_url": reverse("banner-qr-png") + lang_query,
        "qr_svg_url": reverse("banner-qr-svg") + lang_query,
    }


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE
