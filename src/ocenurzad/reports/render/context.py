"""The computed report (reports/FORMAT.md) turned into what the report template prints.

Everything a reader sees is decided here, once, for the screen and the PDF alike:
figures formatted in Polish, each with its n, suppressed cells as "—", changes in words
and arrows, charts drawn as SVG. The template only lays the result out.

The computed report's words are Polish: the office's texts (its name, departments, the
survey's areas, questions and answers) and the labels it computed. On a page in another
language (the English panel) each is marked ``lang="pl"`` here (``pl_name``, ``_html``);
the PDF, drawn in Polish, gets them as they are.
"""

from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocenurzad.core.templatetags.languages import pl_name

from ..extensions import extra_sections_context
from . import charts
from .comparison import change_verdict, comparison_context
from .formatting import (
    MISSING,
    channel_label,
    fmt_ci,
    fmt_date,
    fmt_datetime,
    fmt_diff,
    fmt_int,
    fmt_mean,
    fmt_month,
    fmt_n,
    fmt_period,
    fmt_share,
)
from .open_answers import open_answers_context

RATING_VALUES = ("1", "2", "3", "4", "5")
SECTION_IDS = {
    "summary": "raport-najwazniejsze",
    "cover": "raport-okladka",
    "toc": "raport-spis-tresci",
    "method": "raport-metoda",
    "structure": "raport-struktura",
    "overall": "raport-wynik-ogolny",
    "areas": "raport-obszary",
    "breakdowns": "raport-przekroje",
    "trend": "raport-trend",
    "comparison": "raport-porownanie",
    "importance": "raport-waznosc",
    "improvement": "raport-do-poprawy",
    "open_answers": "raport-odpowiedzi-otwarte",
    "questionnaire": "raport-kwestionariusz",
}
BREAKDOWNS = ("department", "client_type", "purpose", "channel")
# Sections that begin a new sheet of paper; the others follow the one before them, so
# that no page holds a short section alone (see "No padding" in docs/pl/raport.md).
PAGE_SECTIONS = {
    "summary",
    "method",
    "areas",
    "breakdowns",
    "comparison",
    "improvement",
    "open_answers",
    "questionnaire",
}
# On paper: hot spots of one department beyond this many are counted, not listed.
PRINT_CELLS_PER_DEPARTMENT = 6


@dataclass(frozen=True)
class Medium:
    """What differs between the page in the panel and the PDF."""

    print: bool
    font_family: str
    cover_heading: str  # the panel page has its own h1; the PDF's cover is its h1
    open_answers_limit: int | None


SCREEN = Medium(
    print=False, font_family=charts.SCREEN_FONT, cover_heading="h2", open_answers_limit=None
)


def section_titles() -> dict[str, str]:
    return {
        "summary": _("Najważniejsze wyniki"),
        "cover": _("Raport z badania satysfakcji klientów"),
        "toc": _("Spis treści"),
        "method": _("Metoda badania"),
        "structure": _("Struktura respondentów"),
        "overall": _("Wynik ogólny"),
        "areas": _("Wyniki według obszarów i pytań"),
        "breakdowns": _("Wyniki w przekrojach"),
        "trend": _("Trend miesięczny"),
        "comparison": _("Porównanie z poprzednim okresem"),
        "importance": _("Ważność a satysfakcja"),
        "improvement": _("Obszary do poprawy"),
        "open_answers": _("Odpowiedzi otwarte"),
        "questionnaire": _("Załącznik: kwestionariusz ankiety"),
    }


def breakdown_titles() -> dict[str, str]:
    return {
        "department": _("Według wydziału"),
        "client_type": _("Według rodzaju klienta"),
        "purpose": _("Według celu wizyty"),
        "channel": _("Według kanału"),
    }


def report_context(
    report: dict,
    *,
    medium: Medium = SCREEN,
    query: str | None = None,
    search_params: dict | None = None,
) -> dict:
    """What ``reports/report_body.html`` needs to print ``report`` on ``medium``."""
    params = report.get("params") or {}
    min_cell = params.get("min_cell") or 5
    titles = section_titles()
    chart = _ChartMaker(medium)
    responses = (report.get("method") or {}).get("responses") or 0
    areas = _areas(report.get("areas") or [], chart)
    breakdowns = _breakdowns(report, chart, min_cell)
    structure = [_options_table(q) for q in report.get("structure") or []]
    trend = _trend(report.get("trend") or [], chart)
    comparison = comparison_context(report.get("comparison"))
    importance = _importance(report.get("importance"), chart)
    improvement = _improvement(report, medium)
    open_answers = open_answers_context(
        report,
        print_medium=medium.print,
        limit=medium.open_answers_limit,
        query=query,
        search_params=search_params,
    )
    # A section without content is left out; the method section says what is missing.
    present = {
        "summary": "summary" in report,  # reports computed before it had none
        "method": True,
        "structure": bool(structure),
        "overall": bool(responses),
        "areas": bool(responses and areas["rows"]),
        "breakdowns": bool(breakdowns),
        "trend": trend["months_with_responses"] >= 2,
        "comparison": comparison is not None,
        "importance": importance is not None,
        "improvement": bool(improvement["groups"] or improvement["falling"]),
        "open_answers": open_answers["total_value"] > 0,
        "questionnaire": True,
    }
    sections = {
        key: {
            "id": SECTION_IDS[key],
            "title": titles[key],
            # a comparison that could not be made is a few lines: it follows the trend
            "page": key in PAGE_SECTIONS
            and not (key == "comparison" and comparison and comparison.get("periods_reason")),
            "present": present.get(key, True),
        }
        for key in SECTION_IDS
    }
    extras = extra_sections_context(report, medium=medium)
    children = {
        "areas": [{"id": a["id"], "title": a["title"]} for a in areas["rows"]],
        "breakdowns": [{"id": b["id"], "title": b["title"]} for b in breakdowns],
    }
    return {
        "medium": medium,
        "sections": sections,
        "toc": _toc(sections, present, children, extras),
        # Sections added by apps above reports (extensions.py), after "improvement".
        "extra_sections": extras,
        "cover": _cover(report, medium),
        "summary": _summary(report, improvement),
        "min_cell": min_cell,
        "suppressed_note": _("mniej niż %(n)s odpowiedzi — ukryte dla ochrony anonimowości")
        % {"n": min_cell},
        "method": _method(report, present),
        "structure": structure,
        "overall": _overall(report.get("overall") or {}),
        "areas": areas,
        "breakdowns": breakdowns,
        "trend": trend,
        "comparison": comparison,
        "importance": importance,
        "improvement": improvement,
        "open_answers": open_answers,
        "questionnaire": _questionnaire(report.get("questionnaire") or []),
    }


def _html(message: str, **values) -> SafeString:
    """``message % values`` as HTML: the message escaped, each value escaped unless it is
    already HTML (a text marked by ``pl_name``)."""
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(message) % escaped)  # noqa: S308 - all escaped


def _toc(sections: dict, present: dict, children: dict, extras: list[dict]) -> list[dict]:
    toc = []
    for key in SECTION_IDS:
        if key not in ("cover", "toc") and present.get(key):
            toc.append({**sections[key], "children": children.get(key, [])})
        if key == "improvement":
            toc += [{"id": e["id"], "title": e["title"], "children": []} for e in extras]
    return toc


class _ChartMaker:
    def __init__(self, medium: Medium):
        self.font_family = medium.font_family
        self.image = medium.print  # on paper an <img> of the SVG (svg.Svg.render)

    def __call__(
        self, draw, data, *, chart_id: str, title: str, caption: str | None = None, **kwargs
    ) -> dict:
        """``caption``: the title as HTML for the figure's caption (an SVG ``<title>`` is
        plain text, so it cannot mark an office's text in it)."""
        svg = draw(
            data,
            chart_id=chart_id,
            title=title,
            font_family=self.font_family,
            image=self.image,
            **kwargs,
        )
        return {"svg": svg, "id": chart_id, "title": caption or title}


def _cover(report: dict, medium: Medium) -> dict:
    params = report.get("params") or {}
    department = params.get("department")
    channel = params.get("channel")
    filters = [
        (_("Wydział"), pl_name(department["name"]) if department else _("wszystkie wydziały")),
        (_("Kanał"), channel_label(channel) if channel else _("wszystkie kanały")),
        (
            _("Porównanie z poprzednim okresem"),
            _("tak") if params.get("compare") else _("nie"),
        ),
    ]
    return {
        "heading": medium.cover_heading,
        "office": pl_name((report.get("office") or {}).get("name", "")),
        "period": fmt_period(params.get("start"), params.get("end")),
        "filters": filters,
        "generated_at": fmt_datetime(report.get("generated_at")),
        "generated_by": report.get("generated_by") or _("system (automatycznie)"),
        # a report drawn as of a cut-off time (§ 5): the responses until then
        "as_of": fmt_datetime(report["as_of"]) if report.get("as_of") else None,
    }


# How residents filled the survey in, by channel, for the method section's sentence.
_CHANNEL_WAYS = {
    "online": gettext_lazy("przez internet"),
    "paper": gettext_lazy(
        "na papierze (ankiety wprowadzane potem do systemu przez pracowników urzędu)"
    ),
    "kiosk": gettext_lazy("w kiosku w urzędzie"),
}


def _ways_filled_in(by_channel: dict) -> str:
    """``przez internet i na papierze (…)`` — only the channels that have responses."""
    ways = [str(_CHANNEL_WAYS.get(key, key)) for key, count in by_channel.items() if count]
    if not ways:
        return ""
    if len(ways) == 1:
        return ways[0]
    return _("%(first)s i %(last)s") % {"first": ", ".join(ways[:-1]), "last": ways[-1]}


def _omitted(report: dict, present: dict) -> list[str]:
    """What the report leaves out and why, in the method section's words."""
    out = []
    if not present["structure"]:
        out.append(_("struktura respondentów — ankieta nie zawierała pytań metryczkowych"))
    if not present["trend"]:
        out.append(_("trend miesięczny — ankiety wpłynęły w mniej niż dwóch miesiącach okresu"))
    if not present["comparison"]:
        out.append(_("porównanie z poprzednim okresem — nie wybrano go przy generowaniu raportu"))
    if not present["importance"]:
        out.append(_("ważność obszarów — ankieta nie pytała, co jest dla klientów ważne"))
    if not present["improvement"] and (report.get("method") or {}).get("responses"):
        out.append(
            _(
                "obszary do poprawy — żaden wydział nie wypada w żadnym pytaniu wiarygodnie "
                "niżej niż reszta urzędu"
            )
        )
    if not present["open_answers"]:
        out.append(_("odpowiedzi otwarte — w tym okresie nikt ich nie wpisał"))
    return out


def _method(report: dict, present: dict) -> dict:
    method = report.get("method") or {}
    by_channel = method.get("by_channel") or {}
    return {
        "ways": _ways_filled_in(by_channel),
        "responses": fmt_int(method.get("responses")),
        "complete": fmt_int(method.get("complete")),
        "partial": fmt_int(method.get("partial")),
        # Only channels with responses: a kiosk the office does not have is not "0".
        "channels": [
            {"label": channel_label(key), "count": fmt_int(count)}
            for key, count in by_channel.items()
            if count
        ],
        "omitted": _omitted(report, present),
        "versions": [
            {
                "code": v.get("code"),
                "number": v.get("number"),
                "responses": fmt_int(v.get("responses")),
            }
            for v in method.get("versions") or []
        ],
        "first_response": fmt_date(method.get("first_response")),
        "last_response": fmt_date(method.get("last_response")),
        "notes": report.get("notes") or [],
    }


def _options_table(question: dict) -> dict:
    return {
        "key": question.get("key"),
        "text": pl_name(question.get("text") or question.get("key")),
        "n": fmt_n(question.get("n")),
        "rows": [
            {
                "label": pl_name(o.get("label") or o.get("value")),
                "count": fmt_int(o.get("count")),
                "share": fmt_share(o.get("share")),
            }
            for o in question.get("options") or []
        ],
    }


def _distribution(item: dict) -> list[dict]:
    n = item.get("n") or 0
    counts = item.get("distribution") or {}
    return [
        {
            "value": value,
            "count": fmt_int(counts.get(value, 0)),
            "share": fmt_share(counts.get(value, 0) / n) if n else MISSING,
        }
        for value in RATING_VALUES
    ]


def _rated(item: dict) -> dict:
    return {
        "key": item.get("key"),
        "text": pl_name(item.get("text") or item.get("key")),
        "n": fmt_int(item.get("n")),
        "mean": fmt_mean(item.get("mean")),
        "positive": fmt_share(item.get("positive_share")),
        "na": fmt_int(item.get("na") or 0),
        "distribution": _distribution(item),
        "note": pl_name(item.get("versions_note")),
    }


def _range(interval: list | None, fmt) -> str | None:
    """A 95% interval of a figure: "4,02–4,18" (None: none)."""
    if not interval or None in interval:
        return None
    return f"{fmt(interval[0])}–{fmt(interval[1])}"


def _overall(overall: dict) -> dict:
    satisfaction = _rated(overall["satisfaction"]) if overall.get("satisfaction") else None
    settled = overall.get("settled")
    return {
        "mean": fmt_mean(overall.get("mean")),
        "positive": fmt_share(overall.get("positive_share")),
        "n_ratings": fmt_int(overall.get("n_ratings")),
        "n": fmt_int(overall.get("n")),
        "ci": _range(overall.get("ci95"), fmt_mean),
        "positive_ci": _range(overall.get("positive_share_ci95"), fmt_share),
        "satisfaction": satisfaction,
        "satisfaction_rows": [satisfaction] if satisfaction else [],
        "settled": _options_table(settled) if settled else None,
    }


def _areas(areas: list[dict], chart) -> dict:
    rows = [{"label": a.get("title"), "mean": a.get("mean"), "n": a.get("n")} for a in areas]
    return {
        "chart": chart(
            charts.means_chart,
            rows,
            chart_id="raport-wykres-obszary",
            title=_("Średnia ocen w obszarach"),
        )
        if areas
        else None,
        "rows": [
            {
                "id": f"raport-obszar-{a.get('key')}",
                "title": pl_name(a.get("title")),
                "n": fmt_int(a.get("n")),
                "n_ratings": fmt_int(a.get("n_ratings")),
                "ci": _range(a.get("ci95"), fmt_mean),
                "mean": fmt_mean(a.get("mean")),
                "positive": fmt_share(a.get("positive_share")),
                "na": fmt_int(a.get("na") or 0),
                "items": [_rated(item) for item in a.get("items") or []],
                "chart": chart(
                    charts.distribution_chart,
                    a.get("items") or [],
                    chart_id=f"raport-wykres-rozklad-{a.get('key')}",
                    title=_("Rozkład odpowiedzi: %(area)s") % {"area": a.get("title")},
                    caption=_html(_("Rozkład odpowiedzi: %(area)s"), area=pl_name(a.get("title"))),
                )
                if a.get("items")
                else None,
            }
            for a in areas
        ],
    }


def _breakdowns(report: dict, chart, min_cell: int) -> list[dict]:
    areas = [(a.get("key"), a.get("title")) for a in report.get("areas") or []]
    given = report.get("breakdowns") or {}
    titles = breakdown_titles()
    result = []
    for key in [*BREAKDOWNS, *(k for k in given if k not in BREAKDOWNS)]:
        cells = given.get(key)
        if not cells or len(cells) < 2:
            continue  # one group is the whole report again: nothing to compare
        title = titles.get(key, key)
        rows = [_breakdown_row(cell, areas) for cell in cells]
        result.append(
            {
                "mode_difference": _mode_difference(report.get("mode_difference"))
                if key == "channel"
                else None,
                "id": f"raport-przekroj-{key}",
                "title": title,
                "area_titles": [pl_name(title) for _key, title in areas],
                "rows": rows,
                "has_suppressed": any(row["suppressed"] for row in rows),
                "chart": chart(
                    charts.means_chart,
                    [
                        {
                            "label": cell.get("label"),
                            "mean": cell.get("mean"),
                            "n": cell.get("n"),
                            "suppressed": cell.get("suppressed"),
                        }
                        for cell in cells
                    ],
                    chart_id=f"raport-wykres-przekroj-{key}",
                    title=_("Średnia ocen – %(breakdown)s") % {"breakdown": title.lower()},
                    min_cell=min_cell,
                )
                if cells
                else None,
            }
        )
    return result


def _mode_difference(mode: dict | None) -> dict | None:
    if not mode:
        return None
    return {
        "online": fmt_mean((mode.get("online") or {}).get("mean")),
        "online_n": fmt_int((mode.get("online") or {}).get("n")),
        "paper": fmt_mean((mode.get("paper") or {}).get("mean")),
        "paper_n": fmt_int((mode.get("paper") or {}).get("n")),
        "diff": fmt_diff(mode.get("diff")),
        "ci": fmt_ci(mode.get("ci95")),
    }


def _breakdown_row(cell: dict, areas: list[tuple]) -> dict:
    suppressed = bool(cell.get("suppressed"))
    area_means = cell.get("areas") or {}
    return {
        "label": pl_name(cell.get("label")),
        "suppressed": suppressed,
        "n": MISSING if suppressed else fmt_int(cell.get("n")),
        "mean": MISSING if suppressed else fmt_mean(cell.get("mean")),
        "positive": MISSING if suppressed else fmt_share(cell.get("positive_share")),
        "satisfaction": MISSING if suppressed else fmt_mean(cell.get("satisfaction_mean")),
        "areas": [MISSING if suppressed else fmt_mean(area_means.get(key)) for key, _t in areas],
    }


def _trend(trend: list[dict], chart) -> dict:
    return {
        "chart": chart(
            charts.trend_chart,
            trend,
            chart_id="raport-wykres-trend",
            title=_("Średnia ocen w kolejnych miesiącach"),
        )
        if trend
        else None,
        "rows": [
            {
                "month": fmt_month(m["month"]),
                "n": fmt_int(m.get("n")),
                "mean": fmt_mean(m.get("mean")),
                "positive": fmt_share(m.get("positive_share")),
                "satisfaction": fmt_mean(m.get("satisfaction_mean")),
            }
            for m in trend
        ],
        "months_with_responses": sum(1 for m in trend if m.get("n")),
    }


def _importance(importance: list | None, chart) -> dict | None:
    if not importance:
        return None

    def gap(row):
        if row.get("importance_mean") is None or row.get("satisfaction_mean") is None:
            return float("-inf")
        return row["importance_mean"] - row["satisfaction_mean"]

    ordered = sorted(importance, key=gap, reverse=True)
    points = [
        {
            "number": number,
            "title": row.get("title"),
            "importance_mean": row.get("importance_mean"),
            "satisfaction_mean": row.get("satisfaction_mean"),
        }
        for number, row in enumerate(ordered, start=1)
    ]
    return {
        "chart": chart(
            charts.importance_chart,
            points,
            chart_id="raport-wykres-waznosc",
            title=_("Ważność a satysfakcja w obszarach"),
        ),
        "rows": [
            {
                "number": number,
                "title": pl_name(row.get("title")),
                "importance": fmt_mean(row.get("importance_mean")),
                "satisfaction": fmt_mean(row.get("satisfaction_mean")),
                "gap": fmt_diff(None if gap(row) == float("-inf") else gap(row)),
                "n": fmt_int(row.get("n")),
            }
            for number, row in enumerate(ordered, start=1)
        ],
    }


def _html_id(text: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in text)


def _hot_spot_anchor(spot_id: str) -> str:
    """An HTML id for a hot spot (its identifier holds ':' and '|')."""
    return "obszar-" + _html_id(spot_id)


def _hot_spot_group(cell: dict) -> tuple[tuple, str]:
    """The group a hot spot belongs to, and its name as the report prints it."""
    department = cell.get("department")
    if department:
        return ("department", department.get("id")), pl_name(department.get("name") or "")
    client = cell.get("client_type") or {}
    name = _html(_("Klienci: %(type)s"), type=pl_name(client.get("label") or client.get("value")))
    return ("client_type", client.get("value")), name


def _hot_spot_row(cell: dict) -> dict:
    interval = cell.get("interval") or [None, None]
    group, group_name = _hot_spot_group(cell)
    return {
        "is_department": group[0] == "department",
        "id": cell.get("id"),
        "anchor": _hot_spot_anchor(cell.get("id") or ""),
        "text": pl_name(cell.get("text")),
        "kind": _("obszar (wszystkie pytania)") if cell.get("kind") == "area" else _("pytanie"),
        "area": pl_name(cell.get("area")),
        "department": group_name,
        "mean": fmt_mean(cell.get("mean")),
        "n": fmt_int(cell.get("n")),
        "rest_mean": fmt_mean(cell.get("rest_mean")),
        "rest_n": fmt_int(cell.get("rest_n")),
        "diff": fmt_diff(cell.get("diff")),
        "interval": fmt_ci(interval),
        "upper": fmt_diff(interval[1]),
    }


def _improvement(report: dict, medium: Medium) -> dict:
    """Hot spots grouped by department or client type (in the order of the most reliable
    one), each department with a few comments of its respondents; items that fell
    reliably."""
    hot = report.get("hot_spots") or {}
    groups: dict = {}
    for cell in hot.get("cells") or []:
        key, name = _hot_spot_group(cell)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "id": "raport-do-poprawy-" + _html_id(f"{key[0]}-{key[1]}"),
                "name": name,
                "department": key[0] == "department",
                "rows": [],
                "comments": [
                    {
                        "month": fmt_month(c["month"]) if c.get("month") else MISSING,
                        "question": pl_name(c.get("question")),
                        "text": c.get("text"),
                    }
                    for c in cell.get("comments") or []
                ],
            }
        group["rows"].append(_hot_spot_row(cell))
    limit = PRINT_CELLS_PER_DEPARTMENT if medium.print else None
    for group in groups.values():
        group["more"] = len(group["rows"]) - limit if limit and len(group["rows"]) > limit else 0
        group["rows"] = group["rows"][:limit] if limit else group["rows"]
    return {
        "groups": list(groups.values()),
        "count": fmt_int(len(hot.get("cells") or [])),
        "min_n": hot.get("min_n") or 30,
        "tested": fmt_int(hot.get("tested") or 0),
        "falling": [
            {
                "text": pl_name(row.get("text")),
                "area": pl_name(row.get("area")),
                "now": fmt_mean(row.get("mean_now")),
                "before": fmt_mean(row.get("mean_before")),
                "diff": fmt_diff(row.get("diff")),
                "n_now": fmt_int(row.get("n_now")),
                "n_before": fmt_int(row.get("n_before")),
            }
            for row in hot.get("falling") or []
        ],
        "compare": bool((report.get("params") or {}).get("compare")),
    }


def _summary(report: dict, improvement: dict) -> dict:
    summary = report.get("summary") or {}
    index = summary.get("index") or {}
    # Periods that cannot be compared: no change is printed, only why (reports computed
    # before the summary said so carry the reason in their comparison only).
    not_compared = summary.get("not_compared") or (
        (report.get("comparison") or {}).get("periods_reason") if summary.get("compared") else None
    )
    change = None if not_compared else index.get("change")
    cells = {c["id"]: c for c in (report.get("hot_spots") or {}).get("cells") or []}
    items = [
        {"text": pl_name(i.get("text")), "mean": fmt_mean(i.get("mean")), "n": fmt_int(i.get("n"))}
        for i in summary.get("weakest") or []
    ]
    hot_spots = [_hot_spot_row(cells[i]) for i in summary.get("hot_spots") or [] if i in cells]
    changes = [
        {
            "text": pl_name(row.get("text"))
            if row.get("kind") != "overall"
            else _("wszystkie oceny"),
            "diff": fmt_diff(row.get("diff")),
            "arrow": "↑" if (row.get("diff") or 0) > 0 else "↓",
            "kind": "up" if (row.get("diff") or 0) > 0 else "down",
        }
        for row in summary.get("changes") or []
    ]
    comments = summary.get("open_answers_count") or 0
    satisfaction = summary.get("satisfaction")
    return {
        "responses": fmt_int(summary.get("responses") or 0),
        "has_responses": bool(summary.get("responses")),
        "index": fmt_mean(index.get("mean")),
        "index_n": fmt_int(index.get("n")),
        "index_ratings": fmt_int(index.get("n_ratings")),
        "index_change": change_verdict(change) if change else None,
        "index_diff": fmt_diff(change.get("diff")) if change else None,
        "positive": fmt_share(summary.get("positive_share")),
        "satisfaction": {
            "mean": fmt_mean(satisfaction.get("mean")),
            "n": fmt_int(satisfaction.get("n")),
        }
        if satisfaction and satisfaction.get("mean") is not None
        else None,
        "strongest": [
            {
                "text": pl_name(i.get("text")),
                "mean": fmt_mean(i.get("mean")),
                "n": fmt_int(i.get("n")),
            }
            for i in summary.get("strongest") or []
        ],
        "weakest": items,
        "items_min_n": summary.get("items_min_n") or 30,
        "hot_spots": hot_spots,
        "hot_spots_count": fmt_int(summary.get("hot_spots_count") or 0),
        "hot_spots_more": max(0, (summary.get("hot_spots_count") or 0) - len(hot_spots)),
        "compared": bool(summary.get("compared")),
        "not_compared": not_compared,
        "changes": [] if not_compared else changes,
        "comments": fmt_int(comments),
        "has_comments": bool(comments),
        "next_steps": _next_steps(summary, hot_spots, comments, not_compared=not_compared),
    }


def _next_steps(
    summary: dict, hot_spots: list[dict], comments: int, *, not_compared: str | None = None
) -> list[str]:
    steps = []
    departments = list(dict.fromkeys(spot["department"] for spot in hot_spots))
    for name in departments[:2]:
        spots = [spot for spot in hot_spots if spot["department"] == name]
        items = mark_safe("; ".join(conditional_escape(spot["text"]) for spot in spots))  # noqa: S308
        if spots[0]["is_department"]:
            text = _("Omów z kierownictwem jednostki „%(department)s” wyniki: %(items)s.")
        else:
            text = _("Sprawdź, co utrudnia załatwianie spraw grupie „%(department)s”: %(items)s.")
        steps.append(_html(text, department=name, items=items))
    if comments:
        steps.append(
            _("Przeczytaj uwagi mieszkańców (%(count)s) — często podają przyczynę niskiej oceny.")
            % {"count": fmt_int(comments)}
        )
    if hot_spots or summary.get("falling"):
        steps.append(
            _(
                "Dla każdego obszaru do poprawy zapisz działanie, osobę odpowiedzialną i "
                "termin, z identyfikatorem obszaru z raportu."
            )
        )
    if not_compared:
        steps.append(
            _(
                "Do porównania wybierz okres, w którym ankiety zbierano przez podobną liczbę "
                "dni (np. ten sam okres rok wcześniej)."
            )
        )
    elif summary.get("compared"):
        steps.append(
            _("Sprawdź przyczyny wiarygodnych spadków i utrzymaj to, co się poprawiło.")
            if summary.get("changes")
            else _("W następnym raporcie sprawdź, czy wyniki się zmieniły.")
        )
    else:
        steps.append(
            _(
                "Przy następnym raporcie zaznacz porównanie z poprzednim okresem — pokaże, "
                "czy działania pomogły."
            )
        )
    return steps


def _question(q: dict, kinds: dict) -> dict:
    options = q.get("options") or []
    rating = q.get("kind") == "rating"
    return {
        "key": q.get("key"),
        "text": pl_name(q.get("text")),
        "kind": kinds.get(q.get("kind"), q.get("kind")),
        "required": q.get("required"),
        # A rating's scale is named once per version, not under every question.
        "options": [] if rating else [pl_name(option) for option in options],
        "na": rating and len(options) > len(RATING_VALUES),
    }


def _questionnaire(versions: list[dict]) -> list[dict]:
    kinds = {
        "rating": _("ocena w skali 1–5"),
        "single": _("jednokrotny wybór"),
        "multi": _("wielokrotny wybór"),
        "department": _("wybór wydziału"),
        "yesno": _("tak / nie"),
        "text": _("odpowiedź otwarta"),
    }
    out = []
    for v in versions:
        questions = [q for s in v.get("sections") or [] for q in s.get("questions") or []]
        rating = next((q for q in questions if q.get("kind") == "rating"), None)
        scale = (rating.get("options") or [])[: len(RATING_VALUES)] if rating else []
        out.append(
            {
                "version": v.get("version"),
                "number": v.get("number"),
                "scale": pl_name(", ".join(scale)),
                "sections": [
                    {
                        "title": pl_name(s.get("title")),
                        "questions": [_question(q, kinds) for q in s.get("questions") or []],
                    }
                    for s in v.get("sections") or []
                ],
            }
        )
    return out


__all__ = ["SCREEN", "Medium", "breakdown_titles", "report_context", "section_titles"]
