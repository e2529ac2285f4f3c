"""The resident pages' language: one of those offered (surveys/languages.py), else Polish."""

from ocenurzad.core.middleware import LanguageMiddleware

from .languages import languages_offered


class ResidentLanguageMiddleware(LanguageMiddleware):
    """core's LanguageMiddleware; on an office's resident pages only the languages in
    which everything is translated may be chosen (``?lang=`` of another falls back to
    Polish, and the language links at the top list only the offered ones)."""

    def allowed_languages(self, request) -> list[str]:
        office = getattr(request, "office", None)
        if office is not None and getattr(request, "resident_page", False):
            return languages_offered(office=office)
        return super().allowed_languages(request)
