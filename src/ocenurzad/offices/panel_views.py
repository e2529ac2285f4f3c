"""Panel pages for the office's data and departments, and the operator's list of offices.

Thin: each view reads a form, calls one service, and renders or redirects. Refusals from
a service come back as ValidationErrors keyed by input name and are shown on the form.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http.request import validate_host
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.templatetags.languages import pl_format
from ocenurzad.panel.access import panel_view
from ocenurzad.workflows import visible_changes as section5
from ocenurzad.workflows.onboarding import office_create
from ocenurzad.workflows.panel_views import report_plan_context, saved, to_job

from .forms import DepartmentNameForm, OfficeCreateForm, OfficeDataForm, OfficeDomainForm
from .selectors import (
    department_get,
    departments_for_panel,
    office_domains,
    office_get_for_operator,
    offices_for_operator,
)
from .services import (
    office_domain_add,
    office_domain_remove,
    office_set_active,
)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICE_DATA)
def office_data(request):
    office = request.office
    languages_before = list(office.languages or [])
    if request.method == "POST":
        form = OfficeDataForm(request.POST, request.FILES, office=office)
        if form.is_valid():
            change = {
                "data": form.office_data(),
                "logo": form.cleaned_data["logo"],
                "remove_logo": form.cleaned_data.get("remove_logo", False),
            }
            # § 5: data residents see changes with the report of the results so far;
            # a long report is drawn by a background job, which then saves the change.
            if section5.office_data_is_visible(
                office=office, **change
            ) and section5.visible_change_in_background(office=office):
                job = section5.visible_change_enqueue(
                    office=office,
                    actor=request.user,
                    operation="office_data",
                    params={**change, "logo": section5.logo_params(change["logo"])},
                )
                return to_job(job)
            try:
                outcome = section5.office_data_save(office=office, actor=request.user, **change)
            except ValidationError as exc:
                form.add_error(None, exc)
            except section5.ReportNotDrawn as exc:
                form.add_error(None, exc.message)
            else:
                saved(request, _("Zapisano dane urzędu."), outcome)
                added = set(form.cleaned_data["languages"]) - set(languages_before)
                if added:
                    # What the new language still lacks before residents are offered it.
                    messages.warning(
                        request,
                        _(
                            "Włączony język jest oferowany mieszkańcom dopiero wtedy, gdy "
                            "ankieta, nazwy wydziałów i interfejs są w nim kompletne. Poniżej "
                            "to, czego jeszcze brakuje."
                        ),
                    )
                    return redirect("panel:survey-languages")
                return redirect("panel:office")
    else:
        form = OfficeDataForm(office=office)
    return render(
        request,
        "offices/panel/office_form.html",
        {"form": form, **report_plan_context(request)},
        status=_status(form),
    )


# Departments: every operation is a change residents see (§ 5, workflows.visible_changes)


def _departments_page(request, *, add_form=None, failed=None, status=200, error=""):
    """The list; ``failed`` = (department id, form) of a rename that was refused."""
    return render(
        request,
        "offices/panel/departments.html",
        {
            "departments": departments_for_panel(office=request.office),
            "add_form": add_form or DepartmentNameForm(prefix="new"),
            "failed_id": failed[0] if failed else None,
            "failed_form": failed[1] if failed else None,
            "error": error,
            **report_plan_context(request),
        },
        status=status,
    )


def _back_to_list(department_id=None):
    url = reverse("panel:departments")
    return redirect(f"{url}#wydzial-{department_id}" if department_id else url)


def _departments_change(request, operations: list[dict]):
    """Run department operations as one § 5 change: here, or as a background job when a
    new, long report is needed (then the job's page is the answer: a redirect)."""
    if section5.visible_change_in_background(office=request.office):
        job = section5.visible_change_enqueue(
            office=request.office,
            actor=request.user,
            operation="departments",
            params={"operations": operations},
        )
        return None, to_job(job)
    outcome = section5.departments_change(
        office=request.office, actor=request.user, operations=operations
    )
    return outcome, None


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICE_DATA)
def departments(request):
    if request.method == "GET":
        return _departments_page(request)
    form = DepartmentNameForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            outcome, job_page = _departments_change(
                request, [{"op": "add", "name": form.cleaned_data["name"]}]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except section5.ReportNotDrawn as exc:
            form.add_error(None, exc.message)
        else:
            if job_page:
                return job_page
            department = outcome.result[0]
            saved(
                request, pl_format(_("Dodano wydział „%(name)s”."), name=department.name), outcome
            )
            return _back_to_list(department.pk)
    return _departments_page(request, add_form=form, status=400)


@require_POST
@panel_view(Perm.OFFICE_DATA)
def department_rename_view(request, department_id):
    department = department_get(office=request.office, department_id=department_id)
    form = DepartmentNameForm(request.POST, prefix=f"d{department.pk}")
    if form.is_valid():
        try:
            outcome, job_page = _departments_change(
                request, [{"op": "rename", "id": department.pk, "name": form.cleaned_data["name"]}]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except section5.ReportNotDrawn as exc:
            form.add_error(None, exc.message)
        else:
            if job_page:
                return job_page
            saved(request, _("Zapisano nazwę wydziału."), outcome)
            return _back_to_list(department.pk)
    return _departments_page(request, failed=(department.pk, form), status=400)


@require_POST
@panel_view(Perm.OFFICE_DATA)
def department_move_view(request, department_id):
    department = department_get(office=request.office, department_id=department_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return _back_to_list(department.pk)
    try:
        outcome, job_page = _departments_change(
            request, [{"op": "move", "id": department.pk, "direction": direction}]
        )
    except section5.ReportNotDrawn as exc:
        return _departments_page(request, status=409, error=exc.message)
    if job_page:
        return job_page
    if outcome.result[0]:
        text = (
            _("Przesunięto „%(name)s” wyżej.")
            if direction == "up"
            else _("Przesunięto „%(name)s” niżej.")
        )
        saved(request, pl_format(text, name=department.name), outcome)
    return _back_to_list(department.pk)


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICE_DATA)
def departments_reorder_view(request):
    """The whole order at once (a place number for each department): one change with one
    report, however many departments moved. GET shows the list with its form."""
    if request.method == "GET":
        return _departments_page(request)
    current = departments_for_panel(office=request.office)
    places = []
    for index, department in enumerate(current):
        raw = request.POST.get(f"place-{department.pk}", "")
        try:
            place = int(raw)
        except ValueError:
            place = index + 1
        places.append((place, index, department.pk))
    order = [pk for _place, _index, pk in sorted(places)]
    try:
        outcome, job_page = _departments_change(request, [{"op": "reorder", "order": order}])
    except ValidationError as exc:
        return _departments_page(request, status=400, error=" ".join(exc.messages))
    except section5.ReportNotDrawn as exc:
        return _departments_page(request, status=409, error=exc.message)
    if job_page:
        return job_page
    if outcome.result[0]:
        saved(request, _("Zapisano nową kolejność wydziałów."), outcome)
    return _back_to_list()


@require_POST
@panel_view(Perm.OFFICE_DATA)
def department_active_view(request, department_id):
    department = department_get(office=request.office, department_id=department_id)
    is_active = request.POST.get("active") == "1"
    try:
        outcome, job_page = _departments_change(
            request, [{"op": "active", "id": department.pk, "active": is_active}]
        )
    except section5.ReportNotDrawn as exc:
        return _departments_page(request, status=409, error=exc.message)
    if job_page:
        return job_page
    text = (
        _("Wydział „%(name)s” znów jest w ankiecie.")
        if is_active
        else _(
            "Wydział „%(name)s” nie jest już pokazywany w ankiecie. Jego ankiety "
            "pozostają w raportach."
        )
    )
    saved(request, pl_format(text, name=department.name), outcome)
    return _back_to_list(department.pk)


# The platform operator


@require_http_methods(["GET"])
@panel_view(Perm.OFFICES)
def offices(request):
    return render(request, "offices/panel/offices.html", {"offices": offices_for_operator()})


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICES)
def office_create_view(request):
    form = OfficeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            office, _admin = office_create(
                actor=request.user,
                slug=data["slug"],
                name=data["name"],
                office_type=data["office_type"],
                departments=form.department_names(),
                admin_username=data["admin_username"],
                admin_first_name=data["admin_first_name"],
                admin_last_name=data["admin_last_name"],
                admin_email=data["admin_email"],
                admin_password=data["admin_password"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Utworzono urząd „%(name)s” z ankietą i administratorem.")
                % {"name": office.name},
            )
            return redirect("panel:offices")
    return render(request, "offices/panel/office_create.html", {"form": form}, status=_status(form))


@require_POST
@panel_view(Perm.OFFICES)
def office_active_view(request, office_id):
    target = office_get_for_operator(office_id=office_id)
    is_active = request.POST.get("active") == "1"
    if not is_active and target.pk == request.office.pk:
        messages.error(
            request,
            _(
                "Nie można wyłączyć urzędu, w którego panelu teraz pracujesz. Otwórz listę "
                "urzędów w panelu innego urzędu."
            ),
        )
        return redirect("panel:offices")
    office_set_active(actor=request.user, office=target, is_active=is_active)
    text = _("Włączono urząd „%(name)s”.") if is_active else _("Wyłączono urząd „%(name)s”.")
    messages.success(request, pl_format(text, name=target.name))
    return redirect("panel:offices")


@require_http_methods(["GET", "POST"])
@panel_view(Perm.OFFICES)
def office_domains_view(request, office_id):
    """The office's own domains: listed with whether this installation answers to them
    yet (ALLOWED_HOSTS), added here."""
    target = office_get_for_operator(office_id=office_id)
    form = OfficeDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = office_domain_add(
                actor=request.user, office=target, domain=form.cleaned_data["domain"]
            )
        except ValidationError as exc:
            form.add_error("domain", exc)
        else:
            messages.success(
                request,
                _("Dodano domenę %(domain)s urzędu „%(name)s”.")
                % {"domain": added.domain, "name": target.name},
            )
            return redirect("panel:office-domains", office_id=target.pk)
    return render(
        request,
        "offices/panel/office_domains.html",
        {
            "target": target,
            "domains": [
                {"domain": d, "display": _domain_display(d.domain), "served": _served(d.domain)}
                for d in office_domains(office=target)
            ],
            "form": form,
        },
        status=_status(form),
    )


@require_POST
@panel_view(Perm.OFFICES)
def office_domain_remove_view(request, office_id, domain_id):
    target = office_get_for_operator(office_id=office_id)
    removed = office_domain_remove(actor=request.user, office=target, domain_id=domain_id)
    messages.success(
        request,
        _("Usunięto domenę %(domain)s urzędu „%(name)s”.")
        % {"domain": removed, "name": target.name},
    )
    return redirect("panel:office-domains", office_id=target.pk)


def _served(domain: str) -> bool:
    """Whether this installation answers requests for ``domain`` (ALLOWED_HOSTS)."""
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return validate_host(domain, allowed)


def _domain_display(domain: str) -> str:
    """``xn--…`` labels as people write them."""
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain
