"""The sections of a report drawn from its added-up figures and its questionnaire:
method, overall result, areas and items, structure, breakdowns, trend, comparison,
importance and improvement areas (FORMAT.md)."""

from datetime import date

from django.utils.translation import gettext as _

from ocenurzad.responses.models import Channel

from .. import stats
from ..rollups import (
    SATISFACTION_KEY,
    SEGMENT_KEYS,
    VersionBook,
    month_start,
    new_light,
    next_month,
)
from .comparison import EVERY_ITEM, ComparisonBuilder
from .figures import EMPTY, rating_figures, scope_figures, sum_dists
from .layout import Layout
from .totals import Collected

SETTLED_KEY = "sprawa_zalatwiona"
CLIENT_TYPE_KEY, PURPOSE_KEY = SEGMENT_KEYS
NO_DEPARTMENT = "none"


class Sections:
    """The sections of one report, from its added-up figures and its questionnaire."""

    def __init__(self, office, layout: Layout, now: Collected, departments, min_cell: int):
        self.office = office
        self.layout = layout
        self.now = now
        self.total = now.total
        self.departments = departments
        self.min_cell = min_cell
        self.area_keys = [area.key for area in layout.areas]
        self.ordered_items = [item for area in layout.areas for item in area.items]
        self.item_changes: dict[str, dict] = {}  # unrounded comparisons, by item key

    # -- method, overall, areas -----------------------------------------------------

    def method(self, book: VersionBook, dated_by_period: tuple[int, int] = (0, 0)) -> dict:
        total = self.total
        versions = []
        for version_id, count in total["v"].items():
            version = book.versions.get(int(version_id))
            number = version.number if version else None
            versions.append(
                {
                    "id": int(version_id),
                    "code": f"{self.office.slug.upper()}-V{number}",
                    "number": number,
                    "responses": count,
                }
            )
        versions.sort(key=lambda v: (v["number"] or 0, v["id"]))
        by_channel = self.now.by_channel
        dated, outside = dated_by_period
        # Only when there are such sheets: reports without them stay as they were.
        extra = {"dated_by_period": {"responses": dated, "outside": outside}} if dated else {}
        return {
            "responses": total["n"],
            "complete": total["complete"],
            "partial": total["n"] - total["complete"],
            "by_channel": {
                ch: by_channel[ch]["n"] if ch in by_channel else 0 for ch in Channel.values
            },
            "versions": versions,
            "first_response": total["first"],
            "last_response": total["last"],
            **extra,
        }

    def overall(self) -> dict:
        dist = sum_dists(self.total["a"].values())
        satisfaction = self.layout.question(SATISFACTION_KEY)
        if satisfaction is not None and satisfaction.kind == "rating":
            figures = rating_figures(self.total["r"].get(SATISFACTION_KEY, EMPTY))
            del figures["na"]
            satisfaction = {"key": SATISFACTION_KEY, "text": satisfaction.text, **figures}
        else:
            satisfaction = None
        settled = self.layout.question(SETTLED_KEY)
        if settled is not None and settled.kind in ("single", "yesno", "multi"):
            settled = self._choice_figures(settled)
        else:
            settled = None
        figures = scope_figures(dist, self.total["k"].get(EVERY_ITEM))
        del figures["na"]
        return {
            **figures,
            "satisfaction": satisfaction,
            "settled": settled,
        }

    def areas(self) -> list[dict]:
        out = []
        for area in self.layout.areas:
            figures = scope_figures(
                self.total["a"].get(area.key, EMPTY), self.total["k"].get(area.key)
            )
            items = [self._item(item) for item in area.items]
            out.append({"key": area.key, "title": area.title, **figures, "items": items})
        return out

    def _item(self, question) -> dict:
        figures = rating_figures(self.total["r"].get(question.key, EMPTY))
        return {
            "key": question.key,
            "text": question.text,
            **figures,
            "versions_note": question.versions_note,
        }

    def other_ratings(self) -> list[dict]:
        """Rating questions outside the areas (not ocena_ogolna, not importance)."""
        return [
            self._item(q)
            for q in self.layout.questions
            if q.kind == "rating" and q.key != SATISFACTION_KEY and not q.importance_of
        ]

    # -- structure ------------------------------------------------------------------

    def _choice_figures(self, question) -> dict:
        counts = self.total["c"].get(question.key, {})
        answered = self.total["ca"].get(question.key, 0)
        return {
            "key": question.key,
            "text": question.text,
            "n": answered,
            "options": [
                {
                    "value": value,
                    "label": label,
                    "count": counts.get(value, 0),
                    "share": stats.share(counts.get(value, 0), answered),
                }
                for value, label in self._options(question, counts)
            ],
        }

    @staticmethod
    def _options(question, counts: dict) -> list[tuple[str, str]]:
        """The question's options, then any value found in the answers but in no version
        of the layout (should not happen; it is shown rather than lost)."""
        known = {value for value, _label in question.options}
        return question.options + [(v, v) for v in sorted(counts) if v not in known]

    def _department_figures(self, key: str, text: str) -> dict:
        by_department = self.now.by_department
        answered = sum(light["n"] for dep, light in by_department.items() if dep is not None)
        options = []
        for department in self.departments:  # those of the period (report.py)
            count = by_department[department.pk]["n"] if department.pk in by_department else 0
            options.append(
                {
                    "value": str(department.pk),
                    "label": department.name,
                    "count": count,
                    "share": stats.share(count, answered),
                }
            )
        return {"key": key, "text": text, "n": answered, "options": options}

    def structure(self) -> list[dict]:
        """Respondents' structure: the department named and every choice question (the
        metryka, purpose of the visit …) but "was the matter settled" (in overall)."""
        out = []
        has_department = False
        for question in self.layout.questions:
            if question.kind == "department":
                has_department = True
                out.append(self._department_figures(question.key, question.text))
            elif question.kind in ("single", "multi", "yesno") and question.key != SETTLED_KEY:
                out.append(self._choice_figures(question))
        if not has_department and any(dep is not None for dep in self.now.by_department):
            out.insert(0, self._department_figures("wydzial", _("Wydział")))
        return out

    # -- breakdowns and trend -------------------------------------------------------

    def _cell(self, key: str, label: str, light: dict | None) -> dict:
        n = light["n"] if light else 0
        if n < self.min_cell:
            return {
                "key": key,
                "label": label,
                "n": None,
                "mean": None,
                "positive_share": None,
                "satisfaction_mean": None,
                "areas": None,
                "suppressed": True,
            }
        dist = sum_dists(light["a"].values())
        return {
            "key": key,
            "label": label,
            "n": n,
            "mean": stats.round_mean(stats.rating_mean(dist)),
            "positive_share": stats.round_share(stats.positive_share(dist)),
            "satisfaction_mean": stats.round_mean(stats.rating_mean(light["sat"])),
            "areas": {
                area: stats.round_mean(stats.rating_mean(light["a"].get(area, EMPTY)))
                for area in self.area_keys
            },
            "suppressed": False,
        }

    def breakdowns(self) -> dict:
        by_department = self.now.by_department
        departments = [
            self._cell(str(d.pk), d.name, by_department[d.pk])
            for d in self.departments
            if d.pk in by_department
        ]
        if None in by_department:
            departments.append(
                self._cell(NO_DEPARTMENT, _("nie wskazano wydziału"), by_department[None])
            )
        return {
            "department": departments,
            "client_type": self._segment_cells(CLIENT_TYPE_KEY),
            "purpose": self._segment_cells(PURPOSE_KEY),
            # Only the channels residents used in the period: a channel nobody could use
            # (no kiosk in the office) is neither listed nor marked hidden.
            "channel": [
                self._cell(ch.value, str(ch.label), self.now.by_channel[ch.value])
                for ch in Channel
                if self.now.by_channel.get(ch.value, {}).get("n")
            ],
        }

    def mode_difference(self) -> dict | None:
        """Online against paper: the mean of all ratings of each channel (clustered by
        respondent, from the rollups' sums) and their difference with its 95% interval.
        A difference in the way the survey was filled in (people rate differently alone
        online and on paper in the office), not a hot spot; None without both channels
        (or without the sums)."""
        by_channel = self.now.by_channel
        sums = [(by_channel.get(ch) or {}).get("k", {}).get("*") for ch in ("online", "paper")]
        if not all(sums) or min(s[0] for s in sums) < self.min_cell:
            return None
        online, paper = (stats.mean_estimate(s) for s in sums)
        diff = stats.difference(online, paper)
        ci95 = diff.ci95
        return {
            "online": {"mean": stats.round_mean(online.value), "n": online.n},
            "paper": {"mean": stats.round_mean(paper.value), "n": paper.n},
            "diff": stats.round_mean(diff.diff),
            "ci95": [stats.round_mean(ci95[0]), stats.round_mean(ci95[1])] if ci95 else None,
        }

    def _segment_cells(self, key: str) -> list[dict]:
        """Groups of respondents by their answer; an option nobody chose is left out."""
        segments = self.total["s"].get(key, {})
        question = self.layout.question(key)
        if question is not None:
            options = self._options(question, segments)
        else:
            options = [(value, value) for value in sorted(segments)]
        return [
            self._cell(value, label, segments[value])
            for value, label in options
            if segments.get(value, {}).get("n")
        ]

    def trend(self, start: date, end: date) -> list[dict]:
        out = []
        month = month_start(start)
        while month <= end:
            light = self.now.by_month.get(month) or new_light()
            dist = sum_dists(light["a"].values())
            # A month of fewer than MIN_CELL responses shows its count, not its figures:
            # with a department filter it could single out a resident (anonymity).
            hidden = 0 < light["n"] < self.min_cell
            out.append(
                {
                    "month": month.strftime("%Y-%m"),
                    "n": light["n"],
                    "mean": None if hidden else stats.round_mean(stats.rating_mean(dist)),
                    "positive_share": (
                        None if hidden else stats.round_share(stats.positive_share(dist))
                    ),
                    "satisfaction_mean": (
                        None if hidden else stats.round_mean(stats.rating_mean(light["sat"]))
                    ),
                    "suppressed": hidden,
                }
            )
            month = next_month(month)
        return out

    # -- comparison, importance, improvement areas ----------------------------------

    def comparison(self, before: Collected, periods, family, versions_before) -> dict:
        """The comparison with ``periods.previous`` (compute/comparison.py); its tests join
        ``family``: call ``comparison_decide`` when every test of the report is in."""
        self.compared = ComparisonBuilder(
            layout=self.layout,
            now=self.now,
            before=before,
            periods=periods,
            versions_now=self.layout.versions,
            versions_before=versions_before,
            family=family,
        )
        self.comparison_section = self.compared.build()
        self.item_changes = self.compared.item_changes
        return self.comparison_section

    def comparison_decide(self) -> None:
        if getattr(self, "compared", None) is not None:
            self.compared.decide(self.comparison_section)

    def importance(self) -> list[dict] | None:
        """Importance next to satisfaction per area, where the survey asks importance
        ("importance_of": area key). Areas important but rated low come first: by
        satisfaction minus importance, smallest first."""
        questions = [q for q in self.layout.questions if q.importance_of and q.kind == "rating"]
        if not questions:
            return None
        out = []
        for question in questions:
            area = question.importance_of
            importance = self.total["r"].get(question.key, EMPTY)
            importance_mean = stats.rating_mean(importance)
            satisfaction_mean = stats.rating_mean(self.total["a"].get(area, EMPTY))
            gap = (
                satisfaction_mean - importance_mean
                if importance_mean is not None and satisfaction_mean is not None
                else None
            )
            out.append(
                (
                    gap is None,
                    gap or 0.0,
                    {
                        "area": area,
                        "title": self.layout.area_title(area),
                        "importance_mean": stats.round_mean(importance_mean),
                        "satisfaction_mean": stats.round_mean(satisfaction_mean),
                        "n": stats.rating_n(importance),
                    },
                )
            )
        return [entry for *_key, entry in sorted(out, key=lambda e: (e[0], e[1]))]

    def falling_items(self) -> list[dict]:
        """Items whose mean fell reliably against the previous period (call
        ``comparison`` first), largest fall first; ties in questionnaire order."""
        area_titles = {item.key: area.title for area in self.layout.areas for item in area.items}
        falling = []
        for order, item in enumerate(self.ordered_items):
            change = self.item_changes.get(item.key)
            if change and change["significant"] and change["diff"] < 0:
                falling.append((change["diff"], order, item, change))
        falling.sort(key=lambda entry: entry[:2])
        return [
            {
                "key": item.key,
                "text": item.text,
                "area": area_titles[item.key],
                "mean_now": stats.round_mean(change["mean_now"]),
                "mean_before": stats.round_mean(change["mean_before"]),
                "diff": stats.round_mean(change["diff"]),
                "n_now": change["n_now"],
                "n_before": change["n_before"],
            }
            for _diff, _order, item, change in falling
        ]
