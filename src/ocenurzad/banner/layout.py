"""Where everything on a banner goes: one computed layout feeds both the SVG and the PNG.

Each size places three texts in fixed slots — "Oceń Urząd", the office's name and the call
to action on a pill — and an optional row of stars. A text takes the largest font size at
which it fits its slot, wrapping at spaces and hyphens; a name that does not fit even at
the smallest size is cut with an ellipsis rather than run off the image.
"""

import math
import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fonts import font_get

BRAND = "Oceń Urząd"  # the programme's name, as in the ordinances; never translated

# Contrast (WCAG 2.1): white on the navy is 11.1:1, navy on the yellow 7.5:1.
BACKGROUND = "#0b3d75"
TEXT = "#ffffff"
ACCENT = "#ffd166"
ACCENT_TEXT = BACKGROUND
TEXT_ON_BACKGROUND = ((TEXT, BACKGROUND), (ACCENT_TEXT, ACCENT))

LINE_HEIGHT = 1.2
ELLIPSIS = "…"


@dataclass(frozen=True)
class Slot:
    """A box on the banner that one text is fitted into, centred."""

    x: float
    y: float
    width: float
    height: float
    size: int  # preferred font size in px
    min_size: int
    max_lines: int


@dataclass(frozen=True)
class StarRow:
    cx: float
    cy: float
    radius: float
    count: int = 5


@dataclass(frozen=True)
class BannerSize:
    key: str
    label: Promise | str
    width: int
    height: int
    title: Slot
    name: Slot
    cta: Slot
    stars: StarRow | None = None
    divider: tuple[float, float, float, float] | None = None  # x, y, width, height

    @property
    def dimensions(self) -> str:
        return f"{self.width} \N{MULTIPLICATION SIGN} {self.height} px"


SIZES: dict[str, BannerSize] = {
    size.key: size
    for size in (
        BannerSize(
            key="prostokat",
            label=gettext_lazy("prostokąt"),
            width=300,
            height=100,
            title=Slot(10, 4, 280, 34, size=28, min_size=20, max_lines=1),
            name=Slot(10, 38, 280, 32, size=13, min_size=9, max_lines=2),
            cta=Slot(10, 72, 280, 24, size=12, min_size=10, max_lines=1),
        ),
        BannerSize(
            key="pionowy",
            label=gettext_lazy("pionowy"),
            width=160,
            height=600,
            stars=StarRow(cx=80, cy=52, radius=12),
            title=Slot(8, 80, 144, 100, size=38, min_size=22, max_lines=2),
            divider=(40, 196, 80, 3),
            name=Slot(8, 212, 144, 220, size=22, min_size=12, max_lines=8),
            cta=Slot(8, 446, 144, 124, size=19, min_size=12, max_lines=4),
        ),
        BannerSize(
            key="poziomy",
            label=gettext_lazy("poziomy"),
            width=728,
            height=90,
            title=Slot(12, 6, 244, 48, size=36, min_size=24, max_lines=1),
            stars=StarRow(cx=134, cy=68, radius=9),
            divider=(266, 14, 3, 62),
            name=Slot(278, 6, 262, 78, size=20, min_size=11, max_lines=3),
            cta=Slot(550, 10, 166, 70, size=16, min_size=11, max_lines=3),
        ),
        BannerSize(
            key="kwadrat",
            label=gettext_lazy("kwadrat"),
            width=250,
            height=250,
            stars=StarRow(cx=125, cy=30, radius=11),
            title=Slot(8, 48, 234, 44, size=34, min_size=22, max_lines=1),
            name=Slot(10, 96, 230, 84, size=18, min_size=10, max_lines=4),
            cta=Slot(14, 188, 222, 54, size=16, min_size=11, max_lines=2),
        ),
    )
}


@dataclass(frozen=True)
class Line:
    """One line of text; ``x`` is its centre and ``baseline`` its baseline, in px."""

    text: str
    x: float
    baseline: float
    size: int
    bold: bool
    colour: str
    width: float
    # Set where the line's language is not the banner's: the brand and the office's name
    # stay Polish on a banner in another language (xml:lang in the SVG, WCAG 3.1.2).
    language: str | None = None


@dataclass(frozen=True)
class Shape:
    """A filled rectangle (``radius`` rounds its corners) or, with ``points``, a polygon."""

    colour: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    radius: float = 0
    points: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Banner:
    width: int
    height: int
    background: str
    label: str  # what the image says, for <title>, aria-label and alt
    language: str
    shapes: tuple[Shape, ...]
    lines: tuple[Line, ...]


def banner_alt_text(*, office_name: str) -> str:
    return _("Oceń Urząd – wypełnij anonimową ankietę satysfakcji klientów: %(office)s") % {
        "office": _normalize(office_name)
    }


def banner_cta_text() -> str:
    return _("Wypełnij anonimową ankietę")


def banner_layout(*, size: BannerSize, office_name: str, language: str) -> Banner:
    """Lay out the banner of ``size`` for an office.

    Texts come in the active language; ``language`` is what the SVG declares (xml:lang).
    """
    shapes: list[Shape] = []
    lines: list[Line] = []
    if size.stars:
        shapes.extend(_stars(size.stars))
    if size.divider:
        x, y, width, height = size.divider
        shapes.append(Shape(ACCENT, x, y, width, height, radius=min(width, height) / 2))
    polish = None if language == "pl" else "pl"
    lines += _place(BRAND, size.title, bold=True, colour=TEXT, language=polish)
    lines += _place(_normalize(office_name), size.name, bold=False, colour=TEXT, language=polish)
    cta_lines, pill = _place_on_pill(banner_cta_text(), size.cta)
    shapes.append(pill)
    lines += cta_lines
    return Banner(
        width=size.width,
        height=size.height,
        background=BACKGROUND,
        label=banner_alt_text(office_name=office_name),
        language=language,
        shapes=tuple(shapes),
        lines=tuple(lines),
    )


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _place(
    text: str, slot: Slot, *, bold: bool, colour: str, language: str | None = None
) -> list[Line]:
    size, texts = _fit(text, slot, bold=bold)
    return _lines(texts, slot, size=size, bold=bold, colour=colour, language=language)


def _pill_padding(size: int) -> tuple[float, float]:
    return round(size * 0.8, 1), round(size * 0.3, 1)


def _place_on_pill(text: str, slot: Slot) -> tuple[list[Line], Shape]:
    """The call to action, dark on a yellow rounded box that hugs the text."""
    size, texts = _fit(text, slot, bold=True, padding=_pill_padding)
    pad_x, pad_y = _pill_padding(size)
    font = font_get(bold=True, size=size)
    width = max(font.getlength(t) for t in texts) + 2 * pad_x
    height = len(texts) * size * LINE_HEIGHT + 2 * pad_y
    pill = Shape(
        ACCENT,
        x=round(slot.x + (slot.width - width) / 2, 2),
        y=round(slot.y + (slot.height - height) / 2, 2),
        width=round(width, 2),
        height=round(height, 2),
        radius=round(min(height / 2, size * 0.9), 2),
    )
    return _lines(texts, slot, size=size, bold=True, colour=ACCENT_TEXT), pill


def _no_padding(size: int) -> tuple[float, float]:
    return 0, 0


def _fit(text: str, slot: Slot, *, bold: bool, padding=_no_padding) -> tuple[int, list[str]]:
    """The largest font size at which ``text`` fits the slot, and its lines."""

    def box(size: int) -> tuple[float, float]:
        pad_x, pad_y = padding(size)
        return slot.width - 2 * pad_x, slot.height - 2 * pad_y

    for size in range(slot.size, slot.min_size - 1, -1):
        fitted = _wrap_to_fit(text, *box(size), slot, size=size, bold=bold)
        if fitted is not None:
            return size, fitted
    size = slot.min_size
    return size, _truncate(text, *box(size), slot, size=size, bold=bold)


def _max_lines(height: float, slot: Slot, size: int) -> int:
    return max(1, min(slot.max_lines, int(height // (size * LINE_HEIGHT))))


def _wrap_to_fit(text, width, height, slot, *, size, bold) -> list[str] | None:
    font = font_get(bold=bold, size=size)
    for hyphens in (False, True):  # break a hyphenated word only when a whole one is too wide
        wrapped = _wrap_balanced(text, font, width, hyphens=hyphens)
        fits = all(font.getlength(line) <= width for line in wrapped)
        if fits and len(wrapped) <= _max_lines(height, slot, size):
            return wrapped
    return None


def _truncate(text, width, height, slot, *, size, bold) -> list[str]:
    font = font_get(bold=bold, size=size)
    wrapped = _wrap(text, font, width, hyphens=True)
    keep = _max_lines(height, slot, size)
    cut = len(wrapped) > keep
    wrapped = wrapped[:keep]
    result = []
    for index, line in enumerate(wrapped):
        last = index == len(wrapped) - 1
        if font.getlength(line) > width or (last and cut):
            line = _ellipsize(line, font, width, force=last and cut)
        result.append(line)
    return result


def _ellipsize(line: str, font, width: float, *, force: bool) -> str:
    if not force and font.getlength(line) <= width:
        return line
    while line and font.getlength(line.rstrip(" -") + ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip(" -") + ELLIPSIS


def _wrap_balanced(text: str, font, width: float, *, hyphens: bool) -> list[str]:
    """Greedy wrapping, then the narrowest width that keeps the same number of lines,
    so that a name breaks into lines of similar length rather than a long and a short."""
    lines = _wrap(text, font, width, hyphens=hyphens)
    if len(lines) < 2 or any(font.getlength(line) > width for line in lines):
        return lines
    low, high = 0.0, width
    for _step in range(12):
        middle = (low + high) / 2
        trial = _wrap(text, font, middle, hyphens=hyphens)
        if len(trial) <= len(lines) and all(font.getlength(t) <= middle for t in trial):
            high = middle
        else:
            low = middle
    return _wrap(text, font, high, hyphens=hyphens)


_HYPHEN_BREAK = re.compile(r"(?<=-)(?=[^\s-])")


def _pieces(text: str, *, hyphens: bool) -> list[tuple[str, str]]:
    """The text as (glue, piece) pairs that a line may break between.

    A one-letter word (w, i, z, o, a, u) stays with the next word, as Polish typesetting
    asks, and a hyphenated word (Kędzierzyn-Koźle) may break after its hyphen.
    """
    words: list[str] = []
    for word in text.split():
        if words and len(words[-1]) == 1 and words[-1].isalpha():
            words[-1] += "\u00a0" + word
        else:
            words.append(word)
    pieces = []
    for word in words:
        parts = _HYPHEN_BREAK.split(word) if hyphens else [word]
        pieces += [(" " if index == 0 else "", part) for index, part in enumerate(parts)]
    return pieces


def _wrap(text: str, font, width: float, *, hyphens: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for glue, piece in _pieces(text, hyphens=hyphens):
        candidate = current + glue + piece if current else piece
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    return [line.replace("\u00a0", " ") for line in lines]


def _lines(
    texts: list[str], slot: Slot, *, size: int, bold: bool, colour: str, language=None
) -> list[Line]:
    font = font_get(bold=bold, size=size)
    ascent, descent = font.getmetrics()
    line_height = size * LINE_HEIGHT
    top = slot.y + (slot.height - len(texts) * line_height) / 2
    centre = slot.x + slot.width / 2
    return [
        Line(
            text=text,
            x=round(centre, 2),
            baseline=round(
                top + index * line_height + (line_height - ascent - descent) / 2 + ascent, 2
            ),
            size=size,
            bold=bold,
            colour=colour,
            width=round(font.getlength(text), 2),
            language=language,
        )
        for index, text in enumerate(texts)
    ]


def _stars(row: StarRow) -> list[Shape]:
    step = row.radius * 2.3
    first = row.cx - step * (row.count - 1) / 2
    return [_star(first + i * step, row.cy, row.radius) for i in range(row.count)]


def _star(cx: float, cy: float, radius: float) -> Shape:
    inner = radius * 0.45
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((round(cx + r * math.cos(angle), 2), round(cy + r * math.sin(angle), 2)))
    return Shape(ACCENT, points=tuple(points))
