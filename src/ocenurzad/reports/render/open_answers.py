"""Open answers in the report: listed by question, searched on the server (no script);
and as the rows of the comments annex (CSV and XLSX files archived with the report).

A comment carries its month, never its day, and its department only where that is safe
(compute/disclosure.py decides; here they are only shown)."""

import re
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ocenurzad.core.templatetags.languages import pl_name

from .formatting import fmt_int, fmt_month

QUERY_MAX_LENGTH = 200
COMMENT_WIDTHS = [40, 10, 34, 90]


def comment_rows(report: dict):
    """The comments annex: a header, then (question, month "YYYY-MM", department, text)
    per comment, as the report lists them; an unshown month or department is empty."""
    yield [_("Pytanie"), _("Miesiąc"), _("Wydział"), _("Odpowiedź")]
    for answer in report.get("open_answers") or []:
        yield [
            answer.get("question") or answer.get("key") or "",
            answer.get("month") or "",
            answer.get("department") or "",
            answer.get("text") or "",
        ]


def _month_label(month: str | None) -> str:
    return fmt_month(month).lower() if month else _("miesiąc nieujawniony (mała grupa)")


def clean_query(query: str | None) -> str:
    return " ".join((query or "").split())[:QUERY_MAX_LENGTH]


def _highlighted(text: str, pattern: re.Pattern | None):
    if pattern is None:
        return text
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped


def open_answers_context(
    report: dict,
    *,
    print_medium: bool,
    limit: int | None,
    query: str | None,
    search_params: dict | None,
) -> dict:
    """The open answers as the template lists them, grouped by question.

    On screen: all of them, or those containing ``query`` (case-insensitive), the matches
    marked; the search form keeps ``search_params``. On paper: no search, and at most
    ``limit`` answers, the template saying how many more there are and where.
    """
    answers = report.get("open_answers") or []
    total = max(report.get("open_answers_count") or 0, len(answers))
    query = "" if print_medium else clean_query(query)
    pattern = re.compile(re.escape(query), re.IGNORECASE) if query else None
    matched = [a for a in answers if pattern.search(a.get("text") or "")] if pattern else answers
    shown = matched[:limit] if limit is not None else matched
    groups: dict[str, dict] = {}
    for answer in shown:
        key = answer.get("key") or ""
        group = groups.setdefault(
            key, {"question": pl_name(answer.get("question") or key), "items": []}
        )
        group["items"].append(
            {
                "text": _highlighted(answer.get("text") or "", pattern),
                "date": _month_label(answer.get("month")),
                "department": pl_name(answer.get("department")) or _("wydział nieujawniony"),
            }
        )
    params = [(k, v) for k, v in (search_params or {}).items() if k != "szukaj"]
    return {
        "groups": list(groups.values()),
        "total": fmt_int(total),
        "total_value": total,
        "listed": fmt_int(len(answers)),
        "listed_all": len(answers) >= total,
        "shown": fmt_int(len(shown)),
        "more": fmt_int(len(matched) - len(shown)),
        "truncated": len(shown) < len(matched),
        "query": query,
        "matched": fmt_int(len(matched)),
        "search": not print_medium,
        "hidden_params": params,
        "clear_url": "?" + urlencode(params) if params else "?",
    }
