"""Checking an office's logo before it is stored.

The logo appears on every resident page, in the printed form and in the banner, so it is
judged by its content, never by its name: PNG and JPEG must open and verify in Pillow.
An SVG is safe by construction: what is stored is not the uploaded file but a new SVG
rebuilt from an allow-list — drawing elements (shapes, paths, groups, gradients, text),
their geometry and presentation attributes, values of plain characters only (no
backslash, so no CSS escape; ``url()`` only to a ``#fragment``), no ``<style>``, no
animation (SMIL ``<animate>``/``<set>`` can rewrite an attribute into a link), nothing that
runs or fetches. Whatever is not on the list is left out. A file that plainly tries to run
or fetch something (scripts, event handlers, foreignObject, external links, DTD or
entities) is refused with a message that says what to do instead, so that an office
learns why rather than finding its logo changed.
"""

import re
import secrets
from dataclasses import dataclass
from io import BytesIO
from xml.etree.ElementTree import Element, ElementTree, SubElement, TreeBuilder, register_namespace

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
        root = _check_svg(data)
        return CheckedLogo(content=svg_rebuild(root), extension="svg")
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


def _check_svg(data: bytes):
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
    return root


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _css_fetches(text: str) -> bool:
    """Does this CSS (or attribute value) load anything other than a #fragment?"""
    if "@import" in text.lower():
        return True
    return any(not target.startswith("#") for target in _CSS_URL.findall(text))


# --- the allow-list an SVG logo is rebuilt from ---------------------------------------------

XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "symbol", "use",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan",
        "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    }
)  # fmt: skip
SVG_TEXT_ELEMENTS = frozenset({"title", "desc", "text", "tspan"})
SVG_ATTRIBUTES = frozenset(
    {
        "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
        "dx", "dy", "width", "height", "d", "points", "viewBox", "preserveAspectRatio",
        "transform", "offset", "gradientUnits", "gradientTransform", "spreadMethod",
        "clipPathUnits", "maskUnits", "maskContentUnits", "pathLength",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "stroke-opacity", "opacity", "clip-path", "clip-rule", "mask", "color",
        "stop-color", "stop-opacity", "visibility", "display",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor",
        "letter-spacing", "word-spacing", "dominant-baseline", "text-decoration",
    }
)  # fmt: skip
# Letters (any script: office names in font-family are Polish), digits, spaces and the
# punctuation of numbers, colours, transforms and font lists. No backslash (CSS escapes),
# no ; { } < > & @ : / (no second declaration, no scheme, no entity).
_SAFE_VALUE = re.compile(r"^[\w\s#%.,'\"()+\-]*$")
_URL = re.compile(r"url\(", re.IGNORECASE)
_FRAGMENT_URL = re.compile(r"^url\(\s*#[A-Za-z_][\w.\-]*\s*\)$")
_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.\-]*$")


def _safe_value(value: str) -> bool:
    value = value.strip()
    if not _SAFE_VALUE.match(value):
        return False
    if _URL.search(value):
        return bool(_FRAGMENT_URL.match(value))
    lowered = value.lower()
    return "expression" not in lowered and "javascript" not in lowered


def _style_declarations(style: str) -> dict[str, str]:
    """The allowed presentation properties of a ``style`` attribute, each value checked."""
    kept = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip()
        if colon and name in SVG_ATTRIBUTES and name != "id" and _safe_value(value):
            kept[name] = value.strip()
    return kept


def _rebuild_element(source, parent=None):
    """``source`` rebuilt under ``parent``; an element not on the list is left out, its
    children (e.g. the shapes inside a link ``<a>``) considered in its place."""
    local = _local_name(source.tag)
    allowed = source.tag.startswith(f"{{{SVG_NAMESPACE}}}") and local in SVG_ELEMENTS
    if not allowed:
        if parent is not None:
            for child in source:
                _rebuild_element(child, parent)
        return None
    tag = f"{{{SVG_NAMESPACE}}}{local}"
    element = Element(tag) if parent is None else SubElement(parent, tag)
    for name, value in source.attrib.items():
        if name in ("href", f"{{{XLINK_NAMESPACE}}}href"):
            if _FRAGMENT.match(value.strip()):
                element.set(f"{{{XLINK_NAMESPACE}}}href", value.strip())
        elif name == "style":
            for prop, prop_value in _style_declarations(value).items():
                element.set(prop, prop_value)
        elif name in SVG_ATTRIBUTES and _safe_value(value):
            element.set(name, value.strip())
    if local in SVG_TEXT_ELEMENTS and source.text:
        element.text = source.text
    for child in source:
        rebuilt = _rebuild_element(child, element)
        if rebuilt is not None and local in SVG_TEXT_ELEMENTS and child.tail:
            rebuilt.tail = child.tail
    return element


def svg_rebuild(root) -> bytes:
    """A new SVG document made only of what the allow-list keeps of ``root``."""
    register_namespace("", SVG_NAMESPACE)
    register_namespace("xlink", XLINK_NAMESPACE)
    rebuilt = _rebuild_element(root)
    if rebuilt is None or not any(
        _local_name(e.tag) not in ("svg", "title", "desc", "defs") for e in rebuilt.iter()
    ):
        raise LogoRejected(
            _(
                "Plik SVG nie zawiera rysunku, który umiemy bezpiecznie zapisać (np. same "
                "animacje albo osadzone obrazy) — zapisz logo jako PNG."
            )
        )
    out = BytesIO()
    ElementTree(rebuilt).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue()
