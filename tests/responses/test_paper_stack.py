"""Paper entry at typing speed: the stack kept from sheet to sheet, the next number
suggested, printed batches choosing the version, undo, the count, and the office
administrator's correction after the 24 hours."""

from datetime import date, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from ocenurzad.accounts.models import Role
from ocenurzad.audit.models import AuditEntry
from ocenurzad.printing.models import PrintBatch
from ocenurzad.printing.services import print_batch_record
from ocenurzad.responses.models import Response
from ocenurzad.responses.paper import SheetDate, paper_sheet_read
from tests.responses.test_paper_entry import (
    days_ago,
    enter,
    enter_via_service,
    entry_url,
    error_summary,
    input_tag,
    make_staff,
    page_text,
    publish_second_version,
    typed_sheet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clerk(office):
    return make_staff(office, "rejestrator")


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk)
    return client


def read(office, version=None, today=None, **fields):
    query = QueryDict(mutable=True)
    query.update(typed_sheet(office, **fields))
    return paper_sheet_read(
        office=office,
        version=version or office.survey.current_version,
        data=query,
        departments=list(office.departments.all()),
        today=today,
    )


# The stack: date, urn and the auto-advance option kept from sheet to sheet


def test_the_stack_is_kept_in_the_next_sheets_address_and_form(as_clerk, office):
    registry = office.departments.get(name="Urząd Stanu Cywilnego")
    result = enter(as_clerk, office, data_wypelnienia="02.12.2026", urna=str(registry.pk), auto="0")
    assert result.status_code == 303
    location = result["Location"]
    assert location.endswith("#nastepny-arkusz")
    assert "data_wypelnienia=02.12.2026" in location
    assert f"urna={registry.pk}" in location and "auto=0" in location

    page = as_clerk.get(location)
    assert 'value="02.12.2026"' in input_tag(page, "data_wypelnienia")
    # the urn's department fills the sheet's department with its number on the list
    assert 'value="2"' in input_tag(page, "q_wydzial")
    assert f'<option value="{registry.pk}" selected>' in page.content.decode()
    assert 'data-auto="0"' in page.content.decode()
    assert "checked" not in input_tag(page, "auto").split('name="auto" value="1"')[-1]


def test_an_unknown_urn_is_ignored_not_an_error(as_clerk, office, other_office):
    foreign = other_office.departments.get()
    page = as_clerk.get(entry_url(office, f"?urna={foreign.pk}&data_wypelnienia=x"))
    assert page.status_code == 200
    assert 'value=""' in input_tag(page, "q_wydzial")


@pytest.mark.parametrize(
    ("typed", "today", "stored"),
    [
        ("28.12", date(2027, 1, 10), date(2026, 12, 28)),  # December backlog in January
        ("05.01", date(2027, 1, 10), date(2027, 1, 5)),
        ("10.01", date(2027, 1, 10), date(2027, 1, 10)),
        ("5.1.2027", date(2027, 1, 10), date(2027, 1, 5)),
        ("2027-01-05", date(2027, 1, 10), date(2027, 1, 5)),
    ],
)
def test_a_date_without_a_year_is_the_latest_such_day_not_after_today(office, typed, today, stored):
    sheet = read(office, today=today, data_wypelnienia=typed)
    assert sheet.is_valid, sheet.errors
    assert sheet.sheet_date == SheetDate.of(stored)


def test_an_impossible_day_without_a_year_is_a_named_error(office):
    sheet = read(office, today=date(2027, 1, 10), data_wypelnienia="31.02")
    assert [e.message for e in sheet.errors] == [
        "Data wypełnienia: wpisz prawdziwą datę w postaci dd.mm.rrrr albo okres "
        "dd.mm.rrrr–dd.mm.rrrr."
    ]


# Numbers on screen


def test_departments_and_choices_are_typed_by_their_number_on_the_list(office):
    sheet = read(office, q_wydzial="1", q_cel_wizyty="3", q_sprawa_zalatwiona="2")
    assert sheet.is_valid, sheet.errors
    assert sheet.parsed.department_id == office.departments.get(name="Wydział Komunikacji").pk
    assert sheet.parsed.answers["cel_wizyty"] == "informacja"
    assert sheet.parsed.answers["sprawa_zalatwiona"] == "czesciowo"


@pytest.mark.parametrize("typed", ["0", "3", "12", "x"])
def test_a_number_off_the_list_is_a_named_error(office, typed):
    sheet = read(office, q_wydzial=typed)
    assert [e.field_id for e in sheet.errors] == ["q_wydzial"]
    assert "od 1 do 2" in sheet.errors[0].message


def test_a_correction_shows_the_sheet_in_the_numbers_it_was_typed_in(as_clerk, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=5, q_wydzial="2", q_cel_wizyty="3")
    page = as_clerk.get(entry_url(office, f"{stored.pk}/"))
    assert 'value="2"' in input_tag(page, "q_wydzial")
    assert 'value="3"' in input_tag(page, "q_cel_wizyty")
    assert f'value="{days_ago(3):%d.%m.%Y}"' in input_tag(page, "data_wypelnienia")
    # and saving it unchanged keeps every value
    before = (stored.department_id, stored.answers)
    form = typed_sheet(office, nr_arkusza="5", q_wydzial="2", q_cel_wizyty="3")
    assert as_clerk.post(entry_url(office, f"{stored.pk}/"), form).status_code == 303
    stored.refresh_from_db()
    assert (stored.department_id, stored.answers) == before


# The next sheet number, the count and undo


def test_the_next_number_is_suggested_skipping_numbers_already_entered(as_clerk, office, clerk):
    other = make_staff(office, "druga")
    enter_via_service(office, other, sheet_number=124)
    assert enter(as_clerk, office, nr_arkusza="123").status_code == 303

    page = as_clerk.get(entry_url(office))
    assert 'value="125"' in input_tag(page, "nr_arkusza")
    assert "Wprowadzone dzisiaj arkusze: 1." in page_text(page)


def test_no_number_is_suggested_after_a_sheet_without_one(as_clerk, office):
    enter(as_clerk, office, nr_arkusza="")
    page = as_clerk.get(entry_url(office))
    assert 'value=""' in input_tag(page, "nr_arkusza")


def test_undo_deletes_the_clerks_last_sheet_audited_and_reopens_its_number(as_clerk, office, clerk):
    other = make_staff(office, "druga")
    enter(as_clerk, office, nr_arkusza="40")
    enter(as_clerk, office, nr_arkusza="41")
    theirs = enter_via_service(office, other, sheet_number=42)  # later, by someone else

    result = as_clerk.post(entry_url(office, "cofnij/"), {"data_wypelnienia": "01.12.2026"})

    assert result.status_code == 303
    assert result["Location"].endswith("#nastepny-arkusz")
    assert "nr_arkusza=41" in result["Location"]
    assert set(Response.objects.values_list("sheet_number", flat=True)) == {40, 42}
    assert Response.objects.filter(pk=theirs.pk).exists()
    entry = AuditEntry.objects.get(action="response.paper_delete")
    assert entry.actor == clerk and entry.before["sheet_number"] == 41
    page = as_clerk.get(result["Location"])
    assert "Cofnięto arkusz nr 41 — wprowadź go ponownie." in page_text(page)
    assert 'value="41"' in input_tag(page, "nr_arkusza")
    assert 'value="01.12.2026"' in input_tag(page, "data_wypelnienia")


def test_undo_with_nothing_to_undo_changes_nothing(client, office):
    lonely = make_staff(office, "nowa")
    client.force_login(lonely)
    result = client.post(entry_url(office, "cofnij/"))
    assert result.status_code == 403
    assert "Nie ma arkusza do cofnięcia." in page_text(result)


def test_undo_after_the_window_is_refused(as_clerk, office, clerk, settings):
    stored = enter_via_service(office, clerk, sheet_number=7)
    Response.objects.filter(pk=stored.pk).update(entered_at=timezone.now() - timedelta(hours=25))
    result = as_clerk.post(entry_url(office, "cofnij/"))
    assert result.status_code == 403
    assert Response.objects.filter(pk=stored.pk).exists()


def test_undo_asks_first_when_opened_and_needs_the_paper_permission(client, office, clerk):
    client.force_login(clerk)
    empty = client.get(entry_url(office, "cofnij/"))
    assert empty.status_code == 200 and "Nie ma arkusza do cofnięcia." in page_text(empty)
    stored = enter_via_service(office, clerk, sheet_number=31)
    asked = client.get(entry_url(office, "cofnij/"))
    assert "Cofnąć ostatni arkusz?" in page_text(asked) and "31" in page_text(asked)
    assert Response.objects.filter(pk=stored.pk).exists()
    reporter = make_staff(office, "raporty", role=Role.REPORTER)
    client.force_login(reporter)
    assert client.post(entry_url(office, "cofnij/")).status_code == 403


# Printed batches choose the version


def test_a_sheet_printed_as_version_1_is_refused_in_the_version_2_form(as_clerk, office, clerk):
    old, new = publish_second_version(office)
    print_batch_record(
        office=office, version=old, language="pl", numbers=list(range(101, 151)),
        fingerprint="abc", actor=clerk,
    )  # fmt: skip

    result = enter(as_clerk, office, wersja=str(new.pk), nr_arkusza="105")

    assert result.status_code == 400
    assert error_summary(result)[0] == (
        "nr_arkusza",
        "Arkusz nr 105 wydrukowano w wersji SWINOUJSCIE-V1 (arkusze 101–150), a to jest "
        "formularz wersji SWINOUJSCIE-V2. Wprowadź go w formularzu wersji SWINOUJSCIE-V1.",
    )
    assert not Response.objects.exists()
    # the page offers the right form, with the number and the stack kept
    html = page_text(result)
    assert "Otwórz formularz wersji SWINOUJSCIE-V1 dla arkusza nr 105" in html
    assert f"?wersja={old.pk}&amp;data_wypelnienia=" in result.content.decode()

    page = as_clerk.get(entry_url(office, f"?wersja={old.pk}&nr_arkusza=105"))
    assert 'value="105"' in input_tag(page, "nr_arkusza")
    assert enter(as_clerk, office, wersja=str(old.pk), nr_arkusza="105").status_code == 303
    assert Response.objects.get().version == old


def test_the_next_number_opens_the_form_of_the_version_it_was_printed_as(as_clerk, office, clerk):
    old, new = publish_second_version(office)
    print_batch_record(
        office=office, version=old, language="pl", numbers=[101, 102], fingerprint="", actor=clerk
    )
    print_batch_record(
        office=office, version=new, language="pl", numbers=[103, 104], fingerprint="", actor=clerk
    )
    enter(as_clerk, office, wersja=str(old.pk), nr_arkusza="101")
    assert "Arkusz SWINOUJSCIE-V1" in page_text(as_clerk.get(entry_url(office)))

    result = enter(as_clerk, office, wersja=str(old.pk), nr_arkusza="102")
    assert "wersja=" not in result["Location"]  # the batch decides, not the last form
    page = as_clerk.get(result["Location"])
    assert 'value="103"' in input_tag(page, "nr_arkusza")
    assert "Arkusz SWINOUJSCIE-V2" in page_text(page)


def test_numbers_outside_any_batch_and_batches_of_another_office_do_not_matter(
    as_clerk, office, other_office, clerk
):
    _old, new = publish_second_version(office)
    foreign = make_staff(other_office, "obcy")
    print_batch_record(
        office=other_office,
        version=other_office.survey.current_version,
        language="pl",
        numbers=[105],
        fingerprint="",
        actor=foreign,
    )
    assert enter(as_clerk, office, wersja=str(new.pk), nr_arkusza="105").status_code == 303
    assert Response.objects.get().version == new


# The office administrator corrects after the 24 hours


def test_after_the_window_an_office_admin_may_correct_audited_but_not_delete(client, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=9)
    Response.objects.filter(pk=stored.pk).update(entered_at=timezone.now() - timedelta(days=40))
    admin = make_staff(office, "admin", role=Role.OFFICE_ADMIN)

    client.force_login(clerk)
    assert client.get(entry_url(office, f"{stored.pk}/")).status_code == 403

    client.force_login(admin)
    assert client.get(entry_url(office, f"{stored.pk}/")).status_code == 200
    form = typed_sheet(office, nr_arkusza="9", q_ocena_ogolna="2")
    assert client.post(entry_url(office, f"{stored.pk}/"), form).status_code == 303
    stored.refresh_from_db()
    assert stored.answers["ocena_ogolna"] == 2
    entry = AuditEntry.objects.get(action="response.paper_correct")
    assert entry.actor == admin
    assert entry.before["answers"]["ocena_ogolna"] == 4
    assert entry.after["answers"]["ocena_ogolna"] == 2
    # deleting stays refused
    assert client.post(entry_url(office, f"{stored.pk}/usun/")).status_code == 403
    assert Response.objects.filter(pk=stored.pk).exists()


def test_an_office_admin_finds_an_older_sheet_by_its_number(client, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=77)
    admin = make_staff(office, "admin", role=Role.OFFICE_ADMIN)
    client.force_login(admin)
    recent = entry_url(office, "ostatnie/")

    found = client.get(recent + "?nr=77")
    assert found.status_code == 303
    assert found["Location"] == entry_url(office, f"{stored.pk}/")
    missing = client.get(recent + "?nr=78")
    assert missing.status_code == 404
    assert "Nie ma ankiety papierowej z numerem arkusza „78”." in page_text(missing)
    assert client.get(recent + "?nr=abc").status_code == 404

    # a clerk has no such search; another office's sheet is never found
    client.force_login(clerk)
    assert client.get(recent + "?nr=77").status_code == 200
    other_admin = make_staff(
        office.__class__.objects.create(slug="inny", name="Inny"), "a2", role=Role.OFFICE_ADMIN
    )
    client.force_login(other_admin)
    assert client.get("/inny/admin/ankiety-papierowe/ostatnie/?nr=77").status_code == 404


def test_batch_records_are_refused_for_another_offices_version_or_a_gap(office, other_office):
    version = office.survey.current_version
    with pytest.raises(ValueError):
        print_batch_record(
            office=other_office, version=version, language="pl", numbers=[1], fingerprint="",
            actor=None,
        )  # fmt: skip
    with pytest.raises(ValueError):
        print_batch_record(
            office=office, version=version, language="pl", numbers=[1, 3], fingerprint="",
            actor=None,
        )  # fmt: skip
    assert not PrintBatch.objects.exists()
