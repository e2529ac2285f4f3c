"""What the survey templates draw: plain dicts, localized, with answers and errors."""

from django.utils.translation import gettext as _

from .answers import FieldError, first_input_id
from .definition import NOT_APPLICABLE, RATING_VALUES, field_name, localized
from .languages import department_name


def form_sections(
    *,
    definition: dict,
    language: str,
    departments,
    raw: dict | None = None,
    errors: list[FieldError] | None = None,
) -> list[dict]:
    raw = raw or {}
    error_by_key = {e.key: e.message for e in errors or []}
    scale = definition.get("scale", {})
    sections = []
    for s_index, section in enumerate(definition.get("sections", []), start=1):
        questions = []
        for question in section.get("questions", []):
            name = field_name(question)
            kind = question["kind"]
            sent = raw.get(name, [] if kind == "multi" else "")
            item = {
                "key": question["key"],
                "kind": kind,
                "name": name,
                "id": name,
                "first_id": first_input_id(question),
                "text": localized(question.get("text"), language),
                "help": localized(question.get("help"), language),
                "required": bool(question.get("required")),
                "error": error_by_key.get(question["key"]),
                "value": sent,
            }
            if kind == "rating":
                options = [(v, localized(scale.get(v), language)) for v in RATING_VALUES]
                if question.get("na"):
                    options.append(
                        (
                            NOT_APPLICABLE,
                            localized(scale.get(NOT_APPLICABLE), language) or _("nie dotyczy"),
                        )
                    )
                item["options"] = _choices(name, options, [sent], numbered=True)
            elif kind in ("single", "multi"):
                options = [
                    (o["value"], localized(o["label"], language))
                    for o in question.get("options", [])
                ]
                item["options"] = _choices(
                    name, options, sent if kind == "multi" else [sent], numbered=False
                )
            elif kind == "yesno":
                item["options"] = _choices(
                    name, [("tak", _("tak")), ("nie", _("nie"))], [sent], numbered=False
                )
            elif kind == "department":
                item["options"] = [
                    {
                        "value": str(d.pk),
                        "label": department_name(d, language),
                        "checked": str(d.pk) == sent,
                    }
                    for d in departments
                ]
            elif kind == "text":
                item["max_length"] = question.get("max_length") or 2000
            questions.append(item)
        sections.append(
            {
                "key": section["key"],
                "number": s_index,
                "kind": section.get("kind", "questions"),
                "title": localized(section.get("title"), language),
                "help": localized(section.get("help"), language),
                "questions": questions,
            }
        )
    return sections


def _choices(name: str, options, selected: list, *, numbered: bool) -> list[dict]:
    result = []
    for index, (value, label) in enumerate(options):
        suffix = value if numbered else str(index)
        result.append(
            {
                "value": value,
                "label": label,
                "id": f"{name}_{suffix}",
                "checked": value in selected,
                "numeric": numbered and value in RATING_VALUES,
            }
        )
    return result
