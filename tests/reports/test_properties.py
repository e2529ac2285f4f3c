"""Every figure of report_compute equals a plain recount of the raw responses.

Hypothesis draws response sets of two survey versions (the second adds an item, removes
another, rewords one and adds an importance question), with "nie dotyczy", missing
answers, three channels, departments or none, moments at local midnight and just before
it (around DST changes and month ends in Europe/Warsaw), and another office's responses on
the same days. The reports are computed with some rollups already stored and others not,
then again after back-dated, corrected and deleted responses (each followed by
rollups_invalidate, as the paper services do) and new online responses. Each time every
figure is compared with ``Oracle``, written here from the Response rows with plain loops
and sharing nothing with reports/compute but the Polish texts of the definitions.
"""

import math
import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ocenurzad.offices.models import Department, Office
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.services import rollups_invalidate
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import localized
from ocenurzad.surveys.models import Survey, SurveyVersion

WARSAW = ZoneInfo("Europe/Warsaw")
# "Now" of an example: the day after spring DST; three minutes after a month ended (its
# last day is still open); the day after autumn DST.
NOWS = [
    datetime(2025, 3, 31, 10, 0, tzinfo=WARSAW),
    datetime(2025, 11, 1, 0, 3, tzinfo=WARSAW),
    datetime(2025, 10, 27, 9, 0, tzinfo=WARSAW),
]
CLOCKS = [time(0, 0, 0), time(0, 0, 1), time(12, 0), time(23, 59, 59)]
CHANNELS = ["online", "paper", "kiosk"]
RATINGS = (1, 2, 3, 4, 5)
Z = statistics.NormalDist().inv_cdf(0.975)
AREAS = {"obsluga": ("Obsługa", ["q_a", "q_b", "q_old"]), "lokal": ("Lokal", ["q_c", "q_new"])}
ITEM_ORDER = ["q_a", "q_b", "q_old", "q_c", "q_new"]


def _t(pl: str) -> dict:
    return {"pl": pl, "en": pl + " (en)"}


def _rating(key, pl, *, na=True, **extra):
    return {"key": key, "kind": "rating", "text": _t(pl), "required": False, "na": na, **extra}


def _question(key, kind, pl, values=()):
    options = [{"value": v, "label": _t(f"opcja {v}")} for v in values]
    return {"key": key, "kind": kind, "text": _t(pl), "required": False, "options": options}


def _section(key, kind, questions):
    return {"key": key, "kind": kind, "title": _t(key.capitalize()), "questions": questions}


def definition(number: int) -> dict:
    v2 = number == 2
    service = [_rating("q_a", "Uprzejmość" if v2 else "Uprzejmość (dawniej)")]
    service += [_rating("q_b", "Kompetencje")] + ([] if v2 else [_rating("q_old", "Usunięte")])
    place = [_rating("q_c", "Czystość", na=False)] + ([_rating("q_new", "Dodane")] if v2 else [])
    summary = [
        _rating("ocena_ogolna", "Ocena ogólna", na=False),
        _question("sprawa_zalatwiona", "single", "Czy załatwiono?", ["tak", "czesciowo", "nie"]),
        _question("co_poprawic", "text", "Co poprawić?"),
    ]
    if v2:
        summary.append(_rating("waznosc_obsluga", "Ważność", na=False, importance_of="obsluga"))
    purposes = ["a", "b", "c", "d"] if v2 else ["a", "b", "c"]
    return {
        "format": 1,
        "title": _t("Ankieta"),
        "scale": {v: _t(f"ocena {v}") for v in ("1", "2", "3", "4", "5", "na")},
        "sections": [
            _section(
                "wizyta",
                "questions",
                [
                    _question("wydzial", "department", "Wydział"),
                    _question("cel_wizyty", "single", "Cel wizyty", purposes),
                ],
            ),
            {**_section("obsluga", "area", service), "title": _t("Obsługa")},
            {**_section("lokal", "area", place), "title": _t("Lokal")},
            _section("podsumowanie", "questions", summary),
            _section(
                "metryka",
                "questions",
                [
                    _question("metryka_rodzaj_klienta", "single", "Rodzaj", ["osoba", "firma"]),
                    _question("metryka_kanaly", "multi", "Skąd wiesz", ["x", "y", "z"]),
                    _question("inne_uwagi", "text", "Inne uwagi"),
                ],
            ),
        ],
    }


DEFINITIONS = {1: definition(1), 2: definition(2)}

answers_strategy = st.fixed_dictionaries(
    {},
    optional={
        **{k: st.sampled_from([*RATINGS, "na"]) for k in ("q_a", "q_b", "q_old", "q_new")},
        "q_c": st.integers(1, 5),
        "ocena_ogolna": st.integers(1, 5),
        "waznosc_obsluga": st.integers(1, 5),
        "cel_wizyty": st.sampled_from(["a", "b", "c", "d"]),
        "sprawa_zalatwiona": st.sampled_from(["tak", "czesciowo", "nie"]),
        "metryka_rodzaj_klienta": st.sampled_from(["osoba", "firma"]),
        "metryka_kanaly": st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, unique=True),
        "co_poprawic": st.sampled_from(["kolejki", "Parking!", "zażółć gęślą jaźń"]),
        "inne_uwagi": st.sampled_from(["dziękuję", "brak"]),
    },
)


def responses_strategy(days, **sizes):
    response = st.fixed_dictionaries(
        {
            "office": st.sampled_from([0, 0, 0, 1]),
            "version": st.sampled_from([1, 2]),
            "channel": st.sampled_from(CHANNELS),
            "department": st.sampled_from([None, 0, 1, 2]),
            "day": days,
            "clock": st.sampled_from(CLOCKS),
            "answers": answers_strategy,
        }
    )
    return st.lists(response, **sizes)


def local_day(moment: datetime) -> date:
    return moment.astimezone(WARSAW).date()


def mean_of(values):
    return round(sum(values) / len(values), 2) if values else None


def positive_of(values):
    return round(sum(1 for v in values if v >= 4) / len(values), 4) if values else None


def clustered(people, *, positive=False):
    """(ratio mean, its linearisation SE, respondents) of lists of ratings, one list per
    respondent, recounted with Fractions (None figures where they cannot be computed)."""
    people = [p for p in people if p]
    n = len(people)
    if not n:
        return None, None, 0
    ys = [sum(v >= 4 for v in p) if positive else sum(p) for p in people]
    ms = [len(p) for p in people]
    ratio = Fraction(sum(ys), sum(ms))
    if n < 2:
        return float(ratio), None, n
    squares = sum((y - ratio * m) ** 2 for y, m in zip(ys, ms, strict=True))
    variance = Fraction(n, n - 1) * squares / sum(ms) ** 2
    return float(ratio), math.sqrt(variance), n


def simple(values):
    """(mean, SE = s / √n, n) of one question's ratings."""
    n = len(values)
    if not n:
        return None, None, 0
    if n < 2:
        return statistics.mean(values), None, n
    return statistics.mean(values), statistics.stdev(values) / math.sqrt(n), n


def interval(mean, se, places=2):
    if mean is None or se is None:
        return None
    return [round(mean - Z * se, places), round(mean + Z * se, places)]


def area_items(number):
    """(area key, item key) of a version: rating questions of area sections."""
    return [
        (s["key"], q["key"])
        for s in DEFINITIONS[number]["sections"]
        if s["kind"] == "area"
        for q in s["questions"]
        if q["kind"] == "rating" and "importance_of" not in q
    ]


class Oracle:
    """The report's figures recounted from the Response rows, one loop at a time."""

    def __init__(self, office, start, end, department_id, channel, min_cell):
        self.office, self.min_cell = office, min_cell
        self.start, self.end = start, end
        self.rows = [
            r
            for r in Response.objects.select_related("version", "department").order_by("pk")
            if r.office_id == office.pk
            and start <= local_day(r.submitted_at) <= end
            and department_id in (None, r.department_id)
            and channel in (None, r.channel)
        ]
        self.numbers = sorted({r.version.number for r in self.rows}) or [2]

    def area_ratings(self, rows, area=None, wanted=RATINGS):
        return [
            r.answers[key]
            for r in rows
            for area_key, key in area_items(r.version.number)
            if area in (None, area_key) and r.answers.get(key) in wanted
        ]

    @staticmethod
    def values_of(rows, key):
        return [r.answers[key] for r in rows if r.answers.get(key) in RATINGS]

    @staticmethod
    def people(rows, area=None):
        """Each respondent's ratings 1–5 of the rated items (of one area), a list each."""
        return [
            [
                r.answers[key]
                for area_key, key in area_items(r.version.number)
                if area in (None, area_key) and r.answers.get(key) in RATINGS
            ]
            for r in rows
        ]

    def days(self):
        return len({local_day(r.submitted_at) for r in self.rows})

    def method(self):
        days = sorted(local_day(r.submitted_at) for r in self.rows)
        complete = sum(
            all(r.answers.get(k) in (*RATINGS, "na") for _a, k in area_items(r.version.number))
            for r in self.rows
        )
        versions = {}
        for r in self.rows:
            versions[r.version_id] = versions.get(r.version_id, 0) + 1
        return {
            "responses": len(self.rows),
            "complete": complete,
            "partial": len(self.rows) - complete,
            "by_channel": {c: sum(r.channel == c for r in self.rows) for c in CHANNELS},
            "versions": sorted(versions.items()),
            "first_response": days[0].isoformat() if days else None,
            "last_response": days[-1].isoformat() if days else None,
        }

    def item_keys(self):
        keys = {key for n in self.numbers for _a, key in area_items(n)}
        return [key for key in ITEM_ORDER if key in keys]

    @staticmethod
    def text_in(number, key):
        for s in DEFINITIONS[number]["sections"]:
            for q in s["questions"]:
                if q["key"] == key:
                    return localized(q["text"], "pl")
        return None

    def text_of(self, key):
        for number in reversed(self.numbers):
            for s in DEFINITIONS[number]["sections"]:
                for q in s["questions"]:
                    if q["key"] == key:
                        return localized(q["text"], "pl")
        return None

    def item(self, key):
        values = self.values_of(self.rows, key)
        having = [n for n in self.numbers if any(k == key for _a, k in area_items(n))]
        note = None
        if self.rows and len(having) < len(self.numbers):
            note = f"pytanie {'dodane' if having == [2] else 'usunięte'} w wersji ALFA-V2"
        return {
            "key": key,
            "text": self.text_of(key),
            "n": len(values),
            "mean": mean_of(values),
            "ci95": interval(*simple(values)[:2]),
            "distribution": {str(v): values.count(v) for v in RATINGS},
            "na": sum(r.answers.get(key) == "na" for r in self.rows),
            "positive_share": positive_of(values),
            "versions_note": note,
        }

    def scope(self, area=None):
        """n respondents, n_ratings, mean and positive share with clustered intervals."""
        values = self.area_ratings(self.rows, area)
        people = self.people(self.rows, area)
        mean, se, n = clustered(people)
        share, share_se, _n = clustered(people, positive=True)
        return {
            "n": n,
            "n_ratings": len(values),
            "mean": mean_of(values),
            "ci95": interval(mean, se),
            "positive_share": positive_of(values),
            "positive_share_ci95": interval(share, share_se, 4),
        }

    def areas(self):
        return [
            {
                "key": area,
                "title": title,
                **self.scope(area),
                "na": len(self.area_ratings(self.rows, area, wanted=("na",))),
                "items": [self.item(k) for k in self.item_keys() if k in keys],
            }
            for area, (title, keys) in AREAS.items()
        ]

    def figures(self, rows):
        values = self.area_ratings(rows)
        return {
            "n": len(rows),
            "mean": mean_of(values),
            "positive_share": positive_of(values),
            "satisfaction_mean": mean_of(self.values_of(rows, "ocena_ogolna")),
        }

    def cell(self, key, rows):
        if len(rows) < self.min_cell:
            return {"key": key, "n": None, "mean": None, "areas": None, "suppressed": True}
        areas = {a: mean_of(self.area_ratings(rows, a)) for a in AREAS}
        return {"key": key, **self.figures(rows), "areas": areas, "suppressed": False}

    def breakdowns(self):
        def by(key, values):  # an option nobody chose is not listed
            groups = [(v, [r for r in self.rows if r.answers.get(key) == v]) for v in values]
            groups = [(v, rows) for v, rows in groups if rows]
            cells = [self.cell(v, rows) for v, rows in groups]
            sizes = [len(rows) for _v, rows in groups]
            return self.hidden_together(cells, sizes, remainder=len(self.rows) - sum(sizes))

        departments = [
            self.cell(str(d.pk), [r for r in self.rows if r.department_id == d.pk])
            for d in Department.objects.filter(office=self.office).order_by("position")
            if any(r.department_id == d.pk for r in self.rows)
        ]
        if any(r.department_id is None for r in self.rows):
            departments.append(self.cell("none", [r for r in self.rows if not r.department_id]))
        department_sizes = [sum(r.department_id == d.pk for r in self.rows) for d in
                            Department.objects.filter(office=self.office).order_by("position")
                            if any(r.department_id == d.pk for r in self.rows)]  # fmt: skip
        if any(r.department_id is None for r in self.rows):
            department_sizes.append(sum(not r.department_id for r in self.rows))
        used = [c for c in CHANNELS if any(r.channel == c for r in self.rows)]
        channels = [self.cell(c, [r for r in self.rows if r.channel == c]) for c in used]
        channel_sizes = [sum(r.channel == c for r in self.rows) for c in used]
        return {
            "department": self.hidden_together(departments, department_sizes),
            "client_type": by("metryka_rodzaj_klienta", ["osoba", "firma"]),
            "purpose": by("cel_wizyty", ["a", "b", "c", "d"] if 2 in self.numbers else "abc"),
            "channel": self.hidden_together(channels, channel_sizes),
        }

    def hidden_together(self, cells, sizes, keep_n=False, remainder=0):
        """Complementary suppression: the hidden cells of a table (with the responses in
        no cell) hold at least min_cell responses together (or none)."""
        hidden = {i for i, n in enumerate(sizes) if 0 < n < self.min_cell}
        while 0 < remainder + sum(sizes[i] for i in hidden) < self.min_cell:
            shown = [i for i, n in enumerate(sizes) if n and i not in hidden]
            if not shown:
                break
            hidden.add(min(shown, key=lambda i: (sizes[i], i)))
        for i in hidden:
            cell = dict(cells[i], suppressed=True)
            for key in ("mean", "positive_share", "satisfaction_mean", "areas"):
                if key in cell:
                    cell[key] = None
            if not keep_n:
                cell["n"] = None
            cells[i] = cell
        return cells

    def trend(self, start, end):
        months = sorted(
            {f"{start + timedelta(days=i):%Y-%m}" for i in range((end - start).days + 1)}
        )
        out = []
        for month in months:
            figures = self.figures(
                [r for r in self.rows if f"{local_day(r.submitted_at):%Y-%m}" == month]
            )
            hidden = 0 < figures["n"] < self.min_cell
            if hidden:
                figures.update(mean=None, positive_share=None, satisfaction_mean=None)
            out.append({"month": month, **figures, "suppressed": hidden})
        return self.hidden_together(out, [m["n"] for m in out], keep_n=True)

    def choices(self, key):
        counts, answered = {}, 0
        for r in self.rows:
            value = r.answers.get(key)
            values = value if isinstance(value, list) else [value] if value else []
            answered += bool(values)
            for v in values:
                counts[v] = counts.get(v, 0) + 1
        return answered, counts

    def texts(self, start, end, today):
        """Comments of whole months that are over, with their month where the group had
        min_cell responses in it, and their department where it had as many that month."""
        last = today.replace(day=1) - timedelta(days=1)
        months = set()
        for i in range((end - start).days + 1):
            day = start + timedelta(days=i)
            month_last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(1)
            if day.day == 1 and month_last <= min(end, last):
                months.add(f"{day:%Y-%m}")
        month_of = {r.pk: f"{local_day(r.submitted_at):%Y-%m}" for r in self.rows}
        per_month = Counter(month_of.values())
        per_department = Counter((r.department_id, month_of[r.pk]) for r in self.rows)
        out = []
        for r in self.rows:
            month = month_of[r.pk]
            if month not in months:
                continue
            shown = month if per_month[month] >= self.min_cell else None
            named = shown and r.department_id and per_department[r.department_id, month]
            department = r.department.name if named and named >= self.min_cell else None
            for key in ("co_poprawic", "inne_uwagi"):
                if r.answers.get(key):
                    out.append((shown, key, r.answers[key], department))
        return out


def same(actual, expected, where="report"):
    """Equal, but for the ends of intervals (``*ci95``): those may differ by one unit of
    their last decimal place (the same interval rounded from two float computations)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), where
        for key, value in expected.items():
            if key.endswith("ci95") and value is not None and actual[key] is not None:
                unit = 0.0001 if key.startswith("positive") else 0.01
                assert all(
                    abs(a - e) <= unit + 1e-9 for a, e in zip(actual[key], value, strict=True)
                ), (where, key, actual[key], value)
            else:
                same(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            same(a, e, f"{where}[{i}]")
    else:
        assert actual == expected, (where, actual, expected)


def previous_period(start, end, today):
    """The comparison period, recounted for the shapes these examples draw (at most 47
    days): a whole month → the month before; a month so far (the 1st to today) → the same
    days of the month before; anything else → the days of equal number just before."""
    month_end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if start.day == 1 and start.month == end.month and end in (month_end, today):
        first = (start - timedelta(days=1)).replace(day=1)
        last_of_month = start - timedelta(days=1)
        last = (
            last_of_month
            if end == month_end
            else first.replace(day=min(end.day, last_of_month.day))
        )
        return first, last
    length = timedelta(days=(end - start).days + 1)
    return start - length, start - timedelta(days=1)


def check_change(actual, now, before, *, share=False, reworded=False, periods_reason=None):
    """A row of the comparison against (mean, se, n) recounts of both periods; the verdict
    against the three conditions, given the report's adjusted p-value."""
    rnd = 4 if share else 2
    tolerance = 0.00011 if share else 0.0101
    (mean_now, se_now, n_now), (mean_before, se_before, n_before) = now, before
    assert (actual["n_now"], actual["n_before"]) == (n_now, n_before)
    assert actual["mean_now"] == (None if mean_now is None else round(mean_now, rnd))
    assert actual["mean_before"] == (None if mean_before is None else round(mean_before, rnd))
    if reworded:
        assert actual["diff"] is None and actual["code"] == "wording_changed"
        assert not actual["reliable"]
        return
    if mean_now is None or mean_before is None:
        assert actual["diff"] is None and not actual["reliable"]
        return
    diff = mean_now - mean_before
    assert abs(actual["diff"] - diff) <= tolerance / 2 + 1e-9
    if se_now is None or se_before is None:
        assert actual["ci95"] is None and actual["p"] is None and not actual["reliable"]
        return
    se = math.hypot(se_now, se_before)
    half = Z * se
    assert abs(actual["ci95"][0] - (diff - half)) <= tolerance
    assert abs(actual["ci95"][1] - (diff + half)) <= tolerance
    p = 2 * (1 - statistics.NormalDist().cdf(abs(diff) / se)) if se else float(diff == 0)
    if not se:
        p = 1.0 if diff == 0 else 0.0
    assert abs(actual["p"] - p) <= 0.0001
    q = actual["p_adjusted"]
    reliable = (
        periods_reason is None
        and min(n_now, n_before) >= 30
        and q is not None
        and q <= 0.05
        and abs(diff) >= (0.05 if share else 0.15)
    )
    assert actual["reliable"] is reliable, (actual, diff, p)
    if not reliable:
        assert actual["reason"]


def check_comparison(comparison, oracle, before, today):
    start, end = date.fromisoformat(comparison["current"]["start"]), oracle.end
    assert (comparison["previous"]["start"], comparison["previous"]["end"]) == tuple(
        d.isoformat() for d in previous_period(start, end, today)
    )
    assert comparison["current"]["respondents"] == len(oracle.rows)
    assert comparison["previous"]["respondents"] == len(before.rows)
    days_now, days_before = oracle.days(), before.days()
    assert comparison["current"]["days_with_responses"] == days_now
    assert comparison["previous"]["days_with_responses"] == days_before
    comparable = (
        days_before and days_now and 2 * min(days_now, days_before) >= max(days_now, days_before)
    )
    periods_reason = comparison["periods_reason"]
    assert (periods_reason is None) == bool(comparable)
    now_rows, before_rows = oracle.rows, before.rows
    check_change(
        comparison["overall"],
        clustered(oracle.people(now_rows)),
        clustered(before.people(before_rows)),
        periods_reason=periods_reason,
    )
    check_change(
        comparison["positive_share"],
        clustered(oracle.people(now_rows), positive=True),
        clustered(before.people(before_rows), positive=True),
        share=True,
        periods_reason=periods_reason,
    )
    check_change(
        comparison["satisfaction"],
        simple(oracle.values_of(now_rows, "ocena_ogolna")),
        simple(before.values_of(before_rows, "ocena_ogolna")),
        periods_reason=periods_reason,
    )
    for area in comparison["areas"]:
        check_change(
            area,
            clustered(oracle.people(now_rows, area["key"])),
            clustered(before.people(before_rows, area["key"])),
            periods_reason=periods_reason,
        )
    assert [i["key"] for i in comparison["items"]] == oracle.item_keys()
    for item in comparison["items"]:
        # q_a is worded differently in version 1 and 2: compared only when both periods
        # were answered in the same versions' wording.
        texts = [
            {oracle.text_in(r.version.number, item["key"]) for r in rows if item["key"] in
             {k for _a, k in area_items(r.version.number)}}
            for rows in (now_rows, before_rows)
        ]  # fmt: skip
        reworded = bool(texts[0] and texts[1] and texts[0] != texts[1])
        check_change(
            item,
            simple(oracle.values_of(now_rows, item["key"])),
            simple(before.values_of(before_rows, item["key"])),
            reworded=reworded,
            periods_reason=periods_reason,
        )
    # Every p-value of the report adjusted together (Benjamini–Hochberg), recounted.
    rows = [comparison["overall"], comparison["positive_share"], comparison["satisfaction"],
            *comparison["areas"], *comparison["items"]]  # fmt: skip
    tested = [row for row in rows if row["test"]]
    assert comparison["tests"] >= len(tested)
    if comparison["tests"] == len(tested):
        ranked = sorted(tested, key=lambda row: row["p"])
        m, running = len(ranked), 1.0
        for rank in range(m, 0, -1):
            row = ranked[rank - 1]
            running = min(running, row["p"] * m / rank)
            assert abs(row["p_adjusted"] - running) <= 0.0002 * m


def check_report(report, oracle, start, end, before, today):
    versions = [(v["id"], v["responses"]) for v in report["method"]["versions"]]
    method = dict(report["method"], versions=versions)
    assert method == oracle.method()

    overall = report["overall"]
    same({k: overall[k] for k in oracle.scope()}, oracle.scope(), "overall")
    satisfaction = oracle.values_of(oracle.rows, "ocena_ogolna")
    assert overall["satisfaction"]["n"] == len(satisfaction)
    assert overall["satisfaction"]["mean"] == mean_of(satisfaction)
    assert overall["satisfaction"]["distribution"] == {
        str(v): satisfaction.count(v) for v in RATINGS
    }
    answered, counts = oracle.choices("sprawa_zalatwiona")
    assert overall["settled"]["n"] == answered
    assert {o["value"]: o["count"] for o in overall["settled"]["options"] if o["count"]} == counts

    same(report["areas"], oracle.areas(), "areas")

    for name, expected_cells in oracle.breakdowns().items():
        cells = report["breakdowns"][name]
        assert [c["key"] for c in cells] == [c["key"] for c in expected_cells], name
        for cell, expected in zip(cells, expected_cells, strict=True):
            assert {k: cell[k] for k in expected} == expected, (name, cell["key"])

    structure = {s["key"]: s for s in report["structure"]}
    for key in ("cel_wizyty", "metryka_rodzaj_klienta", "metryka_kanaly"):
        answered, counts = oracle.choices(key)
        assert structure[key]["n"] == answered
        assert {o["value"]: o["count"] for o in structure[key]["options"] if o["count"]} == counts
    named = [str(r.department_id) for r in oracle.rows if r.department_id]
    departments = structure["wydzial"]["options"]
    assert {o["value"]: o["count"] for o in departments if o["count"]} == {
        d: named.count(d) for d in named
    }

    assert report["trend"] == oracle.trend(start, end)

    texts = [(a["month"], a["key"], a["text"], a["department"])
             for a in report["open_answers"]]  # fmt: skip
    expected = oracle.texts(start, end, timezone.localdate())
    assert sorted(texts, key=repr) == sorted(expected, key=repr)
    by_content = sorted(texts, key=lambda t: (t[0] or "", t[1], t[2]))
    assert texts == sorted(by_content, key=lambda t: t[0] or "", reverse=True)
    assert report["open_answers_count"] == len(texts)

    importance = None
    if 2 in oracle.numbers:
        values = oracle.values_of(oracle.rows, "waznosc_obsluga")
        obsluga = mean_of(oracle.area_ratings(oracle.rows, "obsluga"))
        importance = [{"area": "obsluga", "title": "Obsługa", "importance_mean": mean_of(values),
                       "satisfaction_mean": obsluga, "n": len(values)}]  # fmt: skip
    assert report["importance"] == importance
    assert [q["number"] for q in report["questionnaire"]] == oracle.numbers

    if before is None:
        assert report["comparison"] is None
    else:
        check_comparison(report["comparison"], oracle, before, today)
    check_improvement(report, oracle, before)


def check_improvement(report, oracle, before):
    """Falling items: a reliable fall (the verdict is checked against the recount in
    check_comparison), largest first, ties in questionnaire order."""
    changes = {i["key"]: i for i in (report["comparison"] or {}).get("items", [])}
    falling = []
    for order, key in enumerate(oracle.item_keys() if before else []):
        if changes[key]["reliable"] and changes[key]["direction"] == "down":
            falling.append((changes[key]["diff"], order, key))
    expected = [key for _diff, _order, key in sorted(falling)]
    assert [i["key"] for i in report["hot_spots"]["falling"]] == expected


def check_reports(office, reports, min_cell, today):
    for start, end, department_id, channel, compare in reports:
        report = report_compute(
            office=office,
            start=start,
            end=end,
            department_id=department_id,
            channel=channel,
            compare=compare,
        )
        oracle = Oracle(office, start, end, department_id, channel, min_cell)
        before = None
        if compare:
            first, last = previous_period(start, end, today)
            before = Oracle(office, first, last, department_id, channel, min_cell)
        check_report(report, oracle, start, end, before, today)


class ReportMatchesRecount(TestCase):
    def world(self):
        self.departments, self.versions = {}, {}
        offices = []
        for slug, names in (("alfa", ["Wydział A", "Wydział B", "Wydział C"]), ("beta", ["X"])):
            office = Office.objects.create(slug=slug, name=f"Urząd {slug}")
            offices.append(office)
            self.departments[office.pk] = [
                Department.objects.create(office=office, name=name, position=i)
                for i, name in enumerate(names)
            ]
            survey = Survey.objects.create(office=office)
            for number in (1, 2):
                self.versions[office.pk, number] = SurveyVersion.objects.create(
                    office=office,
                    survey=survey,
                    number=number,
                    status="published",
                    definition=DEFINITIONS[number],
                )
            survey.current_version = self.versions[office.pk, 2]
            survey.save()
        return offices

    @staticmethod
    def fit(answers: dict, number: int) -> dict:
        """Only what the version asks, and only its options (as the forms ensure)."""
        keys = {q["key"] for s in DEFINITIONS[number]["sections"] for q in s["questions"]}
        answers = {k: v for k, v in answers.items() if k in keys}
        if answers.get("cel_wizyty") == "d" and number == 1:
            del answers["cel_wizyty"]
        return answers

    def add(self, offices, spec, today) -> Response:
        office = offices[spec["office"]]
        departments = self.departments[office.pk]
        department = spec["department"]
        return Response.objects.create(
            office=office,
            version=self.versions[office.pk, spec["version"]],
            channel=spec["channel"],
            department=None if department is None else departments[department % len(departments)],
            submitted_at=datetime.combine(
                today + timedelta(days=spec["day"]), spec["clock"], tzinfo=WARSAW
            ),
            answers=self.fit(spec["answers"], spec["version"]),
        )

    def change_the_past(self, created, later, corrections, deletions, offices, today):
        """Back-dated, corrected and deleted sheets, then the paper services' invalidation."""
        touched = []
        for spec in later:
            touched.append(self.add(offices, spec, today))
        for index, day_offset, answers in corrections if created else []:
            response = created[index % len(created)]
            touched.append(Response(office=response.office, submitted_at=response.submitted_at))
            response.submitted_at = datetime.combine(
                today + timedelta(days=day_offset), time(12), tzinfo=WARSAW
            )
            response.answers = self.fit(answers, response.version.number)
            response.save()
            touched.append(response)
        for index in deletions if created else []:
            response = created.pop(index % len(created))
            touched.append(Response(office=response.office, submitted_at=response.submitted_at))
            response.delete()
        for response in touched:
            rollups_invalidate(office=response.office, day=local_day(response.submitted_at))

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        now=st.sampled_from(NOWS),
        first=responses_strategy(st.integers(-90, 0), min_size=10, max_size=45),
        later=responses_strategy(st.integers(-60, -1), min_size=1, max_size=8),
        deletions=st.lists(st.integers(0, 10_000), max_size=3),
        corrections=st.lists(
            st.tuples(st.integers(0, 10_000), st.integers(-60, -1), answers_strategy),
            max_size=2,
        ),
        end_offset=st.integers(-12, 2),
        length=st.integers(1, 47),
        prebuild=st.none() | st.tuples(st.integers(-60, 0), st.integers(1, 40)),
        department=st.sampled_from([None, None, 0, 1]),
        channel=st.sampled_from([None, None, "online", "paper", "kiosk"]),
        compare=st.booleans(),
        min_cell=st.sampled_from([1, 3, 5]),
    )
    def test_every_figure_matches_a_recount(
        self, now, first, later, deletions, corrections, end_offset, length, prebuild,
        department, channel, compare, min_cell,
    ):  # fmt: skip
        today = now.date()
        with (
            mock.patch("django.utils.timezone.now", return_value=now),
            override_settings(REPORT_MIN_CELL=min_cell),
        ):
            offices = self.world()
            office = offices[0]
            created = [self.add(offices, spec, today) for spec in first]
            end = today + timedelta(days=end_offset)
            start = end - timedelta(days=length - 1)
            department_id = None
            if department is not None:
                department_id = self.departments[office.pk][department].pk
            # The drawn report, and the last 40 days up to today, compared, unfiltered: the
            # latter always spans stored days, the open ones and a month's end.
            reports = [
                (start, end, department_id, channel, compare),
                (today - timedelta(days=40), today, None, None, True),
            ]
            event(f"now {now:%m-%d %H:%M}")
            event(f"responses of the office: {min(sum(r.office == office for r in created), 9)}+")
            if prebuild is not None:
                built_from = today + timedelta(days=prebuild[0])
                built_to = built_from + timedelta(days=prebuild[1] - 1)
                report_compute(office=office, start=built_from, end=built_to)
            check_reports(office, reports, min_cell, today)

            self.change_the_past(created, later, corrections, deletions, offices, today)
            # Online answers are never invalidated: one stamped now, one stamped four minutes
            # ago that was still committing when the reports above ran (before midnight,
            # when "now" is just after it).
            for moment in (now, now - timedelta(minutes=4)):
                Response.objects.create(
                    office=office,
                    version=self.versions[office.pk, 2],
                    channel="online",
                    submitted_at=moment,
                    answers={"q_a": 1, "q_c": 2, "ocena_ogolna": 3, "co_poprawic": "teraz"},
                )
            check_reports(office, reports, min_cell, today)
