"""The panel's "Generuj raport": the form, the report on screen, its files, the archive.

The form's fields are the URL parameters of the preview and of every download, so each
file is the report on screen. Viewing and downloading never archive anything (each
download is written to the audit log); "Archiwizuj raport" is a POST with a reason and a
note, and the same parameters with the same figures are archived once.

Nobody may be singled out (compute/disclosure.py): a report filtered to a department or
a channel is refused — the form comes back with the reason — unless it covers whole
months that are over and at least the minimum number of responses; the answers response
by response are a permission of their own (Perm.RAW_EXPORT), k-anonymous, month-level.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.audit.services import audit_record
from ocenurzad.core.views import error_page
from ocenurzad.panel.access import panel_view

from . import refusals
from .archive import (
    Reason,
    actor_name,
    archived_report_create,
    archived_report_get,
    archived_report_latest,
    archived_reports,
    archived_reports_late_counts,
)
from .compute import report_compute
from .forms import CHANNEL_CHOICES, ReportForm
from .forms_archive import ArchiveForm
from .render.csv import csv_stream, responses_csv_rows
from .render.html import report_html
from .render.json import report_json
from .render.open_answers import COMMENT_WIDTHS, comment_rows
from .render.pdf import report_pdf
from .render.xlsx import report_xlsx, rows_xlsx

ARCHIVE_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# URL name → (what it is called on the page, content type, extension)
DOWNLOADS = {
    "pdf": ("PDF", "application/pdf", "pdf"),
    "xlsx": ("XLSX", XLSX, "xlsx"),
    "json": ("JSON", "application/json", "json"),
    "odpowiedzi-otwarte-csv": (gettext_lazy("Odpowiedzi otwarte (CSV)"), CSV, "csv"),
    "odpowiedzi-otwarte-xlsx": (gettext_lazy("Odpowiedzi otwarte (XLSX)"), XLSX, "xlsx"),
}
# Residents' answers response by response: Perm.RAW_EXPORT.
RAW_DOWNLOADS = {
    "csv": (gettext_lazy("Odpowiedzi ankieta po ankiecie: CSV dla Excela (średniki)"), CSV, "csv"),
    "csv-standard": (
        gettext_lazy("Odpowiedzi ankieta po ankiecie: CSV standardowy (przecinki)"),
        CSV,
        "csv",
    ),
}
CSV_DIALECTS = {"csv": "excel-pl", "csv-standard": "excel"}
# Stored files of an archived report: URL name → (model field or None for the figures,
# content type, file name ending)
ARCHIVE_FILES = {
    "pdf": ("pdf", "application/pdf", ".pdf"),
    "json": (None, "application/json", ".json"),
    "odpowiedzi-otwarte-csv": ("comments_csv", CSV, "-odpowiedzi-otwarte.csv"),
    "odpowiedzi-otwarte-xlsx": ("comments_xlsx", XLSX, "-odpowiedzi-otwarte.xlsx"),
}


@require_GET
@panel_view(Perm.REPORTS)
def report_form(request):
    """The form, filled in again from the parameters of a report when it has them."""
    initial = {name: request.GET.get(name) for name in request.GET if name != "szukaj"}
    return _form_page(request, ReportForm(office=request.office, initial=initial))


@require_GET
@panel_view(Perm.REPORTS)
def report_preview(request):
    return _preview(request)


def _preview(request):
    if not request.GET:
        # nothing asked for yet (e.g. the address typed in): the empty form, not errors
        return _form_page(request, ReportForm(office=request.office))
    form = ReportForm(request.GET, office=request.office)
    report = _report_or_refusal(request, form)
    if report is None:
        return _form_page(request, form, status=400)
    return _preview_page(request, form, report, ArchiveForm())


@require_http_methods(["GET", "POST"])
@panel_view(Perm.REPORTS)
def report_archive_create(request):
    """POST: archive the report of the parameters posted, with the reason and note typed
    — once: the same parameters and figures answer with the entry already there.
    GET (an address typed in or bookmarked): the report with its archive form, as the
    preview; nothing is archived."""
    if request.method != "POST":
        return _preview(request)
    form = ReportForm(request.POST, office=request.office)
    report = _report_or_refusal(request, form)
    if report is None:
        return _form_page(request, form, status=400)
    archive_form = ArchiveForm(request.POST)
    if not archive_form.is_valid():
        return _preview_page(request, form, report, archive_form, status=400)
    archived = archived_report_create(
        office=request.office,
        actor=request.user,
        report=report,
        reason=Reason.ON_REQUEST,
        purpose=archive_form.cleaned_data["cel"],
        note=archive_form.cleaned_data["notatka"],
    )
    number = {"number": archived.pk, "date": f"{timezone.localtime(archived.created_at):%d.%m.%Y}"}
    if archived.existing:
        messages.info(
            request,
            _(
                "Ten raport — te same parametry i te same wyniki — jest już w archiwum jako "
                "raport nr %(number)s z %(date)s. Nie zapisano go drugi raz."
            )
            % number,
        )
    else:
        audit_record(
            office=request.office,
            actor=request.user,
            action="report.archive",
            target=archived,
            after={
                **_described(report["params"]),
                "purpose": archived.purpose,
                "note": archived.note,
            },
        )
        messages.success(
            request, _("Raport zapisano w archiwum jako raport nr %(number)s.") % number
        )
    return redirect(f"{reverse('panel:report-archive')}#raport-{archived.pk}")


@require_GET
@panel_view(Perm.REPORTS)
def report_download(request, fmt: str):
    office = request.office
    form = ReportForm(request.GET, office=office)
    if fmt not in DOWNLOADS and fmt not in RAW_DOWNLOADS:
        form.is_valid()
        form.add_error(
            None,
            _(
                "Format pliku: „%(format)s” nie jest obsługiwany — wybierz PDF, XLSX, JSON, "
                "odpowiedzi otwarte (CSV, XLSX) albo odpowiedzi ankieta po ankiecie (CSV)."
            )
            % {"format": fmt[:20]},
        )
        return _form_page(request, form, status=400)
    if fmt in RAW_DOWNLOADS:
        return _raw_download(request, form, fmt)
    report = _report_or_refusal(request, form)
    if report is None:
        return _form_page(request, form, status=400)
    params = form.report_params()
    name = _filename(office, params, fmt)
    if fmt == "pdf":
        body = report_pdf(report)
    elif fmt == "xlsx":
        body = _report_xlsx(request, report, params)
    elif fmt == "odpowiedzi-otwarte-csv":
        body = b"".join(csv_stream(comment_rows(report)))
    elif fmt == "odpowiedzi-otwarte-xlsx":
        body = rows_xlsx(comment_rows(report), title=_("Odpowiedzi otwarte"), widths=COMMENT_WIDTHS)
    else:
        body = report_json(report)
    _audit_download(request, params, fmt)
    return _attachment(HttpResponse(body, content_type=DOWNLOADS[fmt][1]), name)


@require_GET
@panel_view(Perm.REPORTS)
def report_archive(request):
    paginator = Paginator(archived_reports(office=request.office), ARCHIVE_PER_PAGE)
    page = paginator.get_page(request.GET.get("strona"))
    reports = list(page.object_list)
    late = archived_reports_late_counts(office=request.office, reports=reports)
    for report in reports:
        report.late_responses = late[report.pk]
    return render(request, "reports/panel/archive.html", {"page": page, "reports": reports})


@require_GET
@panel_view(Perm.REPORTS)
def archived_report_file(request, pk: int, fmt: str):
    """A stored file, byte for byte, with its checksum; or the stored figures as JSON."""
    archived = archived_report_get(office=request.office, report_id=pk)
    if fmt not in ARCHIVE_FILES:
        raise Http404
    field, content_type, ending = ARCHIVE_FILES[fmt]
    stem = f"raport-{request.office.slug}-{archived.period_start}-{archived.period_end}"
    name = f"{stem}-archiwum-{archived.pk}{ending}"
    if field is None:
        response = HttpResponse(report_json(archived.figures), content_type=content_type)
    else:
        stored = getattr(archived, field)
        if not stored.name:  # archived before the comments annex existed
            raise Http404
        response = FileResponse(stored.open("rb"), content_type=content_type)
        checksum = "sha256" if field == "pdf" else f"{field}_sha256"
        response["X-Checksum-Sha256"] = getattr(archived, checksum)
    audit_record(
        office=request.office,
        actor=request.user,
        action="report.download",
        target=archived,
        after={"format": _format_label(fmt), "archived_report": archived.pk},
    )
    return _attachment(response, name)


# -- helpers ---------------------------------------------------------------------------


def _report_or_refusal(request, form) -> dict | None:
    """The computed report of a valid form, or None with the reason added to the form
    (invalid fields, or a report that would single someone out)."""
    if not form.is_valid():
        return None
    params = form.report_params()
    refusal = refusals.report_refusal(
        office=request.office,
        start=params["start"],
        end=params["end"],
        department_id=params["department_id"],
        channel=params["channel"],
        client_type=params["client_type"],
        today=timezone.localdate(),
    )
    if refusal:
        form.add_error(None, refusal)
        return None
    report = report_compute(office=request.office, generated_by=actor_name(request.user), **params)
    refusal = refusals.comparison_refusal(office=request.office, report=report)
    if refusal:
        form.add_error(None, refusal)
        return None
    return report


def _raw_download(request, form, fmt: str):
    office = request.office
    if not can(request.user, office, Perm.RAW_EXPORT):
        return _raw_forbidden(request)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    params = form.report_params()
    refusal = _raw_refusal(office, params)
    if refusal:
        form.add_error(None, refusal)
        return _form_page(request, form, status=400)
    _audit_download(request, params, fmt, raw=True)
    response = StreamingHttpResponse(
        csv_stream(_response_rows(office, params), dialect=CSV_DIALECTS[fmt]),
        content_type=RAW_DOWNLOADS[fmt][1],
    )
    return _attachment(response, _filename(office, params, fmt))


def _raw_refusal(office, params: dict) -> str | None:
    """Why raw answers of these parameters may not be taken (None when they may)."""
    return refusals.raw_export_refusal(
        office=office,
        start=params["start"],
        end=params["end"],
        department_id=params["department_id"],
        channel=params["channel"],
        client_type=params["client_type"],
        today=timezone.localdate(),
    )


def _raw_forbidden(request):
    return error_page(
        request,
        403,
        _("Brak uprawnień"),
        _(
            "Odpowiedzi ankieta po ankiecie może pobierać administrator urzędu oraz osoby, "
            "którym nadał to uprawnienie (Użytkownicy → konto → „Może pobierać odpowiedzi "
            "ankieta po ankiecie”). Raport i odpowiedzi otwarte możesz pobrać bez niego."
        ),
        link=(reverse("panel:reports"), _("Wróć do raportów")),
    )


def _report_xlsx(request, report: dict, params: dict) -> bytes:
    """The workbook; its raw-data sheet only for those who may take raw answers, for
    whole months that are over, and up to XLSX_RAW_MAX_ROWS (else a sheet saying why)."""
    office = request.office
    if not can(request.user, office, Perm.RAW_EXPORT):
        return report_xlsx(report)
    refusal = _raw_refusal(office, params)
    if refusal:
        return report_xlsx(report, raw_refused=refusal)
    count = (report.get("method") or {}).get("responses") or 0
    if count > settings.XLSX_RAW_MAX_ROWS:
        return report_xlsx(report, raw_left_out=count)
    _audit_download(request, params, "xlsx", raw=True)
    return report_xlsx(report, responses=_response_rows(office, params))


def _format_label(fmt: str) -> str:
    return str((DOWNLOADS.get(fmt) or RAW_DOWNLOADS.get(fmt) or (fmt,))[0])


def _described(params: dict) -> dict:
    department = params.get("department")
    start, end = params["start"], params["end"]
    if not isinstance(start, str):
        start, end = start.isoformat(), end.isoformat()
    return {
        "period": f"{start} – {end}",
        "department_id": department["id"] if isinstance(department, dict) else department,
        "channel": str(dict(CHANNEL_CHOICES).get(params.get("channel") or "")),
    }


def _audit_download(request, params: dict, fmt: str, *, raw: bool = False) -> None:
    """Every download is written to the audit log: who took which file of which report.
    Answers response by response (CSV, the XLSX raw-data sheet) are "responses.export"."""
    audit_record(
        office=request.office,
        actor=request.user,
        action="responses.export" if raw else "report.download",
        target=request.office,
        after={
            "format": _format_label(fmt),
            "period": f"{params['start']:%d.%m.%Y} – {params['end']:%d.%m.%Y}",
            "department_id": params["department_id"],
            "channel": str(dict(CHANNEL_CHOICES).get(params["channel"] or "")),
            "client_type": params.get("client_type"),
        },
    )


def _response_rows(office, params: dict):
    return responses_csv_rows(
        office=office,
        start=params["start"],
        end=params["end"],
        department_id=params["department_id"],
        channel=params["channel"],
        client_type=params["client_type"],
        k=refusals.min_cell(),
    )


def _preview_page(request, form, report: dict, archive_form, *, status=200):
    search = form.cleaned_data.get("szukaj") or None
    downloads = [(fmt, spec[0]) for fmt, spec in DOWNLOADS.items()]
    if can(request.user, request.office, Perm.RAW_EXPORT):
        downloads += [(fmt, spec[0]) for fmt, spec in RAW_DOWNLOADS.items()]
    return render(
        request,
        "reports/panel/preview.html",
        {
            "form": form,
            "report": report,
            "report_body": report_html(
                report, query=search, search_params=dict(form.report_fields())
            ),
            "query": form.query(),
            "report_fields": [(k, v) for k, v in form.report_fields() if k != "powod"],
            "downloads": downloads,
            "archive_form": archive_form,
        },
        status=status,
    )


def _form_page(request, form, *, status=200):
    return render(
        request,
        "reports/panel/form.html",
        {"form": form, "last_report": archived_report_latest(office=request.office)},
        status=status,
    )


def _filename(office, params: dict, fmt: str) -> str:
    if fmt in CSV_DIALECTS:
        stem = "odpowiedzi"
    elif fmt.startswith("odpowiedzi-otwarte"):
        stem = "odpowiedzi-otwarte"
    else:
        stem = "raport"
    parts = [stem, office.slug, params["start"].isoformat(), params["end"].isoformat()]
    if params["department_id"]:
        parts.append(f"wydzial{params['department_id']}")
    if params["channel"]:
        parts.append({"online": "internet", "paper": "papierowe"}.get(params["channel"], ""))
    if params.get("client_type"):
        parts.append(f"klienci-{params['client_type']}")
    if fmt == "csv-standard":
        parts.append("przecinki")
    extension = (DOWNLOADS.get(fmt) or RAW_DOWNLOADS[fmt])[2]
    return "-".join(p for p in parts if p) + "." + extension


def _attachment(response, filename: str):
    # file names are built from slugs, dates and digits only
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
