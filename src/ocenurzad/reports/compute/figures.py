"""Small builders of report figures from distributions and clustered sums (see stats.py).

n is respondents everywhere: for one question each respondent gives one rating, so n is
also its number of ratings; for a scope of several questions (an area, every item) n is
the respondents who rated at least one of them 1–5 and ``n_ratings`` the ratings, a
secondary figure. Intervals are 95% confidence intervals, clustered by respondent for
scopes (stats.mean_estimate), simple for one question (stats.item_mean).
"""

from .. import stats

EMPTY = (0, 0, 0, 0, 0, 0)
RATING_KEYS = ("1", "2", "3", "4", "5")


def _interval(estimate: stats.Estimate, rnd) -> list | None:
    ci = estimate.ci95
    return [rnd(ci[0]), rnd(ci[1])] if ci else None


def rating_figures(dist) -> dict:
    """One question: n (respondents = ratings), mean with its 95% interval, distribution,
    na and positive share."""
    return {
        "n": stats.rating_n(dist),
        "mean": stats.round_mean(stats.rating_mean(dist)),
        "ci95": _interval(stats.item_mean(dist), stats.round_mean),
        "distribution": dict(zip(RATING_KEYS, dist[:5], strict=True)),
        "na": dist[5],
        "positive_share": stats.round_share(stats.positive_share(dist)),
    }


def scope_figures(dist, sums) -> dict:
    """Several questions (an area, every rated item): n respondents, n_ratings, the mean
    and the share of positive answers of all their ratings, each with its clustered 95%
    interval, and na. ``dist`` is the scope's distribution, ``sums`` its clustered sums
    (the same ratings, so the mean is the very same number)."""
    sums = stats.Sums(*sums) if sums else stats.Sums()
    mean, share = stats.mean_estimate(sums), stats.share_estimate(sums)
    return {
        "n": sums.n,
        "n_ratings": stats.rating_n(dist),
        "mean": stats.round_mean(stats.rating_mean(dist)),
        "ci95": _interval(mean, stats.round_mean),
        "positive_share": stats.round_share(stats.positive_share(dist)),
        "positive_share_ci95": _interval(share, stats.round_share),
        "na": dist[5],
    }


def sum_dists(dists) -> list[int]:
    total = [0, 0, 0, 0, 0, 0]
    for dist in dists:
        for i in range(6):
            total[i] += dist[i]
    return total
