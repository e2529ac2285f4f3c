"""Statistics of a report: pure functions of value counts, no database, no Django.

A *distribution* is a sequence of six counts, as the rollups keep them: how many gave
1, 2, 3, 4, 5 and — at index 5 — "nie dotyczy" (na). "na" never enters n, a mean, a share
or a variance. Functions return unrounded floats (None where there is nothing to compute);
rounding for display is ``round_mean`` / ``round_share``, applied once, at the end.
"""

import math
from collections.abc import Sequence

NA_INDEX = 5
# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z95 = 1.959963984540054
# Below this many ratings on either side a difference is never called significant.
MIN_N_SIGNIFICANT = 30


def empty_distribution() -> list[int]:
    return [0, 0, 0, 0, 0, 0]


def rating_n(counts: Sequence[int]) -> int:
    """How many ratings 1..5 (na left out)."""
    return counts[0] + counts[1] + counts[2] + counts[3] + counts[4]


def rating_sum(counts: Sequence[int]) -> int:
    return counts[0] + 2 * counts[1] + 3 * counts[2] + 4 * counts[3] + 5 * counts[4]


def rating_mean(counts: Sequence[int]) -> float | None:
    """The mean rating, or None without ratings. Integer sum over integer n, so the same
    counts always give the very same float."""
    n = rating_n(counts)
    return rating_sum(counts) / n if n else None


def positive_share(counts: Sequence[int]) -> float | None:
    """The share (0..1) of ratings that are 4 or 5, or None without ratings."""
    n = rating_n(counts)
    return (counts[3] + counts[4]) / n if n else None


def rating_variance(counts: Sequence[int]) -> float | None:
    """The sample variance (divisor n - 1) of the ratings, or None when n < 2."""
    n = rating_n(counts)
    if n < 2:
        return None
    mean = rating_sum(counts) / n
    squares = sum(counts[i] * (i + 1 - mean) ** 2 for i in range(5))
    return squares / (n - 1)


def mean_difference(
    now: Sequence[int], before: Sequence[int], *, min_n: int = MIN_N_SIGNIFICANT
) -> dict:
    """Compare the mean rating of two independent samples, given as distributions.

    Returns ``mean_now``, ``mean_before``, ``diff`` (now - before), ``ci95`` — the 95%
    confidence interval of the difference by the normal approximation, ``diff ± 1.96 ·
    sqrt(s²_now / n_now + s²_before / n_before)`` with sample variances from the counts —
    ``n_now``, ``n_before`` and ``significant``: the interval excludes 0 and both samples
    have at least ``min_n`` ratings (a z test at the 5% level). Figures that cannot be
    computed (no ratings; fewer than two for the interval) are None; then ``significant``
    is False.
    """
    n_now, n_before = rating_n(now), rating_n(before)
    mean_now, mean_before = rating_mean(now), rating_mean(before)
    diff = ci95 = None
    significant = False
    if mean_now is not None and mean_before is not None:
        diff = mean_now - mean_before
        var_now, var_before = rating_variance(now), rating_variance(before)
        if var_now is not None and var_before is not None:
            half = Z95 * math.sqrt(var_now / n_now + var_before / n_before)
            ci95 = (diff - half, diff + half)
            excludes_zero = ci95[0] > 0 or ci95[1] < 0
            significant = excludes_zero and n_now >= min_n and n_before >= min_n
    return {
        "mean_now": mean_now,
        "mean_before": mean_before,
        "diff": diff,
        "ci95": ci95,
        "n_now": n_now,
        "n_before": n_before,
        "significant": significant,
    }


def round_mean(value: float | None) -> float | None:
    """Means, differences and their intervals are shown to 2 decimals (never as -0.0)."""
    return None if value is None else round(value, 2) + 0.0


def round_share(value: float | None) -> float | None:
    """Shares (0..1) are kept to 4 decimals."""
    return None if value is None else round(value, 4) + 0.0


def share(count: int, total: int) -> float | None:
    """count / total to 4 decimals, None when total is 0."""
    return round_share(count / total) if total else None
