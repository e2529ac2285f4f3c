"""A published version never changes, and an office's draft is only its own."""

import copy

import pytest
from django.db import IntegrityError, transaction

from ocenurzad.audit.models import AuditEntry
from ocenurzad.surveys import services
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.services import NotADraft

pytestmark = pytest.mark.django_db

LABEL = {"pl": "inna"}

# Every service that writes a version, with arguments that would succeed on a draft.
WRITERS = [
    ("survey_draft_save", {"revision": 1, "definition": None}),
    ("survey_draft_discard", {}),
    ("survey_version_publish", {}),
    (
        "survey_draft_section_add",
        {"revision": 1, "key": "nowa", "kind": "area", "title_pl": "Nowa"},
    ),
    (
        "survey_draft_section_update",
        {"revision": 1, "key": "wizyta", "fields": {"title": {"pl": "Wizyta"}}},
    ),
    ("survey_draft_section_move", {"revision": 1, "key": "metryka", "direction": "up"}),
    ("survey_draft_section_remove", {"revision": 1, "key": "metryka"}),
    (
        "survey_draft_question_add",
        {
            "revision": 1,
            "section_key": "wizyta",
            "kind": "yesno",
            "key": "pierwszy_raz",
            "text_pl": "Pierwszy raz?",
        },
    ),
    (
        "survey_draft_question_update",
        {"revision": 1, "key": "metryka_plec", "fields": {"required": True}},
    ),
    ("survey_draft_question_move", {"revision": 1, "key": "metryka_plec", "direction": "up"}),
    ("survey_draft_question_remove", {"revision": 1, "key": "metryka_plec"}),
    (
        "survey_draft_option_add",
        {"revision": 1, "key": "metryka_plec", "value": "inna", "label": LABEL},
    ),
    (
        "survey_draft_option_update",
        {"revision": 1, "key": "metryka_plec", "value": "kobieta", "label": LABEL},
    ),
    (
        "survey_draft_option_move",
        {"revision": 1, "key": "metryka_plec", "value": "mezczyzna", "direction": "up"},
    ),
    ("survey_draft_option_remove", {"revision": 1, "key": "metryka_plec", "value": "nie_podaje"}),
    ("survey_draft_scale_labels_update", {"revision": 1, "labels": {"1": {"pl": "źle"}}}),
    (
        "survey_draft_translation_update",
        {"revision": 1, "path": "title", "lang": "en", "text": "Survey"},
    ),
]


def call(name: str, arguments: dict, *, office, actor, version):
    arguments = dict(arguments)
    if "definition" in arguments:
        changed = copy.deepcopy(version.definition)
        changed["title"]["pl"] = "Zmieniona ankieta"
        arguments["definition"] = changed
    return getattr(services, name)(office=office, actor=actor, draft=version, **arguments)


def snapshot(version) -> tuple:
    row = SurveyVersion.objects.get(pk=version.pk)
    return row.status, row.number, row.revision, row.definition, row.published_at


@pytest.mark.parametrize(("name", "arguments"), WRITERS, ids=[w[0] for w in WRITERS])
def test_every_writer_refuses_a_published_version(office, admin, quick_archive, name, arguments):
    published = office.survey.current_version
    before = snapshot(published)
    # even when the object in hand claims to be a draft
    published.status = SurveyVersion.Status.DRAFT

    with pytest.raises(NotADraft) as refused:
        call(name, arguments, office=office, actor=admin, version=published)

    assert "Wersja 1 jest opublikowana i nie można jej zmienić" in refused.value.message
    assert snapshot(published) == before
    assert not AuditEntry.objects.exists()
    assert quick_archive == []


@pytest.mark.parametrize(("name", "arguments"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_draft_can_never_be_touched_through_another_office(
    office, other_office, admin, quick_archive, name, arguments
):
    draft = services.survey_draft_get_or_create(office=office, actor=admin)
    before = snapshot(draft)

    with pytest.raises(NotADraft) as refused:
        call(name, arguments, office=other_office, actor=admin, version=draft)

    assert refused.value.message == "Nie ma takiego szkicu ankiety."
    assert snapshot(draft) == before
    assert not AuditEntry.objects.exclude(action="survey.draft_create").exists()
    assert not SurveyVersion.objects.filter(office=other_office, status="draft").exists()
    assert other_office.survey.current_version.number == 1


@pytest.mark.parametrize(("name", "arguments"), WRITERS, ids=[w[0] for w in WRITERS])
def test_every_writer_works_on_a_draft(office, admin, quick_archive, name, arguments):
    """The arguments above are right: on a draft each of them goes through."""
    draft = services.survey_draft_get_or_create(office=office, actor=admin)

    call(name, arguments, office=office, actor=admin, version=draft)

    assert AuditEntry.objects.exclude(action="survey.draft_create").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"definition": {"format": 1, "sections": []}},
        {"status": "draft"},
        {"number": 7},
    ],
)
def test_the_database_refuses_to_change_a_published_version(office, change):
    published = office.survey.current_version
    before = snapshot(published)

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyVersion.objects.filter(pk=published.pk).update(**change)

    assert snapshot(published) == before


def test_the_database_lets_the_publisher_account_go(office, admin, quick_archive):
    draft = services.survey_draft_get_or_create(office=office, actor=admin)
    published = services.survey_version_publish(office=office, actor=admin, draft=draft)
    before = snapshot(published)

    admin.delete()

    published.refresh_from_db()
    assert published.published_by is None
    assert snapshot(published) == before


def test_the_database_lets_a_draft_change(office, admin):
    draft = services.survey_draft_get_or_create(office=office, actor=admin)

    SurveyVersion.objects.filter(pk=draft.pk).update(revision=5, definition={"format": 1})

    draft.refresh_from_db()
    assert draft.revision == 5
