"""The resident's survey: no cookie, no login, no JavaScript needed."""

import re

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from ocenurzad.core import localcache
from ocenurzad.core.http import never_cache
from ocenurzad.core.views import error_page
from ocenurzad.offices.selectors import departments_for_resident
from ocenurzad.surveys.answers import TamperedInput, parse_answers
from ocenurzad.surveys.definition import localized
from ocenurzad.surveys.languages import department_name
from ocenurzad.surveys.presentation import form_sections
from ocenurzad.surveys.selectors import survey_version_for_resident, survey_version_get

from .pages import TOKEN_SLOT, BlankPage, accepts_gzip
from .ratelimit import RateLimited, submit_counter_key
from .services import TokenAlreadyUsed, response_submit_online, token_spent
from .tokens import TokenExpired, TokenInvalid, token_issue, token_read

HONEYPOT = "adres_strony"
FORM_FIELDS = frozenset({"token", "lang", "zrodlo", HONEYPOT})
_SOURCE_RE = re.compile(r"^[a-z0-9_-]{1,32}$")


def _source_from_query(request) -> str:
    source = request.GET.get("zrodlo", "").strip().lower()
    return source if _SOURCE_RE.match(source) else ""


# The blank form may be kept by the resident's own browser, never by a shared cache, and
# is asked for again on every ordinary visit (no-cache). Not no-store: Back after
# "Dziękujemy" then brings back the page as it was sent, with its spent form token, even
# where the back/forward cache is off — so sending it again cannot store a second
# response (one visit, one response, without a cookie or a stored identifier).
BLANK_FORM_CACHE = "private, no-cache"


@csrf_exempt  # the signed single-use form token protects the form; residents get no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request):
    office = request.office
    if request.method == "POST":
        return _submit(request)
    version = survey_version_for_resident(office=office)
    response = _blank_form(request, version, source=_source_from_query(request))
    response.headers["Cache-Control"] = BLANK_FORM_CACHE
    return response


@csrf_exempt  # as above
@require_http_methods(["GET", "HEAD", "POST"])
def survey_send(request):
    """Where the form is sent: an address of its own, since a browser forgets its copy of
    the page a form was sent to, and the blank form's copy must survive for Back."""
    if request.method == "POST":
        return _submit(request)
    return HttpResponseRedirect(reverse("survey") + request.lang_query, status=303)


def _blank_form(request, version, *, source):
    """The survey as first opened: one cached page per address, language, ``zrodlo`` and
    version, joined around a fresh token (responses/pages.py)."""
    office = request.office
    key = (
        "survey-page",
        request.path,
        office.pk,
        request.LANGUAGE_CODE,
        request.GET.get("zrodlo"),  # the language links carry it as given
        version.pk,
        version.published_at,
    )
    page = localcache.get_or_load(
        key,
        lambda: BlankPage(
            render_to_string(
                "responses/survey.html",
                _form_context(request, version, source=source, token=TOKEN_SLOT),
                request,
            )
        ),
    )
    gzip = accepts_gzip(request)
    response = HttpResponse(
        page.body(token_issue(office_id=office.pk, version_id=version.pk), gzip=gzip)
    )
    if gzip:
        response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


@never_cache
def _submit(request):
    office = request.office
    source = request.POST.get("zrodlo", "")
    if source and not _SOURCE_RE.match(source):
        return _bad_request(request)
    try:
        version_id, nonce = token_read(token=request.POST.get("token", ""), office_id=office.pk)
    except TokenExpired as exc:
        if exc.nonce and token_spent(nonce=exc.nonce):
            return _already_sent(request)
        return _expired(request, source)
    except TokenInvalid:
        return _bad_request(request)
    version = _version_of_token(office, version_id)
    departments = departments_for_resident(office=office)
    try:
        parsed = _parse(request, version, departments)
    except TamperedInput:
        return _bad_request(request)
    if request.POST.get(HONEYPOT):
        # Looks like success to a robot; nothing is stored.
        return _thanks_redirect(request)
    if not parsed.is_valid:
        return _render_form(
            request,
            version,
            source=source,
            parsed=parsed,
            departments=departments,
            token=request.POST["token"],
            status=400,
        )
    try:
        response_submit_online(
            office=office,
            version=version,
            parsed=parsed,
            nonce=nonce,
            source=source,
            language=request.LANGUAGE_CODE,
            rate_key=submit_counter_key(request, office_id=office.pk, networks=office.networks),
        )
    except RateLimited:
        return error_page(
            request,
            429,
            _("Zbyt wiele ankiet"),
            _(
                "Z tego urządzenia wysłano w krótkim czasie bardzo wiele ankiet. "
                "Prosimy spróbować ponownie później."
            ),
        )
    except TokenAlreadyUsed:
        return _already_sent(request)
    return _thanks_redirect(request)


def _already_sent(request):
    """The form was sent before (Back after "Dziękujemy", then send again): nothing more
    is stored. No cookie tells a second visit from a first, the spent token does."""
    return error_page(
        request,
        409,
        _("Ankieta została już wysłana"),
        _(
            "Ta ankieta została już wysłana i zapisana — dziękujemy. Drugi raz nie została "
            "zapisana. Jeżeli chce Pan/Pani ocenić kolejną wizytę, prosimy wypełnić nową "
            "ankietę."
        ),
        link=(reverse("survey") + request.lang_query, _("Wypełnij nową ankietę")),
    )


def _version_of_token(office, version_id):
    """The published version a form token names: nearly always the current one."""
    try:
        current = survey_version_for_resident(office=office)
    except Http404:
        current = None
    if current is not None and current.pk == version_id:
        return current
    return survey_version_get(office=office, version_id=version_id)


def _parse(request, version, departments):
    """The submitted answers checked against ``version`` (raises TamperedInput)."""
    return parse_answers(
        definition=version.definition,
        data=request.POST,
        department_ids={d.pk for d in departments},
        language=request.LANGUAGE_CODE,
        extra_fields=FORM_FIELDS,
    )


_THANKS_URLS: dict[str, str] = {}


def _thanks_redirect(request):
    # The address depends only on the script prefix (host or /<slug>/ form); kept.
    prefix = get_script_prefix()
    url = _THANKS_URLS.get(prefix)
    if url is None:
        if len(_THANKS_URLS) >= 1024:
            _THANKS_URLS.clear()
        url = _THANKS_URLS[prefix] = reverse("thanks")
    return HttpResponseRedirect(url + request.lang_query, status=303)


def _expired(request, source):
    version = survey_version_for_resident(office=request.office)
    departments = departments_for_resident(office=request.office)
    try:
        parsed = _parse(request, version, departments)
    except TamperedInput:
        return _bad_request(request)
    parsed.errors = []
    notice = _(
        "Formularz był otwarty zbyt długo i dla bezpieczeństwa wygasł. Udzielone "
        "odpowiedzi są zachowane poniżej — prosimy je sprawdzić i wysłać ankietę ponownie."
    )
    return _render_form(
        request,
        version,
        source=source,
        parsed=parsed,
        departments=departments,
        status=400,
        notice=notice,
    )


def _bad_request(request):
    return error_page(
        request,
        400,
        _("Nieprawidłowe dane formularza"),
        _(
            "Przesłane dane nie pochodzą z formularza ankiety tego urzędu albo zostały "
            "zmienione. Nic nie zostało zapisane. Prosimy otworzyć ankietę ponownie i ją "
            "wypełnić."
        ),
        link=(reverse("survey") + request.lang_query, _("Otwórz ankietę")),
    )


def _render_form(
    request, version, *, source, parsed=None, departments=None, token=None, status=200, notice=None
):
    context = _form_context(
        request,
        version,
        source=source,
        parsed=parsed,
        departments=departments,
        token=token,
        notice=notice,
    )
    return render(request, "responses/survey.html", context, status=status)


def _form_context(
    request, version, *, source, parsed=None, departments=None, token=None, notice=None
) -> dict:
    office = request.office
    language = request.LANGUAGE_CODE
    if departments is None:
        departments = departments_for_resident(office=office)
    definition = version.definition
    return {
        "title": localized(definition.get("title"), language),
        "intro": localized(definition.get("intro"), language),
        "sections_html": _sections_html(version, language, departments, parsed),
        "errors": parsed.errors if parsed else [],
        "notice": notice,
        "token": token or token_issue(office_id=office.pk, version_id=version.pk),
        "source": source,
        "honeypot": HONEYPOT,
        "version": version,
    }


# The blank form's questions, drawn once per published version, language and list of
# departments: the key holds everything the HTML depends on, so it is never stale, and a
# published version never changes. Bounded; each process keeps its own.
_BLANK_FORMS: dict[tuple, str] = {}
_BLANK_FORMS_MAX = 256


def _sections_html(version, language, departments, parsed) -> str:
    key = (
        version.pk,
        version.published_at,
        language,
        tuple((d.pk, department_name(d, language)) for d in departments),
    )
    if parsed is None and version.is_published and key in _BLANK_FORMS:
        return _BLANK_FORMS[key]
    sections = form_sections(
        definition=version.definition,
        language=language,
        departments=departments,
        raw=parsed.raw if parsed else None,
        errors=parsed.errors if parsed else None,
    )
    html = render_to_string("responses/_sections.html", {"sections": sections})
    if parsed is None and version.is_published:
        if len(_BLANK_FORMS) >= _BLANK_FORMS_MAX:
            _BLANK_FORMS.clear()
        _BLANK_FORMS[key] = html
    return html


@require_safe
def thanks(request):
    return render(request, "responses/thanks.html")
