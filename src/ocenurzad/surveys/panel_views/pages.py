"""What the editor's pages share: where an item of a definition is edited, how a refusal of
the services is shown, the outline of sections and questions, the missing translations."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ocenurzad.core.views import error_page

from .. import editor_forms as ef
from .. import services
from ..definition import localized
from ..selectors import survey_draft, survey_version_current
from ..validation import (
    KIND_LABELS,
    SCALE_POINTS,
    SECTION_KIND_LABELS,
    missing_translations,
    path_parse,
)

EDITOR = "panel:survey-draft"
QUESTION = "panel:survey-draft-question"
SECTION = "panel:survey-draft-section"
SCALE = "panel:survey-draft-scale"
HEADER = "panel:survey-draft-header"


def languages_of(request) -> list[str]:
    return request.office.enabled_languages


def translations_of(request) -> list[str]:
    return [code for code in languages_of(request) if code != settings.LANGUAGE_CODE]


def url(name: str, *args, anchor: str = "") -> str:
    return reverse(name, args=args) + (f"#{anchor}" if anchor else "")


def back(name: str, *args, anchor: str = ""):
    """After a change: back to the page, focus at the changed item (PRG)."""
    return redirect(url(name, *args, anchor=anchor))


def bad_request(request):
    return error_page(
        request,
        400,
        _("Nieprawidłowe dane formularza"),
        _(
            "Przesłane dane nie pochodzą z formularza edytora ankiety albo zostały zmienione. "
            "Nic nie zostało zapisane."
        ),
        link=(reverse(EDITOR), _("Wróć do szkicu ankiety")),
    )


def no_draft(request):
    """A draft page when there is no draft (never made, published or discarded)."""
    return render(
        request,
        "surveys/panel/no_draft.html",
        {"current": survey_version_current(office=request.office)},
    )


def draft_gone(request):
    """A change sent to a draft that no longer exists: nothing to save it in."""
    messages.error(
        request,
        _(
            "Szkicu, który edytowałeś(-aś), już nie ma — ktoś go opublikował albo odrzucił. "
            "Twoja zmiana nie została zapisana."
        ),
    )
    return back("panel:survey", anchor="szkic")


def draft_now(request):
    return survey_draft(office=request.office)


def find_section(definition: dict, key: str) -> dict | None:
    return next((s for s in definition.get("sections", []) if s.get("key") == key), None)


def find_question(definition: dict, key: str) -> dict | None:
    return next(
        (
            q
            for s in definition.get("sections", [])
            for q in s.get("questions", [])
            if q.get("key") == key
        ),
        None,
    )


def section_of(definition: dict, question_key: str) -> dict | None:
    for section in definition.get("sections", []):
        if any(q.get("key") == question_key for q in section.get("questions", [])):
            return section
    return None


def find_option(question: dict | None, value: str) -> dict | None:
    options = (question or {}).get("options") or []
    return next((o for o in options if o.get("value") == value), None)


def pl(texts: dict | None, fallback: str = "") -> str:
    return localized(texts, "pl") or fallback


# Where a path of the definition is edited


@dataclass(frozen=True)
class Target:
    """What a path (``sections[2].questions[0].text``, ``scale.3``, ``title``) is about.
    An index the stored definition does not have (an item being added) resolves to None."""

    section: dict | None = None
    question: dict | None = None
    option: dict | None = None
    point: str = ""
    field: str = ""
    language: str = ""


def _at(items, index: int) -> dict | None:
    if isinstance(items, list) and 0 <= index < len(items) and isinstance(items[index], dict):
        return items[index]
    return None


def target_of(definition: dict, path: str, *, language: str = "") -> Target:
    try:
        parts = path_parse(path)
    except ValueError:
        parts = []
    section = question = option = None
    point = field = ""
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        if part == "sections" and isinstance(following, int):
            section = _at(definition.get("sections"), following)
            index += 2
        elif part == "questions" and isinstance(following, int) and section is not None:
            question = _at(section.get("questions"), following)
            index += 2
        elif part == "options" and isinstance(following, int) and question is not None:
            option = _at(question.get("options"), following)
            index += 2
        elif part == "scale" and following in SCALE_POINTS:
            point = str(following)
            index += 2
        else:
            field = str(part)
            index += 1
    return Target(section, question, option, point, field, language)


TEXT_FIELDS = ("title", "intro", "text", "help", "label")


def input_name(target: Target) -> str:
    """The input that holds the target on its own page (before any form prefix)."""
    if target.point:
        return f"scale_{target.point}_{target.language or 'pl'}"
    if target.field in TEXT_FIELDS:
        return f"{target.field}_{target.language or 'pl'}"
    return target.field


def fix_url(target: Target) -> str:
    """The page (and the input on it) where the target is changed."""
    name = input_name(target)
    if target.question is not None:
        key = target.question["key"]
        if target.option is not None:
            value = target.option["value"]
            if target.field == "label":
                return url(QUESTION, key, anchor=f"id_{ef.option_prefix(value)}-{name}")
            return url(QUESTION, key, anchor=f"odpowiedz-{value}")
        if target.field == "options":
            return url(QUESTION, key, anchor="odpowiedzi")
        if target.field in TEXT_FIELDS or target.field in ("required", "na", "max_length"):
            return url(QUESTION, key, anchor=f"id_{name}")
        return url(QUESTION, key, anchor="pytanie")
    if target.section is not None:
        key = target.section["key"]
        if target.field in ("title", "help"):
            return url(SECTION, key, anchor=f"id_{name}")
        return url(EDITOR, anchor=f"obszar-{key}")
    if target.point or target.field == "scale":
        return url(SCALE, anchor=f"id_{name}" if target.point else "")
    if target.field in ("title", "intro"):
        return url(HEADER, anchor=f"id_{name}")
    return url(EDITOR)


def target_label(target: Target) -> str:
    """How the target is named in a list: „Lokalizacja Urzędu” — treść."""
    if target.option is not None and target.question is not None:
        return _("Odpowiedź „%(option)s” w pytaniu „%(question)s”") % {
            "option": pl(target.option.get("label"), target.option["value"]),
            "question": pl(target.question.get("text"), target.question["key"]),
        }
    if target.question is not None:
        what = _("objaśnienie") if target.field == "help" else _("treść")
        return _("Pytanie „%(question)s” — %(what)s") % {
            "question": pl(target.question.get("text"), target.question["key"]),
            "what": what,
        }
    if target.section is not None:
        what = _("objaśnienie") if target.field == "help" else _("nazwa")
        return _("Obszar „%(section)s” — %(what)s") % {
            "section": pl(target.section.get("title"), target.section["key"]),
            "what": what,
        }
    if target.point:
        return _("Skala ocen — %(point)s") % {"point": ef.SCALE_LABELS[target.point]}
    if target.field == "intro":
        return _("Wstęp ankiety")
    return _("Tytuł ankiety")


def place_errors(exc, definition: dict, form=None, *, field_for=None) -> list[dict]:
    """The service's errors for the summary at the top of the page; each one also at its
    input when ``form`` has it (``field_for(target)`` names that input), else linked to
    the page where it is fixed."""
    items = []
    for error in getattr(exc, "errors", []) or []:
        target = target_of(definition, error.path)
        name = field_for(target) if field_for else None
        if form is not None and name and form.add_service_error(name, error.message):
            items.append({"id": form[name].auto_id, "message": error.message})
        else:
            items.append({"href": fix_url(target), "message": error.message})
    return items or [{"message": getattr(exc, "message", str(exc))}]


def missing_by_language(request, definition: dict) -> list[dict]:
    """Per language: which texts have no translation (residents see Polish), with links."""
    languages = translations_of(request)
    if not languages:
        return []
    missing = missing_translations(definition, languages=languages)
    result = []
    for code in languages:
        items = []
        for path in missing.get(code, []):
            target = target_of(definition, path, language=code)
            items.append({"label": target_label(target), "href": fix_url(target)})
        if items:
            result.append({"code": code, "name": ef.language_label(code), "items": items})
    return result


def outline(definition: dict, languages: list[str]) -> list[dict]:
    """Sections and their questions in order, with what the editor shows of each."""
    others = [code for code in languages if code != settings.LANGUAGE_CODE]
    sections = definition.get("sections", [])
    flat = [q["key"] for s in sections for q in s.get("questions", [])]
    result = []
    for s_index, section in enumerate(sections):
        questions = []
        for question in section.get("questions", []):
            questions.append(
                {
                    "key": question["key"],
                    "kind": question["kind"],
                    "kind_label": KIND_LABELS.get(question["kind"], question["kind"]),
                    "text": pl(question.get("text"), question["key"]),
                    "texts": question.get("text") or {},
                    "required": bool(question.get("required")),
                    "na": bool(question.get("na")),
                    "options": [
                        pl(o.get("label"), o["value"]) for o in question.get("options", [])
                    ],
                    "missing": [
                        ef.language_label(c)
                        for c in others
                        if not (question.get("text") or {}).get(c)
                    ],
                    "first": question["key"] == flat[0],
                    "last": question["key"] == flat[-1],
                }
            )
        result.append(
            {
                "key": section["key"],
                "number": s_index + 1,
                "kind_label": SECTION_KIND_LABELS.get(section.get("kind"), ""),
                "title": pl(section.get("title"), section["key"]),
                "missing": [
                    ef.language_label(c) for c in others if not (section.get("title") or {}).get(c)
                ],
                "first": s_index == 0,
                "last": s_index == len(sections) - 1,
                "questions": questions,
            }
        )
    return result


def move_anchor(keys: list[str], key: str, direction: str, prefix: str) -> str:
    """After a move: the same button again while there is one (to move further), else the
    item itself."""
    if key not in keys:
        return prefix
    position = keys.index(key)
    at_edge = position == 0 if direction == "up" else position == len(keys) - 1
    if at_edge:
        return f"{prefix}-{key}"
    return f"{prefix}-{key}-{'w-gore' if direction == 'up' else 'w-dol'}"


def refresh_revision(form, draft) -> None:
    """After a conflict the page shows the draft as it is now, and the kept input is sent
    with its revision next time."""
    if form is not None and form.is_bound:
        data = form.data.copy()
        data[form.add_prefix("revision")] = str(draft.revision)
        form.data = data


# Running one of the services' small operations


def run(request, operation, draft, form, **arguments):
    """(the changed draft, None), or (None, the refusal): DraftConflict, DefinitionInvalid
    or NotADraft. The revision is the one the form was loaded with."""
    try:
        changed = operation(
            office=request.office,
            actor=request.user,
            draft=draft,
            revision=form.cleaned_data["revision"],
            **arguments,
        )
    except (services.DraftConflict, services.DefinitionInvalid, services.NotADraft) as exc:
        return None, exc
    return changed, None


def refused(request, exc, draft, again):
    """The page again after a refusal; ``again(draft, status=, conflict=, exc=)`` draws it:
    after a conflict with the draft as it is now (409), else with the errors (400)."""
    if isinstance(exc, services.NotADraft):
        return draft_gone(request)
    if isinstance(exc, services.DraftConflict):
        fresh = draft_now(request)
        if fresh is None:
            return draft_gone(request)
        return again(fresh, status=409, conflict=True, exc=None)
    return again(draft, status=400, conflict=False, exc=exc)


def stale(draft, form) -> bool:
    """Did the page show an older revision than the stored one?"""
    return form.cleaned_data.get("revision") != draft.revision
