"""Checking an office's logo before it is stored.

The logo appears on every resident page, in the printed form and in the banner, so it is
judged by its content, never by its name: PNG and JPEG must open and verify in Pillow;
SVG must be plain XML drawing with nothing that runs or fetches (no scripts, no event
handlers, no foreignObject, no links other than to ``#fragments``, no DTD or entities).
Anything else is refused with a message that says what to do instead.
"""

import re
import secrets
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import TreeBuilder

import defusedxml
import defusedxml.ElementTree as SafeET
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
MAX_SIDE = 2000
RASTER_FORMATS = {"PNG": "png", "JPEG": "jpg"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code or embed other documents; compared in lower case.
SVG_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "handler", "listener", "iframe", "embed", "object"}
)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class _SvgTreeBuilder(TreeBuilder):
    """Builds the tree and notes any processing instruction, before the root or inside it
    (e.g. ``<?xml-stylesheet href="…"?>``, which would fetch a style sheet)."""

    def __init__(self):
        super().__init__()
        self.saw_processing_instruction = False

    def pi(self, target, text=None):
        self.saw_processing_instruction = True
        return super().pi(target, text)


class LogoRejected(ValueError):
    """The file is not a logo we accept; ``message`` says why, in Polish."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedLogo:
    """A logo that passed the checks: its bytes and the extension its content deserves."""

    content: bytes
    extension: str  # "png", "jpg" or "svg"


def logo_check(upload) -> CheckedLogo:
    """Read an uploaded file and accept it as a logo, or raise LogoRejected."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LogoRejected(
            _(
                "Plik logo jest za duży. Największy dopuszczalny rozmiar to 1 MB — zmniejsz "
                "obraz albo zapisz go w innym formacie."
            )
        )
    if not data:
        raise LogoRejected(_("Plik logo jest pusty."))
    raster = _raster_format(data)
    if raster is not None:
        return CheckedLogo(content=data, extension=raster)
    if _looks_like_xml(data):
        _check_svg(data)
        return CheckedLogo(content=data, extension="svg")
    raise LogoRejected(
        _(
            "Logo musi być obrazem PNG, JPEG albo SVG. Ten plik nim nie jest (sprawdzamy "
            "zawartość pliku, nie jego nazwę)."
        )
    )


def logo_storage_name(*, office_slug: str, extension: str) -> str:
    """A fresh, unguessable name under logos/<office slug>/ — never the uploader's name."""
    return f"logos/{office_slug}/{secrets.token_hex(16)}.{extension}"


def _raster_format(data: bytes) -> str | None:
    """The extension (png, jpg) of a sound PNG or JPEG image; None if Pillow does not know it."""
    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except UnidentifiedImageError:
        return None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise LogoRejected(
            _("Plik logo jest uszkodzony i nie daje się otworzyć jako obraz.")
        ) from exc
    if image_format not in RASTER_FORMATS:
        raise LogoRejected(
            _("Logo musi być obrazem PNG, JPEG albo SVG; ten obraz ma format %(format)s.")
            % {"format": image_format}
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise LogoRejected(
            _(
                "Obraz logo ma %(width)s na %(height)s pikseli; największy dopuszczalny rozmiar "
                "to 2000 na 2000 pikseli."
            )
            % {"width": width, "height": height}
        )
    try:
        # verify() checks the structure; decoding the pixels catches a truncated file.
        with Image.open(BytesIO(data)) as image:
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise LogoRejected(
            _("Plik logo jest uszkodzony i nie daje się otworzyć jako obraz.")
        ) from exc
    return RASTER_FORMATS[image_format]


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _svg_refused() -> LogoRejected:
    return LogoRejected(
        _(
            "Plik SVG zawiera elementy, których nie akceptujemy (np. skrypty) — zapisz logo "
            "jako PNG."
        )
    )


def _check_svg(data: bytes) -> None:
    builder = _SvgTreeBuilder()
    parser = SafeET.XMLParser(
        target=builder,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        root = parser.close()
    except defusedxml.DefusedXmlException as exc:
        raise _svg_refused() from exc
    except SafeET.ParseError as exc:
        raise LogoRejected(
            _("Plik nie jest poprawnym obrazem SVG (błąd w zapisie XML) — zapisz logo jako PNG.")
        ) from exc
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise LogoRejected(
            _("Plik nie jest obrazem SVG: brakuje głównego elementu <svg> — zapisz logo jako PNG.")
        )
    if builder.saw_processing_instruction:
        raise _svg_refused()
    for element in root.iter():
        if _local_name(element.tag).lower() in SVG_FORBIDDEN_ELEMENTS:
            raise _svg_refused()
        if _local_name(element.tag) == "style" and _css_fetches(element.text or ""):
            raise _svg_refused()
        for name, value in element.attrib.items():
            local = _local_name(name).lower()
            if local.startswith("on"):
                raise _svg_refused()
            if local == "href" and not value.strip().startswith("#"):
                raise _svg_refused()
            if _css_fetches(value):
                raise _svg_refused()


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _css_fetches(text: str) -> bool:
    """Does this CSS (or attribute value) load anything other than a #fragment?"""
    if "@import" in text.lower():
        return True
    return any(not target.startswith("#") for target in _CSS_URL.findall(text))
