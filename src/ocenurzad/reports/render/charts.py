"""Charts of a report, drawn on the server as inline SVG: no script, no inline styles.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (aria-labelledby), and the page puts a table with the same figures next to
it. Colours are presentation attributes (allowed by the CSP's ``style-src 'self'``);
each has at least 4.5:1 contrast against white, so the marks meet WCAG 1.4.11 and white
labels on them meet 1.4.3. Nothing relies on colour alone (1.4.1): the answer values
of a distribution differ by pattern as well, series differ by line and marker shape,
and every bar and point carries its figure as text.
"""

import math

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .formatting import (
    fmt_int,
    fmt_mean,
    fmt_month,
    fmt_month_name,
    fmt_n,
    fmt_number,
    fmt_share,
)
from .svg import (
    GRID,
    LIGHT_GRID,
    MAIN,
    PDF_FONT,
    RATING_VALUES,
    SCREEN_FONT,
    SECOND,
    TEXT,
    VALUE_COLOURS,
    WIDTH,
    Svg,
    esc,
    half_steps,
    num,
    scale_x,
    scale_y,
    text,
    text_lines,
    wrap,
    zoomed_range,
)


def _patterns(chart_id: str) -> str:
    """One fill per answer value: its colour plus white marks of its own shape."""
    marks = {
        "1": '<path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.2"/>',
        "2": '<path d="M-2 2L2 -2M0 8L8 0M6 10L10 6" stroke="#fff" stroke-width="1.4"/>',
        "3": '<circle cx="4" cy="4" r="1.4" fill="#fff"/>',
        "4": '<path d="M0 4H8" stroke="#fff" stroke-width="1.4"/>',
        "5": "",
    }
    return "".join(
        f'<pattern id="{chart_id}-v{value}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{VALUE_COLOURS[value]}"/>{marks[value]}</pattern>'
        for value in RATING_VALUES
    )


def _legend(chart_id: str, y: float) -> tuple[list[str], float]:
    parts = [text(0, y + 14, _("Ocena:"), weight="bold")]
    x = 70
    for value in RATING_VALUES:
        parts.append(
            f'<rect x="{x}" y="{num(y)}" width="28" height="18" fill="url(#{chart_id}-v{value})" '
            f'stroke="{TEXT}" stroke-width="0.6"/>'
        )
        parts.append(text(x + 34, y + 14, value))
        x += 64
    parts.append(text(x, y + 14, _("(1 – najniższa, 5 – najwyższa)")))
    return parts, y + 30


def distribution_chart(
    items: list[dict],
    *,
    chart_id: str,
    title: str,
    font_family: str = SCREEN_FONT,
    image: bool = False,
) -> SafeString:
    """One horizontal bar per item, split into the shares of answers 1..5 (of its n).

    "Nie dotyczy" answers are not part of n; each item's label states how many there were.
    """
    body, y = _legend(chart_id, 0)
    y += 6
    label_size, bar_height = 13, 24
    for item in items:
        label = _item_label(item)
        lines = wrap(label, size=label_size, width=WIDTH)
        polish = len(str(item.get("text") or item.get("key")))
        body.append(text_lines(0, y + label_size, lines, size=label_size, polish=polish))
        y += len(lines) * label_size * 1.25 + 6
        n = item.get("n") or 0
        distribution = item.get("distribution") or {}
        if not n:
            body.append(text(0, y + 16, _("brak ocen")))
        else:
            x = 0.0
            for value in RATING_VALUES:
                count = distribution.get(value) or 0
                width = WIDTH * count / n
                if width <= 0:
                    continue
                body.append(
                    f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" '
                    f'height="{bar_height}" fill="url(#{chart_id}-v{value})" '
                    f'stroke="#fff" stroke-width="1"/>'
                )
                share = fmt_share(count / n)
                label_width = len(share) * 7.5 + 12
                if width >= label_width + 4:
                    centre = x + width / 2
                    body.append(
                        f'<rect x="{num(centre - label_width / 2)}" y="{num(y + 4)}" '
                        f'width="{num(label_width)}" height="16" fill="{VALUE_COLOURS[value]}"/>'
                    )
                    body.append(
                        text(centre, y + 16.5, share, size=12, anchor="middle", fill="#fff")
                    )
                x += width
        y += bar_height + 14
    description = _(
        "Rozkład odpowiedzi 1–5 dla każdego pytania, jako odsetek ocen danego pytania; "
        "wartości różnią się kolorem i deseniem. Te same liczby zawiera tabela pod wykresem."
    )
    return Svg(chart_id, title, description, y, body, _patterns(chart_id)).render(
        font_family=font_family, image=image
    )


def _item_label(item: dict) -> str:
    parts = [fmt_n(item.get("n"))]
    if item.get("na"):
        parts.append(_("nie dotyczy: %(count)s") % {"count": fmt_int(item["na"])})
    return f"{item.get('text') or item.get('key')} ({'; '.join(parts)})"


def means_chart(
    rows: list[dict],
    *,
    chart_id: str,
    title: str,
    min_cell: int = 5,
    font_family: str = SCREEN_FONT,
    image: bool = False,
) -> SafeString:
    """Horizontal bars of means on the 1–5 scale, each labelled with its mean and n.

    ``rows``: ``{"label", "mean", "n", "suppressed"?}``. A suppressed row shows a note
    instead of a bar; so does a row without a mean.
    """
    left, right = 0.0, WIDTH - 170.0
    body = []
    y = 4.0
    body.extend(_mean_axis(y, left=left, right=right))
    y += 24
    axis_top = y
    bar_height = 20
    for row in rows:
        label = str(row.get("label") or "")
        lines = wrap(label, size=13, width=WIDTH)
        # a department, area or answer: the computed report's Polish
        body.append(text_lines(0, y + 13, lines, size=13, polish=len(label)))
        y += len(lines) * 13 * 1.25 + 5
        if row.get("suppressed"):
            note = _("ukryte – mniej niż %(n)s odpowiedzi") % {"n": min_cell}
            body.append(text(0, y + 15, note))
        elif row.get("mean") is None:
            body.append(text(0, y + 15, _("brak ocen")))
        else:
            end = scale_x(row["mean"], left=left, right=right, low=1, high=5)
            width = max(end - left, 2)
            body.append(
                f'<rect x="{num(left)}" y="{num(y)}" width="{num(width)}" '
                f'height="{bar_height}" fill="{MAIN}"/>'
            )
            label = f"{fmt_mean(row['mean'])} ({fmt_n(row.get('n'))})"
            body.append(text(left + width + 6, y + 15, label, weight="bold"))
        y += bar_height + 12
    # Vertical guides under the bars, drawn last so they are drawn over nothing important.
    guides = [
        f'<line x1="{num(x)}" y1="{num(axis_top)}" x2="{num(x)}" y2="{num(y - 8)}" '
        f'stroke="{LIGHT_GRID}" stroke-width="1" stroke-dasharray="3 3"/>'
        for x in (scale_x(v, left=left, right=right, low=1, high=5) for v in (2, 3, 4))
    ]
    shown = [r for r in rows if not r.get("suppressed") and r.get("mean") is not None]
    description = _describe_extremes(shown) + " " + _("Te same liczby zawiera tabela pod wykresem.")
    return Svg(chart_id, title, description, y, guides + body).render(
        font_family=font_family, image=image
    )


def _mean_axis(y: float, *, left: float, right: float) -> list[str]:
    parts = [
        f'<line x1="{num(left)}" y1="{num(y + 20)}" x2="{num(right)}" y2="{num(y + 20)}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    ]
    for value in range(1, 6):
        x = scale_x(value, left=left, right=right, low=1, high=5)
        anchor = "start" if value == 1 else "end" if value == 5 else "middle"
        parts.append(text(x, y + 12, str(value), size=12, anchor=anchor))
        parts.append(
            f'<line x1="{num(x)}" y1="{num(y + 15)}" x2="{num(x)}" y2="{num(y + 20)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    parts.append(text(right + 8, y + 12, _("średnia (1–5)"), size=12))
    return parts


def _describe_extremes(rows: list[dict]) -> str:
    if not rows:
        return _("Wykres średnich ocen w skali 1–5; brak danych do pokazania.")
    best = max(rows, key=lambda r: r["mean"])
    worst = min(rows, key=lambda r: r["mean"])
    return _(
        "Wykres słupkowy średnich ocen w skali 1–5. Najwyższa średnia: %(best)s "
        "(%(best_mean)s), najniższa: %(worst)s (%(worst_mean)s)."
    ) % {
        "best": best["label"],
        "best_mean": fmt_mean(best["mean"]),
        "worst": worst["label"],
        "worst_mean": fmt_mean(worst["mean"]),
    }


def trend_chart(
    trend: list[dict],
    *,
    chart_id: str,
    title: str,
    font_family: str = SCREEN_FONT,
    image: bool = False,
) -> SafeString:
    """A line per month: the mean of all ratings (solid, round markers, labelled) and the
    overall-satisfaction mean (dashed, square markers) when there is one."""
    has_second = any(m.get("satisfaction_mean") is not None for m in trend)
    values = [m["mean"] for m in trend if m.get("mean") is not None]
    values += [m["satisfaction_mean"] for m in trend if m.get("satisfaction_mean") is not None]
    low, high = zoomed_range(values)
    left, right, top = 44.0, WIDTH - 16.0, 40.0
    bottom = top + 240
    body = _trend_legend(has_second)
    ticks = [low + i * 0.5 for i in range(round((high - low) / 0.5) + 1)]
    for tick in ticks:
        y = scale_y(tick, top=top, bottom=bottom, low=low, high=high)
        body.append(
            f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
            f'stroke="{LIGHT_GRID}" stroke-width="1"/>'
        )
        body.append(text(left - 6, y + 4, fmt_number(tick, 1), size=12, anchor="end"))
    body.append(
        f'<line x1="{num(left)}" y1="{num(bottom)}" x2="{num(right)}" y2="{num(bottom)}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    count = len(trend)
    step = (right - left) / max(count, 1)
    xs = [left + step * (i + 0.5) for i in range(count)]
    label_every = max(1, math.ceil(46 / step))
    for i, (x, month) in enumerate(zip(xs, trend, strict=True)):
        if i % label_every == 0:
            body.append(
                text(
                    x,
                    bottom + 18,
                    fmt_month_name(month["month"], short=True),
                    size=12,
                    anchor="middle",
                )
            )
            if i == 0 or month["month"].endswith("-01"):
                body.append(text(x, bottom + 33, month["month"][:4], size=12, anchor="middle"))
    if has_second:
        body.extend(_series(trend, xs, "satisfaction_mean", top, bottom, low, high, second=True))
    body.extend(_series(trend, xs, "mean", top, bottom, low, high, second=False))
    if step >= 40:
        for x, month in zip(xs, trend, strict=True):
            if month.get("mean") is not None:
                y = scale_y(month["mean"], top=top, bottom=bottom, low=low, high=high)
                # Below the point when the other line runs above it, so that a label never
                # sits on the other line's markers.
                other = month.get("satisfaction_mean")
                below = other is not None and other >= month["mean"]
                body.append(
                    text(
                        x,
                        y + 20 if below else y - 10,
                        fmt_mean(month["mean"]),
                        size=11,
                        anchor="middle",
                        weight="bold",
                    )
                )
    shown = [m for m in trend if m.get("mean") is not None]
    if shown:
        description = _(
            "Wykres liniowy średniej ocen w kolejnych miesiącach (%(first)s: %(first_mean)s, "
            "%(last)s: %(last_mean)s); oś pionowa od %(low)s do %(high)s."
        ) % {
            "first": fmt_month(shown[0]["month"]),
            "first_mean": fmt_mean(shown[0]["mean"]),
            "last": fmt_month(shown[-1]["month"]),
            "last_mean": fmt_mean(shown[-1]["mean"]),
            "low": fmt_mean(low),
            "high": fmt_mean(high),
        }
    else:
        description = _("Wykres liniowy średniej ocen w kolejnych miesiącach; brak ocen.")
    description += " " + _("Te same liczby zawiera tabela pod wykresem.")
    return Svg(chart_id, title, description, bottom + 44, body).render(
        font_family=font_family, image=image
    )


def _trend_legend(has_second: bool) -> list[str]:
    parts = [
        f'<line x1="0" y1="12" x2="30" y2="12" stroke="{MAIN}" stroke-width="3"/>',
        f'<circle cx="15" cy="12" r="5" fill="{MAIN}"/>',
        text(38, 17, _("średnia wszystkich ocen")),
    ]
    if has_second:
        parts += [
            f'<line x1="260" y1="12" x2="290" y2="12" stroke="{SECOND}" stroke-width="2.5" '
            f'stroke-dasharray="6 4"/>',
            f'<rect x="270" y="7" width="10" height="10" fill="{SECOND}"/>',
            text(298, 17, _("ocena ogólna (pytanie o ogólną ocenę)")),
        ]
    return parts


def _series(trend, xs, field, top, bottom, low, high, *, second: bool) -> list[str]:
    colour = SECOND if second else MAIN
    dash = ' stroke-dasharray="6 4"' if second else ""
    width = 2.5 if second else 3
    parts, run = [], []
    points = []
    for x, month in zip(xs, trend, strict=True):
        value = month.get(field)
        if value is None:
            if len(run) > 1:
                parts.append(_polyline(run, colour, width, dash))
            run = []
            continue
        y = scale_y(value, top=top, bottom=bottom, low=low, high=high)
        run.append((x, y))
        points.append((x, y))
    if len(run) > 1:
        parts.append(_polyline(run, colour, width, dash))
    for x, y in points:
        if second:
            parts.append(
                f'<rect x="{num(x - 5)}" y="{num(y - 5)}" width="10" height="10" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<circle cx="{num(x)}" cy="{num(y)}" r="5" fill="{colour}" '
                f'stroke="#fff" stroke-width="1.5"/>'
            )
    return parts


def _polyline(points, colour, width, dash) -> str:
    coords = " ".join(f"{num(x)},{num(y)}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>'
    )


def importance_chart(
    points: list[dict],
    *,
    chart_id: str,
    title: str,
    font_family: str = SCREEN_FONT,
    image: bool = False,
) -> SafeString:
    """Areas as numbered points: satisfaction across, importance up.

    ``points``: ``{"number", "title", "importance_mean", "satisfaction_mean"}``; the
    numbers are those of the table beside the chart. Dashed lines at the averages split
    the plane; the top-left quarter (important, rated lower) is named on the chart.
    """
    shown = [
        p for p in points if p["importance_mean"] is not None and p["satisfaction_mean"] is not None
    ]
    x_low, x_high = zoomed_range([p["satisfaction_mean"] for p in shown])
    y_low, y_high = zoomed_range([p["importance_mean"] for p in shown])
    left, right, top, bottom = 56.0, WIDTH - 20.0, 20.0, 380.0
    body = []
    for tick in half_steps(x_low, x_high):
        x = scale_x(tick, left=left, right=right, low=x_low, high=x_high)
        body.append(
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}" '
            f'stroke="{LIGHT_GRID}" stroke-width="1"/>'
        )
        body.append(text(x, bottom + 18, fmt_number(tick, 1), size=12, anchor="middle"))
    for tick in half_steps(y_low, y_high):
        y = scale_y(tick, top=top, bottom=bottom, low=y_low, high=y_high)
        body.append(
            f'<line x1="{num(left)}" y1="{num(y)}" x2="{num(right)}" y2="{num(y)}" '
            f'stroke="{LIGHT_GRID}" stroke-width="1"/>'
        )
        body.append(text(left - 6, y + 4, fmt_number(tick, 1), size=12, anchor="end"))
    body.append(
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(right - left)}" '
        f'height="{num(bottom - top)}" fill="none" stroke="{GRID}" stroke-width="1"/>'
    )
    body.append(
        text((left + right) / 2, bottom + 38, _("satysfakcja (średnia ocen)"), anchor="middle")
    )
    body.append(
        f'<text x="14" y="{num((top + bottom) / 2)}" font-size="13" fill="{TEXT}" '
        f'text-anchor="middle" transform="rotate(-90 14 {num((top + bottom) / 2)})">'
        f"{esc(_('ważność (średnia)'))}</text>"
    )
    if shown:
        mean_x = sum(p["satisfaction_mean"] for p in shown) / len(shown)
        mean_y = sum(p["importance_mean"] for p in shown) / len(shown)
        cx = scale_x(mean_x, left=left, right=right, low=x_low, high=x_high)
        cy = scale_y(mean_y, top=top, bottom=bottom, low=y_low, high=y_high)
        body.append(
            f'<line x1="{num(cx)}" y1="{num(top)}" x2="{num(cx)}" y2="{num(bottom)}" '
            f'stroke="{GRID}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        body.append(
            f'<line x1="{num(left)}" y1="{num(cy)}" x2="{num(right)}" y2="{num(cy)}" '
            f'stroke="{GRID}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        body.append(
            text(left + 8, top + 18, _("ważne, oceniane niżej: priorytet"), size=12, weight="bold")
        )
    for point in shown:
        x = scale_x(point["satisfaction_mean"], left=left, right=right, low=x_low, high=x_high)
        y = scale_y(point["importance_mean"], top=top, bottom=bottom, low=y_low, high=y_high)
        body.append(
            f'<circle cx="{num(x)}" cy="{num(y)}" r="12" fill="{MAIN}" stroke="#fff" '
            f'stroke-width="1.5"/>'
        )
        body.append(
            text(
                x,
                y + 4.5,
                str(point["number"]),
                size=12,
                anchor="middle",
                fill="#fff",
                weight="bold",
            )
        )
    description = _(
        "Wykres punktowy: każdy obszar to punkt z numerem, satysfakcja na osi poziomej, "
        "ważność na osi pionowej. Numery, nazwy i wartości obszarów zawiera tabela pod wykresem."
    )
    return Svg(chart_id, title, description, bottom + 48, body).render(
        font_family=font_family, image=image
    )


__all__ = [
    "PDF_FONT",
    "SCREEN_FONT",
    "VALUE_COLOURS",
    "distribution_chart",
    "importance_chart",
    "means_chart",
    "trend_chart",
]
