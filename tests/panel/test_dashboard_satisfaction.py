"""The dashboard's satisfaction: the same figures as the report of the same period, the
report's suppression, the sparkline with its table, the weakest hot spot with its link to
a new action, and a query count that does not grow with the responses."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ocenurzad.accounts.models import Role, User
from ocenurzad.offices.models import Department
from ocenurzad.panel.dashboard import dashboard_figures, dashboard_reports
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.periods import Kind
from ocenurzad.reports.render.formatting import fmt_mean, fmt_share
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=WARSAW)
TODAY = NOW.date()
WAIT = "terminowosc_oczekiwanie"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _keys(office):
    return [
        q["key"]
        for s, q in iter_questions(office.survey.current_version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]


def _responses(office, department, waits, *, others=5, year=2025, months=12, month0=1):
    version = office.survey.current_version
    keys = _keys(office)
    rows = []
    for index, wait in enumerate(waits):
        answers = dict.fromkeys(keys, others)
        answers.update({WAIT: wait, "ocena_ogolna": others})
        day = date(year, month0 + index % months, 1 + index % 28)
        rows.append(
            Response(
                office=office,
                version=version,
                channel="paper",
                department=department,
                submitted_at=datetime.combine(day, time(10), tzinfo=WARSAW),
                answers=answers,
            )
        )
    Response.objects.bulk_create(rows)


@pytest.fixture
def town(office):
    """2024 a little worse than 2025 (a reliable rise); in 2025 the Wydział Komunikacji
    waits long (a hot spot); three responses in January 2026 (too few to show)."""
    slow, good = office.departments.order_by("position")
    other = Department.objects.create(office=office, name="Wydział Podatków", position=2)
    _responses(office, slow, [2, 3] * 60, others=4, year=2024)
    _responses(office, good, [4, 4] * 60, others=4, year=2024)
    _responses(office, slow, [2, 4] * 150)
    _responses(office, good, [4, 5] * 150)
    _responses(office, other, [5, 4] * 150)
    _responses(office, good, [5, 5, 5], year=2026, months=1)
    return {"slow": slow}


def _login(client, office, role=Role.OFFICE_ADMIN):
    user = User.objects.create_user(
        username=f"u-{role}", password="x" * 12, role=role, office=office
    )
    client.force_login(user)
    return user


def test_the_dashboards_figures_are_the_reports_figures_for_the_same_period(office, town):
    figures = dashboard_figures(office=office, today=TODAY)
    report = report_compute(
        office=office,
        start=date(2025, 2, 1),
        end=date(2026, 1, 31),
        compare=True,
        kind=Kind.LAST_12_MONTHS,
    )

    months = figures["12m"]
    assert (months["start"], months["end"]) == ("2025-02-01", "2026-01-31")
    assert months["mean"] == report["summary"]["index"]["mean"]
    assert months["n"] == report["summary"]["index"]["n"]
    assert months["positive_share"] == report["summary"]["positive_share"]
    assert months["comparison"]["overall"] == report["comparison"]["overall"]
    assert months["comparison"]["overall"]["reliable"] is True  # 2025 better than 2024
    assert months["hot_spot"]["id"] == report["hot_spots"]["cells"][0]["id"]
    assert [m["mean"] for m in months["trend"]] == [m["mean"] for m in report["trend"]]


def test_the_page_shows_what_the_report_page_shows(client, office, town):
    _login(client, office)
    report = dashboard_reports(office=office, today=TODAY)["12m"]
    mean = fmt_mean(report["summary"]["index"]["mean"])
    share = fmt_share(report["summary"]["positive_share"])

    page = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    report_page = client.get(
        f"/{office.slug}/admin/raporty/podglad/?okres=12m&porownaj=poprzedni"
    ).content.decode()

    assert f'<strong class="dashboard-figure">{mean}</strong>' in page
    assert f'<strong class="dashboard-figure">{share}</strong>' in page
    assert "wiarygodna zmiana: wzrost" in page
    assert mean in report_page and share in report_page


def test_a_period_below_the_minimum_shows_no_figure(client, office, town):
    _login(client, office)
    figures = dashboard_figures(office=office, today=TODAY)
    assert figures["ytd"]["n"] == 3
    assert figures["ytd"]["mean"] is None and figures["ytd"]["positive_share"] is None

    page = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert "Za mało osób oceniło (3; potrzeba co najmniej 5)" in page


def test_the_sparkline_has_a_text_alternative_with_every_months_value(client, office, town):
    _login(client, office)
    page = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert '<svg class="sparkline"' in page
    assert 'role="img"' in page and 'aria-describedby="pulpit-wykres-opis"' in page
    assert page.count("<polyline") == 1  # 11 months with ratings and January 2026 hidden
    assert ">Marzec 2025</th>" in page
    assert "ukryte (za mało odpowiedzi)" in page  # January 2026: 3 responses


def test_the_weakest_hot_spot_links_to_a_new_action_about_it(client, office, town):
    _login(client, office)
    page = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    spot = dashboard_figures(office=office, today=TODAY)["12m"]["hot_spot"]
    assert spot["department"]["id"] == town["slow"].pk and spot["key"] == WAIT
    assert "Zapisz działanie dla tego obszaru" in page
    link = page.split("Zapisz działanie dla tego obszaru")[0].rsplit('href="', 1)[1]
    link = link.split('"')[0].replace("&amp;", "&")

    form = client.get(link).content.decode()

    assert f'value="item:{WAIT}"' in form.split("checked")[0] or "checked" in form
    assert f'<option value="{town["slow"].pk}" selected>' in form
    assert f"item:{WAIT}|dept:{town['slow'].pk}|2025-02-01..2026-01-31" in form


def test_a_reporter_sees_satisfaction_and_the_link(client, office, town):
    _login(client, office, Role.REPORTER)
    page = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert "Zadowolenie klientów" in page and "Zapisz działanie dla tego obszaru" in page


def test_figures_are_recomputed_when_a_response_arrives(office, town):
    before = dashboard_figures(office=office, today=TODAY)["ytd"]["n"]
    version = office.survey.current_version
    for _ in range(2):  # today's responses (past days' go through rollups_invalidate)
        Response.objects.create(
            office=office, version=version, channel="online", submitted_at=NOW, answers={WAIT: 5}
        )
    assert dashboard_figures(office=office, today=TODAY)["ytd"]["n"] == before + 2


def test_each_office_sees_only_its_own_figures(office, other_office, town):
    assert dashboard_figures(office=other_office, today=TODAY)["12m"]["n"] == 0
    assert dashboard_figures(office=office, today=TODAY)["12m"]["n"] > 0


def test_the_warm_dashboard_query_count_does_not_grow_with_responses(
    client, office, town, django_assert_max_num_queries
):
    _login(client, office)
    client.get(f"/{office.slug}/admin/pulpit/")  # computes and keeps the figures
    # the page's 16 (counts, last report, duties) + the stamp (2) + the cache (1)
    with django_assert_max_num_queries(19):
        client.get(f"/{office.slug}/admin/pulpit/")
    _responses(office, town["slow"], [4] * 200)
    client.get(f"/{office.slug}/admin/pulpit/")
    with django_assert_max_num_queries(19):
        client.get(f"/{office.slug}/admin/pulpit/")
