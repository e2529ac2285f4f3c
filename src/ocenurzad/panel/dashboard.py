"""The dashboard's parts that come from several apps, assembled here — above reports and
actions (neither imports the other): satisfaction as the report computes it, the yearly
duty and the actions due.

Satisfaction is never counted here: both periods are reports (``report_compute``, the
same function, periods and comparison the panel's report uses), and the dashboard only
picks figures out of them — so the dashboard and the report of the same period say the
same, with the report's own suppression (months below the minimum hidden, a figure of
fewer respondents than the minimum not shown) and its own verdict of reliable change.

Two reports cost a few hundred milliseconds, so their figures are kept in the shared
cache, keyed by the office, the day and a stamp of what could change them: the newest
response and the newest audit entry of the office (a new response, a corrected or
deleted paper sheet, a changed survey or department are each one of those). A figure is
never older than ``DASHBOARD_CACHE_SECONDS`` (default 600) either.
"""

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ocenurzad.accounts.permissions import Perm, can
from ocenurzad.actions.reminders import nobody_reminded, yearly_report_archived
from ocenurzad.actions.selectors import actions_due
from ocenurzad.audit.models import AuditEntry
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.periods import Kind, Period, last_12_months_period, year_period
from ocenurzad.reports.render.comparison import comparison_context
from ocenurzad.reports.render.formatting import (
    fmt_int,
    fmt_mean,
    fmt_month_name,
    fmt_period,
    fmt_share,
)
from ocenurzad.reports.render.svg import MAIN, esc, num, scale_y, zoomed_range
from ocenurzad.responses.models import Response

CACHE_VERSION = 1
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 240.0, 48.0, 6.0


def dashboard_duties(*, office, user, today=None) -> dict:
    """What the manager must not miss: the previous year's report (archived or not),
    whether anyone would be reminded of it, and actions overdue or due within 14 days
    (for those who may see the register)."""
    today = today or timezone.localdate()
    year = today.year - 1
    duties = {
        "yearly": {
            "year": year,
            "archived": yearly_report_archived(office=office, year=year),
            "nobody_reminded": nobody_reminded(office=office),
        },
        "actions_due": None,
    }
    if can(user, office, Perm.ACTIONS):
        duties["actions_due"] = actions_due(office=office, today=today)
    return duties


def dashboard_periods(*, today: date) -> list[tuple[str, str, Period]]:
    """(key, kind of period as the report form names it, period): the last 12 full
    months, then the year so far."""
    return [
        ("12m", Kind.LAST_12_MONTHS, last_12_months_period(today=today)),
        ("ytd", Kind.YEAR, year_period(today.year, today=today)),
    ]


def dashboard_reports(*, office, today: date) -> dict[str, dict]:
    """The two reports the dashboard reads, computed exactly as the panel's report of the
    same period with its comparison (uncached)."""
    return {
        key: report_compute(office=office, start=p.start, end=p.end, compare=True, kind=kind)
        for key, kind, p in dashboard_periods(today=today)
    }


def _stamp(office) -> tuple:
    """One query: the newest response and the newest audit entry of the office."""
    response = Response.objects.filter(office=office).aggregate(last=Max("pk"))["last"]
    audit = AuditEntry.objects.filter(office=office).aggregate(last=Max("pk"))["last"]
    return (response, audit)


def _figures(report: dict) -> dict:
    """What the dashboard shows of one report (plain data, cached)."""
    summary = report["summary"]
    min_cell = report["params"]["min_cell"]
    index = summary["index"]
    shown = (index.get("n") or 0) >= min_cell and index.get("mean") is not None
    cells = (report.get("hot_spots") or {}).get("cells") or []
    return {
        "start": report["params"]["start"],
        "end": report["params"]["end"],
        "min_cell": min_cell,
        "responses": summary["responses"],
        "n": index.get("n") or 0,
        "shown": shown,
        "mean": index.get("mean") if shown else None,
        "positive_share": summary.get("positive_share") if shown else None,
        "comparison": report.get("comparison"),
        "trend": [
            {
                "month": m["month"],
                "n": m.get("n") or 0,
                "mean": m.get("mean"),
                "positive_share": m.get("positive_share"),
                "suppressed": bool(m.get("suppressed")),
            }
            for m in report.get("trend") or []
        ],
        "hot_spot": cells[0] if cells else None,
        "hot_spots_count": len(cells),
    }


def dashboard_figures(*, office, today: date | None = None) -> dict[str, dict]:
    """Figures of both periods (``_figures``), from the cache when nothing changed."""
    today = today or timezone.localdate()
    seconds = int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 600))
    stamp = "-".join(str(part) for part in _stamp(office))
    key = f"dashboard:v{CACHE_VERSION}:{office.pk}:{today.isoformat()}:{stamp}"
    found = cache.get(key) if seconds > 0 else None
    if found is None:
        found = {
            name: _figures(report)
            for name, report in dashboard_reports(office=office, today=today).items()
        }
        if seconds > 0:
            cache.set(key, found, seconds)
    return found


def sparkline(trend: list[dict], *, label_id: str) -> SafeString:
    """A small line of the months' means (a gap for a month hidden or without ratings), as
    inline SVG; the months' values are in the table ``label_id`` describes."""
    values = [m["mean"] for m in trend if m.get("mean") is not None]
    if len(values) < 2:
        return mark_safe("")
    low, high = zoomed_range(values)
    count = len(trend)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(count - 1, 1)
    top, bottom = SPARK_PAD, SPARK_HEIGHT - SPARK_PAD
    runs, run = [], []
    for i, month in enumerate(trend):
        if month.get("mean") is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = scale_y(month["mean"], top=top, bottom=bottom, low=low, high=high)
        run.append((SPARK_PAD + step * i, y))
    if run:
        runs.append(run)
    body = []
    for points in runs:
        if len(points) > 1:
            line = " ".join(f"{num(x)},{num(y)}" for x, y in points)
            body.append(f'<polyline points="{line}" fill="none" stroke="{MAIN}" stroke-width="2"/>')
        for x, y in points:
            body.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="2.5" fill="{MAIN}"/>')
    title = _("Średnia ocen w kolejnych miesiącach")
    return mark_safe(  # noqa: S308 - numbers and escaped texts only
        f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{num(SPARK_WIDTH)}" height="{num(SPARK_HEIGHT)}" '
        f'viewBox="0 0 {num(SPARK_WIDTH)} {num(SPARK_HEIGHT)}" '
        f'aria-label="{esc(title)}" aria-describedby="{esc(label_id)}">' + "".join(body) + "</svg>"
    )


def _change(row: dict | None) -> dict | None:
    if not row:
        return None
    return {"diff": row["diff"], "ci": row["ci"], "verdict": row["verdict"]}


def _period_view(key: str, figures: dict, *, may_act: bool) -> dict:
    comparison = comparison_context(figures["comparison"])
    rows = {}
    if comparison:
        rows["mean"] = comparison["overall"]
        if figures["comparison"].get("positive_share"):
            rows["share"] = comparison["area_rows"][1]  # right after the overall row
    spot = figures["hot_spot"]
    return {
        "key": key,
        "dates": fmt_period(figures["start"], figures["end"]),
        "previous": comparison["previous_text"] if comparison else "",
        "shown": figures["shown"],
        "mean": fmt_mean(figures["mean"]),
        "positive_share": fmt_share(figures["positive_share"]),
        "n": fmt_int(figures["n"]),
        "min_cell": figures["min_cell"],
        "mean_change": _change(rows.get("mean")) if figures["shown"] else None,
        "share_change": _change(rows.get("share")) if figures["shown"] else None,
        "months": [
            {
                "name": fmt_month_name(m["month"]),
                "year": m["month"][:4],
                "n": fmt_int(m["n"]),
                "mean": fmt_mean(m["mean"]),
                "positive_share": fmt_share(m["positive_share"]),
                "suppressed": m["suppressed"] or m["mean"] is None,
            }
            for m in figures["trend"]
        ],
        "hot_spot": spot and _hot_spot_view(spot),
        "may_act": may_act,
    }


def _hot_spot_view(cell: dict) -> dict:
    group = (cell.get("department") or {}).get("name") or (cell.get("client_type") or {}).get(
        "label", ""
    )
    finding = _("%(text)s — %(group)s: %(mean)s (n = %(n)s) wobec %(rest)s w reszcie urzędu") % {
        "text": cell["text"],
        "group": group,
        "mean": fmt_mean(cell["mean"]),
        "n": fmt_int(cell["n"]),
        "rest": fmt_mean(cell["rest_mean"]),
    }
    return {
        "id": cell["id"],
        "text": cell["text"],
        "kind": cell["kind"],
        "group": group,
        "mean": fmt_mean(cell["mean"]),
        "n": fmt_int(cell["n"]),
        "rest_mean": fmt_mean(cell["rest_mean"]),
        "finding": finding,
    }


def dashboard_satisfaction(*, office, user, today: date | None = None) -> dict:
    """Satisfaction for the dashboard: the last 12 months (with the sparkline and the
    weakest hot spot) and the year so far."""
    figures = dashboard_figures(office=office, today=today)
    may_act = can(user, office, Perm.ACTIONS)
    months = _period_view("12m", figures["12m"], may_act=may_act)
    months["sparkline"] = sparkline(figures["12m"]["trend"], label_id="pulpit-wykres-opis")
    year = _period_view("ytd", figures["ytd"], may_act=may_act)
    return {"last_12_months": months, "year_so_far": year, "dashboard_periods": [months, year]}
