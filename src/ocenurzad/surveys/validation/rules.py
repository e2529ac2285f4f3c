"""The rules of a survey definition: its constants and the check itself
(``definition_errors``). See the package docstring for the rules in words."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..definition import NOT_APPLICABLE, QUESTION_KINDS, RATING_VALUES

DEFINITION_FORMAT = 1
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
OPTION_VALUE_RE = re.compile(r"^[a-z0-9_]{1,40}$")
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2}$")
SECTION_KINDS = ("area", "questions")
SCALE_POINTS = (*RATING_VALUES, NOT_APPLICABLE)
CHOICE_KINDS = ("single", "multi")
MIN_OPTIONS = 2
TITLE_MAX = 500  # survey and section titles, question texts
HELP_MAX = 1000  # help texts and the survey's intro
LABEL_MAX = 200  # option labels and scale labels
TEXT_ANSWER_MAX = 5000  # the largest max_length a text question may have

TOP_FIELDS = ("format", "title", "intro", "scale", "sections")
SECTION_FIELDS = ("key", "kind", "title", "help", "questions")
QUESTION_FIELDS = (
    "key",
    "kind",
    "text",
    "required",
    "na",
    "options",
    "help",
    "max_length",
    "importance_of",
)
OPTION_FIELDS = ("value", "label")


KIND_LABELS = {
    "rating": gettext_lazy("ocena w skali 1–5"),
    "single": gettext_lazy("jednokrotny wybór"),
    "multi": gettext_lazy("wielokrotny wybór"),
    "department": gettext_lazy("wydział"),
    "yesno": gettext_lazy("tak / nie"),
    "text": gettext_lazy("odpowiedź opisowa"),
}
SECTION_KIND_LABELS = {
    "area": gettext_lazy("obszar oceniany"),
    "questions": gettext_lazy("pytania"),
}


@dataclass(frozen=True)
class DefinitionError:
    """One problem: where it is (``path``) and what it is, in Polish (``message``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def has_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


@dataclass(frozen=True)
class _TextKind:
    nominative: str
    genitive: str
    limit: int


def _text_kinds() -> dict[str, _TextKind]:
    return {
        "title": _TextKind(_("tytuł"), _("tytułu"), TITLE_MAX),
        "intro": _TextKind(_("wstęp"), _("wstępu"), HELP_MAX),
        "help": _TextKind(_("objaśnienie"), _("objaśnienia"), HELP_MAX),
        "text": _TextKind(_("treść pytania"), _("treści pytania"), TITLE_MAX),
        "label": _TextKind(_("etykieta"), _("etykiety"), LABEL_MAX),
        "scale": _TextKind(_("opis punktu"), _("opisu punktu"), LABEL_MAX),
    }


def _quoted(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return "„" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def _lower_first(text: str) -> str:
    """ "Pytanie „X”" inside a sentence: "pytanie „X”"."""
    return text[:1].lower() + text[1:]


class _Check:
    def __init__(self, definition: dict, languages: list[str], for_publish: bool):
        self.definition = definition
        self.for_publish = for_publish
        self.errors: list[DefinitionError] = []
        self.kinds = _text_kinds()
        self.known_languages = set(languages) | {code for code, _name in settings.LANGUAGES}
        self.section_keys: dict[str, str] = {}  # key -> name of the section
        self.question_keys: dict[str, str] = {}  # key -> name of the question
        self.area_keys: set[str] = set()
        self.importance: dict[str, str] = {}  # area key -> name of the question asking it
        self.department: str | None = None
        self.ratings = 0
        self.questions = 0

    def add(self, path: str, message: str) -> None:
        self.errors.append(DefinitionError(path, message))

    def run(self) -> list[DefinitionError]:
        d = self.definition
        if not isinstance(d, dict):
            self.add("", _("Definicja ankiety musi być obiektem JSON (w nawiasach { })."))
            return self.errors
        fmt = d.get("format")
        if type(fmt) is not int or fmt != DEFINITION_FORMAT:
            self.add(
                "format",
                _("Nieznany format definicji ankiety: %(format)s (obsługiwany jest format 1).")
                % {"format": _("brak") if fmt is None else _quoted(str(fmt))},
            )
            return self.errors
        self.unknown_fields(d, TOP_FIELDS, "", _("Ankieta"))
        self.texts(d.get("title"), "title", _("Ankieta"), "title", required=True)
        self.texts(d.get("intro"), "intro", _("Ankieta"), "intro", required=False)
        sections = d.get("sections")
        if not isinstance(sections, list):
            self.add("sections", _("Ankieta musi mieć listę sekcji („sections”)."))
            sections = []
        for section in sections:
            if isinstance(section, dict) and section.get("kind") == "area":
                key = section.get("key")
                if isinstance(key, str):
                    self.area_keys.add(key)
        for index, section in enumerate(sections):
            self.section(section, f"sections[{index}]", index)
        self.scale(d.get("scale"))
        if self.questions == 0 and isinstance(d.get("sections"), list):
            self.add("sections", _("Ankieta musi mieć co najmniej jedno pytanie."))
        return self.errors

    def unknown_fields(self, item: dict, allowed, path: str, subject: str) -> None:
        for name in item:
            if name not in allowed:
                self.add(
                    f"{path}.{name}" if path else str(name),
                    _("%(subject)s: nieznane pole %(field)s (dozwolone: %(allowed)s).")
                    % {
                        "subject": subject,
                        "field": _quoted(str(name)),
                        "allowed": ", ".join(allowed),
                    },
                )

    def texts(self, value, path: str, subject: str, kind: str, *, required: bool) -> None:
        names = self.kinds[kind]
        if value is None:
            if required:
                self.add(
                    path,
                    _("%(subject)s: brak %(what)s po polsku — tekst polski jest wymagany.")
                    % {"subject": subject, "what": names.genitive},
                )
            return
        if not isinstance(value, dict) or not all(isinstance(t, str) for t in value.values()):
            self.add(
                path,
                _(
                    "%(subject)s: %(what)s musi być podany jako teksty w językach, "
                    'np. {"pl": "…", "en": "…"}.'
                )
                % {"subject": subject, "what": names.nominative},
            )
            return
        for lang, text in value.items():
            if lang not in self.known_languages or not LANGUAGE_CODE_RE.match(lang):
                self.add(
                    path,
                    _("%(subject)s: %(what)s w nieznanym języku %(lang)s.")
                    % {"subject": subject, "what": names.nominative, "lang": _quoted(lang)},
                )
            elif len(text) > names.limit:
                self.add(
                    path,
                    _(
                        "%(subject)s: %(what)s (%(lang)s) ma %(length)d znaków, "
                        "a może mieć najwyżej %(limit)d."
                    )
                    % {
                        "subject": subject,
                        "what": names.nominative,
                        "lang": lang,
                        "length": len(text),
                        "limit": names.limit,
                    },
                )
        if required and not has_text(value.get("pl")):
            self.add(
                path,
                _("%(subject)s: brak %(what)s po polsku — tekst polski jest wymagany.")
                % {"subject": subject, "what": names.genitive},
            )

    def key(self, item: dict, path: str, subject: str) -> str | None:
        key = item.get("key")
        if key is None or key == "":
            self.add(f"{path}.key", _("%(subject)s: brak klucza.") % {"subject": subject})
            return None
        if not isinstance(key, str) or not KEY_RE.match(key):
            self.add(
                f"{path}.key",
                _(
                    "%(subject)s: klucz %(key)s jest niepoprawny — klucz zaczyna się małą "
                    "literą, zawiera tylko małe litery bez polskich znaków, cyfry i znak _, "
                    "najwyżej 63 znaki."
                )
                % {"subject": subject, "key": _quoted(str(key))},
            )
            return None
        return key

    # Sections and questions

    def section(self, section, path: str, index: int) -> None:
        if not isinstance(section, dict):
            self.add(path, _("Sekcja nr %(n)d nie jest obiektem JSON.") % {"n": index + 1})
            return
        title = section.get("title")
        pl = title.get("pl") if isinstance(title, dict) else None
        key = section.get("key")
        if has_text(pl):
            subject = _("Sekcja %(name)s") % {"name": _quoted(pl)}
        elif isinstance(key, str) and key:
            subject = _("Sekcja o kluczu %(key)s") % {"key": _quoted(key)}
        else:
            subject = _("Sekcja nr %(n)d") % {"n": index + 1}
        self.unknown_fields(section, SECTION_FIELDS, path, subject)
        key = self.key(section, path, subject)
        if key is not None:
            if key in self.section_keys:
                self.add(
                    f"{path}.key",
                    _("%(subject)s: klucz %(key)s ma już %(other)s.")
                    % {
                        "subject": subject,
                        "key": _quoted(key),
                        "other": _lower_first(self.section_keys[key]),
                    },
                )
            else:
                self.section_keys[key] = subject
        kind = section.get("kind")
        if kind not in SECTION_KINDS:
            self.add(
                f"{path}.kind",
                _(
                    "%(subject)s: nieznany rodzaj sekcji %(kind)s (dozwolone: area — obszar "
                    "oceniany, questions — pytania)."
                )
                % {"subject": subject, "kind": _("brak") if kind is None else _quoted(str(kind))},
            )
        self.texts(section.get("title"), f"{path}.title", subject, "title", required=True)
        self.texts(section.get("help"), f"{path}.help", subject, "help", required=False)
        questions = section.get("questions", [])
        if not isinstance(questions, list):
            self.add(
                f"{path}.questions",
                _("%(subject)s: pytania muszą być listą („questions”).") % {"subject": subject},
            )
            return
        if not questions and self.for_publish:
            self.add(
                f"{path}.questions",
                _("%(subject)s nie ma żadnego pytania — dodaj pytanie albo usuń sekcję.")
                % {"subject": subject},
            )
        for q_index, question in enumerate(questions):
            self.question(question, f"{path}.questions[{q_index}]", q_index, subject, kind)

    def question(self, question, path: str, index: int, section_subject: str, section_kind):
        if not isinstance(question, dict):
            self.add(
                path,
                _("%(section)s: pytanie nr %(n)d nie jest obiektem JSON.")
                % {"section": section_subject, "n": index + 1},
            )
            return
        self.questions += 1
        text = question.get("text")
        pl = text.get("pl") if isinstance(text, dict) else None
        key = question.get("key")
        if has_text(pl):
            subject = _("Pytanie %(name)s") % {"name": _quoted(pl)}
        elif isinstance(key, str) and key:
            subject = _("Pytanie o kluczu %(key)s") % {"key": _quoted(key)}
        else:
            subject = _("%(section)s, pytanie nr %(n)d") % {
                "section": section_subject,
                "n": index + 1,
            }
        self.unknown_fields(question, QUESTION_FIELDS, path, subject)
        key = self.key(question, path, subject)
        if key is not None:
            if key in self.question_keys:
                self.add(
                    f"{path}.key",
                    _(
                        "%(subject)s: klucz %(key)s ma już %(other)s — klucze pytań nie mogą się "
                        "powtarzać w całej ankiecie."
                    )
                    % {
                        "subject": subject,
                        "key": _quoted(key),
                        "other": _lower_first(self.question_keys[key]),
                    },
                )
            else:
                self.question_keys[key] = subject
        kind = question.get("kind")
        if kind not in QUESTION_KINDS:
            self.add(
                f"{path}.kind",
                _("%(subject)s: nieznany rodzaj pytania %(kind)s (dozwolone: %(allowed)s).")
                % {
                    "subject": subject,
                    "kind": _("brak") if kind is None else _quoted(str(kind)),
                    "allowed": ", ".join(QUESTION_KINDS),
                },
            )
            kind = None
        self.texts(question.get("text"), f"{path}.text", subject, "text", required=True)
        self.texts(question.get("help"), f"{path}.help", subject, "help", required=False)
        if "required" in question and not isinstance(question["required"], bool):
            self.add(
                f"{path}.required",
                _("%(subject)s: „required” musi mieć wartość true albo false.")
                % {"subject": subject},
            )
        self.only_for(question, "na", ("rating",), kind, path, subject)
        if kind == "rating":
            self.ratings += 1
            if "na" in question and not isinstance(question["na"], bool):
                self.add(
                    f"{path}.na",
                    _("%(subject)s: „na” (nie dotyczy) musi mieć wartość true albo false.")
                    % {"subject": subject},
                )
        self.only_for(question, "options", CHOICE_KINDS, kind, path, subject)
        if kind in CHOICE_KINDS:
            self.options(question.get("options"), f"{path}.options", subject)
        self.only_for(question, "max_length", ("text",), kind, path, subject)
        if kind == "text" and "max_length" in question:
            limit = question["max_length"]
            if type(limit) is not int or not 1 <= limit <= TEXT_ANSWER_MAX:
                self.add(
                    f"{path}.max_length",
                    _("%(subject)s: największa długość odpowiedzi musi być liczbą od 1 do %(max)d.")
                    % {"subject": subject, "max": TEXT_ANSWER_MAX},
                )
        self.only_for(question, "importance_of", ("rating",), kind, path, subject)
        if kind == "rating" and question.get("importance_of") is not None:
            self.importance_of(question["importance_of"], path, subject, section_kind)
        if kind == "department":
            if self.department is not None:
                self.add(
                    f"{path}.kind",
                    _(
                        "%(subject)s: ankieta może mieć tylko jedno pytanie o wydział, "
                        "a jest już %(other)s."
                    )
                    % {"subject": subject, "other": _lower_first(self.department)},
                )
            else:
                self.department = subject

    def only_for(self, question: dict, field: str, kinds, kind, path: str, subject: str) -> None:
        if field in question and kind is not None and kind not in kinds:
            self.add(
                f"{path}.{field}",
                _("%(subject)s: pole %(field)s nie dotyczy pytań rodzaju %(kind)s.")
                % {"subject": subject, "field": _quoted(field), "kind": _quoted(kind)},
            )

    def options(self, options, path: str, subject: str) -> None:
        if not isinstance(options, list) or len(options) < MIN_OPTIONS:
            self.add(
                path,
                _("%(subject)s: pytanie wyboru musi mieć co najmniej %(n)d odpowiedzi do wyboru.")
                % {"subject": subject, "n": MIN_OPTIONS},
            )
            if not isinstance(options, list):
                return
        seen: set[str] = set()
        for index, option in enumerate(options):
            o_path = f"{path}[{index}]"
            if not isinstance(option, dict):
                self.add(
                    o_path,
                    _("%(subject)s: odpowiedź nr %(n)d nie jest obiektem JSON.")
                    % {"subject": subject, "n": index + 1},
                )
                continue
            value = option.get("value")
            label = option.get("label")
            pl = label.get("pl") if isinstance(label, dict) else None
            name = _quoted(pl) if has_text(pl) else _("nr %(n)d") % {"n": index + 1}
            o_subject = _("%(subject)s, odpowiedź %(name)s") % {"subject": subject, "name": name}
            self.unknown_fields(option, OPTION_FIELDS, o_path, o_subject)
            if not isinstance(value, str) or not OPTION_VALUE_RE.match(value):
                self.add(
                    f"{o_path}.value",
                    _(
                        "%(subject)s: wartość %(value)s jest niepoprawna — 1 do 40 znaków: "
                        "małe litery bez polskich znaków, cyfry i znak _."
                    )
                    % {"subject": o_subject, "value": _quoted(str(value or ""))},
                )
            elif value in seen:
                self.add(
                    f"{o_path}.value",
                    _("%(subject)s: wartość %(value)s powtarza się w tym pytaniu.")
                    % {"subject": o_subject, "value": _quoted(value)},
                )
            else:
                seen.add(value)
            self.texts(label, f"{o_path}.label", o_subject, "label", required=True)

    def importance_of(self, area, path: str, subject: str, section_kind) -> None:
        if not isinstance(area, str) or area not in self.area_keys:
            self.add(
                f"{path}.importance_of",
                _(
                    "%(subject)s: „importance_of” musi wskazywać klucz sekcji-obszaru "
                    "ocenianego, a %(area)s nim nie jest."
                )
                % {"subject": subject, "area": _quoted(str(area))},
            )
            return
        if section_kind == "area":
            self.add(
                f"{path}.importance_of",
                _(
                    "%(subject)s: pytanie o ważność obszaru nie może stać w sekcji-obszarze — "
                    "jego odpowiedzi liczyłyby się do ocen obszaru."
                )
                % {"subject": subject},
            )
        if area in self.importance:
            self.add(
                f"{path}.importance_of",
                _("%(subject)s: o ważność obszaru %(area)s pyta już %(other)s.")
                % {
                    "subject": subject,
                    "area": _quoted(area),
                    "other": _lower_first(self.importance[area]),
                },
            )
        else:
            self.importance[area] = subject

    def scale(self, scale) -> None:
        if scale is None and not self.ratings:
            return
        subject = _("Skala ocen")
        if not isinstance(scale, dict):
            self.add(
                "scale",
                _("%(subject)s: brak opisów punktów 1–5 (pole „scale”).") % {"subject": subject},
            )
            return
        for point in scale:
            if point not in SCALE_POINTS:
                self.add(
                    f"scale.{point}",
                    _(
                        "%(subject)s ma zawsze 5 punktów (1–5) i może mieć „nie dotyczy” (na); "
                        "punktu %(point)s nie może mieć."
                    )
                    % {"subject": subject, "point": _quoted(str(point))},
                )
        for point in SCALE_POINTS:
            point_subject = (
                _("%(subject)s, punkt %(point)s") % {"subject": subject, "point": point}
                if point != NOT_APPLICABLE
                else _("%(subject)s, „nie dotyczy”") % {"subject": subject}
            )
            if point not in scale and point != NOT_APPLICABLE:
                self.add(
                    f"scale.{point}",
                    _(
                        "%(subject)s: brak opisu po polsku — skala ma zawsze 5 punktów "
                        "i każdy musi mieć opis."
                    )
                    % {"subject": point_subject},
                )
                continue
            self.texts(
                scale.get(point),
                f"scale.{point}",
                point_subject,
                "scale",
                required=point != NOT_APPLICABLE,
            )


def definition_errors(
    definition: dict, *, languages: list[str], for_publish: bool = False
) -> list[DefinitionError]:
    """Every problem of the definition, in reading order; an empty list when it is fine.

    ``languages`` are the office's languages; texts may be given in those and in any
    language the system offers. ``for_publish`` adds the checks only a survey residents
    see needs (no empty section). Never raises.
    """
    return _Check(definition, list(languages), for_publish).run()
