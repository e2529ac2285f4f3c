"""Counting raw responses into *cells*, and adding cells up.

The counters of a stretch of days are split into cells, one per (department, channel),
keyed ``"<department id or empty>|<channel>"``; a stored rollup also has the cell ``"*"``,
all of its cells added up, so that an unfiltered report adds one cell per rollup. A cell::

    {"n": responses, "complete": responses answering every rated item of their version,
     "v": {"<version id>": responses},
     "first": "YYYY-MM-DD", "last": "YYYY-MM-DD",          # local dates of its responses
     "d": days of the month with responses, a bit mask (bit 0 = the 1st),
     "r": {question key: distribution},                     # every rating question
     "a": {area key: distribution},                         # rated items by area
     "k": {"*" or area key: clustered sums},                # rated items, by respondent
     "c": {question key: {option value: count}},            # single, multi, yes/no
     "ca": {question key: responses that answered it},
     "s": {segment question key: {option value: {"n": responses, "a": {area: distribution},
                                                 "r": {question key: distribution},
                                                 "k": {"*" or area: clustered sums},
                                                 "sat": distribution of ocena_ogolna}}}}

A stored rollup keeps the "s" of each cell but "*" in a column of its own
(``ReportRollup.segments``): they are most of its bytes and only a report filtered to a
department or a channel needs them; an unfiltered one takes those of "*".

A distribution is ``[count of 1, 2, 3, 4, 5, "na"]`` (see stats.py). An item counts
toward the area it is in in the version the resident answered; rating questions with
"importance_of" are not rated items.

Clustered sums are ``list(stats.Sums)``: nine integers n, Σy, Σy², Σm, Σm², Σym, Σp, Σp²,
Σpm over the respondents who rated at least one item 1–5 in the scope ("*": every rated
item; an area key: the items of that area), y being one respondent's sum of ratings, m
their number of ratings, p their number of 4s and 5s. They add up like the counts and give
the overall index, the area means and the shares of positive answers with standard errors
that respect that one respondent's ratings are alike (stats.py).

Open answers are a list, newest first, of strings: local date, department id (or
empty), channel, question key and text, joined by FIELD_SEP (``text_fields`` splits one).
A stored rollup keeps them in one text column, joined by RECORD_SEP: tens of thousands of
them load many times faster than JSON would. Answers cannot contain either separator
(surveys.answers strips control characters).
"""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import add

from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import SurveyVersion

from ..selectors import survey_versions_all
from ..stats import add_respondent

SATISFACTION_KEY = "ocena_ogolna"
EVERY_ITEM = "*"  # the scope of clustered sums over every rated item
# Breakdowns by respondents' answers: client type and purpose of the visit.
SEGMENT_KEYS = ("metryka_rodzaj_klienta", "cel_wizyty")
ALL = "*"
FIELD_SEP = "\x1f"  # ASCII unit separator
RECORD_SEP = "\x1e"  # ASCII record separator
_RATING_INDEX = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "na": 5}
_KIND_CODE = {"rating": "r", "single": "c", "yesno": "c", "multi": "m", "text": "t"}


def is_rated_item(section: dict, question: dict) -> bool:
    """A rated item: a rating question in an area section that is not an importance
    question. Items make up the areas, the overall mean and completeness."""
    return (
        section.get("kind") == "area"
        and question.get("kind") == "rating"
        and not question.get("importance_of")
    )


@dataclass(frozen=True)
class VersionPlan:
    """How to count the answers to one survey version."""

    rating_area: dict  # rating question key -> its area key, "" when not a rated item
    choice_kind: dict  # choice question key -> "c" single or yes/no, "m" multi
    area_count: int  # how many rated items (a complete response rates them all)
    text_keys: tuple  # text questions, in questionnaire order

    @classmethod
    def of(cls, definition: dict) -> "VersionPlan":
        rating_area, choice_kind, text_keys = {}, {}, []
        for section, question in iter_questions(definition):
            key, code = question["key"], _KIND_CODE.get(question.get("kind"))
            if code == "r":
                rating_area[key] = section["key"] if is_rated_item(section, question) else ""
            elif code == "c" or code == "m":
                choice_kind[key] = code
            elif code == "t":
                text_keys.append(key)
        return cls(
            rating_area=rating_area,
            choice_kind=choice_kind,
            area_count=sum(1 for area in rating_area.values() if area),
            text_keys=tuple(text_keys),
        )


class VersionBook:
    """The office's survey versions, loaded once per report, with their counting plans."""

    def __init__(self, versions: Iterable[SurveyVersion]):
        self.versions = {v.pk: v for v in versions}
        self._plans: dict[int, VersionPlan] = {}

    @classmethod
    def of_office(cls, office: Office) -> "VersionBook":
        return cls(survey_versions_all(office=office))

    def plan(self, version_id: int) -> VersionPlan:
        plan = self._plans.get(version_id)
        if plan is None:
            version = self.versions.get(version_id)
            plan = VersionPlan.of(version.definition if version else {})
            self._plans[version_id] = plan
        return plan


def cell_key_parts(key: str) -> tuple[int | None, str]:
    department, _sep, channel = key.partition("|")
    return (int(department) if department else None), channel


def text_fields(entry: str) -> tuple[str, int | None, str, str, str]:
    """(local date, department id, channel, question key, text) of an open answer."""
    day, department, channel, key, text = entry.split(FIELD_SEP, 4)
    return day, (int(department) if department else None), channel, key, text


def texts_fields(entries: Iterable[str]) -> Iterator[tuple[str, int | None, str, str, str]]:
    """``text_fields`` of each entry, without a call per entry (a five-year report of a
    large office splits about 100,000)."""
    for entry in entries:
        day, department, channel, key, text = entry.split(FIELD_SEP, 4)
        yield day, (int(department) if department else None), channel, key, text


def new_cell(first: str | None = None, last: str | None = None) -> dict:
    return {
        "n": 0,
        "complete": 0,
        "v": {},
        "first": first,
        "last": last,
        "d": 0,
        "r": {},
        "a": {},
        "k": {},
        "c": {},
        "ca": {},
        "s": {},
    }


def tally(rows: Iterable[tuple], *, book: VersionBook, bucket_of: Callable[[date], date]):
    """Count raw response rows (selectors.RESPONSE_ROW, newest first) into
    ``{bucket: (cells, texts)}``, the bucket of a response being ``bucket_of(its local
    date)``."""
    tz = timezone.get_default_timezone()
    out: dict[date, tuple[dict, list]] = {}
    for _pk, submitted_at, department_id, channel, version_id, answers in rows:
        day = submitted_at.astimezone(tz).date()
        bucket = bucket_of(day)
        found = out.get(bucket)
        if found is None:
            found = out[bucket] = ({}, [])
        cells, texts = found
        day_iso = day.isoformat()
        key = f"{department_id or ''}|{channel}"
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = new_cell(day_iso, day_iso)
        elif day_iso < cell["first"]:
            cell["first"] = day_iso
        elif day_iso > cell["last"]:
            cell["last"] = day_iso
        cell["d"] |= 1 << (day.day - 1)
        plan = book.plan(version_id)
        answers = answers or {}
        _count_response(cell, plan, str(version_id), answers)
        for text_key in plan.text_keys:
            value = answers.get(text_key)
            if type(value) is str and value.strip():
                if FIELD_SEP in value or RECORD_SEP in value:  # never from our forms
                    value = value.replace(FIELD_SEP, " ").replace(RECORD_SEP, " ")
                texts.append(
                    FIELD_SEP.join((day_iso, str(department_id or ""), channel, text_key, value))
                )
    return out


def _count_response(cell: dict, plan: VersionPlan, version_key: str, answers: dict) -> None:
    # The hot loop of building rollups: every answer of every response passes here once.
    cell["n"] += 1
    versions = cell["v"]
    versions[version_key] = versions.get(version_key, 0) + 1
    rating_area, choice_kind = plan.rating_area, plan.choice_kind
    ratings, areas = cell["r"], cell["a"]
    rated = []  # (area, index) of this response's rated items, "na" included
    questions = []  # (key, index) of every rating question it answered
    scopes: dict[str, list[int]] = {}  # area -> [y, m, p] of this respondent
    satisfaction = None
    for key, value in answers.items():
        area = rating_area.get(key)
        if area is not None:
            try:
                index = _RATING_INDEX[value]
            except (KeyError, TypeError):  # not a rating (TypeError: a list)
                continue
            dist = ratings.get(key)
            if dist is None:
                dist = ratings[key] = [0, 0, 0, 0, 0, 0]
            dist[index] += 1
            questions.append((key, index))
            if area:
                dist = areas.get(area)
                if dist is None:
                    dist = areas[area] = [0, 0, 0, 0, 0, 0]
                dist[index] += 1
                rated.append((area, index))
                if index < 5:  # a rating 1–5, not "na"
                    scope = scopes.get(area)
                    if scope is None:
                        scope = scopes[area] = [0, 0, 0]
                    scope[0] += index + 1
                    scope[1] += 1
                    scope[2] += index >= 3
            if key == SATISFACTION_KEY:
                satisfaction = index
            continue
        kind = choice_kind.get(key)
        if kind is not None:
            values = _choice_values(kind, value)
            if values:
                counts = cell["c"].get(key)
                if counts is None:
                    counts = cell["c"][key] = {}
                for one in values:
                    counts[one] = counts.get(one, 0) + 1
                answered = cell["ca"]
                answered[key] = answered.get(key, 0) + 1
    if len(rated) == plan.area_count:
        # Every rated item of its version has a rating or "na" (keys are unique).
        cell["complete"] += 1
    respondent = _respondent_sums(scopes)
    _add_sums(cell["k"], respondent)
    for segment_key in SEGMENT_KEYS:
        value = answers.get(segment_key)
        if value is not None:
            kind = choice_kind.get(segment_key)
            for one in _choice_values(kind, value):
                _count_segment(
                    cell["s"], segment_key, one, rated, questions, respondent, satisfaction
                )


def _respondent_sums(scopes: dict[str, list[int]]) -> list[tuple[str, int, int, int]]:
    """(scope, y, m, p) of one respondent: each area rated 1–5, and every item ("*")."""
    if not scopes:
        return []
    out = [(area, y, m, p) for area, (y, m, p) in scopes.items()]
    out.append(
        (
            EVERY_ITEM,
            sum(s[0] for s in scopes.values()),
            sum(s[1] for s in scopes.values()),
            sum(s[2] for s in scopes.values()),
        )
    )
    return out


def _add_sums(into: dict, respondent: list[tuple[str, int, int, int]]) -> None:
    for scope, y, m, p in respondent:
        sums = into.get(scope)
        if sums is None:
            sums = into[scope] = [0, 0, 0, 0, 0, 0, 0, 0, 0]
        add_respondent(sums, y, m, p)


def _choice_values(kind: str | None, value) -> list[str]:
    """The option values of a single (one) or multiple (a list) choice answer."""
    if kind == "c" and type(value) is str and value:
        return [value]
    if kind == "m" and type(value) is list:
        return [one for one in value if type(one) is str and one]
    return []


def _count_segment(segments, segment_key, value, rated, questions, respondent, satisfaction):
    by_value = segments.get(segment_key)
    if by_value is None:
        by_value = segments[segment_key] = {}
    segment = by_value.get(value)
    if segment is None:
        segment = by_value[value] = new_light()
    segment["n"] += 1
    areas = segment["a"]
    for area, index in rated:
        dist = areas.get(area)
        if dist is None:
            dist = areas[area] = [0, 0, 0, 0, 0, 0]
        dist[index] += 1
    items = segment["r"]
    for key, index in questions:
        dist = items.get(key)
        if dist is None:
            dist = items[key] = [0, 0, 0, 0, 0, 0]
        dist[index] += 1
    _add_sums(segment["k"], respondent)
    if satisfaction is not None:
        segment["sat"][satisfaction] += 1


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a report builds many small
    containers it keeps: otherwise the collector walks them again and again, which costs
    more than all the counting. Nothing here makes reference cycles; collection resumes
    afterwards (unless it was off before). Safe with threads: whoever turned it off turns
    it on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- Adding cells up -------------------------------------------------------------------


def new_light() -> dict:
    """What a breakdown cell (a department, a channel, a segment) or a month of a trend
    needs: responses, ratings by area and by question, clustered sums, the distribution of
    the overall-satisfaction question."""
    return {"n": 0, "a": {}, "r": {}, "k": {}, "sat": [0, 0, 0, 0, 0, 0]}


def _add_dists(into: dict, source: dict) -> None:
    # map(add, …) is about twice as fast as a comprehension over zip: a five-year report
    # adds some 180,000 of these short lists (distributions, clustered sums).
    for key, dist in source.items():
        mine = into.get(key)
        into[key] = dist.copy() if mine is None else list(map(add, mine, dist))


def _add_counts(into: dict, source: dict) -> None:
    for key, count in source.items():
        into[key] = into.get(key, 0) + count


def merge_full(into: dict, cell: dict) -> None:
    """Add ``cell`` to ``into`` (both of the shape above; ``into`` may start empty)."""
    into["n"] += cell["n"]
    into["complete"] += cell["complete"]
    _add_counts(into["v"], cell["v"])
    if cell["first"] is not None and (into["first"] is None or cell["first"] < into["first"]):
        into["first"] = cell["first"]
    if cell["last"] is not None and (into["last"] is None or cell["last"] > into["last"]):
        into["last"] = cell["last"]
    into["d"] |= cell["d"]
    _add_dists(into["r"], cell["r"])
    _add_dists(into["a"], cell["a"])
    _add_dists(into["k"], cell["k"])
    choices = into["c"]
    for key, counts in cell["c"].items():
        mine = choices.get(key)
        if mine is None:
            choices[key] = counts.copy()
        else:
            _add_counts(mine, counts)
    _add_counts(into["ca"], cell["ca"])
    segments = into["s"]
    for segment_key, by_value in cell["s"].items():
        mine = segments.get(segment_key)
        if mine is None:
            mine = segments[segment_key] = {}
        for value, segment in by_value.items():
            target = mine.get(value)
            if target is None:
                target = mine[value] = new_light()
            merge_light(target, segment)


def merge_light(into: dict, cell: dict) -> None:
    """Add the light figures of a cell (or of a segment, or of another light) to ``into``."""
    into["n"] += cell["n"]
    _add_dists(into["a"], cell["a"])
    _add_dists(into["r"], cell["r"])
    _add_dists(into["k"], cell["k"])
    sat = cell["sat"] if "sat" in cell else cell["r"].get(SATISFACTION_KEY)
    if sat is not None:
        into["sat"] = list(map(add, into["sat"], sat))


def all_cells(cells: dict) -> dict:
    """Every cell added up."""
    total = new_cell()
    for cell in cells.values():
        merge_full(total, cell)
    return total
