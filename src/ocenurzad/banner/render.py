"""One builder per format, all fed by the computed ``Banner`` (layout.py), plus the QR code."""

import io
from itertools import groupby

# Only building XML, never parsing: ElementTree escapes every text and attribute.
from xml.etree.ElementTree import Element, SubElement, tostring

import segno
from PIL import Image, ImageColor, ImageDraw

from .fonts import SVG_FONT_FAMILY, font_get
from .layout import Banner, Shape

SVG_NS = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUPERSAMPLE = 4  # shapes are drawn this much larger and scaled down, for smooth edges

# Print size for the QR code: 10 px modules and the standard 4-module quiet zone.
QR_SCALE = 10
QR_BORDER = 4
QR_ERROR = "m"


def banner_to_svg(banner: Banner) -> str:
    root = Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(banner.width),
            "height": str(banner.height),
            "viewBox": f"0 0 {banner.width} {banner.height}",
            "role": "img",
            "aria-label": banner.label,
            XML_LANG: banner.language,
        },
    )
    SubElement(root, "title").text = banner.label
    SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": banner.background})
    for shape in banner.shapes:
        SubElement(root, *_svg_shape(shape))
    texts = SubElement(root, "g", {"font-family": SVG_FONT_FAMILY, "text-anchor": "middle"})
    for line in banner.lines:
        # textLength pins each line to the width measured with DejaVu Sans, so a viewer
        # with another font still keeps the text inside the banner.
        attributes = {
            "x": _num(line.x),
            "y": _num(line.baseline),
            "font-size": str(line.size),
            "font-weight": "bold" if line.bold else "normal",
            "fill": line.colour,
            "textLength": _num(line.width),
            "lengthAdjust": "spacingAndGlyphs",
        }
        if line.language:
            attributes[XML_LANG] = line.language
        SubElement(texts, "text", attributes).text = line.text
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _svg_shape(shape: Shape) -> tuple[str, dict[str, str]]:
    if shape.points:
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in shape.points)
        return "polygon", {"points": points, "fill": shape.colour}
    attributes = {
        "x": _num(shape.x),
        "y": _num(shape.y),
        "width": _num(shape.width),
        "height": _num(shape.height),
        "fill": shape.colour,
    }
    if shape.radius:
        attributes["rx"] = _num(shape.radius)
    return "rect", attributes


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def banner_to_png(banner: Banner) -> bytes:
    image = Image.new("RGB", (banner.width, banner.height), banner.background)
    for colour, shapes in groupby(banner.shapes, key=lambda shape: shape.colour):
        mask = _shape_mask(list(shapes), banner.width, banner.height)
        image.paste(ImageColor.getrgb(colour), (0, 0, banner.width, banner.height), mask)
    draw = ImageDraw.Draw(image)
    for line in banner.lines:
        draw.text(
            (line.x, line.baseline),
            line.text,
            font=font_get(bold=line.bold, size=line.size),
            fill=line.colour,
            anchor="ms",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _shape_mask(shapes: list[Shape], width: int, height: int) -> Image.Image:
    s = SUPERSAMPLE
    mask = Image.new("L", (width * s, height * s), 0)
    draw = ImageDraw.Draw(mask)
    for shape in shapes:
        if shape.points:
            draw.polygon([(x * s, y * s) for x, y in shape.points], fill=255)
        else:
            box = (
                shape.x * s,
                shape.y * s,
                (shape.x + shape.width) * s,
                (shape.y + shape.height) * s,
            )
            draw.rounded_rectangle(box, radius=shape.radius * s, fill=255)
    return mask.resize((width, height), Image.Resampling.LANCZOS)


def qr_code(*, url: str) -> segno.QRCode:
    """A full QR code (never a Micro QR, which many phone readers ignore) for ``url``."""
    return segno.make_qr(url, error=QR_ERROR)


def qr_pixel_size(*, url: str) -> int:
    """Width (= height) of the QR images in px, quiet zone included."""
    return qr_code(url=url).symbol_size(scale=QR_SCALE, border=QR_BORDER)[0]


def qr_to_png(*, url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url=url).save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def qr_to_svg(*, url: str, label: str, language: str) -> str:
    """The QR code as a scalable SVG on a white ground, one square per module; ``label``
    (its title) is in ``language``."""
    qr = qr_code(url=url)
    size = qr.symbol_size(scale=1, border=QR_BORDER)[0]
    pixels = size * QR_SCALE
    root = Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(pixels),
            "height": str(pixels),
            "viewBox": f"0 0 {size} {size}",
            "shape-rendering": "crispEdges",
            "role": "img",
            "aria-label": label,
            XML_LANG: language,
        },
    )
    SubElement(root, "title").text = label
    SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    runs = []
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QR_BORDER},{y + QR_BORDER}h{x - start}v1h{start - x}z")
            else:
                x += 1
    SubElement(root, "path", {"d": "".join(runs), "fill": "#000000"})
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"
