"""Writes of the scans app: an upload, a person's answers in the two queues, the
confirmation of an unnumbered stack, and the purge of images. Each audited."""

from datetime import date, timedelta

import cv2
import numpy
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record
from ocenurzad.jobs.services import job_enqueue
from ocenurzad.offices.models import Office
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.reports.services import rollups_invalidate
from ocenurzad.responses.models import Response
from ocenurzad.responses.paper import (
    EARLIEST_DATE,
    SheetDate,
    date_text,
    period_max_days,
    sheet_date_error,
    sheet_date_warnings,
)
from ocenurzad.surveys.models import SurveyVersion

from . import storage
from .jobs import scan_import_process
from .models import ScanComment, ScanFile, ScanImport, ScanPage, ScanQuestion, ScanSheet
from .processing import page_attach
from .reader.page import PageUnreadable, border_score, page_straighten, page_turned
from .selectors import scan_import_job_key
from .sheets import questions_of, sheet_finish, sheets_rejudge


class ScanRefused(Exception):
    """A person's request that cannot be done; ``str()`` is the Polish reason."""


def collection_dates_check(*, filled_on: date, period_start: date | None) -> list[str]:
    """Warnings (not errors) about the collection date of an upload: a period across a
    month or a year is counted in the month of its middle day only."""
    return sheet_date_warnings(SheetDate(period_start or filled_on, filled_on))


def collection_dates_error(*, filled_on: date | None, period_start: date | None) -> str | None:
    """Why the upload's date or period cannot be used (in Polish, naming the field:
    "Data wypełnienia ankiet" or "Początek okresu zbierania"), else None."""
    if filled_on is None:
        return _("Podaj datę wypełnienia ankiet.")
    if filled_on > timezone.localdate():
        return _("Data wypełnienia nie może być późniejsza niż dzisiaj.")
    if filled_on < EARLIEST_DATE:
        return _("Data wypełnienia nie może być wcześniejsza niż 1 stycznia 2000.")
    if period_start is None or period_start == filled_on:
        return None
    if period_start > filled_on:
        return _("Początek okresu zbierania nie może być późniejszy niż data wypełnienia.")
    if period_start < EARLIEST_DATE:
        return _("Początek okresu zbierania nie może być wcześniejszy niż 1 stycznia 2000.")
    period = SheetDate(period_start, filled_on)
    if period.days > period_max_days():
        return _(
            "Początek okresu zbierania: okres od %(start)s do %(end)s ma %(days)d dni, a może "
            "mieć najwyżej %(max)d (kwartał) — ankiet zebranych przez tak długi czas nie da "
            "się przypisać do miesiąca ani kwartału raportu. Wczytaj je w krótszych okresach."
        ) % {
            "start": date_text(period.start),
            "end": date_text(period.end),
            "days": period.days,
            "max": period_max_days(),
        }
    return sheet_date_error(period, today=timezone.localdate())


def scan_import_create(
    *,
    office: Office,
    actor,
    filled_on: date,
    period_start: date | None = None,
    confirm_unnumbered: bool = False,
) -> ScanImport:
    """A new upload (its files come next, ``scan_file_add``); with ``period_start``, its
    sheets are stored with the period ``period_start``..``filled_on`` (counted on its
    middle day, responses/paper/dates.py). Refuses (ScanRefused) what
    ``collection_dates_error`` refuses: a date in the future or before 2000, a period
    ending before it starts or longer than PAPER_PERIOD_MAX_DAYS."""
    error = collection_dates_error(filled_on=filled_on, period_start=period_start)
    if error:
        raise ScanRefused(error)
    with transaction.atomic():
        scan_import = ScanImport.objects.create(
            office=office,
            created_by=actor if getattr(actor, "pk", None) else None,
            filled_on=filled_on,
            period_start=period_start,
            confirm_unnumbered=confirm_unnumbered,
        )
        audit_record(
            office=office,
            actor=actor,
            action="scans.import",
            target=scan_import,
            after={
                "filled_on": filled_on.isoformat(),
                "period_start": period_start.isoformat() if period_start else None,
                "confirm_unnumbered": confirm_unnumbered,
            },
        )
    return scan_import


def scan_file_add(*, scan_import: ScanImport, name: str, chunks) -> ScanFile:
    """Stream one uploaded file to disk under its office's folder and record it."""
    path, size, digest = storage.file_write_stream(
        office_id=scan_import.office_id, import_id=scan_import.pk, chunks=chunks
    )
    position = scan_import.files.count()
    return ScanFile.objects.create(
        office=scan_import.office,
        scan_import=scan_import,
        position=position,
        name=name[:255],
        size=size,
        sha256=digest,
        path=path,
    )


def scan_question_answer(
    *, office: Office, actor, question: ScanQuestion, codes: list[str]
) -> ScanQuestion:
    """A person's decision on a doubtful mark, in the printed answer codes (as typed in
    hand entry: a rating's digit, 0 for "nie dotyczy", an option's number); no code: no
    answer. Stores the sheet once its last question is answered. Refuses (ScanRefused) a
    code the question does not have, or two for a one-answer question."""
    by_code = {o["code"]: o["value"] for o in question.options}
    if any(code not in by_code for code in codes):
        raise ScanRefused(
            _("Wpisz jeden z kodów wydrukowanych przy kratkach: %(codes)s (lub „-”: brak).")
            % {"codes": ", ".join(by_code)}
        )
    if len(codes) > 1 and not question.multiple:
        raise ScanRefused(_("W tym pytaniu można wybrać tylko jedną odpowiedź."))
    values = [by_code[code] for code in dict.fromkeys(codes)]
    with transaction.atomic():
        current = ScanQuestion.objects.select_for_update().get(pk=question.pk, office=office)
        if current.answered_at is not None:
            raise ScanRefused(_("To pytanie zostało już rozstrzygnięte."))
        current.answer = values
        current.answered_by = actor
        current.answered_at = timezone.now()
        current.save(update_fields=["answer", "answered_by", "answered_at"])
        sheet = current.sheet
        answers = dict(sheet.answers)
        if values:
            answers[current.key] = values
        else:
            answers.pop(current.key, None)
        sheet.answers = answers
        sheet.save(update_fields=["answers"])
        audit_record(
            office=office,
            actor=actor,
            action="scans.question_answer",
            target=sheet,
            before={"key": current.key, "read": current.read_values, "reason": current.reason},
            after={"key": current.key, "answer": values},
        )
    if not sheet.questions.filter(answered_at=None).exists():
        sheet_finish(sheet=sheet, actor=actor)
    return current


def scan_page_assign(
    *,
    office: Office,
    actor,
    question: ScanQuestion,
    version: SurveyVersion,
    page_no: int,
    sheet_number: int | None,
) -> ScanPage:
    """A person says which sheet and page an unreadable page is; the page is then read
    with that layout (the right way up found by where the boxes are) and its sheet
    judged. Refuses (ScanRefused) a layout never printed or a page that does not fit it."""
    page = question.page
    if question.key or page.state != ScanPage.State.UNREADABLE or question.answered_at:
        raise ScanRefused(_("Ta strona została już przypisana."))
    if version.office_id != office.pk:
        raise ScanRefused(_("Wybierz wersję ankiety z listy."))
    stored = print_layout_get(office=office, version=version, language="pl")
    if stored is None:
        raise ScanRefused(_("Ta wersja ankiety nie była drukowana — nie ma jej układu."))
    layout = stored.layout
    if not 0 <= page_no < layout["pages_per_sheet"]:
        raise ScanRefused(
            _("Arkusz tej wersji ma %(count)d strony.") % {"count": layout["pages_per_sheet"]}
        )
    data = storage.image_read(office_id=office.pk, path=page.image)
    if data is None:
        raise ScanRefused(_("Obraz strony został już usunięty — zeskanuj ją ponownie."))
    pixels = cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    boxes = [b for b in layout["boxes"] if b["page"] == page_no]
    best = None
    for turn in (0, 180):
        try:
            read = page_straighten(page_turned(pixels, turn), layout)
        except PageUnreadable:
            continue
        score = border_score(read, boxes)
        if best is None or score > best[0]:
            best = (score, read)
    if best is None or best[0] < 0.3:
        raise ScanRefused(
            _("Ta strona nie pasuje do wybranego arkusza (kratki nie leżą tam, gdzie powinny).")
        )
    old_image = page.image
    with transaction.atomic():
        question.answer = {"version": version.code, "page": page_no + 1, "sheet": sheet_number}
        question.answered_by = actor
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        page = page_attach(
            scan_import=page.scan_file.scan_import,
            page=page,
            read=best[1],
            layout=layout,
            version=version,
            language=stored.language,
            fingerprint=stored.fingerprint,
            sheet_number=sheet_number,
            page_no=page_no,
        )
        audit_record(
            office=office,
            actor=actor,
            action="scans.page_assign",
            target=page,
            after=question.answer,
        )
    storage.delete(old_image)
    sheets_rejudge(scan_import=page.scan_file.scan_import, actor=actor)
    return page


def scan_import_confirm(*, office: Office, actor, scan_import: ScanImport) -> int:
    """The clerk confirms that the upload's unnumbered sheets are each a different
    resident's sheet, scanned once: they are stored. Returns how many were stored."""
    with transaction.atomic():
        current = ScanImport.objects.select_for_update().get(pk=scan_import.pk, office=office)
        current.confirm_unnumbered = True
        current.save(update_fields=["confirm_unnumbered"])
        waiting = list(current.sheets.filter(state=ScanSheet.State.CONFIRM))
        audit_record(
            office=office,
            actor=actor,
            action="scans.confirm_unnumbered",
            target=current,
            after={"sheets": len(waiting)},
        )
    stored = 0
    for sheet in waiting:
        sheet.scan_import = current
        if sheet_finish(sheet=sheet, actor=actor).state == ScanSheet.State.STORED:
            stored += 1
    return stored


def scan_comment_done(*, office: Office, actor, comment: ScanComment, text: str | None) -> None:
    """Type in a handwritten comment (``text``) or skip it (None). The text joins the
    sheet's stored response; skipping leaves the response as it is. Refuses (ScanRefused)
    text longer than the question allows or a sheet not stored (yet)."""
    sheet = comment.sheet
    question = questions_of(sheet.version).get(comment.key, {})
    limit = question.get("max_length") or 2000
    cleaned = (text or "").strip()
    if text is not None and not cleaned:
        raise ScanRefused(_("Wpisz treść uwagi albo wybierz „Pomiń”."))
    if len(cleaned) > limit:
        raise ScanRefused(_("Uwaga może mieć najwyżej %(limit)d znaków.") % {"limit": limit})
    if text is not None and sheet.response_id is None:
        raise ScanRefused(
            _("Arkusz tej uwagi nie jest jeszcze zapisany — najpierw rozstrzygnij jego kratki.")
        )
    with transaction.atomic():
        current = ScanComment.objects.select_for_update().get(pk=comment.pk, office=office)
        if current.state != ScanComment.State.WAITING:
            raise ScanRefused(_("Ta uwaga została już przepisana lub pominięta."))
        before = None
        if text is not None:
            response = Response.objects.select_for_update().get(pk=sheet.response_id, office=office)
            before = response.answers.get(current.key)
            response.answers = {**response.answers, current.key: cleaned}
            response.save(update_fields=["answers"])
            rollups_invalidate(office=office, day=timezone.localdate(response.submitted_at))
        current.state = ScanComment.State.TYPED if text is not None else ScanComment.State.SKIPPED
        current.done_by = actor
        current.done_at = timezone.now()
        current.save(update_fields=["state", "done_by", "done_at"])
        audit_record(
            office=office,
            actor=actor,
            action="scans.comment_type" if text is not None else "scans.comment_skip",
            target=sheet,
            before={"key": current.key, "text": before},
            after={"key": current.key, "text": cleaned if text is not None else None},
        )


def scans_purge(*, now=None) -> int:
    """Delete scan images (uploaded files, pages, crops) ``SCANS_KEEP_HOURS`` after their
    sheet is stored, skipped or refused (a page or file that belongs to no sheet: after
    its upload was read), and every image after ``SCANS_MAX_DAYS`` whatever its state.
    Returns how many images were deleted. The rows stay: hashes and sheet numbers
    recognise a stack scanned again, and the import protocol keeps its figures."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.SCANS_KEEP_HOURS)
    oldest = now - timedelta(days=settings.SCANS_MAX_DAYS)
    deleted = 0
    expired = Q(scan_import__created_at__lte=oldest)
    sheets = ScanSheet.objects.filter(Q(done_at__lte=cutoff) | expired)
    for model in (ScanQuestion, ScanComment):
        for item in model.objects.filter(sheet__in=sheets).exclude(crop=""):
            storage.delete(item.crop)
            item.crop = ""
            item.save(update_fields=["crop"])
            deleted += 1
    finished = Q(scan_file__scan_import__finished_at__lte=cutoff)
    pages = ScanPage.objects.exclude(image="").filter(
        Q(sheet__in=sheets)
        | (Q(sheet=None) & finished)
        | Q(scan_file__scan_import__created_at__lte=oldest)
    )
    for page in pages:
        storage.delete(page.image)
        page.image = ""
        page.save(update_fields=["image"])
        deleted += 1
    for scan_file in ScanFile.objects.exclude(path="").filter(
        Q(scan_import__finished_at__lte=cutoff) | expired
    ):
        storage.delete(scan_file.path)
        scan_file.path = ""
        scan_file.save(update_fields=["path"])
        deleted += 1
    return deleted


def scan_import_enqueue(*, office: Office, actor, scan_import: ScanImport):
    """Queue the reading of an upload as a background job, once: the job's key names the
    office and the upload, so enqueueing again returns the same job. The worker is woken
    when the caller's transaction commits."""
    return job_enqueue(
        office=office,
        owner=actor,
        handler=scan_import_process,
        title=_("Odczyt skanów — wczytanie nr %(number)d") % {"number": scan_import.pk},
        params={"import_id": scan_import.pk},
        key=scan_import_job_key(scan_import),
    )
