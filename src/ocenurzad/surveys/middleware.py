"""The page's language: on resident pages one of those offered (surveys/languages.py);
in the panel Polish or English, kept for the session once chosen; else Polish."""

from django.conf import settings

from ocenurzad.core.middleware import LanguageMiddleware, language_remember, language_remembered

from .languages import languages_offered

# The panel is in Polish and English only (its catalogue is complete in English, and only
# there). Survey languages are for residents — and for the draft's preview, which shows
# the survey as residents will see it (its own page, not the panel's).
PANEL_LANGUAGES = ("pl", "en")
PREVIEW_PATHS = ("/admin/ankieta/szkic/podglad/", "/admin/ankieta/szkic/podglad.pdf")


class ResidentLanguageMiddleware(LanguageMiddleware):
    """core's LanguageMiddleware; on an office's resident pages only the languages in
    which everything is translated may be chosen (``?lang=`` of another falls back to
    Polish, and the language links at the top list only the offered ones); on its panel
    pages only Polish and English (``?lang=uk`` there would put Polish text under
    ``lang="uk"``).

    A panel page's ``?lang=`` is the staff member's choice for the whole panel: kept in
    the session, it is the language of every panel page without one — menu links,
    redirects after a form, error pages, downloads — until another is chosen. Residents'
    pages have no session and never read or keep one. The draft's preview shows the
    survey in the panel's language unless another is chosen, and that choice of a
    survey language is not kept."""

    def allowed_languages(self, request) -> list[str]:
        office = getattr(request, "office", None)
        if office is not None and getattr(request, "resident_page", False):
            return languages_offered(office=office)
        allowed = super().allowed_languages(request)
        if office is not None and not request.path_info.startswith(PREVIEW_PATHS):
            return [settings.LANGUAGE_CODE] + [
                code for code in allowed if code in PANEL_LANGUAGES and code != "pl"
            ]
        return allowed

    def language_chosen(self, request, wanted, allowed):
        if request.office is None or request.resident_page:
            return super().language_chosen(request, wanted, allowed)
        request.language_remembered = True
        if wanted in allowed:
            if not request.path_info.startswith(PREVIEW_PATHS):
                language_remember(request, wanted)
            return wanted
        remembered = language_remembered(request)
        return super().language_chosen(request, remembered, allowed)
