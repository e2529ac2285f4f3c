"""SVG drawing primitives for the report's charts (charts.py): escaped text, coordinates,
the chart frame with its title and description, and the scales."""

import base64
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape as _xml_escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

WIDTH = 720
SCREEN_FONT = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Geneva, sans-serif"
PDF_FONT = "'OU DejaVu Sans'"
TEXT = "#1b1b1b"
GRID = "#8a939c"  # 3.1:1 against white: the axis and its ticks are readable marks too
LIGHT_GRID = "#d0d7de"  # decorative guides only
MAIN = "#0b3d75"
SECOND = "#b54a00"
# Answer values 1..5: red to blue, each >= 4.5:1 against white, each with its own pattern.
VALUE_COLOURS = {
    "1": "#a4161a",
    "2": "#b54a00",
    "3": "#5c6670",
    "4": "#2b6cb0",
    "5": "#0b3d75",
}
RATING_VALUES = tuple(VALUE_COLOURS)
CHAR_WIDTH = 0.58  # of the font size: a generous average for DejaVu Sans


def esc(text) -> str:
    return _xml_escape(str(text), {'"': "&quot;"})


def num(value: float) -> str:
    """Coordinates with at most one decimal, without a trailing ".0"."""
    formatted = f"{value:.1f}"
    return formatted[:-2] if formatted.endswith(".0") else formatted


def wrap(text: str, *, size: float, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` at font ``size`` (estimated, never cut)."""
    limit = max(8, int(width / (size * CHAR_WIDTH)))
    lines, line = [], ""
    for word in text.split(" "):  # not at no-break spaces
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= limit or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines or [""]


def text(x, y, content, *, size=13, anchor="start", weight=None, fill=TEXT) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{esc(content)}</text>'
    )


def text_lines(x, y, lines, *, size=13, weight=None, polish=0) -> str:
    """Lines stacked downwards from baseline ``y``. The first ``polish`` characters of
    the text (the lines joined by spaces) are an office's Polish text: marked
    ``lang="pl"`` on a chart drawn in another language (the English panel)."""
    mark = polish and (get_language() or "pl") != "pl"
    spans, start = [], 0
    for i, line in enumerate(lines):
        content = esc(line)
        if mark and start < polish:
            cut = min(len(line), polish - start)
            content = f'<tspan lang="pl">{esc(line[:cut])}</tspan>{esc(line[cut:])}'
        spans.append(
            f'<tspan x="{num(x)}" dy="{0 if i == 0 else num(size * 1.25)}">{content}</tspan>'
        )
        start += len(line) + 1
    spans = "".join(spans)
    extra = f' font-weight="{weight}"' if weight else ""
    return f'<text x="{num(x)}" y="{num(y)}" font-size="{size}" fill="{TEXT}"{extra}>{spans}</text>'


@dataclass
class Svg:
    chart_id: str
    title: str
    description: str
    height: float
    body: list[str]
    defs: str = ""

    def render(self, *, font_family: str, image: bool = False) -> SafeString:
        """The chart as inline ``<svg role="img">``, or with ``image`` as an ``<img>`` of
        the same SVG (a data: URL) whose alternative text is the title and the
        description. The PDF takes the image: WeasyPrint draws it alike and tags it as a
        figure with that text, but does not compute the CSS of every node of the chart
        as part of the page (about a tenth of a year's PDF)."""
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        height = num(math.ceil(self.height))
        defs = f"<defs>{self.defs}</defs>" if self.defs else ""
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
            f'id="{esc(self.chart_id)}" aria-labelledby="{esc(title_id)} {esc(desc_id)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'font-family="{esc(font_family)}">'
            f'<title id="{esc(title_id)}">{esc(self.title)}</title>'
            f'<desc id="{esc(desc_id)}">{esc(self.description)}</desc>'
            f"{defs}{''.join(self.body)}</svg>"
        )
        if image:
            data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
            svg = (
                f'<img class="chart-svg" id="{esc(self.chart_id)}" '
                f'src="data:image/svg+xml;base64,{data}" '
                f'alt="{esc(self.title)}. {esc(self.description)}" '
                f'width="{WIDTH}" height="{height}">'
            )
        return mark_safe(svg)  # noqa: S308 - every text and attribute above is escaped


def scale_x(value: float, *, left: float, right: float, low: float, high: float) -> float:
    return left + (right - left) * (value - low) / (high - low)


def scale_y(value, *, top, bottom, low, high) -> float:
    return bottom - (bottom - top) * (value - low) / (high - low)


def zoomed_range(values: list[float]) -> tuple[float, float]:
    """A 1–5 sub-range, in half points, around ``values`` with half a point to spare."""
    if not values:
        return 1.0, 5.0
    low = max(1.0, math.floor(min(values) * 2) / 2 - 0.5)
    high = min(5.0, math.ceil(max(values) * 2) / 2 + 0.5)
    if high - low < 1:
        low, high = max(1.0, high - 1), min(5.0, low + 1)
    return low, high


def half_steps(low: float, high: float) -> list[float]:
    return [low + i * 0.5 for i in range(round((high - low) / 0.5) + 1)]
