"""Paper entry in the panel: a clerk types in paper sheets, corrects and deletes them.

What is stored, what is refused (always as a named field error, never half-saved), who may
change a typed-in sheet and until when, and that other offices see nothing.
"""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.responses.models import Channel, Response
from ocenurzad.responses.paper import (
    SheetNumberTaken,
    paper_recent,
    paper_sheet_read,
    response_enter_paper,
)
from ocenurzad.surveys.models import SurveyVersion

pytestmark = pytest.mark.django_db

ENTRY = "/{slug}/admin/ankiety-papierowe/"
RATING_ERROR = "Ocena musi być cyfrą od 1 do 5, 0 lub n (nie dotyczy)"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(office, username, role=Role.CLERK):
    return User.objects.create_user(
        username=username,
        password="Zielona-Ławka-2024",
        office=office,
        role=role,
        first_name="Ewa",
        last_name=username.capitalize(),
    )


@pytest.fixture
def clerk(office):
    return make_staff(office, "rejestrator")


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk)
    return client


def entry_url(office, suffix=""):
    return ENTRY.format(slug=office.slug) + suffix


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def typed_sheet(office, **fields):
    """A sheet as the clerk types it: digits, "0"/"n", the number of a department on the
    form's list (Urząd Stanu Cywilnego is the 2nd), choices by number or by value."""
    data = {
        "wersja": str(office.survey.current_version_id),
        "nr_arkusza": "123",
        "data_wypelnienia": days_ago(3).strftime("%d.%m.%Y"),
        "q_wydzial": "2",
        "q_cel_wizyty": "informacja",
        "q_wizerunek_lokalizacja": "5",
        "q_wizerunek_oznakowanie": "0",
        "q_wizerunek_parking": "n",
        "q_wizerunek_strona": " 3 ",
        "q_wizerunek_czystosc": "",
        "q_podejscie_godziny": "N",
        "q_kompetencje_wiedza": "1",
        "q_ocena_ogolna": "4",
        "q_sprawa_zalatwiona": "czesciowo",
        "q_co_poprawic": "Dłuższe godziny otwarcia w czwartki.",
        "q_metryka_wiek": "41_55",
        "dalej": "1",
    }
    data.update(fields)
    return data


def enter(client, office, **fields):
    return client.post(entry_url(office), typed_sheet(office, **fields))


def page_text(response) -> str:
    return unescape(response.content.decode())


def error_summary(response) -> list[tuple[str, str]]:
    """(link target, message) of each entry in the error summary at the top."""
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [
        (target, unescape(text))
        for target, text in re.findall(r'<li><a href="#([^"]+)">(.*?)</a></li>', summary, re.S)
    ]


def input_tag(response, name) -> str:
    match = re.search(
        rf'<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>', response.content.decode()
    )
    assert match, f"no control named {name}"
    return match.group(0)


def read_sheet(office, *, sheet_number=None, **fields):
    """A valid typed sheet read as the entry page reads it, ready for the services."""
    data = typed_sheet(office, nr_arkusza=str(sheet_number or ""), **fields)
    query = QueryDict(mutable=True)
    query.update(data)
    sheet = paper_sheet_read(
        office=office,
        version=office.survey.current_version,
        data=query,
        departments=list(office.departments.all()),
    )
    assert sheet.is_valid, sheet.errors
    return sheet


def save_sheet(office, actor, sheet):
    return response_enter_paper(
        office=office,
        actor=actor,
        version=sheet.version,
        parsed=sheet.parsed,
        sheet_date=sheet.sheet_date,
        sheet_number=sheet.sheet_number,
    )


def enter_via_service(office, actor, *, sheet_number=None, **fields):
    return save_sheet(office, actor, read_sheet(office, sheet_number=sheet_number, **fields))


# Entering a sheet


def test_typed_sheet_is_stored_as_a_paper_response_with_the_online_values(as_clerk, office, clerk):
    # When the clerk types in a sheet and saves it with "Zapisz i wprowadź następną"
    result = enter(as_clerk, office)

    # Then the same, empty form comes back with a message naming the sheet
    assert result.status_code == 303
    # … at its top (a fragment of its own), the date kept for the rest of the stack
    date_typed = days_ago(3).strftime("%d.%m.%Y")
    assert result["Location"] == entry_url(
        office, f"?data_wypelnienia={date_typed}#nastepny-arkusz"
    )
    stored = Response.objects.get()
    assert stored.office == office
    assert stored.version == office.survey.current_version
    assert stored.channel == Channel.PAPER
    assert stored.source == "papier"
    assert stored.language == "pl"
    assert stored.entered_by == clerk
    assert stored.sheet_number == 123
    assert stored.department.name == "Urząd Stanu Cywilnego"
    assert stored.answers == {
        "cel_wizyty": "informacja",
        "wizerunek_lokalizacja": 5,
        "wizerunek_oznakowanie": "na",
        "wizerunek_parking": "na",
        "wizerunek_strona": 3,
        "podejscie_godziny": "na",
        "kompetencje_wiedza": 1,
        "ocena_ogolna": 4,
        "sprawa_zalatwiona": "czesciowo",
        "co_poprawic": "Dłuższe godziny otwarcia w czwartki.",
        "metryka_wiek": "41_55",
    }
    # the date on the form, at local noon so it stays that day in every report
    assert timezone.localtime(stored.submitted_at) == datetime.combine(
        days_ago(3), time(12), tzinfo=timezone.get_current_timezone()
    )
    assert timezone.now() - stored.entered_at < timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="response.paper_enter")
    assert entry.actor == clerk and entry.office == office
    assert entry.after["answers"] == stored.answers
    assert entry.after["sheet_number"] == 123

    next_form = as_clerk.get(result["Location"])
    assert "Zapisano ankietę — arkusz nr 123." in page_text(next_form)
    first = input_tag(next_form, "nr_arkusza")
    assert "autofocus" in first and 'value="124"' in first  # the next number, suggested
    assert 'value=""' in input_tag(next_form, "q_wizerunek_lokalizacja")
    assert f'value="{date_typed}"' in input_tag(next_form, "data_wypelnienia")
    assert "Wprowadzone dzisiaj arkusze: 1." in page_text(next_form)
    assert "Cofnij ostatni arkusz (nr 123)" in page_text(next_form)


def test_save_without_next_goes_to_the_recent_list(as_clerk, office):
    result = enter(as_clerk, office, dalej="0", nr_arkusza="")

    assert result.status_code == 303
    assert result["Location"] == entry_url(office, "ostatnie/")
    assert Response.objects.get().sheet_number is None
    listing = as_clerk.get(result["Location"])
    assert "Zapisano ankietę (bez numeru arkusza)." in page_text(listing)


def test_entry_page_follows_the_printed_order_with_a_label_for_every_field(as_clerk, office):
    page = as_clerk.get(entry_url(office))

    assert page.status_code == 200
    html = page.content.decode()
    version = office.survey.current_version
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="(q_[a-z_]+)"', html)
    keys = [q["key"] for s in version.definition["sections"] for q in s["questions"]]
    assert names == [f"q_{key}" for key in keys]
    for name in ["nr_arkusza", "data_wypelnienia", "urna", "auto", *names]:
        assert f'<label for="{name}"' in html, f"{name} has no label"
    # the stack's settings, the sheet's head, then its sections
    assert html.count("<fieldset") == 2 + len(version.definition["sections"])
    assert "<legend>2. Wizerunek Urzędu</legend>" in html
    rating = input_tag(page, "q_wizerunek_lokalizacja")
    assert 'inputmode="numeric"' in rating and 'maxlength="2"' in rating
    # the date is typed as dd.mm.rrrr in one field, today's by default
    date_input = input_tag(page, "data_wypelnienia")
    assert 'type="text"' in date_input
    assert f'value="{timezone.localdate():%d.%m.%Y}"' in date_input
    # departments and choices carry numbers on screen: typing the number picks it
    assert '<li data-number="3"><b>3</b> uzyskanie informacji lub wyjaśnień</li>' in html
    assert '<li data-number="2"><b>2</b> Urząd Stanu Cywilnego</li>' in html
    assert 'type="text"' in input_tag(page, "q_cel_wizyty")
    # the stack's urn lists the departments by the same numbers
    assert ">2 – Urząd Stanu Cywilnego</option>" in html
    # one version only: no version choice
    assert 'id="wersja-arkusza"' not in html
    # the sheet number is found where form v2 prints it, not under a QR code (v1)
    hint = re.search(r'<p class="help" id="nr_arkusza-hint">(.*?)</p>', html).group(1)
    assert "w prawym dolnym rogu" in unescape(hint)
    assert "kodu QR" not in unescape(hint)


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        pytest.param(
            {"q_wizerunek_lokalizacja": "7"},
            "q_wizerunek_lokalizacja",
            f"{RATING_ERROR}: „Lokalizacja Urzędu” (wpisano „7”).",
            id="rating-7",
        ),
        pytest.param(
            {"q_kompetencje_wiedza": "x"},
            "q_kompetencje_wiedza",
            f"{RATING_ERROR}: „Wiedza merytoryczna” (wpisano „x”).",
            id="rating-letter",
        ),
        pytest.param(
            {"q_kompetencje_wiedza": "45"},
            "q_kompetencje_wiedza",
            f"{RATING_ERROR}: „Wiedza merytoryczna” (wpisano „45”).",
            id="rating-two",
        ),
        pytest.param(
            {"q_ocena_ogolna": "n"},
            "q_ocena_ogolna",
            "To pytanie nie ma odpowiedzi „nie dotyczy” — wpisz cyfrę od 1 do 5: "
            "„Jak ogólnie ocenia Pan/Pani obsługę w Urzędzie?” (wpisano „n”).",
            id="no-na-allowed",
        ),
        pytest.param(
            {"q_wydzial": "abc"},
            "q_wydzial",
            "Wpisz numer wydziału z listy (od 1 do 2): „W którym wydziale lub biurze "
            "załatwiał Pan / załatwiała Pani sprawę?” (wpisano „abc”).",
            id="department-not-a-number",
        ),
        pytest.param(
            {"q_cel_wizyty": "spacer"},
            "q_cel_wizyty",
            "Wpisz numer odpowiedzi z listy (od 1 do 5): „Główny cel wizyty” (wpisano „spacer”).",
            id="unknown-option",
        ),
        pytest.param(
            {"data_wypelnienia": "01.01.2999"},
            "data_wypelnienia",
            "Data wypełnienia nie może być późniejsza niż dzisiaj",
            id="future-date",
        ),
        pytest.param(
            {"data_wypelnienia": "31.12.1999"},
            "data_wypelnienia",
            "Data wypełnienia nie może być wcześniejsza niż 1 stycznia 2000.",
            id="date-before-2000",
        ),
        pytest.param(
            {"data_wypelnienia": "30.02.2024"},
            "data_wypelnienia",
            "Data wypełnienia: wpisz prawdziwą datę w postaci dd.mm.rrrr albo okres "
            "dd.mm.rrrr–dd.mm.rrrr.",
            id="impossible-date",
        ),
        pytest.param(
            {"data_wypelnienia": ""},
            "data_wypelnienia",
            "Podaj datę wypełnienia ankiety (dd.mm.rrrr) albo okres, w którym ją zebrano "
            "(dd.mm.rrrr–dd.mm.rrrr).",
            id="no-date",
        ),
        pytest.param(
            {"nr_arkusza": "12a"},
            "nr_arkusza",
            "Numer arkusza musi być liczbą całkowitą większą od zera (wpisano „12a”).",
            id="sheet-number-letters",
        ),
        pytest.param(
            {"nr_arkusza": "0"},
            "nr_arkusza",
            "Numer arkusza musi być liczbą całkowitą większą od zera (wpisano „0”).",
            id="sheet-number-zero",
        ),
        pytest.param(
            {"nr_arkusza": "-4"},
            "nr_arkusza",
            "Numer arkusza musi być liczbą całkowitą większą od zera (wpisano „-4”).",
            id="sheet-number-negative",
        ),
        pytest.param(
            {"q_co_poprawic": "a" * 2001},
            "q_co_poprawic",
            "Odpowiedź na pytanie „Co powinniśmy poprawić?” jest za długa: 2001 "
            "znaków, można wpisać najwyżej 2000.",
            id="text-too-long",
        ),
    ],
)
def test_every_bad_input_is_a_named_field_error_and_nothing_is_stored(
    as_clerk, office, fields, field_id, message
):
    result = enter(as_clerk, office, **fields)

    assert result.status_code == 400
    summary = error_summary(result)
    assert any(target == field_id and text.startswith(message) for target, text in summary), summary
    # … and at the field itself, which is marked invalid and described by the message
    control = input_tag(result, field_id)
    assert 'aria-invalid="true"' in control and f"{field_id}-error" in control
    assert f'<p class="field-error" id="{field_id}-error">' in result.content.decode()
    assert "<title>Błąd:" in page_text(result)
    # everything typed is kept, the wrong value too
    typed = next(iter(fields.values()))
    if field_id == "q_co_poprawic":
        assert f">{typed}</textarea>" in result.content.decode()
    else:
        assert f'value="{typed}"' in control
    if field_id != "q_wizerunek_lokalizacja":
        assert 'value="5"' in input_tag(result, "q_wizerunek_lokalizacja")
    # and nothing is stored
    assert Response.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_all_errors_are_listed_at_once_in_the_order_of_the_form(as_clerk, office):
    result = enter(
        as_clerk,
        office,
        nr_arkusza="x",
        q_wizerunek_lokalizacja="9",
        q_ocena_ogolna="",
        data_wypelnienia="2999-01-01",
    )

    assert [target for target, _text in error_summary(result)] == [
        "nr_arkusza",
        "data_wypelnienia",
        "q_wizerunek_lokalizacja",
    ]
    assert Response.objects.count() == 0


def test_a_sheet_without_any_answer_is_not_stored(client, office, clerk):
    # Paper does not enforce required items, so an empty sheet would be a blank response.
    version = office.survey.current_version
    client.force_login(clerk)

    result = client.post(
        entry_url(office),
        {"wersja": str(version.pk), "nr_arkusza": "", "data_wypelnienia": days_ago(0).isoformat()},
    )

    assert result.status_code == 400
    assert error_summary(result) == [
        ("q_wydzial", "Arkusz nie zawiera żadnej odpowiedzi — nie ma czego zapisać.")
    ]
    assert Response.objects.count() == 0


def test_a_dotted_date_is_understood_too(as_clerk, office):
    # Browsers without a date picker send what was typed.
    day = days_ago(40)
    enter(as_clerk, office, data_wypelnienia=day.strftime("%d.%m.%Y"))

    assert timezone.localdate(Response.objects.get().submitted_at) == day


def test_a_sheet_number_already_entered_is_refused_with_its_date(as_clerk, office, clerk):
    first = enter_via_service(office, clerk, sheet_number=123)
    first.entered_at = datetime(2025, 3, 5, 9, 30, tzinfo=timezone.get_current_timezone())
    first.save()

    result = enter(as_clerk, office, nr_arkusza="123", q_ocena_ogolna="2")

    assert result.status_code == 400
    assert error_summary(result) == [
        ("nr_arkusza", "Arkusz nr 123 został już wprowadzony (dnia 5 marca 2025).")
    ]
    assert 'aria-invalid="true"' in input_tag(result, "nr_arkusza")
    assert 'value="2"' in input_tag(result, "q_ocena_ogolna")
    assert Response.objects.count() == 1
    assert AuditEntry.objects.filter(action="response.paper_enter").count() == 1


def test_sheet_numbers_are_per_office(client, office, other_office, clerk):
    enter_via_service(office, clerk, sheet_number=7)
    other_clerk = make_staff(other_office, "rejestrator.ksiazki")
    client.force_login(other_clerk)

    result = client.post(
        entry_url(other_office),
        {
            "wersja": str(other_office.survey.current_version_id),
            "nr_arkusza": "7",
            "data_wypelnienia": days_ago(1).isoformat(),
            "q_wydzial": "1",
            "q_ocena_ogolna": "5",
        },
    )

    assert result.status_code == 303
    assert Response.objects.filter(sheet_number=7).count() == 2


def test_a_duplicate_lost_in_a_race_is_refused_cleanly_inside_a_transaction(office, clerk):
    # Two clerks type in sheet 55 at the same time: both sheets pass the form's check,
    # the database's constraint decides, and the loser gets SheetNumberTaken with its
    # surrounding transaction still usable.
    first, second = read_sheet(office, sheet_number=55), read_sheet(office, sheet_number=55)
    save_sheet(office, clerk, first)
    with transaction.atomic():
        with pytest.raises(SheetNumberTaken) as refused:
            save_sheet(office, clerk, second)
        assert Response.objects.count() == 1
    assert refused.value.number == 55
    assert AuditEntry.objects.filter(action="response.paper_enter").count() == 1


def test_a_duplicate_number_is_listed_with_the_other_errors(as_clerk, office, clerk):
    enter_via_service(office, clerk, sheet_number=9)

    result = enter(as_clerk, office, nr_arkusza="9", q_wizerunek_lokalizacja="6")

    assert [target for target, _text in error_summary(result)] == [
        "nr_arkusza",
        "q_wizerunek_lokalizacja",
    ]


# Versions


def publish_second_version(office):
    """Version 2 becomes current; it asks one question more than version 1."""
    survey = office.survey
    old = survey.current_version
    definition = {**old.definition, "sections": [*old.definition["sections"]]}
    definition["sections"].append(
        {
            "key": "nowe",
            "kind": "questions",
            "title": {"pl": "Nowa część"},
            "questions": [
                {
                    "key": "parking_nowy",
                    "kind": "rating",
                    "required": False,
                    "na": True,
                    "text": {"pl": "Nowy parking przed Urzędem"},
                }
            ],
        }
    )
    new = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=2,
        status=SurveyVersion.Status.PUBLISHED,
        definition=definition,
        published_at=timezone.now(),
    )
    survey.current_version = new
    survey.save()
    return old, new


def test_a_sheet_of_an_older_published_version_is_entered_against_that_version(as_clerk, office):
    old, _new = publish_second_version(office)

    page = as_clerk.get(entry_url(office))
    html = page_text(page)
    assert 'id="wersja-arkusza"' in html
    assert "SWINOUJSCIE-V1" in html and "SWINOUJSCIE-V2 — bieżąca" in html
    assert "Nowy parking przed Urzędem" in html

    older = as_clerk.get(entry_url(office, f"?wersja={old.pk}"))
    assert older.status_code == 200
    assert "Nowy parking przed Urzędem" not in page_text(older)
    assert f'name="wersja" value="{old.pk}"' in older.content.decode()

    result = enter(as_clerk, office, wersja=str(old.pk))

    assert result.status_code == 303
    # the next sheet keeps the version picked by hand (no printed batch says otherwise)
    assert result["Location"] == entry_url(
        office, f"?wersja={old.pk}&data_wypelnienia={days_ago(3):%d.%m.%Y}#nastepny-arkusz"
    )
    assert Response.objects.get().version == old


def test_a_version_of_another_office_is_not_found(as_clerk, office, other_office):
    foreign = other_office.survey.current_version

    assert as_clerk.get(entry_url(office, f"?wersja={foreign.pk}")).status_code == 404
    assert enter(as_clerk, office, wersja=str(foreign.pk)).status_code == 404
    assert Response.objects.count() == 0


# Correcting and deleting


def test_correction_within_the_window_replaces_the_answers_and_is_audited(as_clerk, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=10)
    url = entry_url(office, f"{stored.pk}/")

    form = as_clerk.get(url)
    assert form.status_code == 200
    assert 'value="10"' in input_tag(form, "nr_arkusza")
    assert 'value="5"' in input_tag(form, "q_wizerunek_lokalizacja")
    assert 'value="n"' in input_tag(form, "q_wizerunek_parking")

    result = as_clerk.post(
        url,
        typed_sheet(
            office,
            nr_arkusza="11",
            q_ocena_ogolna="2",
            q_wizerunek_parking="4",
            data_wypelnienia=days_ago(10).isoformat(),
        ),
    )

    assert result.status_code == 303
    stored.refresh_from_db()
    assert stored.sheet_number == 11
    assert stored.answers["ocena_ogolna"] == 2
    assert stored.answers["wizerunek_parking"] == 4
    assert timezone.localdate(stored.submitted_at) == days_ago(10)
    assert stored.entered_by == clerk
    entry = AuditEntry.objects.get(action="response.paper_correct")
    assert entry.actor == clerk
    assert entry.before["answers"]["ocena_ogolna"] == 4
    assert entry.after["answers"]["ocena_ogolna"] == 2
    assert (entry.before["sheet_number"], entry.after["sheet_number"]) == (10, 11)


def test_a_correction_with_a_bad_value_changes_nothing(as_clerk, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=10)

    result = as_clerk.post(
        entry_url(office, f"{stored.pk}/"), typed_sheet(office, nr_arkusza="10", q_ocena_ogolna="8")
    )

    assert result.status_code == 400
    assert error_summary(result)[0][0] == "q_ocena_ogolna"
    stored.refresh_from_db()
    assert stored.answers["ocena_ogolna"] == 4
    assert not AuditEntry.objects.filter(action="response.paper_correct").exists()


def test_a_correction_to_a_number_of_another_sheet_is_refused(as_clerk, office, clerk):
    enter_via_service(office, clerk, sheet_number=1)
    second = enter_via_service(office, clerk, sheet_number=2)

    result = as_clerk.post(entry_url(office, f"{second.pk}/"), typed_sheet(office, nr_arkusza="1"))

    assert result.status_code == 400
    assert error_summary(result)[0][1].startswith("Arkusz nr 1 został już wprowadzony")
    second.refresh_from_db()
    assert second.sheet_number == 2


def test_deletion_within_the_window_asks_first_and_is_audited(as_clerk, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=31)
    url = entry_url(office, f"{stored.pk}/usun/")

    confirm = as_clerk.get(url)
    assert confirm.status_code == 200
    assert "Usunąć ankietę papierową?" in page_text(confirm)
    assert Response.objects.filter(pk=stored.pk).exists()

    result = as_clerk.post(url)

    assert result.status_code == 303
    assert not Response.objects.filter(pk=stored.pk).exists()
    entry = AuditEntry.objects.get(action="response.paper_delete")
    assert entry.actor == clerk
    assert entry.before["sheet_number"] == 31
    assert entry.before["answers"]["ocena_ogolna"] == 4
    listing = as_clerk.get(result["Location"])
    assert "Usunięto ankietę — arkusz nr 31." in page_text(listing)


@pytest.mark.parametrize(("hours", "entered_hours_ago"), [(24, 25), (1, 2)])
def test_after_the_window_correction_and_deletion_are_refused(
    as_clerk, office, clerk, settings, hours, entered_hours_ago
):
    settings.PAPER_CORRECTION_HOURS = hours
    stored = enter_via_service(office, clerk, sheet_number=5)
    Response.objects.filter(pk=stored.pk).update(
        entered_at=timezone.now() - timedelta(hours=entered_hours_ago)
    )
    edit, delete = entry_url(office, f"{stored.pk}/"), entry_url(office, f"{stored.pk}/usun/")

    for result in (
        as_clerk.get(edit),
        as_clerk.post(edit, typed_sheet(office, nr_arkusza="5", q_ocena_ogolna="1")),
        as_clerk.get(delete),
        as_clerk.post(delete),
    ):
        assert result.status_code == 403
        assert (
            f"Czas na poprawki minął: ankietę można poprawić lub usunąć tylko przez {hours} "
            "godz. od jej wprowadzenia." in page_text(result)
        )

    stored.refresh_from_db()
    assert stored.answers["ocena_ogolna"] == 4
    assert not AuditEntry.objects.exclude(action="response.paper_enter").exists()
    listing = as_clerk.get(entry_url(office, "ostatnie/"))
    assert f"{stored.pk}/usun/" not in listing.content.decode()


def test_another_clerks_sheet_cannot_be_changed_but_an_admin_may(client, office, clerk):
    stored = enter_via_service(office, clerk, sheet_number=8)
    colleague = make_staff(office, "kolega")
    admin = make_staff(office, "sekretarz", Role.OFFICE_ADMIN)
    edit = entry_url(office, f"{stored.pk}/")

    client.force_login(colleague)
    refused = client.get(edit)
    assert refused.status_code == 403
    assert "Tę ankietę wprowadziła inna osoba" in page_text(refused)
    assert client.post(entry_url(office, f"{stored.pk}/usun/")).status_code == 403
    # and it is not among the colleague's recent entries
    assert f"{stored.pk}/" not in client.get(entry_url(office, "ostatnie/")).content.decode()

    client.force_login(admin)
    assert client.get(edit).status_code == 200
    listing = client.get(entry_url(office, "ostatnie/"))
    assert f'href="{edit}"' in listing.content.decode()
    result = client.post(edit, typed_sheet(office, nr_arkusza="8", q_ocena_ogolna="3"))
    assert result.status_code == 303
    stored.refresh_from_db()
    assert stored.answers["ocena_ogolna"] == 3
    assert stored.entered_by == clerk
    assert AuditEntry.objects.get(action="response.paper_correct").actor == admin


# Recent entries


def test_recent_entries_list_the_clerks_own_last_twenty(as_clerk, office, clerk):
    colleague = make_staff(office, "kolega")
    enter_via_service(office, colleague, sheet_number=999)
    for number in range(1, 23):
        enter_via_service(office, clerk, sheet_number=number)

    rows = paper_recent(office=office, user=clerk)

    assert [r["sheet_number"] for r in rows] == list(range(22, 2, -1))
    assert rows[0]["overall"] == 4
    assert rows[0]["department"] == "Urząd Stanu Cywilnego"
    assert rows[0]["filled_on"] == days_ago(3)
    page = as_clerk.get(entry_url(office))
    html = page.content.decode()
    assert html.count('/usun/"') == 20
    assert "999" not in re.sub(r"<[^>]+>", " ", html.split("paper-recent", 1)[1])


def test_recent_entries_of_one_office_are_not_shown_to_another(office, other_office, clerk):
    enter_via_service(office, clerk, sheet_number=3)
    other_admin = make_staff(other_office, "admin.ksiazki", Role.OFFICE_ADMIN)

    assert paper_recent(office=other_office, user=other_admin) == []
    assert len(paper_recent(office=office, user=clerk)) == 1


# Who may use it


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.CLERK, 200),
        (Role.OFFICE_ADMIN, 200),
        (Role.REPORTER, 403),
    ],
)
def test_role_matrix_for_the_entry_page(client, office, role, status):
    client.force_login(make_staff(office, f"konto-{role}", role))

    for suffix in ("", "ostatnie/"):
        assert client.get(entry_url(office, suffix)).status_code == status


def test_a_reporter_cannot_post_a_sheet(client, office):
    client.force_login(make_staff(office, "raporty", Role.REPORTER))

    assert enter(client, office).status_code == 403
    assert Response.objects.count() == 0


def test_logged_out_goes_to_login(client, office):
    result = client.get(entry_url(office))

    assert result.status_code == 302
    assert "/admin/logowanie/" in result["Location"]


def test_another_offices_clerk_gets_404_for_the_page_and_its_responses(
    client, office, other_office, clerk
):
    stored = enter_via_service(office, clerk, sheet_number=4)
    client.force_login(make_staff(other_office, "rejestrator.ksiazki"))

    for suffix in ("", "ostatnie/", f"{stored.pk}/", f"{stored.pk}/usun/"):
        assert client.get(entry_url(office, suffix)).status_code == 404
    # and through its own office's address, the foreign ids do not exist either
    for suffix in (f"{stored.pk}/", f"{stored.pk}/usun/"):
        assert client.get(entry_url(other_office, suffix)).status_code == 404
        assert client.post(entry_url(other_office, suffix)).status_code == 404
    assert Response.objects.filter(pk=stored.pk).exists()


def test_an_online_response_or_a_missing_id_is_not_found(as_clerk, office):
    online = Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=Channel.ONLINE,
        submitted_at=timezone.now(),
        answers={"ocena_ogolna": 5},
    )

    for suffix in (f"{online.pk}/", f"{online.pk}/usun/", "987654/", "987654/usun/"):
        assert as_clerk.get(entry_url(office, suffix)).status_code == 404
    assert as_clerk.post(entry_url(office, f"{online.pk}/usun/")).status_code == 404
    assert Response.objects.filter(pk=online.pk).exists()


# Speed


def test_the_entry_page_needs_few_queries_however_many_entries(
    as_clerk, office, clerk, django_assert_max_num_queries
):
    for number in range(1, 26):
        enter_via_service(office, clerk, sheet_number=number)
    as_clerk.get(entry_url(office))  # warm the session

    # the suggestion, the count and the undo button each read once, whatever the number
    with django_assert_max_num_queries(15):  # + the printed batches, read once
        page = as_clerk.get(entry_url(office))

    assert page.status_code == 200
    assert page.content.decode().count('/usun/"') == 20


def test_a_sheet_with_required_questions_skipped_is_still_entered(as_clerk, office):
    # A resident can skip anything on paper; the sheet is typed in as a partial response.
    result = enter(as_clerk, office, q_ocena_ogolna="", q_wydzial="")

    assert result.status_code == 303
    stored = Response.objects.get()
    assert stored.department is None
    assert "ocena_ogolna" not in stored.answers


def test_a_back_dated_sheet_appears_in_the_next_report(as_clerk, office):
    # Given a report of last month was made (its day counters are stored)
    from ocenurzad.reports.compute import report_compute

    day = days_ago(40)
    first = report_compute(office=office, start=day, end=day)
    assert first["method"]["responses"] == 0

    # When a clerk types in a sheet dated that day, then corrects its date, then deletes it
    enter(as_clerk, office, data_wypelnienia=day.isoformat())
    assert report_compute(office=office, start=day, end=day)["method"]["responses"] == 1

    stored = Response.objects.get()
    other_day = days_ago(41)
    edit = as_clerk.post(
        entry_url(office, f"{stored.pk}/"),
        typed_sheet(office, data_wypelnienia=other_day.isoformat()),
    )
    assert edit.status_code in (302, 303)
    assert report_compute(office=office, start=day, end=day)["method"]["responses"] == 0
    assert report_compute(office=office, start=other_day, end=other_day)["method"]["responses"] == 1

    as_clerk.post(entry_url(office, f"{stored.pk}/usun/"))
    assert report_compute(office=office, start=other_day, end=other_day)["method"]["responses"] == 0
