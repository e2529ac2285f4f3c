"""The page's language: on resident pages one of those offered (surveys/languages.py);
in the panel Polish or English; else Polish."""

from django.conf import settings

from ocenurzad.core.middleware import LanguageMiddleware

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
    ``lang="uk"``)."""

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
