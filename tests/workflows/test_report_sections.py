"""The report's section "Działania i ich zmiana po wdrożeniu", assembled above reports
(workflows/report_sections.py): which actions a report accounts for, their change after
completion as the action card computes it, on the screen and in the PDF."""

import ast
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ocenurzad.actions.change import action_change_after
from ocenurzad.actions.models import Action, ActionStatus
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.render.html import report_html
from ocenurzad.reports.render.pdf import report_document_html
from ocenurzad.responses.models import Response
from ocenurzad.surveys.definition import iter_questions

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=WARSAW)
WAIT = "terminowosc_oczekiwanie"
SRC = Path(__file__).resolve().parents[2] / "src" / "ocenurzad"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _answers(office, wait):
    keys = [
        q["key"]
        for s, q in iter_questions(office.survey.current_version.definition)
        if s["kind"] == "area" and q["kind"] == "rating"
    ]
    return {**dict.fromkeys(keys, 4), WAIT: wait}


def _responses(office, department, waits, months):
    version = office.survey.current_version
    Response.objects.bulk_create(
        Response(
            office=office,
            version=version,
            channel="paper",
            department=department,
            submitted_at=datetime.combine(
                months[index % len(months)].replace(day=1 + index % 28), time(10), tzinfo=WARSAW
            ),
            answers=_answers(office, wait),
        )
        for index, wait in enumerate(waits)
    )


def _months(first: date, count: int) -> list[date]:
    out, year, month = [], first.year, first.month
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _action(office, number, **fields):
    fields.setdefault("title", f"Działanie {number}")
    fields.setdefault("owner_name", "Jan Kowalski")
    fields.setdefault("deadline", date(2025, 6, 30))
    fields.setdefault("targets", [{"type": "item", "key": WAIT, "label": "Czas oczekiwania"}])
    created = fields.pop("created", None)
    action = Action.objects.create(office=office, year=2025, number=number, **fields)
    if created:
        Action.objects.filter(pk=action.pk).update(created_at=created)
        action.refresh_from_db()
    return action


@pytest.fixture
def department(office):
    """Waiting time rated 2–3 from July 2024 to January 2025 and 4–5 from July 2025 to
    January 2026, every other item 4 throughout: a change after an action done in June."""
    komunikacja = office.departments.order_by("position").first()
    _responses(office, komunikacja, [2, 3] * 40, _months(date(2024, 7, 1), 7))
    _responses(office, komunikacja, [4, 5] * 40, _months(date(2025, 7, 1), 7))
    return komunikacja


def _year_2025(office, **kwargs):
    return report_compute(office=office, start=date(2025, 1, 1), end=date(2025, 12, 31), **kwargs)


def test_a_done_action_and_its_change_after_are_in_the_report_on_screen_and_in_the_pdf(
    office, department
):
    done = _action(
        office,
        1,
        title="Drugi stanowiskowy automat biletowy",
        department=department,
        department_name=department.name,
        status=ActionStatus.DONE,
        done_on=date(2025, 6, 15),
        created=datetime(2025, 3, 1, 9, tzinfo=WARSAW),
    )

    report = _year_2025(office)

    (row,) = report["extra_sections"]["actions"]["actions"]
    card = action_change_after(action=done)
    assert row["code"] == "DN/2025/01"
    assert row["change"]["state"] == card.state == "improved"
    assert row["change"]["change"] == round(card.change, 2)
    assert row["change"]["n_after"] == card.after.n == 80
    html = str(report_html(report))
    section = html[html.index('id="raport-actions"') :]
    assert "Działania i ich zmiana po wdrożeniu" in section
    assert "DN/2025/01 Drugi stanowiskowy automat biletowy" in section
    assert "wyraźna poprawa względem pozostałych pytań" in section
    assert 'href="#raport-actions"' in html  # listed in the contents
    pdf = report_document_html(report)
    assert "DN/2025/01 Drugi stanowiskowy automat biletowy" in pdf


def test_too_early_until_enough_respondents(office, department):
    _action(
        office,
        1,
        department=department,
        status=ActionStatus.DONE,
        done_on=date(2025, 12, 20),  # only January 2026 after it
        created=datetime(2025, 3, 1, 9, tzinfo=WARSAW),
    )
    report = _year_2025(office)
    (row,) = report["extra_sections"]["actions"]["actions"]
    assert row["change"]["state"] == "too_early"
    assert "za wcześnie, by ocenić" in str(report_html(report))


def test_which_actions_a_report_accounts_for(office, other_office, department):
    march = datetime(2025, 3, 1, 9, tzinfo=WARSAW)
    _action(office, 1, title="Otwarte w okresie", created=march)
    _action(
        office,
        2,
        title="Zakończone przed okresem",
        status=ActionStatus.DONE,
        done_on=date(2024, 12, 1),
        created=datetime(2024, 6, 1, 9, tzinfo=WARSAW),
    )
    _action(office, 3, title="Powstałe po okresie")  # created now, February 2026
    _action(
        office,
        4,
        title="Z obszaru do poprawy raportu 2025",
        hotspot_id=f"item:{WAIT}|dept:{department.pk}|2025",
    )
    _action(office, 5, title="Innego wydziału", department=department, created=march)
    Action.objects.create(
        office=other_office,
        year=2025,
        number=1,
        title="Obcego urzędu",
        owner_name="X",
        deadline=date(2025, 6, 1),
    )

    titles = [a["title"] for a in _year_2025(office)["extra_sections"]["actions"]["actions"]]
    assert titles == ["Otwarte w okresie", "Z obszaru do poprawy raportu 2025", "Innego wydziału"]

    of_department = _year_2025(office, department_id=department.pk)
    titles = [a["title"] for a in of_department["extra_sections"]["actions"]["actions"]]
    assert titles == ["Innego wydziału"]


def test_a_report_without_actions_has_no_section(office, department):
    report = _year_2025(office)
    assert "extra_sections" not in report
    assert 'id="raport-actions"' not in str(report_html(report))


def test_reports_do_not_import_actions_or_workflows():
    for path in (SRC / "reports").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                assert not name.startswith(("ocenurzad.actions", "ocenurzad.workflows")), path


def test_the_change_is_computed_once_until_a_response_or_the_action_changes(
    office, department, monkeypatch
):
    from ocenurzad.workflows import report_sections

    done = _action(
        office,
        1,
        department=department,
        status=ActionStatus.DONE,
        done_on=date(2025, 6, 15),
        created=datetime(2025, 3, 1, 9, tzinfo=WARSAW),
    )
    calls = []
    real = report_sections.action_change_after
    monkeypatch.setattr(
        report_sections,
        "action_change_after",
        lambda **kw: calls.append(kw["action"].pk) or real(**kw),
    )
    _year_2025(office)
    _year_2025(office)  # a download of the same report: kept
    assert calls == [done.pk]

    _responses(office, department, [5], _months(date(2025, 12, 1), 1))
    _year_2025(office)
    assert calls == [done.pk, done.pk]
