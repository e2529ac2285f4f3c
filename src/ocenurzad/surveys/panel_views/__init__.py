"""The survey in the office panel (``panel_urls.py``, at admin/ankieta/): versions and
their history, the draft editor, the preview and publishing.

Thin views: each reads a form, calls one service of ``surveys.services`` and redirects back
to where the user was — at the changed item — with a confirmation; or draws the page again
keeping what was typed: 409 when someone else changed the draft since the page was read
(``DraftConflict``), 400 with each problem named at the top and at its input
(``DefinitionInvalid``), the 400 page for a form that cannot be ours. Every view is
``panel_view(Perm.SURVEY)``; another office's version is a 404.
"""

from .editor import (
    draft_editor,
    question_add,
    question_move,
    question_remove,
    section_add,
    section_move,
    section_remove,
)
from .items import (
    header_edit,
    option_add,
    option_move,
    option_remove,
    option_update,
    question_edit,
    scale_edit,
    section_edit,
)
from .languages import survey_languages
from .versions import (
    draft_create,
    draft_discard,
    draft_preview,
    draft_preview_pdf,
    draft_publish,
    survey,
    version_detail,
)

__all__ = [
    "draft_create",
    "draft_discard",
    "draft_editor",
    "draft_preview",
    "draft_preview_pdf",
    "draft_publish",
    "header_edit",
    "option_add",
    "option_move",
    "option_remove",
    "option_update",
    "question_add",
    "question_edit",
    "question_move",
    "question_remove",
    "scale_edit",
    "section_add",
    "section_edit",
    "section_move",
    "section_remove",
    "survey",
    "survey_languages",
    "version_detail",
]
