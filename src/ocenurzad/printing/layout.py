"""Read where every answer box landed, from WeasyPrint's laid-out pages.

Positions are the outer edge of each box's drawn border, in millimetres from the top-left
corner of its page, rounded to 0.01 mm. A scanner (or a clerk's overlay) finds a mark by
looking inside these rectangles. The layout of one sheet (pdf.py adds ``version_code``,
``language`` and ``fingerprint``)::

    {"version_code": "SWINOUJSCIE-V1", "language": "pl", "fingerprint": "3f9a1c07be",
     "format": 1, "unit": "mm", "page_width_mm": 210.0, "page_height_mm": 297.0,
     "pages_per_sheet": 2,
     "qr": {"page": 0, "x_mm": 175.0, "y_mm": 11.0, "w_mm": 22.0, "h_mm": 22.0},
     "boxes": [{"key": "wizerunek_czystosc", "value": "na", "page": 0,
                "x_mm": 180.25, "y_mm": 201.4, "w_mm": 5.5, "h_mm": 5.5}, …]}

``page`` counts from 0 within the sheet; ``value`` is what the answer stores (1–5, "na",
an option's value, a department's id). The QR rectangle includes its quiet zone.
``fingerprint`` (pdf.layout_fingerprint) covers what besides the version moves boxes —
departments, header, language, WeasyPrint — and is printed in the sheet's QR code.
"""

LAYOUT_FORMAT = 1
CSS_PX_PER_INCH = 96
MM_PER_INCH = 25.4


def px_to_mm(value: float) -> float:
    return round(value * MM_PER_INCH / CSS_PX_PER_INCH, 2)


def layout_read(pages) -> dict:
    """The layout of one sheet from its laid-out pages: the QR code and every answer box.

    Answer boxes are the elements with ``data-box="answer"`` (their question in
    ``data-key``, their value in ``data-value``); the QR code is ``data-box="qr"``.
    """
    layout: dict = {
        "format": LAYOUT_FORMAT,
        "unit": "mm",
        "page_width_mm": px_to_mm(pages[0].width),
        "page_height_mm": px_to_mm(pages[0].height),
        "pages_per_sheet": len(pages),
        "qr": None,
        "boxes": [],
    }
    for page_index, page in enumerate(pages):
        seen: set[int] = set()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            # An element may produce nested (anonymous) boxes: the outermost one counts.
            if element is None or id(element) in seen or not element.get("data-box"):
                continue
            seen.add(id(element))
            rectangle = _rectangle(box, page_index)
            if element.get("data-box") == "qr":
                layout["qr"] = rectangle
            else:
                layout["boxes"].append(
                    {
                        "key": element.get("data-key"),
                        "value": element.get("data-value"),
                        **rectangle,
                    }
                )
    return layout


def _rectangle(box, page_index: int) -> dict:
    return {
        "page": page_index,
        "x_mm": px_to_mm(box.border_box_x()),
        "y_mm": px_to_mm(box.border_box_y()),
        "w_mm": px_to_mm(box.border_width()),
        "h_mm": px_to_mm(box.border_height()),
    }
