"""Filled-in sheets drawn onto the project's own rendered forms, with the truth kept: for
the tests and bench/omr.py. Marks in several hands, then a copier's or phone's harm."""

import random
from dataclasses import dataclass, field

import cv2
import numpy
import pypdfium2

STYLES = ("x", "tick", "filled", "scribble", "pencil", "correction")


@dataclass
class SheetTruth:
    answers: dict[str, list[str]] = field(default_factory=dict)  # key -> values marked
    comment: bool = False


def pdf_pages_grey(pdf: bytes, dpi: int) -> list[numpy.ndarray]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            array = numpy.array(bitmap.to_numpy(), copy=True)
            pages.append(array[:, :, 0] if array.ndim == 3 else array)
            page.close()
        return pages
    finally:
        document.close()


def questions_of(layout: dict) -> dict[str, list[dict]]:
    questions: dict[str, list[dict]] = {}
    for box in layout["boxes"]:
        questions.setdefault(box["key"], []).append(box)
    return questions


def answers_draw(
    pages: list[numpy.ndarray],
    layout: dict,
    *,
    dpi: int,
    rng: random.Random,
    style: str,
    multi_keys: frozenset[str] = frozenset(),
    answer_rate: float = 0.85,
    comment: bool = False,
) -> SheetTruth:
    """Mark answers on ``pages`` (in place) and return what was marked."""
    truth = SheetTruth()
    ppm = dpi / 25.4
    for key, boxes in questions_of(layout).items():
        if rng.random() > answer_rate:
            continue
        if key in multi_keys:
            chosen = rng.sample(boxes, rng.randint(1, min(2, len(boxes))))
        else:
            chosen = [rng.choice(boxes)]
        for box in chosen:
            page_style = style
            if style == "correction":
                others = [b for b in boxes if b not in chosen]
                if others and rng.random() < 0.5:
                    _fill(pages[others[0]["page"]], others[0], ppm, rng)
                page_style = "x"
            _draw_mark(pages[box["page"]], box, ppm, rng, page_style)
        truth.answers[key] = sorted(b["value"] for b in chosen)
    if comment and layout.get("texts"):
        area = layout["texts"][0]
        _scribble_text(pages[area["page"]], area, ppm, rng)
        truth.comment = True
    return truth


def _pt(box, ppm, fx, fy):
    return (
        int((box["x_mm"] + fx * box["w_mm"]) * ppm),
        int((box["y_mm"] + fy * box["h_mm"]) * ppm),
    )


def _draw_mark(page, box, ppm, rng, style):
    ink = rng.randint(10, 70)
    width = max(1, int(rng.uniform(0.35, 0.6) * ppm))
    jitter = lambda: rng.uniform(-0.08, 0.08)  # noqa: E731
    if style == "pencil":
        ink = rng.randint(105, 150)
        width = max(1, int(rng.uniform(0.25, 0.4) * ppm))
        style = "x"
    if style == "x":
        a, b = 0.15 + jitter(), 0.85 + jitter()
        cv2.line(page, _pt(box, ppm, a, a), _pt(box, ppm, b, b), ink, width, cv2.LINE_AA)
        cv2.line(page, _pt(box, ppm, a, b), _pt(box, ppm, b, a), ink, width, cv2.LINE_AA)
    elif style == "tick":
        points = [(0.2, 0.55), (0.45, 0.85), (0.9 + jitter(), 0.1 + jitter())]
        poly = numpy.array([_pt(box, ppm, x, y) for x, y in points], numpy.int32)
        cv2.polylines(page, [poly], False, ink, width, cv2.LINE_AA)
    elif style == "filled":
        _fill(page, box, ppm, rng)
    elif style == "scribble":
        points = [_pt(box, ppm, rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85)) for _ in range(7)]
        cv2.polylines(page, [numpy.array(points, numpy.int32)], False, ink, width, cv2.LINE_AA)


def _fill(page, box, ppm, rng):
    ink = rng.randint(10, 60)
    x0, y0 = _pt(box, ppm, 0.06, 0.06)
    x1, y1 = _pt(box, ppm, 0.94, 0.94)
    cv2.rectangle(page, (x0, y0), (x1, y1), ink, -1)


def _scribble_text(page, area, ppm, rng):
    x0, y0 = area["x_mm"] * ppm, area["y_mm"] * ppm
    words = rng.randint(5, 15)
    x, y = x0 + 3 * ppm, y0 + 4 * ppm
    for _ in range(words):
        length = rng.uniform(8, 25) * ppm
        points = [
            (int(x + t), int(y + rng.uniform(-1.5, 1.5) * ppm))
            for t in numpy.linspace(0, length, 12)
        ]
        cv2.polylines(page, [numpy.array(points, numpy.int32)], False, 30, 2, cv2.LINE_AA)
        x += length + 3 * ppm
        if x > x0 + area["w_mm"] * ppm - 30 * ppm:
            x, y = x0 + 3 * ppm, y + 7 * ppm


@dataclass
class Harm:
    angle: float = 0.0
    scale: float = 1.0
    shift_mm: tuple[float, float] = (0.0, 0.0)
    blur: bool = False
    noise: float = 0.0
    threshold: bool = False
    jpeg: int | None = None
    upside_down: bool = False

    @classmethod
    def random(cls, rng: random.Random) -> "Harm":
        return cls(
            angle=rng.uniform(-3, 3),
            scale=rng.uniform(0.97, 1.03),
            shift_mm=(rng.uniform(-3, 3), rng.uniform(-3, 3)),
            blur=rng.random() < 0.3,
            noise=rng.choice([0, 0, 4, 8]),
            threshold=rng.random() < 0.3,
            jpeg=rng.choice([None, None, 50, 70, 90]),
            upside_down=rng.random() < 0.1,
        )


def harm_apply(
    page: numpy.ndarray, harm: Harm, *, dpi: int, rng: random.Random, pad_mm: float = 5.0
) -> numpy.ndarray:
    """The page as a copier or phone returns it; the scan's frame ``pad_mm`` larger than
    the paper on each side (as a flatbed or a feeder without cropping gives it)."""
    ppm = dpi / 25.4
    pad = round(pad_mm * ppm)
    if pad:
        page = cv2.copyMakeBorder(page, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), harm.angle, harm.scale)
    matrix[0, 2] += harm.shift_mm[0] * ppm
    matrix[1, 2] += harm.shift_mm[1] * ppm
    out = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    if harm.blur:
        out = cv2.GaussianBlur(out, (3, 3), 0.8)
    if harm.noise:
        noise = numpy.random.default_rng(rng.randint(0, 2**31)).normal(0, harm.noise, out.shape)
        out = numpy.clip(out.astype(numpy.float32) + noise, 0, 255).astype(numpy.uint8)
    if harm.threshold:
        _t, out = cv2.threshold(out, 170, 255, cv2.THRESH_BINARY)
    if harm.jpeg:
        _ok, encoded = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, harm.jpeg])
        out = cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
    if harm.upside_down:
        out = cv2.rotate(out, cv2.ROTATE_180)
    return out
