"""The draft editor's small operations. Each one is ``survey_draft_save`` of the stored
definition with one change applied: the same locking (``revision``), refusals
(NotADraft, DraftConflict, DefinitionInvalid), audit (action ``survey.draft_<op>``) and
return value (the stored draft). An operation that changes nothing (moving the first item
up) returns the draft unchanged, with the same revision.

Keys never change: texts change under the same key, so reports line answers up across
versions. A removed key may be added again later. Items are named by key (sections,
questions: ``key``; options: the question's ``key`` and the option's ``value``); one that
is not there is a DefinitionInvalid naming it. Texts are ``{lang: text}`` dicts that
REPLACE the item's stored texts (what a form with a field per language sends: a language
left out or empty is removed; Polish is required, so leaving it out is refused);
``survey_draft_translation_update`` changes one language only. A wrong ``direction`` or
an unknown field name is a programming error (ValueError).
"""

from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office

from ..definition import NOT_APPLICABLE, TEXT_MAX_LENGTH, localized
from ..models import SurveyVersion
from ..validation import LANGUAGE_CODE_RE, SCALE_POINTS, DefinitionError, path_parse
from .errors import DefinitionInvalid
from .versions import draft_change

DIRECTIONS = ("up", "down")
SECTION_UPDATABLE = ("title", "help", "kind")
QUESTION_UPDATABLE = ("text", "help", "required", "na", "max_length", "importance_of")
TEXT_FIELDS = ("title", "intro", "help", "text", "label")


def _refuse(path: str, message: str):
    raise DefinitionInvalid([DefinitionError(path, message)])


def _texts(texts: dict) -> dict:
    """The texts to store: stripped, empty ones left out."""
    cleaned = {lang: (text or "").strip() for lang, text in (texts or {}).items()}
    return {lang: text for lang, text in cleaned.items() if text}


def _direction(direction: str) -> int:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    return -1 if direction == "up" else 1


def _fields(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}; allowed: {allowed}")


def _section(definition: dict, key: str) -> tuple[int, dict]:
    for index, section in enumerate(definition.get("sections", [])):
        if section.get("key") == key:
            return index, section
    _refuse("sections", _("Nie ma sekcji o kluczu „%(key)s”.") % {"key": key})


def _question(definition: dict, key: str) -> tuple[int, int, dict]:
    for s_index, section in enumerate(definition.get("sections", [])):
        for q_index, question in enumerate(section.get("questions", [])):
            if question.get("key") == key:
                return s_index, q_index, question
    _refuse("sections", _("Nie ma pytania o kluczu „%(key)s”.") % {"key": key})


def _option(definition: dict, question_key: str, value: str) -> tuple[str, list, int]:
    s_index, q_index, question = _question(definition, question_key)
    path = f"sections[{s_index}].questions[{q_index}].options"
    options = question.get("options")
    if not isinstance(options, list):
        _refuse(
            path,
            _("Pytanie o kluczu „%(key)s” nie ma odpowiedzi do wyboru.") % {"key": question_key},
        )
    for index, option in enumerate(options):
        if option.get("value") == value:
            return path, options, index
    _refuse(
        path,
        _("Pytanie o kluczu „%(key)s” nie ma odpowiedzi o wartości „%(value)s”.")
        % {"key": question_key, "value": value},
    )


def _key_free(definition: dict, key: str) -> None:
    """A new question's key must be new: say so about the new question, by its key."""
    for s_index, section in enumerate(definition.get("sections", [])):
        for q_index, question in enumerate(section.get("questions", [])):
            if question.get("key") == key:
                _refuse(
                    f"sections[{s_index}].questions[{q_index}].key",
                    _(
                        "Klucz „%(key)s” ma już pytanie „%(text)s” — klucze pytań nie mogą się "
                        "powtarzać w ankiecie. Wybierz inny klucz."
                    )
                    % {"key": key, "text": localized(question.get("text"), "pl")},
                )


def _swap(items: list, index: int, step: int) -> bool:
    other = index + step
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return True


def _edit(office, actor, draft, revision, op: str, change, **details) -> SurveyVersion:
    def apply(definition: dict) -> dict:
        change(definition)
        return definition

    return draft_change(
        office=office,
        actor=actor,
        draft=draft,
        revision=revision,
        change=apply,
        action=f"survey.draft_{op}",
        details=details,
    )


# Sections


def survey_draft_section_add(
    *,
    office: Office,
    actor,
    draft,
    revision: int,
    key: str,
    kind: str,
    title_pl: str,
    position: int | None = None,
) -> SurveyVersion:
    """Add an empty section (``kind`` "area" or "questions") at ``position`` (0-based;
    default: at the end). An empty section may be saved but not published."""

    def change(definition):
        for index, other in enumerate(definition.get("sections", [])):
            if other.get("key") == key:
                _refuse(
                    f"sections[{index}].key",
                    _("Klucz „%(key)s” ma już sekcja „%(title)s”. Wybierz inny klucz.")
                    % {"key": key, "title": localized(other.get("title"), "pl")},
                )
        section = {"key": key, "kind": kind, "title": {"pl": (title_pl or "").strip()}}
        section["questions"] = []
        sections = definition.setdefault("sections", [])
        sections.insert(len(sections) if position is None else position, section)

    return _edit(office, actor, draft, revision, "section_add", change, section=key)


def survey_draft_section_update(
    *, office: Office, actor, draft, revision: int, key: str, fields: dict
) -> SurveyVersion:
    """Change a section's ``title`` / ``help`` (``{lang: text}``, replacing the stored
    texts; ``help`` None or empty removes it) or ``kind``."""
    _fields(fields, SECTION_UPDATABLE)

    def change(definition):
        _index, section = _section(definition, key)
        for name in ("title", "help"):
            if name in fields:
                section[name] = _texts(fields[name])
        if section.get("help") == {}:
            section.pop("help")
        if "kind" in fields:
            section["kind"] = fields["kind"]

    return _edit(office, actor, draft, revision, "section_update", change, section=key)


def survey_draft_section_move(
    *, office: Office, actor, draft, revision: int, key: str, direction: str
) -> SurveyVersion:
    """Swap the section with the one above ("up") or below ("down")."""
    step = _direction(direction)

    def change(definition):
        index = _section(definition, key)[0]
        _swap(definition["sections"], index, step)

    return _edit(office, actor, draft, revision, "section_move", change, section=key)


def survey_draft_section_remove(
    *, office: Office, actor, draft, revision: int, key: str
) -> SurveyVersion:
    """Remove the section with its questions (the audit entry lists their keys)."""

    def change(definition):
        index = _section(definition, key)[0]
        del definition["sections"][index]

    return _edit(office, actor, draft, revision, "section_remove", change, section=key)


# Questions


def survey_draft_question_add(
    *,
    office: Office,
    actor,
    draft,
    revision: int,
    section_key: str,
    kind: str,
    key: str,
    text_pl: str,
    position: int | None = None,
    options: list[dict] | None = None,
) -> SurveyVersion:
    """Add a question to the section at ``position`` (0-based; default: at the end).

    Starts optional. A rating question allows "nie dotyczy"; a text question takes up to
    2000 characters; a single or multi choice gets ``options`` (``[{"value", "label":
    {lang: text}}]``) or, without them, two placeholder options to rename (a choice
    needs two). ``key`` must be new in the whole survey.
    """

    def change(definition):
        _index, section = _section(definition, section_key)
        _key_free(definition, key)
        question = {"key": key, "kind": kind, "text": {"pl": (text_pl or "").strip()}}
        question["required"] = False
        if kind == "rating":
            question["na"] = True
        elif kind in ("single", "multi"):
            question["options"] = (
                [dict(o) for o in options]
                if options is not None
                else [
                    {"value": "odpowiedz_1", "label": {"pl": "Odpowiedź 1"}},
                    {"value": "odpowiedz_2", "label": {"pl": "Odpowiedź 2"}},
                ]
            )
        elif kind == "text":
            question["max_length"] = TEXT_MAX_LENGTH
        questions = section.setdefault("questions", [])
        questions.insert(len(questions) if position is None else position, question)

    return _edit(office, actor, draft, revision, "question_add", change, question=key)


def survey_draft_question_update(
    *, office: Office, actor, draft, revision: int, key: str, fields: dict
) -> SurveyVersion:
    """Change a question: ``text`` / ``help`` (``{lang: text}``, replacing the stored
    texts; ``help`` None or empty removes it), ``required``, ``na``, ``max_length``,
    ``importance_of`` (None removes the last two). The key and the kind stay: a question
    of another kind is a new question with a new key."""
    _fields(fields, QUESTION_UPDATABLE)

    def change(definition):
        _s, _q, question = _question(definition, key)
        for name, value in fields.items():
            if name in ("text", "help"):
                question[name] = _texts(value)
            elif value is None and name in ("max_length", "importance_of"):
                question.pop(name, None)
            else:
                question[name] = value
        if question.get("help") == {}:
            question.pop("help")

    return _edit(office, actor, draft, revision, "question_update", change, question=key)


def survey_draft_question_move(
    *, office: Office, actor, draft, revision: int, key: str, direction: str
) -> SurveyVersion:
    """Move the question one place up or down; from the top of a section "up" goes to the
    end of the section above, from the bottom "down" to the start of the one below."""
    step = _direction(direction)

    def change(definition):
        s_index, q_index, question = _question(definition, key)
        sections = definition["sections"]
        questions = sections[s_index]["questions"]
        if _swap(questions, q_index, step):
            return
        neighbour = s_index + step
        if 0 <= neighbour < len(sections):
            del questions[q_index]
            target = sections[neighbour].setdefault("questions", [])
            target.insert(len(target) if step < 0 else 0, question)

    return _edit(office, actor, draft, revision, "question_move", change, question=key)


def survey_draft_question_remove(
    *, office: Office, actor, draft, revision: int, key: str
) -> SurveyVersion:
    """Remove the question. Answers already given to it stay with their versions."""

    def change(definition):
        s_index, q_index = _question(definition, key)[:2]
        del definition["sections"][s_index]["questions"][q_index]

    return _edit(office, actor, draft, revision, "question_remove", change, question=key)


# Options of single and multiple choice questions (``key`` is the question's key)


def survey_draft_option_add(
    *, office: Office, actor, draft, revision: int, key: str, value: str, label: dict
) -> SurveyVersion:
    """Add an option at the end of the question's list; ``value`` must be new in it,
    ``label`` is ``{lang: text}`` with Polish."""

    def change(definition):
        s_index, q_index, question = _question(definition, key)
        for index, option in enumerate(question.get("options") or []):
            if option.get("value") == value:
                _refuse(
                    f"sections[{s_index}].questions[{q_index}].options[{index}].value",
                    _(
                        "Pytanie ma już odpowiedź o wartości „%(value)s” („%(label)s”). "
                        "Wybierz inną wartość."
                    )
                    % {"value": value, "label": localized(option.get("label"), "pl")},
                )
        question.setdefault("options", []).append({"value": value, "label": _texts(label)})

    return _edit(office, actor, draft, revision, "option_add", change, question=key, option=value)


def survey_draft_option_update(
    *, office: Office, actor, draft, revision: int, key: str, value: str, label: dict
) -> SurveyVersion:
    """Replace an option's label (``{lang: text}``). Its value stays."""

    def change(definition):
        _path, options, index = _option(definition, key, value)
        options[index]["label"] = _texts(label)

    return _edit(
        office, actor, draft, revision, "option_update", change, question=key, option=value
    )


def survey_draft_option_move(
    *, office: Office, actor, draft, revision: int, key: str, value: str, direction: str
) -> SurveyVersion:
    """Swap the option with its neighbour above ("up") or below ("down")."""
    step = _direction(direction)

    def change(definition):
        _path, options, index = _option(definition, key, value)
        _swap(options, index, step)

    return _edit(office, actor, draft, revision, "option_move", change, question=key, option=value)


def survey_draft_option_remove(
    *, office: Office, actor, draft, revision: int, key: str, value: str
) -> SurveyVersion:
    """Remove the option (refused when the question would have fewer than two)."""

    def change(definition):
        _path, options, index = _option(definition, key, value)
        del options[index]

    return _edit(
        office, actor, draft, revision, "option_remove", change, question=key, option=value
    )


# Texts


def survey_draft_scale_labels_update(
    *, office: Office, actor, draft, revision: int, labels: dict
) -> SurveyVersion:
    """Relabel points of the rating scale: ``{"1": {lang: text}, …, "na": {…}}``; each
    point given gets exactly these texts (an empty "na" removes its label; points 1–5 need
    Polish). The scale itself is fixed: points 1–5, and "na"."""
    for point in labels:
        if point not in SCALE_POINTS:
            _refuse(
                f"scale.{point}",
                _("Skala ocen ma zawsze punkty 1–5 i „nie dotyczy”; punktu „%(point)s” nie ma.")
                % {"point": point},
            )

    def change(definition):
        scale = definition.setdefault("scale", {})
        for point, texts in labels.items():
            scale[point] = _texts(texts)
            if not scale[point] and point == NOT_APPLICABLE:
                del scale[point]

    return _edit(office, actor, draft, revision, "scale_labels_update", change)


def survey_draft_translation_update(
    *, office: Office, actor, draft, revision: int, path: str, lang: str, text: str
) -> SurveyVersion:
    """Set one text in one language at ``path`` — a path of ``definition_texts`` /
    ``missing_translations``, e.g. "sections[1].questions[0].text", "scale.3", "title".
    An empty ``text`` removes that language (residents then see the Polish text)."""
    if not LANGUAGE_CODE_RE.match(lang or ""):
        raise ValueError(f"not a language code: {lang!r}")

    def change(definition):
        parent, name = _text_place(definition, path)
        merged = dict(parent.get(name) or {})
        merged[lang] = (text or "").strip()
        merged = _texts(merged)
        if merged:
            parent[name] = merged
        else:
            parent.pop(name, None)

    return _edit(office, actor, draft, revision, "translation_update", change, path=path, lang=lang)


def _text_place(definition: dict, path: str) -> tuple[dict, str]:
    """The dict holding the text at ``path`` and the text's name in it."""
    try:
        parts = path_parse(path)
    except ValueError:
        parts = []
    node = definition
    try:
        for part in parts[:-1]:
            node = node[part]
    except (KeyError, IndexError, TypeError):
        node = None
    name = parts[-1] if parts else None
    in_scale = len(parts) == 2 and parts[0] == "scale" and name in SCALE_POINTS
    if not isinstance(node, dict) or not (name in TEXT_FIELDS or in_scale):
        _refuse(path, _("Nie ma w ankiecie tekstu „%(path)s”.") % {"path": path})
    return node, name
