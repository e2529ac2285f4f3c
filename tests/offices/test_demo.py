"""`manage.py demo`: two demo offices whose answers the real survey code would accept."""

import re
import statistics
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from ocenurzad.offices.models import Department, Office
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.answers import parse_answers
from ocenurzad.surveys.definition import field_name, iter_questions
from ocenurzad.surveys.languages import languages_offered
from ocenurzad.surveys.models import SurveyVersion

SLUGS = ("swinoujscie", "ksiazki")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_demo(django_capture_on_commit_callbacks, monkeypatch):
    """Run the command as `make run` does; the logo is written when its transaction commits."""
    monkeypatch.delenv("PORT", raising=False)

    def run(**options) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo", stdout=out, **options)
        return out.getvalue()

    return run


def _check_value(question: dict, value) -> None:
    kind = question["kind"]
    if kind == "rating":
        assert (type(value) is int and 1 <= value <= 5) or (value == "na" and question.get("na")), (
            question["key"],
            value,
        )
    elif kind == "single":
        assert value in {o["value"] for o in question["options"]}, (question["key"], value)
    elif kind == "multi":
        assert set(value) <= {o["value"] for o in question["options"]}, (question["key"], value)
    elif kind == "yesno":
        assert value in ("tak", "nie"), (question["key"], value)
    elif kind == "text":
        assert isinstance(value, str), (question["key"], value)
        assert value.strip() == value, value
        assert 0 < len(value) <= question.get("max_length", 2000), value
    else:  # the department is stored in its own column, never in the answers
        raise AssertionError(f"{question['key']}: a {kind} question in the answers")


@pytest.mark.django_db
def test_demo_creates_both_offices_with_departments_survey_and_responses(run_demo):
    # When
    run_demo(responses=200)

    # Then
    swinoujscie = Office.objects.get(slug="swinoujscie")
    ksiazki = Office.objects.get(slug="ksiazki")
    assert swinoujscie.name == "Urząd Miasta Świnoujście"
    assert swinoujscie.office_type == "miasto"
    assert swinoujscie.address_line == "ul. Wojska Polskiego 1/5, 72-600 Świnoujście"
    assert swinoujscie.controller.startswith("Prezydent Miasta Świnoujście")
    assert swinoujscie.enabled_languages == ["pl", "en", "uk", "de"]
    assert ksiazki.name == "Urząd Gminy Książki"
    assert ksiazki.office_type == "gmina"
    assert ksiazki.address_line == "ul. Glinki 1, 87-222 Książki"
    assert ksiazki.controller.startswith("Wójt Gminy Książki")
    assert ksiazki.enabled_languages == ["pl", "en", "uk"]
    # The demo offices offer every language they switch on: all of it is translated
    for office in (swinoujscie, ksiazki):
        assert languages_offered(office=office) == office.enabled_languages
    town_departments = set(swinoujscie.departments.values_list("name", flat=True))
    assert {"Wydział Komunikacji", "Urząd Stanu Cywilnego"} <= town_departments
    assert len(town_departments) >= 10
    assert 5 <= ksiazki.departments.count() <= 8
    for office in (swinoujscie, ksiazki):
        version = office.survey.current_version
        assert version.status == SurveyVersion.Status.PUBLISHED
        assert version.office_id == office.pk
        assert Response.objects.filter(office=office).count() == 200
        assert not Response.objects.filter(office=office).exclude(version=version).exists()


@pytest.mark.django_db
def test_demo_answers_validate_against_the_survey_definition(run_demo):
    # Given
    run_demo(responses=200)

    # Then every answer is a key of the definition with a value allowed for its kind
    for response in Response.objects.select_related("version"):
        questions = {q["key"]: q for _s, q in iter_questions(response.version.definition)}
        assert response.answers, "an empty response"
        assert "ocena_ogolna" in response.answers  # the required question
        for key, value in response.answers.items():
            assert key in questions, key
            _check_value(questions[key], value)


@pytest.mark.django_db
def test_demo_answers_are_what_the_survey_form_itself_would_store(run_demo):
    # Given
    run_demo(responses=200)

    # Then sending each response through the resident form's parser gives it back unchanged
    for response in Response.objects.select_related("version", "office"):
        definition = response.version.definition
        data = QueryDict(mutable=True)
        for _s, question in iter_questions(definition):
            if question["kind"] == "department":
                data[field_name(question)] = str(response.department_id)
            elif question["key"] in response.answers:
                data[field_name(question)] = str(response.answers[question["key"]])
        office_departments = set(
            Department.objects.filter(office=response.office).values_list("pk", flat=True)
        )
        parsed = parse_answers(
            definition=definition, data=data, department_ids=office_departments, language="pl"
        )
        assert parsed.is_valid, parsed.errors
        assert parsed.answers == response.answers
        assert parsed.department_id == response.department_id


@pytest.mark.django_db
def test_demo_has_both_channels_with_their_sources_and_languages(run_demo):
    # When
    run_demo(responses=200)

    # Then
    for slug in SLUGS:
        responses = Response.objects.filter(office__slug=slug)
        assert set(responses.values_list("channel", flat=True)) == {
            Channel.ONLINE,
            Channel.PAPER,
        }
        paper = responses.filter(channel=Channel.PAPER)
        assert set(paper.values_list("language", "source").distinct()) == {("pl", "")}
        online = responses.filter(channel=Channel.ONLINE)
        assert set(online.values_list("source", flat=True)) <= {"baner", "qr", "strona"}
        office = Office.objects.get(slug=slug)
        assert set(online.values_list("language", flat=True)) <= set(office.enabled_languages)
        assert not responses.filter(entered_by__isnull=False).exists()
        assert not responses.filter(sheet_number__isnull=False).exists()
    # Paper is most of the data, more so in the small gmina (as in the field).
    assert Response.objects.filter(office__slug="ksiazki", channel=Channel.PAPER).count() > 150


@pytest.mark.django_db
def test_demo_dates_are_within_the_last_two_years_and_not_in_the_future(run_demo):
    # When
    run_demo(responses=200)

    # Then
    now = timezone.now()
    submitted = list(Response.objects.values_list("submitted_at", flat=True))
    assert min(submitted) >= now - timedelta(days=731)
    assert max(submitted) <= now
    assert max(submitted) - min(submitted) > timedelta(days=600)  # spread, not bunched
    assert all(moment.tzinfo is not None for moment in submitted)
    paper_days = {
        timezone.localtime(moment).weekday()
        for moment in Response.objects.filter(channel=Channel.PAPER).values_list(
            "submitted_at", flat=True
        )
    }
    assert paper_days <= {0, 1, 2, 3, 4}  # paper forms are filled in at the office


@pytest.mark.django_db
def test_demo_responses_name_only_departments_of_their_own_office(run_demo):
    # When
    run_demo(responses=200)

    # Then
    assert not Response.objects.filter(department__isnull=True).exists()
    assert not Response.objects.exclude(department__office=F("office")).exists()
    assert not Response.objects.exclude(version__office=F("office")).exists()


@pytest.mark.django_db
def test_demo_run_twice_changes_nothing(run_demo):
    # Given
    run_demo(responses=200)
    before = {
        model.__name__: model.objects.count()
        for model in (Office, Department, SurveyVersion, Response)
    }
    offices_before = list(Office.objects.order_by("pk").values())

    # When
    out = run_demo(responses=200)

    # Then
    after = {
        model.__name__: model.objects.count()
        for model in (Office, Department, SurveyVersion, Response)
    }
    assert after == before
    assert list(Office.objects.order_by("pk").values()) == offices_before
    assert "bez zmian" in out


@pytest.mark.django_db
def test_demo_prints_the_addresses_to_open(run_demo, monkeypatch):
    # When
    out = run_demo(responses=10)

    # Then
    for slug in SLUGS:
        assert f"http://127.0.0.1:8000/{slug}/" in out
        assert f"http://{slug}.localhost:8000/" in out
        assert f"http://127.0.0.1:8000/{slug}/admin/" in out

    # And another port is taken from PORT
    monkeypatch.setenv("PORT", "8123")
    out = run_demo(responses=10)
    assert "http://swinoujscie.localhost:8123/" in out
    assert ":8000" not in out


@pytest.mark.django_db
def test_demo_logo_is_a_static_svg(run_demo, client):
    # When
    run_demo(responses=0)

    # Then
    for slug in SLUGS:
        office = Office.objects.get(slug=slug)
        assert office.logo.name.endswith(".svg")
        with office.logo.open("rb") as handle:
            svg = handle.read().decode()
        assert "<svg" in svg
        assert office.name in svg  # its accessible name
        assert not re.search(r"<script|\son\w+\s*=|javascript:|<foreignObject|href", svg, re.I)
        response = client.get(f"/{slug}/logo")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"


@pytest.mark.django_db
def test_demo_answers_are_the_same_on_every_run(run_demo):
    # Given a first set of answers
    run_demo(responses=100)
    first = list(
        Response.objects.order_by("office__slug", "submitted_at", "pk").values_list(
            "office__slug", "channel", "department__name", "answers"
        )
    )

    # When the responses are removed and the demo runs again
    Response.objects.all().delete()
    run_demo(responses=100)

    # Then it draws the same answers
    again = list(
        Response.objects.order_by("office__slug", "submitted_at", "pk").values_list(
            "office__slug", "channel", "department__name", "answers"
        )
    )
    assert again == first


@pytest.mark.django_db
def test_demo_tells_the_stories_a_report_should_show(run_demo):
    # Given
    run_demo(responses=1500)
    town = Response.objects.filter(office__slug="swinoujscie").select_related("department")

    def mean(responses, prefix):
        values = [
            value
            for r in responses
            for key, value in r.answers.items()
            if key.startswith(prefix) and isinstance(value, int)
        ]
        return statistics.fmean(values)

    # Then Wydział Komunikacji has the worst timeliness, USC the best courtesy
    vehicles = [r for r in town if r.department.name == "Wydział Komunikacji"]
    others = [r for r in town if r.department.name != "Wydział Komunikacji"]
    assert mean(vehicles, "terminowosc_") < mean(others, "terminowosc_") - 0.4
    registry = [r for r in town if r.department.name == "Urząd Stanu Cywilnego"]
    rest = [r for r in town if r.department.name != "Urząd Stanu Cywilnego"]
    assert mean(registry, "kompetencje_uprzejmosc") > mean(rest, "kompetencje_uprzejmosc")

    # And Świnoujście is better in its last half-year than in its first
    now = timezone.now()
    early = [r for r in town if r.submitted_at < now - timedelta(days=545)]
    late = [r for r in town if r.submitted_at > now - timedelta(days=183)]
    assert mean(late, "ocena_ogolna") > mean(early, "ocena_ogolna") + 0.1

    # And the overall rating goes with the items; some items are "nie dotyczy"
    item_means, overall = [], []
    for r in town:
        items = [v for k, v in r.answers.items() if k != "ocena_ogolna" and isinstance(v, int)]
        if items:
            item_means.append(statistics.fmean(items))
            overall.append(r.answers["ocena_ogolna"])
    assert statistics.correlation(item_means, overall) > 0.6
    assert sum(r.answers.get("wizerunek_parking") == "na" for r in town) > 100

    # And about 15% leave a comment, about 60% answer the metryka, some skip items
    def share(test):
        return sum(map(test, town)) / len(town)

    assert 0.1 < share(lambda r: "co_poprawic" in r.answers) < 0.2
    assert 0.5 < share(lambda r: "metryka_wiek" in r.answers) < 0.7
    assert share(lambda r: "rzetelnosc_starannosc" not in r.answers) > 0.05
