"""``manage.py survey export|import``: the JSON exchange file of docs/pl/format-ankiety.md."""

import copy
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import Office
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.surveys.exchange import survey_document_parse, survey_export, survey_import
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.selectors import survey_draft, survey_version_current
from ocenurzad.surveys.services import (
    survey_draft_get_or_create,
    survey_draft_question_update,
    survey_version_publish,
)
from ocenurzad.surveys.validation import definition_errors

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("survey", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, document) -> str:
    path = tmp_path / "ankieta.json"
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def exported(office) -> dict:
    return json.loads(json.dumps(survey_export(office=office)))


def test_export_writes_the_current_version_as_readable_json(office, tmp_path):
    path = tmp_path / "eksport.json"

    run("export", office.slug, "-o", str(path))

    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["format"] == "ocenurzad-ankieta"
    assert document["version"] == 1
    assert document["exported_from"]["office"] == "swinoujscie"
    assert document["exported_from"]["code"] == "SWINOUJSCIE-V1"
    assert document["definition"] == office.survey.current_version.definition
    assert "Czystość pomieszczeń Urzędu" in text  # Polish letters as they are, not \u escapes
    assert '\n  "definition": {' in text


def test_round_trip_into_another_office_gives_the_same_survey(
    office, other_office, admin, tmp_path
):
    # Given a changed survey in one office
    draft = survey_draft_get_or_create(office=office, actor=admin)
    draft = survey_draft_question_update(
        office=office,
        actor=admin,
        draft=draft,
        revision=1,
        key="wizerunek_parking",
        fields={"text": {"pl": "Parking dla klientów", "en": "Parking"}},
    )
    source = survey_version_publish(office=office, actor=admin, draft=draft)
    path = tmp_path / "ankieta.json"
    run("export", office.slug, "-o", str(path))

    # When it is imported into another office and published
    out = run("import", other_office.slug, str(path), "--publish")

    # Then the other office answers the same survey, after its own report was archived
    current = survey_version_current(office=other_office)
    assert current.definition == source.definition
    assert current.number == 2
    assert "Opublikowano wersję 2 (KSIAZKI-V2)" in out
    assert ArchivedReport.objects.filter(
        office=other_office, reason="before_survey_change"
    ).exists()
    assert AuditEntry.objects.filter(office=other_office, action="survey.import").exists()
    assert survey_draft(office=other_office) is None


def test_import_without_publish_makes_a_draft(office, other_office, tmp_path):
    out = run("import", other_office.slug, write(tmp_path, exported(office)))

    draft = survey_draft(office=other_office)
    assert draft.definition == office.survey.current_version.definition
    assert other_office.survey.current_version.number == 1
    assert "Zapisano szkic wersji 2" in out


def test_import_refuses_when_a_draft_exists_unless_told_to_replace_it(
    office, other_office, tmp_path
):
    existing = survey_draft_get_or_create(office=other_office, actor=None)
    path = write(tmp_path, exported(office))

    with pytest.raises(CommandError) as refused:
        run("import", other_office.slug, path)
    assert "Urząd ma już szkic ankiety (wersja 2)" in str(refused.value)
    assert "--replace-draft" in str(refused.value)

    run("import", other_office.slug, path, "--replace-draft")
    assert not SurveyVersion.objects.filter(pk=existing.pk).exists()
    assert survey_draft(office=other_office).definition == office.survey.current_version.definition


def test_import_errors_are_listed_with_their_place_and_nothing_changes(office, tmp_path):
    document = exported(office)
    definition = document["definition"]
    definition["sections"][0]["questions"][1]["options"] = definition["sections"][0]["questions"][
        1
    ]["options"][:1]
    definition["sections"][1]["questions"][1]["key"] = "wizerunek_lokalizacja"
    definition["scale"].pop("4")

    with pytest.raises(CommandError) as refused:
        run("import", office.slug, write(tmp_path, document))

    message = str(refused.value)
    assert "nie został zaimportowany" in message
    assert (
        "  - definition.sections[0].questions[1].options: Pytanie „Główny cel wizyty”: pytanie "
        "wyboru musi mieć co najmniej 2 odpowiedzi do wyboru." in message
    )
    assert "  - definition.sections[1].questions[1].key: Pytanie „Oznakowanie Urzędu”" in message
    assert "  - definition.scale.4: Skala ocen, punkt 4" in message
    assert "Urząd nie został zmieniony." in message
    assert survey_draft(office=office) is None
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{nie json", "Plik nie jest poprawnym plikiem JSON (wiersz 1, kolumna 2)"),
        ('{"format": "inny", "definition": {}}', "To nie jest plik ankiety Oceń Urząd"),
        (
            '{"format": "ocenurzad-ankieta", "version": 2, "definition": {}}',
            "version: Nieznana wersja pliku ankiety: 2",
        ),
        ('{"format": "ocenurzad-ankieta", "version": 1}', "definition: Plik nie zawiera definicji"),
    ],
)
def test_a_file_that_is_not_a_survey_is_named_so(office, tmp_path, content, expected):
    with pytest.raises(CommandError) as refused:
        run("import", office.slug, write(tmp_path, content))

    assert expected in str(refused.value)
    assert survey_draft(office=office) is None


def test_department_questions_ask_about_the_importing_office_s_departments(office, tmp_path):
    bare = Office.objects.create(slug="nowy", name="Urząd Nowy", languages=["en", "uk"])
    document = exported(office)
    assert "Wydział Komunikacji" not in json.dumps(document, ensure_ascii=False)
    del document["definition"]["title"]["uk"]

    out = run("import", bare.slug, write(tmp_path, document))

    draft = survey_draft(office=bare)
    assert draft.definition == document["definition"]
    assert "Uwaga: Ankieta pyta o wydział, a urząd nie ma żadnego aktywnego wydziału" in out
    assert "Uwaga: Brak tłumaczenia na język „uk”" in out
    # what the gap means: the language is not offered at all, not Polish here and there
    assert "nie jest oferowana mieszkańcom w tym języku (zobaczą ją po polsku)" in out
    assert "pokazany będzie tekst polski" not in out


def test_an_older_version_can_be_exported(office, admin, quick_archive, tmp_path):
    v1_definition = copy.deepcopy(office.survey.current_version.definition)
    draft = survey_draft_get_or_create(office=office, actor=admin)
    draft = survey_draft_question_update(
        office=office,
        actor=admin,
        draft=draft,
        revision=1,
        key="metryka_plec",
        fields={"text": {"pl": "Płeć (nieobowiązkowe)"}},
    )
    survey_version_publish(office=office, actor=admin, draft=draft)

    document = json.loads(run("export", office.slug, "--version", "1"))

    assert document["exported_from"]["version"] == 1
    assert document["definition"] == v1_definition
    with pytest.raises(CommandError, match="nie ma opublikowanej wersji ankiety nr 9"):
        run("export", office.slug, "--version", "9")
    with pytest.raises(CommandError, match="Nie ma urzędu o identyfikatorze „brak”"):
        run("export", "brak")


def test_the_example_in_the_manual_imports_and_publishes(other_office, quick_archive, settings):
    manual = (Path(settings.DOCS_DIR) / "format-ankiety.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", manual, flags=re.DOTALL)
    example = next(b for b in blocks if '"definition": {\n' in b)

    definition = survey_document_parse(example)
    assert definition_errors(definition, languages=["pl"], for_publish=True) == []
    result = survey_import(office=other_office, actor=None, definition=definition, publish=True)

    assert result.version.definition["sections"][1]["key"] == "kompetencje"
    assert any("„en”" in warning for warning in result.warnings)
