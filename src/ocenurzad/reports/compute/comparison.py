"""The comparison of a report's period with an earlier one (periods.comparison_period).

Every figure compared is a test of the report's ``stats.TestFamily``: the overall index
and its share of positive answers and each area (means over respondents' ratings, with
clustered standard errors from the rollups' sums), the overall-satisfaction question and
each item (one rating per respondent: the simple standard error). The verdicts wait until
every test of the report — the hot spots' too — is in the family: build first, then
``decide`` once the family is complete (report.py). A verdict says plainly why a change
is not reliable (stats.reliable_change).

Items whose wording differs between the versions answered in the two periods are not
compared; neither is anything when the periods are not comparable at all (responses on
far fewer days in one of them: stats.comparable_periods).
"""

from django.utils.translation import gettext as _

from ocenurzad.surveys.definition import iter_questions, localized

from .. import stats
from ..periods import Comparison
from ..rollups import SATISFACTION_KEY
from .figures import EMPTY
from .layout import PL, Layout
from .totals import Collected

EVERY_ITEM = "*"


def question_texts(versions) -> dict[str, set[str]]:
    """The Polish wordings of each rating question across ``versions``."""
    texts: dict[str, set[str]] = {}
    for version in versions:
        for _section, question in iter_questions(version.definition or {}):
            if question.get("kind") == "rating":
                text = localized(question.get("text"), PL) or question["key"]
                texts.setdefault(question["key"], set()).add(text)
    return texts


def method_text(limits: stats.Thresholds | None = None) -> str:
    """The method of the comparison in plain Polish, for the report's method section."""
    limits = limits or stats.thresholds()
    return _(
        "Zmianę nazywamy wiarygodną, gdy spełnia trzy warunki. (1) W obu okresach wynik "
        "opiera się na co najmniej %(min_n)d osobach, a odpowiedzi napływały w porównywalnej "
        "liczbie dni. (2) Różnica jest większa, niż mógłby ją wytłumaczyć przypadek: jej "
        "przedział ufności 95%% nie obejmuje zera także po poprawce na to, że raport "
        "porównuje jednocześnie wiele wyników (metoda Benjaminiego–Hochberga: wśród zmian "
        "uznanych za wiarygodne odsetek fałszywych alarmów nie przekracza %(rate)s). "
        "(3) Różnica wynosi co najmniej %(min_diff)s punktu na skali 1–5 (dla odsetka ocen "
        "pozytywnych: %(min_share)s punktów procentowych) — mniejsza nie ma znaczenia w "
        "praktyce. Podstawą jest liczba osób, a nie liczba ocen: oceny jednej osoby są do "
        "siebie podobne, więc przy wyniku ogólnym i średnich obszarów błąd liczymy tak, "
        "jakby każda osoba była jedną obserwacją ze wszystkimi swoimi ocenami (błąd "
        "standardowy estymatora ilorazowego, z grupowaniem według osoby). Okresy traktujemy "
        "jak niezależne próby."
    ) % {
        "min_n": limits.min_n,
        "rate": f"{limits.fdr_rate * 100:g}%".replace(".", ","),
        "min_diff": f"{limits.min_difference:.2f}".replace(".", ","),
        "min_share": f"{limits.min_share_difference * 100:g}".replace(".", ","),
    }


class ComparisonBuilder:
    """The comparison section of one report; see the module docstring."""

    def __init__(
        self,
        *,
        layout: Layout,
        now: Collected,
        before: Collected,
        periods: Comparison,
        versions_now: list,
        versions_before: list,
        family: stats.TestFamily,
    ):
        self.layout = layout
        self.now = now
        self.before = before
        self.periods = periods
        self.family = family
        self.limits = stats.thresholds()
        self.periods_reason = stats.comparable_periods(
            now.days, before.days, min_ratio=self.limits.min_days_ratio
        )
        texts_now, texts_before = question_texts(versions_now), question_texts(versions_before)
        self.reworded = {
            key
            for key in texts_now.keys() & texts_before.keys()
            if texts_now[key] != texts_before[key]
        }
        # (row, Difference, family key, share?, reworded?) of every figure compared
        self._pending: list[tuple[dict, stats.Difference | None, str, bool, bool]] = []
        self._decided = False
        self.item_changes: dict[str, dict] = {}  # item key -> its row (after decide)

    # -- building ---------------------------------------------------------------------

    def build(self) -> dict:
        """The section, its verdicts still empty (``decide`` fills them)."""
        now_k, before_k = self.now.total["k"], self.before.total["k"]
        now_all = now_k.get(EVERY_ITEM, stats.Sums())
        before_all = before_k.get(EVERY_ITEM, stats.Sums())
        overall = self._row(
            "ogolem:srednia",
            {"key": EVERY_ITEM, "title": _("Wynik ogólny (wszystkie oceny)")},
            stats.mean_estimate(now_all),
            stats.mean_estimate(before_all),
        )
        positive = self._row(
            "ogolem:odsetek",
            {"key": EVERY_ITEM, "title": _("Odsetek ocen pozytywnych (4 i 5)")},
            stats.share_estimate(now_all),
            stats.share_estimate(before_all),
            share=True,
        )
        areas = [
            self._row(
                f"obszar:{area.key}",
                {"key": area.key, "title": area.title},
                stats.mean_estimate(now_k.get(area.key, stats.Sums())),
                stats.mean_estimate(before_k.get(area.key, stats.Sums())),
            )
            for area in self.layout.areas
        ]
        satisfaction = None
        question = self.layout.question(SATISFACTION_KEY)
        if question is not None and question.kind == "rating":
            satisfaction = self._item_row(question)
        items = []
        for area in self.layout.areas:
            for item in area.items:
                row = self._item_row(item)
                self.item_changes[item.key] = row
                items.append(row)
        previous, current = self.periods.previous, self.periods.current
        return {
            "kind": self.periods.shape,
            "how": self.periods.how,
            "current": self._period(current, self.now),
            "previous": self._period(previous, self.before),
            "note": self.periods.note(),
            "equal_length_before": self.periods.equal_length_before,
            "periods_reason": self.periods_reason,
            "method": method_text(self.limits),
            "thresholds": {
                "min_n": self.limits.min_n,
                "min_difference": self.limits.min_difference,
                "min_share_difference": self.limits.min_share_difference,
                "fdr_rate": self.limits.fdr_rate,
                "min_days_ratio": self.limits.min_days_ratio,
            },
            "tests": None,  # how many tests the report's family holds (decide)
            "reliable_count": None,
            "overall": overall,
            "positive_share": positive,
            "satisfaction": satisfaction,
            "areas": areas,
            "items": items,
            "reworded": sorted(self.reworded),
        }

    def _period(self, period, collected: Collected) -> dict:
        return {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "name": self.periods.name(period),
            "respondents": collected.total["n"],
            "days_with_responses": collected.days,
        }

    def _item_row(self, item) -> dict:
        return self._row(
            f"pytanie:{item.key}",
            {"key": item.key, "text": item.text},
            stats.item_mean(self.now.total["r"].get(item.key, EMPTY)),
            stats.item_mean(self.before.total["r"].get(item.key, EMPTY)),
            reworded=item.key in self.reworded,
        )

    def _row(self, test, head, now, before, *, share=False, reworded=False) -> dict:
        rnd = stats.round_share if share else stats.round_mean
        diff = None if reworded else stats.difference(now, before)
        ci = diff.ci95 if diff is not None else None
        testable = not reworded and self.periods_reason is None
        test_key = f"zmiana:{test}"
        tested = testable and self.family.add(test_key, diff)
        row = {
            **head,
            "scale": "share" if share else "mean",
            "mean_now": rnd(now.value),
            "mean_before": rnd(before.value),
            "diff": rnd(diff.diff) if diff is not None else None,
            "ci95": [rnd(ci[0]), rnd(ci[1])] if ci else None,
            "n_now": now.n,
            "n_before": before.n,
            "n_ratings_now": now.ratings,
            "n_ratings_before": before.ratings,
            "p": stats.round_se(diff.p) if diff is not None and diff.p is not None else None,
            "test": test_key if tested else None,
            "p_adjusted": None,
            "reliable": False,
            "significant": False,  # = reliable; the name older readers of the JSON know
            "direction": None,
            "code": None,
            "reason": None,
        }
        self._pending.append((row, diff, test_key if tested else "", share, reworded))
        return row

    # -- deciding ---------------------------------------------------------------------

    def decide(self, section: dict) -> None:
        """Fill the verdicts of ``section`` (what ``build`` returned) once every test of
        the report is in the family. Idempotent."""
        if self._decided:
            return
        adjusted = self.family.adjusted()
        reliable = 0
        for row, diff, test_key, share, reworded in self._pending:
            p_adjusted = adjusted.get(test_key) if test_key else None
            change = stats.reliable_change(
                diff,
                p_adjusted=p_adjusted,
                share=share,
                periods_reason=self.periods_reason,
                wording_changed=reworded,
                limits=self.limits,
            )
            row.update(
                p_adjusted=stats.round_se(p_adjusted) if p_adjusted is not None else None,
                reliable=change.reliable,
                significant=change.reliable,
                direction=change.direction,
                code=change.code,
                reason=change.reason,
            )
            reliable += change.reliable
        section["tests"] = len(self.family)
        section["reliable_count"] = reliable
        self._decided = True

    def falling(self) -> list[str]:
        """Keys of the items that fell reliably (after ``decide``)."""
        return [
            key
            for key, row in self.item_changes.items()
            if row["reliable"] and row["direction"] == "down"
        ]
