"""Hot spots ("Obszary do poprawy"), the one-page summary and what a report leaves out.

The hot-spot data has a known truth: one big department is slow (its waiting time is
rated 3.0 while the rest of the office gives 4.5), a good office-wide mean hides it; a
small department has an even lower but noisy mean; parking is rated low everywhere alike.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ocenurzad.offices.models import Department
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.compute.hotspots import hot_spot_id_parse, period_token
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=WARSAW)
YEAR = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}
WAIT = "terminowosc_oczekiwanie"
PARKING = "wizerunek_parking"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def item_keys(version) -> list[str]:
    return [
        q["key"]
        for s, q in iter_questions(version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]


def responses(office, department, ratings, *, others=5, parking=3, comment=None, channel="paper"):
    """One response per value of ``ratings`` (the waiting-time item), spread over 2025;
    every other item rated ``others``, parking ``parking``."""
    version = office.survey.current_version
    keys = item_keys(version)
    rows = []
    for index, rating in enumerate(ratings):
        answers = dict.fromkeys(keys, others)
        answers.update({WAIT: rating, PARKING: parking, "ocena_ogolna": others})
        if comment and index < 3:
            answers["co_poprawic"] = f"{comment} {index + 1}"
        day = date(2025, 1 + index % 12, 1 + index % 28)
        rows.append(
            Response(
                office=office,
                version=version,
                channel=channel,
                department=department,
                submitted_at=datetime.combine(day, time(10), tzinfo=WARSAW),
                answers=answers,
            )
        )
    Response.objects.bulk_create(rows)


@pytest.fixture
def town(office):
    """Slow (300 people, waiting time 2 or 4: mean 3.0), two good departments (600 people
    at 4–5), Small (31 people, waiting time mostly 1: mean 2.3 but noisy), Tiny (10
    people, all 1: too few to test)."""
    slow, good = office.departments.order_by("position")
    other = Department.objects.create(office=office, name="Wydział Podatków", position=2)
    small = Department.objects.create(office=office, name="Referat Mały", position=3)
    tiny = Department.objects.create(office=office, name="Biuro Małe", position=4)
    responses(office, slow, [2, 4] * 150, comment="Kolejka w Komunikacji")
    responses(office, good, [4, 5] * 150, comment="Wszystko sprawnie")
    responses(office, other, [5, 4] * 150)
    responses(office, small, [1] * 21 + [5] * 10, comment="Długo czekałem")
    responses(office, tiny, [1] * 10)
    return {"slow": slow, "good": good, "small": small, "tiny": tiny, "other": other}


def test_a_departments_weakness_hidden_by_a_good_office_mean_is_the_first_hot_spot(office, town):
    report = report_compute(office=office, **YEAR)

    cells = report["hot_spots"]["cells"]
    first = cells[0]
    assert first["id"] == f"item:{WAIT}|dept:{town['slow'].pk}|2025"
    assert (first["key"], first["department"]["name"]) == (WAIT, "Wydział Komunikacji")
    assert (first["n"], first["mean"]) == (300, 3.0)
    # the rest of the office: everybody else, never a total that contains the cell
    assert first["rest_n"] == 600 + 31 + 10
    assert first["rest_mean"] == round((4.5 * 600 + (21 + 50) + 10) / 641, 2)
    assert first["interval"][1] < 0
    # the office-wide mean of the item is unremarkable: the old "lowest items" missed it
    waiting = next(i for a in report["areas"] for i in a["items"] if i["key"] == WAIT)
    parking = next(i for a in report["areas"] for i in a["items"] if i["key"] == PARKING)
    assert waiting["mean"] > parking["mean"]


def test_a_small_noisy_cell_does_not_win_and_a_tiny_one_is_not_tested(office, town):
    report = report_compute(office=office, **YEAR)

    cells = report["hot_spots"]["cells"]
    small = next(c for c in cells if c["department"]["name"] == "Referat Mały")
    slow = cells[0]
    # Negative control: by the point estimate alone the small cell would come first …
    assert small["mean"] < slow["mean"] and small["diff"] < slow["diff"]
    # … but its interval is wide, so it ranks below the big department's.
    assert cells.index(small) > 0
    assert small["interval"][1] > slow["interval"][1]
    assert not any(c["department"]["name"] == "Biuro Małe" for c in cells)


def test_a_low_rating_shared_by_the_whole_office_is_no_hot_spot(office, town):
    report = report_compute(office=office, **YEAR)

    assert not any(c["key"] == PARKING for c in report["hot_spots"]["cells"])
    assert not any(c["department"]["name"] == "Urząd Stanu Cywilnego"
                   for c in report["hot_spots"]["cells"])  # fmt: skip


def test_hot_spots_carry_month_only_comments_of_their_department(office, town):
    report = report_compute(office=office, **YEAR)

    first = report["hot_spots"]["cells"][0]
    assert 1 <= len(first["comments"]) <= 3
    for comment in first["comments"]:
        assert comment["text"].startswith("Kolejka w Komunikacji")
        assert len(comment["month"]) == 7  # YYYY-MM, never the day
        assert comment["question"] == "Co powinniśmy poprawić?"


def test_hot_spot_identifiers_are_stable_and_parse_back(office, town):
    first = report_compute(office=office, **YEAR)["hot_spots"]["cells"][0]
    again = report_compute(office=office, **YEAR)["hot_spots"]["cells"][0]

    assert first["id"] == again["id"]
    assert hot_spot_id_parse(first["id"]) == {
        "kind": "item",
        "key": WAIT,
        "group": "department",
        "department_id": town["slow"].pk,
        "client_type": None,
        "period": "2025",
    }
    assert hot_spot_id_parse("area:terminowosc|klient:firma|2025-Q2") == {
        "kind": "area",
        "key": "terminowosc",
        "group": "client_type",
        "department_id": None,
        "client_type": "firma",
        "period": "2025-Q2",
    }
    assert hot_spot_id_parse("item:x|dept:abc|2025") is None
    assert hot_spot_id_parse("item:x|kanal:online|2025") is None  # a channel is no hot spot
    assert hot_spot_id_parse("") is None


@pytest.mark.parametrize(
    ("start", "end", "token"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), "2025"),
        (date(2024, 4, 1), date(2024, 6, 30), "2024-Q2"),
        (date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        (date(2025, 2, 1), date(2025, 4, 30), "2025-02-01..2025-04-30"),
        (date(2025, 1, 15), date(2025, 12, 31), "2025-01-15..2025-12-31"),
    ],
)
def test_the_period_of_a_hot_spot_is_named_by_its_kind(start, end, token):
    assert period_token(start, end) == token


def test_a_report_of_one_department_has_no_department_hot_spots(office, town):
    report = report_compute(office=office, **YEAR, department_id=town["slow"].pk)

    assert report["hot_spots"]["cells"] == []
    assert report["hot_spots"]["tested"] == 0


def test_the_summary_names_the_index_extremes_hot_spots_and_comments(office, town):
    report = report_compute(office=office, **YEAR)

    summary = report["summary"]
    assert summary["responses"] == 941
    assert summary["index"]["mean"] == report["overall"]["mean"]
    assert summary["positive_share"] == report["overall"]["positive_share"]
    assert [i["key"] for i in summary["weakest"]][:2] == [PARKING, WAIT]
    assert len(summary["strongest"]) == 3 and PARKING not in summary["strongest"]
    assert summary["hot_spots"][0] == report["hot_spots"]["cells"][0]["id"]
    # one department weak in one thing does not fill the summary alone
    departments = [hot_spot_id_parse(i)["department_id"] for i in summary["hot_spots"]]
    # (every department's first hot spot comes before any department's second one)
    distinct = len(set(departments))
    assert len(set(departments[:distinct])) == distinct
    assert summary["open_answers_count"] == 9
    assert summary["compared"] is False and summary["changes"] == []


def test_departments_outside_the_period_and_unused_channels_are_not_listed(office, town):
    later = Department.objects.create(
        office=office, name="Wydział Nowy", position=9, valid_from=date(2026, 1, 5)
    )
    closed = Department.objects.create(
        office=office, name="Wydział Dawny", position=10, is_active=False,
        valid_to=date(2024, 11, 30),
    )  # fmt: skip

    report = report_compute(office=office, **YEAR)

    listed = {o["label"] for s in report["structure"] if s["key"] == "wydzial"
              for o in s["options"]}  # fmt: skip
    assert "Wydział Nowy" not in listed and "Wydział Dawny" not in listed
    assert "Wydział Komunikacji" in listed
    assert [c["key"] for c in report["breakdowns"]["channel"]] == ["paper"]
    assert report["method"]["by_channel"]["kiosk"] == 0
    questionnaire = report["questionnaire"][0]["sections"][0]["questions"][0]
    assert "Wydział Nowy" not in questionnaire["options"]
    assert later.existed_during(date(2026, 1, 1), date(2026, 12, 31))
    assert not closed.existed_during(**YEAR)


def test_hot_spot_comments_come_only_from_whole_months_that_are_over(office, town, monkeypatch):
    year = report_compute(office=office, **YEAR)["hot_spots"]["cells"][0]
    from_mid_january = report_compute(office=office, start=date(2025, 1, 15), end=YEAR["end"])
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2025, 3, 20, 12, tzinfo=WARSAW)
    )
    march_running = report_compute(office=office, start=YEAR["start"], end=date(2025, 3, 20))

    assert sorted(c["month"] for c in year["comments"]) == ["2025-01", "2025-02", "2025-03"]
    cut = from_mid_january["hot_spots"]["cells"][0]["comments"]
    assert sorted(c["month"] for c in cut) == ["2025-02", "2025-03"]
    running = march_running["hot_spots"]["cells"][0]["comments"]
    assert sorted(c["month"] for c in running) == ["2025-01", "2025-02"]
