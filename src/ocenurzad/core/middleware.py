"""The project's middleware.

- LanguageMiddleware: language without cookies of its own. Residents get no cookie at
  all, so the language travels in the URL (``?lang=en``) or the submitted form, and falls
  back to Polish — never chosen from the browser's Accept-Language. It is the first to
  read a POST's form, and parses an urlencoded one with core.postdata (the same result as
  Django's, several times faster). Which languages a page may take is
  ``allowed_languages``: here the office's switched-on languages (the panel previews the
  survey in them); resident pages narrow it to the complete ones, and panel pages fall
  back to the language their staff member chose, kept in the session by
  ``language_remember`` (ocenurzad.surveys.middleware).
- SessionMiddleware, AuthenticationMiddleware, OTPMiddleware, MessageMiddleware: Django's
  and django-otp's own, skipped on resident pages (``request.resident_page``, set by
  OfficeMiddleware). Residents are anonymous and get no cookie; these pages read no
  session, user or message, so the busiest pages of the service do not pay for them, and
  no session cookie can appear on them even by mistake. Staff and platform pages get the
  full chain.
- CSPMiddleware: django-csp with the header built once (see the class), and the
  Permissions-Policy header (settings.PERMISSIONS_POLICY): no page of the service uses
  the camera, microphone, location, payment or any other powerful browser feature, so
  none may — not even content that slipped past every other check.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django.http import FileResponse
from django.utils import translation
from django_otp.middleware import OTPMiddleware as _OTPMiddleware

from .postdata import parse_urlencoded_post

LANG_PARAM = "lang"


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wanted = request.GET.get(LANG_PARAM)
        if request.method == "POST":
            parse_urlencoded_post(request)
            if not wanted:
                wanted = request.POST.get(LANG_PARAM)
        allowed = self.allowed_languages(request)
        request.languages_allowed = allowed
        # True when a page without ?lang= is not simply Polish (its language links then
        # name every language, Polish too).
        request.language_remembered = False
        language = self.language_chosen(request, wanted, allowed)
        request.LANGUAGE_CODE = language
        request.lang_query = "" if language == settings.LANGUAGE_CODE else f"?lang={language}"
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            # A streamed download (CSV) is written after this returns: in the page's
            # language too, not in the server's.
            response.streaming_content = _in_language(response.streaming_content, language)
        return response

    def allowed_languages(self, request) -> list[str]:
        office = getattr(request, "office", None)
        if office is not None:
            return office.enabled_languages
        return [code for code, _name in settings.LANGUAGES]

    def language_chosen(self, request, wanted: str | None, allowed: list[str]) -> str:
        return wanted if wanted in allowed else settings.LANGUAGE_CODE


# Session key: {office id: the language its panel was last switched to}. Per office, so
# that offices under one address (/<slug>/admin/) behave as under their own hosts, where
# each has its own session anyway.
SESSION_LANGUAGES = "panel_languages"


def language_remember(request, language: str) -> None:
    """Keep ``language`` as the language of this office's panel for the rest of the
    session. Only in a session someone is logged into: an anonymous visitor (the login
    page) is given no session for it, and logging out forgets it with the session. Polish,
    the default, is kept as nothing."""
    session = getattr(request, "session", None)
    office = getattr(request, "office", None)
    if session is None or office is None or SESSION_KEY not in session:
        return
    kept = session.get(SESSION_LANGUAGES, {})
    chosen = {key: code for key, code in kept.items() if key != str(office.pk)}
    if language != settings.LANGUAGE_CODE:
        chosen[str(office.pk)] = language
    if chosen != kept:
        session[SESSION_LANGUAGES] = chosen


def language_remembered(request) -> str | None:
    """The language kept by ``language_remember`` for this office's panel, if any."""
    session = getattr(request, "session", None)
    office = getattr(request, "office", None)
    if session is None or office is None:
        return None
    return session.get(SESSION_LANGUAGES, {}).get(str(office.pk))


_END = object()


def _in_language(chunks, language: str):
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, _END)
        if chunk is _END:
            return
        yield chunk


class _SkippedOnResidentPages:
    def __call__(self, request):
        if getattr(request, "resident_page", False):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_SkippedOnResidentPages, _SessionMiddleware):
    pass


class AuthenticationMiddleware(_SkippedOnResidentPages, _AuthenticationMiddleware):
    pass


class OTPMiddleware(_SkippedOnResidentPages, _OTPMiddleware):
    pass


class MessageMiddleware(_SkippedOnResidentPages, _MessageMiddleware):
    pass


# What a view or decorator may set to change the policy of one response (django-csp).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class CSPMiddleware(_CSPMiddleware):
    """django-csp, with the policy built once per configuration instead of twice per
    response: this project's pages use no nonce and no per-view policy, so the header is
    the same on every response. Anything else — a nonce used, a per-response policy,
    excluded URL prefixes, DEBUG — goes through django-csp's own code."""

    # (policy setting, report-only setting, their headers): the setting objects are kept,
    # so that one replaced (override_settings, a test) is told apart by identity.
    _built: tuple | None = None

    def process_response(self, request, response):
        permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy
        policy_setting = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_setting = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        policy, report_only = policy_setting or {}, report_setting or {}
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or policy.get("EXCLUDE_URL_PREFIXES")
            or report_only.get("EXCLUDE_URL_PREFIXES")
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        built = CSPMiddleware._built
        if built is None or built[0] is not policy_setting or built[1] is not report_setting:
            headers = (build_policy(), build_policy(report_only=True))
            built = CSPMiddleware._built = (policy_setting, report_setting, headers)
        headers = built[2]
        enforced, reported = headers
        if enforced and HEADER not in response:
            response[HEADER] = enforced
        if reported and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = reported
        # As django-csp does: a nonce asked for after this point is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
