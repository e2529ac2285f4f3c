"""Reading one upload: files -> pages -> sheets -> answers, doubts and comments.

``scan_import_run`` is what the background job (or the command line) runs. It is safe to
run twice: a page already read is not read again, a sheet already stored is not stored
again, and a numbered sheet whose number the office already has is refused, not doubled.
"""

import hashlib
import logging

import cv2
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
from .sheets import page_question_assign, sheets_rejudge

logger = logging.getLogger(__name__)

IMAGE_QUALITY = 85  # straightened pages kept (for crops) as grey JPEG


def scan_import_run(*, import_id: int, progress=None) -> ScanImport:
    """Read every file of the upload, then judge every sheet. ``progress(done, total)`` is
    called once the pages are counted and after each page (the job's progress)."""
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


def _file_read(scan_import: ScanImport, scan_file: ScanFile, *, done: int, progress) -> int:
    office = scan_import.office
    if scan_file.state != ScanFile.State.WAITING:
        return done + scan_file.pages
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


def _page_read(scan_import: ScanImport, scan_file: ScanFile, image: PageImage) -> ScanPage:
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
    )


def page_attach(
    *, scan_import, page, read, layout, version, language, fingerprint, sheet_number, page_no
) -> ScanPage:
    """Measure a straightened page and put it into its sheet of this upload."""
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
        sheet = _sheet_for(
            scan_import,
            version=version,
            language=language,
            fingerprint=fingerprint,
            sheet_number=sheet_number,
            page_no=page_no,
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


def _sheet_for(scan_import, *, version, language, fingerprint, sheet_number, page_no) -> ScanSheet:
    """The sheet of this upload the page belongs to: by its number; an unnumbered page by
    the stack's order (a first page starts a sheet, a later page joins the last sheet of
    the same layout that lacks it)."""
    sheets = ScanSheet.objects.select_for_update().filter(
        scan_import=scan_import, version=version, language=language, fingerprint=fingerprint
    )
    if sheet_number is not None:
        sheet = sheets.filter(sheet_number=sheet_number).first()
    else:
        sheet = None
        if page_no > 0:
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
