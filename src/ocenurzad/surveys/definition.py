"""Reading a survey definition (see default_definition.py for its shape)."""

from collections.abc import Iterator

RATING_VALUES = ("1", "2", "3", "4", "5")
NOT_APPLICABLE = "na"
QUESTION_KINDS = ("rating", "single", "multi", "department", "yesno", "text")
YESNO_VALUES = ("tak", "nie")
TEXT_MAX_LENGTH = 2000


def localized(texts: dict | None, language: str) -> str:
    """The text in the language, else Polish (Polish is required in every definition)."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("pl") or ""


def iter_questions(definition: dict) -> Iterator[tuple[dict, dict]]:
    """(section, question) pairs in the order residents see them."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            yield section, question


def field_name(question: dict) -> str:
    return "q_" + question["key"]


def question_keys(definition: dict) -> list[str]:
    return [q["key"] for _s, q in iter_questions(definition)]


def department_question(definition: dict) -> dict | None:
    return next((q for _s, q in iter_questions(definition) if q["kind"] == "department"), None)
