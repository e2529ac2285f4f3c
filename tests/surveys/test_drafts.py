"""Drafts: one per survey, optimistic locking, the editor's small operations."""

import copy

import pytest
from django.db import IntegrityError, transaction

from ocenurzad.audit.models import AuditEntry
from ocenurzad.surveys import services
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.services import (
    DefinitionInvalid,
    DraftConflict,
    DraftExists,
    survey_draft_discard,
    survey_draft_get_or_create,
    survey_draft_save,
)

pytestmark = pytest.mark.django_db


def keys(version) -> list[str]:
    return [q["key"] for s in version.definition["sections"] for q in s["questions"]]


def test_a_new_draft_is_a_copy_of_the_current_version(office, admin):
    current = office.survey.current_version

    draft = survey_draft_get_or_create(office=office, actor=admin)

    assert draft.status == SurveyVersion.Status.DRAFT
    assert draft.definition == current.definition
    assert draft.based_on == current
    assert draft.created_by == admin
    assert draft.revision == 1
    assert draft.number == 2
    entry = AuditEntry.objects.get(action="survey.draft_create", target_id=str(draft.pk))
    # "Czego dotyczy" in the audit log reads as words, not "ksiazki v2".
    assert entry.target_label == "szkic wersji 2"
    assert str(current) == f"wersja {current.number}"


def test_there_is_one_draft_per_survey(office, admin, other_admin, draft):
    again = survey_draft_get_or_create(office=office, actor=other_admin)
    from_same_base = survey_draft_get_or_create(
        office=office, actor=other_admin, base_version=office.survey.current_version
    )

    assert again.pk == from_same_base.pk == draft.pk
    assert SurveyVersion.objects.filter(office=office, status="draft").count() == 1


def test_the_database_allows_one_draft_per_survey(office, draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyVersion.objects.create(
            office=office, survey=office.survey, number=9, definition=draft.definition
        )


def test_an_existing_draft_is_returned_unchanged(office, admin, draft):
    saved = services.survey_draft_question_remove(
        office=office, actor=admin, draft=draft, revision=1, key="metryka_plec"
    )

    again = survey_draft_get_or_create(office=office, actor=admin)

    assert again.revision == saved.revision == 2
    assert "metryka_plec" not in keys(again)


def test_a_draft_from_another_base_version_asks_first(office, admin, draft, quick_archive):
    version_2 = services.survey_version_publish(office=office, actor=admin, draft=draft)
    survey_draft_get_or_create(office=office, actor=admin)  # based on version 2
    version_1 = SurveyVersion.objects.get(office=office, number=1)

    with pytest.raises(DraftExists) as refused:
        survey_draft_get_or_create(office=office, actor=admin, base_version=version_1)

    assert refused.value.draft.based_on_id == version_2.pk
    assert "zaczęty od wersji 2" in refused.value.message


def test_a_new_draft_can_start_from_an_old_version(office, admin, draft, quick_archive):
    old = office.survey.current_version
    draft = services.survey_draft_question_remove(
        office=office, actor=admin, draft=draft, revision=1, key="metryka_plec"
    )
    services.survey_version_publish(office=office, actor=admin, draft=draft)

    restored = survey_draft_get_or_create(office=office, actor=admin, base_version=old)

    assert restored.based_on == old
    assert restored.definition == old.definition
    assert restored.number == 3


def test_a_base_version_of_another_office_is_not_found(office, other_office, admin):
    foreign = other_office.survey.current_version

    with pytest.raises(SurveyVersion.DoesNotExist):
        survey_draft_get_or_create(office=office, actor=admin, base_version=foreign)

    assert not SurveyVersion.objects.filter(status="draft").exists()


def test_discarding_a_draft_deletes_it_and_the_next_starts_afresh(office, admin, draft):
    survey_draft_discard(office=office, actor=admin, draft=draft)

    assert not SurveyVersion.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="survey.draft_discard").exists()
    fresh = survey_draft_get_or_create(office=office, actor=admin)
    assert fresh.number == 2 and fresh.revision == 1


def test_a_save_with_a_stale_revision_is_refused_and_the_first_save_kept(
    office, admin, other_admin, draft
):
    # Both administrators opened the draft at revision 1
    first = copy.deepcopy(draft.definition)
    first["title"]["pl"] = "Ankieta Anny"
    second = copy.deepcopy(draft.definition)
    second["title"]["pl"] = "Ankieta Jana"
    survey_draft_save(office=office, actor=admin, draft=draft, definition=first, revision=1)

    with pytest.raises(DraftConflict) as refused:
        survey_draft_save(
            office=office, actor=other_admin, draft=draft, definition=second, revision=1
        )

    draft.refresh_from_db()
    assert draft.definition["title"]["pl"] == "Ankieta Anny"
    assert draft.revision == 2
    assert refused.value.current_revision == 2
    assert "Ktoś inny zmienił ten szkic" in refused.value.message
    assert AuditEntry.objects.filter(action="survey.draft_save").count() == 1


def test_small_operations_check_the_revision_too(office, admin, draft):
    services.survey_draft_question_remove(
        office=office, actor=admin, draft=draft, revision=1, key="metryka_plec"
    )

    with pytest.raises(DraftConflict):
        services.survey_draft_question_remove(
            office=office, actor=admin, draft=draft, revision=1, key="metryka_wiek"
        )

    draft.refresh_from_db()
    assert "metryka_wiek" in keys(draft)


def test_an_invalid_definition_is_refused_with_its_errors(office, admin, draft):
    broken = copy.deepcopy(draft.definition)
    broken["sections"][0]["questions"][1]["options"] = []

    with pytest.raises(DefinitionInvalid) as refused:
        survey_draft_save(office=office, actor=admin, draft=draft, definition=broken, revision=1)

    assert [e.path for e in refused.value.errors] == ["sections[0].questions[1].options"]
    assert "Pytanie „Główny cel wizyty”" in refused.value.errors[0].message
    draft.refresh_from_db()
    assert draft.revision == 1 and len(draft.definition["sections"][0]["questions"][1]["options"])


def test_saving_the_same_definition_changes_nothing(office, admin, draft):
    again = survey_draft_save(
        office=office, actor=admin, draft=draft, definition=draft.definition, revision=1
    )

    assert again.revision == 1
    assert not AuditEntry.objects.filter(action="survey.draft_save").exists()


def test_a_key_keeps_its_kind_across_versions(office, admin, draft):
    changed = copy.deepcopy(draft.definition)
    question = changed["sections"][1]["questions"][0]  # wizerunek_lokalizacja, a rating
    question.update(kind="yesno")
    question.pop("na")

    with pytest.raises(DefinitionInvalid) as refused:
        survey_draft_save(office=office, actor=admin, draft=draft, definition=changed, revision=1)

    (error,) = refused.value.errors
    assert error.path == "sections[1].questions[0].kind"
    assert "w wersji 1 ten klucz miało pytanie rodzaju „ocena w skali 1–5”" in error.message


# The editor's operations


def edit(op, draft, **arguments):
    draft.refresh_from_db()
    return getattr(services, f"survey_draft_{op}")(
        office=draft.office, actor=None, draft=draft, revision=draft.revision, **arguments
    )


def test_sections_are_added_updated_moved_and_removed(draft):
    edit("section_add", draft, key="dostepnosc", kind="area", title_pl="Dostępność", position=1)
    edit(
        "question_add", draft, section_key="dostepnosc", kind="rating", key="winda", text_pl="Winda"
    )
    edit(
        "section_update",
        draft,
        key="dostepnosc",
        fields={
            "title": {"pl": "Dostępność budynku", "en": "Accessibility"},
            "help": {"pl": "Dla osób z niepełnosprawnościami"},
        },
    )
    edit("section_move", draft, key="dostepnosc", direction="up")
    version = edit("section_move", draft, key="dostepnosc", direction="up")  # already first

    first = version.definition["sections"][0]
    assert first["key"] == "dostepnosc"
    assert first["title"] == {"pl": "Dostępność budynku", "en": "Accessibility"}
    assert first["help"] == {"pl": "Dla osób z niepełnosprawnościami"}
    assert version.revision == 5  # the move that changed nothing kept the revision

    version = edit("section_remove", draft, key="dostepnosc")
    assert "winda" not in keys(version)
    entry = AuditEntry.objects.filter(action="survey.draft_section_remove").get()
    assert entry.after["removed"] == ["winda"]


def test_questions_move_across_sections_at_the_ends(draft):
    version = edit("question_move", draft, key="wydzial", direction="up")
    assert version.revision == 1  # the first question of the survey stays

    version = edit("question_move", draft, key="cel_wizyty", direction="down")
    sections = version.definition["sections"]
    assert [q["key"] for q in sections[0]["questions"]] == ["wydzial"]
    assert sections[1]["questions"][0]["key"] == "cel_wizyty"

    version = edit("question_move", draft, key="cel_wizyty", direction="up")
    assert [q["key"] for q in version.definition["sections"][0]["questions"]] == [
        "wydzial",
        "cel_wizyty",
    ]


def test_question_texts_change_under_the_same_key(draft):
    version = edit(
        "question_update",
        draft,
        key="wizerunek_parking",
        fields={"text": {"pl": "Parking przed urzędem"}, "required": True, "na": False},
    )

    question = version.definition["sections"][1]["questions"][2]
    assert question["key"] == "wizerunek_parking"
    assert question["text"] == {"pl": "Parking przed urzędem"}  # the English text was cleared
    assert question["required"] is True and question["na"] is False


def test_a_removed_key_can_be_added_again(draft):
    edit("question_remove", draft, key="co_poprawic")
    version = edit(
        "question_add",
        draft,
        section_key="podsumowanie",
        kind="text",
        key="co_poprawic",
        text_pl="Co zmienić?",
    )

    question = version.definition["sections"][6]["questions"][-1]
    assert question == {
        "key": "co_poprawic",
        "kind": "text",
        "text": {"pl": "Co zmienić?"},
        "required": False,
        "max_length": 2000,
    }


def test_a_new_choice_question_starts_with_two_options_to_rename(draft):
    version = edit(
        "question_add",
        draft,
        section_key="wizyta",
        kind="multi",
        key="kanaly",
        text_pl="Skąd wiesz o ankiecie?",
    )

    question = version.definition["sections"][0]["questions"][-1]
    assert [o["value"] for o in question["options"]] == ["odpowiedz_1", "odpowiedz_2"]


def test_a_duplicate_key_is_refused_naming_the_question(draft):
    with pytest.raises(DefinitionInvalid) as refused:
        edit(
            "question_add",
            draft,
            section_key="wizyta",
            kind="yesno",
            key="metryka_plec",
            text_pl="Czy pierwszy raz?",
        )

    (error,) = refused.value.errors
    assert error.message.startswith("Klucz „metryka_plec” ma już pytanie „Płeć”")
    assert error.path == "sections[7].questions[2].key"


def test_options_are_added_relabelled_moved_and_removed(draft):
    edit(
        "option_add",
        draft,
        key="sprawa_zalatwiona",
        value="w_toku",
        label={"pl": "w toku", "en": "in progress"},
    )
    edit(
        "option_update", draft, key="sprawa_zalatwiona", value="tak", label={"pl": "tak, w całości"}
    )
    edit("option_move", draft, key="sprawa_zalatwiona", value="w_toku", direction="up")
    version = edit("option_remove", draft, key="sprawa_zalatwiona", value="nie")

    options = version.definition["sections"][6]["questions"][1]["options"]
    assert [o["value"] for o in options] == ["tak", "czesciowo", "w_toku"]
    assert options[0]["label"] == {"pl": "tak, w całości"}


def test_the_last_two_options_stay(draft):
    edit("option_remove", draft, key="metryka_rodzaj_klienta", value="instytucja")
    with pytest.raises(DefinitionInvalid) as refused:
        edit("option_remove", draft, key="metryka_rodzaj_klienta", value="przedsiebiorca")

    assert "co najmniej 2 odpowiedzi" in refused.value.errors[0].message


def test_an_option_that_is_not_there_is_named(draft):
    with pytest.raises(DefinitionInvalid) as refused:
        edit("option_update", draft, key="metryka_plec", value="inna", label={"pl": "inna"})

    assert "nie ma odpowiedzi o wartości „inna”" in refused.value.errors[0].message


def test_scale_labels_change_and_the_scale_stays_five_points(draft):
    version = edit("scale_labels_update", draft, labels={"1": {"pl": "źle"}, "na": {}})

    assert version.definition["scale"]["1"] == {"pl": "źle"}
    assert "na" not in version.definition["scale"]
    with pytest.raises(DefinitionInvalid):
        edit("scale_labels_update", draft, labels={"6": {"pl": "celująco"}})
    with pytest.raises(DefinitionInvalid):
        edit("scale_labels_update", draft, labels={"3": {"en": "fair"}})


def test_a_translation_is_set_at_its_path(office, draft):
    edit(
        "question_add",
        draft,
        section_key="wizyta",
        kind="yesno",
        key="pierwszy_raz",
        text_pl="Czy jest Pan/Pani pierwszy raz?",
    )
    from ocenurzad.surveys.validation import missing_translations

    draft.refresh_from_db()
    (path,) = missing_translations(draft.definition, languages=["pl", "en"])["en"]
    assert path == "sections[0].questions[2].text"

    version = edit("translation_update", draft, path=path, lang="en", text="First visit?")

    assert version.definition["sections"][0]["questions"][2]["text"]["en"] == "First visit?"
    assert missing_translations(version.definition, languages=["pl", "en"]) == {"en": []}
    with pytest.raises(DefinitionInvalid):
        edit("translation_update", draft, path="sections[0].key", lang="en", text="x")
    with pytest.raises(DefinitionInvalid):
        edit("translation_update", draft, path="sections[40].title", lang="en", text="x")
