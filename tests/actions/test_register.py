"""The actions register: life cycle, numbering, permissions, office isolation, bad input,
attachments, exports and history."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from ocenurzad.accounts.models import Role
from ocenurzad.actions.models import Action
from ocenurzad.actions.services import action_create, action_set_status
from ocenurzad.audit.models import AuditEntry

from .conftest import form_data, make_user, panel

pytestmark = pytest.mark.django_db


def _create(office, actor, **overrides):
    data = {
        "title": "Nowe oznakowanie",
        "kind": "improvement",
        "targets": [{"type": "item", "key": "wizerunek_oznakowanie", "label": "Oznakowanie"}],
        "owner_name": "Jan Kowalski",
        "deadline": date(2027, 3, 31),
    }
    data.update(overrides)
    return action_create(office=office, actor=actor, data=data)


def _png(size=(20, 20)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "tablica.png"
    return buffer


def test_admin_creates_an_action_numbered_in_its_year_and_sees_its_card(logged_in, office):
    year = timezone.localdate().year

    first = logged_in.post(panel(office, "nowe/"), form_data())
    second = logged_in.post(panel(office, "nowe/"), form_data(title="Druga"))

    assert first.status_code == 302 and second.status_code == 302
    codes = [a.code for a in Action.objects.filter(office=office).order_by("number")]
    assert codes == [f"DN/{year}/01", f"DN/{year}/02"]
    card = logged_in.get(first["Location"]).content.decode()
    assert f"DN/{year}/01" in card
    assert "Skrócić kolejkę w Wydziale Komunikacji" in card
    assert "Jan Kowalski, kierownik WK" in card
    assert "31.03.2027" in card
    # the targeted item is named by its question text
    assert "Czas oczekiwania" in card or "czas" in card.lower()


def test_numbers_are_per_office(office, other_office, admin):
    other_admin = make_user(other_office, Role.OFFICE_ADMIN)
    a = _create(office, admin)
    b = _create(other_office, other_admin)
    assert a.number == b.number == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Wpisz tytuł działania."),
        ({"deadline": ""}, "deadline", "Podaj termin realizacji działania."),
        ({"deadline": "32.13.2027"}, "deadline", "Termin podaj jako datę"),
        ({"owner_name": ""}, "owner_name", "Wskaż osobę odpowiedzialną"),
        ({"kind": "inne"}, "kind", "Wybierz poprawną wartość"),
        ({"targets": ["item:nie_ma_takiego"]}, "targets", "Wybierz poprawną wartość"),
        ({"department": "999999"}, "department", "Wybierz poprawną wartość"),
    ],
)
def test_bad_input_is_refused_with_a_polish_message_and_nothing_saved(
    logged_in, office, overrides, field, message
):
    response = logged_in.post(panel(office, "nowe/"), form_data(**overrides))

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'href="#id_{field}"' in body  # the error summary links to the field
    assert not Action.objects.exists()


def test_an_owner_or_department_of_another_office_cannot_be_chosen(logged_in, office, other_office):
    foreign = make_user(other_office, Role.OFFICE_ADMIN)
    foreign_department = other_office.departments.first()

    by_owner = logged_in.post(panel(office, "nowe/"), form_data(owner=str(foreign.pk)))
    by_department = logged_in.post(
        panel(office, "nowe/"), form_data(department=str(foreign_department.pk))
    )

    assert by_owner.status_code == by_department.status_code == 400
    assert not Action.objects.exists()


def test_an_owner_from_the_panel_is_shown_by_name(logged_in, office, reporter):
    response = logged_in.post(
        panel(office, "nowe/"), form_data(owner=str(reporter.pk), owner_name="")
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner == reporter
    assert "Tomasz Wiśniewski" in logged_in.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.REPORTER, Role.OPERATOR])
def test_admins_reporters_and_the_operator_may_use_the_register(client, office, role):
    user = make_user(None if role == Role.OPERATOR else office, role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(panel(office)).status_code == 200
    assert client.post(panel(office, "nowe/"), form_data()).status_code == 302


def test_a_clerk_may_not(client, office, clerk, admin):
    action = _create(office, admin)
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    for path in ("", "nowe/", f"{action.pk}/", f"{action.pk}/edycja/", "eksport.csv"):
        assert client.get(panel(office, path)).status_code == 403, path
    assert client.post(panel(office, "nowe/"), form_data()).status_code == 403
    assert client.post(panel(office, f"{action.pk}/stan/"), {"status": "done"}).status_code == 403
    assert Action.objects.count() == 1
    assert Action.objects.get().status == "planned"


def test_another_office_sees_nothing_of_an_action(client, office, other_office, admin):
    action = _create(office, admin, title="Tajne działanie urzędu")
    intruder = make_user(other_office, Role.OFFICE_ADMIN)
    client.force_login(intruder, backend="django.contrib.auth.backends.ModelBackend")

    # through its own address: the id of another office's action is 404
    for path in (f"{action.pk}/", f"{action.pk}/edycja/", f"{action.pk}/zalacznik/"):
        assert client.get(panel(other_office, path)).status_code == 404, path
    assert (
        client.post(panel(other_office, f"{action.pk}/stan/"), {"status": "done"}).status_code
        == 404
    )
    # through the other office's address: the account is not a member there
    assert client.get(panel(office, f"{action.pk}/")).status_code == 404
    # lists and exports of its own office do not contain it
    for path in ("", "eksport.csv"):
        body = b"".join(client.get(panel(other_office, path))).decode("utf-8", "replace")
        assert "Tajne działanie" not in body
    action.refresh_from_db()
    assert action.status == "planned"


def test_life_cycle_with_dates_and_history(logged_in, office, admin):
    action = _create(office, admin)
    today = timezone.localdate()

    logged_in.post(panel(office, f"{action.pk}/stan/"), {"status": "in_progress"})
    logged_in.post(
        panel(office, f"{action.pk}/stan/"),
        {"status": "done", "on": today.strftime("%d.%m.%Y"), "note": "Tablice wymienione"},
    )

    action.refresh_from_db()
    assert action.status == "done"
    assert action.started_on == today and action.done_on == today
    entries = list(
        AuditEntry.objects.filter(target_type="action", target_id=str(action.pk)).order_by("pk")
    )
    assert [e.action for e in entries] == ["action.create", "action.status", "action.status"]
    assert entries[-1].after["status_note"] == "Tablice wymienione"
    card = logged_in.get(panel(office, f"{action.pk}/")).content.decode()
    assert "Historia zmian" in card
    assert "zmiana stanu działania" in card
    assert "Tablice wymienione" in card
    assert "zakończone" in card


def test_a_status_date_in_the_future_is_refused(logged_in, office, admin):
    action = _create(office, admin)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = logged_in.post(
        panel(office, f"{action.pk}/stan/"), {"status": "done", "on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "nie może być w przyszłości" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "planned" and action.done_on is None


def test_reopening_clears_the_date_of_completion(office, admin):
    action = _create(office, admin)
    action = action_set_status(office=office, actor=admin, action=action, status="done")
    action = action_set_status(office=office, actor=admin, action=action, status="in_progress")
    assert action.done_on is None and action.started_on is not None


def test_editing_records_only_what_changed(logged_in, office, admin):
    action = _create(office, admin)
    data = form_data(title="Nowe oznakowanie", kind="improvement", owner_name="Anna Nowak")
    data["targets"] = ["item:wizerunek_oznakowanie"]
    data["deadline"] = "2027-03-31"

    response = logged_in.post(panel(office, f"{action.pk}/edycja/"), data)

    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="action.update").get()
    assert entry.after["owner_name"] == "Anna Nowak"
    assert "title" not in entry.after


def test_prefilled_from_a_hot_spot_of_the_report(logged_in, office):
    department = office.departments.first()
    url = panel(
        office,
        f"nowe/?obszar=item:terminowosc_czas|dept:{department.pk}|2025"
        f"&cel=area:terminowosc&wydzial={department.pk}&ustalenie=Terminowo%C5%9B%C4%87+2%2C95",
    )
    body = logged_in.get(url).content.decode()
    assert 'value="area:terminowosc" checked' in body or (
        'value="area:terminowosc"' in body and "checked" in body
    )
    assert f'<option value="{department.pk}" selected>' in body
    assert "Terminowość 2,95" in body
    assert f"item:terminowosc_czas|dept:{department.pk}|2025" in body


def test_an_item_missing_from_the_current_survey_is_kept_and_said(logged_in, office, admin):
    action = _create(
        office,
        admin,
        targets=[{"type": "item", "key": "usuniete_pytanie", "label": "Pytanie z dawnej wersji"}],
    )
    card = logged_in.get(panel(office, f"{action.pk}/")).content.decode()
    assert "Pytanie z dawnej wersji" in card
    assert "nie występuje w ankiecie" in card
    # editing keeps it
    data = form_data()
    data["deadline"] = "2027-03-31"
    logged_in.post(panel(office, f"{action.pk}/edycja/"), data)
    action.refresh_from_db()
    assert {"type": "item", "key": "usuniete_pytanie", "label": "Pytanie z dawnej wersji"} in (
        action.targets
    )


def test_a_png_attachment_is_kept_and_downloaded_only_here(logged_in, office):
    response = logged_in.post(panel(office, "nowe/"), {**form_data(), "attachment": _png()})
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.attachment_name == "tablica.png"
    download = logged_in.get(panel(office, f"{action.pk}/zalacznik/"))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "pusty"),
        (b"MZ\x90\x00 not an image", "PDF, PNG albo JPEG"),
        (b"%PDF-1.4\n1 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF", "aktywne"),
        (b"%PDF-1.4\n1 0 obj", "niekompletny"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(logged_in, office, content, message):
    upload = io.BytesIO(content)
    upload.name = "plik.pdf"
    response = logged_in.post(panel(office, "nowe/"), {**form_data(), "attachment": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Action.objects.exists()


def test_an_image_bomb_is_refused(logged_in, office):
    upload = io.BytesIO()
    Image.new("1", (10000, 10000)).save(upload, "PNG")  # 100 megapixels, tiny file
    upload.seek(0)
    upload.name = "bomba.png"
    response = logged_in.post(panel(office, "nowe/"), {**form_data(), "attachment": upload})
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_exports_keep_formulas_as_text_and_follow_the_filters(logged_in, office, admin):
    _create(office, admin, title='=HYPERLINK("http://zly.example","kliknij")')
    done = _create(office, admin, title="Zakończone")
    action_set_status(office=office, actor=admin, action=done, status="done")

    csv = b"".join(logged_in.get(panel(office, "eksport.csv")).streaming_content).decode()
    assert "'=HYPERLINK" in csv
    assert "Zakończone" in csv

    only_done = b"".join(
        logged_in.get(panel(office, "eksport.csv?stan=done")).streaming_content
    ).decode()
    assert "Zakończone" in only_done and "HYPERLINK" not in only_done

    xlsx = logged_in.get(panel(office, "eksport.xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://zly.example","kliknij")' in titles
    cell = next(c for c in sheet["B"] if c.value and str(c.value).startswith("="))
    assert cell.data_type == "s"  # a string, not a formula


def test_unknown_export_format_and_bad_filters(logged_in, office):
    assert logged_in.get(panel(office, "eksport.pdf")).status_code == 404
    response = logged_in.get(panel(office, "?rok=abc&stan=zle&wydzial=x"))
    assert response.status_code == 400
    assert "Wybierz poprawną wartość" in response.content.decode()


def test_the_list_marks_overdue_actions(logged_in, office, admin):
    _create(office, admin, title="Spóźnione", deadline=timezone.localdate() - timedelta(days=1))
    body = logged_in.get(panel(office)).content.decode()
    assert "po terminie" in body
    only = logged_in.get(panel(office, "?po_terminie=on")).content.decode()
    assert "Spóźnione" in only
