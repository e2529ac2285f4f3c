"""Writes to surveys and their versions. Every writer of ``SurveyVersion`` is here.

Public API (keyword-only; ``office`` first; each call is one transaction with its audit
entry; the returned version is a fresh object — use its ``revision`` for the next call):

Versions (``versions.py``)
    survey_create_default(*, office) -> Survey
    survey_draft_get_or_create(*, office, actor, base_version=None) -> SurveyVersion
    survey_draft_discard(*, office, actor, draft) -> None
    survey_draft_save(*, office, actor, draft, definition, revision) -> SurveyVersion
    survey_version_publish(*, office, actor, draft, revision=None) -> SurveyVersion
    survey_version_publish_check(*, office, draft, revision=None) -> None   (reads only)
        (§ 5: the panel publishes through workflows.visible_changes.survey_publish,
        which archives the report of the results so far with it)

The editor's small operations (``edits.py``), each ``survey_draft_save`` of one change:
    survey_draft_section_add(*, office, actor, draft, revision, key, kind, title_pl,
                             position=None)
    survey_draft_section_update(*, …, key, fields)        fields: title, help, kind
    survey_draft_section_move(*, …, key, direction)       "up" | "down"
    survey_draft_section_remove(*, …, key)
    survey_draft_question_add(*, …, section_key, kind, key, text_pl, position=None,
                              options=None)
    survey_draft_question_update(*, …, key, fields)       fields: text, help, required, na,
                                                          max_length, importance_of
    survey_draft_question_move(*, …, key, direction)      across sections at the ends
    survey_draft_question_remove(*, …, key)
    survey_draft_option_add(*, …, key, value, label)      key: the question's key
    survey_draft_option_update(*, …, key, value, label)
    survey_draft_option_move(*, …, key, value, direction)
    survey_draft_option_remove(*, …, key, value)
    survey_draft_scale_labels_update(*, …, labels)        {"1": {lang: text}, …, "na": …}
    survey_draft_translation_update(*, …, path, lang, text)
    (… = office, actor, draft, revision)
Texts are {lang: text} dicts that replace the item's texts (a form with one field per
language: languages left out or empty are removed); translation_update sets one language.

Refusals (``errors.py``; each has a Polish ``message``; nothing changed when raised):
    SurveyEditError            base class
    NotADraft                  published (never changes), another office's, or missing
    DraftExists(.draft)        a draft from another base version exists: ask first
    DraftConflict(.current_revision)   someone saved the draft since it was read
    DefinitionInvalid(.errors) list of validation.DefinitionError(path, message)
    PublishFailed              the report of the results so far could not be archived
                               (raised by workflows.visible_changes.survey_publish)

Import and export of the JSON exchange file: ``surveys/exchange.py``. Reads:
``surveys/selectors.py``. Validation: ``surveys/validation.py``.
"""

from .edits import (
    survey_draft_option_add,
    survey_draft_option_move,
    survey_draft_option_remove,
    survey_draft_option_update,
    survey_draft_question_add,
    survey_draft_question_move,
    survey_draft_question_remove,
    survey_draft_question_update,
    survey_draft_scale_labels_update,
    survey_draft_section_add,
    survey_draft_section_move,
    survey_draft_section_remove,
    survey_draft_section_update,
    survey_draft_translation_update,
)
from .errors import (
    DefinitionInvalid,
    DraftConflict,
    DraftExists,
    NotADraft,
    PublishFailed,
    SurveyEditError,
)
from .versions import (
    survey_create_default,
    survey_draft_discard,
    survey_draft_get_or_create,
    survey_draft_save,
    survey_version_publish,
    survey_version_publish_check,
)

__all__ = [
    "DefinitionInvalid",
    "DraftConflict",
    "DraftExists",
    "NotADraft",
    "PublishFailed",
    "SurveyEditError",
    "survey_create_default",
    "survey_draft_discard",
    "survey_draft_get_or_create",
    "survey_draft_option_add",
    "survey_draft_option_move",
    "survey_draft_option_remove",
    "survey_draft_option_update",
    "survey_draft_question_add",
    "survey_draft_question_move",
    "survey_draft_question_remove",
    "survey_draft_question_update",
    "survey_draft_save",
    "survey_draft_scale_labels_update",
    "survey_draft_section_add",
    "survey_draft_section_move",
    "survey_draft_section_remove",
    "survey_draft_section_update",
    "survey_draft_translation_update",
    "survey_version_publish",
    "survey_version_publish_check",
]
