"""The report's sections that apps above reports add (reports/extensions.py).

Reports does not import the apps whose sections it prints; this module, above them,
registers each section with ``report_section_register``. ``register()`` is called once at
start-up by ``WorkflowsConfig.ready``.

"Działania i ich zmiana po wdrożeniu" (actions): the actions a report accounts for
(``actions.selectors.actions_for_report``: open during the period, or made on its hot
spots) with what they address, owner, deadline, status and — for a completed action —
„Zmiana po wdrożeniu" as the action card computes it (``actions.change``: the months after
completion against the same months a year earlier and against the untargeted items; "za
wcześnie, by ocenić" until enough respondents). The section is stored in the computed
report, so an archived report keeps what it said then. A report without such actions has
no section (and keeps its content key).
"""

from datetime import date

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.actions.change import action_change_after
from ocenurzad.actions.models import ActionStatus
from ocenurzad.actions.selectors import actions_for_report
from ocenurzad.reports.compute.hotspots import period_token
from ocenurzad.reports.extensions import ReportSection, report_section_register
from ocenurzad.reports.render.formatting import fmt_ci, fmt_date, fmt_diff, fmt_int
from ocenurzad.responses.models import Response

ACTIONS_KEY = "actions"
ACTIONS_TEMPLATE = "actions/report_section.html"
CHANGE_CACHE_SECONDS = 6 * 3600


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _change(action, today: date, stamp) -> dict | None:
    """The change after a done action (None for one not done), kept in the shared cache for
    the day: every download of a report computes it again, and it reads raw answers of up
    to two years. ``stamp`` (the office's newest response) and the action's own last change
    are in the key, so a new or back-dated response or an edited action is counted."""
    if action.status != ActionStatus.DONE:
        return None
    key = f"action-change:v1:{action.pk}:{action.updated_at.timestamp()}:{today}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = _change_computed(action, today)
        cache.set(key, found, CHANGE_CACHE_SECONDS)
    return found


def _change_computed(action, today: date) -> dict | None:
    change = action_change_after(action=action, today=today)
    if change.state == "not_done":
        return None
    return {
        "state": change.state,
        "reason": change.reason,
        "change": None if change.change is None else round(change.change, 2),
        "ci95": None if change.ci95 is None else [round(v, 2) for v in change.ci95],
        "n_after": change.after.n,
        "n_before": change.before.n,
        "after": [_iso(d) for d in change.after_months] if change.after_months else None,
        "before": [_iso(d) for d in change.before_months] if change.before_months else None,
    }


def actions_section_compute(*, office, start, end, department_id, channel, report) -> dict | None:
    """The section's data (JSON), or None when the report accounts for no action."""
    actions = actions_for_report(
        office=office,
        start=start,
        end=end,
        period_token=period_token(start, end),
        department_id=department_id,
    )
    if not actions:
        return None
    today = timezone.localdate()
    stamp = Response.objects.filter(office=office).aggregate(last=Max("pk"))["last"]
    # No date of drawing in the data: the archive stores the same report once, and the
    # report's own date (its cover) is the day the change was computed.
    return {
        "channel_note": bool(channel),
        "actions": [
            {
                "code": action.code,
                "title": action.title,
                "kind": action.get_kind_display(),
                "status": action.status,
                "status_label": action.get_status_display(),
                "targets": [t.get("label") or t.get("key") for t in action.targets],
                "department": action.department_name
                or (action.department.name if action.department_id else ""),
                "hotspot_id": action.hotspot_id,
                "owner": action.owner_label,
                "deadline": _iso(action.deadline),
                "done_on": _iso(action.done_on),
                "change": _change(action, today, stamp),
            }
            for action in actions
        ],
    }


_VERDICTS = {
    "improved": lambda: _("wyraźna poprawa względem pozostałych pytań"),
    "worsened": lambda: _("wyraźne pogorszenie względem pozostałych pytań"),
    "no_clear_change": lambda: _("bez wyraźnej zmiany względem pozostałych pytań"),
    "too_early": lambda: _("za wcześnie, by ocenić"),
}


def actions_section_context(data: dict, *, medium) -> dict:
    """What ``actions/report_section.html`` prints (Polish figures as in the report)."""
    rows = []
    for action in data.get("actions") or []:
        change = action.get("change")
        row = {
            **action,
            "deadline": fmt_date(action.get("deadline")),
            "done_on": fmt_date(action.get("done_on")) if action.get("done_on") else "",
            "targets": ", ".join(action.get("targets") or []),
            "change": None,
        }
        if change:
            row["change"] = {
                "verdict": _VERDICTS.get(change["state"], _VERDICTS["too_early"])(),
                "assessed": change["state"] != "too_early",
                "reason": change.get("reason") or "",
                "diff": fmt_diff(change.get("change")),
                "ci": fmt_ci(change.get("ci95")),
                "n_after": fmt_int(change.get("n_after")),
                "n_before": fmt_int(change.get("n_before")),
            }
        rows.append(row)
    return {
        "rows": rows,
        "channel_note": data.get("channel_note"),
        "print": medium.print,
    }


actions_section = ReportSection(
    key=ACTIONS_KEY,
    title=lambda: _("Działania i ich zmiana po wdrożeniu"),
    compute=actions_section_compute,
    template=ACTIONS_TEMPLATE,
    context=actions_section_context,
)


def register() -> None:
    """Register the report's extra sections."""
    report_section_register(actions_section)
