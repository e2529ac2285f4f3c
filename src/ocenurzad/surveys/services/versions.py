"""The life of survey versions: the default survey, the one draft, saving it (optimistic
locking), discarding it, publishing it (§ 5's report with it: workflows.visible_changes).

Every writer of ``SurveyVersion`` is here (and in ``edits.py``, built on ``draft_change``).
Each service is one transaction, records its audit entry inside it, and re-reads the
version under a row lock filtered by office and status, so a published version or another
office's draft is refused whatever object the caller passes.
"""

import copy
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Office

from ..default_definition import default_definition
from ..definition import iter_questions
from ..models import Survey, SurveyVersion
from ..validation import KIND_LABELS, DefinitionError, definition_errors
from .errors import DefinitionInvalid, DraftConflict, DraftExists, NotADraft

DRAFT = SurveyVersion.Status.DRAFT
PUBLISHED = SurveyVersion.Status.PUBLISHED


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def survey_create_default(*, office: Office) -> Survey:
    """Give the office its own copy of the default questionnaire, published as version 1.

    Idempotent: an office that already has a survey keeps it unchanged.
    """
    existing = Survey.objects.filter(office=office).first()
    if existing is not None:
        return existing
    survey = Survey.objects.create(office=office)
    version = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=1,
        status=PUBLISHED,
        definition=default_definition(),
        published_at=timezone.now(),
    )
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    return survey


# Drafts


def _survey_locked(*, office: Office) -> Survey:
    """The office's survey, locked: draft creation and publishing take turns on it."""
    survey = Survey.objects.select_for_update().filter(office=office).first()
    if survey is None:
        # An office made without one (office_create always makes one): start empty.
        Survey.objects.get_or_create(office=office)
        survey = Survey.objects.select_for_update().get(office=office)
    return survey


def draft_locked(*, office: Office, draft) -> SurveyVersion:
    """The draft re-read under a row lock; NotADraft for anything else."""
    pk = getattr(draft, "pk", draft)
    locked = (
        SurveyVersion.objects.select_for_update().filter(office=office, pk=pk).first()
        if pk is not None
        else None
    )
    if locked is None:
        raise NotADraft(_("Nie ma takiego szkicu ankiety."))
    if locked.status != DRAFT:
        raise NotADraft(
            _(
                "Wersja %(number)d jest opublikowana i nie można jej zmienić. Zmiany "
                "wprowadza się w szkicu nowej wersji."
            )
            % {"number": locked.number}
        )
    return locked


@transaction.atomic
def survey_draft_get_or_create(*, office: Office, actor, base_version=None) -> SurveyVersion:
    """The survey's one draft; a new one starts as a copy of ``base_version`` (default:
    the current version; the default questionnaire when the office has none).

    - An existing draft is returned unchanged when ``base_version`` is not given or is the
      version it was started from; another ``base_version`` raises ``DraftExists`` (so the
      panel can ask: continue the draft, or discard it with ``survey_draft_discard``).
    - ``base_version`` must be a published version of this office: otherwise
      ``SurveyVersion.DoesNotExist`` (the same for a missing and a foreign one).
    - Creating is audited (``survey.draft_create``); one draft per survey is also a
      database constraint.
    """
    survey = _survey_locked(office=office)
    if base_version is not None:
        base_version = SurveyVersion.objects.get(
            office=office, survey=survey, pk=getattr(base_version, "pk", None), status=PUBLISHED
        )
    draft = SurveyVersion.objects.filter(survey=survey, status=DRAFT).first()
    if draft is not None:
        if base_version is not None and base_version.pk != draft.based_on_id:
            raise DraftExists(draft)
        return draft
    if base_version is None and survey.current_version_id:
        base_version = SurveyVersion.objects.get(pk=survey.current_version_id)
    last = SurveyVersion.objects.filter(survey=survey).aggregate(last=Max("number"))["last"]
    draft = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=(last or 0) + 1,
        status=DRAFT,
        definition=copy.deepcopy(base_version.definition if base_version else default_definition()),
        based_on=base_version,
        created_by=_user(actor),
        revision=1,
    )
    audit_record(
        office=office,
        actor=actor,
        action="survey.draft_create",
        target=draft,
        after={"based_on": base_version.number if base_version else None},
    )
    return draft


@transaction.atomic
def survey_draft_discard(*, office: Office, actor, draft) -> None:
    """Delete the draft (and only a draft of this office: NotADraft otherwise). Audited."""
    # Survey first, then the draft: the same order as publishing, so the two never wait
    # for each other in a circle.
    _survey_locked(office=office)
    locked = draft_locked(office=office, draft=draft)
    before = {"number": locked.number, "revision": locked.revision}
    audit_record(
        office=office, actor=actor, action="survey.draft_discard", target=locked, before=before
    )
    locked.delete()


def survey_draft_save(
    *, office: Office, actor, draft, definition: dict, revision: int
) -> SurveyVersion:
    """Replace the draft's definition; returns the stored draft (a fresh object).

    Refuses, changing nothing:
    - ``NotADraft`` — a published version, another office's version, a missing one;
    - ``DraftConflict`` — ``revision`` is not the stored revision (someone saved the draft
      since the caller read it; their save stays as it is);
    - ``DefinitionInvalid`` — ``definition_errors`` found problems, or a question key
      that a published version used for another kind of question (reports line answers
      up by key).
    A definition equal to the stored one is not saved again (revision and audit stay).
    Otherwise the revision goes up by one. Atomic, audited (``survey.draft_save``).
    """
    return draft_change(
        office=office,
        actor=actor,
        draft=draft,
        revision=revision,
        change=lambda _current: copy.deepcopy(definition),
        action="survey.draft_save",
    )


def draft_change(
    *,
    office: Office,
    actor,
    draft,
    revision: int,
    change: Callable[[dict], dict],
    action: str,
    details: dict | None = None,
) -> SurveyVersion:
    """Apply ``change`` (a copy of the stored definition -> the new definition; it may
    raise DefinitionInvalid) to the draft, with the checks of ``survey_draft_save``."""
    with transaction.atomic():
        locked = draft_locked(office=office, draft=draft)
        if revision != locked.revision:
            raise DraftConflict(locked.revision)
        definition = change(copy.deepcopy(locked.definition))
        errors = definition_errors(definition, languages=office.enabled_languages)
        errors += _key_history_errors(survey_id=locked.survey_id, definition=definition)
        if errors:
            raise DefinitionInvalid(errors)
        if definition == locked.definition:
            return locked
        # Compare-and-set: a writer that slipped past the row lock (SQLite has none) finds
        # the revision moved and is refused instead of overwriting.
        updated = SurveyVersion.objects.filter(
            pk=locked.pk, status=DRAFT, revision=locked.revision
        ).update(definition=definition, revision=locked.revision + 1)
        if updated != 1:
            raise DraftConflict(locked.revision + 1)
        old_keys = {q["key"] for _s, q in iter_questions(locked.definition)}
        new_keys = {q["key"] for _s, q in iter_questions(definition)}
        audit_record(
            office=office,
            actor=actor,
            action=action,
            target=locked,
            before={"revision": locked.revision},
            after={
                "revision": locked.revision + 1,
                **(details or {}),
                **({"added": sorted(new_keys - old_keys)} if new_keys - old_keys else {}),
                **({"removed": sorted(old_keys - new_keys)} if old_keys - new_keys else {}),
            },
        )
        locked.definition = definition
        locked.revision += 1
        return locked


def _key_history_errors(*, survey_id, definition: dict) -> list[DefinitionError]:
    """A question key keeps its kind across versions: reports add answers up by key."""
    history: dict[str, tuple[str, int]] = {}
    published = SurveyVersion.objects.filter(survey_id=survey_id, status=PUBLISHED).order_by(
        "number"
    )
    for number, old in published.values_list("number", "definition"):
        for _s, question in iter_questions(old):
            history[question["key"]] = (question["kind"], number)
    errors = []
    sections = definition.get("sections", []) if isinstance(definition, dict) else []
    for s_index, section in enumerate(sections):
        for q_index, question in enumerate(section.get("questions", [])):
            key, kind = question.get("key"), question.get("kind")
            if key in history and kind != history[key][0]:
                old_kind, number = history[key]
                errors.append(
                    DefinitionError(
                        f"sections[{s_index}].questions[{q_index}].kind",
                        _(
                            "Pytanie o kluczu „%(key)s”: w wersji %(number)d ten klucz miało "
                            "pytanie rodzaju „%(old)s”, a to jest rodzaju „%(new)s”. Pytanie "
                            "innego rodzaju potrzebuje nowego klucza — raporty łączą odpowiedzi "
                            "z różnych wersji po kluczu."
                        )
                        % {
                            "key": key,
                            "number": number,
                            "old": KIND_LABELS.get(old_kind, old_kind),
                            "new": KIND_LABELS.get(kind, kind),
                        },
                    )
                )
    return errors


# Publishing


def survey_version_publish_check(*, office: Office, draft, revision: int | None = None) -> None:
    """Would ``survey_version_publish`` refuse this draft now? Raises what it would raise
    (NotADraft, DraftConflict, DefinitionInvalid); reads only, locks nothing — for a
    caller about to do slow work first (workflows: the report of the results so far)."""
    pk = getattr(draft, "pk", draft)
    found = SurveyVersion.objects.filter(office=office, pk=pk).first() if pk else None
    if found is None or found.status != DRAFT:
        draft_locked(office=office, draft=draft)  # raises the NotADraft it would
        return
    if revision is not None and revision != found.revision:
        raise DraftConflict(found.revision)
    errors = definition_errors(
        found.definition, languages=office.enabled_languages, for_publish=True
    )
    errors += _key_history_errors(survey_id=found.survey_id, definition=found.definition)
    if errors:
        raise DefinitionInvalid(errors)


def survey_version_publish(
    *, office: Office, actor, draft, revision: int | None = None
) -> SurveyVersion:
    """Make the draft the current version residents answer. Returns it, published.

    In one transaction (a savepoint of the caller's): the draft is checked
    (``definition_errors`` with ``for_publish``: DefinitionInvalid); then it gets its
    number (the next after the published ones), ``published_at``, ``published_by``,
    becomes the survey's current version, and the audit entry ``survey.publish`` is
    written. Refuses with NotADraft anything but a draft of this office. With
    ``revision`` (the one the publisher reviewed), a draft changed since is refused with
    DraftConflict. Responses keep the version they answered.

    § 5 of the ordinances wants the report of the results so far archived with every
    publish: call ``workflows.visible_changes.survey_publish``, which draws it outside
    any transaction and calls this inside the short transaction that stores both.
    """
    with transaction.atomic():
        survey = _survey_locked(office=office)
        locked = draft_locked(office=office, draft=draft)
        if revision is not None and revision != locked.revision:
            raise DraftConflict(locked.revision)
        errors = definition_errors(
            locked.definition, languages=office.enabled_languages, for_publish=True
        )
        errors += _key_history_errors(survey_id=survey.pk, definition=locked.definition)
        if errors:
            raise DefinitionInvalid(errors)
        previous = survey.current_version_id
        previous_number = (
            SurveyVersion.objects.filter(pk=previous).values_list("number", flat=True).first()
        )
        last = (
            SurveyVersion.objects.filter(survey=survey, status=PUBLISHED).aggregate(
                last=Max("number")
            )["last"]
            or 0
        )
        locked.status = PUBLISHED
        locked.number = last + 1
        locked.published_at = timezone.now()
        locked.published_by = _user(actor)
        locked.save(update_fields=["status", "number", "published_at", "published_by"])
        survey.current_version = locked
        survey.save(update_fields=["current_version"])
        audit_record(
            office=office,
            actor=actor,
            action="survey.publish",
            target=locked,
            before={"current_version": previous_number},
            after={
                "current_version": locked.number,
                "revision": locked.revision,
            },
        )
    return locked
