"""The panel's "Pobierz ankietę do wydrukowania (PDF)": a page, the form, numbered sheets."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.views import error_page
from ocenurzad.panel.access import panel_view
from ocenurzad.surveys.selectors import survey_version_current

from .forms import BatchForm, LanguageForm
from .pdf import survey_pdf_render
from .permissions import can_print_numbered
from .services import print_batch_record


@require_GET
@panel_view(Perm.PRINT_FORM)
def print_page(request):
    return _page(request)


@require_GET
@panel_view(Perm.PRINT_FORM)
def print_pdf(request):
    office = request.office
    form = LanguageForm(request.GET, office=office, auto_id="pdf_%s")
    if not form.is_valid():
        return _page(request, language_form=form, status=400)
    version = survey_version_current(office=office)
    language = form.cleaned_data["jezyk"]
    rendered = survey_pdf_render(
        office=office, version=version, language=language, survey_url=_survey_url(request)
    )
    return _pdf_response(rendered.pdf, f"ankieta-{office.slug}-v{version.number}-{language}.pdf")


@require_GET
@panel_view(Perm.PRINT_FORM)
def print_batch(request):
    office = request.office
    if not can_print_numbered(request.user, office):
        return _forbidden(request)
    version = survey_version_current(office=office)
    form = BatchForm(request.GET, office=office, version=version, auto_id="batch_%s")
    if not form.is_valid():
        return _page(request, batch_form=form, status=400)
    language, numbers = form.cleaned_data["jezyk"], form.sheet_numbers
    rendered = survey_pdf_render(
        office=office,
        version=version,
        language=language,
        sheet_numbers=numbers,
        survey_url=_survey_url(request),
    )
    print_batch_record(
        office=office,
        version=version,
        language=language,
        numbers=numbers,
        fingerprint=rendered.layout.get("fingerprint", ""),
        actor=request.user,
    )
    return _pdf_response(
        rendered.pdf,
        f"arkusze-{office.slug}-v{version.number}-{language}-{numbers[0]}-{numbers[-1]}.pdf",
    )


def _survey_url(request) -> str:
    """The online survey, for the form's labelled QR code; tagged as coming from paper."""
    return request.build_absolute_uri(reverse("survey") + "?zrodlo=arkusz")


def _page(request, *, language_form=None, batch_form=None, status=200):
    office = request.office
    numbered = can_print_numbered(request.user, office)
    if numbered and batch_form is None:
        batch_form = BatchForm(office=office, auto_id="batch_%s")
    return render(
        request,
        "printing/print.html",
        {
            "version": survey_version_current(office=office),
            "language_form": language_form or LanguageForm(office=office, auto_id="pdf_%s"),
            "batch_form": batch_form if numbered else None,
        },
        status=status,
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _forbidden(request):
    return error_page(
        request,
        403,
        _("Brak uprawnień"),
        _("Ponumerowane arkusze drukuje administrator urzędu."),
        link=(reverse("panel:print"), _("Wróć do pobierania ankiety")),
    )
