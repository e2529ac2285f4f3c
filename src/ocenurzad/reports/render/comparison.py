"""The comparison with the previous period, in words: what each change means."""

from django.utils.translation import gettext as _

from .formatting import fmt_ci, fmt_diff, fmt_int, fmt_mean, fmt_period


def change_verdict(row: dict) -> dict:
    """How a change reads: an arrow and words, never colour alone."""
    if row.get("mean_before") is None or row.get("mean_now") is None:
        return {"kind": "none", "arrow": "", "text": _("brak danych do porównania")}
    if not row.get("significant"):
        return {"kind": "same", "arrow": "", "text": _("bez istotnej zmiany")}
    if (row.get("diff") or 0) > 0:
        return {"kind": "up", "arrow": "↑", "text": _("istotna zmiana: wzrost")}
    return {"kind": "down", "arrow": "↓", "text": _("istotna zmiana: spadek")}


def _comparison_row(row: dict, name: str) -> dict:
    return {
        "name": name,
        "now": fmt_mean(row.get("mean_now")),
        "before": fmt_mean(row.get("mean_before")),
        "diff": fmt_diff(row.get("diff")),
        "ci": fmt_ci(row.get("ci95")),
        "n_now": fmt_int(row.get("n_now")),
        "n_before": fmt_int(row.get("n_before")),
        "verdict": change_verdict(row),
    }


def comparison_context(comparison: dict | None) -> dict | None:
    """The comparison with the previous period as the template prints it (None: none)."""
    if not comparison:
        return None
    previous = comparison.get("previous") or {}
    overall = _comparison_row(comparison.get("overall") or {}, _("Wszystkie oceny"))
    areas = [
        _comparison_row(a, a.get("title") or a.get("key")) for a in comparison.get("areas") or []
    ]
    return {
        "previous": fmt_period(previous.get("start"), previous.get("end")),
        "method": comparison.get("method"),
        "overall": overall,
        "areas": areas,
        "area_rows": [overall, *areas],
        "items": [
            _comparison_row(i, i.get("text") or i.get("key")) for i in comparison.get("items") or []
        ],
    }
