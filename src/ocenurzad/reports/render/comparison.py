"""The comparison with an earlier period, in words: what each change means and, when a
change is not reliable, why not (compute/comparison.py decides; this only says it)."""

from django.utils.translation import gettext as _

from ocenurzad.core.templatetags.languages import pl_name

from ..stats import Code
from .formatting import (
    MINUS,
    fmt_ci,
    fmt_diff,
    fmt_int,
    fmt_mean,
    fmt_number,
    fmt_period,
    fmt_share,
)

# What the table says when a change is not reliable: the reasons of stats.reliable_change
# made short enough for a table cell; the text above the table explains them once.
_SHORT = {
    Code.NOT_SIGNIFICANT: lambda row: _("może być przypadkowa"),
    Code.WORDING: lambda row: _("zmieniona treść — nie porównano"),
    Code.PERIODS: lambda row: _("okresów nie da się porównać"),
    Code.NO_DATA: lambda row: row.get("reason") or _("brak danych do porównania"),
}


def _too_small(row: dict) -> str:
    return _("za mała, by miała znaczenie")


def change_verdict(row: dict) -> dict:
    """How a change reads: an arrow and words, never colour alone. ``kind``: up, down,
    same (not reliable, with ``reason``) or none (nothing to compare)."""
    if row.get("significant") and row.get("code") is None:
        # an archived report of before 2026-12: its own (naive) words
        if (row.get("diff") or 0) > 0:
            return {"kind": "up", "arrow": "↑", "text": _("istotna zmiana: wzrost")}
        return {"kind": "down", "arrow": "↓", "text": _("istotna zmiana: spadek")}
    if row.get("reliable"):
        if (row.get("diff") or 0) > 0:
            return {"kind": "up", "arrow": "↑", "text": _("wiarygodna zmiana: wzrost")}
        return {"kind": "down", "arrow": "↓", "text": _("wiarygodna zmiana: spadek")}
    if (
        row.get("code") is None
        and row.get("mean_now") is not None
        and row.get("mean_before") is not None
    ):
        return {"kind": "same", "arrow": "", "text": _("bez istotnej zmiany")}
    code = row.get("code")
    if code in (Code.NO_DATA, Code.WORDING, Code.PERIODS) or (
        code is None and (row.get("mean_before") is None or row.get("mean_now") is None)
    ):
        short = _SHORT.get(code)
        return {
            "kind": "none",
            "arrow": "",
            "text": short(row) if short else _("brak danych do porównania"),
        }
    if code == Code.FEW:
        text = _("za mało osób (%(now)s i %(before)s)") % {
            "now": fmt_int(row.get("n_now")),
            "before": fmt_int(row.get("n_before")),
        }
    elif code == Code.TOO_SMALL:
        text = _too_small(row)
    else:
        text = _SHORT[Code.NOT_SIGNIFICANT](row)
    return {"kind": "same", "arrow": "", "text": text}


def _fmt_value(row: dict, value):
    return fmt_share(value) if row.get("scale") == "share" else fmt_mean(value)


def _fmt_change(row: dict, value) -> str:
    if row.get("scale") != "share" or value is None:
        return fmt_diff(value)
    text = fmt_number(value * 100, 1)
    signed = text if text.startswith(MINUS) or value == 0 else f"+{text}"
    return _("%(value)s pkt proc.") % {"value": signed}


def _fmt_interval(row: dict, interval) -> str:
    if row.get("scale") != "share" or not interval or None in interval:
        return fmt_ci(interval)
    low, high = (_fmt_change(row, v).replace(_(" pkt proc."), "") for v in interval)
    return _("od %(low)s do %(high)s pkt proc.") % {"low": low, "high": high}


def _comparison_row(row: dict, name: str) -> dict:
    return {
        "name": name,
        "now": _fmt_value(row, row.get("mean_now")),
        "before": _fmt_value(row, row.get("mean_before")),
        "diff": _fmt_change(row, row.get("diff")),
        "ci": _fmt_interval(row, row.get("ci95")),
        "n_now": fmt_int(row.get("n_now")),
        "n_before": fmt_int(row.get("n_before")),
        "verdict": change_verdict(row),
        "reason": row.get("reason"),
    }


def _period(period: dict) -> dict:
    return {
        "name": period.get("name") or fmt_period(period.get("start"), period.get("end")),
        "dates": fmt_period(period.get("start"), period.get("end")),
        "respondents": fmt_int(period.get("respondents")),
        "days": fmt_int(period.get("days_with_responses")),
    }


def comparison_context(comparison: dict | None) -> dict | None:
    """The comparison as the template prints it (None: none)."""
    if not comparison:
        return None
    previous = comparison.get("previous") or {}
    current = comparison.get("current") or {}
    overall = _comparison_row(comparison.get("overall") or {}, _("Wynik ogólny (wszystkie oceny)"))
    rows = [overall]
    if comparison.get("positive_share"):
        rows.append(
            _comparison_row(comparison["positive_share"], _("Odsetek ocen pozytywnych (4 i 5)"))
        )
    if comparison.get("satisfaction"):
        satisfaction = comparison["satisfaction"]
        name = pl_name(satisfaction["text"]) if satisfaction.get("text") else _("Ocena ogólna")
        rows.append(_comparison_row(satisfaction, name))
    # The survey's areas and questions: Polish, marked so on a page in another language.
    areas = [
        _comparison_row(a, pl_name(a.get("title") or a.get("key")))
        for a in comparison.get("areas") or []
    ]
    items = [
        _comparison_row(i, pl_name(i.get("text") or i.get("key")))
        for i in comparison.get("items") or []
    ]
    reliable = [row for row in [*rows, *areas, *items] if row["verdict"]["kind"] in ("up", "down")]
    thresholds = comparison.get("thresholds") or {}
    return {
        "previous": _period(previous) if previous else None,
        "current": _period(current) if current else None,
        # archived reports of before 2026-12 have neither the names nor a note
        "legacy": not current,
        "previous_text": fmt_period(previous.get("start"), previous.get("end")),
        "note": comparison.get("note"),
        "periods_reason": comparison.get("periods_reason"),
        "method": comparison.get("method"),
        "tests": fmt_int(comparison.get("tests")),
        "min_n": fmt_int(thresholds.get("min_n")),
        "min_difference": fmt_mean(thresholds.get("min_difference")),
        "reliable_count": len(reliable),
        "overall": overall,
        "areas": areas,
        "area_rows": [*rows, *areas],
        "items": items,
        "reworded": [
            i["name"]
            for i, raw in zip(items, comparison.get("items") or [], strict=True)
            if raw.get("code") == Code.WORDING
        ],
    }
