"""reports.stats: clustered means and shares, differences, Benjamini–Hochberg and the verdict
on a change, each checked against an independent computation from raw per-respondent data
— and a seeded simulation with a known truth in which the clustered 95% interval covers the
true difference about 95% of the time while the naive one (every rating independent, the
method reports used before) does not, so the simulation can tell the two apart.
"""

import math
import random
import statistics
from fractions import Fraction

import pytest
from django.test import override_settings

from ocenurzad.reports import stats
from ocenurzad.reports.stats import Code, Sums

# --- an independent recount ---------------------------------------------------------------


def clustered_by_hand(respondents, *, positive=False):
    """The ratio mean of all ratings and its linearisation SE, from the raw lists of
    ratings, with Fractions and plain loops (shares nothing with stats.py)."""
    people = [r for r in respondents if r]
    n = len(people)
    ys = [sum(1 for v in r if v >= 4) if positive else sum(r) for r in people]
    ms = [len(r) for r in people]
    ratio = Fraction(sum(ys), sum(ms))
    residuals = [y - ratio * m for y, m in zip(ys, ms, strict=True)]
    mean_residual = sum(residuals) / n
    variance = Fraction(n, n - 1) * sum((e - mean_residual) ** 2 for e in residuals) / sum(ms) ** 2
    return float(ratio), math.sqrt(variance)


def sums_of(respondents):
    total = Sums()
    for ratings in respondents:
        total = total + Sums.of_respondent(ratings)
    return total


def random_respondents(rng, count, *, low=1, high=5):
    return [[rng.randint(low, high) for _ in range(rng.randint(0, 9))] for _ in range(count)]


# --- clustered estimates ------------------------------------------------------------------


def test_the_clustered_mean_and_share_equal_a_recount_from_raw_ratings():
    rng = random.Random(7)
    respondents = random_respondents(rng, 80)

    sums = sums_of(respondents)
    mean, share = stats.mean_estimate(sums), stats.share_estimate(sums)

    people = [r for r in respondents if r]
    assert sums.n == len(people) and sums.m == sum(map(len, people))
    assert mean.n == len(people) and mean.ratings == sums.m
    expected_mean, expected_se = clustered_by_hand(respondents)
    assert mean.value == pytest.approx(expected_mean, abs=1e-12)
    assert mean.se == pytest.approx(expected_se, rel=1e-12)
    expected_share, expected_share_se = clustered_by_hand(respondents, positive=True)
    assert share.value == pytest.approx(expected_share, abs=1e-12)
    assert share.se == pytest.approx(expected_share_se, rel=1e-12)
    low, high = mean.ci95
    assert (high - low) / 2 == pytest.approx(stats.Z95 * expected_se)


def test_sums_add_up_and_the_rest_is_the_total_minus_the_cell():
    rng = random.Random(8)
    cell, others = random_respondents(rng, 30), random_respondents(rng, 50)

    assert sums_of(cell) + sums_of(others) == sums_of(cell + others)
    assert sums_of(cell + others) - sums_of(cell) == sums_of(others)
    stored = [0] * 9
    for ratings in cell:
        if ratings:
            stats.add_respondent(
                stored, sum(ratings), len(ratings), sum(1 for v in ratings if v >= 4)
            )
    assert Sums(*stored) == sums_of(cell)


def test_one_question_has_the_simple_standard_error():
    counts = [3, 5, 10, 20, 12, 4]  # 1..5 and "nie dotyczy"
    values = [v for v, c in zip(range(1, 6), counts, strict=False) for _ in range(c)]

    mean = stats.item_mean(counts)
    share = stats.item_share(counts)

    assert mean.n == mean.ratings == 50  # "na" never counts
    assert mean.value == pytest.approx(statistics.mean(values))
    assert mean.se == pytest.approx(statistics.stdev(values) / math.sqrt(50))
    p = 32 / 50
    assert share.value == pytest.approx(p)
    assert share.se == pytest.approx(math.sqrt(p * (1 - p) / 49))
    # The same as one respondent per rating through the clustered formula.
    assert stats.mean_estimate(sums_of([[v] for v in values])) == mean


def test_nothing_to_estimate_gives_none_not_an_error():
    assert stats.mean_estimate(Sums()).value is None
    one = stats.mean_estimate(Sums.of_respondent([4, 5]))
    assert one.value == 4.5 and one.se is None and one.ci95 is None
    assert stats.difference(one, one).p is None
    assert stats.difference(stats.mean_estimate(Sums()), one).diff is None


def test_every_rating_alike_within_each_period_is_a_certain_difference():
    all_fives = stats.item_mean([0, 0, 0, 0, 40, 0])
    all_fours = stats.item_mean([0, 0, 0, 40, 0, 0])
    assert all_fives.se == 0
    assert stats.difference(all_fives, all_fours).p == 0.0
    assert stats.difference(all_fives, all_fives).p == 1.0


# --- differences ----------------------------------------------------------------------


def test_a_difference_has_its_interval_and_two_sided_p_value():
    a = stats.Estimate(4.2, 0.05, 300, 2000)
    b = stats.Estimate(4.0, 0.05, 280, 1900)

    d = stats.difference(a, b)

    se = math.sqrt(0.05**2 * 2)
    assert d.diff == pytest.approx(0.2) and d.se == pytest.approx(se)
    assert d.ci95 == pytest.approx((0.2 - 1.959964 * se, 0.2 + 1.959964 * se))
    z = 0.2 / se
    assert d.p == pytest.approx(2 * (1 - statistics.NormalDist().cdf(z)))
    wider = d.interval(0.99)
    assert wider[0] < d.ci95[0] and wider[1] > d.ci95[1]


def test_a_cell_is_compared_with_the_rest_of_the_office_not_with_a_total_containing_it():
    rng = random.Random(9)
    cell = [[rng.randint(1, 3) for _ in range(5)] for _ in range(40)]
    rest = [[rng.randint(3, 5) for _ in range(5)] for _ in range(400)]

    d = stats.versus_rest(sums_of(cell), sums_of(cell + rest))

    cell_mean, cell_se = clustered_by_hand(cell)
    rest_mean, rest_se = clustered_by_hand(rest)
    assert d.a.value == pytest.approx(cell_mean) and d.b.value == pytest.approx(rest_mean)
    assert d.diff == pytest.approx(cell_mean - rest_mean)
    assert d.se == pytest.approx(math.hypot(cell_se, rest_se))
    assert d.b.n == 400
    shares = stats.versus_rest(sums_of(cell), sums_of(cell + rest), share=True)
    assert shares.diff == pytest.approx(
        clustered_by_hand(cell, positive=True)[0] - clustered_by_hand(rest, positive=True)[0]
    )
    with pytest.raises(ValueError):
        stats.versus_rest(sums_of(cell + rest), sums_of(cell))


# --- Benjamini–Hochberg -----------------------------------------------------------------


def test_benjamini_hochberg_adjusts_like_the_textbook():
    # sorted 0.005, 0.01, 0.03, 0.04 (m = 4): 0.02, 0.02, 0.04, 0.04 after the step-up
    adjusted = stats.benjamini_hochberg([0.01, 0.04, None, 0.03, 0.005])
    assert adjusted == pytest.approx([0.02, 0.04, None, 0.04, 0.02])
    assert adjusted[2] is None
    assert stats.benjamini_hochberg([0.9, 0.8]) == pytest.approx([0.9, 0.9])
    assert stats.benjamini_hochberg([]) == []


def test_a_family_adjusts_every_test_of_the_report_together():
    family = stats.TestFamily()
    significant_alone = stats.Difference(None, None, 0.3, 0.1, 0.02)
    for i in range(9):
        family.add(f"item:{i}", stats.Difference(None, None, 0.0, 0.1, 0.5 + i / 100))
    assert family.add("area:x", significant_alone)
    assert not family.add("item:none", stats.Difference(None, None, None, None, None))
    with pytest.raises(ValueError):
        family.add("area:x", significant_alone)

    adjusted = family.adjusted()

    assert len(family) == 10 and "item:none" not in adjusted
    assert adjusted["area:x"] == pytest.approx(0.2)  # 0.02 · 10 / 1: no longer below 5%
    assert family.kept() == 0
    with pytest.raises(RuntimeError):
        family.add("late", significant_alone)


def test_many_unchanged_items_raise_no_false_alarm_after_the_correction():
    """Negative control of the correction: 40 items that did not change, 2,000 reports.
    Unadjusted, most reports would show at least one "change"; adjusted, about 5%."""
    rng = random.Random(10)
    any_raw = any_adjusted = 0
    reports = 2000
    for _ in range(reports):
        pvalues = [rng.random() for _ in range(40)]
        any_raw += min(pvalues) <= 0.05
        any_adjusted += min(stats.benjamini_hochberg(pvalues)) <= 0.05
    assert any_raw / reports > 0.8
    assert any_adjusted / reports < 0.07


# --- the verdict ----------------------------------------------------------------------


def estimate(value, n, se=0.03):
    return stats.Estimate(value, se, n, n * 8)


def change(now, before, *, p_adjusted=0.001, **kwargs):
    return stats.reliable_change(stats.difference(now, before), p_adjusted=p_adjusted, **kwargs)


def test_a_clear_change_with_enough_respondents_is_reliable():
    verdict = change(estimate(4.3, 500), estimate(4.0, 480))
    assert verdict.reliable and verdict.code == Code.RELIABLE
    assert verdict.direction == "up" and verdict.reason is None
    assert change(estimate(3.7, 500), estimate(4.0, 480)).direction == "down"


def test_too_few_respondents_in_either_period_is_said_plainly():
    verdict = change(estimate(4.3, 500), estimate(3.0, 12))
    assert not verdict.reliable and verdict.code == Code.FEW
    assert verdict.reason == (
        "w okresie porównawczym oceniło to tylko 12 osób (potrzeba co najmniej 30)"
    )
    assert (
        "wybranym okresie oceniło to tylko 22 osoby"
        in change(estimate(4.3, 22), estimate(3.0, 400)).reason
    )
    assert "tylko 1 osoba" in change(estimate(4.3, 1), estimate(3.0, 400)).reason


def test_a_change_that_does_not_survive_the_correction_is_not_reliable():
    verdict = change(estimate(4.3, 500), estimate(4.0, 480), p_adjusted=0.08)
    assert verdict.code == Code.NOT_SIGNIFICANT and "przypadkowa" in verdict.reason
    assert change(estimate(4.3, 500), estimate(4.0, 480), p_adjusted=None).code == (
        Code.NOT_SIGNIFICANT
    )


def test_a_change_below_the_minimum_worth_reporting_is_not_reliable():
    verdict = change(estimate(4.10, 5000, 0.005), estimate(4.0, 5000, 0.005))
    assert verdict.code == Code.TOO_SMALL
    assert verdict.reason == (
        "różnica (+0,10) jest mniejsza niż 0,15 — za mała, by miała znaczenie w praktyce"
    )
    shares = change(estimate(0.80, 5000, 0.005), estimate(0.77, 5000, 0.005), share=True)
    assert shares.code == Code.TOO_SMALL and "(+3,0 pkt proc.)" in shares.reason
    assert "niż 5 pkt proc." in shares.reason


def test_the_minimum_difference_and_n_are_settings():
    with override_settings(REPORT_MIN_DIFFERENCE=0.05, REPORT_COMPARE_MIN_N=10):
        assert change(estimate(4.10, 5000, 0.005), estimate(4.0, 5000, 0.005)).reliable
        assert change(estimate(4.4, 12), estimate(4.0, 12)).reliable
    assert not change(estimate(4.4, 12), estimate(4.0, 12)).reliable


def test_changed_wording_and_incomparable_periods_come_first():
    wording = change(estimate(4.3, 500), estimate(4.0, 480), wording_changed=True)
    assert wording.code == Code.WORDING and "treść pytania zmieniła się" in wording.reason
    reason = stats.comparable_periods(301, 26)
    assert reason.startswith("okres porównawczy obejmuje tylko 26 dni z odpowiedziami")
    periods = change(estimate(4.3, 500), estimate(4.0, 480), periods_reason=reason)
    assert periods.code == Code.PERIODS and periods.reason == reason
    assert stats.comparable_periods(14, 12) is None  # two short yearly campaigns compare
    assert "tylko 1 dzień" in stats.comparable_periods(1, 300)
    assert stats.comparable_periods(0, 10) == "w wybranym okresie nie ma żadnych odpowiedzi"
    no_data = stats.reliable_change(None, p_adjusted=None)
    assert no_data.code == Code.NO_DATA


# --- the simulation: a known truth, and a negative control -------------------------------

# Three kinds of respondent. Each kind rates from its own distribution of 1..5 and gives a
# number of ratings drawn from its own range, so one respondent's ratings are alike (the
# kind) and the number of ratings goes with the kind. The two periods differ in how many
# respondents are of each kind; the true mean of all ratings of a period is the ratio
# Σ_k π_k E[m|k] μ_k / Σ_k π_k E[m|k] — exactly known.
KIND_RATINGS = ([0.35, 0.30, 0.20, 0.10, 0.05], [0.05, 0.10, 0.30, 0.35, 0.20],
                [0.00, 0.02, 0.08, 0.30, 0.60])  # fmt: skip
KIND_COUNTS = ((6, 14), (4, 12), (2, 10))  # ratings per respondent, uniform
BEFORE, NOW = (0.25, 0.45, 0.30), (0.15, 0.45, 0.40)
RESPONDENTS = 120
SAMPLES = 1500


def true_figures(mix):
    expected_m = [(low + high) / 2 for low, high in KIND_COUNTS]
    weights = [pi * m for pi, m in zip(mix, expected_m, strict=True)]
    means = [sum((v + 1) * q for v, q in enumerate(probs)) for probs in KIND_RATINGS]
    positives = [probs[3] + probs[4] for probs in KIND_RATINGS]
    total = sum(weights)
    mean = sum(w * mu for w, mu in zip(weights, means, strict=True)) / total
    share = sum(w * p for w, p in zip(weights, positives, strict=True)) / total
    return mean, share


def simulated_period(rng, mix):
    """Sums and the pooled distribution (what the naive method sees) of one period."""
    kinds = rng.choices(range(3), weights=mix, k=RESPONDENTS)
    cumulative = [list(_accumulate(probs)) for probs in KIND_RATINGS]
    stored = [0] * 9
    pooled = [0] * 6
    for kind in kinds:
        low, high = KIND_COUNTS[kind]
        ratings = rng.choices(
            (1, 2, 3, 4, 5), cum_weights=cumulative[kind], k=rng.randint(low, high)
        )
        y = sum(ratings)
        p = 0
        for rating in ratings:
            pooled[rating - 1] += 1
            p += rating >= 4
        stats.add_respondent(stored, y, len(ratings), p)
    return Sums(*stored), pooled


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def covers(interval, truth):
    return interval[0] <= truth <= interval[1]


def test_the_clustered_interval_covers_a_known_difference_and_the_naive_one_does_not():
    rng = random.Random(20261205)
    (mean_now, share_now), (mean_before, share_before) = true_figures(NOW), true_figures(BEFORE)
    true_diff, true_share_diff = mean_now - mean_before, share_now - share_before
    clustered = shares = naive = 0
    for _ in range(SAMPLES):
        now, pooled_now = simulated_period(rng, NOW)
        before, pooled_before = simulated_period(rng, BEFORE)
        d = stats.difference(stats.mean_estimate(now), stats.mean_estimate(before))
        clustered += covers(d.ci95, true_diff)
        s = stats.difference(stats.share_estimate(now), stats.share_estimate(before))
        shares += covers(s.ci95, true_share_diff)
        naive += covers(stats.naive_difference(pooled_now, pooled_before).ci95, true_diff)

    assert 0.935 <= clustered / SAMPLES <= 0.965, clustered / SAMPLES
    assert 0.935 <= shares / SAMPLES <= 0.965, shares / SAMPLES
    # The negative control: the same samples, ratings taken as independent.
    assert naive / SAMPLES < 0.85, naive / SAMPLES
