"""Statistics of a report: pure functions of additive counters, no database.

Two kinds of counters come out of the rollups:

* A *distribution*: six counts, how many gave 1, 2, 3, 4, 5 and — at index 5 — "nie
  dotyczy" (na). One question, one rating per respondent. "na" never enters n, a mean, a
  share or a variance.
* ``Sums``: what a mean over *several ratings per respondent* (the overall index, an area)
  needs. The ratings of one respondent are alike (a pleased resident rates everything
  high), so they are not independent observations: the respondent is the unit (a
  *cluster*). Per respondent who gave at least one rating 1–5 in the scope,
  y = the sum of their ratings, m = how many ratings, p = how many of them are 4 or 5;
  a cell keeps n (those respondents), Σy, Σy², Σm, Σm², Σym, Σp, Σp², Σpm. Every one of
  them adds up across cells, days and months, so a report adds stored numbers and never
  reads raw answers again. Σp, Σp², Σpm are the same sums for the "positive answer"
  indicator (a rating of 4 or 5 counts 1): the share of positive answers is a mean of that
  indicator and needs its own Σp² and Σpm for its standard error; Σm² is shared.

The mean of all ratings is the ratio R = Σy / Σm. Its standard error is the
linearisation (Taylor) one of a ratio estimator with clusters — the "cluster-robust"
standard error of survey statistics::

    var(R) = n / (n - 1) · Σ (y_i - R · m_i)² / (Σm)²
           = n / (n - 1) · (Σy² - 2 R Σym + R² Σm²) / (Σm)²

computed here exactly in integers (the same sums always give the very same float). For
one question (m_i = 1 for everyone) it is the familiar s² / n (``Sums.of_distribution``),
so items and scopes go through the same code.

Two periods are compared as independent samples: diff = now - before, se = √(se₁² + se₂²),
a 95% interval diff ± 1.96 se and a two-sided p-value of the normal approximation. A report
tests many figures at once; ``TestFamily`` collects every test of one report and adjusts
the p-values by Benjamini–Hochberg (false discovery rate 5% by default). A change is
*reliable* (``reliable_change``) when both periods have at least the minimum number of
respondents, the BH-adjusted p-value is at most the rate (equivalently: the interval at
the level 1 - R·q/m of Benjamini & Yekutieli, R tests kept of m, excludes zero), and the
difference is at least the minimum worth reporting. Otherwise it says why, in Polish.

A cell against "the rest of the office" (``versus_rest``): the rest is the total minus the
cell (the sums subtract as they add), so the two are disjoint groups of respondents, and
the cell is never compared with a total that contains it.

Functions return unrounded floats (None where there is nothing to compute); rounding for
display is ``round_mean`` / ``round_share``, applied once, at the end.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

NA_INDEX = 5
# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z95 = 1.959963984540054
# Defaults of the settings that decide whether a change is reliable (see ``Thresholds``).
MIN_N_COMPARE = 30  # REPORT_COMPARE_MIN_N: respondents in each period
MIN_DIFFERENCE = 0.15  # REPORT_MIN_DIFFERENCE: on the 1–5 scale
MIN_SHARE_DIFFERENCE = 0.05  # REPORT_MIN_SHARE_DIFFERENCE: 5 percentage points
FDR_RATE = 0.05  # REPORT_FDR_RATE: Benjamini–Hochberg q
MIN_DAYS_RATIO = 0.5  # REPORT_COMPARE_MIN_DAYS_RATIO: days with responses, fewer / more


# --- distributions ---------------------------------------------------------------------


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


# --- clustered sums ---------------------------------------------------------------------


class Sums(NamedTuple):
    """Additive sums of a scope over respondents (clusters); see the module docstring.

    Stored in rollups as a plain list in this order (``list(sums)``; ``Sums(*stored)``
    reads it back). Add with ``+``, take the rest of a total with ``-``."""

    n: int = 0  # respondents with at least one rating 1–5 in the scope
    y: int = 0  # Σ y_i: sum of ratings
    yy: int = 0  # Σ y_i²
    m: int = 0  # Σ m_i: number of ratings
    mm: int = 0  # Σ m_i²
    ym: int = 0  # Σ y_i m_i
    p: int = 0  # Σ p_i: ratings of 4 or 5
    pp: int = 0  # Σ p_i²
    pm: int = 0  # Σ p_i m_i

    def __add__(self, other):  # type: ignore[override]
        return Sums(*(a + b for a, b in zip(self, other, strict=True)))

    def __sub__(self, other):
        return Sums(*(a - b for a, b in zip(self, other, strict=True)))

    @classmethod
    def of_respondent(cls, ratings: Iterable[int]) -> "Sums":
        """The sums of one respondent's ratings 1–5 (empty: no respondent)."""
        y = m = p = 0
        for rating in ratings:
            y += rating
            m += 1
            p += rating >= 4
        if not m:
            return cls()
        return cls(1, y, y * y, m, m * m, y * m, p, p * p, p * m)

    @classmethod
    def of_distribution(cls, counts: Sequence[int]) -> "Sums":
        """The sums of one question (one rating per respondent): m_i = 1 for each."""
        n = rating_n(counts)
        y = rating_sum(counts)
        yy = counts[0] + 4 * counts[1] + 9 * counts[2] + 16 * counts[3] + 25 * counts[4]
        p = counts[3] + counts[4]
        return cls(n, y, yy, n, n, y, p, p, p)


def add_respondent(into: list[int], y: int, m: int, p: int) -> None:
    """Add one respondent (y, m, p with m >= 1) to stored sums ``into`` (a list of nine),
    in place: the hot loop of building rollups."""
    into[0] += 1
    into[1] += y
    into[2] += y * y
    into[3] += m
    into[4] += m * m
    into[5] += y * m
    into[6] += p
    into[7] += p * p
    into[8] += p * m


@dataclass(frozen=True)
class Estimate:
    """A mean (1..5) or a share (0..1) with its standard error and its base."""

    value: float | None
    se: float | None  # None when it cannot be estimated (fewer than 2 respondents)
    n: int  # respondents
    ratings: int  # ratings behind it (= n for one question)

    @property
    def ci95(self) -> tuple[float, float] | None:
        if self.value is None or self.se is None:
            return None
        return (self.value - Z95 * self.se, self.value + Z95 * self.se)


def _ratio(n: int, num: int, num2: int, num_m: int, m: int, mm: int) -> Estimate:
    """R = num / m with the linearisation variance from Σnum², Σnum·m, Σm², exactly."""
    if not m:
        return Estimate(None, None, n, m)
    value = num / m
    if n < 2:
        return Estimate(value, None, n, m)
    # Σ (num_i - R m_i)² · m² = Σnum² m² - 2 num Σnum·m m + num² Σm²  (integers)
    squares = num2 * m * m - 2 * num * num_m * m + num * num * mm
    variance = n * squares / ((n - 1) * m**4)
    return Estimate(value, math.sqrt(max(variance, 0.0)), n, m)


def mean_estimate(sums: Sequence[int]) -> Estimate:
    """The mean of all ratings of a scope, clustered by respondent."""
    s = Sums(*sums)
    return _ratio(s.n, s.y, s.yy, s.ym, s.m, s.mm)


def share_estimate(sums: Sequence[int]) -> Estimate:
    """The share (0..1) of ratings that are 4 or 5, clustered by respondent."""
    s = Sums(*sums)
    return _ratio(s.n, s.p, s.pp, s.pm, s.m, s.mm)


def item_mean(counts: Sequence[int]) -> Estimate:
    """The mean rating of one question (one rating per respondent): SE = s / √n."""
    return mean_estimate(Sums.of_distribution(counts))


def item_share(counts: Sequence[int]) -> Estimate:
    """The share of 4–5 of one question: SE = √(p(1 - p) / (n - 1))."""
    return share_estimate(Sums.of_distribution(counts))


# --- differences ------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """``a`` minus ``b`` (now minus before, or a cell minus the rest), two independent
    estimates. ``diff`` is None when either has no value; ``se``, ``ci95`` and ``p`` are
    None when either has no standard error."""

    a: Estimate
    b: Estimate
    diff: float | None
    se: float | None
    p: float | None

    @property
    def ci95(self) -> tuple[float, float] | None:
        return self.interval(0.95)

    def interval(self, level: float) -> tuple[float, float] | None:
        """The two-sided interval of the given level (e.g. an FCR-adjusted one)."""
        if self.diff is None or self.se is None:
            return None
        z = _z(level)
        return (self.diff - z * self.se, self.diff + z * self.se)


def _z(level: float) -> float:
    if level == 0.95:
        return Z95
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2)


def difference(a: Estimate, b: Estimate) -> Difference:
    """The difference a - b of two independent estimates, its SE and two-sided p-value
    (normal approximation)."""
    if a.value is None or b.value is None:
        return Difference(a, b, None, None, None)
    diff = a.value - b.value
    if a.se is None or b.se is None:
        return Difference(a, b, diff, None, None)
    se = math.sqrt(a.se * a.se + b.se * b.se)
    # se == 0: every rating the same within each period; a difference is then certain.
    p = (1.0 if diff == 0 else 0.0) if se == 0 else math.erfc(abs(diff) / se / math.sqrt(2))
    return Difference(a, b, diff, se, p)


def versus_rest(cell: Sequence[int], total: Sequence[int], *, share: bool = False) -> Difference:
    """A cell (sums of its respondents) against the rest of the office: total - cell,
    respondents not in the cell. ``a`` is the cell, ``b`` the rest; a negative diff means
    the cell is rated lower than the rest. For one question pass
    ``Sums.of_distribution`` of both. ``share``: compare shares of 4–5 instead of means."""
    cell_sums = Sums(*cell)
    rest = Sums(*total) - cell_sums
    if rest.n < 0 or rest.m < 0:
        raise ValueError("the cell is not part of the total")
    estimate = share_estimate if share else mean_estimate
    return difference(estimate(cell_sums), estimate(rest))


# --- many tests in one report -----------------------------------------------------------


def benjamini_hochberg(pvalues: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order given; None (no
    test) stays None and does not count. A test is kept at false discovery rate q when
    its adjusted p-value is at most q."""
    indexed = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(indexed)
    out: list[float | None] = [None] * len(pvalues)
    running = 1.0
    for rank in range(m, 0, -1):
        p, i = indexed[rank - 1]
        running = min(running, p * m / rank)
        out[i] = running
    return out


class TestFamily:
    """Every test of one report (items, areas, overall, cells), so that all are adjusted
    together: add every test first, then read ``adjusted()`` once.

    Keys are the caller's (e.g. ``"zmiana:item:terminowosc"``, ``"obszar:…"``); adding a
    key twice is a programming error. A difference without a p-value is no test."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self._keys: list[str] = []
        self._p: list[float] = []
        self._adjusted: dict[str, float] | None = None

    def add(self, key: str, diff: Difference | None) -> bool:
        """Add a test; False when there is nothing to test (no p-value)."""
        if self._adjusted is not None:
            raise RuntimeError("the family is closed: add every test before adjusted()")
        if key in self._keys:
            raise ValueError(f"test {key!r} added twice")
        if diff is None or diff.p is None:
            return False
        self._keys.append(key)
        self._p.append(diff.p)
        return True

    def __len__(self) -> int:
        return len(self._keys)

    def adjusted(self) -> dict[str, float]:
        """The BH-adjusted p-value of every test, by key. Closes the family."""
        if self._adjusted is None:
            values = benjamini_hochberg(self._p)
            self._adjusted = {
                k: v for k, v in zip(self._keys, values, strict=True) if v is not None
            }
        return self._adjusted

    def kept(self, rate: float | None = None) -> int:
        """How many tests are kept (adjusted p <= rate)."""
        rate = thresholds().fdr_rate if rate is None else rate
        return sum(1 for q in self.adjusted().values() if q <= rate)


# --- the verdict ------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """What a reliable change needs; the defaults are settings (read when called)."""

    min_n: int = MIN_N_COMPARE
    min_difference: float = MIN_DIFFERENCE
    min_share_difference: float = MIN_SHARE_DIFFERENCE
    fdr_rate: float = FDR_RATE
    min_days_ratio: float = MIN_DAYS_RATIO


def thresholds() -> Thresholds:
    """The thresholds of this installation (Django settings ``REPORT_COMPARE_MIN_N``,
    ``REPORT_MIN_DIFFERENCE``, ``REPORT_MIN_SHARE_DIFFERENCE``, ``REPORT_FDR_RATE``,
    ``REPORT_COMPARE_MIN_DAYS_RATIO``)."""
    return Thresholds(
        min_n=int(getattr(settings, "REPORT_COMPARE_MIN_N", MIN_N_COMPARE)),
        min_difference=float(getattr(settings, "REPORT_MIN_DIFFERENCE", MIN_DIFFERENCE)),
        min_share_difference=float(
            getattr(settings, "REPORT_MIN_SHARE_DIFFERENCE", MIN_SHARE_DIFFERENCE)
        ),
        fdr_rate=float(getattr(settings, "REPORT_FDR_RATE", FDR_RATE)),
        min_days_ratio=float(getattr(settings, "REPORT_COMPARE_MIN_DAYS_RATIO", MIN_DAYS_RATIO)),
    )


class Code:
    """Why a change is or is not reliable (stable values, for JSON and tests)."""

    RELIABLE = "reliable"
    NO_DATA = "no_data"
    WORDING = "wording_changed"
    PERIODS = "periods_not_comparable"
    FEW = "few_respondents"
    NOT_SIGNIFICANT = "not_significant"
    TOO_SMALL = "too_small"


@dataclass(frozen=True)
class Change:
    """The verdict on one difference. ``direction`` is "up"/"down" for a reliable change
    (None otherwise); ``reason`` says in plain Polish why a change is not reliable."""

    reliable: bool
    code: str
    reason: str | None
    direction: str | None = None
    p_adjusted: float | None = None


def pl_plural(count: int, one: str, few: str, many: str) -> str:
    """The Polish form for ``count``: 1 osoba, 2–4 osoby, 5 osób, 22 osoby, 12 osób."""
    if count == 1:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def _people(count: int) -> str:
    return f"{count} {pl_plural(count, _('osoba'), _('osoby'), _('osób'))}"


def _pl_number(value: float, places: int = 2) -> str:
    text = f"{abs(value):.{places}f}".replace(".", ",")
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + text


def comparable_periods(
    days_now: int, days_before: int, *, min_ratio: float | None = None
) -> str | None:
    """Why two periods cannot be compared at all, or None when they can: each must hold
    responses on at least ``min_ratio`` as many days as the other (a year against the
    26 days at the end of the previous year in which the survey had already started is no
    comparison, whatever the numbers). Two short campaigns of similar length compare."""
    ratio = thresholds().min_days_ratio if min_ratio is None else min_ratio
    if days_before == 0:
        return _("w okresie porównawczym nie ma żadnych odpowiedzi")
    if days_now == 0:
        return _("w wybranym okresie nie ma żadnych odpowiedzi")
    if days_before < ratio * days_now:
        return _(
            "okres porównawczy obejmuje tylko %(before)d %(days)s z odpowiedziami, a wybrany "
            "okres %(now)d — okresów nie da się rzetelnie porównać"
        ) % {
            "before": days_before,
            "days": pl_plural(days_before, _("dzień"), _("dni"), _("dni")),
            "now": days_now,
        }
    if days_now < ratio * days_before:
        return _(
            "wybrany okres obejmuje tylko %(now)d %(days)s z odpowiedziami, a okres "
            "porównawczy %(before)d — okresów nie da się rzetelnie porównać"
        ) % {
            "now": days_now,
            "days": pl_plural(days_now, _("dzień"), _("dni"), _("dni")),
            "before": days_before,
        }
    return None


def reliable_change(
    diff: Difference | None,
    *,
    p_adjusted: float | None,
    share: bool = False,
    periods_reason: str | None = None,
    wording_changed: bool = False,
    limits: Thresholds | None = None,
) -> Change:
    """Whether a difference between two periods is a reliable change, and if not, why.

    Reliable = (a) both periods have at least ``min_n`` respondents (and the periods are
    comparable at all: ``periods_reason`` from ``comparable_periods`` is None), (b) the
    Benjamini–Hochberg adjusted p-value of the report's family (``TestFamily``) is at most
    the false discovery rate, (c) |diff| is at least the minimum difference worth
    reporting (``min_share_difference`` for shares). Checked in that order; the first
    failure is the reason. ``diff.a`` is the current period, ``diff.b`` the earlier one.
    """
    limits = limits or thresholds()
    if wording_changed:
        return Change(
            False,
            Code.WORDING,
            _("treść pytania zmieniła się między okresami, więc wyników nie porównano"),
        )
    if periods_reason:
        return Change(False, Code.PERIODS, periods_reason)
    if diff is None or diff.diff is None:
        missing_before = diff is None or diff.b.value is None
        return Change(
            False,
            Code.NO_DATA,
            _("brak ocen w okresie porównawczym")
            if missing_before
            else _("brak ocen w wybranym okresie"),
        )
    for estimate, text in (
        (diff.b, _("w okresie porównawczym oceniło to tylko %(people)s")),
        (diff.a, _("w wybranym okresie oceniło to tylko %(people)s")),
    ):
        if estimate.n < limits.min_n:
            reason = text % {"people": _people(estimate.n)} + _(
                " (potrzeba co najmniej %(min)d)"
            ) % {"min": limits.min_n}
            return Change(False, Code.FEW, reason, p_adjusted=p_adjusted)
    if p_adjusted is None or p_adjusted > limits.fdr_rate:
        return Change(
            False,
            Code.NOT_SIGNIFICANT,
            _(
                "różnica może być przypadkowa: po uwzględnieniu wszystkich porównań w raporcie "
                "nie można wykluczyć, że wynik się nie zmienił"
            ),
            p_adjusted=p_adjusted,
        )
    minimum = limits.min_share_difference if share else limits.min_difference
    if abs(diff.diff) < minimum:
        if share:
            reason = _(
                "różnica (%(diff)s pkt proc.) jest mniejsza niż %(min)s pkt proc. — za mała, "
                "by miała znaczenie w praktyce"
            ) % {
                "diff": _pl_number(diff.diff * 100, 1),
                "min": _pl_number(minimum * 100, 0).lstrip("+"),
            }
        else:
            reason = _(
                "różnica (%(diff)s) jest mniejsza niż %(min)s — za mała, by miała znaczenie "
                "w praktyce"
            ) % {"diff": _pl_number(diff.diff), "min": _pl_number(minimum).lstrip("+")}
        return Change(False, Code.TOO_SMALL, reason, p_adjusted=p_adjusted)
    return Change(
        True, Code.RELIABLE, None, "up" if diff.diff > 0 else "down", p_adjusted=p_adjusted
    )


# --- the naive comparison of old (kept for the negative control of the tests only) ------


def naive_difference(now: Sequence[int], before: Sequence[int]) -> Difference:
    """Ratings treated as independent observations, whatever respondent gave them: the
    method reports used before clustering. Wrong for a mean over several ratings per
    respondent (its interval is too narrow); right only for a single question. Kept so
    that the tests can show the difference — do not use it in a report."""

    def estimate(counts):
        n = rating_n(counts)
        variance = rating_variance(counts)
        se = math.sqrt(variance / n) if variance is not None else None
        return Estimate(rating_mean(counts), se, n, n)

    return difference(estimate(now), estimate(before))


# --- rounding ---------------------------------------------------------------------------


def round_mean(value: float | None) -> float | None:
    """Means, differences and their intervals are shown to 2 decimals (never as -0.0)."""
    return None if value is None else round(value, 2) + 0.0


def round_share(value: float | None) -> float | None:
    """Shares (0..1) are kept to 4 decimals."""
    return None if value is None else round(value, 4) + 0.0


def round_se(value: float | None) -> float | None:
    """Standard errors to 4 decimals (they are small)."""
    return None if value is None else round(value, 4) + 0.0


def share(count: int, total: int) -> float | None:
    """count / total to 4 decimals, None when total is 0."""
    return round_share(count / total) if total else None
