"""Open answers in the report: listed by question, searched on the server (no script)."""

import re
from urllib.parse import urlencode

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .formatting import channel_label, fmt_date, fmt_int

QUERY_MAX_LENGTH = 200


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
        group = groups.setdefault(key, {"question": answer.get("question") or key, "items": []})
        group["items"].append(
            {
                "text": _highlighted(answer.get("text") or "", pattern),
                "date": fmt_date(answer.get("date")),
                "department": answer.get("department") or _("wydział niepodany"),
                "channel": channel_label(answer.get("channel")),
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
