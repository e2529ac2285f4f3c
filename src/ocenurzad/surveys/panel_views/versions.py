"""The survey's versions: the overview and history, one version read-only, starting and
discarding a draft, its preview (page and PDF) and publishing it (§ 5 of the ordinance:
the report of the results so far is archived first, by ``survey_version_publish``)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ocenurzad.accounts.permissions import Perm
from ocenurzad.offices.selectors import departments_active
from ocenurzad.panel.access import panel_view
from ocenurzad.printing.pdf import survey_pdf_render
from ocenurzad.workflows.models import VisibleChange
from ocenurzad.workflows.panel_views import archived_pdf_url, report_plan_context, saved, to_job
from ocenurzad.workflows.visible_changes import (
    survey_publish,
    visible_change_enqueue,
    visible_change_in_background,
    visible_changes,
)

from .. import editor_forms as ef
from .. import services
from ..definition import localized
from ..models import SurveyVersion
from ..presentation import form_sections
from ..selectors import survey_version_current, survey_version_get_any, survey_versions
from . import pages
from .languages import gaps_for_page

RECENT_ARCHIVED = 5


@require_GET
@panel_view(Perm.SURVEY)
def survey(request):
    return _survey_page(request)


def _survey_page(request, *, status=200, notice=""):
    office = request.office
    versions = list(survey_versions(office=office))
    changes = visible_changes(office=office).filter(kind=VisibleChange.Kind.SURVEY_PUBLISH)
    return render(
        request,
        "surveys/panel/survey.html",
        {
            "current": survey_version_current(office=office),
            "draft": next((v for v in versions if not v.is_published), None),
            "versions": versions,
            "archived": [
                {
                    "report": change.report,
                    "href": archived_pdf_url(change.report),
                    "change": change,
                }
                for change in changes[:RECENT_ARCHIVED]
            ],
            "notice": notice,
        },
        status=status,
    )


@require_GET
@panel_view(Perm.SURVEY)
def version_detail(request, pk):
    office = request.office
    version = survey_version_get_any(office=office, version_id=pk)
    return render(
        request,
        "surveys/panel/version.html",
        {
            "version": version,
            "is_current": version.pk == survey_version_current(office=office).pk,
            "title": localized(version.definition.get("title"), "pl"),
            "sections": pages.outline(version.definition, pages.languages_of(request)),
            "responses": next(
                (v.response_count for v in survey_versions(office=office) if v.pk == version.pk), 0
            ),
            "draft": pages.draft_now(request),
        },
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def draft_create(request):
    """A draft copied from the current version or, with ``base_version``, another one.
    GET: what a draft is, and the button (the overview has the same one)."""
    office = request.office
    if request.method == "GET":
        return render(
            request,
            "surveys/panel/create.html",
            {"current": survey_version_current(office=office), "draft": pages.draft_now(request)},
        )
    base = None
    if request.POST.get("base_version"):
        base = survey_version_get_any(office=office, version_id=request.POST["base_version"])
    existing = pages.draft_now(request)
    try:
        draft = services.survey_draft_get_or_create(
            office=office, actor=request.user, base_version=base
        )
    except services.DraftExists as exc:
        return _survey_page(request, status=409, notice=exc.message)
    except SurveyVersion.DoesNotExist as exc:  # a draft cannot be a base
        raise Http404 from exc
    if existing is not None:
        messages.info(request, _("Szkic zmian już istnieje — kontynuujesz pracę nad nim."))
    elif base is not None:
        messages.success(
            request,
            _("Utworzono szkic nowej wersji na podstawie wersji %(code)s.") % {"code": base.code},
        )
    else:
        messages.success(
            request,
            _(
                "Utworzono szkic nowej wersji. Mieszkańcy nie widzą zmian, dopóki go nie "
                "opublikujesz."
            ),
        )
    return pages.back(pages.EDITOR, anchor=f"szkic-{draft.pk}")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def draft_discard(request):
    office = request.office
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    form = ef.DraftForm(request.POST or None, revision=draft.revision)
    conflict = False
    if request.method == "POST":
        if not form.is_valid():
            return pages.bad_request(request)
        if form.cleaned_data["revision"] == draft.revision:
            try:
                services.survey_draft_discard(office=office, actor=request.user, draft=draft)
            except services.NotADraft:
                return pages.draft_gone(request)
            messages.success(
                request, _("Odrzucono szkic. Ankieta, którą widzą mieszkańcy, się nie zmieniła.")
            )
            return pages.back("panel:survey", anchor="szkic")
        # Changed since the page was read: show what would be thrown away now.
        conflict = True
        pages.refresh_revision(form, draft)
    return render(
        request,
        "surveys/panel/discard.html",
        {"draft": draft, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@never_cache
@require_GET
@panel_view(Perm.SURVEY)
def draft_preview(request):
    """The draft drawn by the residents' own templates, in ``?lang=``, with no form
    token and no way to submit it."""
    office = request.office
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request)
    language = request.LANGUAGE_CODE
    definition = draft.definition
    context = {
        "draft": draft,
        "title": localized(definition.get("title"), language),
        "intro": localized(definition.get("intro"), language),
        "sections": form_sections(
            definition=definition,
            language=language,
            departments=departments_active(office=office),
        ),
        "errors": [],
        "language_name": ef.language_label(language),
    }
    return render(request, "surveys/panel/preview.html", context)


@require_GET
@panel_view(Perm.SURVEY)
def draft_preview_pdf(request):
    """The printable form of the draft, in ``?lang=`` (a draft's layout is not stored)."""
    office = request.office
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request)
    language = request.LANGUAGE_CODE
    rendered = survey_pdf_render(office=office, version=draft, language=language)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    filename = f"szkic-ankiety-{office.slug}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SURVEY)
def draft_publish(request):
    office = request.office
    draft = pages.draft_now(request)
    if draft is None:
        return pages.no_draft(request) if request.method == "GET" else pages.draft_gone(request)
    form = ef.DraftForm(request.POST or None, revision=draft.revision)
    if request.method == "GET":
        return _publish_page(request, draft, form)
    if not form.is_valid():
        return pages.bad_request(request)
    if form.cleaned_data["revision"] != draft.revision:
        # The draft changed after this page was read: publish only what was seen.
        pages.refresh_revision(form, draft)
        return _publish_page(request, draft, form, status=409, conflict=True)
    # § 5: published with the report of the results so far; a long report is drawn by a
    # background job, which then publishes (the revision seen here, or nothing).
    if visible_change_in_background(office=office):
        job = visible_change_enqueue(
            office=office,
            actor=request.user,
            operation="survey_publish",
            params={"draft": draft.pk, "revision": draft.revision},
        )
        return to_job(job)
    try:
        outcome = survey_publish(
            office=office, actor=request.user, draft=draft, revision=draft.revision
        )
    except services.DraftConflict:
        pages.refresh_revision(form, draft)
        return _publish_page(request, draft, form, status=409, conflict=True)
    except services.DefinitionInvalid as exc:
        errors = pages.place_errors(exc, draft.definition)
        return _publish_page(request, draft, form, status=400, errors=errors)
    except services.PublishFailed as exc:
        return _publish_page(request, draft, form, status=409, failure=exc.message)
    except services.NotADraft:
        return pages.draft_gone(request)
    version = outcome.result
    text = _(
        "Opublikowano wersję %(code)s — od teraz mieszkańcy wypełniają ją w internecie, "
        "a do druku jest jej formularz."
    ) % {"code": version.code}
    saved(request, text, outcome)
    return pages.back("panel:survey", anchor="obecna")


def _publish_page(request, draft, form, *, status=200, conflict=False, errors=(), failure=""):
    office = request.office
    versions = list(survey_versions(office=office))
    number = max((v.number for v in versions if v.is_published), default=0) + 1
    return render(
        request,
        "surveys/panel/publish.html",
        {
            "draft": draft,
            "current": survey_version_current(office=office),
            "number": number,
            "code": SurveyVersion(office=office, number=number).code,
            "responses": sum(v.response_count for v in versions),
            "form": form,
            "missing": pages.missing_by_language(request, draft.definition),
            "not_offered": [
                lang
                for lang in gaps_for_page(request, draft.definition, link_draft=True)
                if not lang["offered"]
            ],
            "conflict": conflict,
            "errors": list(errors),
            "failure": failure,
            **report_plan_context(request),
        },
        status=status,
    )
