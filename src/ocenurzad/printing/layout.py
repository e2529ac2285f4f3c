"""Read where every answer box landed, from WeasyPrint's laid-out pages.

Positions are the outer edge of each box's drawn border, in millimetres from the top-left
corner of its page, rounded to 0.01 mm. A scanner (or a clerk's overlay) finds a mark by
looking inside these rectangles. The layout of one sheet (pdf.py adds ``version_code``,
``language``, ``fingerprint``, the registration ``marks`` and the machine ``code`` area,
the same on every page)::

    {"version_code": "SWINOUJSCIE-V1", "language": "pl", "fingerprint": "3f9a1c07be",
     "format": 2, "unit": "mm", "page_width_mm": 210.0, "page_height_mm": 297.0,
     "pages_per_sheet": 2,
     "qr": {"page": 0, "x_mm": 144.0, "y_mm": 14.0, "w_mm": 52.0, "h_mm": 19.0},
     "boxes": [{"key": "wizerunek_czystosc", "value": "na", "page": 0,
                "x_mm": 180.25, "y_mm": 201.4, "w_mm": 5.5, "h_mm": 5.5}, …],
     "texts": [{"key": "uwagi", "page": 1, "x_mm": 14.0, "y_mm": 120.3, …}],
     "marks": [{"x_mm": 7.0, "y_mm": 7.0, "w_mm": 5.0, "h_mm": 5.0}, …],
     "code": {"x_mm": 15.0, "y_mm": 277.0, "w_mm": 13.0, "h_mm": 13.0}}

``page`` counts from 0 within the sheet; ``value`` is what the answer stores (1–5, "na",
an option's value, a department's id). ``qr`` is the room of the labelled QR code to the
online survey (not read by the scanner). ``fingerprint`` (pdf.layout_fingerprint) covers
what besides the version moves boxes — departments, header, language, WeasyPrint — and
is printed in every page's machine code.
"""

LAYOUT_FORMAT = 2  # 2: form v2 (registration marks, a machine code on every page)
CSS_PX_PER_INCH = 96
MM_PER_INCH = 25.4


def px_to_mm(value: float) -> float:
    return round(value * MM_PER_INCH / CSS_PX_PER_INCH, 2)


def layout_read(pages) -> dict:
    """The layout of one sheet from its laid-out pages: the online QR code, every answer
    box and every free-text area.

    Answer boxes are the elements with ``data-box="answer"`` (their question in
    ``data-key``, their value in ``data-value``); the room for the QR code to the online
    survey is ``data-box="qr"``; the ruled lines of a free-text question are
    ``data-box="text"`` (a reader crops the handwriting there).
    """
    layout: dict = {
        "format": LAYOUT_FORMAT,
        "unit": "mm",
        "page_width_mm": px_to_mm(pages[0].width),
        "page_height_mm": px_to_mm(pages[0].height),
        "pages_per_sheet": len(pages),
        "qr": None,
        "boxes": [],
        "texts": [],
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
            kind = element.get("data-box")
            if kind == "qr":
                layout["qr"] = rectangle
            elif kind == "text":
                layout["texts"].append({"key": element.get("data-key"), **rectangle})
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
