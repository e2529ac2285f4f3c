"""The page straightened onto its layout: registration marks found where they are, so that
every box is measured on its own inside and an empty box reads as empty paper."""

import io
import random

import cv2
import numpy
import pypdfium2
import pytest
from PIL import Image

from ocenurzad.scans.reader import synthetic
from ocenurzad.scans.reader.images import pages_read
from ocenurzad.scans.reader.page import (
    boxes_measure,
    code_find,
    marks_find,
    page_straighten,
    scan_bilevel,
)

from .conftest import DPI

# Turned, shrunk and shifted as a copier does, on a scan with 5 mm of margin all round
# (the page's size then makes it look 5% larger than A4).
HARM = synthetic.Harm(angle=2.3, scale=0.975, shift_mm=(-2.85, 0.47))


def _true_centres(page, layout, harm, pad_mm=5.0):
    """Where the harm put each mark's centre (what harm_apply does, computed)."""
    ppm = DPI / 25.4
    pad = round(pad_mm * ppm)
    height, width = page.shape[0] + 2 * pad, page.shape[1] + 2 * pad
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), harm.angle, harm.scale)
    matrix[:, 2] += numpy.array(harm.shift_mm) * ppm
    centres = [
        ((m["x_mm"] + m["w_mm"] / 2) * ppm + pad, (m["y_mm"] + m["h_mm"] / 2) * ppm + pad)
        for m in layout["marks"]
    ]
    return [matrix @ numpy.array([x, y, 1.0]) for x, y in centres]


@pytest.mark.parametrize("by_code", [True, False])
def test_marks_are_found_at_their_centres_on_a_turned_scaled_scan_with_margins(
    db, printed_form, by_code
):
    page = printed_form.numbered[101][0]
    scan = synthetic.harm_apply(page, HARM, dpi=DPI, rng=random.Random(1))
    code = code_find(scan, DPI)

    found = marks_find(code.upright, printed_form.layout, corners=code.corners if by_code else None)

    ppm = DPI / 25.4
    for centre, truth in zip(found, _true_centres(page, printed_form.layout, HARM), strict=True):
        assert centre is not None
        assert numpy.hypot(centre[0] - truth[0], centre[1] - truth[1]) < 0.15 * ppm


def test_empty_boxes_read_as_paper_in_every_corner_of_a_turned_scaled_scan(db, printed_form):
    layout = printed_form.layout
    for number, page in enumerate(printed_form.numbered[101]):
        scan = synthetic.harm_apply(page, HARM, dpi=DPI, rng=random.Random(1))
        code = code_find(scan, DPI)

        read = page_straighten(code.upright, layout, code=code)
        boxes = boxes_measure(read, [b for b in layout["boxes"] if b["page"] == number])

        assert max(b["fill"] for b in boxes) == 0.0  # no border pixel inside any box
        assert max(b["score"] for b in boxes) < 0.01


def _pdf(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


def test_a_black_and_white_pdf_is_known_as_such_though_drawn_at_another_resolution():
    # A copier's black-and-white scan at 300 dpi, drawn at 200 dpi for reading: the
    # drawing greys every edge, so only the file can say the scan was thresholded.
    page = numpy.full((3508, 2480), 255, numpy.uint8)
    for n in range(40):
        x, y = 100 + 53 * n, 200 + 80 * n
        page[y : y + 40, x : x + 7] = 0
        page[y : y + 6, x : x + 40] = 0
    black_and_white = Image.fromarray(page).convert("1", dither=Image.Dither.NONE)

    read_bw = next(pages_read(_pdf(black_and_white, 300)))
    read_grey = next(pages_read(_pdf(Image.fromarray(page), 300)))

    assert read_bw.bilevel is True
    assert not scan_bilevel(read_bw.pixels)  # what the pixels alone would say
    assert read_grey.bilevel is None  # not told by the file: judged by its pixels


def test_a_200_dpi_jpeg_pdf_page_is_decoded_not_drawn(monkeypatch):
    # A copier's grey scan at the reading resolution: its JPEG is the page, decoded
    # directly (drawing it would only resample it); at 300 dpi the page is drawn at 200.
    page = numpy.full((2339, 1654), 255, numpy.uint8)
    page[500:540, 400:440] = 0
    drawn = []
    original = pypdfium2.PdfPage.render

    def render(self, *args, **kwargs):
        drawn.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pypdfium2.PdfPage, "render", render)
    read = next(pages_read(_pdf(Image.fromarray(page), 200)))
    assert drawn == []
    assert read.pixels.shape == (2339, 1654)
    assert read.pixels[520, 420] < 40 and read.pixels[100, 100] > 215
    assert abs(read.dpi - 200) < 0.5

    read = next(pages_read(_pdf(Image.fromarray(page), 300)))  # 300 dpi: drawn at 200
    assert drawn == [1]
    assert abs(read.pixels.shape[0] - 1559) <= 1
