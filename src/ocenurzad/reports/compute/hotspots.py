"""Hot spots ("Obszary do poprawy"): cells of the office — an item or an area in one
department or among one client type — whose result falls reliably below the rest of the
office.

Each cell is compared with the REST of the office (everything in the report's filters
but the cell), never with a total that contains it: a big department would otherwise pull
the total towards itself and hide its own weakness. An area's mean is a mean over several
ratings per respondent, so its standard error is the clustered one (stats.versus_rest on
the rollups' sums); an item has one rating per respondent. A cell is tested only with at
least ``min_n`` respondents (and as many in the rest). Cells are ranked by the upper bound
of the difference's interval (cell minus rest), at the level the report's
false-discovery-rate correction gives it: a cell whose interval lies far below zero comes
first, and a small noisy cell — a low mean but a wide interval — cannot win on its point
estimate. The channel is no hot spot: online and paper answers differ by the way the
survey is filled in (a mode difference), which the breakdown by channel shows.

Every hot spot has a stable identifier, ``<item|area>:<key>|<dept|klient>:<id or option
value>|<period>`` (the period as in ``period_token``), that later work (actions) links to.
"""

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import add

from django.conf import settings

from .. import stats
from ..rollups import ALL, SEGMENT_KEYS, Part, cell_key_parts
from .layout import Layout
from .totals import Collected

COMMENTS_PER_HOTSPOT = 3
IMPROVE_KEY = "co_poprawic"  # the open question "what should we improve", shown first
CLIENT_TYPE_KEY = SEGMENT_KEYS[0]
DEPARTMENT, CLIENT = "dept", "klient"  # group prefixes in identifiers
GROUP_NAMES = {DEPARTMENT: "department", CLIENT: "client_type"}
EVERY_ITEM = "*"  # the clustered sums' scope of every rated item (not an area)
_ID_RE = re.compile(
    r"^(?P<kind>item|area):(?P<key>[\w-]+)"
    r"\|(?:dept:(?P<department>\d+)|klient:(?P<client>[\w-]+))"
    r"\|(?P<period>[\w.-]+)$"
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


def hot_spot_id(kind: str, key: str, group: tuple[str, object], start: date, end: date) -> str:
    prefix, value = group
    return f"{kind}:{key}|{prefix}:{value}|{period_token(start, end)}"


def hot_spot_id_parse(value: str) -> dict | None:
    """``{"kind": "item"|"area", "key", "group": "department"|"client_type",
    "department_id" (or None), "client_type" (or None), "period"}`` of an identifier, or
    None when it is not one."""
    match = _ID_RE.match(value or "")
    if match is None:
        return None
    department = match["department"]
    return {
        "kind": match["kind"],
        "key": match["key"],
        "group": "department" if department else "client_type",
        "department_id": int(department) if department else None,
        "client_type": match["client"],
        "period": match["period"],
    }


def _add(into: dict, source: dict) -> None:
    for key, counts in source.items():
        mine = into.get(key)
        into[key] = list(counts) if mine is None else list(map(add, mine, counts))


@dataclass
class Groups:
    """A period's figures by group — ``("dept", department id)`` or ``("klient", option
    value)`` — within the report's filters: item distributions and areas' clustered sums;
    by department also responses by month (for which comments may name the department)
    and the open answers."""

    items: dict[tuple, dict[str, list[int]]] = field(default_factory=dict)
    areas: dict[tuple, dict[str, list[int]]] = field(default_factory=dict)
    months: dict[int, dict[date, int]] = field(default_factory=dict)
    texts: dict[int, list[tuple[str, int | None, str, str, str]]] = field(default_factory=dict)


def groups_collect(
    parts: list[Part],
    *,
    department_id: int | None,
    channel: str | None,
    collected: Collected,
    texts: Iterable[tuple[str, int | None, str, str, str]] = (),
) -> Groups:
    """Figures of each department (none when the report is of one department: there is no
    other to compare it with; responses without a department belong to no department) and
    of each client type. ``collected`` is ``parts`` added up for the same filters
    (totals.collect): its departments' figures are the departments' groups, read, not
    copied. ``texts`` are its open answers (rollups.texts_fields of ``collected.texts``),
    grouped here by department."""
    out = Groups()
    if department_id is None:
        for department, light in collected.by_department.items():
            if department is not None:
                group = (DEPARTMENT, department)
                out.items[group] = light["r"]
                out.areas[group] = _area_sums(light)
        for (department, month), n in collected.by_department_month.items():
            if department is not None:
                out.months.setdefault(department, {})[month] = n
        by_department = out.texts
        for entry in texts:
            department = entry[1]
            if department is not None:
                found = by_department.get(department)
                if found is None:
                    by_department[department] = [entry]
                else:
                    found.append(entry)
    filtered = department_id is not None or bool(channel)
    for part in parts:
        everything = None if filtered else part.cells.get(ALL)
        if everything is not None:
            # Unfiltered: the client types of the whole part, from "*" (the other stored
            # cells are read without their segments).
            _add_client_types(out, everything)
            continue
        for key, cell in part.cells.items():
            if key == ALL:
                continue
            department, cell_channel = cell_key_parts(key)
            if channel and cell_channel != channel:
                continue
            if department_id is not None and department != department_id:
                continue
            _add_client_types(out, cell)
    return out


def _add_client_types(out: Groups, cell: dict) -> None:
    for value, segment in cell["s"].get(CLIENT_TYPE_KEY, {}).items():
        group = (CLIENT, value)
        _add(out.items.setdefault(group, {}), segment.get("r", {}))
        _add(out.areas.setdefault(group, {}), _area_sums(segment))


def _area_sums(cell: dict) -> dict:
    return {scope: sums for scope, sums in cell.get("k", {}).items() if scope != EVERY_ITEM}


def comments_of(
    groups: Groups, department_id: int, *, min_cell: int, months_allowed, wording
) -> list[dict]:
    """A few open answers of the department's respondents, answers to "what should we
    improve" first; only of months ``months_allowed`` lets a report list ("YYYY-MM", or
    None: any) in which the department had at least ``min_cell`` responses (so that a
    comment shown under its department cannot point at one of a handful of residents).
    Month only, never the day; ordered by month (newest first), question and text, never
    by the moment an answer came in."""
    # One pass over the department's answers; only the few shown are ordered (a
    # department of a five-year report has tens of thousands of answers).
    large = {
        f"{month:%Y-%m}"
        for month, n in groups.months.get(department_id, {}).items()
        if n >= min_cell
    }
    if months_allowed is not None:
        large &= set(months_allowed)
    order = {month: _newest_first(month) for month in large}
    picked: list[tuple[int, int, str, str, str]] = []
    for day, _department, _channel, key, text in groups.texts.get(department_id, []):
        month = day[:7]
        if month not in order:
            continue
        picked.append((0 if key == IMPROVE_KEY else 1, order[month], key, text, month))
    return [
        {"month": month, "question": wording(key), "text": text}
        for _rank, _order, key, text, month in heapq.nsmallest(COMMENTS_PER_HOTSPOT, picked)
    ]


def _newest_first(month: str) -> int:
    year, number = month.split("-")
    return -(int(year) * 12 + int(number))


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
    group: tuple
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
        total: dict,
        departments: list,
        start: date,
        end: date,
        min_n: int,
        min_cell: int,
        months_allowed=None,
    ):
        self.layout = layout
        self.groups = groups
        self.names = {d.pk: d.name for d in departments}
        question = layout.question(CLIENT_TYPE_KEY)
        self.client_labels = dict(question.options) if question is not None else {}
        self.start, self.end = start, end
        self.min_n = min_n
        self.min_cell = min_cell
        self.months_allowed = months_allowed
        self.candidates: list[_Candidate] = []
        self._comments: dict[int, list[dict]] = {}  # by department
        self.tested = 0
        total_items, total_areas = total.get("r", {}), total.get("k", {})
        for group in self._ordered(departments):
            areas = groups.areas.get(group, {})
            for area in layout.areas:
                self._candidate(
                    "area", area.key, group, areas.get(area.key), total_areas.get(area.key)
                )
                for item in area.items:
                    cell = groups.items[group].get(item.key)
                    whole = total_items.get(item.key)
                    self._candidate(
                        "item",
                        item.key,
                        group,
                        cell and stats.Sums.of_distribution(cell),
                        whole and stats.Sums.of_distribution(whole),
                    )

    def _ordered(self, departments: list) -> list[tuple]:
        """Departments in the office's order (only those of the period), then client
        types in the questionnaire's order."""
        present = set(self.groups.items)
        out = [(DEPARTMENT, d.pk) for d in departments if (DEPARTMENT, d.pk) in present]
        order = list(self.client_labels)
        clients = sorted(
            (g for g in present if g[0] == CLIENT),
            key=lambda g: (order.index(g[1]) if g[1] in order else len(order), g[1]),
        )
        return out + clients

    def _candidate(self, kind, key, group, cell, total) -> None:
        if not cell or not total:
            return
        cell, total = stats.Sums(*cell), stats.Sums(*total)
        if cell.n < self.min_n or total.n - cell.n < self.min_n:
            return
        difference = stats.versus_rest(cell, total)
        if difference.p is None:
            return
        spot_id = hot_spot_id(kind, key, group, self.start, self.end)
        self.candidates.append(_Candidate(f"hot:{spot_id}", spot_id, kind, key, group, difference))

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
            text = area = self.layout.area_title(candidate.key)
        else:
            item = self.layout.items[candidate.key]
            text, area = item.text, self.layout.area_title(item.section)
        prefix, value = candidate.group
        department = client = None
        comments: list[dict] = []
        if prefix == DEPARTMENT:
            department = {"id": value, "name": self.names[value]}
            comments = self._comments.get(value)
            if comments is None:  # the same few for each hot spot of the department
                comments = self._comments[value] = comments_of(
                    self.groups,
                    value,
                    min_cell=self.min_cell,
                    months_allowed=self.months_allowed,
                    wording=wording,
                )
            comments = [dict(c) for c in comments]
        else:
            client = {"value": value, "label": self.client_labels.get(value, value)}
        return {
            "id": candidate.id,
            "kind": candidate.kind,
            "key": candidate.key,
            "text": text,
            "area": area,
            "group": GROUP_NAMES[prefix],
            "department": department,
            "client_type": client,
            "n": diff.a.n,
            "mean": stats.round_mean(diff.a.value),
            "rest_n": diff.b.n,
            "rest_mean": stats.round_mean(diff.b.value),
            "diff": stats.round_mean(diff.diff),
            "interval": [stats.round_mean(interval[0]), stats.round_mean(interval[1])],
            "p_adjusted": round(q, 6),
            "comments": comments,
        }
