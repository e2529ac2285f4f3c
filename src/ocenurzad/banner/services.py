"""The office's banner, QR code and HTML snippet, all pointing at its survey.

Nothing here writes data. Images depend only on the office's name, the size and the
language, so they are cached (shared cache, keyed by office id) and sent with an ETag.
A banner is drawn in each language residents are offered (its texts are resident
messages: core/i18n.py); the panel page that hands it out is in the panel's language and
lets the webmaster choose the banner's.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office
from ocenurzad.surveys.languages import languages_offered_now

from .layout import SIZES, BannerSize, banner_alt_text, banner_layout
from .render import banner_to_png, banner_to_svg, qr_pixel_size, qr_to_png, qr_to_svg

# Bump when the drawing changes, so cached images and ETags are renewed.
RENDER_VERSION = 2  # 2: the brand and the office's name marked Polish (xml:lang)
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
    return qr_to_svg(url=url, label=qr_alt_text(url=url), language=_language())


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


def banner_languages(*, office: Office) -> list[str]:
    """The languages a banner may be handed out in: those residents are offered now."""
    return languages_offered_now(office=office)


def banner_language_choose(*, offered: list[str], wanted: str | None, page_language: str) -> str:
    """The banner's language on its panel page: the one asked for (``?jezyk=``), else the
    page's own, where residents are offered it (``offered``); else Polish."""
    for code in (wanted, page_language):
        if code in offered:
            return code
    return settings.LANGUAGE_CODE


def banner_page_data(*, request, language: str, offered: list[str]) -> dict:
    """Everything the banner page shows: each size with its files and snippet, the QR code
    and the direct link, with the banner, its alt text and its links in ``language``; the
    languages it may be chosen in (``offered``)."""
    office = request.office
    lang_query = "" if language == settings.LANGUAGE_CODE else f"?lang={language}"
    with translation.override(language):
        banner_url = survey_absolute_url(request=request, source=SOURCE_BANNER)
        qr_url = survey_absolute_url(request=request, source=SOURCE_QR)
        link_url = survey_absolute_url(request=request, source=SOURCE_LINK)
        alt = banner_alt_text(office_name=office.name)
        qr_alt = qr_alt_text(url=qr_url)
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
        "banner_language": language,
        "languages": [(code, name) for code, name in settings.LANGUAGES if code in offered],
        "alt": alt,
        "qr_survey_url": qr_url,
        "qr_alt": qr_alt,
        "qr_size": qr_pixel_size(url=qr_url),
        "link_survey_url": link_url,
        "survey_url": reverse("survey") + lang_query,
        "qr_png_url": reverse("banner-qr-png") + lang_query,
        "qr_svg_url": reverse("banner-qr-svg") + lang_query,
    }


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE
