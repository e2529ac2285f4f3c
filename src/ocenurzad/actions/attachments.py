"""Checking an action's attachment (a protocol, a photo of a new sign) before it is
stored: judged by content, never by the file name, like the office's logo.

Accepted: PDF without active content (no JavaScript, launch actions or embedded files),
PNG and JPEG that open and verify in Pillow within a pixel limit (no decompression
bombs). At most 5 MB. Everything else is refused with a Polish message saying what to do.
"""

import re
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
_SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


class AttachmentRejected(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedAttachment:
    content: bytes
    extension: str  # "pdf", "png" or "jpg"
    name: str  # the uploaded file's name, tidied, for showing and downloading


def attachment_check(upload) -> CheckedAttachment:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise AttachmentRejected(
            _("Załącznik jest za duży. Największy dopuszczalny rozmiar to 5 MB.")
        )
    if not data:
        raise AttachmentRejected(_("Plik załącznika jest pusty."))
    name = _tidy_name(getattr(upload, "name", "") or "zalacznik")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return CheckedAttachment(content=data, extension="pdf", name=_with_ext(name, "pdf"))
    extension = _check_image(data)
    return CheckedAttachment(content=data, extension=extension, name=_with_ext(name, extension))


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise AttachmentRejected(
            _("Plik PDF jest niekompletny lub uszkodzony. Zapisz go ponownie i dodaj jeszcze raz.")
        )
    if _PDF_ACTIVE.search(data):
        raise AttachmentRejected(
            _(
                "Plik PDF zawiera elementy aktywne (skrypty, osadzone pliki lub formularze). "
                "Wydrukuj go do PDF („Drukuj do pliku”) i dodaj ten wydruk."
            )
        )


def _check_image(data: bytes) -> str:
    refused = AttachmentRejected(
        _("Załącznik musi być plikiem PDF, PNG albo JPEG. Ten plik nim nie jest.")
    )
    try:
        with Image.open(BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise AttachmentRejected(
                    _("Obraz jest zbyt duży (ponad 40 milionów punktów). Zmniejsz go.")
                )
            image.verify()
    except AttachmentRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    if kind == "PNG":
        return "png"
    if kind == "JPEG":
        return "jpg"
    raise refused


def _tidy_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base).strip(" .") or "zalacznik"
    return base[:150]


def _with_ext(name: str, extension: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"
