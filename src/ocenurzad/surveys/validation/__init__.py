"""Checking a survey definition (the shape in ``default_definition.py``) before a draft is
saved, published or imported.

Public API (stable — the draft editor, the services and the import use it):

    definition_errors(definition, *, languages, for_publish=False) -> list[DefinitionError]
    missing_translations(definition, *, languages) -> dict[str, list[str]]
    definition_texts(definition) -> Iterator[tuple[str, dict]]   every {lang: text} with its path
    path_parse(path) -> list[str | int]                          "sections[2].title" -> [...]
    DefinitionError(path: str, message: str)                     frozen dataclass
    KIND_LABELS, SECTION_KIND_LABELS                             Polish names of the kinds

``definition_errors`` never raises, whatever it is given (an imported file can hold
anything): every problem is one ``DefinitionError`` whose ``path`` points at it —
``"sections[2].questions[0].options"``, ``"scale.3"``, ``"title"`` — and whose Polish
``message`` names the section or question by its Polish text (or its key when it has
none). An empty list means the definition may be saved as a draft; ``for_publish=True``
adds what only a published survey needs (no empty section).

The rules: the format is 1; sections and questions have keys ``^[a-z][a-z0-9_]{0,62}$``,
section keys unique among sections, question keys unique across the whole survey; known
kinds only; Polish text required for every title, question text, option label and scale
point (other languages fall back to Polish, so a missing translation is not an error —
see ``missing_translations``); texts at most 500 characters (titles, question texts), 1000
(help, intro), 200 (option and scale labels); single and multi choice need at least two
options with unique values ``^[a-z0-9_]{1,40}$``; the scale has exactly the points 1–5
(fixed: answers are validated against them), each labelled in Polish, plus an optional
"na" (nie dotyczy); at most one department question; ``max_length`` (text only) 1..5000;
``na`` (rating only) true or false; ``importance_of`` (rating only, outside area sections)
names an area section, at most one question per area; no unknown fields; at least one
question.
"""

from .rules import (
    CHOICE_KINDS,
    DEFINITION_FORMAT,
    HELP_MAX,
    KEY_RE,
    KIND_LABELS,
    LABEL_MAX,
    LANGUAGE_CODE_RE,
    MIN_OPTIONS,
    OPTION_VALUE_RE,
    SCALE_POINTS,
    SECTION_KIND_LABELS,
    SECTION_KINDS,
    TEXT_ANSWER_MAX,
    TITLE_MAX,
    DefinitionError,
    definition_errors,
)
from .texts import definition_texts, missing_translations, path_parse

__all__ = [
    "CHOICE_KINDS",
    "DEFINITION_FORMAT",
    "HELP_MAX",
    "KEY_RE",
    "KIND_LABELS",
    "LABEL_MAX",
    "LANGUAGE_CODE_RE",
    "MIN_OPTIONS",
    "OPTION_VALUE_RE",
    "SCALE_POINTS",
    "SECTION_KINDS",
    "SECTION_KIND_LABELS",
    "TEXT_ANSWER_MAX",
    "TITLE_MAX",
    "DefinitionError",
    "definition_errors",
    "definition_texts",
    "missing_translations",
    "path_parse",
]
