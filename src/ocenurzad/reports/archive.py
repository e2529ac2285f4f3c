"""The report archive: a report kept unchanged, as evidence, when someone asks for it.

An archived report holds the parameters, the whole computed report (its figures), the PDF
exactly as it was handed out, the comments annex (every comment the report may show, as
CSV and XLSX) and the SHA-256 of each file — with who archived it, when and why. Viewing
or downloading a report never archives it: ``archived_report_create`` is called by
"Archiwizuj raport" (a POST) and by ``manage.py report --archive``; before a change
residents see (§ 5 of the ordinances) ``workflows.visible_changes`` uses its two halves,
``archived_report_prepare`` (outside any transaction) and ``archived_report_store`` (in
the change's short transaction).

The same parameters with the same figures are archived once: the entry is keyed by a
hash of both (``report_content_key``), so asking again answers with the entry there is.
There is no way to change an entry: this module only creates and reads them, and the
model refuses a second save.

Services take ``office`` first and are keyword-only; selectors answer the same 404 for a
missing report and another office's report.
"""

import hashlib
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.responses.models import Response

from .compute import report_compute
from .models import ArchivedReport
from .periods import so_far_period
from .render.csv import csv_stream
from .render.json import report_json_stdlib
from .render.open_answers import comment_rows
from .render.pdf import report_pdf
from .render.xlsx import rows_xlsx
from .selectors import day_start

Reason = ArchivedReport.Reason
# Keys of a computed report that say when and by whom, not what: left out of its key.
VOLATILE_KEYS = ("generated_at", "generated_by", "as_of")
# (file field, checksum field) of every stored file, the PDF first.
ARCHIVE_FILES = (
    ("pdf", "sha256"),
    ("comments_csv", "comments_csv_sha256"),
    ("comments_xlsx", "comments_xlsx_sha256"),
)


def actor_name(actor) -> str | None:
    """How a staff account is named on a report: full name, else the login."""
    if actor is None or not getattr(actor, "pk", None):
        return None
    return actor.get_full_name() or actor.get_username()


def report_content_key(report: dict) -> str:
    """SHA-256 of a computed report's parameters and figures — the same for the same
    report drawn at another moment or by someone else, different when any figure
    differs (a new response, a changed setting)."""
    content = {k: v for k, v in report.items() if k not in VOLATILE_KEYS}
    # The standard library's bytes: the keys of entries archived by earlier versions.
    return hashlib.sha256(report_json_stdlib(content)).hexdigest()


def archived_report_find(*, office: Office, report: dict) -> ArchivedReport | None:
    """The office's entry holding this very report (same parameters and figures)."""
    return _existing(office, report_content_key(report))


def archived_report_create(
    *,
    office: Office,
    actor,
    report: dict,
    reason: str,
    note: str = "",
    purpose: str = "",
) -> ArchivedReport:
    """Archive a computed report — once: when the office's archive already holds the same
    parameters with the same figures, that entry is returned and nothing is stored
    (``entry.existing`` is True then, False for a new one).

    - ``report`` is the dict of ``report_compute`` for this ``office`` (refused otherwise);
      it is stored whole, and its PDF and comments annex (CSV, XLSX) are rendered from it
      here, once, each with its SHA-256. ``purpose`` and ``note`` are stored as typed.
    - Atomic: the row is saved in a transaction (a savepoint when the caller has one
      open). The files are written first, so a saved row never points to a missing file;
      if the row cannot be saved they are deleted again, so a failure leaves neither.
      Two requests at once store one entry (a unique key); the other gets that entry.
      (Only when the caller's own transaction rolls back later are the files left
      without a row; ``archived_report_orphans`` finds such files.)
    - Raises whatever the renderers raise; nothing is stored then.

    The same in two steps, for a caller that must keep its transaction short (§ 5:
    workflows): ``archived_report_prepare`` (outside any transaction: renders and writes
    the files) and ``archived_report_store`` (inside the caller's transaction: one row).
    """
    prepared = archived_report_prepare(
        office=office, actor=actor, report=report, reason=reason, note=note, purpose=purpose
    )
    try:
        return archived_report_store(prepared=prepared)
    except BaseException:
        archived_report_discard(prepared=prepared)
        raise


def archived_report_prepare(
    *,
    office: Office,
    actor,
    report: dict,
    reason: str,
    note: str = "",
    purpose: str = "",
) -> ArchivedReport:
    """The slow half of ``archived_report_create``: checks ``report``, renders the PDF and
    the comments annex and writes them to storage; returns the entry NOT saved yet (save
    it with ``archived_report_store``, or drop its files with ``archived_report_discard``).
    When the archive already holds the same report, that saved entry is returned
    (``existing`` True) and nothing is rendered. Opens no transaction; raises whatever the
    renderers raise, leaving no file behind."""
    if reason not in Reason.values:
        raise ValueError(f"unknown archive reason {reason!r}")
    if (report.get("office") or {}).get("slug") != office.slug:
        raise ValueError("the report was computed for another office")
    key = report_content_key(report)
    existing = _existing(office, key)
    if existing is not None:
        existing.existing = True
        return existing
    params = report["params"]
    files = {
        "pdf": report_pdf(report),
        "comments_csv": b"".join(csv_stream(comment_rows(report))),
        "comments_xlsx": rows_xlsx(comment_rows(report), title="Odpowiedzi otwarte"),
    }
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
        note=note or "",
        purpose=purpose or "",
        content_key=key,
    )
    stem = f"raport-{office.slug}-{params['start']}-{params['end']}"
    names = {"pdf": f"{stem}.pdf", "comments_csv": f"{stem}-odpowiedzi-otwarte.csv"}
    names["comments_xlsx"] = f"{stem}-odpowiedzi-otwarte.xlsx"
    archived.stored_files = []
    try:
        for field, checksum in ARCHIVE_FILES:
            body = files[field]
            setattr(archived, checksum, hashlib.sha256(body).hexdigest())
            getattr(archived, field).save(names[field], ContentFile(body), save=False)
            archived.stored_files.append(getattr(archived, field).name)
    except BaseException:
        archived_report_discard(prepared=archived)
        raise
    archived.existing = False
    return archived


def archived_report_store(*, prepared: ArchivedReport) -> ArchivedReport:
    """Save an entry made by ``archived_report_prepare`` — one INSERT, in a savepoint of
    the caller's transaction (or its own). An entry that is already saved is returned as
    it is. When the same report was stored meanwhile (the unique key), that entry is
    returned (``existing`` True) and the prepared files are deleted. If the caller's
    transaction rolls back later, call ``archived_report_discard`` for the files."""
    if prepared.pk is not None:
        prepared.existing = True
        return prepared
    try:
        with transaction.atomic():
            prepared.save(force_insert=True)
    except IntegrityError:
        found = _existing(prepared.office, prepared.content_key)
        if found is None:
            raise
        archived_report_discard(prepared=prepared)
        found.existing = True
        return found
    prepared.existing = False
    return prepared


def archived_report_discard(*, prepared: ArchivedReport | None) -> None:
    """Delete the files of a prepared entry whose row is not in the database (not saved,
    or saved in a transaction that rolled back: its change failed). Harmless for None,
    for a stored entry, for an entry found existing and for one already discarded."""
    names = getattr(prepared, "stored_files", None)
    if not names:
        return
    if prepared.pk is not None and ArchivedReport.objects.filter(pk=prepared.pk).exists():
        return
    _delete(prepared, names)
    prepared.stored_files = []


def _existing(office: Office, key: str) -> ArchivedReport | None:
    return ArchivedReport.objects.filter(office=office, content_key=key).first()


def _delete(archived: ArchivedReport, names: list[str]) -> None:
    storage = archived.pdf.storage
    for name in names:
        storage.delete(name)


def report_so_far_compute(*, office: Office, actor, as_of=None) -> dict:
    """The report of all results so far: from the first response (or today, when there
    is none) to today, without comparison; with ``as_of`` (an aware datetime), of the
    responses submitted before that cut-off ("stan na", see ``report_compute``). Reads
    only (and may store rollups); opens no long transaction — draw it outside one."""
    today = timezone.localdate()
    first = Response.objects.filter(office=office).aggregate(first=Min("submitted_at"))["first"]
    period = so_far_period(timezone.localdate(first) if first else None, today=today)
    return report_compute(
        office=office,
        start=period.start,
        end=period.end,
        compare=False,
        generated_by=actor_name(actor),
        as_of=as_of,
    )


def report_archive_all_so_far(*, office: Office, actor, reason: str) -> ArchivedReport:
    """Archive a report of all results so far (``report_so_far_compute``) — once: see
    ``archived_report_create``. Before a change residents see (§ 5) do not call this
    inside the change's transaction: ``workflows.visible_changes`` draws the report
    outside it and stores the entry with the change."""
    report = report_so_far_compute(office=office, actor=actor)
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
    """Do the stored files (the PDF and the comments annex) still have the checksums
    taken when they were archived? None when a file is missing. Entries from before the
    annex existed have only their PDF."""
    result = True
    for field, checksum in ARCHIVE_FILES:
        stored = getattr(archived, field)
        expected = getattr(archived, checksum)
        if field != "pdf" and not stored.name and not expected:
            continue
        if not stored.name or not stored.storage.exists(stored.name):
            return None
        digest = hashlib.sha256()
        with stored.storage.open(stored.name, "rb") as handle:
            for chunk in iter(lambda handle=handle: handle.read(1 << 16), b""):
                digest.update(chunk)
        result = result and digest.hexdigest() == expected
    return result


def archived_report_orphans(*, office: Office) -> list[str]:
    """Stored files under the office's report folder that no archived report names: left
    by a caller's transaction that rolled back after its report was archived."""
    storage = ArchivedReport._meta.get_field("pdf").storage
    known = {
        name
        for row in ArchivedReport.objects.filter(office=office).values_list(
            *(field for field, _checksum in ARCHIVE_FILES)
        )
        for name in row
        if name
    }
    found, folders = [], [f"reports/{office.slug}"]
    while folders:
        folder = folders.pop()
        if not storage.exists(folder):
            continue
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files if f"{folder}/{name}" not in known]
    return sorted(found)


def archived_reports_late_counts(*, office: Office, reports) -> dict[int, int]:
    """For each archived report: how many responses of its period (and of its department
    and channel, when it had them) were entered after it was made — paper sheets typed in
    later, and answers given later in a period that was still running. One query."""
    reports = list(reports)
    if not reports:
        return {}
    counts = {}
    for report in reports:
        params = report.params or {}
        period = Q(
            submitted_at__gte=day_start(report.period_start),
            submitted_at__lt=day_start(report.period_end + timedelta(days=1)),
        )
        # entered_at: when a paper sheet was typed in; an online answer is entered when given
        later = Q(entered_at__gt=report.created_at) | Q(
            entered_at__isnull=True, submitted_at__gt=report.created_at
        )
        where = period & later
        department = params.get("department")
        if isinstance(department, dict) and department.get("id") is not None:
            where &= Q(department_id=department["id"])
        if params.get("channel"):
            where &= Q(channel=params["channel"])
        counts[f"r{report.pk}"] = Count("pk", filter=where)
    first = min(report.period_start for report in reports)
    last = max(report.period_end for report in reports)
    found = Response.objects.filter(
        office=office,
        submitted_at__gte=day_start(first),
        submitted_at__lt=day_start(last + timedelta(days=1)),
    ).aggregate(**counts)
    return {report.pk: found[f"r{report.pk}"] or 0 for report in reports}
