"""One scanned page: its machine code, the way up, the registration marks, and how dark
every answer box is once the page lies exactly on its printed layout."""

from dataclasses import dataclass

import cv2
import numpy
import zxingcpp

from ocenurzad.printing.pdf import MachineCode, machine_code_read

PX_PER_MM = 8  # the straightened page: about 203 dpi, plenty for 5.5 mm boxes
A4_MM = (210.0, 297.0)
CODE_DPI = 150  # the code is looked for at about this resolution (modules ~3 px)
MARK_SEARCH_MM = 14.0  # how far from its printed place a mark is looked for
BILEVEL_INK, BILEVEL_PAPER = 60, 200  # grey levels between these are neither ink nor paper
BILEVEL_GREY_SHARE = 0.12  # grey pixels per dark one below which a scan is black and white
CODE_INSET_MM = 0.5  # the machine code's symbol lies this far inside its printed square
BOX_INSET_MM = 1.0  # a box is measured inside its border (0.45 mm) with room for error
INK_MIN_CONTRAST = 40  # grey levels between paper and the marks' black, at least


class PageUnreadable(Exception):
    """The page's code or marks cannot be found; ``str()`` says what (Polish, short)."""


@dataclass
class CodeRead:
    text: str | None  # the code's text, when one was found (machine code or not)
    code: MachineCode | None
    upright: numpy.ndarray  # the page turned the right way up (as far as the code says)
    turned: int  # degrees the page was turned (0, 90, 180, 270)
    corners: numpy.ndarray | None = None  # the symbol's corners on the upright page (px)


@dataclass
class PageRead:
    """A page straightened onto its layout, with what is needed to measure any rectangle:
    sums of grey levels and of dark pixels (integral images), the paper's and the
    printed marks' grey levels."""

    image: numpy.ndarray  # straightened grey page, PX_PER_MM
    marks_found: int
    paper: float = 255.0
    ink: float = 0.0
    sums: numpy.ndarray | None = None  # integral image of the grey levels
    dark: numpy.ndarray | None = None  # integral image of the dark pixels (0/1)
    mask: numpy.ndarray | None = None  # dark pixels (0/1)
    bilevel: bool = False  # scanned black-and-white (thresholded): see scan_bilevel

    @property
    def contrast(self) -> float:
        return max(self.paper - self.ink, INK_MIN_CONTRAST)

    def mean(self, x0: int, y0: int, x1: int, y1: int) -> float:
        area = max((x1 - x0) * (y1 - y0), 1)
        return _rect_sum(self.sums, x0, y0, x1, y1) / area

    def darkness(self, x0: int, y0: int, x1: int, y1: int) -> float:
        """0: paper, 1: as dark as the printed marks (mean over the rectangle)."""
        return (self.paper - self.mean(x0, y0, x1, y1)) / self.contrast

    def dark_share(self, x0: int, y0: int, x1: int, y1: int) -> float:
        area = max((x1 - x0) * (y1 - y0), 1)
        return _rect_sum(self.dark, x0, y0, x1, y1) / area


def _rect_sum(integral, x0, y0, x1, y1) -> float:
    return float(integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0])


def is_blank(pixels: numpy.ndarray) -> bool:
    """Nothing printed or written: a blank back side or separator sheet."""
    small = cv2.resize(pixels, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = float(numpy.percentile(small, 90))
    dark = small < paper - max(60.0, paper * 0.35)
    return float(dark.mean()) < 0.002


def code_find(pixels: numpy.ndarray, dpi: float) -> CodeRead:
    """Find the page's Data Matrix and turn the page the right way up by it.

    Looked for first where it is printed (bottom left) and where an upside-down page has
    it (top right), at about 150 dpi, then on the whole page and at full resolution.
    """
    scale = min(1.0, CODE_DPI / dpi) if dpi > 0 else 1.0
    height, width = pixels.shape
    corner_h, corner_w = int(height * 0.22), int(width * 0.35)
    regions = ((0, height - corner_h), (width - corner_w, 0))
    attempts = []
    for x0, y0 in regions:
        crop = pixels[y0 : y0 + corner_h, x0 : x0 + corner_w]
        attempts += [(image, factor, x0, y0) for image, factor in _variants(crop, scale, dpi)]
    attempts.append((pixels, 1.0, 0, 0))
    for image, factor, x0, y0 in attempts:
        found = _decode(image)
        if found is None:
            continue
        text, orientation, points = found
        turned = _turn_for(orientation)
        corners = numpy.float32(points) / factor + numpy.float32([x0, y0])
        return CodeRead(
            text=text,
            code=machine_code_read(text),
            upright=_turn(pixels, turned),
            turned=turned,
            corners=_turn_points(corners, turned, width, height),
        )
    return CodeRead(text=None, code=None, upright=pixels, turned=0)


def _turn_points(points: numpy.ndarray, degrees: int, width: int, height: int) -> numpy.ndarray:
    """Where points of a page lie once it is turned by ``degrees`` (as ``_turn`` does)."""
    x, y = points[:, 0], points[:, 1]
    if degrees == 90:  # counter-clockwise: (x, y) -> (y, width - 1 - x)
        return numpy.stack([y, width - 1 - x], axis=1)
    if degrees == 180:
        return numpy.stack([width - 1 - x, height - 1 - y], axis=1)
    if degrees == 270:
        return numpy.stack([height - 1 - y, x], axis=1)
    return points


def _variants(crop: numpy.ndarray, scale: float, dpi: float):
    """(image, its scale): the corner at ~150 dpi, as scanned, doubled when scanned
    coarsely (a blurred 150 dpi code reads better enlarged), and smoothed and cut to
    black and white (noise, JPEG blocks)."""
    if scale < 0.95:
        yield cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale
    yield crop, 1.0
    if dpi < 220:
        yield cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), 2.0
    smooth = cv2.GaussianBlur(crop, (0, 0), max(0.6, dpi / 300))
    factor = 1.0
    if scale < 0.95:
        smooth = cv2.resize(smooth, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        factor = scale
    _t, binary = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    yield binary, factor


def _decode(image: numpy.ndarray):
    image = numpy.ascontiguousarray(image)
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        results = zxingcpp.read_barcodes(
            image,
            formats=zxingcpp.BarcodeFormat.DataMatrix,
            try_rotate=True,
            try_downscale=True,
            binarizer=binarizer,
        )
        for result in results:
            if result.valid and result.text:
                position = result.position
                points = [
                    (p.x, p.y)
                    for p in (
                        position.top_left,
                        position.top_right,
                        position.bottom_right,
                        position.bottom_left,
                    )
                ]
                return result.text, result.orientation, points
    return None


def _turn_for(orientation: int) -> int:
    """Degrees (clockwise) that bring a code read at ``orientation`` upright."""
    return (round(orientation / 90) * 90) % 360


def _turn(pixels: numpy.ndarray, degrees: int) -> numpy.ndarray:
    if degrees == 0:
        return pixels
    rotation = {
        90: cv2.ROTATE_90_COUNTERCLOCKWISE,
        180: cv2.ROTATE_180,
        270: cv2.ROTATE_90_CLOCKWISE,
    }[degrees]
    return cv2.rotate(pixels, rotation)


def page_turned(pixels: numpy.ndarray, degrees: int) -> numpy.ndarray:
    return _turn(pixels, degrees)


def marks_find(
    pixels: numpy.ndarray, layout: dict, *, corners: numpy.ndarray | None = None
) -> list[tuple[float, float] | None]:
    """The centre (px) of each registration mark of ``layout`` on an upright page, or None
    for a mark not found (torn corner, a finger on the glass).

    Where to look comes from the machine code's corners when they are known (the code
    says where the page lies, how it is turned and scaled), else from the page's size
    (a scan with wide margins is then taken a few per cent too large). Each mark is found
    twice: roughly, nearest to where it should be, then again in a window centred on it,
    so that its centre is measured on the whole mark (a mark cut by the first window's
    edge had its centre off by up to a millimetre: boxes measured beside their place)."""
    to_px, ppm = _marks_guess(pixels.shape, layout, corners)
    size_px = layout["marks"][0]["w_mm"] * ppm
    found: list[tuple[float, float] | None] = []
    for mark in layout["marks"]:
        cx, cy = to_px(mark["x_mm"] + mark["w_mm"] / 2, mark["y_mm"] + mark["h_mm"] / 2)
        rough = _blob_near(pixels, cx, cy, MARK_SEARCH_MM * ppm, size_px, ppm, whole=False)
        if rough is not None:
            rough = _blob_near(pixels, *rough, 1.1 * size_px, size_px, ppm, whole=True)
        found.append(rough)
    return found


def _marks_guess(shape, layout: dict, corners: numpy.ndarray | None):
    """A function mm -> px of where the layout's points should lie, and px per mm."""
    height, width = shape
    code = layout.get("code")
    if corners is not None and code is not None and len(corners) == 4:
        # The symbol fills its printed square less a quiet zone of about 0.5 mm.
        x0, y0 = code["x_mm"] + CODE_INSET_MM, code["y_mm"] + CODE_INSET_MM
        x1 = code["x_mm"] + code["w_mm"] - CODE_INSET_MM
        y1 = code["y_mm"] + code["h_mm"] - CODE_INSET_MM
        printed = numpy.float32([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        matrix, _inliers = cv2.estimateAffinePartial2D(printed, numpy.float32(corners))
        if matrix is not None:
            ppm = float(numpy.hypot(matrix[0, 0], matrix[1, 0]))
            turned = abs(float(numpy.degrees(numpy.arctan2(matrix[1, 0], matrix[0, 0]))))
            if 2.0 <= ppm <= 30.0 and turned <= 10.0:

                def by_code(x_mm: float, y_mm: float) -> tuple[float, float]:
                    x, y = matrix @ numpy.array([x_mm, y_mm, 1.0])
                    return float(x), float(y)

                return by_code, ppm
    ppm = (width / A4_MM[0] + height / A4_MM[1]) / 2

    def by_size(x_mm: float, y_mm: float) -> tuple[float, float]:
        return x_mm * ppm, y_mm * ppm

    return by_size, ppm


def _blob_near(
    pixels: numpy.ndarray,
    cx: float,
    cy: float,
    radius: float,
    size_px: float,
    ppm: float,
    *,
    whole: bool,
) -> tuple[float, float] | None:
    """The centre of the mark-like blob nearest to (cx, cy) within ``radius``. With
    ``whole`` only a blob wholly inside the window counts; without it a blob cut by the
    window's edge is taken too (its centre is then only a first guess)."""
    height, width = pixels.shape
    x0, y0 = max(0, int(cx - radius)), max(0, int(cy - radius))
    x1, y1 = min(width, int(cx + radius) + 1), min(height, int(cy + radius) + 1)
    window = pixels[y0:y1, x0:x1]
    if window.size == 0:
        return None
    expected_area = size_px * size_px
    smooth = cv2.GaussianBlur(window, (0, 0), max(0.5, 0.15 * ppm))
    threshold, binary = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    if threshold > 200:  # an empty corner: Otsu split paper noise
        return None
    count, _labels, stats, centroids = cv2.connectedComponentsWithStats(binary, 8)
    best, best_distance = None, None
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        # Cut by the edge of the scan: its centre would be off.
        if x + x0 <= 0 or y + y0 <= 0 or x + x0 + w >= width or y + y0 + h >= height:
            continue
        cut = x <= 0 or y <= 0 or x + w >= window.shape[1] or y + h >= window.shape[0]
        if cut:
            if whole or not 0.2 * expected_area <= area <= 1.9 * expected_area:
                continue
        else:
            if not 0.45 * expected_area <= area <= 1.9 * expected_area:
                continue
            if not 0.6 <= w / max(h, 1) <= 1.6 or area < 0.7 * w * h:
                continue
        mx, my = centroids[label][0] + x0, centroids[label][1] + y0
        distance = (mx - cx) ** 2 + (my - cy) ** 2
        if best_distance is None or distance < best_distance:
            best, best_distance = (float(mx), float(my)), distance
    return best


def page_straighten(
    pixels: numpy.ndarray, layout: dict, *, code: CodeRead | None = None
) -> PageRead:
    """The upright page mapped onto its layout by its registration marks: a perspective
    transform from four, an affine one from three, turned, moved and scaled alike in both
    directions from two (corners cut off by the scan). Raises PageUnreadable with fewer."""
    centres = marks_find(pixels, layout, corners=code.corners if code is not None else None)
    pairs = [
        (found, ((m["x_mm"] + m["w_mm"] / 2) * PX_PER_MM, (m["y_mm"] + m["h_mm"] / 2) * PX_PER_MM))
        for found, m in zip(centres, layout["marks"], strict=True)
        if found is not None
    ]
    size = (round(A4_MM[0] * PX_PER_MM), round(A4_MM[1] * PX_PER_MM))
    source = numpy.float32([p[0] for p in pairs]).reshape(-1, 2)
    target = numpy.float32([p[1] for p in pairs]).reshape(-1, 2)
    if len(pairs) >= 2 and not _marks_agree(source, target):
        raise PageUnreadable("marks")
    if len(pairs) == 4:
        matrix = cv2.getPerspectiveTransform(source, target)
        straight = cv2.warpPerspective(
            pixels, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255
        )
    elif len(pairs) == 3:
        matrix = cv2.getAffineTransform(source, target)
        straight = cv2.warpAffine(pixels, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255)
    elif len(pairs) == 2:
        matrix, _inliers = cv2.estimateAffinePartial2D(source, target)
        if matrix is None:
            raise PageUnreadable("marks")
        straight = cv2.warpAffine(pixels, matrix, size, flags=cv2.INTER_LINEAR, borderValue=255)
    else:
        raise PageUnreadable("marks")
    read = _measured(straight, layout, marks_found=len(pairs))
    read.bilevel = scan_bilevel(pixels)
    return read


def scan_bilevel(pixels: numpy.ndarray) -> bool:
    """Whether the scan is black and white (thresholded by the copier), told from the
    scan as it came, before it is straightened (which greys every edge): the print's
    edges there have (nearly) no grey pixels, where a grey scan has one for every two or
    three dark ones (bench: at most 0.012 on black-and-white scans, JPEG 50 included,
    at least 0.36 on grey ones). On such a scan a faint pencil mark can vanish whole."""
    sample = numpy.ascontiguousarray(pixels[::2, ::2])
    histogram = cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel()
    dark = float(histogram[:BILEVEL_PAPER].sum())
    grey = float(histogram[BILEVEL_INK:BILEVEL_PAPER].sum())
    return dark > 0 and grey / dark < BILEVEL_GREY_SHARE


def _marks_agree(source: numpy.ndarray, target: numpy.ndarray) -> bool:
    """The marks found are where a page scaled by 85–115 % (and slightly turned) has them:
    not a blot mistaken for a mark."""
    distances_source = numpy.linalg.norm(source[:, None] - source[None, :], axis=2)
    distances_target = numpy.linalg.norm(target[:, None] - target[None, :], axis=2)
    mask = distances_target > 0
    ratios = distances_source[mask] / distances_target[mask]
    return bool(ratios.max() / ratios.min() < 1.05)


def _measured(straight: numpy.ndarray, layout: dict, *, marks_found: int) -> PageRead:
    ink = _marks_level(straight, layout)
    paper = float(numpy.percentile(straight[::4, ::4], 92))
    read = PageRead(image=straight, marks_found=marks_found, paper=paper, ink=ink)
    # Dark: nearer the marks' black than the paper's white.
    cut = paper - 0.45 * read.contrast
    _t, mask = cv2.threshold(straight, cut, 1, cv2.THRESH_BINARY_INV)
    read.mask = mask
    read.sums = cv2.integral(straight)
    read.dark = cv2.integral(mask)
    return read


def _marks_level(straight: numpy.ndarray, layout: dict) -> float:
    levels = []
    for mark in layout["marks"]:
        x0, y0 = _px(mark["x_mm"] + 1), _px(mark["y_mm"] + 1)
        x1, y1 = _px(mark["x_mm"] + mark["w_mm"] - 1), _px(mark["y_mm"] + mark["h_mm"] - 1)
        levels.append(float(numpy.median(straight[y0:y1, x0:x1])))
    return float(numpy.median(levels))


def _px(mm: float) -> int:
    return round(mm * PX_PER_MM)


def _inside(box: dict) -> tuple[int, int, int, int]:
    return (
        _px(box["x_mm"] + BOX_INSET_MM),
        _px(box["y_mm"] + BOX_INSET_MM),
        _px(box["x_mm"] + box["w_mm"] - BOX_INSET_MM),
        _px(box["y_mm"] + box["h_mm"] - BOX_INSET_MM),
    )


def boxes_measure(read: PageRead, boxes: list[dict]) -> list[dict]:
    """Each box with ``score``: the mean darkness inside its border (0 empty paper, 1 all
    ink) and ``fill``: the share of its inside that is dark (a filled box is nearly 1)."""
    measured = []
    for box in boxes:
        inside = _inside(box)
        measured.append({**box, "score": read.darkness(*inside), "fill": read.dark_share(*inside)})
    return measured


def border_score(read: PageRead, boxes: list[dict]) -> float:
    """How dark the layout's box borders are on this page (near 1: the page matches the
    layout; near 0: the layout is not this page's, or it lies the wrong way up)."""
    scores = []
    for box in boxes:
        x0, y0 = _px(box["x_mm"]), _px(box["y_mm"])
        x1, y1 = _px(box["x_mm"] + box["w_mm"]), _px(box["y_mm"] + box["h_mm"])
        outer = _rect_sum(read.dark, x0, y0, x1, y1)
        inner = _rect_sum(read.dark, x0 + 3, y0 + 3, x1 - 3, y1 - 3)
        ring_area = (x1 - x0) * (y1 - y0) - (x1 - x0 - 6) * (y1 - y0 - 6)
        scores.append((outer - inner) / max(ring_area, 1))
    return float(numpy.median(scores)) if scores else 0.0


def text_ink(read: PageRead, area: dict) -> float:
    """The share of a free-text area covered by handwriting (its printed ruled lines
    taken away)."""
    x0, y0 = _px(area["x_mm"]), _px(area["y_mm"] - 1)
    x1, y1 = _px(area["x_mm"] + area["w_mm"]), _px(area["y_mm"] + area["h_mm"] + 1)
    ink = read.mask[y0:y1, x0:x1]
    if ink.size == 0:
        return 0.0
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, numpy.ones((1, 12 * PX_PER_MM), numpy.uint8))
    lines = cv2.dilate(lines, numpy.ones((3, 1), numpy.uint8))
    writing = cv2.morphologyEx(ink & (1 - lines), cv2.MORPH_OPEN, numpy.ones((2, 2), numpy.uint8))
    return float(writing.mean())


def crop_png(read: PageRead, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> bytes:
    """A piece of the straightened page as PNG (what a person is shown)."""
    x0, y0 = max(0, _px(x_mm)), max(0, _px(y_mm))
    x1 = min(read.image.shape[1], _px(x_mm + w_mm))
    y1 = min(read.image.shape[0], _px(y_mm + h_mm))
    ok, encoded = cv2.imencode(".png", read.image[y0:y1, x0:x1])
    if not ok:
        raise ValueError("crop not encoded")
    return encoded.tobytes()
