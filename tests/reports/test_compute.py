"""report_compute: what a reader of the report sees, example by example.

Every figure is checked against a plain recount in test_properties.py; these examples
show the behaviours by name: offices never mixed, filters, hidden small cells, the
comparison's significance, empty periods, versions lined up, and that a report of many
months costs no more queries than one of two.
"""

import copy
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404

from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.selectors import responses_in_period
from ocenurzad.reports.services import rollups_invalidate_office
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions
from ocenurzad.surveys.models import SurveyVersion

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2025, 6, 18, 12, 0, tzinfo=WARSAW)
TODAY = NOW.date()
AREA_ITEMS = 24  # rated items of the default survey


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """Reports depend on which days are over: the tests fix "now"."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def items_of(version) -> list[str]:
    return [
        q["key"]
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]


def respond(office, day, *, rating=4, channel="paper", department=None, clock=time(12), **extra):
    """One response rating every item of the current version ``rating``."""
    version = extra.pop("version", None) or office.survey.current_version
    answers = dict.fromkeys(items_of(version), rating)
    answers["ocena_ogolna"] = rating
    answers.update(extra)
    return Response.objects.create(
        office=office,
        version=version,
        channel=channel,
        department=department,
        submitted_at=datetime.combine(day, clock, tzinfo=WARSAW),
        answers=answers,
    )


def test_a_report_is_json_with_every_section_of_the_format(office):
    respond(office, date(2025, 5, 5), co_poprawic="Więcej miejsc parkingowych")

    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    assert set(report) >= {
        "format", "office", "params", "generated_at", "generated_by", "method", "overall",
        "areas", "structure", "breakdowns", "trend", "comparison", "importance",
        "summary", "hot_spots", "open_answers", "open_answers_count", "questionnaire", "notes",
    }  # fmt: skip
    assert json.loads(json.dumps(report)) == report
    assert report["office"] == {"slug": "swinoujscie", "name": office.name}
    assert report["params"]["start"] == "2025-05-01"
    assert report["method"]["responses"] == 1
    assert report["open_answers"] == [
        {
            "key": "co_poprawic",
            "question": "Co powinniśmy poprawić?",
            "month": None,  # one response that May: its month would single it out
            "department": None,
            "text": "Więcej miejsc parkingowych",
        }
    ]


def test_two_offices_are_never_mixed(office, other_office):
    for day in (date(2025, 5, 5), date(2025, 6, 18)):
        respond(office, day, rating=5)
        respond(other_office, day, rating=1, co_poprawic="obcy komentarz")
        respond(other_office, day, rating=1)

    report = report_compute(office=office, start=date(2025, 1, 1), end=TODAY)

    assert report["method"]["responses"] == 2
    assert report["overall"]["mean"] == 5.0
    assert report["open_answers"] == []
    foreign = other_office.departments.first()
    with pytest.raises(Http404):
        report_compute(office=office, start=TODAY, end=TODAY, department_id=foreign.pk)


def test_department_and_channel_filters(office):
    komunikacja, usc = office.departments.order_by("position")
    respond(office, date(2025, 5, 5), department=komunikacja, channel="paper", rating=5)
    respond(office, date(2025, 5, 6), department=komunikacja, channel="online", rating=3)
    respond(office, date(2025, 5, 7), department=usc, channel="online", rating=1)
    period = {"office": office, "start": date(2025, 5, 1), "end": date(2025, 5, 31)}

    by_department = report_compute(**period, department_id=komunikacja.pk)
    by_channel = report_compute(**period, channel="online")
    both = report_compute(**period, department_id=komunikacja.pk, channel="online")

    assert by_department["method"]["responses"] == 2
    assert by_department["overall"]["mean"] == 4.0
    assert by_department["params"]["department"] == {"id": komunikacja.pk, "name": komunikacja.name}
    assert by_channel["method"]["by_channel"] == {"online": 2, "paper": 0, "kiosk": 0}
    assert by_channel["overall"]["mean"] == 2.0
    assert both["method"]["responses"] == 1 and both["overall"]["mean"] == 3.0
    assert any("Wydział Komunikacji" in note for note in by_department["notes"])
    assert any("internet" in note for note in by_channel["notes"])
    with pytest.raises(ValueError, match="channel"):
        report_compute(**period, channel="fax")


def test_breakdown_cells_under_five_responses_are_hidden(office, settings):
    komunikacja, usc = office.departments.order_by("position")
    for i in range(4):
        respond(office, date(2025, 5, 1 + i), department=komunikacja, rating=2)
    for i in range(5):
        respond(office, date(2025, 5, 10 + i), department=usc, rating=4)
    period = {"office": office, "start": date(2025, 5, 1), "end": date(2025, 5, 31)}

    cells = {c["label"]: c for c in report_compute(**period)["breakdowns"]["department"]}

    assert cells["Wydział Komunikacji"] == {
        "key": str(komunikacja.pk),
        "label": "Wydział Komunikacji",
        "n": None,
        "mean": None,
        "positive_share": None,
        "satisfaction_mean": None,
        "areas": None,
        "suppressed": True,
    }
    # the only other cell would give the hidden one away (total minus it): hidden too
    assert cells["Urząd Stanu Cywilnego"]["suppressed"] is True
    assert cells["Urząd Stanu Cywilnego"]["mean"] is None
    for i in range(3):  # hidden as well: together with Komunikacja's 4, a group of 7
        respond(office, date(2025, 5, 20 + i), department=None, rating=5)
    rollups_invalidate_office(office=office)
    cells = {c["label"]: c for c in report_compute(**period)["breakdowns"]["department"]}
    assert cells["Urząd Stanu Cywilnego"]["suppressed"] is False
    assert cells["Urząd Stanu Cywilnego"]["n"] == 5
    assert cells["Urząd Stanu Cywilnego"]["areas"]["wizerunek"] == 4.0
    assert cells["nie wskazano wydziału"]["suppressed"] is True
    settings.REPORT_MIN_CELL = 3
    report = report_compute(**period)
    assert report["params"]["min_cell"] == 3
    assert report["breakdowns"]["department"][0]["n"] == 4  # 4 and the 3 unnamed: shown
    assert report["notes"][0].startswith("Komórki zestawień z mniej niż 3 odpowiedziami")


def test_a_clear_improvement_is_reliable(office):
    for i in range(40):  # May 1-18: 2s and 3s; June 1-18: 4s and 5s
        respond(office, date(2025, 5, 1) + timedelta(days=i % 18), rating=2 + i % 2)
        respond(office, date(2025, 6, 1) + timedelta(days=i % 18), rating=4 + i % 2)

    # June so far (today is June 18) is compared with the same days of May.
    report = report_compute(office=office, start=date(2025, 6, 1), end=TODAY, compare=True)

    comparison = report["comparison"]
    assert comparison["previous"] == {
        "start": "2025-05-01",
        "end": "2025-05-18",
        "name": "01.05.2025 – 18.05.2025",
        "respondents": 40,
        "days_with_responses": 18,
    }
    assert comparison["current"]["respondents"] == 40
    assert "tymi samymi dniami poprzedniego miesiąca" in comparison["note"]
    overall = comparison["overall"]
    assert (overall["mean_now"], overall["mean_before"], overall["diff"]) == (4.5, 2.5, 2.0)
    assert overall["reliable"] is True and overall["direction"] == "up"
    assert 0 < overall["ci95"][0] < 2.0 < overall["ci95"][1]
    # n is respondents; the ratings are a secondary figure
    assert overall["n_now"] == overall["n_before"] == 40
    assert overall["n_ratings_now"] == 40 * AREA_ITEMS
    assert all(item["reliable"] for item in comparison["items"])
    assert comparison["tests"] == 2 + len(comparison["areas"]) + 1 + AREA_ITEMS


def test_noise_is_not_significant(office):
    for i in range(40):  # the same mix of ratings in both periods
        respond(office, date(2025, 5, 1) + timedelta(days=i % 18), rating=1 + i % 5)
        respond(office, date(2025, 6, 1) + timedelta(days=i % 18), rating=1 + (i + 1) % 5)
    few = report_compute(office=office, start=date(2025, 6, 1), end=date(2025, 6, 1), compare=True)

    report = report_compute(office=office, start=date(2025, 6, 1), end=TODAY, compare=True)

    overall = report["comparison"]["overall"]
    assert overall["diff"] == 0.0 and overall["reliable"] is False
    assert overall["reason"].startswith("różnica może być przypadkowa")
    assert overall["ci95"][0] < 0 < overall["ci95"][1]
    assert report["hot_spots"]["falling"] == []
    # One day against the day before, which had no responses: nothing is compared.
    few_comparison = few["comparison"]
    assert few_comparison["previous"]["start"] == "2025-05-31"  # custom: the day before
    assert not any(item["reliable"] for item in few_comparison["items"])
    assert few_comparison["periods_reason"] == "w okresie porównawczym nie ma żadnych odpowiedzi"
    assert few_comparison["overall"]["code"] == "periods_not_comparable"


def test_falling_items_are_listed_with_the_hot_spots(office):
    for i in range(30):
        respond(office, date(2025, 5, 10), rating=5)
        respond(office, date(2025, 6, 10), rating=5, wizerunek_parking=1 + i % 2)

    report = report_compute(office=office, start=date(2025, 6, 1), end=TODAY, compare=True)

    assert report["hot_spots"]["falling"] == [
        {
            "key": "wizerunek_parking",
            "text": "Dostępność i liczba miejsc parkingowych",
            "area": "Wizerunek Urzędu",
            "mean_now": 1.5,
            "mean_before": 5.0,
            "diff": -3.5,
            "n_now": 30,
            "n_before": 30,
        }
    ]
    assert report["summary"]["falling"] == ["wizerunek_parking"]


def test_an_empty_period_gives_zeros_and_nothing_to_compute(office):
    report = report_compute(office=office, start=date(2025, 4, 1), end=date(2025, 5, 31))

    assert report["method"] == {
        "responses": 0,
        "complete": 0,
        "partial": 0,
        "by_channel": {"online": 0, "paper": 0, "kiosk": 0},
        "versions": [],
        "first_response": None,
        "last_response": None,
    }
    assert report["overall"]["n_ratings"] == 0 and report["overall"]["mean"] is None
    assert report["overall"]["satisfaction"]["mean"] is None
    assert report["areas"][0]["n"] == 0 and report["areas"][0]["items"][0]["mean"] is None
    assert report["trend"] == [
        {
            "month": m,
            "n": 0,
            "mean": None,
            "positive_share": None,
            "satisfaction_mean": None,
            "suppressed": False,
        }
        for m in ("2025-04", "2025-05")
    ]
    assert report["breakdowns"]["department"] == []
    assert report["breakdowns"]["channel"] == []  # nothing to show, nothing "hidden"
    assert report["hot_spots"]["cells"] == [] and report["open_answers"] == []
    assert [q["version"] for q in report["questionnaire"]] == ["SWINOUJSCIE-V1"]
    assert "W wybranym okresie nie wpłynęła żadna ankieta." in report["notes"]


def test_days_are_days_in_warsaw(office):
    respond(office, date(2025, 1, 1), clock=time(0, 30))  # 2024-12-31 23:30 UTC
    respond(office, date(2024, 12, 31), clock=time(23, 59, 59))

    december = report_compute(office=office, start=date(2024, 12, 1), end=date(2024, 12, 31))
    january = report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 1, 31))

    assert december["method"]["responses"] == january["method"]["responses"] == 1
    assert december["method"]["last_response"] == "2024-12-31"
    assert january["method"]["first_response"] == "2025-01-01"


def test_questions_line_up_across_versions_by_key(office):
    v1 = office.survey.current_version
    definition = copy.deepcopy(v1.definition)
    area = definition["sections"][1]
    area["questions"] = [q for q in area["questions"] if q["key"] != "wizerunek_ubior"]
    area["questions"][0]["text"]["pl"] = "Położenie Urzędu"
    area["questions"].append(
        {"key": "wizerunek_toalety", "kind": "rating", "text": {"pl": "Toalety"}, "na": True}
    )
    v2 = SurveyVersion.objects.create(
        office=office, survey=office.survey, number=2, status="published", definition=definition
    )
    respond(office, date(2025, 5, 5), version=v1, rating=3)
    respond(office, date(2025, 6, 5), version=v2, rating=5)

    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 6, 30))

    items = {i["key"]: i for i in report["areas"][0]["items"]}
    assert items["wizerunek_lokalizacja"]["text"] == "Położenie Urzędu"
    assert items["wizerunek_lokalizacja"]["versions_note"] is None
    assert items["wizerunek_lokalizacja"]["n"] == 2
    assert items["wizerunek_toalety"]["versions_note"] == "pytanie dodane w wersji SWINOUJSCIE-V2"
    assert items["wizerunek_ubior"]["versions_note"] == "pytanie usunięte w wersji SWINOUJSCIE-V2"
    assert (items["wizerunek_ubior"]["n"], items["wizerunek_ubior"]["mean"]) == (1, 3.0)
    assert [v["code"] for v in report["method"]["versions"]] == ["SWINOUJSCIE-V1", "SWINOUJSCIE-V2"]
    assert [q["number"] for q in report["questionnaire"]] == [1, 2]
    assert report["method"]["complete"] == 2


def test_structure_counts_departments_and_metryka(office):
    komunikacja, _usc = office.departments.order_by("position")
    respond(office, date(2025, 5, 5), department=komunikacja, metryka_wiek="do_25")
    respond(office, date(2025, 5, 6), department=komunikacja, metryka_wiek="pow_65")
    respond(office, date(2025, 5, 7), cel_wizyty="informacja")

    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    structure = {s["key"]: s for s in report["structure"]}
    assert structure["wydzial"]["n"] == 2
    assert structure["wydzial"]["options"][0] == {
        "value": str(komunikacja.pk),
        "label": "Wydział Komunikacji",
        "count": 2,
        "share": 1.0,
    }
    age = {o["value"]: (o["count"], o["share"]) for o in structure["metryka_wiek"]["options"]}
    assert age["do_25"] == (1, 0.5) and age["26_40"] == (0, 0.0)
    assert structure["cel_wizyty"]["n"] == 1
    assert "sprawa_zalatwiona" not in structure  # it is overall.settled


def test_importance_is_reported_only_where_the_survey_asks_it(office):
    assert report_compute(office=office, start=TODAY, end=TODAY)["importance"] is None
    definition = copy.deepcopy(office.survey.current_version.definition)
    definition["sections"][-2]["questions"].append(
        {"key": "waznosc_wizerunek", "kind": "rating", "importance_of": "wizerunek",
         "text": {"pl": "Jak ważny jest wizerunek?"}}
    )  # fmt: skip
    version = SurveyVersion.objects.create(
        office=office, survey=office.survey, number=2, status="published", definition=definition
    )
    respond(office, date(2025, 5, 5), version=version, rating=3, waznosc_wizerunek=5)

    report = report_compute(office=office, start=date(2025, 5, 1), end=date(2025, 5, 31))

    assert report["importance"] == [
        {"area": "wizerunek", "title": "Wizerunek Urzędu", "importance_mean": 5.0,
         "satisfaction_mean": 3.0, "n": 1}
    ]  # fmt: skip
    assert report["overall"]["mean"] == 3.0  # importance is not a satisfaction rating


def test_query_count_does_not_grow_with_the_number_of_months(office, django_assert_max_num_queries):
    for month in range(1, 13):
        respond(office, date(2024, month, 10), co_poprawic="uwaga")
        respond(office, date(2025, min(month, 6), 10))
    short = {"office": office, "start": date(2025, 4, 1), "end": TODAY, "compare": True}
    long = {"office": office, "start": date(2023, 6, 15), "end": TODAY, "compare": True}
    report_compute(**short)  # builds what is missing
    report_compute(**long)

    # departments, versions, stored rollups and today's responses; again for the comparison;
    # the count of sheets dated by a period
    with django_assert_max_num_queries(7):
        report_compute(**short)
    with django_assert_max_num_queries(7):
        report = report_compute(**long)
    assert report["method"]["responses"] == 24


def test_responses_in_period_reads_one_office_and_local_days(office, other_office):
    komunikacja, _usc = office.departments.order_by("position")
    inside = [
        respond(office, date(2025, 5, 1), clock=time(0, 0), department=komunikacja),
        respond(office, date(2025, 5, 31), clock=time(23, 59, 59), channel="online"),
    ]
    respond(office, date(2025, 4, 30), clock=time(23, 59, 59))
    respond(office, date(2025, 6, 1), clock=time(0, 0))
    respond(other_office, date(2025, 5, 10))
    may = {"office": office, "start": date(2025, 5, 1), "end": date(2025, 5, 31)}

    assert list(responses_in_period(**may)) == inside
    assert list(responses_in_period(**may, department_id=komunikacja.pk)) == inside[:1]
    assert list(responses_in_period(**may, channel="online")) == inside[1:]
