"""Panel pages of the actions register (office administrators and reporters).

Thin: each view reads a form, calls one service or selector, renders or redirects.
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.audit.views import entry_rows
from ocenurzad.panel.access import panel_view

from .change import action_change_after
from .exports import actions_csv, actions_xlsx
from .forms import ActionForm, FilterForm, ReminderSettingsForm, StatusForm
from .models import ReminderOptOut
from .reminders import reminder_settings, yearly_recipients
from .selectors import (
    ActionFilters,
    action_department_choices,
    action_get,
    action_history,
    action_missing_targets,
    action_owner_choices,
    action_target_choices,
    action_years,
    actions_list,
    hot_spot_prefill,
)
from .services import (
    action_create,
    action_set_status,
    action_update,
    reminder_opt_out_set,
    reminder_settings_save,
)


def _history(request, action) -> list[dict]:
    entries = action_history(office=request.office, action=action)
    return entry_rows(office=request.office, entries=entries, language=request.LANGUAGE_CODE)


def _filters(request, office) -> tuple[FilterForm, ActionFilters]:
    form = FilterForm(
        request.GET or None,
        years=action_years(office=office),
        departments=action_department_choices(office=office),
    )
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, ActionFilters(
            status=d["stan"] or "",
            kind=d["rodzaj"] or "",
            year=d["rok"],
            department_id=d["wydzial"],
            overdue=d["po_terminie"],
        )
    return form, ActionFilters()


@require_GET
@panel_view(Perm.ACTIONS)
def action_list(request):
    office = request.office
    form, filters = _filters(request, office)
    return render(
        request,
        "actions/list.html",
        {
            "filter_form": form,
            "actions": actions_list(office=office, filters=filters),
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@panel_view(Perm.ACTIONS)
def action_export(request, fmt):
    office = request.office
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _filters(request, office)
    actions = actions_list(office=office, filters=filters)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(actions_csv(actions), content_type="text/csv")
    else:
        response = HttpResponse(
            actions_xlsx(actions),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="dzialania-{office.slug}-{stamp}.{fmt}"'
    )
    return response


def _form(request, office, *, data=None, files=None, initial=None, action=None):
    return ActionForm(
        data,
        files,
        initial=initial,
        targets=action_target_choices(office=office),
        departments=action_department_choices(office=office),
        owners=action_owner_choices(office=office),
        has_attachment=bool(action and action.attachment),
    )


def _initial_from_query(request, office) -> dict:
    """Prefill from a link of the report's hot spot: ?obszar=<hot spot id> (what it
    addresses and the department come from the identifier), optionally &cel=item:<key>
    &wydzial=<id>&ustalenie=<text>&tytul=<text>. Unknown values are simply not
    preselected."""
    get = request.GET
    spot = hot_spot_prefill(office=office, hotspot_id=get.get("obszar", ""))
    initial = {
        "kind": "corrective",
        "deadline": None,
        "targets": get.getlist("cel") or spot["targets"],
        "hotspot_id": spot["hotspot_id"],
        "finding": get.get("ustalenie", "")[:4000] or spot["finding"],
        "title": get.get("tytul", "")[:200],
    }
    department = get.get("wydzial", "") or spot["department"]
    if department.isdigit():
        initial["department"] = department
    return initial


@require_http_methods(["GET", "POST"])
@panel_view(Perm.ACTIONS)
def action_create_view(request):
    office = request.office
    if request.method == "POST":
        form = _form(request, office, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                action = action_create(
                    office=office,
                    actor=request.user,
                    data=form.action_data(),
                    attachment=form.checked_attachment,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Zapisano działanie %(code)s.") % {"code": action.code})
                return redirect("panel:action", action_id=action.pk)
    else:
        form = _form(request, office, initial=_initial_from_query(request, office))
    return render(
        request,
        "actions/form.html",
        {"form": form, "action": None},
        status=400 if form.is_bound else 200,
    )


@require_GET
@panel_view(Perm.ACTIONS)
def action_detail(request, action_id):
    office = request.office
    action = action_get(office=office, action_id=action_id)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "history": _history(request, action),
            "missing_targets": action_missing_targets(office=office, action=action),
            "change": action_change_after(action=action),
            "status_form": StatusForm(initial={"status": action.status}),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.ACTIONS)
def action_edit(request, action_id):
    office = request.office
    action = action_get(office=office, action_id=action_id)
    missing = action_missing_targets(office=office, action=action)
    if request.method == "POST":
        form = _form(request, office, data=request.POST, files=request.FILES, action=action)
        if form.is_valid():
            try:
                action_update(
                    office=office,
                    actor=request.user,
                    action=action,
                    data=form.action_data(kept_targets=missing),
                    attachment=form.checked_attachment,
                    remove_attachment=form.cleaned_data.get("remove_attachment", False),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Zapisano zmiany działania %(code)s.") % {"code": action.code}
                )
                return redirect("panel:action", action_id=action.pk)
    else:
        form = _form(
            request,
            office,
            action=action,
            initial={
                "title": action.title,
                "kind": action.kind,
                "targets": [f"{t['type']}:{t['key']}" for t in action.targets],
                "department": str(action.department_id or ""),
                "finding": action.finding,
                "hotspot_id": action.hotspot_id,
                "owner": str(action.owner_id or ""),
                "owner_name": action.owner_name,
                "deadline": action.deadline,
                "notes": action.notes,
                "may_publish": action.may_publish,
            },
        )
    return render(
        request,
        "actions/form.html",
        {"form": form, "action": action, "missing_targets": missing},
        status=400 if form.is_bound else 200,
    )


@require_POST
@panel_view(Perm.ACTIONS)
def action_status_view(request, action_id):
    office = request.office
    action = action_get(office=office, action_id=action_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            action_set_status(
                office=office,
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Zmieniono stan działania %(code)s.") % {"code": action.code}
            )
            return redirect("panel:action", action_id=action.pk)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "history": _history(request, action),
            "missing_targets": action_missing_targets(office=office, action=action),
            "change": action_change_after(action=action),
            "status_form": form,
            "today": timezone.localdate(),
        },
        status=400,
    )


@require_GET
@panel_view(Perm.ACTIONS)
def action_attachment(request, action_id):
    action = action_get(office=request.office, action_id=action_id)
    if not action.attachment:
        raise Http404
    content_type = mimetypes.guess_type(action.attachment.name)[0] or "application/octet-stream"
    return FileResponse(
        action.attachment.open("rb"),
        as_attachment=True,
        filename=action.attachment_name or "zalacznik",
        content_type=content_type,
    )


def _reminders_page(request, *, form=None, status=200):
    office = request.office
    config = reminder_settings(office=office)
    may_edit = can(request.user, office, Perm.OFFICE_DATA)
    if form is None and may_edit:
        form = ReminderSettingsForm(
            initial={name: getattr(config, name) for name in ReminderSettingsForm.base_fields}
        )
    return render(
        request,
        "actions/reminders.html",
        {
            "config": config,
            "form": form if may_edit else None,
            "recipients": yearly_recipients(office=office, config=config),
            "opted_out": ReminderOptOut.objects.filter(user=request.user).exists(),
            "has_email": bool(request.user.email),
        },
        status=status,
    )


@require_GET
@panel_view(Perm.ACTIONS)
def reminders_view(request):
    return _reminders_page(request)


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICE_DATA)
def reminders_settings_view(request):
    if request.method == "GET":  # the address of the form: the page itself
        return _reminders_page(request)
    form = ReminderSettingsForm(request.POST)
    if not form.is_valid():
        return _reminders_page(request, form=form, status=400)
    reminder_settings_save(office=request.office, actor=request.user, data=form.cleaned_data)
    messages.success(request, _("Zapisano ustawienia przypomnień."))
    return redirect("panel:reminders")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.ACTIONS)
def reminders_mine_view(request):
    if request.method == "GET":
        return _reminders_page(request)
    opted_out = request.POST.get("wylacz") == "1"
    reminder_opt_out_set(
        office=request.office, actor=request.user, user=request.user, opted_out=opted_out
    )
    messages.success(
        request,
        _("Nie będziesz dostawać przypomnień.") if opted_out else _("Przypomnienia włączone."),
    )
    return redirect("panel:reminders")
