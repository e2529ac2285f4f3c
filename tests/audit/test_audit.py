"""The audit log page: the office's own entries only, newest first, in Polish, paginated."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocenurzad.accounts.models import User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.audit.services import audit_record
from ocenurzad.offices.services import (
    department_create,
    department_rename,
    department_set_active,
    office_update,
)

pytestmark = pytest.mark.django_db


def make_user(office, role, username=None):
    return User.objects.create_user(
        username=username or f"{role}-{office.slug}",
        password="Niełatwe-hasło-2024",
        office=office,
        role=role,
        first_name="Ewa",
        last_name="Kowalska",
    )


def log_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def audit_rows(response) -> list[str]:
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_the_audit_page_shows_only_the_offices_own_entries(client, office, other_office):
    admin = make_user(office, "office_admin")
    other_admin = make_user(other_office, "office_admin")
    department_create(office=office, actor=admin, name="Biuro Rady Miasta")
    department_create(office=other_office, actor=other_admin, name="Referat Oświaty")

    page = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Biuro Rady Miasta" in html
    assert "Referat Oświaty" not in html
    assert len(audit_rows(page)) == 1


def test_entries_are_newest_first_with_who_what_and_the_change_in_polish(client, office):
    admin = make_user(office, "office_admin")
    department = department_create(office=office, actor=admin, name="Wydział Podatków")
    department_rename(
        office=office, actor=admin, department=department, name="Wydział Podatków i Opłat"
    )
    office_update(office=office, actor=admin, data={"languages": ["de", "en"], "phone": "91 321"})
    department_set_active(office=office, actor=admin, department=department, is_active=False)
    entry = AuditEntry.objects.get(action="department.create")
    entry.at -= timedelta(minutes=5)
    entry.save()

    rows = audit_rows(log_in(client, admin).get(f"/{office.slug}/admin/dziennik/"))

    assert len(rows) == 4
    assert "wyłączenie wydziału z ankiety" in rows[0]
    assert re.search(r"<strong>Aktywny:</strong>\s*tak .*? nie", rows[0], re.S)
    assert "zmiana danych urzędu" in rows[1]
    assert "Ewa Kowalska" in rows[1]
    assert re.search(
        r"<strong>Telefon:</strong>\s*\(puste\)\s*<span aria-hidden=\"true\">→"
        r"</span><span class=\"visually-hidden\">zmieniono na</span> 91 321",
        rows[1],
    )
    assert re.search(r"<strong>Języki ankiety:</strong>\s*en .*? en, de", rows[1], re.S)
    assert "zmiana nazwy wydziału" in rows[2]
    assert "Wydział: Wydział Podatków i Opłat" in rows[2]
    assert re.search(
        r"Wydział Podatków\s*<span aria-hidden=\"true\">→</span>"
        r".*?Wydział Podatków i Opłat",
        rows[2],
        re.S,
    )
    assert "dodanie wydziału" in rows[3]


def test_the_audit_log_is_paginated_by_fifty_with_accessible_links(client, office):
    admin = make_user(office, "office_admin")
    department = office.departments.first()
    for number in range(51):
        audit_record(
            office=office,
            actor=admin,
            action="department.rename",
            target=department,
            before={"name": f"Nazwa {number}"},
            after={"name": f"Nazwa {number + 1}"},
        )
    log_in(client, admin)

    first = client.get(f"/{office.slug}/admin/dziennik/")
    second = client.get(f"/{office.slug}/admin/dziennik/?strona=2")

    assert len(audit_rows(first)) == 50
    assert len(audit_rows(second)) == 1
    html = first.content.decode()
    assert '<nav class="pagination" aria-label="Strony dziennika zmian">' in html
    assert (
        '<a href="?strona=1" aria-current="page"><span class="visually-hidden">Strona </span>1</a>'
    ) in html
    assert '<a href="?strona=2" rel="next">Następna strona</a>' in html
    assert "Nazwa 51" in html and "Nazwa 51" not in second.content.decode()
    assert "Wpisy 1–50 z 51" in html
    assert "Wpisy 51–51 z 51" in second.content.decode()


def test_a_nonsense_page_number_shows_a_page_instead_of_failing(client, office):
    admin = make_user(office, "office_admin")

    page = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/?strona=abc")

    assert page.status_code == 200
    assert "Dziennik jest pusty" in page.content.decode()


@pytest.mark.parametrize("role", ["clerk", "reporter"])
def test_clerks_and_reporters_may_not_read_the_audit_log(client, office, role):
    page = log_in(client, make_user(office, role)).get(f"/{office.slug}/admin/dziennik/")

    assert page.status_code == 403


def test_another_offices_administrator_gets_404(client, office, other_office):
    page = log_in(client, make_user(other_office, "office_admin")).get(
        f"/{office.slug}/admin/dziennik/"
    )

    assert page.status_code == 404


def test_the_operator_reads_the_log_of_the_office_whose_panel_is_open(client, office, other_office):
    operator = User.objects.create_user(username="operator", password="x", role="operator")
    department_create(office=other_office, actor=operator, name="Referat Oświaty")

    own = log_in(client, operator).get(f"/{office.slug}/admin/dziennik/")
    other = client.get(f"/{other_office.slug}/admin/dziennik/")

    assert "Referat Oświaty" not in own.content.decode()
    assert "Referat Oświaty" in other.content.decode()


def test_the_audit_page_costs_the_same_queries_for_5_or_50_entries(client, office):
    admin = make_user(office, "office_admin")
    department = office.departments.first()
    log_in(client, admin)

    def queries_for(count):
        AuditEntry.objects.all().delete()
        for number in range(count):
            audit_record(
                office=office,
                actor=admin,
                action="department.rename",
                target=department,
                before={"name": "A"},
                after={"name": f"B{number}"},
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/{office.slug}/admin/dziennik/").status_code == 200
        return len(captured)

    assert queries_for(5) == queries_for(50)


def test_the_log_shows_words_not_database_ids_or_codes(client, office):
    from django.utils import timezone

    from ocenurzad.responses.models import Response

    admin = make_user(office, "office_admin")
    department = office.departments.first()
    version = office.survey.current_version
    response = Response.objects.create(
        office=office,
        version=version,
        channel="paper",
        department=department,
        submitted_at=timezone.now(),
        answers={"ocena_ogolna": 4},
    )
    audit_record(
        office=office,
        actor=admin,
        action="response.paper_enter",
        target=response,
        after={
            "version_id": version.pk,
            "department_id": department.pk,
            "answers": {
                "ocena_ogolna": 4,
                "cel_wizyty": "odbior_dokumentu",
                "wizerunek_parking": "na",
                "pytanie_usuniete": "tak",
            },
        },
    )
    clerk = make_user(office, "clerk", username="urzednik")
    audit_record(
        office=office,
        actor=admin,
        action="user.update",
        target=clerk,
        before={"role": "clerk"},
        after={"role": "reporter"},
    )
    audit_record(
        office=office,
        actor=admin,
        action="survey.publish",
        target=version,
        before={"current_version": 1},
        after={"current_version": 2, "report": 17},
    )

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    assert f"wersja {version.number}" in html
    assert department.name in html
    assert "Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?: 4" in html
    assert "Główny cel wizyty: odbiór dokumentu lub decyzji" in html
    assert "nie dotyczy" in html
    assert "pytanie_usuniete: tak" in html  # a key the version lacks stays as recorded
    assert "wprowadzanie ankiet papierowych" in html and "raporty" in html
    assert "opublikowanie nowej wersji ankiety" in html
    assert "wersja 1" in html and "wersja 2" in html
    for technical in ("{'", "odbior_dokumentu", "survey.publish", ">clerk<", "Current_version"):
        assert technical not in html


def test_a_department_removed_since_is_named_by_its_old_number(client, office):
    admin = make_user(office, "office_admin")
    audit_record(
        office=office,
        actor=admin,
        action="response.paper_delete",
        target=None,
        before={"department_id": 987654},
    )

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    assert "wydział nr 987654 (usunięty)" in html


def test_another_offices_department_is_not_named_in_this_offices_log(client, office, other_office):
    admin = make_user(office, "office_admin")
    foreign = other_office.departments.first()
    audit_record(
        office=office,
        actor=admin,
        action="response.paper_delete",
        target=None,
        before={"department_id": foreign.pk},
    )

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    assert foreign.name not in html
    assert f"wydział nr {foreign.pk} (usunięty)" in html


def _recorded_actions() -> set[str]:
    """Every action code the code records: ``action="x.y"`` (both sides of a conditional)
    and the survey editor's ``survey.draft_<op>`` for each op its services pass."""
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src" / "ocenurzad"
    codes = set()
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for statement in re.findall(r'\baction=("[^\n]*)', text):
            codes.update(re.findall(r'"([a-z_]+\.[a-z_0-9]+)"', statement))
        if 'action=f"survey.draft_{op}"' in text:
            ops = re.findall(r'_edit\(\s*office,\s*actor,\s*draft,\s*revision,\s*"(\w+)"', text)
            assert len(ops) >= 14, ops
            codes.update(f"survey.draft_{op}" for op in ops)
    return codes


def test_every_action_the_code_records_has_words_in_the_log():
    from ocenurzad.audit.views import ACTION_LABELS

    codes = _recorded_actions()
    assert {"survey.draft_question_add", "scans.import", "print.batch"} <= codes
    assert not codes - set(ACTION_LABELS), "shown by their code in the log"


def test_a_draft_edit_and_a_section_5_report_are_shown_in_words(client, office):
    from ocenurzad.surveys.services import survey_draft_get_or_create
    from ocenurzad.surveys.services.edits import survey_draft_question_add
    from ocenurzad.workflows.visible_changes import department_add

    admin = make_user(office, "office_admin")
    draft = survey_draft_get_or_create(office=office, actor=admin)
    section = draft.definition["sections"][0]["key"]
    survey_draft_question_add(
        office=office,
        actor=admin,
        draft=draft,
        revision=draft.revision,
        section_key=section,
        kind="yesno",
        text_pl="Czy było czysto?",
        key="czysto",
    )
    department_add(office=office, actor=admin, name="Biuro Rzeczy Znalezionych")

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    assert "szkic ankiety: dodanie pytania" in html
    assert "Pytanie (klucz):</strong>" in html and "czysto" in html
    assert "zmiana listy wydziałów" in html  # the § 5 change's kind
    assert re.search(r"Raport: stan na:</strong>\s*\d\d\.\d\d\.\d{4}, \d\d:\d\d", html)
    assert "survey.draft_" not in html and "Question:" not in html
    assert not re.search(r">\s*departments\s*<", html)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", html)  # as recorded


def test_days_are_shown_as_the_panel_writes_them(client, office):
    admin = make_user(office, "office_admin")
    audit_record(
        office=office,
        actor=admin,
        action="action.update",
        target=office,
        before={"deadline": "2027-03-31"},
        after={"deadline": "2027-04-30"},
    )

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    assert "31.03.2027" in html and "30.04.2027" in html
    assert "2027-03-31" not in html


def test_what_a_scans_entry_concerns_is_named_in_polish(client, office):
    # Entries of the scans' work name their sheet, page, question or comment: by the
    # model's own Polish name, never Django's English default ("Scan sheet: …").
    from django.apps import apps

    admin = make_user(office, "office_admin")
    models = list(apps.get_app_config("scans").get_models())
    for model in models:
        AuditEntry.objects.create(
            office=office,
            action="scans.import",
            target_type=model._meta.model_name,
            target_label="arkusz nr 1",
        )

    html = log_in(client, admin).get(f"/{office.slug}/admin/dziennik/").content.decode()

    for model in models:
        english = model.__name__.replace("Scan", "Scan ").strip().capitalize()
        assert f"{english}:" not in html
        assert f"{str(model._meta.verbose_name).capitalize()}: arkusz nr 1" in html
