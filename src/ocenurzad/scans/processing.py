"""Reading one upload: files -> pages -> sheets -> answers, doubts and comments.

``scan_import_run`` is what the background job (or the command line) runs. It is safe to
run twice: a page already read is not read again, a sheet already stored is not stored
again, and a numbered sheet whose number the office already has is refused, not doubled.

A large upload is read in parts (``SCANS_CHUNK_PAGES`` pages of one file each, whole
sheets: a part starts on a multiple of 4 pages), each by a job of its own (``chunk_read``),
so that every worker process — every core — reads one upload at once; a part judges and
stores its sheets whose pages are all read and all its own, and the upload's own job
then closes the files, puts the sheets in stack order and judges the rest (the join).
Pages are put into sheets under a lock on the upload's row, so two parts never make two
sheets of one number or read one page image twice; an unnumbered page joins only a sheet
begun in its own part (by stack order, as when read in one piece).
"""

import hashlib
import logging
from collections.abc import Callable

import cv2
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.jobs.services import JobLeaseLost
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.surveys.models import SurveyVersion

from . import storage
from .models import ScanFile, ScanImport, ScanPage, ScanSheet
from .reader.images import PageImage, ScanFileRefused, page_count, pages_read
from .reader.page import (
    PageUnreadable,
    boxes_measure,
    code_find,
    is_blank,
    page_straighten,
    text_ink,
)
from .sheets import page_question_assign, sheet_judge, sheets_rejudge

logger = logging.getLogger(__name__)

IMAGE_QUALITY = 85  # straightened pages kept (for crops) as grey JPEG


def chunk_pages() -> int:
    """Pages of one part of a large upload: whole sheets (at most 4 pages a sheet)."""
    size = int(getattr(settings, "SCANS_CHUNK_PAGES", 100))
    return max(4, size - size % 4)


def scan_import_run(
    *, import_id: int, progress=None, chunks_run: Callable[[list[dict]], None] | None = None
) -> ScanImport:
    """Read every file of the upload, then judge every sheet. ``progress(done, total)`` is
    called once the pages are counted and after each page (the job's progress).

    With ``chunks_run`` (the job's), an upload of more than one part is read in parts:
    ``chunks_run(parts)`` gets [{"file_id", "start", "stop"}, ...] and returns once every
    part is read (``chunk_read`` each, in any order, in any process); the join follows."""
    scan_import = ScanImport.objects.select_related("office", "created_by").get(pk=import_id)
    if scan_import.state == ScanImport.State.DONE:
        return scan_import
    scan_import.state = ScanImport.State.RUNNING
    scan_import.started_at = scan_import.started_at or timezone.now()
    scan_import.message = ""  # an earlier attempt's failure, tried again now
    scan_import.save(update_fields=["state", "started_at", "message"])
    try:
        files = list(scan_import.files.all())
        scan_import.pages_total = sum(
            page_count(storage.file_path(f.path).read_bytes()) for f in files if f.path
        )
        scan_import.save(update_fields=["pages_total"])
        done = 0
        if progress is not None:
            progress(0, scan_import.pages_total)
        parts = _parts(scan_import, files) if chunks_run is not None else []
        if len(parts) > 1:
            chunks_run(parts)
            _files_close(scan_import)
            _positions_renumber(scan_import)
        else:
            for scan_file in files:
                done = _file_read(scan_import, scan_file, done=done, progress=progress)
        sheets_rejudge(scan_import=scan_import, actor=scan_import.created_by)
    except JobLeaseLost:
        raise  # another worker has the upload now: it goes on from the last page read
    except Exception:
        logger.exception("Scan import %s failed", scan_import.pk)
        scan_import.state = ScanImport.State.FAILED
        scan_import.message = _(
            "Odczytywanie przerwał nieoczekiwany błąd. To, co odczytano, zostało zachowane; "
            "zgłoś problem administratorowi systemu."
        )
        scan_import.finished_at = timezone.now()
        scan_import.save(update_fields=["state", "message", "finished_at"])
        raise
    scan_import.state = ScanImport.State.DONE
    scan_import.finished_at = timezone.now()
    scan_import.save(update_fields=["state", "finished_at"])
    return scan_import


def _parts(scan_import: ScanImport, files: list[ScanFile]) -> list[dict]:
    """The upload's files cut into parts of whole sheets; a file the office already read
    (or sent twice in this upload) is marked as such here, before any part is read."""
    size = chunk_pages()
    parts, taken = [], set()
    for scan_file in files:
        if scan_file.state != ScanFile.State.WAITING:
            continue
        if scan_file.sha256 in taken:
            scan_file.state = ScanFile.State.DUPLICATE
            scan_file.message = _(
                "Ten sam plik wczytano już %(date)s (wczytanie nr %(number)d) — nie odczytano "
                "go drugi raz."
            ) % {
                "date": timezone.localtime(scan_import.created_at).strftime("%d.%m.%Y"),
                "number": scan_import.pk,
            }
            scan_file.save(update_fields=["state", "message"])
            continue
        if _file_duplicate(scan_import, scan_file):
            continue
        taken.add(scan_file.sha256)
        count = page_count(storage.file_path(scan_file.path).read_bytes()) if scan_file.path else 0
        if count <= size:
            parts.append({"file_id": scan_file.pk, "start": 0, "stop": count or None})
            continue
        for start in range(0, count, size):
            stop = min(start + size, count)
            parts.append({"file_id": scan_file.pk, "start": start, "stop": stop})
    return parts


def import_pages_done(scan_import: ScanImport) -> int:
    """Pages read so far (in any part) and pages of files not read (already read before):
    the upload's progress, whoever reads it; stored on the upload."""
    done = ScanPage.objects.filter(scan_file__scan_import=scan_import).count()
    done += sum(
        ScanFile.objects.filter(
            scan_import=scan_import, state=ScanFile.State.DUPLICATE
        ).values_list("pages", flat=True)
    )
    ScanImport.objects.filter(pk=scan_import.pk).update(pages_done=done)
    return done


def chunk_read(
    *, import_id: int, file_id: int, start: int, stop: int | None, progress=None
) -> None:
    """Read one part of an upload: pages ``start``..``stop`` of one file (safe to run
    again: pages already read are skipped). ``progress(done_in_part)`` after each page."""
    scan_import = ScanImport.objects.select_related("office", "created_by").get(pk=import_id)
    scan_file = ScanFile.objects.get(pk=file_id, scan_import=scan_import)
    if scan_file.state != ScanFile.State.WAITING or not scan_file.path:
        return
    data = storage.file_path(scan_file.path).read_bytes()
    seen = set(scan_file.page_set.values_list("index", flat=True))
    done = 0
    try:
        for page in pages_read(data, start, stop):
            if page.index not in seen:
                _page_read(scan_import, scan_file, page, part_start=start)
            done += 1
            if progress is not None:
                progress(done)
    except ScanFileRefused as exc:
        ScanFile.objects.filter(pk=scan_file.pk, state=ScanFile.State.WAITING).update(
            state=ScanFile.State.REFUSED, message=str(exc)
        )
    _part_sheets_judge(scan_import, scan_file, start, stop)


def _part_sheets_judge(scan_import: ScanImport, scan_file: ScanFile, start, stop) -> None:
    """Judge (and store) here the sheets whose pages are all read and all in this part,
    so that the parts share that work too: no other part touches such a sheet, and the
    join runs after every part (it judges the rest: a sheet across parts, or missing a
    page that may be one whose code a person must read). No lock is held while judging:
    storing goes through paper entry's own short transactions, as at the join."""
    pages = ScanPage.objects.filter(
        scan_file=scan_file, index__gte=start, state=ScanPage.State.READ, sheet__isnull=False
    )
    if stop is not None:
        pages = pages.filter(index__lt=stop)
    sheet_ids = sorted(set(pages.values_list("sheet_id", flat=True)))
    sheets = (
        ScanSheet.objects.filter(pk__in=sheet_ids, state=ScanSheet.State.WAITING, done_at=None)
        .select_related("office", "version", "scan_import")
        .order_by("pk")
    )
    for sheet in sheets:
        elsewhere = sheet.pages.exclude(scan_file=scan_file, index__gte=start)
        if stop is not None:
            elsewhere = sheet.pages.exclude(scan_file=scan_file, index__gte=start, index__lt=stop)
        if elsewhere.exists() or sheet.questions.exists():
            continue
        stored = print_layout_get(
            office=sheet.office,
            version=sheet.version,
            language=sheet.language,
            fingerprint=sheet.fingerprint,
        )
        read = sheet.pages.filter(state=ScanPage.State.READ).count()
        if stored is None or read < stored.layout["pages_per_sheet"]:
            continue
        sheet_judge(sheet=sheet, actor=scan_import.created_by)


def _files_close(scan_import: ScanImport) -> None:
    """After every part: a file no part refused is read, with its pages counted."""
    for scan_file in scan_import.files.all():
        indexes = scan_file.page_set.values_list("index", flat=True)
        scan_file.pages = max(indexes, default=-1) + 1
        if scan_file.state == ScanFile.State.WAITING:
            scan_file.state = ScanFile.State.READ
        scan_file.save(update_fields=["state", "pages"])


def _positions_renumber(scan_import: ScanImport) -> None:
    """Sheets numbered in stack order (file, then page), as when read in one piece: the
    parts made them in the order they happened to run."""
    first: dict[int, tuple] = {}
    rows = ScanPage.objects.filter(
        scan_file__scan_import=scan_import, sheet__isnull=False
    ).values_list("sheet_id", "scan_file__position", "scan_file_id", "index")
    for sheet_id, position, file_id, index in rows:
        key = (position, file_id, index)
        if sheet_id not in first or key < first[sheet_id]:
            first[sheet_id] = key
    sheets = list(scan_import.sheets.all())
    sheets.sort(key=lambda s: (first.get(s.pk, (float("inf"),)), s.position, s.pk))
    for number, sheet in enumerate(sheets, start=1):
        sheet.position = number
    ScanSheet.objects.bulk_update(sheets, ["position"], batch_size=500)


def _file_duplicate(scan_import: ScanImport, scan_file: ScanFile) -> bool:
    """Mark the file as already read when the office read the same file before."""
    office = scan_import.office
    earlier = (
        ScanFile.objects.filter(office=office, sha256=scan_file.sha256, state=ScanFile.State.READ)
        .exclude(pk=scan_file.pk)
        .select_related("scan_import")
        .first()
    )
    if earlier is not None:
        scan_file.state = ScanFile.State.DUPLICATE
        scan_file.message = _(
            "Ten sam plik wczytano już %(date)s (wczytanie nr %(number)d) — nie odczytano go "
            "drugi raz."
        ) % {
            "date": timezone.localtime(earlier.scan_import.created_at).strftime("%d.%m.%Y"),
            "number": earlier.scan_import.pk,
        }
        scan_file.save(update_fields=["state", "message"])
        return True
    return False


def _file_read(scan_import: ScanImport, scan_file: ScanFile, *, done: int, progress) -> int:
    if scan_file.state != ScanFile.State.WAITING:
        return done + scan_file.pages
    if _file_duplicate(scan_import, scan_file):
        return done
    data = storage.file_path(scan_file.path).read_bytes()
    seen = set(scan_file.page_set.values_list("index", flat=True))
    try:
        for page in pages_read(data):
            if page.index not in seen:
                _page_read(scan_import, scan_file, page)
            done += 1
            scan_file.pages = page.index + 1
            ScanImport.objects.filter(pk=scan_import.pk).update(pages_done=done)
            if progress is not None:
                progress(done, scan_import.pages_total)
    except ScanFileRefused as exc:
        scan_file.state = ScanFile.State.REFUSED
        scan_file.message = str(exc)
        scan_file.save(update_fields=["state", "message", "pages"])
        return done
    scan_file.state = ScanFile.State.READ
    scan_file.save(update_fields=["state", "pages"])
    return done


def _page_read(
    scan_import: ScanImport, scan_file: ScanFile, image: PageImage, *, part_start=None
) -> ScanPage:
    office = scan_import.office
    pixels = image.pixels
    digest = hashlib.sha256(f"{pixels.shape}".encode() + pixels.tobytes()).hexdigest()
    page = ScanPage(office=office, scan_file=scan_file, index=image.index, image_sha256=digest)
    if ScanPage.objects.filter(office=office, image_sha256=digest).exists():
        return _page_save(page, ScanPage.State.DUPLICATE, _("Ta sama strona była już wczytana."))
    if is_blank(pixels):
        return _page_save(page, ScanPage.State.BLANK, _("Pusta strona — pominięta."))
    code = code_find(pixels, image.dpi)
    if code.text is None:
        page.image = _jpeg_store(scan_import, code.upright)
        page = _page_save(
            page,
            ScanPage.State.UNREADABLE,
            _("Nie udało się odczytać kodu arkusza — przypisz stronę ręcznie w „Do sprawdzenia”."),
        )
        page_question_assign(page=page)
        return page
    page.code_text = code.text[:120]
    machine = code.code
    if machine is None:
        return _page_save(
            page,
            ScanPage.State.REFUSED,
            _(
                "Kod na stronie nie jest kodem arkusza tej wersji formularza (arkusze "
                "wydrukowane przed wersją 2 wprowadź ręcznie)."
            ),
        )
    if machine.office_slug != office.slug:
        return _page_save(
            page,
            ScanPage.State.REFUSED,
            _(
                "Ta strona pochodzi z arkusza innego urzędu — nie została zapisana. Oddaj "
                "arkusz urzędowi, który go wydał."
            ),
        )
    version = SurveyVersion.objects.filter(
        office=office, number=machine.version_number, status=SurveyVersion.Status.PUBLISHED
    ).first()
    stored = (
        print_layout_get(
            office=office,
            version=version,
            language=machine.language,
            fingerprint=machine.fingerprint,
        )
        if version is not None
        else None
    )
    if stored is None:
        return _page_save(
            page,
            ScanPage.State.REFUSED,
            _(
                "Nie znaleziono układu tego arkusza (%(code)s) — arkusz wydrukowano w innej "
                "instalacji albo z wersji, której tu nie ma. Wprowadź go ręcznie."
            )
            % {"code": machine.version_code},
        )
    layout = stored.layout
    if machine.page >= layout["pages_per_sheet"]:
        return _page_save(page, ScanPage.State.REFUSED, _("Nieznany numer strony arkusza."))
    try:
        read = page_straighten(code.upright, layout, code=code)
        if image.bilevel:
            read.bilevel = True  # the file says so (1 bit a pixel), whatever its drawing
    except PageUnreadable:
        return _page_save(
            page,
            ScanPage.State.REFUSED,
            _(
                "Nie znaleziono czarnych kwadratów w rogach strony — zeskanuj ją ponownie, "
                "cała kartka, bez obcinania brzegów."
            ),
        )
    return page_attach(
        scan_import=scan_import,
        page=page,
        read=read,
        layout=layout,
        version=version,
        language=machine.language,
        fingerprint=machine.fingerprint,
        sheet_number=machine.sheet_number,
        page_no=machine.page,
        part_start=part_start,
    )


def page_attach(
    *,
    scan_import,
    page,
    read,
    layout,
    version,
    language,
    fingerprint,
    sheet_number,
    page_no,
    part_start=None,
) -> ScanPage:
    """Measure a straightened page and put it into its sheet of this upload. Under a lock
    on the upload's row: parts of one upload read at once join their pages one at a time.
    ``part_start``: the page was read in a part of its file beginning there (an
    unnumbered page then joins only a sheet begun in that part)."""
    boxes = boxes_measure(read, [b for b in layout["boxes"] if b["page"] == page_no])
    texts = [
        [area["key"], round(text_ink(read, area), 5)]
        for area in layout.get("texts", [])
        if area["page"] == page_no
    ]
    page.measured = {
        "boxes": [[b["key"], b["value"], round(b["score"], 4), round(b["fill"], 4)] for b in boxes],
        "texts": texts,
        "bilevel": read.bilevel,
    }
    page.image = _jpeg_store(scan_import, read.image)
    with transaction.atomic():
        ScanImport.objects.select_for_update().filter(pk=scan_import.pk).values_list("pk").first()
        if page.image_sha256 and (
            ScanPage.objects.filter(office=page.office_id, image_sha256=page.image_sha256)
            .exclude(state=ScanPage.State.DUPLICATE)
            .exclude(pk=page.pk)  # a page assigned by hand is attached again
            .exists()
        ):
            # The same image read meanwhile by another part of this stack (or upload).
            storage.delete(page.image)
            page.image = ""
            return _page_save(
                page, ScanPage.State.DUPLICATE, _("Ta sama strona była już wczytana.")
            )
        sheet = _sheet_for(
            scan_import,
            version=version,
            language=language,
            fingerprint=fingerprint,
            sheet_number=sheet_number,
            page_no=page_no,
            page=page,
            part_start=part_start,
        )
        if sheet.pages.filter(page_no=page_no).exists():
            storage.delete(page.image)
            page.image = ""
            label = (
                _("arkusza nr %(number)d") % {"number": sheet_number}
                if sheet_number
                else _("arkusza bez numeru")
            )
            return _page_save(
                page,
                ScanPage.State.DUPLICATE,
                _("Strona %(page)d %(sheet)s jest w tym stosie drugi raz — pominięta.")
                % {"page": page_no + 1, "sheet": label},
            )
        page.sheet = sheet
        page.page_no = page_no
        return _page_save(page, ScanPage.State.READ, "")


def _sheet_for(
    scan_import,
    *,
    version,
    language,
    fingerprint,
    sheet_number,
    page_no,
    page=None,
    part_start=None,
) -> ScanSheet:
    """The sheet of this upload the page belongs to: by its number; an unnumbered page by
    the stack's order (a first page starts a sheet, a later page joins the last sheet of
    the same layout that lacks it — in a part, the last begun in that part before it)."""
    sheets = ScanSheet.objects.select_for_update().filter(
        scan_import=scan_import, version=version, language=language, fingerprint=fingerprint
    )
    if sheet_number is not None:
        sheet = sheets.filter(sheet_number=sheet_number).first()
    else:
        sheet = None
        if page_no > 0 and part_start is not None and page is not None:
            last = (
                sheets.filter(
                    sheet_number=None,
                    pages__scan_file=page.scan_file_id,
                    pages__index__gte=part_start,
                    pages__index__lt=page.index,
                )
                .order_by("-pages__index")
                .first()
            )
            if last is not None and not last.pages.filter(page_no=page_no).exists():
                sheet = last
        elif page_no > 0:
            last = sheets.filter(sheet_number=None).order_by("-position").first()
            if last is not None and not last.pages.filter(page_no=page_no).exists():
                sheet = last
    if sheet is None:
        position = ScanSheet.objects.filter(scan_import=scan_import).count() + 1
        sheet = ScanSheet.objects.create(
            office=scan_import.office,
            scan_import=scan_import,
            version=version,
            language=language,
            fingerprint=fingerprint,
            sheet_number=sheet_number,
            position=position,
        )
    return sheet


def _page_save(page: ScanPage, state: str, message: str) -> ScanPage:
    page.state = state
    page.message = message
    page.save()
    return page


def _jpeg_store(scan_import: ScanImport, pixels) -> str:
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, IMAGE_QUALITY])
    if not ok:
        raise ValueError("page image not encoded")
    return storage.bytes_write(
        office_id=scan_import.office_id,
        import_id=scan_import.pk,
        data=encoded.tobytes(),
        suffix=".jpg",
    )
