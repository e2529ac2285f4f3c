"""Hot spots ("Obszary do poprawy"): cells of the office — an item or an area in one
department (later: one client type) — whose result falls reliably below the rest of the
office.

Each cell is compared with the REST of the office (everything in the report's filters
but the cell), never with a total that contains it: a big department would otherwise pull
the total towards itself and hide its own weakness. A cell is tested only with at least
``min_n`` respondents. Cells are ranked by the upper bound of the difference's interval
(cell minus rest), at the level the report's false-discovery-rate correction gives it: a
cell whose interval lies far below zero comes first, and a small noisy cell — a low
mean but a wide interval — cannot win on its point estimate.

Every hot spot has a stable identifier, ``item:<key>|dept:<id>|<period>`` (``area:`` for
an area; the period as in ``period_token``), that later work (actions) links to.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

from .. import stats
from ..rollups import ALL, Part, cell_key_parts
from ..rollups import text_fields as split_text
from .layout import Layout

COMMENTS_PER_HOTSPOT = 3
IMPROVE_KEY = "co_poprawic"  # the open question "what should we improve", shown first
_ID_RE = re.compile(
    r"^(?P<kind>item|area):(?P<key>[\w-]+)\|(?P<group>dept):(?P<value>\d+)\|(?P<period>[\w.-]+)$"
)


def period_token(start: date, end: date) -> str:
    """How a hot-spot identifier names its period: ``2025`` (a calendar year),
    ``2025-Q2`` (a quarter), ``2025-03`` (a month), else ``2025-01-15..2025-04-30``."""
    month_end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if start.day == 1 and end == month_end:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 12 and start.month == 1:
            return f"{start.year}"
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{(start.month + 2) // 3}"
        if months == 1:
            return f"{start.year}-{start.month:02d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def hot_spot_id(kind: str, key: str, department_id: int, start: date, end: date) -> str:
    return f"{kind}:{key}|dept:{department_id}|{period_token(start, end)}"


def hot_spot_id_parse(value: str) -> dict | None:
    """``{"kind": "item"|"area", "key", "department_id", "period"}`` of an identifier, or
    None when it is not one."""
    match = _ID_RE.match(value or "")
    if match is None:
        return None
    return {
        "kind": match["kind"],
        "key": match["key"],
        "department_id": int(match["value"]),
        "period": match["period"],
    }


@dataclass
class Groups:
    """A period's figures by department within the report's channel filter: item
    distributions, responses by month (for which comments may name the department) and
    the open answers."""

    items: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    months: dict[int, dict[date, int]] = field(default_factory=dict)
    texts: dict[int, list[str]] = field(default_factory=dict)


def groups_collect(parts: list[Part], *, channel: str | None) -> Groups:
    """Item distributions, monthly counts and open answers of each department (responses
    without a department are left out: they belong to no cell)."""
    out = Groups()
    for part in parts:
        for key, cell in part.cells.items():
            if key == ALL:
                continue
            department, cell_channel = cell_key_parts(key)
            if department is None or (channel and cell_channel != channel):
                continue
            items = out.items.setdefault(department, {})
            for item, dist in cell["r"].items():
                mine = items.get(item)
                if mine is None:
                    items[item] = list(dist)
                else:
                    for i in range(6):
                        mine[i] += dist[i]
            months = out.months.setdefault(department, {})
            months[part.month] = months.get(part.month, 0) + cell["n"]
        for entry in part.answers:
            _day, department, entry_channel, _key, _text = split_text(entry)
            if department is None or (channel and entry_channel != channel):
                continue
            out.texts.setdefault(department, []).append(entry)
    return out


def comments_of(groups: Groups, department_id: int, *, min_cell: int, wording) -> list[dict]:
    """A few open answers of the department's respondents, newest first, answers to "what
    should we improve" before others; only of months in which the department had at least
    ``min_cell`` responses (so that a comment shown under its department cannot point at
    one of a handful of residents). Month only, never the day."""
    months = groups.months.get(department_id, {})
    picked: list[tuple[int, str, str, str]] = []
    for entry in groups.texts.get(department_id, []):
        day, _department, _channel, key, text = split_text(entry)
        month = date.fromisoformat(day).replace(day=1)
        if months.get(month, 0) < min_cell:
            continue
        picked.append((0 if key == IMPROVE_KEY else 1, day[:7], key, text))
    picked.sort(key=lambda entry: entry[0])  # stable: newest first within each kind
    return [
        {"month": month, "question": wording(key), "text": text}
        for _rank, month, key, text in picked[:COMMENTS_PER_HOTSPOT]
    ]


def hot_spot_min_n() -> int:
    """Respondents a cell (and the rest of the office) needs to be tested: the setting
    REPORT_HOTSPOT_MIN_N, by default the minimum n of a comparison."""
    return int(getattr(settings, "REPORT_HOTSPOT_MIN_N", stats.thresholds().min_n))


@dataclass
class _Candidate:
    test: str  # key in the report's TestFamily
    id: str
    kind: str  # "item" or "area"
    key: str
    department_id: int
    difference: stats.Difference


class HotSpots:
    """The hot-spot tests of one report: ``register`` adds every tested cell to the
    report's family of tests, ``result`` (after every other test was added) ranks the
    cells that fall reliably below the rest of the office."""

    def __init__(
        self,
        *,
        layout: Layout,
        groups: Groups,
        total_items: dict,
        area_sums: dict | None,
        total_area_sums: dict | None,
        departments: list,
        start: date,
        end: date,
        min_n: int,
        min_cell: int,
    ):
        self.layout = layout
        self.groups = groups
        self.names = {d.pk: d.name for d in departments}
        self.start, self.end = start, end
        self.min_n = min_n
        self.min_cell = min_cell
        self.candidates: list[_Candidate] = []
        self.tested = 0
        order = {d.pk: i for i, d in enumerate(departments)}
        ordered = sorted(groups.items, key=lambda pk: (order.get(pk, len(order)), pk))
        for department_id in ordered:
            if department_id not in self.names:
                continue
            for area in layout.areas:
                if area_sums is not None and total_area_sums is not None:
                    cell = area_sums.get(department_id, {}).get(area.key)
                    total = total_area_sums.get(area.key)
                    self._candidate("area", area.key, department_id, cell, total)
                for item in area.items:
                    cell = groups.items[department_id].get(item.key)
                    total = total_items.get(item.key)
                    self._candidate(
                        "item",
                        item.key,
                        department_id,
                        cell and stats.Sums.of_distribution(cell),
                        total and stats.Sums.of_distribution(total),
                    )

    def _candidate(self, kind, key, department_id, cell, total) -> None:
        if not cell or not total:
            return
        cell, total = stats.Sums(*cell), stats.Sums(*total)
        if cell.n < self.min_n or total.n - cell.n < self.min_n:
            return
        difference = stats.versus_rest(cell, total)
        if difference.p is None:
            return
        spot_id = hot_spot_id(kind, key, department_id, self.start, self.end)
        self.candidates.append(
            _Candidate(f"hot:{spot_id}", spot_id, kind, key, department_id, difference)
        )

    def register(self, family: stats.TestFamily) -> None:
        for candidate in self.candidates:
            if family.add(candidate.test, candidate.difference):
                self.tested += 1

    def result(self, family: stats.TestFamily, *, falling: list[dict], wording) -> dict:
        """The hot spots, most reliably below the rest first, and the items whose mean
        fell reliably (``falling``, from the comparison)."""
        limits = stats.thresholds()
        adjusted = family.adjusted()
        tests, kept = len(family), family.kept(limits.fdr_rate)
        # Benjamini & Yekutieli: intervals of the kept tests at level 1 - R·q/m keep the
        # false coverage rate at q, as the BH verdicts keep the false discovery rate.
        level = 1 - kept * limits.fdr_rate / tests if tests and kept else 1 - limits.fdr_rate
        ranked = []
        for candidate in self.candidates:
            q = adjusted.get(candidate.test)
            diff = candidate.difference
            if q is None or q > limits.fdr_rate or diff.diff is None:
                continue
            if diff.diff > -limits.min_difference:
                continue
            low, high = diff.interval(level)
            if high >= 0:
                continue
            ranked.append((high, diff.diff, candidate, (low, high), q))
        ranked.sort(key=lambda entry: (entry[0], entry[1], entry[2].id))
        cells = [
            self._entry(candidate, interval, q, wording)
            for _high, _diff, candidate, interval, q in ranked
        ]
        return {
            "min_n": self.min_n,
            "tested": self.tested,
            "level": round(level, 6),
            "cells": cells,
            "falling": falling,
        }

    def _entry(self, candidate: _Candidate, interval, q: float, wording) -> dict:
        diff = candidate.difference
        if candidate.kind == "area":
            text = self.layout.area_title(candidate.key)
            area = text
        else:
            item = self.layout.items[candidate.key]
            text = item.text
            area = self.layout.area_title(item.section)
        return {
            "id": candidate.id,
            "kind": candidate.kind,
            "key": candidate.key,
            "text": text,
            "area": area,
            "group": "department",
            "department": {
                "id": candidate.department_id,
                "name": self.names[candidate.department_id],
            },
            "n": diff.a.n,
            "mean": stats.round_mean(diff.a.value),
            "rest_n": diff.b.n,
            "rest_mean": stats.round_mean(diff.b.value),
            "diff": stats.round_mean(diff.diff),
            "interval": [stats.round_mean(interval[0]), stats.round_mean(interval[1])],
            "p_adjusted": round(q, 6),
            "comments": comments_of(
                self.groups, candidate.department_id, min_cell=self.min_cell, wording=wording
            ),
        }
