"""„Zmiana po wdrożeniu": what changed after a completed action — an observational
before/after, never called an effect (nothing here can prove one).

Design (a difference-in-differences at the respondent level):

- Windows: the whole calendar months after the month the action was completed, up to the
  last complete month (at most 12), against THE SAME MONTHS A YEAR EARLIER — so a seasonal
  pattern (a busy spring every year) is not mistaken for a change.
- Control: the office's items the action does not address, answered by the same
  respondents — so an office-wide drift (every item up by 0.2 this year) is not mistaken for
  a change either.
- Unit: the respondent. For each respondent who rated at least one targeted and one
  untargeted item, ``d = mean(targeted ratings) - mean(untargeted ratings)``. The change is
  ``mean(d after) - mean(d a year earlier)``; the two periods hold different respondents
  (anonymous, independent samples), so its standard error is
  ``sqrt(var(d after)/n_after + var(d before)/n_before)``, with a 95% normal interval. Each
  respondent counts once however many items they rated, so a long questionnaire does not
  make the interval falsely narrow.
- Verdict: "za wcześnie, by ocenić" until both windows have at least ``min_n`` such
  respondents; then "poprawa" / "pogorszenie" only when the interval excludes zero and the
  change is at least ``min_diff``; otherwise "bez wyraźnej zmiany".

A department-level action is judged on that department's respondents only; in a small
gmina that often takes a year of responses (the manual says so).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import SurveyVersion

from .models import Action, ActionStatus

Z95 = 1.959963984540054
MAX_MONTHS = 12


def _setting(name: str, default):
    return getattr(settings, name, default)


@dataclass
class Side:
    n: int = 0  # respondents with both targeted and untargeted ratings
    targeted: float | None = None  # mean over respondents of their targeted mean
    untargeted: float | None = None
    contrast: float | None = None  # mean of d
    variance: float | None = None  # sample variance of d


@dataclass
class ChangeAfter:
    state: str  # "not_done" | "too_early" | "improved" | "worsened" | "no_clear_change"
    reason: str = ""
    after_months: tuple[date, date] | None = None  # first and last day
    before_months: tuple[date, date] | None = None
    after: Side = field(default_factory=Side)
    before: Side = field(default_factory=Side)
    change: float | None = None
    ci95: tuple[float, float] | None = None
    min_n: int = 30
    department_name: str = ""

    @property
    def assessed(self) -> bool:
        return self.state in ("improved", "worsened", "no_clear_change")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def change_windows(*, done_on: date, today: date) -> tuple[date, date] | None:
    """[first day, day after the last day) of the whole months after the month of
    completion, up to the last complete month before ``today``, at most 12; None if no
    whole month has passed."""
    start = _add_months(_month_start(done_on), 1)
    end = min(_month_start(today), _add_months(start, MAX_MONTHS))
    if end <= start:
        return None
    return start, end


def _targets_by_version(action: Action, versions: dict[int, dict]) -> dict[int, tuple[set, set]]:
    """Per version: (targeted item keys, untargeted item keys) among rated area items."""
    item_keys = {t["key"] for t in action.targets if t.get("type") == "item"}
    area_keys = {t["key"] for t in action.targets if t.get("type") == "area"}
    result = {}
    for version_id, definition in versions.items():
        targeted, untargeted = set(), set()
        for section, question in iter_questions(definition):
            if section.get("kind") != "area" or question.get("kind") != "rating":
                continue
            if question.get("importance_of"):
                continue
            if question["key"] in item_keys or section["key"] in area_keys:
                targeted.add(question["key"])
            else:
                untargeted.add(question["key"])
        result[version_id] = (targeted, untargeted)
    return result


def _contrasts(rows, plan) -> tuple[list[float], list[float], list[float]]:
    d_values, t_means, u_means = [], [], []
    for version_id, answers in rows:
        keys = plan.get(version_id)
        if keys is None or not isinstance(answers, dict):
            continue
        targeted, untargeted = keys
        t = [v for k in targeted if isinstance(v := answers.get(k), int) and 1 <= v <= 5]
        u = [v for k in untargeted if isinstance(v := answers.get(k), int) and 1 <= v <= 5]
        if not t or not u:
            continue
        tm, um = sum(t) / len(t), sum(u) / len(u)
        t_means.append(tm)
        u_means.append(um)
        d_values.append(tm - um)
    return d_values, t_means, u_means


def _side(d_values, t_means, u_means) -> Side:
    n = len(d_values)
    if n == 0:
        return Side()
    mean_d = sum(d_values) / n
    variance = sum((d - mean_d) ** 2 for d in d_values) / (n - 1) if n > 1 else None
    return Side(
        n=n,
        targeted=sum(t_means) / n,
        untargeted=sum(u_means) / n,
        contrast=mean_d,
        variance=variance,
    )


def contrast_difference(after: Side, before: Side) -> tuple[float, tuple[float, float]]:
    """The change of the mean contrast between two independent samples of respondents,
    with its 95% interval (normal approximation; both sides need n >= 2)."""
    change = after.contrast - before.contrast
    se = math.sqrt(after.variance / after.n + before.variance / before.n)
    return change, (change - Z95 * se, change + Z95 * se)


def side_from_ratings(respondents) -> Side:
    """A Side from ``[(targeted ratings, untargeted ratings), …]``, one pair a respondent
    (for callers and tests that hold ratings rather than stored responses)."""
    d_values, t_means, u_means = [], [], []
    for targeted, untargeted in respondents:
        if targeted and untargeted:
            tm, um = sum(targeted) / len(targeted), sum(untargeted) / len(untargeted)
            d_values.append(tm - um)
            t_means.append(tm)
            u_means.append(um)
    return _side(d_values, t_means, u_means)


def _rows(*, action: Action, start: date, end: date):
    tz = timezone.get_current_timezone()
    query = Response.objects.filter(
        office_id=action.office_id,
        submitted_at__gte=datetime.combine(start, time.min, tzinfo=tz),
        submitted_at__lt=datetime.combine(end, time.min, tzinfo=tz),
    )
    if action.department_id:
        query = query.filter(department_id=action.department_id)
    return list(query.values_list("version_id", "answers").iterator(chunk_size=2000))


def action_change_after(*, action: Action, today: date | None = None) -> ChangeAfter:
    """The change after a completed action (see the module's docstring)."""
    min_n = int(_setting("ACTIONS_CHANGE_MIN_RESPONDENTS", 30))
    min_diff = float(_setting("REPORT_MIN_DIFFERENCE", 0.15))
    department_name = action.department.name if action.department_id else ""
    if action.status != ActionStatus.DONE or action.done_on is None:
        return ChangeAfter(state="not_done", min_n=min_n, department_name=department_name)
    if not action.targets:
        return ChangeAfter(
            state="too_early",
            reason=_(
                "Działanie nie wskazuje pytań ani obszarów ankiety, więc nie ma czego porównać."
            ),
            min_n=min_n,
            department_name=department_name,
        )
    today = today or timezone.localdate()
    window = change_windows(done_on=action.done_on, today=today)
    if window is None:
        return ChangeAfter(
            state="too_early",
            reason=_(
                "Od zakończenia działania nie minął jeszcze pełny miesiąc kalendarzowy z "
                "odpowiedziami."
            ),
            min_n=min_n,
            department_name=department_name,
        )
    start, end = window
    before_start, before_end = _add_months(start, -12), _add_months(end, -12)
    after_rows = _rows(action=action, start=start, end=end)
    before_rows = _rows(action=action, start=before_start, end=before_end)
    version_ids = {v for v, _a in after_rows} | {v for v, _a in before_rows}
    versions = dict(
        SurveyVersion.objects.filter(pk__in=version_ids).values_list("pk", "definition")
    )
    plan = _targets_by_version(action, versions)
    after = _side(*_contrasts(after_rows, plan))
    before = _side(*_contrasts(before_rows, plan))
    result = ChangeAfter(
        state="too_early",
        after_months=(start, _add_days(end, -1)),
        before_months=(before_start, _add_days(before_end, -1)),
        after=after,
        before=before,
        min_n=min_n,
        department_name=department_name,
    )
    if after.n < min_n or before.n < min_n:
        result.reason = _(
            "Za mało odpowiedzi, by ocenić: po zakończeniu %(after)s, rok wcześniej "
            "%(before)s (potrzeba co najmniej %(min)s w każdym okresie)."
        ) % {"after": after.n, "before": before.n, "min": min_n}
        return result
    change, (low, high) = contrast_difference(after, before)
    result.change, result.ci95 = change, (low, high)
    if low > 0 and change >= min_diff:
        result.state = "improved"
    elif high < 0 and -change >= min_diff:
        result.state = "worsened"
    else:
        result.state = "no_clear_change"
    return result


def _add_days(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)
