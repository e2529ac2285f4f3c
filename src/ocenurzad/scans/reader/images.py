"""Uploaded files as page images: multi-page PDF and TIFF, PNG, JPEG — and the refusals.

Every refusal is a ``ScanFileRefused`` with a Polish message a clerk can act on. Nothing
here trusts the file: the type is taken from its first bytes (not its name), a page may
have at most ``MAX_PIXELS`` pixels (an image bomb is refused before it is decoded) and a
file at most ``MAX_PAGES`` pages.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy
import pypdfium2
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError

MAX_PAGES = 1000
MAX_PIXELS = 40_000_000  # an A4 page at 600 dpi is 35 million
PDF_RENDER_DPI = 200  # scanned PDFs are drawn at this resolution: enough for 5.5 mm boxes
MIN_SIDE_PX = 600  # below ~75 dpi for A4 there is nothing to read


class ScanFileRefused(Exception):
    """The file cannot be read at all; ``str()`` is the Polish reason."""


@dataclass
class PageImage:
    index: int  # from 0 within the file
    pixels: numpy.ndarray  # 2-D uint8, grey
    dpi: float  # as scanned (estimated from the page size when the file does not say)
    # The file says the page is black and white (1 bit a pixel). A PDF page drawn at
    # another resolution than it was scanned at greys its edges, so the pixels alone would
    # no longer tell (reader.page.scan_bilevel). None: the file does not say.
    bilevel: bool | None = None


def file_kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF"):
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def page_count(data: bytes) -> int:
    """How many pages a file has, cheaply (0 when it cannot be told): for progress."""
    kind = file_kind(data[:16]) if data else None
    try:
        if kind == "pdf":
            document = pypdfium2.PdfDocument(data)
            try:
                return len(document)
            finally:
                document.close()
        if kind is not None:
            with Image.open(io.BytesIO(data)) as image:
                return getattr(image, "n_frames", 1)
    except Exception:
        return 0
    return 0


def pages_read(data: bytes, start: int = 0, stop: int | None = None) -> Iterator[PageImage]:
    """The pages of one file, in order (only those from ``start`` up to ``stop``, when
    given: one part of a stack read by one job). Raises ScanFileRefused for an empty,
    unknown, corrupt or oversized file (before yielding anything, where that can be
    known)."""
    if not data:
        raise ScanFileRefused(_("Plik jest pusty (0 bajtów)."))
    kind = file_kind(data[:16])
    if kind is None:
        raise ScanFileRefused(
            _(
                "To nie jest skan w obsługiwanym formacie. Wczytać można pliki PDF, TIFF, "
                "PNG i JPEG."
            )
        )
    if kind == "pdf":
        yield from _pdf_pages(data, start, stop)
    else:
        yield from _image_pages(data, start, stop)


def _pdf_pages(data: bytes, start: int, stop: int | None) -> Iterator[PageImage]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ScanFileRefused(
            _("Plik PDF jest uszkodzony albo zabezpieczony hasłem i nie da się go otworzyć.")
        ) from exc
    try:
        count = len(document)
        if count == 0:
            raise ScanFileRefused(_("Plik PDF nie ma żadnej strony."))
        if count > MAX_PAGES:
            raise ScanFileRefused(
                _("Plik ma %(count)d stron; naraz można wczytać najwyżej %(max)d.")
                % {"count": count, "max": MAX_PAGES}
            )
        for index in range(start, count if stop is None else min(stop, count)):
            page = document[index]
            try:
                width_pt, height_pt = page.get_size()
                scale = PDF_RENDER_DPI / 72
                if width_pt * height_pt * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (width_pt * height_pt)) ** 0.5
                images = _pdf_page_images(page)
                bilevel = _pdf_page_bilevel(images)
                pixels = _pdf_page_jpeg(page, images, scale)
                if pixels is None:
                    bitmap = page.render(scale=scale, grayscale=True)
                    pixels = numpy.array(bitmap.to_numpy(), copy=True)
            finally:
                page.close()
            if pixels.ndim == 3:
                pixels = pixels[:, :, 0]
            yield PageImage(index=index, pixels=pixels, dpi=scale * 72, bilevel=bilevel)
    except pypdfium2.PdfiumError as exc:
        raise ScanFileRefused(_("Strony pliku PDF nie da się odczytać (plik uszkodzony).")) from exc
    finally:
        document.close()


def _pdf_page_images(page) -> list | None:
    """The page's image objects (None when pdfium cannot list them)."""
    try:
        return list(page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except pypdfium2.PdfiumError:
        return None


def _pdf_page_bilevel(images: list | None) -> bool | None:
    """True when every image on the page has 1 bit a pixel (a copier's black-and-white
    scan); None otherwise (grey, colour, no image, or not told)."""
    if not images:
        return None
    try:
        depths = [image.get_metadata().bits_per_pixel for image in images]
    except pypdfium2.PdfiumError:
        return None
    return True if all(depth == 1 for depth in depths) else None


def _pdf_page_jpeg(page, images: list | None, scale: float) -> numpy.ndarray | None:
    """The page's pixels taken straight from its scan, when drawing the page would only
    copy them: the page is one JPEG (DCTDecode) image of 8 bits a pixel, upright, filling
    the page, scanned at the resolution the page is drawn at (within one pixel each way).
    Decoding the JPEG (libjpeg-turbo) costs a tenth of drawing the page (pdfium decodes it
    and resamples it to a size at most a pixel different, moving edges by a fraction of a
    pixel): the reader gets the scan's own pixels, as it does from a TIFF, PNG or JPEG
    file. Anything else — another resolution (resampled by drawing), 1-bit images,
    several objects, a turned page or image — is drawn as before (None here)."""
    try:
        if not images or len(images) != 1 or page.get_rotation():
            return None
        if sum(1 for _ in page.get_objects(max_depth=2)) != 1:
            return None  # text or drawing over the scan: draw the page
        image = images[0]
        if image.get_filters() != ["DCTDecode"]:
            return None
        meta = image.get_metadata()
        if meta.bits_per_pixel not in (8, 24):
            return None
        a, b, c, d, e, f = image.get_matrix().get()
        width_pt, height_pt = page.get_size()
        if b or c or e or f or abs(a - width_pt) > 0.5 or abs(d - height_pt) > 0.5:
            return None
        width, height = round(width_pt * scale), round(height_pt * scale)
        if abs(meta.width - width) > 1 or abs(meta.height - height) > 1:
            return None
        data = bytes(image.get_data(decode_simple=False))
    except (pypdfium2.PdfiumError, AttributeError, ValueError):
        return None
    pixels = cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    if pixels is None or abs(pixels.shape[1] - width) > 1 or abs(pixels.shape[0] - height) > 1:
        return None
    return pixels


def _image_pages(data: bytes, start: int, stop: int | None) -> Iterator[PageImage]:
    try:
        image = Image.open(io.BytesIO(data))
        # Refused before any pixel is decoded: the header says how big it is.
        if image.width * image.height > MAX_PIXELS:
            raise ScanFileRefused(
                _(
                    "Obraz jest za duży (%(width)d na %(height)d pikseli). Skanuj w "
                    "rozdzielczości najwyżej 600 dpi."
                )
                % {"width": image.width, "height": image.height}
            )
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_PAGES:
            raise ScanFileRefused(
                _("Plik ma %(count)d stron; naraz można wczytać najwyżej %(max)d.")
                % {"count": frames, "max": MAX_PAGES}
            )
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index < start:
                continue
            if stop is not None and index >= stop:
                break
            if frame.width * frame.height > MAX_PIXELS:
                raise ScanFileRefused(_("Strona %(page)d jest za duża.") % {"page": index + 1})
            bilevel = True if frame.mode == "1" else None
            grey = frame.convert("L")
            pixels = numpy.asarray(grey, dtype=numpy.uint8)
            dpi = _dpi(frame, pixels)
            yield PageImage(index=index, pixels=pixels, dpi=dpi, bilevel=bilevel)
    except Image.DecompressionBombError as exc:
        raise ScanFileRefused(_("Obraz jest za duży — nie został otwarty.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ScanFileRefused(_("Obrazu nie da się odczytać (plik uszkodzony).")) from exc


def _dpi(frame, pixels: numpy.ndarray) -> float:
    """The resolution the file states, else the one an A4 page of this size has."""
    stated = frame.info.get("dpi")
    if stated and stated[0] and 50 <= float(stated[0]) <= 1200:
        return float(stated[0])
    return max(pixels.shape) / (297 / 25.4)
