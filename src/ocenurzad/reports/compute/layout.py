"""The questionnaire of a report: questions of several survey versions lined up by key.

Wording, order and options come from the newest version that has the question; what
only older versions asked follows, in their order. An area holds the rated items whose
newest version puts them there. When a report covers several versions, a question that
not all of them ask carries a note saying which did.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ocenurzad.surveys.definition import localized

from ..rollups import is_rated_item

PL = "pl"


@dataclass
class Question:
    key: str
    kind: str
    text: str
    section: str  # key of its section (an area key for rated items)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    importance_of: str | None = None
    versions: set[int] = field(default_factory=set)  # numbers of versions asking it
    versions_note: str | None = None


@dataclass
class Area:
    key: str
    title: str
    items: list[Question] = field(default_factory=list)


@dataclass
class Layout:
    versions: list  # SurveyVersion, oldest first: those answered, or the current one
    areas: list[Area]
    items: dict[str, Question]  # rated items by key
    questions: list[Question]  # every other question, in order

    def question(self, key: str) -> Question | None:
        return self.items.get(key) or next((q for q in self.questions if q.key == key), None)

    def area_title(self, key: str) -> str:
        return next((a.title for a in self.areas if a.key == key), key)


def layout_build(versions: list, *, code_prefix: str, note_versions: bool) -> Layout:
    """Line up ``versions`` (SurveyVersion objects). With ``note_versions``, questions
    missing from some of them get a ``versions_note`` naming versions as
    ``<code_prefix>-V<number>``."""
    areas: dict[str, Area] = {}
    items: dict[str, Question] = {}
    others: dict[str, Question] = {}
    for version in sorted(versions, key=lambda v: v.number, reverse=True):
        for section in version.definition.get("sections", []):
            for raw in section.get("questions", []):
                key = raw["key"]
                question = items.get(key) or others.get(key)
                if question is None:
                    question = _question(section, raw)
                    if is_rated_item(section, raw):
                        items[key] = question
                        area = areas.get(section["key"])
                        if area is None:
                            title = localized(section.get("title"), PL) or section["key"]
                            area = areas[section["key"]] = Area(section["key"], title)
                        area.items.append(question)
                    else:
                        others[key] = question
                else:
                    known = {value for value, _label in question.options}
                    question.options += [o for o in _options(raw) if o[0] not in known]
                question.versions.add(version.number)
    numbers = sorted(v.number for v in versions)
    if note_versions and len(numbers) > 1:
        for question in [*items.values(), *others.values()]:
            question.versions_note = _versions_note(question.versions, numbers, code_prefix)
    return Layout(
        versions=sorted(versions, key=lambda v: v.number),
        areas=list(areas.values()),
        items=items,
        questions=list(others.values()),
    )


def _question(section: dict, raw: dict) -> Question:
    return Question(
        key=raw["key"],
        kind=raw.get("kind", ""),
        text=localized(raw.get("text"), PL) or raw["key"],
        section=section.get("key", ""),
        options=_options(raw),
        importance_of=raw.get("importance_of") if raw.get("kind") == "rating" else None,
    )


def _options(raw: dict) -> list[tuple[str, str]]:
    if raw.get("kind") == "yesno":
        return [("tak", _("tak")), ("nie", _("nie"))]
    return [
        (option["value"], localized(option.get("label"), PL) or option["value"])
        for option in raw.get("options", [])
    ]


def _versions_note(present: set[int], numbers: list[int], prefix: str) -> str | None:
    """Say which of the report's versions ask a question, when not all of them do."""
    asked = [n for n in numbers if n in present]
    if len(asked) == len(numbers):
        return None
    count = len(asked)
    if asked == numbers[-count:]:
        return _("pytanie dodane w wersji %(version)s") % {"version": f"{prefix}-V{asked[0]}"}
    if asked == numbers[:count]:
        return _("pytanie usunięte w wersji %(version)s") % {
            "version": f"{prefix}-V{numbers[count]}"
        }
    return _("pytanie zadawane tylko w wersjach: %(versions)s") % {
        "versions": ", ".join(f"{prefix}-V{n}" for n in asked)
    }
