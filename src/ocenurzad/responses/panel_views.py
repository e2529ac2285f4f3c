"""Paper entry in the panel: a clerk types in paper sheets, then checks and corrects the
last ones. Thin: each view reads the request, calls paper.py, and renders or redirects."""

from urllib.parse import urlencode

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
from ocenurzad.printing.selectors import print_batch_for_number, print_batches_of_office
from ocenurzad.surveys.definition import field_name, iter_questions

from .paper import (
    AUTO_FIELD,
    DATE_FIELD,
    EARLIEST_DATE,
    SHEET_FIELD,
    URN_FIELD,
    VERSION_FIELD,
    PaperChangeRefused,
    SheetNumberTaken,
    date_text,
    paper_change_refusal,
    paper_correction_window,
    paper_entered_today,
    paper_form,
    paper_last_entered,
    paper_may_change_others,
    paper_next_sheet_number,
    paper_recent,
    paper_response_get,
    paper_row,
    paper_scale,
    paper_sheet_by_number,
    paper_sheet_read,
    paper_typed_from_response,
    paper_version_pick,
    paper_versions,
    response_correct_paper,
    response_delete_paper,
    response_enter_paper,
    response_undo_last_paper,
    sheet_date_read,
    sheet_date_warnings,
)

# After a save the next form opens at its top with the cursor in "Numer arkusza": the
# redirect names a fragment of its own (no element has this id), else the browser keeps
# the fragment of the last request (e.g. #q_… from an error link) and scrolls there —
# and a page opened at a fragment skips autofocus.
NEXT_SHEET_FRAGMENT = "#nastepny-arkusz"


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _saved_message(sheet_number) -> str:
    if sheet_number is None:
        return _("Zapisano ankietę (bez numeru arkusza).")
    return _("Zapisano ankietę — arkusz nr %(number)d.") % {"number": sheet_number}


def _window_hours() -> int:
    return int(paper_correction_window().total_seconds() // 3600)


def _stack(request, source, departments) -> dict:
    """What is set once per stack of sheets and kept from one sheet to the next: the date
    on the sheets or the period they were collected in, the department of the urn they
    came from, and whether a valid digit moves on by itself. Carried in the form and the
    address, nothing stored. A period is explained on screen: the day reports count its
    sheets on, and a warning when it crosses a month."""
    urn = source.get(URN_FIELD, "")
    urn_department = next((d for d in departments if str(d.pk) == urn), None)
    typed = source.get(DATE_FIELD) or date_text(timezone.localdate())
    sheet_date, _error = sheet_date_read(typed, today=timezone.localdate())
    period = sheet_date if sheet_date is not None and sheet_date.is_period else None
    return {
        "date": typed,
        "period": period,
        "period_warnings": sheet_date_warnings(period) if period else [],
        "urn": urn_department,
        "urn_number": departments.index(urn_department) + 1 if urn_department else None,
        "auto": source.get(AUTO_FIELD, "1") != "0",
    }


def _stack_query(stack: dict, typed_date: str, *, version=None) -> str:
    params = {DATE_FIELD: typed_date}
    if stack["urn"] is not None:
        params[URN_FIELD] = stack["urn"].pk
    if not stack["auto"]:
        params[AUTO_FIELD] = "0"
    if version is not None:
        params = {VERSION_FIELD: version.pk, **params}
    return urlencode(params)


def _form_page(
    request,
    *,
    version,
    departments,
    typed,
    errors=(),
    versions=(),
    response=None,
    status=200,
    stack=None,
    printed_as=None,
    last=False,
):
    """The entry form (``response`` None) or the correction form of ``response``;
    ``last``: the clerk's last sheet when the caller has read it already."""
    errors = list(errors)
    by_key = {e.key: e.message for e in errors}
    today = timezone.localdate()
    office = request.office
    if last is False:
        last = None if response else paper_last_entered(office=office, user=request.user)
    context = {
        "title": _("Popraw ankietę papierową") if response else _("Wprowadź ankietę (papierową)"),
        "version": version,
        "version_choices": versions if len(versions) > 1 else [],
        "sections": paper_form(
            version=version, departments=departments, typed=typed, errors=errors
        ),
        "scale": paper_scale(version),
        "typed": {"sheet": typed.get(SHEET_FIELD, ""), "date": typed.get(DATE_FIELD, "")},
        "stack": stack,
        "departments": departments,
        "last": last,
        "entered_today": None
        if response
        else paper_entered_today(office=office, user=request.user),
        "printed_as": printed_as,
        # A typed sheet number opens the form of the version its batch was printed as.
        "batches": None
        if response
        else [
            b
            for b in print_batches_of_office(office=office)
            if any(v.pk == b["version"] for v in versions)
        ],
        "printed_as_query": _stack_query(stack, typed.get(DATE_FIELD, ""), version=printed_as)
        + f"&{SHEET_FIELD}={typed.get(SHEET_FIELD, '')}"
        if printed_as and stack
        else "",
        "sheet_error": by_key.get(SHEET_FIELD),
        "date_error": by_key.get(DATE_FIELD),
        "errors": errors,
        "today": today.isoformat(),
        "earliest": EARLIEST_DATE.isoformat(),
        "editing": response,
        "window_hours": _window_hours(),
        "recent": None if response else paper_recent(office=office, user=request.user),
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
    departments = departments_active(office=office)
    stack = _stack(request, source, departments)
    if request.method == "GET":
        return _blank_entry(request, versions=versions, departments=departments, stack=stack)
    version = paper_version_pick(versions=versions, version_id=source.get(VERSION_FIELD))
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
                sheet_date=sheet.sheet_date,
                sheet_number=sheet.sheet_number,
            )
        except SheetNumberTaken as exc:
            sheet.add_sheet_number_error(exc.message)
        else:
            messages.success(request, _saved_message(sheet.sheet_number))
            if request.POST.get("dalej", "1") == "0":
                return _see_other(reverse("panel:paper-recent"))
            # The next sheet's version follows its printed batch; a version picked by
            # hand (sheets without a batch) is kept.
            batch = print_batch_for_number(office=office, number=sheet.sheet_number)
            keep = None if version.is_current or batch is not None else version
            query = _stack_query(stack, sheet.sheet_date.text(), version=keep)
            return _see_other(f"{reverse('panel:paper-entry')}?{query}{NEXT_SHEET_FRAGMENT}")
    return _form_page(
        request,
        version=version,
        departments=departments,
        typed=sheet.typed,
        errors=sheet.errors,
        versions=versions,
        status=400,
        stack=stack,
        printed_as=sheet.printed_as,
    )


def _blank_entry(request, *, versions, departments, stack):
    """The form of the next sheet: its number suggested (the one after the clerk's last
    sheet), in the version that number was printed as, the stack's date and urn kept."""
    office = request.office
    number = request.GET.get(SHEET_FIELD, "").strip()
    last = paper_last_entered(office=office, user=request.user)
    if not number:
        number = str(paper_next_sheet_number(office=office, last=last) or "")
    version_id = request.GET.get(VERSION_FIELD)
    if not version_id and number.isdigit():
        batch = print_batch_for_number(office=office, number=int(number))
        if batch is not None and any(v.pk == batch.version_id for v in versions):
            version_id = batch.version_id
    version = paper_version_pick(versions=versions, version_id=version_id)
    typed = {DATE_FIELD: stack["date"], SHEET_FIELD: number}
    if stack["urn_number"]:
        for _section, question in iter_questions(version.definition):
            if question["kind"] == "department":
                typed[field_name(question)] = str(stack["urn_number"])
    return _form_page(
        request,
        version=version,
        departments=departments,
        typed=typed,
        versions=versions,
        stack=stack,
        last=last,
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.PAPER_ENTRY)
def paper_undo(request):
    """ "Cofnij ostatni arkusz": the clerk's last sheet is deleted (audited) and the form
    opens again for it, the stack kept. GET asks first (the button on the entry page
    posts straight away)."""
    office = request.office
    if request.method == "GET":
        last = paper_last_entered(office=office, user=request.user)
        return render(
            request,
            "responses/panel/undo.html",
            {"row": paper_row(last, user=request.user) if last else None},
        )
    departments = departments_active(office=office)
    stack = _stack(request, request.POST, departments)
    try:
        undone = response_undo_last_paper(office=office, actor=request.user)
    except PaperChangeRefused as exc:
        return _refused(request, str(exc))
    if undone.sheet_number is None:
        messages.success(request, _("Cofnięto ostatni arkusz (bez numeru) — wprowadź go ponownie."))
    else:
        messages.success(
            request,
            _("Cofnięto arkusz nr %(number)d — wprowadź go ponownie.")
            % {"number": undone.sheet_number},
        )
    query = _stack_query(stack, request.POST.get(DATE_FIELD, stack["date"]))
    if undone.sheet_number is not None:
        query += f"&{SHEET_FIELD}={undone.sheet_number}"
    current = next((v for v in paper_versions(office=office) if v.is_current), None)
    batch = print_batch_for_number(office=office, number=undone.sheet_number)
    if (current is None or current.pk != undone.version_id) and batch is None:
        query = f"{VERSION_FIELD}={undone.version_id}&{query}"
    return _see_other(f"{reverse('panel:paper-entry')}?{query}{NEXT_SHEET_FRAGMENT}")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.PAPER_ENTRY)
def paper_edit(request, pk):
    office = request.office
    response = paper_response_get(office=office, response_id=pk)
    refusal = paper_change_refusal(user=request.user, response=response, correcting=True)
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
            typed=paper_typed_from_response(response, departments=departments),
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
                sheet_date=sheet.sheet_date,
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
    number = request.GET.get("nr", "").strip()
    not_found = None
    if number and paper_may_change_others(request.user):
        found = paper_sheet_by_number(office=request.office, number=number)
        if found is not None:
            return _see_other(reverse("panel:paper-edit", args=[found.pk]))
        not_found = _("Nie ma ankiety papierowej z numerem arkusza „%(number)s”.") % {
            "number": number[:12]
        }
    return render(
        request,
        "responses/panel/recent.html",
        {
            "recent": paper_recent(office=request.office, user=request.user),
            "window_hours": _window_hours(),
            "show_author": paper_may_change_others(request.user),
            "find_number": number,
            "find_error": not_found,
        },
        status=404 if not_found else 200,
    )
