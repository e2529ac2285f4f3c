"""Paper entry in the panel: a clerk types in paper sheets, then checks and corrects the
last ones. Thin: each view reads the request, calls paper.py, and renders or redirects."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.views import error_page
from ocenurzad.offices.selectors import departments_active
from ocenurzad.panel.access import panel_view

from .paper import (
    DATE_FIELD,
    EARLIEST_DATE,
    SHEET_FIELD,
    VERSION_FIELD,
    PaperChangeRefused,
    SheetNumberTaken,
    paper_change_refusal,
    paper_correction_window,
    paper_form,
    paper_may_change_others,
    paper_recent,
    paper_response_get,
    paper_row,
    paper_scale,
    paper_sheet_read,
    paper_typed_from_response,
    paper_version_pick,
    paper_versions,
    response_correct_paper,
    response_delete_paper,
    response_enter_paper,
)


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _saved_message(sheet_number) -> str:
    if sheet_number is None:
        return _("Zapisano ankietę (bez numeru arkusza).")
    return _("Zapisano ankietę — arkusz nr %(number)d.") % {"number": sheet_number}


def _window_hours() -> int:
    return int(paper_correction_window().total_seconds() // 3600)


def _form_page(
    request, *, version, departments, typed, errors=(), versions=(), response=None, status=200
):
    """The entry form (``response`` None) or the correction form of ``response``."""
    errors = list(errors)
    by_key = {e.key: e.message for e in errors}
    today = timezone.localdate()
    context = {
        "title": _("Popraw ankietę papierową") if response else _("Wprowadź ankietę (papierową)"),
        "version": version,
        "version_choices": versions if len(versions) > 1 else [],
        "sections": paper_form(
            version=version, departments=departments, typed=typed, errors=errors
        ),
        "scale": paper_scale(version),
        "typed": {"sheet": typed.get(SHEET_FIELD, ""), "date": typed.get(DATE_FIELD, "")},
        "sheet_error": by_key.get(SHEET_FIELD),
        "date_error": by_key.get(DATE_FIELD),
        "errors": errors,
        "today": today.isoformat(),
        "earliest": EARLIEST_DATE.isoformat(),
        "editing": response,
        "window_hours": _window_hours(),
        "recent": None if response else paper_recent(office=request.office, user=request.user),
        "show_author": paper_may_change_others(request.user),
    }
    return render(request, "responses/panel/entry.html", context, status=status)


def _refused(request, message: str):
    return error_page(
        request,
        403,
        _("Nie można zmienić tej ankiety"),
        message,
        link=(reverse("panel:paper-entry"), _("Wróć do wprowadzania ankiet")),
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.PAPER_ENTRY)
def paper_entry(request):
    office = request.office
    versions = paper_versions(office=office)
    source = request.POST if request.method == "POST" else request.GET
    version = paper_version_pick(versions=versions, version_id=source.get(VERSION_FIELD))
    departments = departments_active(office=office)
    if request.method == "GET":
        typed = {DATE_FIELD: timezone.localdate().isoformat()}
        return _form_page(
            request, version=version, departments=departments, typed=typed, versions=versions
        )
    sheet = paper_sheet_read(
        office=office, version=version, data=request.POST, departments=departments
    )
    if sheet.is_valid:
        try:
            response_enter_paper(
                office=office,
                actor=request.user,
                version=version,
                parsed=sheet.parsed,
                filled_on=sheet.filled_on,
                sheet_number=sheet.sheet_number,
            )
        except SheetNumberTaken as exc:
            sheet.add_sheet_number_error(exc.message)
        else:
            messages.success(request, _saved_message(sheet.sheet_number))
            if request.POST.get("dalej", "1") == "0":
                return _see_other(reverse("panel:paper-recent"))
            url = reverse("panel:paper-entry")
            if not version.is_current:
                url += f"?{VERSION_FIELD}={version.pk}"
            return _see_other(url)
    return _form_page(
        request,
        version=version,
        departments=departments,
        typed=sheet.typed,
        errors=sheet.errors,
        versions=versions,
        status=400,
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.PAPER_ENTRY)
def paper_edit(request, pk):
    office = request.office
    response = paper_response_get(office=office, response_id=pk)
    refusal = paper_change_refusal(user=request.user, response=response)
    if refusal:
        return _refused(request, refusal)
    departments = departments_active(office=office)
    if response.department is not None and response.department not in departments:
        departments.append(response.department)  # switched off since; the sheet keeps it
    if request.method == "GET":
        return _form_page(
            request,
            version=response.version,
            departments=departments,
            typed=paper_typed_from_response(response),
            response=response,
        )
    sheet = paper_sheet_read(
        office=office,
        version=response.version,
        data=request.POST,
        departments=departments,
        exclude_pk=response.pk,
    )
    if sheet.is_valid:
        try:
            response_correct_paper(
                office=office,
                actor=request.user,
                response=response,
                parsed=sheet.parsed,
                filled_on=sheet.filled_on,
                sheet_number=sheet.sheet_number,
            )
        except SheetNumberTaken as exc:
            sheet.add_sheet_number_error(exc.message)
        except PaperChangeRefused as exc:
            return _refused(request, str(exc))
        else:
            messages.success(
                request, _("Poprawiono ankietę.") + " " + _saved_message(sheet.sheet_number)
            )
            return _see_other(reverse("panel:paper-recent"))
    return _form_page(
        request,
        version=response.version,
        departments=departments,
        typed=sheet.typed,
        errors=sheet.errors,
        response=response,
        status=400,
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.PAPER_ENTRY)
def paper_delete(request, pk):
    office = request.office
    response = paper_response_get(office=office, response_id=pk)
    refusal = paper_change_refusal(user=request.user, response=response)
    if refusal:
        return _refused(request, refusal)
    if request.method == "POST":
        try:
            response_delete_paper(office=office, actor=request.user, response=response)
        except PaperChangeRefused as exc:
            return _refused(request, str(exc))
        if response.sheet_number is None:
            messages.success(request, _("Usunięto ankietę (bez numeru arkusza)."))
        else:
            messages.success(
                request,
                _("Usunięto ankietę — arkusz nr %(number)d.") % {"number": response.sheet_number},
            )
        return _see_other(reverse("panel:paper-recent"))
    return render(
        request, "responses/panel/delete.html", {"row": paper_row(response, user=request.user)}
    )


@require_http_methods(["GET"])
@panel_view(Perm.PAPER_ENTRY)
def paper_recent_page(request):
    return render(
        request,
        "responses/panel/recent.html",
        {
            "recent": paper_recent(office=request.office, user=request.user),
            "window_hours": _window_hours(),
            "show_author": paper_may_change_others(request.user),
        },
    )
