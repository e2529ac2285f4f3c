"""The computed report (reports/FORMAT.md) turned into what the report template prints.

Everything a reader sees is decided here, once, for the screen and the PDF alike:
figures formatted in Polish, each with its n, suppressed cells as "—", changes in words
and arrows, charts drawn as SVG. The template only lays the result out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import charts
from .comparison import comparison_context
from .formatting import (
    MISSING,
    channel_label,
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
    sections = {key: {"id": SECTION_IDS[key], "title": titles[key]} for key in SECTION_IDS}
    chart = _ChartMaker(medium)
    areas = _areas(report.get("areas") or [], chart)
    breakdowns = _breakdowns(report, chart, min_cell)
    children = {
        "areas": [{"id": a["id"], "title": a["title"]} for a in areas["rows"]],
        "breakdowns": [{"id": b["id"], "title": b["title"]} for b in breakdowns],
    }
    return {
        "medium": medium,
        "sections": sections,
        "toc": [
            {**sections[key], "children": children.get(key, [])}
            for key in SECTION_IDS
            if key not in ("cover", "toc")
        ],
        "cover": _cover(report, medium),
        "min_cell": min_cell,
        "suppressed_note": _("mniej niż %(n)s odpowiedzi — ukryte dla ochrony anonimowości")
        % {"n": min_cell},
        "method": _method(report),
        "structure": [_options_table(q) for q in report.get("structure") or []],
        "overall": _overall(report.get("overall") or {}),
        "areas": areas,
        "breakdowns": breakdowns,
        "trend": _trend(report.get("trend") or [], chart),
        "comparison": comparison_context(report.get("comparison")),
        "importance": _importance(report.get("importance"), chart),
        "improvement": _improvement(report.get("improvement_areas") or [], report),
        "open_answers": open_answers_context(
            report,
            print_medium=medium.print,
            limit=medium.open_answers_limit,
            query=query,
            search_params=search_params,
        ),
        "questionnaire": _questionnaire(report.get("questionnaire") or []),
    }


class _ChartMaker:
    def __init__(self, medium: Medium):
        self.font_family = medium.font_family

    def __call__(self, draw, data, *, chart_id: str, title: str, **kwargs) -> dict:
        svg = draw(data, chart_id=chart_id, title=title, font_family=self.font_family, **kwargs)
        return {"svg": svg, "id": chart_id, "title": title}


def _cover(report: dict, medium: Medium) -> dict:
    params = report.get("params") or {}
    department = params.get("department")
    channel = params.get("channel")
    filters = [
        (_("Wydział"), department["name"] if department else _("wszystkie wydziały")),
        (_("Kanał"), channel_label(channel) if channel else _("wszystkie kanały")),
        (
            _("Porównanie z poprzednim okresem"),
            _("tak") if params.get("compare") else _("nie"),
        ),
    ]
    return {
        "heading": medium.cover_heading,
        "office": (report.get("office") or {}).get("name", ""),
        "period": fmt_period(params.get("start"), params.get("end")),
        "filters": filters,
        "generated_at": fmt_datetime(report.get("generated_at")),
        "generated_by": report.get("generated_by") or _("system (automatycznie)"),
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


def _method(report: dict) -> dict:
    method = report.get("method") or {}
    by_channel = method.get("by_channel") or {}
    return {
        "ways": _ways_filled_in(by_channel),
        "responses": fmt_int(method.get("responses")),
        "complete": fmt_int(method.get("complete")),
        "partial": fmt_int(method.get("partial")),
        "channels": [
            {"label": channel_label(key), "count": fmt_int(count)}
            for key, count in by_channel.items()
        ],
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
        "text": question.get("text") or question.get("key"),
        "n": fmt_n(question.get("n")),
        "rows": [
            {
                "label": o.get("label") or o.get("value"),
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
        "text": item.get("text") or item.get("key"),
        "n": fmt_int(item.get("n")),
        "mean": fmt_mean(item.get("mean")),
        "positive": fmt_share(item.get("positive_share")),
        "na": fmt_int(item.get("na") or 0),
        "distribution": _distribution(item),
        "note": item.get("versions_note"),
    }


def _overall(overall: dict) -> dict:
    satisfaction = _rated(overall["satisfaction"]) if overall.get("satisfaction") else None
    settled = overall.get("settled")
    return {
        "mean": fmt_mean(overall.get("mean")),
        "positive": fmt_share(overall.get("positive_share")),
        "n_ratings": fmt_int(overall.get("n_ratings")),
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
                "title": a.get("title"),
                "n": fmt_int(a.get("n")),
                "mean": fmt_mean(a.get("mean")),
                "positive": fmt_share(a.get("positive_share")),
                "na": fmt_int(a.get("na") or 0),
                "items": [_rated(item) for item in a.get("items") or []],
                "chart": chart(
                    charts.distribution_chart,
                    a.get("items") or [],
                    chart_id=f"raport-wykres-rozklad-{a.get('key')}",
                    title=_("Rozkład odpowiedzi: %(area)s") % {"area": a.get("title")},
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
        if cells is None:
            continue
        title = titles.get(key, key)
        rows = [_breakdown_row(cell, areas) for cell in cells]
        result.append(
            {
                "id": f"raport-przekroj-{key}",
                "title": title,
                "area_titles": [title for _key, title in areas],
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


def _breakdown_row(cell: dict, areas: list[tuple]) -> dict:
    suppressed = bool(cell.get("suppressed"))
    area_means = cell.get("areas") or {}
    return {
        "label": cell.get("label"),
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
                "title": row.get("title"),
                "importance": fmt_mean(row.get("importance_mean")),
                "satisfaction": fmt_mean(row.get("satisfaction_mean")),
                "gap": fmt_diff(None if gap(row) == float("-inf") else gap(row)),
                "n": fmt_int(row.get("n")),
            }
            for number, row in enumerate(ordered, start=1)
        ],
    }


def _improvement(rows: list[dict], report: dict) -> dict:
    reasons = {
        "lowest": _("jedna z najniżej ocenianych spraw"),
        "falling": _("istotny spadek względem poprzedniego okresu"),
    }
    return {
        "compare": bool((report.get("params") or {}).get("compare")),
        "rows": [
            {
                "text": row.get("text") or row.get("key"),
                "area": row.get("area"),
                "mean": fmt_mean(row.get("mean")),
                "n": fmt_int(row.get("n")),
                "reasons": [reasons.get(r, r) for r in row.get("reasons") or []],
                "change": fmt_diff(row.get("change")),
            }
            for row in rows
        ],
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
    return [
        {
            "version": v.get("version"),
            "number": v.get("number"),
            "sections": [
                {
                    "title": s.get("title"),
                    "questions": [
                        {
                            "key": q.get("key"),
                            "text": q.get("text"),
                            "kind": kinds.get(q.get("kind"), q.get("kind")),
                            "required": q.get("required"),
                            "options": q.get("options") or [],
                        }
                        for q in s.get("questions") or []
                    ],
                }
                for s in v.get("sections") or []
            ],
        }
        for v in versions
    ]


__all__ = ["SCREEN", "Medium", "breakdown_titles", "report_context", "section_titles"]
