"""Validate answers to a survey version on the server, against its definition.

Two kinds of problem are told apart:
- a resident's mistake (a required item left empty, an over-long comment): the form
  is shown again with each error naming its item, and every answer given is kept;
- input no browser showing our form can send (unknown fields, values out of range, a
  value repeated, a wrong type): ``TamperedInput``, answered with a 400 page.
Neither stores anything.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .definition import (
    NOT_APPLICABLE,
    RATING_VALUES,
    TEXT_MAX_LENGTH,
    YESNO_VALUES,
    field_name,
    iter_questions,
    localized,
)


class TamperedInput(ValueError):
    """The submitted data cannot have come from our form."""


@dataclass
class FieldError:
    key: str
    field_id: str
    message: str


@dataclass
class ParsedAnswers:
    answers: dict = field(default_factory=dict)  # question key -> value, answered only
    department_id: int | None = None
    raw: dict = field(default_factory=dict)  # what was sent, to show the form again
    errors: list[FieldError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def first_input_id(question: dict) -> str:
    """The id of the control an error message links to."""
    kind = question["kind"]
    if kind in ("rating",):
        return f"{field_name(question)}_1"
    if kind in ("single", "multi", "yesno"):
        return f"{field_name(question)}_0"
    return field_name(question)


def parse_answers(
    *,
    definition: dict,
    data,
    department_ids: set[int],
    language: str,
    extra_fields: frozenset[str] = frozenset(),
    enforce_required: bool = True,
) -> ParsedAnswers:
    """Check ``data`` (a QueryDict) against the definition.

    Raises TamperedInput for fields the form does not have and impossible values.
    ``enforce_required=False`` is for paper sheets: a resident may have skipped a required
    question on paper, and the sheet is still typed in (as a partial response).
    """
    parsed = ParsedAnswers()
    fields, names = _fields(definition)
    getlist = data.getlist
    for name, question, kind in fields:
        values = getlist(name)
        if kind == "multi":
            parsed.raw[name] = values
            value = _parse_multi(question, values)
        elif len(values) > 1:
            raise TamperedInput(name)
        else:
            raw = values[0] if values else ""
            parsed.raw[name] = raw
            value = _parse_single_value(question, raw, department_ids, parsed, language)
        if value is _REPORTED:
            continue
        if value in (None, "", []):
            if enforce_required and question.get("required"):
                parsed.errors.append(
                    FieldError(
                        question["key"],
                        first_input_id(question),
                        _("Proszę odpowiedzieć na pytanie: „%(text)s”.")
                        % {"text": localized(question["text"], language)},
                    )
                )
            continue
        if kind == "department":
            parsed.department_id = value
        else:
            parsed.answers[question["key"]] = value
    unknown = [key for key in data if key not in names and key not in extra_fields]
    if unknown:
        raise TamperedInput(", ".join(sorted(unknown)))
    return parsed


_FIELDS: dict[int, tuple] = {}
_FIELDS_MAX = 64


def _fields(definition: dict) -> tuple[list[tuple[str, dict, str]], frozenset[str]]:
    """The definition's questions as (field name, question, kind) in form order, and the
    set of field names — worked out once per definition object and kept while it lives
    in the cache below (published definitions are shared and never change; a draft's is
    read anew for each request, so a changed draft is a new object)."""
    entry = _FIELDS.get(id(definition))
    if entry is not None and entry[0] is definition:
        return entry[1], entry[2]
    fields = [
        (field_name(question), question, question["kind"])
        for _section, question in iter_questions(definition)
    ]
    names = frozenset(name for name, _question, _kind in fields)
    if len(_FIELDS) >= _FIELDS_MAX:
        _FIELDS.clear()
    # The definition itself is kept in the entry: its id cannot be reused while it is here.
    _FIELDS[id(definition)] = (definition, fields, names)
    return fields, names


def _parse_multi(question: dict, values: list[str]) -> list[str]:
    allowed = {o["value"] for o in question.get("options", [])}
    if len(set(values)) != len(values) or not set(values) <= allowed:
        raise TamperedInput(field_name(question))
    # Keep the definition's order so equal answers are stored equally.
    return [o["value"] for o in question["options"] if o["value"] in values]


_REPORTED = object()  # the value was wrong and its error is already listed


def _parse_single_value(question, raw: str, department_ids: set[int], parsed, language):
    kind = question["kind"]
    if raw == "":
        return None
    if kind == "rating":
        if raw in RATING_VALUES:
            return int(raw)
        if raw == NOT_APPLICABLE and question.get("na"):
            return NOT_APPLICABLE
        raise TamperedInput(field_name(question))
    if kind == "single":
        if raw in {o["value"] for o in question.get("options", [])}:
            return raw
        raise TamperedInput(field_name(question))
    if kind == "yesno":
        if raw in YESNO_VALUES:
            return raw
        raise TamperedInput(field_name(question))
    if kind == "department":
        if not raw.isdigit():
            raise TamperedInput(field_name(question))
        if int(raw) not in department_ids:
            # A department closed while the form was open: ask again, do not fail.
            parsed.errors.append(
                FieldError(
                    question["key"], first_input_id(question), _("Proszę wybrać wydział z listy.")
                )
            )
            return _REPORTED
        return int(raw)
    if kind == "text":
        text = "".join(ch for ch in raw if ch in "\n\t" or ch >= " ").strip()
        limit = question.get("max_length") or TEXT_MAX_LENGTH
        if len(text) > limit:
            parsed.errors.append(
                FieldError(
                    question["key"],
                    first_input_id(question),
                    _(
                        "Odpowiedź na pytanie „%(text)s” jest za długa: %(length)d znaków, "
                        "można wpisać najwyżej %(limit)d."
                    )
                    % {
                        "text": localized(question["text"], language),
                        "length": len(text),
                        "limit": limit,
                    },
                )
            )
            return _REPORTED
        return text
    raise TamperedInput(field_name(question))
