"""The panel's "Wczytaj skany": upload, an upload's progress and protocol, the queues
"Do sprawdzenia" and "Do przepisania", and the images they show (own office only)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.views import error_page
from ocenurzad.jobs.services import job_execute
from ocenurzad.jobs.views import job_state
from ocenurzad.panel.access import panel_view

from . import storage
from .forms import AssignForm, UploadForm
from .models import ScanImport
from .selectors import (
    scan_comment_get,
    scan_comments_open,
    scan_import_get,
    scan_import_job,
    scan_import_protocol,
    scan_imports,
    scan_question_get,
    scan_questions_open,
    scan_queue_counts,
    sheet_label,
)
from .services import (
    ScanRefused,
    collection_dates_check,
    scan_comment_done,
    scan_file_add,
    scan_import_confirm,
    scan_import_create,
    scan_import_enqueue,
    scan_page_assign,
    scan_question_answer,
)

NO_ANSWER = "-"


class SuspiciousForm(Exception):
    pass


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SCANS)
def upload_page(request):
    office = request.office
    form = UploadForm(auto_id="scan_%s")
    status = 200
    if request.method == "POST":
        if _too_big(request):
            return _too_big_page(request)
        form = UploadForm(request.POST, request.FILES, auto_id="scan_%s")
        if form.is_valid():
            data = form.cleaned_data
            scan_import = scan_import_create(
                office=office,
                actor=request.user,
                filled_on=data["data"],
                period_start=data["od"],
                confirm_unnumbered=data["bez_numeru"],
            )
            for upload in data["pliki"]:
                scan_file_add(scan_import=scan_import, name=upload.name, chunks=upload.chunks())
            job = scan_import_enqueue(office=office, actor=request.user, scan_import=scan_import)
            for warning in collection_dates_check(filled_on=data["data"], period_start=data["od"]):
                messages.warning(request, warning)
            if settings.SCANS_INLINE:
                job_execute(job_id=job.pk)
            return redirect(reverse("panel:scans-import", args=[scan_import.pk]))
        status = 400
    return render(
        request,
        "scans/upload.html",
        {
            "form": form,
            "imports": scan_imports(office=office),
            "counts": scan_queue_counts(office=office),
            "max_mb": settings.SCANS_UPLOAD_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _too_big(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.SCANS_UPLOAD_MAX_BYTES


def _too_big_page(request):
    return error_page(
        request,
        413,
        _("Za duże pliki"),
        _("Naraz można wysłać najwyżej %(mb)d MB skanów. Podziel stos na kilka plików.")
        % {"mb": settings.SCANS_UPLOAD_MAX_BYTES // (1024 * 1024)},
        link=(reverse("panel:scans"), _("Wróć do wczytywania skanów")),
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SCANS)
def import_page(request, pk):
    office = request.office
    scan_import = scan_import_get(office=office, pk=pk)
    if request.method == "POST":
        if request.POST.get("potwierdzam") != "1":
            return _stale_form(request)
        stored = scan_import_confirm(office=office, actor=request.user, scan_import=scan_import)
        messages.success(
            request, _("Potwierdzono stos. Zapisano arkuszy bez numeru: %(n)d.") % {"n": stored}
        )
        return redirect(reverse("panel:scans-import", args=[scan_import.pk]))
    protocol = scan_import_protocol(scan_import=scan_import)
    job = scan_import_job(scan_import=scan_import)
    working = scan_import.state in (ScanImport.State.QUEUED, ScanImport.State.RUNNING)
    return render(
        request,
        "scans/import.html",
        {
            "protocol": protocol,
            "scan_import": scan_import,
            "job": job,
            "totals": protocol["totals"],
            "sheets": [(sheet, sheet_label(sheet)) for sheet in protocol["sheets"]],
            "working": working,
            "counts": scan_queue_counts(office=office),
        },
    )


@require_GET
@never_cache
@panel_view(Perm.SCANS)
def import_status(request, pk):
    """The upload's progress as JSON for the page's script (the shape of the job page's):
    everyone who may see the upload may follow it, not only whoever sent it."""
    scan_import = scan_import_get(office=request.office, pk=pk)
    job = scan_import_job(scan_import=scan_import)
    working = scan_import.state in (ScanImport.State.QUEUED, ScanImport.State.RUNNING)
    if job is not None:
        state = job_state(job)
        # The job ends a moment after the upload's state is stored: reload on either.
        state["finished"] = state["finished"] or not working
        return JsonResponse(state)
    return JsonResponse(
        {
            "state": scan_import.state,
            "state_label": str(scan_import.get_state_display()),
            "finished": not working,
            "done": scan_import.pages_done,
            "total": scan_import.pages_total or None,
            "percent": None,
            "note": "",
        }
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SCANS)
def check_page(request):
    office = request.office
    try:
        question = _current(request, scan_questions_open(office=office), scan_question_get)
    except SuspiciousForm:
        return _stale_form(request)
    if question is None:
        return render(request, "scans/check.html", {"question": None})
    assign = not question.key
    form = AssignForm(office=office, auto_id="assign_%s") if assign else None
    error, status = None, 200
    if request.method == "POST":
        try:
            if assign:
                form = AssignForm(request.POST, office=office, auto_id="assign_%s")
                if form.is_valid():
                    scan_page_assign(
                        office=office,
                        actor=request.user,
                        question=question,
                        version=form.cleaned_data["wersja"],
                        page_no=form.cleaned_data["strona"] - 1,
                        sheet_number=form.cleaned_data["numer"],
                    )
                    return redirect(reverse("panel:scans-check"))
            else:
                typed = request.POST.get("kod", "").strip().replace(",", " ")
                codes = [] if typed in ("", NO_ANSWER) else typed.split()
                scan_question_answer(
                    office=office, actor=request.user, question=question, codes=codes
                )
                return redirect(reverse("panel:scans-check"))
        except ScanRefused as exc:
            error = str(exc)
        status = 400
    return render(
        request,
        "scans/check.html",
        {
            "question": question,
            "form": form,
            "error": error,
            "label": sheet_label(question.sheet) if question.sheet else "",
            "left": scan_questions_open(office=office).count(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@panel_view(Perm.SCANS)
def comments_page(request):
    office = request.office
    try:
        comment = _current(request, scan_comments_open(office=office), scan_comment_get)
    except SuspiciousForm:
        return _stale_form(request)
    if comment is None:
        return render(request, "scans/comments.html", {"comment": None})
    error, status, text = None, 200, ""
    if request.method == "POST":
        text = request.POST.get("tekst", "")
        skip = "pomin" in request.POST
        try:
            scan_comment_done(
                office=office, actor=request.user, comment=comment, text=None if skip else text
            )
            return redirect(reverse("panel:scans-comments"))
        except ScanRefused as exc:
            error, status = str(exc), 400
    return render(
        request,
        "scans/comments.html",
        {
            "comment": comment,
            "error": error,
            "text": text,
            "label": sheet_label(comment.sheet),
            "left": scan_comments_open(office=office).count(),
        },
        status=status,
    )


def _current(request, open_items, getter):
    """The item named in ?id= (the form's own), else the first open one. A form sent
    without its item's id answers nothing (the first open item could be another one)."""
    if request.method == "POST" and not request.POST.get("id", "").isdigit():
        raise SuspiciousForm
    wanted = request.POST.get("id") or request.GET.get("id")
    if wanted and wanted.isdigit():
        item = getter(office=request.office, pk=int(wanted))
        if item in open_items:
            return item
    return open_items.first()


def _stale_form(request):
    return error_page(
        request,
        400,
        _("Formularz bez pytania"),
        _("Ten formularz nie wskazuje, którego pytania dotyczy. Nic nie zostało zapisane."),
        link=(reverse("panel:scans"), _("Wróć do wczytywania skanów")),
    )


@require_GET
@panel_view(Perm.SCANS)
def image(request, kind, pk):
    office = request.office
    if kind == "pytanie":
        question = scan_question_get(office=office, pk=pk)
        path = question.crop or (question.page.image if not question.key else "")
    elif kind == "uwaga":
        path = scan_comment_get(office=office, pk=pk).crop
    else:
        raise Http404
    data = storage.image_read(office_id=office.pk, path=path)
    if data is None:
        raise Http404
    content_type = "image/png" if path.endswith(".png") else "image/jpeg"
    response = HttpResponse(data, content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response
