"""Small builders of report figures from distributions (see stats.py)."""

from .. import stats

EMPTY = (0, 0, 0, 0, 0, 0)
RATING_KEYS = ("1", "2", "3", "4", "5")


def rating_figures(dist) -> dict:
    """n, mean, distribution, na and positive share of one distribution."""
    return {
        "n": stats.rating_n(dist),
        "mean": stats.round_mean(stats.rating_mean(dist)),
        "distribution": dict(zip(RATING_KEYS, dist[:5], strict=True)),
        "na": dist[5],
        "positive_share": stats.round_share(stats.positive_share(dist)),
    }


def sum_dists(dists) -> list[int]:
    total = [0, 0, 0, 0, 0, 0]
    for dist in dists:
        for i in range(6):
            total[i] += dist[i]
    return total


def difference(now, before) -> dict:
    diff = stats.mean_difference(now, before)
    ci95 = diff["ci95"]
    return {
        "mean_now": stats.round_mean(diff["mean_now"]),
        "mean_before": stats.round_mean(diff["mean_before"]),
        "diff": stats.round_mean(diff["diff"]),
        "ci95": [stats.round_mean(ci95[0]), stats.round_mean(ci95[1])] if ci95 else None,
        "n_now": diff["n_now"],
        "n_before": diff["n_before"],
        "significant": diff["significant"],
    }
