"""Reading actions, always through the office."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.accounts.models import User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import Department
from ocenurzad.reports.compute.hotspots import hot_spot_id_parse
from ocenurzad.surveys.definition import iter_questions, localized
from ocenurzad.surveys.models import SurveyVersion

from .models import Action, ActionStatus

OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


def action_get(*, office, action_id) -> Action:
    """The office's action, or 404 — the same for a missing and a foreign id."""
    try:
        return Action.objects.select_related("owner", "department").get(
            office=office, pk=int(action_id)
        )
    except (Action.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class ActionFilters:
    status: str = ""
    kind: str = ""
    year: int | None = None
    department_id: int | None = None
    overdue: bool = False


def actions_list(*, office, filters: ActionFilters | None = None) -> list[Action]:
    filters = filters or ActionFilters()
    query = Action.objects.filter(office=office).select_related("owner", "department")
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.kind:
        query = query.filter(kind=filters.kind)
    if filters.year:
        query = query.filter(year=filters.year)
    if filters.department_id:
        query = query.filter(department_id=filters.department_id)
    if filters.overdue:
        query = query.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
    return list(query.order_by("-year", "-number"))


def action_years(*, office) -> list[int]:
    return sorted(
        set(Action.objects.filter(office=office).values_list("year", flat=True)), reverse=True
    )


def actions_due(*, office, today: date | None = None, within_days: int = 14) -> dict:
    """Open actions overdue and due within ``within_days`` (for the dashboard)."""
    today = today or timezone.localdate()
    open_actions = list(
        Action.objects.filter(office=office, status__in=OPEN_STATUSES).order_by("deadline")
    )
    overdue = [a for a in open_actions if a.deadline < today]
    soon = [
        a for a in open_actions if today <= a.deadline and (a.deadline - today).days <= within_days
    ]
    return {"overdue": overdue, "soon": soon, "open": len(open_actions)}


@dataclass(frozen=True)
class Target:
    type: str  # "area" or "item"
    key: str
    label: str
    area_label: str = ""

    @property
    def value(self) -> str:
        return f"{self.type}:{self.key}"


def action_target_choices(*, office) -> list[Target]:
    """What an action can address in the survey residents answer now: each rated area,
    then its rated items, by their stable keys."""
    version = (
        SurveyVersion.objects.filter(
            office=office, status=SurveyVersion.Status.PUBLISHED, survey__current_version=F("pk")
        )
        .only("definition")
        .first()
    )
    if version is None:
        return []
    targets = []
    seen_areas = set()
    for section, question in iter_questions(version.definition):
        if section.get("kind") != "area" or question.get("kind") != "rating":
            continue
        if question.get("importance_of"):
            continue
        area_label = localized(section.get("title"), "pl")
        if section["key"] not in seen_areas:
            seen_areas.add(section["key"])
            targets.append(Target("area", section["key"], area_label))
        targets.append(
            Target("item", question["key"], localized(question.get("text"), "pl"), area_label)
        )
    return targets


def action_owner_choices(*, office) -> list[User]:
    return list(
        User.objects.filter(office=office, is_active=True).order_by("last_name", "first_name")
    )


def action_department_choices(*, office) -> list[Department]:
    return list(Department.objects.filter(office=office).order_by("position", "name", "pk"))


def action_history(*, office, action: Action) -> list[AuditEntry]:
    """The action's history: its audit entries, oldest first."""
    return list(
        AuditEntry.objects.filter(
            office=office, target_type="action", target_id=str(action.pk)
        ).order_by("at", "pk")
    )


def action_missing_targets(*, office, action: Action) -> list[dict]:
    """The targets of an action that the survey residents answer now no longer asks
    (an item removed in a later version): the action keeps them, and says so."""
    current = {t.value for t in action_target_choices(office=office)}
    return [t for t in action.targets if f"{t.get('type')}:{t.get('key')}" not in current]


def hot_spot_prefill(*, office, hotspot_id: str) -> dict:
    """What a new action addresses when it is made from a report's hot spot: the item or
    area of the identifier (if the current survey asks it), its department (if it is
    the office's) and a sentence naming them. An identifier that is not one gives
    nothing (``hotspot_id`` empty)."""
    parsed = hot_spot_id_parse(hotspot_id[:200])
    empty = {"hotspot_id": "", "targets": [], "department": "", "finding": ""}
    if parsed is None:
        return empty
    target = f"{parsed['kind']}:{parsed['key']}"
    known = {t.value: t for t in action_target_choices(office=office)}
    department = None
    if parsed["department_id"] is not None:
        department = Department.objects.filter(office=office, pk=parsed["department_id"]).first()
    where = department.name if department else parsed["client_type"] or ""
    label = known[target].label if target in known else parsed["key"]
    finding = _("Obszar do poprawy z raportu (%(period)s): %(label)s — %(where)s.") % {
        "period": parsed["period"],
        "label": label,
        "where": where,
    }
    return {
        "hotspot_id": hotspot_id,
        "targets": [target] if target in known else [],
        "department": str(department.pk) if department else "",
        "finding": finding,
    }


def actions_for_report(
    *, office, start: date, end: date, period_token: str, department_id: int | None = None
) -> list[Action]:
    """The actions a report of ``start``..``end`` accounts for: those open at some time in
    the period (made by its end, not completed or dropped before its start) and those made
    on this period's hot spots (identifier ending in ``period_token``), whenever made. A
    report of one department: that department's actions only. Oldest first."""
    query = Action.objects.filter(office=office).select_related("owner", "department")
    if department_id is not None:
        query = query.filter(department_id=department_id)
    open_in_period = (
        Q(created_at__date__lte=end)
        & (Q(done_on__isnull=True) | Q(done_on__gte=start))
        & (Q(dropped_on__isnull=True) | Q(dropped_on__gte=start))
    )
    on_its_hot_spots = Q(hotspot_id__endswith=f"|{period_token}")
    return list(query.filter(open_in_period | on_its_hot_spots).order_by("year", "number"))
