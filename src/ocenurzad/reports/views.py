"""The panel's "Generuj raport": the form, the report on screen, its files, the archive.

Every view is a GET guarded by ``panel_view(Perm.REPORTS)``. The form's fields are the URL
parameters of the preview and of every download, so each file is the report on screen.
Downloading the PDF archives the report (reason: on request) and hands out the very bytes
that were archived.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ocenurzad.accounts.permissions import Perm
from ocenurzad.audit.services import audit_record
from ocenurzad.panel.access import panel_view

from .archive import (
    Reason,
    actor_name,
    archived_report_create,
    archived_report_get,
    archived_report_latest,
    archived_reports,
)
from .compute import report_compute
from .forms import CHANNEL_CHOICES, ReportForm
from .render.csv import csv_stream, responses_csv_rows
from .render.html import report_html
from .render.json import report_json
from .render.xlsx import report_xlsx

ARCHIVE_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# URL name → (what it is called on the page, content type, extension)
DOWNLOADS = {
    "pdf": ("PDF", "application/pdf", "pdf"),
    "xlsx": ("XLSX", XLSX, "xlsx"),
    "csv": (gettext_lazy("CSV dla Excela (średniki)"), "text/csv; charset=utf-8", "csv"),
    "csv-standard": (gettext_lazy("CSV standardowy (przecinki)"), "text/csv; charset=utf-8", "csv"),
    "json": ("JSON", "application/json", "json"),
}
CSV_DIALECTS = {"csv": "excel-pl", "csv-standard": "excel"}
ARCHIVE_FILES = {"pdf", "json"}


@require_GET
@panel_view(Perm.REPORTS)
def report_form(request):
    """The form, filled in again from the parameters of a report when it has them."""
    initial = {name: request.GET.get(name) for name in request.GET if name != "szukaj"}
    return _form_page(request, ReportForm(office=request.office, initial=initial))


@require_GET
@panel_view(Perm.REPORTS)
def report_preview(request):
    if not request.GET:
        # nothing asked for yet (e.g. the address typed in): the empty form, not errors
        return _form_page(request, ReportForm(office=request.office))
    form = ReportForm(request.GET, office=request.office)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    report = _compute(request, form)
    search = form.cleaned_data.get("szukaj") or None
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
            "downloads": [(fmt, spec[0]) for fmt, spec in DOWNLOADS.items()],
        },
    )


@require_GET
@panel_view(Perm.REPORTS)
def report_download(request, fmt: str):
    office = request.office
    form = ReportForm(request.GET, office=office)
    valid = form.is_valid()
    if fmt not in DOWNLOADS:
        form.add_error(
            None,
            _("Format pliku: „%(format)s” nie jest obsługiwany — wybierz PDF, XLSX, CSV albo JSON.")
            % {"format": fmt[:20]},
        )
        return _form_page(request, form, status=400)
    if not valid:
        return _form_page(request, form, status=400)
    params = form.report_params()
    name = _filename(office, params, fmt)
    if fmt in CSV_DIALECTS or fmt == "xlsx":
        _audit_export(request, params, fmt)
    if fmt in CSV_DIALECTS:
        # raw answers only: no report to compute, streamed in constant memory
        rows = _response_rows(office, params)
        response = StreamingHttpResponse(
            csv_stream(rows, dialect=CSV_DIALECTS[fmt]), content_type=DOWNLOADS[fmt][1]
        )
        return _attachment(response, name)
    report = _compute(request, form)
    if fmt == "pdf":
        archived = archived_report_create(
            office=office,
            actor=request.user,
            report=report,
            reason=Reason.ON_REQUEST,
            note=form.cleaned_data.get("powod") or "",
        )
        return _archived_pdf(archived, name)
    if fmt == "xlsx":
        count = (report.get("method") or {}).get("responses") or 0
        if count > settings.XLSX_RAW_MAX_ROWS:
            # ~6 µs a cell: 100,000 answers take half a minute; the CSV streams them
            body = report_xlsx(report, raw_left_out=count)
        else:
            body = report_xlsx(report, responses=_response_rows(office, params))
    else:
        body = report_json(report)
    return _attachment(HttpResponse(body, content_type=DOWNLOADS[fmt][1]), name)


@require_GET
@panel_view(Perm.REPORTS)
def report_archive(request):
    paginator = Paginator(archived_reports(office=request.office), ARCHIVE_PER_PAGE)
    page = paginator.get_page(request.GET.get("strona"))
    return render(
        request,
        "reports/panel/archive.html",
        {"page": page, "reports": page.object_list},
    )


@require_GET
@panel_view(Perm.REPORTS)
def archived_report_file(request, pk: int, fmt: str):
    """The stored PDF, byte for byte, or the stored figures as JSON."""
    archived = archived_report_get(office=request.office, report_id=pk)
    if fmt not in ARCHIVE_FILES:
        raise Http404
    stem = f"raport-{request.office.slug}-{archived.period_start}-{archived.period_end}"
    name = f"{stem}-archiwum-{archived.pk}.{fmt}"
    if fmt == "pdf":
        return _archived_pdf(archived, name)
    response = HttpResponse(report_json(archived.figures), content_type="application/json")
    return _attachment(response, name)


def _compute(request, form) -> dict:
    return report_compute(
        office=request.office, generated_by=actor_name(request.user), **form.report_params()
    )


def _audit_export(request, params: dict, fmt: str) -> None:
    """Files with every response's answers (CSV, and XLSX with its raw-data sheet) are
    written to the audit log: who took which residents' answers, and when. PDF reports
    go to the archive with their author instead; JSON holds only the figures."""
    audit_record(
        office=request.office,
        actor=request.user,
        action="responses.export",
        target=request.office,
        after={
            "format": str(DOWNLOADS[fmt][0]),
            "period": f"{params['start']:%d.%m.%Y} – {params['end']:%d.%m.%Y}",
            "department_id": params["department_id"],
            "channel": str(dict(CHANNEL_CHOICES).get(params["channel"] or "")),
        },
    )


def _response_rows(office, params: dict):
    return responses_csv_rows(
        office=office,
        start=params["start"],
        end=params["end"],
        department_id=params["department_id"],
        channel=params["channel"],
    )


def _archived_pdf(archived, filename: str) -> FileResponse:
    """The stored file itself, byte for byte, with the checksum it was archived with."""
    response = FileResponse(archived.pdf.open("rb"), content_type="application/pdf")
    response["X-Checksum-Sha256"] = archived.sha256
    return _attachment(response, filename)


def _form_page(request, form, *, status=200):
    return render(
        request,
        "reports/panel/form.html",
        {"form": form, "last_report": archived_report_latest(office=request.office)},
        status=status,
    )


def _filename(office, params: dict, fmt: str) -> str:
    stem = "odpowiedzi" if fmt in CSV_DIALECTS else "raport"
    parts = [stem, office.slug, params["start"].isoformat(), params["end"].isoformat()]
    if params["department_id"]:
        parts.append(f"wydzial{params['department_id']}")
    if params["channel"]:
        parts.append({"online": "internet", "paper": "papierowe"}.get(params["channel"], ""))
    if fmt == "csv-standard":
        parts.append("przecinki")
    return "-".join(p for p in parts if p) + "." + DOWNLOADS[fmt][2]


def _attachment(response, filename: str):
    # file names are built from slugs, dates and digits only
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
