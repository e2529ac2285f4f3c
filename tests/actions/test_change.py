"""„Zmiana po wdrożeniu": the before/after of a completed action, against an independent
recount, on data with a known change, and with a seasonal pattern and an office-wide
drift that a naive before/after mistakes for a change."""

import random
import statistics
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from ocenurzad.actions.change import action_change_after, change_windows
from ocenurzad.actions.models import Action
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)
DONE_ON = date(2026, 3, 20)  # after: April–November 2026; a year earlier: April–November 2025


def _items(office):
    definition = office.survey.current_version.definition
    targeted, others = [], []
    for section, question in iter_questions(definition):
        if section.get("kind") == "area" and question["kind"] == "rating":
            if question.get("importance_of"):
                continue
            (targeted if section["key"] == "terminowosc" else others).append(question["key"])
    return targeted, others


def _clamp(x: float) -> int:
    return max(1, min(5, round(x)))


def _simulate(office, *, true_change: float, seasonal: float, drift: float, per_month=45):
    """Two years of responses. Every spring (March–May) ALL items rise by ``seasonal``;
    everything in 2026 rises by ``drift`` (office-wide); targeted items rise by a further
    ``true_change`` from April 2026 (after the action)."""
    rng = random.Random(20261205)
    targeted, others = _items(office)
    version = office.survey.current_version
    department = office.departments.first()
    rows = []
    for year in (2024, 2025, 2026):
        for month in range(1, 13):
            if date(year, month, 1) >= date(2026, 12, 1):
                break
            season = seasonal if month in (3, 4, 5) else 0.0
            shift = drift if year == 2026 else 0.0
            action_shift = true_change if date(year, month, 1) >= date(2026, 4, 1) else 0.0
            for i in range(per_month):
                person = rng.gauss(0, 0.6)  # respondents differ: clustering is real
                answers = {}
                for key in targeted:
                    answers[key] = _clamp(
                        3.0 + person + season + shift + action_shift + rng.gauss(0, 0.7)
                    )
                for key in others:
                    answers[key] = _clamp(3.6 + person + season + shift + rng.gauss(0, 0.7))
                day = 1 + i % 28
                rows.append(
                    Response(
                        office=office,
                        version=version,
                        channel="paper",
                        department=department,
                        submitted_at=timezone.make_aware(
                            datetime.combine(date(year, month, day), time(10))
                        ),
                        answers=answers,
                    )
                )
    Response.objects.bulk_create(rows, batch_size=1000)
    return targeted, others


def _action(office, **fields):
    data = {
        "office": office,
        "year": 2026,
        "number": 1,
        "title": "Krótszy czas załatwienia sprawy",
        "targets": [{"type": "area", "key": "terminowosc", "label": "Terminowość"}],
        "owner_name": "Jan Kowalski",
        "deadline": date(2026, 3, 31),
        "status": "done",
        "done_on": DONE_ON,
    }
    data.update(fields)
    return Action.objects.create(**data)


def _recount(office, targeted, others, start, end):
    """Independent recount of mean(d) and its variance, straight from the stored answers."""
    d = []
    for answers in Response.objects.filter(
        office=office,
        submitted_at__date__gte=start,
        submitted_at__date__lt=end,
    ).values_list("answers", flat=True):
        t = [answers[k] for k in targeted if isinstance(answers.get(k), int)]
        u = [answers[k] for k in others if isinstance(answers.get(k), int)]
        if t and u:
            d.append(statistics.fmean(t) - statistics.fmean(u))
    return statistics.fmean(d), statistics.variance(d), len(d)


def test_windows_are_whole_months_after_completion_and_at_most_twelve():
    assert change_windows(done_on=date(2026, 3, 20), today=date(2026, 4, 30)) is None
    assert change_windows(done_on=date(2026, 3, 20), today=date(2026, 5, 1)) == (
        date(2026, 4, 1),
        date(2026, 5, 1),
    )
    assert change_windows(done_on=date(2024, 12, 31), today=date(2026, 12, 5)) == (
        date(2025, 1, 1),
        date(2026, 1, 1),
    )


def test_a_known_change_is_found_and_equals_an_independent_recount(office):
    targeted, others = _simulate(office, true_change=0.6, seasonal=0.8, drift=0.3)
    action = _action(office)

    result = action_change_after(action=action, today=TODAY)

    after = _recount(office, targeted, others, date(2026, 4, 1), date(2026, 12, 1))
    before = _recount(office, targeted, others, date(2025, 4, 1), date(2025, 12, 1))
    assert result.after.n == after[2] and result.before.n == before[2]
    assert result.change == pytest.approx(after[0] - before[0], abs=1e-12)
    se = (after[1] / after[2] + before[1] / before[2]) ** 0.5
    assert result.ci95[0] == pytest.approx(after[0] - before[0] - 1.959963984540054 * se)
    assert result.state == "improved"
    # clamping to 1..5 shrinks a +0.6 shift a little; the interval holds the recount
    assert result.ci95[0] < result.change < result.ci95[1]
    assert 0.35 < result.change < 0.65


def test_season_and_drift_alone_are_not_called_a_change_though_a_naive_comparison_would(office):
    targeted, _others = _simulate(office, true_change=0.0, seasonal=0.8, drift=0.3)
    action = _action(office, done_on=date(2026, 2, 27))  # after: March–November 2026

    result = action_change_after(action=action, today=TODAY)

    assert result.state == "no_clear_change", result
    assert result.ci95[0] < 0 < result.ci95[1]
    # the naive before/after: targeted items in the 3 months after vs the 3 months before
    naive_after = _targeted_mean(office, targeted, date(2026, 3, 1), date(2026, 6, 1))
    naive_before = _targeted_mean(office, targeted, date(2025, 12, 1), date(2026, 3, 1))
    assert naive_after - naive_before > 0.5  # it would have reported a big "improvement"


def _targeted_mean(office, targeted, start, end):
    values = [
        v
        for answers in Response.objects.filter(
            office=office, submitted_at__date__gte=start, submitted_at__date__lt=end
        ).values_list("answers", flat=True)
        for k in targeted
        if isinstance(v := answers.get(k), int)
    ]
    return statistics.fmean(values)


def test_too_early_without_a_whole_month_or_enough_respondents(office):
    _simulate(office, true_change=0.6, seasonal=0.0, drift=0.0, per_month=3)
    recent = _action(office, done_on=date(2026, 11, 10))
    sparse = _action(office, number=2, done_on=DONE_ON)

    early = action_change_after(action=recent, today=TODAY)
    few = action_change_after(action=sparse, today=TODAY)

    assert early.state == "too_early" and "pełny miesiąc" in early.reason
    assert few.state == "too_early" and "Za mało odpowiedzi" in few.reason
    assert few.change is None


def test_an_open_action_is_not_assessed(office):
    action = _action(office, status="in_progress", done_on=None)
    assert action_change_after(action=action, today=TODAY).state == "not_done"


def test_a_department_action_counts_only_that_departments_respondents(office):
    _simulate(office, true_change=0.6, seasonal=0.0, drift=0.0)
    other = office.departments.last()
    action = _action(office, department=other)  # all simulated answers are elsewhere
    result = action_change_after(action=action, today=TODAY)
    assert result.after.n == 0 and result.state == "too_early"


def test_the_interval_covers_a_known_change_95_percent_of_the_time_and_the_naive_one_does_not():
    """1,000 simulated pairs of periods, respondents with their own level (clustering) and
    several rated items each; the true change of the contrast is +0.3. The respondent-level
    interval covers it in 93.5–96.5 % of them; the naive interval (every rating an
    independent observation) covers it far less often, so the test can tell."""
    from ocenurzad.actions.change import Z95, contrast_difference, side_from_ratings

    rng = random.Random(7)
    truth = 0.3

    def sample(shift, n=60):
        people = []
        for _ in range(n):
            person = rng.gauss(0, 0.3)
            own_gap = rng.gauss(0, 0.8)  # a respondent's own view of the targeted items
            targeted = [3.0 + person + own_gap + shift + rng.gauss(0, 0.4) for _ in range(3)]
            others = [3.5 + person + rng.gauss(0, 0.4) for _ in range(5)]
            people.append((targeted, others))
        return people

    covered = naive_covered = 0
    runs = 1000
    for _ in range(runs):
        before, after = sample(0.0), sample(truth)
        _change, (low, high) = contrast_difference(
            side_from_ratings(after), side_from_ratings(before)
        )
        covered += low <= truth <= high

        (ma, va), (mb, vb) = _pooled(after), _pooled(before)
        half = Z95 * (va + vb) ** 0.5
        naive_covered += (ma - mb) - half <= truth <= (ma - mb) + half
    assert 0.935 <= covered / runs <= 0.965, covered / runs
    assert naive_covered / runs < 0.85, naive_covered / runs


def _pooled(people):
    """The naive estimate: targeted minus untargeted ratings, every rating a unit."""
    t = [v for p in people for v in p[0]]
    u = [v for p in people for v in p[1]]
    return statistics.fmean(t) - statistics.fmean(u), (
        statistics.variance(t) / len(t) + statistics.variance(u) / len(u)
    )


def test_the_card_shows_the_change_in_words(client, office):
    from ocenurzad.accounts.models import Role
    from tests.actions.conftest import make_user

    _simulate(office, true_change=0.6, seasonal=0.0, drift=0.0, per_month=40)
    action = _action(office)  # done in March 2026: the simulated change starts in April
    admin = make_user(office, Role.OFFICE_ADMIN)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    body = client.get(f"/{office.slug}/admin/dzialania/{action.pk}/").content.decode()

    assert "Zmiana po wdrożeniu" in body
    assert "Wyraźna poprawa względem pozostałych pytań" in body
    assert "nie dowodzi" in body  # never called an effect
