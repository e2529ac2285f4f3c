from django.conf import settings
from django.http import QueryDict

from .version import app_version


def _url_in_language(request, code: str) -> str:
    query = QueryDict(mutable=True)
    for key in ("zrodlo",):
        if key in request.GET:
            query[key] = request.GET[key]
    # Where a page without ?lang= is not simply Polish (the panel keeps a staff member's
    # choice), the way back to Polish must say so.
    if code != settings.LANGUAGE_CODE or getattr(request, "language_remembered", False):
        query["lang"] = code
    encoded = query.urlencode()
    return request.path + ("?" + encoded if encoded else "")


def site(request):
    office = getattr(request, "office", None)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    names = dict(settings.LANGUAGES)
    languages = getattr(request, "languages_allowed", None) or (
        office.enabled_languages if office else ["pl", "en"]
    )
    return {
        "app_version": app_version(),
        "office": office,
        "lang": language,
        "lang_query": getattr(request, "lang_query", ""),
        "language_choices": [
            {
                "code": code,
                "name": names[code],
                "current": code == language,
                "url": _url_in_language(request, code),
            }
            for code in languages
        ],
    }
