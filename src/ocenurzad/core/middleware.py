"""Language without cookies: residents get no cookie at all, so the language travels in
the URL (``?lang=en``) or the submitted form, and falls back to Polish."""

from django.conf import settings
from django.utils import translation

LANG_PARAM = "lang"


def _allowed_languages(request) -> list[str]:
    office = getattr(request, "office", None)
    if office is not None:
        return office.enabled_languages
    return [code for code, _name in settings.LANGUAGES]


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get(LANG_PARAM)
        if not wanted and request.method == "POST":
            wanted = request.POST.get(LANG_PARAM)
        allowed = _allowed_languages(request)
        language = wanted if wanted in allowed else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        request.lang_query = "" if language == settings.LANGUAGE_CODE else f"?lang={language}"
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
