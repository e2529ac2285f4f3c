"""The report archive: every generated report kept unchanged, as evidence.

An archived report holds the parameters, the whole computed report (its figures), the PDF
exactly as it was handed out and the SHA-256 of those bytes — with who made it, when and
why. There is no way to change one: this module only creates and reads them, and the
model refuses a second save.

Services take ``office`` first and are keyword-only; selectors answer the same 404 for a
missing report and another office's report.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min, QuerySet
from django.http import Http404
from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.responses.models import Response

from .compute import report_compute
from .models import ArchivedReport
from .periods import so_far_period
from .render.pdf import report_pdf

Reason = ArchivedReport.Reason


def actor_name(actor) -> str | None:
    """How a staff account is named on a report: full name, else the login."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    return actor.get_full_name() or actor.get_username()


def archived_report_create(
    *, office: Office, actor, report: dict, reason: str, note: str = ""
) -> ArchivedReport:
    """Archive a computed report: render its PDF, checksum it, store the file and the row.

    - ``report`` is the dict of ``report_compute`` for this ``office`` (refused otherwise);
      it is stored whole, and the PDF is rendered from it here, once.
    - Atomic: the row is saved in a transaction (a savepoint when the caller has one
      open). The file is written first, so a saved row never points to a missing file;
      if the row cannot be saved the file is deleted again, so a failure leaves neither.
      (Only when the caller's own transaction rolls back later is the file left without
      a row; ``archived_report_orphans`` finds such files.)
    - Raises whatever the renderer raises; nothing is stored then.
    """
    if reason not in Reason.values:
        raise ValueError(f"unknown archive reason {reason!r}")
    if (report.get("office") or {}).get("slug") != office.slug:
        raise ValueError("the report was computed for another office")
    params = report["params"]
    pdf = report_pdf(report)
    archived = ArchivedReport(
        office=office,
        created_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        created_by_name=actor_name(actor) or "",
        reason=reason,
        params=params,
        period_start=date.fromisoformat(params["start"]),
        period_end=date.fromisoformat(params["end"]),
        figures=report,
        sha256=hashlib.sha256(pdf).hexdigest(),
        note=note or "",
    )
    filename = f"raport-{office.slug}-{params['start']}-{params['end']}.pdf"
    archived.pdf.save(filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            archived.save(force_insert=True)
    except BaseException:
        archived.pdf.storage.delete(archived.pdf.name)
        raise
    return archived


def report_archive_all_so_far(*, office: Office, actor, reason: str) -> ArchivedReport:
    """Archive a report of all results so far: from the first response (or today, when
    there is none) to today, without comparison.

    This is the ordinance's "report of the results so far" before the survey or the
    office data change (§ 5). Call it inside the transaction of the change: it raises
    when the report cannot be made or stored, so the change is rolled back with it.
    """
    today = timezone.localdate()
    first = Response.objects.filter(office=office).aggregate(first=Min("submitted_at"))["first"]
    period = so_far_period(timezone.localdate(first) if first else None, today=today)
    report = report_compute(
        office=office,
        start=period.start,
        end=period.end,
        compare=False,
        generated_by=actor_name(actor),
    )
    return archived_report_create(office=office, actor=actor, report=report, reason=reason)


def archived_reports(*, office: Office) -> QuerySet[ArchivedReport]:
    """The office's archived reports, newest first (figures left out: they can be big)."""
    return (
        ArchivedReport.objects.filter(office=office)
        .select_related("created_by")
        .defer("figures")
        .order_by("-created_at", "-pk")
    )


def archived_report_get(*, office: Office, report_id) -> ArchivedReport:
    """One archived report of this office; 404 for missing and foreign ids alike."""
    try:
        return ArchivedReport.objects.select_related("created_by").get(
            office=office, pk=int(report_id)
        )
    except (ArchivedReport.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def archived_report_latest(*, office: Office) -> ArchivedReport | None:
    """The newest archived report of the office, or None (the dashboard's yearly check)."""
    return archived_reports(office=office).first()


def archived_report_verify(*, archived: ArchivedReport) -> bool | None:
    """Does the stored PDF still have the checksum taken when it was archived?
    None when the file is missing."""
    storage = archived.pdf.storage
    if not archived.pdf.name or not storage.exists(archived.pdf.name):
        return None
    digest = hashlib.sha256()
    with storage.open(archived.pdf.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest() == archived.sha256


def archived_report_orphans(*, office: Office) -> list[str]:
    """Stored files under the office's report folder that no archived report names: left
    by a caller's transaction that rolled back after its report was archived."""
    storage = ArchivedReport._meta.get_field("pdf").storage
    known = set(ArchivedReport.objects.filter(office=office).values_list("pdf", flat=True))
    found, folders = [], [f"reports/{office.slug}"]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files if f"{folder}/{name}" not in known]
    return sorted(found)
