"""Reads of the scans app, every one through the office."""

from django.db.models import Count, Q
from django.http import Http404

from ocenurzad.jobs.models import Job

from .models import ScanComment, ScanFile, ScanImport, ScanPage, ScanQuestion, ScanSheet


def scan_imports(*, office, limit: int = 20):
    return ScanImport.objects.filter(office=office).select_related("created_by")[:limit]


def scan_import_job_key(scan_import: ScanImport) -> str:
    return f"scans-import:{scan_import.office_id}:{scan_import.pk}"


def scan_import_job(*, scan_import: ScanImport) -> Job | None:
    """The background job that reads (or read) the upload; None for one read by the
    command line."""
    return Job.objects.filter(
        office_id=scan_import.office_id, key=scan_import_job_key(scan_import)
    ).first()


def scan_import_get(*, office, pk) -> ScanImport:
    """The office's upload, or 404 — the same for another office's."""
    found = ScanImport.objects.filter(office=office, pk=pk).first()
    if found is None:
        raise Http404
    return found


def scan_question_get(*, office, pk) -> ScanQuestion:
    found = (
        ScanQuestion.objects.filter(office=office, pk=pk)
        .select_related("sheet", "sheet__version", "page", "page__scan_file")
        .first()
    )
    if found is None:
        raise Http404
    return found


def scan_comment_get(*, office, pk) -> ScanComment:
    found = ScanComment.objects.filter(office=office, pk=pk).select_related("sheet").first()
    if found is None:
        raise Http404
    return found


def scan_questions_open(*, office):
    return (
        ScanQuestion.objects.filter(office=office, answered_at=None)
        .select_related("sheet", "sheet__version", "page", "page__scan_file")
        .order_by("pk")
    )


def scan_comments_open(*, office):
    return (
        ScanComment.objects.filter(office=office, state=ScanComment.State.WAITING)
        .select_related("sheet")
        .order_by("pk")
    )


def scan_queue_counts(*, office) -> dict:
    return {
        "questions": ScanQuestion.objects.filter(office=office, answered_at=None).count(),
        "comments": ScanComment.objects.filter(
            office=office, state=ScanComment.State.WAITING
        ).count(),
        "confirm": ScanSheet.objects.filter(office=office, state=ScanSheet.State.CONFIRM).count(),
    }


def scan_import_protocol(*, scan_import: ScanImport) -> dict:
    """What became of an upload: its files, pages and sheets, with the totals of the
    printable protocol (pages read, sheets stored, blank, refused, waiting)."""
    pages = ScanPage.objects.filter(scan_file__scan_import=scan_import)
    page_counts = dict(pages.values_list("state").annotate(n=Count("pk")))
    sheets = list(
        scan_import.sheets.select_related("version")
        .annotate(
            open_questions=Count("questions", filter=Q(questions__answered_at=None)),
            open_comments=Count("comments", filter=Q(comments__state=ScanComment.State.WAITING)),
        )
        .order_by("position")
    )
    sheet_counts: dict[str, int] = {}
    for sheet in sheets:
        sheet_counts[sheet.state] = sheet_counts.get(sheet.state, 0) + 1
    files = list(scan_import.files.order_by("position"))
    problem_pages = list(
        pages.exclude(state=ScanPage.State.READ)
        .select_related("scan_file")
        .order_by("scan_file__position", "index")
    )
    return {
        "import": scan_import,
        "files": files,
        "sheets": sheets,
        "problem_pages": problem_pages,
        "totals": {
            "files": len(files),
            "files_refused": sum(f.state == ScanFile.State.REFUSED for f in files),
            "files_duplicate": sum(f.state == ScanFile.State.DUPLICATE for f in files),
            "pages": sum(page_counts.values()),
            "pages_read": page_counts.get(ScanPage.State.READ, 0),
            "pages_blank": page_counts.get(ScanPage.State.BLANK, 0),
            "pages_duplicate": page_counts.get(ScanPage.State.DUPLICATE, 0),
            "pages_refused": page_counts.get(ScanPage.State.REFUSED, 0),
            "pages_unreadable": page_counts.get(ScanPage.State.UNREADABLE, 0),
            "sheets": len(sheets),
            "stored": sheet_counts.get(ScanSheet.State.STORED, 0),
            "blank": sheet_counts.get(ScanSheet.State.BLANK, 0),
            "refused": sheet_counts.get(ScanSheet.State.REFUSED, 0),
            "waiting": sheet_counts.get(ScanSheet.State.WAITING, 0),
            "confirm": sheet_counts.get(ScanSheet.State.CONFIRM, 0),
            "comments": sum(s.open_comments for s in sheets),
        },
    }


def sheet_label(sheet: ScanSheet) -> str:
    if sheet.sheet_number is not None:
        return f"Arkusz nr {sheet.sheet_number} ({sheet.version.code})"
    return f"Arkusz bez numeru, {sheet.position}. w stosie ({sheet.version.code})"
