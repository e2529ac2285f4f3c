"""Generuj raport in the panel: periods, the form, the preview, the downloads, the archive."""

import hashlib
import json
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.reports.archive import archived_report_create
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.forms import ReportForm
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.reports.periods import (
    Kind,
    PeriodError,
    custom_period,
    last_12_months_period,
    month_period,
    period_for,
    quarter_period,
    so_far_period,
    year_period,
)
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import SurveyVersion

TODAY = date(2026, 11, 23)
# The last whole month that is over: filtered reports, comments and raw answers need it.
PREVIOUS_END = timezone.localdate().replace(day=1) - timedelta(days=1)
PREVIOUS_START = PREVIOUS_END.replace(day=1)
RATINGS = ("wizerunek_lokalizacja", "podejscie_szacunek", "kompetencje_wiedza")


# --- periods -------------------------------------------------------------------------


def test_a_past_year_is_the_whole_calendar_year():
    period = year_period(2025, today=TODAY)
    assert (period.start, period.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period.days == 365


def test_the_current_year_ends_today():
    assert year_period(2026, today=TODAY).end == TODAY


@pytest.mark.parametrize(("year", "words"), [(2027, "jeszcze się nie zaczął"), (1999, "2000")])
def test_a_future_year_or_one_before_2000_is_refused_naming_the_year(year, words):
    with pytest.raises(PeriodError) as error:
        year_period(year, today=TODAY)
    assert error.value.field == "rok"
    assert words in error.value.message
    assert error.value.message.startswith("Rok")


def test_quarters_are_three_calendar_months():
    assert quarter_period(2025, 1, today=TODAY) == custom_period(
        date(2025, 1, 1), date(2025, 3, 31), today=TODAY
    )
    assert quarter_period(2024, 4, today=TODAY).end == date(2024, 12, 31)
    assert quarter_period(2026, 4, today=TODAY).end == TODAY  # running: ends today
    with pytest.raises(PeriodError) as error:
        quarter_period(2027, 1, today=TODAY)
    assert error.value.field == "rok"


def test_a_quarter_that_has_not_started_is_refused():
    with pytest.raises(PeriodError) as error:
        quarter_period(2026, 4, today=date(2026, 9, 30))
    assert error.value.field == "kwartal"


def test_months_know_their_length_and_leap_years():
    assert month_period(2024, 2, today=TODAY).end == date(2024, 2, 29)
    assert month_period(2025, 2, today=TODAY).end == date(2025, 2, 28)
    assert month_period(2026, 11, today=TODAY).end == TODAY
    with pytest.raises(PeriodError) as error:
        month_period(2026, 12, today=TODAY)
    assert error.value.field == "miesiac"
    with pytest.raises(PeriodError):
        month_period(2025, 13, today=TODAY)


def test_last_12_months_are_the_twelve_full_months_before_this_one():
    period = last_12_months_period(today=TODAY)
    assert (period.start, period.end) == (date(2025, 11, 1), date(2026, 10, 31))
    january = last_12_months_period(today=date(2026, 1, 5))
    assert (january.start, january.end) == (date(2025, 1, 1), date(2025, 12, 31))
    march_1st = last_12_months_period(today=date(2024, 3, 1))
    assert (march_1st.start, march_1st.end) == (date(2023, 3, 1), date(2024, 2, 29))


def test_custom_dates_include_both_days():
    period = custom_period(date(2026, 1, 1), date(2026, 1, 1), today=TODAY)
    assert period.days == 1


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), "do", "nie może być wcześniejsza"),
        (date(2026, 1, 1), TODAY + timedelta(days=1), "do", "późniejsza niż dzisiaj"),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=2), "od", "późniejsza niż dzisiaj"),
        (date(1999, 12, 31), date(2000, 1, 5), "od", "2000-01-01"),
    ],
)
def test_custom_dates_refused_name_the_date(start, end, field, words):
    with pytest.raises(PeriodError) as error:
        custom_period(start, end, today=TODAY)
    assert error.value.field == field
    assert words in error.value.message
    assert f"„{field}”" in error.value.message


def test_a_missing_value_names_its_field():
    for kind, field in [
        (Kind.YEAR, "rok"),
        (Kind.QUARTER, "rok"),
        (Kind.MONTH, "miesiac"),
        (Kind.CUSTOM, "od"),
    ]:
        with pytest.raises(PeriodError) as error:
            period_for(kind, today=TODAY)
        assert error.value.field == field
    with pytest.raises(PeriodError) as error:
        period_for(Kind.QUARTER, today=TODAY, year=2025)
    assert error.value.field == "kwartal"


def test_all_results_so_far_start_at_the_first_response_or_today():
    assert so_far_period(date(2024, 5, 6), today=TODAY).start == date(2024, 5, 6)
    assert so_far_period(None, today=TODAY) == custom_period(TODAY, TODAY, today=TODAY)


# --- the form --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_turns_choices_into_report_parameters(office):
    department = office.departments.first()
    form = ReportForm(
        {
            "okres": "kwartal",
            "rok": "2025",
            "kwartal": "2",
            "wydzial": str(department.pk),
            "kanal": "paper",
            "porownaj": "on",
        },
        office=office,
        today=TODAY,
    )
    assert form.is_valid(), form.errors
    assert form.report_params() == {
        "start": date(2025, 4, 1),
        "end": date(2025, 6, 30),
        "department_id": department.pk,
        "channel": "paper",
        "client_type": None,
        "compare": "poprzedni",  # "on": the checkbox of older links, the previous period
        "kind": "kwartal",
    }


@pytest.mark.django_db
def test_the_form_ignores_fields_of_other_period_kinds(office):
    form = ReportForm({"okres": "12m", "rok": "abcd", "miesiac": "x"}, office=office, today=TODAY)
    assert form.is_valid(), form.errors
    assert form.period.start == date(2025, 11, 1)


@pytest.mark.django_db
def test_the_form_offers_inactive_departments_too(office):
    closed = office.departments.last()
    closed.is_active = False
    closed.save()
    form = ReportForm({"okres": "12m", "wydzial": str(closed.pk)}, office=office, today=TODAY)
    assert form.is_valid(), form.errors
    groups = dict(form.fields["wydzial"].choices[1:])
    # in a group of their own, after the departments of the survey
    assert dict(groups["Wyłączone z ankiety"]) == {str(closed.pk): closed.name}


# --- views -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _user(office, role, name):
    return User.objects.create_user(
        username=name, password="x", role=role, office=None if role == Role.OPERATOR else office
    )


def _answers(rating: int, comment: str | None = None) -> dict:
    answers = dict.fromkeys(RATINGS, rating) | {"ocena_ogolna": rating}
    if comment:
        answers["co_poprawic"] = comment
    return answers


def _responses(office, count=6, *, days_ago=None, channel="online", rating=4, comment=None):
    when = (
        timezone.now() - timedelta(days=days_ago)
        if days_ago is not None
        else datetime.combine(
            PREVIOUS_START.replace(day=10), time(12), tzinfo=timezone.get_default_timezone()
        )
    )
    version = office.survey.current_version
    department = office.departments.first()
    return [
        Response.objects.create(
            office=office,
            version=version,
            channel=channel,
            department=department,
            submitted_at=when,
            answers=_answers(rating, comment),
        )
        for _ in range(count)
    ]


def _period_query() -> str:
    return f"okres=zakres&od={PREVIOUS_START}&do={PREVIOUS_END}"


@pytest.fixture
def admin(office):
    return _user(office, Role.OFFICE_ADMIN, "admin-here")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _url(office, path):
    return f"/{office.slug}/admin/raporty/{path}"


@pytest.mark.django_db
def test_role_matrix_for_every_report_page(client, office, other_office):
    _responses(office)
    archived = archived_report_create(
        office=office,
        actor=None,
        report=report_compute(
            office=office, start=timezone.localdate() - timedelta(days=30), end=timezone.localdate()
        ),
        reason=ArchivedReport.Reason.SCHEDULED,
    )
    foreign_archived = archived_report_create(
        office=other_office,
        actor=None,
        report=report_compute(
            office=other_office,
            start=timezone.localdate() - timedelta(days=30),
            end=timezone.localdate(),
        ),
        reason=ArchivedReport.Reason.SCHEDULED,
    )
    query = _period_query()
    pages = [
        "",
        f"podglad/?{query}",
        f"archiwizuj/?{query}",
        f"pobierz/pdf/?{query}",
        f"pobierz/xlsx/?{query}",
        f"pobierz/csv/?{query}",
        f"pobierz/csv-standard/?{query}",
        f"pobierz/json/?{query}",
        f"pobierz/odpowiedzi-otwarte-csv/?{query}",
        f"pobierz/odpowiedzi-otwarte-xlsx/?{query}",
        "archiwum/",
        f"archiwum/{archived.pk}/pdf/",
        f"archiwum/{archived.pk}/json/",
        f"archiwum/{archived.pk}/odpowiedzi-otwarte-csv/",
        f"archiwum/{archived.pk}/odpowiedzi-otwarte-xlsx/",
    ]
    people = {role: _user(office, role, f"{role}-here") for role in Role.values}
    foreign_admin = _user(other_office, Role.OFFICE_ADMIN, "admin-there")
    expected = {
        Role.CLERK: 403,
        Role.REPORTER: 200,
        Role.OFFICE_ADMIN: 200,
        Role.OPERATOR: 200,
    }
    # answers response by response: administrators only (and reporters granted it)
    raw_expected = {**expected, Role.REPORTER: 403, Role.OPERATOR: 403}
    for page in pages:
        url = _url(office, page)
        client.logout()
        assert client.get(url).status_code == 302, f"{page}: anonymous goes to the login page"
        statuses = raw_expected if page.startswith("pobierz/csv") else expected
        for role, status in statuses.items():
            client.force_login(people[role])
            got = client.get(url)
            assert got.status_code == status, f"{page} as {role}: {got.status_code}"
            if hasattr(got, "streaming_content"):
                b"".join(got.streaming_content)
        client.force_login(foreign_admin)
        assert client.get(url).status_code == 404, f"{page}: another office's admin gets 404"

    # another office's archived report, asked for at this office's address: 404
    client.force_login(people[Role.OFFICE_ADMIN])
    for fmt in ("pdf", "json"):
        assert client.get(_url(office, f"archiwum/{foreign_archived.pk}/{fmt}/")).status_code == 404
        assert client.get(_url(office, f"archiwum/999999/{fmt}/")).status_code == 404
    assert client.get(_url(office, f"archiwum/{archived.pk}/docx/")).status_code == 404


@pytest.mark.django_db
def test_the_form_page_offers_the_periods_and_the_office_departments(admin_client, office):
    html = admin_client.get(_url(office, "")).content.decode()
    assert "Generuj raport" in html
    assert "Ostatnie 12 pełnych miesięcy (bez bieżącego miesiąca)" in html
    for department in office.departments.all():
        assert department.name in html
    assert "Porównaj wyniki" in html and "z tym samym okresem rok wcześniej" in html
    assert "W archiwum nie ma jeszcze żadnego raportu." in html


@pytest.mark.django_db
def test_the_preview_without_parameters_is_the_empty_form(admin_client, office):
    response = admin_client.get(_url(office, "podglad/"))
    assert response.status_code == 200
    assert "Pokaż raport" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("okres=zakres&od=2025-03-01&do=2025-02-01", "Data „do” (2025-02-01) nie może być"),
        ("okres=zakres&od=2025-03-01&do=2999-01-01", "Data „do” nie może być późniejsza"),
        ("okres=zakres&od=2025-02-30&do=2025-03-01", "Data „od”: wpisz datę"),
        ("okres=rok&rok=20x5", "Rok: wpisz cztery cyfry"),
        ("okres=rok&rok=2999", "Rok: 2999 jeszcze się nie zaczął"),
        ("okres=kwartal&rok=2025&kwartal=7", "Kwartał: wybierz kwartał od I do IV"),
        ("okres=miesiac&miesiac=2025-13", "Miesiąc: wpisz rok i miesiąc"),
        ("okres=tydzien", "Okres: wybierz jeden z rodzajów okresu"),
        ("okres=12m&kanal=fax", "Kanał: wybierz"),
        ("okres=12m&wydzial=abc", "Wydział: wybierz jeden z wydziałów tego urzędu"),
    ],
)
def test_bad_parameters_show_the_form_again_naming_the_field(admin_client, office, query, words):
    for path in ("podglad/", "pobierz/pdf/", "pobierz/csv/"):
        response = admin_client.get(_url(office, f"{path}?{query}"))
        assert response.status_code == 400, f"{path}?{query}"
        html = response.content.decode()
        assert words in html, f"{path}?{query}"
        assert 'class="error-summary"' in html
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_a_department_of_another_office_is_refused(admin_client, office, other_office):
    foreign = other_office.departments.first()
    response = admin_client.get(_url(office, f"podglad/?okres=12m&wydzial={foreign.pk}"))
    assert response.status_code == 400
    assert "Wydział: wybierz jeden z wydziałów tego urzędu z listy." in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_format_is_refused_naming_it(admin_client, office):
    response = admin_client.get(_url(office, f"pobierz/docx/?{_period_query()}"))
    assert response.status_code == 400
    assert "Format pliku: „docx” nie jest obsługiwany" in response.content.decode()


@pytest.mark.django_db
def test_the_preview_shows_the_report_with_download_links(admin_client, office):
    _responses(office, comment="Dłuższe godziny otwarcia w czwartki")
    _responses(office, comment="Więcej miejsc parkingowych")
    query = _period_query()

    response = admin_client.get(_url(office, f"podglad/?{query}&porownaj=on"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dłuższe godziny otwarcia w czwartki" in html
    for fmt in (
        "pdf",
        "xlsx",
        "csv",
        "csv-standard",
        "json",
        "odpowiedzi-otwarte-csv",
        "odpowiedzi-otwarte-xlsx",
    ):
        assert f"/admin/raporty/pobierz/{fmt}/?" in html
    assert "porownaj=on" in html
    assert 'action="/swinoujscie/admin/raporty/archiwizuj/"' in html
    assert "Archiwizuj raport" in html
    assert not ArchivedReport.objects.exists(), "looking at a report archives nothing"


@pytest.mark.django_db
def test_the_form_says_where_the_archive_button_is(admin_client, office):
    # The archive form stands under the download buttons, above the report itself; the
    # report form (and the manual) send people there, not "under the report".
    _responses(office)
    report = admin_client.get(_url(office, f"podglad/?{_period_query()}")).content.decode()
    form = admin_client.get(_url(office, "")).content.decode()

    downloads = report.index('id="downloads-title"')
    archive = report.index('id="archive-title"')
    body = report.index('id="raport-najwazniejsze-h"')
    assert downloads < archive < body
    assert "pod raportem" not in form
    assert "pod przyciskami pobierania" in form


@pytest.mark.django_db
def test_the_open_answers_search_keeps_the_report_and_finds_the_words(admin_client, office):
    _responses(office, comment="Dłuższe godziny otwarcia w czwartki")
    _responses(office, comment="Więcej miejsc parkingowych")

    html = admin_client.get(
        _url(office, f"podglad/?{_period_query()}&szukaj=parkingowych")
    ).content.decode()

    assert "Więcej miejsc <mark>parkingowych</mark>" in html
    assert "Dłuższe godziny otwarcia w czwartki" not in html
    assert 'name="od"' in html  # the search form repeats the report's parameters


def _archive_post(client, office, query: str, **fields):
    data = dict(pair.split("=", 1) for pair in query.split("&"))
    return client.post(_url(office, "archiwizuj/"), {**data, **fields})


@pytest.mark.django_db
def test_viewing_or_downloading_never_archives(admin_client, office):
    _responses(office)
    query = _period_query()
    for path in ("podglad/", "archiwizuj/", *(f"pobierz/{f}/" for f in ("pdf", "xlsx", "json"))):
        response = admin_client.get(_url(office, f"{path}?{query}"))
        assert response.status_code == 200, path
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_archiving_is_a_post_with_a_reason_and_a_note_shown_as_typed(
    admin_client, office, admin, media
):
    _responses(office, comment="Więcej ławek")
    query = _period_query()
    typed = '<script>alert("x")</script> raport dla burmistrza & rady'

    response = _archive_post(
        admin_client, office, query, cel=typed, notatka="Linia pierwsza\nLinia druga"
    )

    archived = ArchivedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/raporty/archiwum/#raport-{archived.pk}")
    assert archived.office == office
    assert archived.reason == ArchivedReport.Reason.ON_REQUEST
    assert archived.created_by == admin
    assert archived.purpose == typed
    assert archived.note == "Linia pierwsza\nLinia druga"
    assert archived.figures["params"]["start"] == str(PREVIOUS_START)
    for field, checksum in (
        ("pdf", "sha256"),
        ("comments_csv", "comments_csv_sha256"),
        ("comments_xlsx", "comments_xlsx_sha256"),
    ):
        body = (media / getattr(archived, field).name).read_bytes()
        assert getattr(archived, checksum) == hashlib.sha256(body).hexdigest()
    annex = (media / archived.comments_csv.name).read_text(encoding="utf-8-sig")
    assert "Więcej ławek" in annex and f"{PREVIOUS_START:%Y-%m}" in annex

    listing = admin_client.get(_url(office, "archiwum/")).content.decode()
    assert "Raport zapisano w archiwum jako raport nr" in listing
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; raport dla burmistrza &amp; rady"
        in listing
    )
    assert "<script>alert" not in listing
    assert "Linia pierwsza<br>Linia druga" in listing
    for fmt in ("pdf", "json", "odpowiedzi-otwarte-csv", "odpowiedzi-otwarte-xlsx"):
        assert f"/admin/raporty/archiwum/{archived.pk}/{fmt}/" in listing
    assert archived.comments_csv_sha256 in listing

    stored = admin_client.get(_url(office, f"archiwum/{archived.pk}/pdf/"))
    body = b"".join(stored.streaming_content)
    assert stored["X-Checksum-Sha256"] == archived.sha256 == hashlib.sha256(body).hexdigest()
    assert "Ostatni raport w archiwum" in admin_client.get(_url(office, "")).content.decode()

    from ocenurzad.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="report.archive")
    assert entry.after["purpose"] == typed
    assert AuditEntry.objects.filter(action="report.download").count() == 1  # the stored PDF


@pytest.mark.django_db
def test_the_same_report_is_archived_once(admin_client, office):
    _responses(office)
    query = _period_query()
    _archive_post(admin_client, office, query, cel="raport roczny")

    again = _archive_post(admin_client, office, query, cel="jeszcze raz")

    archived = ArchivedReport.objects.get()
    assert again.status_code == 302
    assert archived.purpose == "raport roczny"
    page = admin_client.get(again["Location"]).content.decode()
    assert f"jest już w archiwum jako raport nr {archived.pk}" in page

    _responses(office, count=1)  # new figures: a new entry
    from ocenurzad.reports.services import rollups_invalidate_office

    rollups_invalidate_office(office=office)
    _archive_post(admin_client, office, query, cel="po nowej ankiecie")
    assert ArchivedReport.objects.count() == 2


@pytest.mark.django_db
def test_archiving_without_a_reason_shows_the_report_again_naming_the_field(admin_client, office):
    _responses(office)
    response = _archive_post(admin_client, office, _period_query(), cel="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Powód archiwizacji: wpisz, dlaczego raport trafia do archiwum." in html
    assert 'aria-describedby="id_cel_helptext id_cel_error"' in html
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_archiving_a_report_of_a_tiny_group_is_refused(admin_client, office):
    _responses(office, count=3)
    department = office.departments.first()
    response = _archive_post(
        admin_client, office, f"{_period_query()}&wydzial={department.pk}", cel="x"
    )
    assert response.status_code == 400
    assert "mniej niż 5" in response.content.decode()
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_archived_files_stay_as_they_were_after_the_survey_and_answers_change(admin_client, office):
    _responses(office, rating=4)
    query = _period_query()
    _archive_post(admin_client, office, query, cel="roczny")
    archived = ArchivedReport.objects.get()
    pdf_url = _url(office, f"archiwum/{archived.pk}/pdf/")
    first = b"".join(admin_client.get(pdf_url).streaming_content)
    json_url = _url(office, f"archiwum/{archived.pk}/json/")
    stored_json = admin_client.get(json_url).content

    # a new survey version is published and new answers arrive
    survey = office.survey
    definition = json.loads(json.dumps(survey.current_version.definition))
    definition["sections"][1]["questions"].pop()
    new_version = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=2,
        status=SurveyVersion.Status.PUBLISHED,
        definition=definition,
        published_at=timezone.now(),
    )
    survey.current_version = new_version
    survey.save()
    _responses(office, count=10, rating=1)
    from ocenurzad.reports.services import rollups_invalidate_office

    rollups_invalidate_office(office=office)

    again = admin_client.get(pdf_url)
    assert b"".join(again.streaming_content) == first
    assert again["X-Checksum-Sha256"] == archived.sha256
    assert admin_client.get(json_url).content == stored_json
    assert json.loads(stored_json)["method"]["responses"] == 6

    # while a new report of the same period sees the new answers
    fresh = json.loads(admin_client.get(_url(office, f"pobierz/json/?{query}")).content)
    assert fresh["method"]["responses"] == 16


@pytest.mark.django_db
def test_the_csv_download_streams_with_a_bom_for_excel(admin_client, office):
    _responses(office, count=7)

    response = admin_client.get(_url(office, f"pobierz/csv/?{_period_query()}"))

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 7
    assert ";" in lines[0]
    assert not ArchivedReport.objects.exists()


@pytest.mark.django_db
def test_the_standard_csv_uses_commas(admin_client, office):
    _responses(office, count=5)
    response = admin_client.get(_url(office, f"pobierz/csv-standard/?{_period_query()}"))
    assert response.streaming is True
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header = body.splitlines()[0]
    assert "," in header and ";" not in header


@pytest.mark.django_db
def test_the_csv_respects_the_channel_filter(admin_client, office):
    _responses(office, count=7, channel="online")
    _responses(office, count=5, channel="paper")
    response = admin_client.get(_url(office, f"pobierz/csv/?{_period_query()}&kanal=paper"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 1 + 5


@pytest.mark.django_db
def test_xlsx_and_json_downloads(admin_client, office):
    _responses(office)
    query = _period_query()
    xlsx = admin_client.get(_url(office, f"pobierz/xlsx/?{query}"))
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    data = json.loads(admin_client.get(_url(office, f"pobierz/json/?{query}")).content)
    assert data["office"]["slug"] == office.slug
    assert data["method"]["responses"] == 6
    assert not ArchivedReport.objects.exists(), "downloading archives nothing"


@pytest.mark.django_db
def test_the_archive_lists_only_this_office(admin_client, office, other_office):
    _responses(other_office)
    archived_report_create(
        office=other_office,
        actor=None,
        report=report_compute(
            office=other_office,
            start=timezone.localdate() - timedelta(days=30),
            end=timezone.localdate(),
        ),
        reason=ArchivedReport.Reason.SCHEDULED,
        note="raport innego urzędu",
    )
    html = admin_client.get(_url(office, "archiwum/")).content.decode()
    assert "raport innego urzędu" not in html
    assert "Archiwum jest puste" in html


# --- downloads of residents' answers are written to the audit log ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "shown"),
    [("csv", "CSV dla Excela (średniki)"), ("csv-standard", "CSV standardowy"), ("xlsx", "XLSX")],
)
def test_a_download_of_the_answers_is_in_the_audit_log(client, office, fmt, shown):
    from ocenurzad.audit.models import AuditEntry

    _responses(office)
    reporter = _user(office, Role.REPORTER, "raporty-tu")
    reporter.raw_export = True  # granted by an administrator
    reporter.save()
    client.force_login(reporter)
    department = office.departments.first()
    today, start = PREVIOUS_END, PREVIOUS_START

    response = client.get(
        _url(office, f"pobierz/{fmt}/?{_period_query()}&wydzial={department.pk}&kanal=online")
    )
    assert response.status_code == 200
    if fmt != "xlsx":
        b"".join(response.streaming_content)

    entry = AuditEntry.objects.get(action="responses.export")
    assert (entry.office, entry.actor, entry.action) == (office, reporter, "responses.export")
    assert shown in entry.after["format"]
    assert entry.after["period"] == f"{start:%d.%m.%Y} – {today:%d.%m.%Y}"
    assert entry.after["department_id"] == department.pk
    assert entry.after["channel"].startswith("internet")

    admin = _user(office, Role.OFFICE_ADMIN, "admin-dziennik")
    client.force_login(admin)
    log = client.get(f"/{office.slug}/admin/dziennik/").content.decode()
    assert "pobranie odpowiedzi mieszkańców (plik)" in log
    assert department.name in log
    assert "raporty-tu" in log


@pytest.mark.django_db
def test_figures_only_and_refused_downloads_are_not_logged_as_answer_downloads(
    admin_client, office
):
    from ocenurzad.audit.models import AuditEntry

    _responses(office)
    assert admin_client.get(_url(office, f"pobierz/json/?{_period_query()}")).status_code == 200
    assert admin_client.get(_url(office, f"podglad/?{_period_query()}")).status_code == 200
    bad = admin_client.get(_url(office, "pobierz/csv/?okres=zakres&od=2025-05-01&do=2025-04-01"))
    assert bad.status_code == 400

    assert not AuditEntry.objects.filter(action="responses.export").exists()


@pytest.mark.django_db
def test_a_download_is_logged_in_the_office_whose_panel_was_used(client, office, other_office):
    from ocenurzad.audit.models import AuditEntry

    operator = _user(office, Role.OPERATOR, "operator-pobiera")
    client.force_login(operator)
    assert client.get(_url(other_office, f"pobierz/json/?{_period_query()}")).status_code == 200
    assert client.get(_url(other_office, f"pobierz/csv/?{_period_query()}")).status_code == 403

    logged = list(AuditEntry.objects.values_list("office__slug", "action"))
    assert logged == [(other_office.slug, "report.download")]


@pytest.mark.django_db
@pytest.mark.parametrize(("limit", "listed"), [(6, True), (5, False)])
def test_an_xlsx_of_too_many_answers_points_to_the_csv_instead_of_listing_them(
    admin_client, office, settings, limit, listed
):
    import io

    import openpyxl

    settings.XLSX_RAW_MAX_ROWS = limit
    _responses(office, count=6)

    response = admin_client.get(_url(office, f"pobierz/xlsx/?{_period_query()}"))

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    raw = list(book["Dane surowe"].iter_rows(values_only=True))
    if listed:
        assert len(raw) == 1 + 6  # the header and every response
    else:
        assert len(raw) == 1
        assert "jest 6 ankiet" in raw[0][0] and "CSV dla Excela" in raw[0][0]
    # The other sheets cover every response either way.
    summary = list(book["Podsumowanie"].iter_rows(values_only=True))
    assert any(row[:2] == ("Ankiety: wszystkie", 6) for row in summary)
