"""Forms of the survey editor in the panel.

Forms only read and check the shape of what was typed; the services change the draft and
refuse what does not fit the survey (a duplicate key, a choice question without answers …)
with ``DefinitionInvalid``, whose errors the views put back at these forms' fields.

Every form carries the draft's ``revision`` in a hidden field, so a change made on a page
that someone else has changed since is refused instead of overwriting theirs. Texts are
typed per language: ``<name>_<language>`` fields, Polish required, the office's other
languages optional (empty: residents see the Polish text).
"""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .definition import QUESTION_KINDS
from .validation import (
    HELP_MAX,
    KEY_RE,
    KIND_LABELS,
    LABEL_MAX,
    OPTION_VALUE_RE,
    SCALE_POINTS,
    TEXT_ANSWER_MAX,
    TITLE_MAX,
)

KEY_MAX_LENGTH = 63
OPTION_VALUE_MAX_LENGTH = 40
# The language in a label, in Polish: "Treść pytania (angielski)".
LANGUAGE_LABELS = {
    "pl": _("polski"),
    "en": _("angielski"),
    "uk": _("ukraiński"),
    "de": _("niemiecki"),
}
SCALE_LABELS = {
    "1": _("Ocena 1"),
    "2": _("Ocena 2"),
    "3": _("Ocena 3"),
    "4": _("Ocena 4"),
    "5": _("Ocena 5"),
    "na": _("Odpowiedź „nie dotyczy”"),
}
FALLBACK_HELP = _("Brak tłumaczenia — dopóki go nie ma, ten język nie jest oferowany mieszkańcom.")
OPTIONAL_HELP = _("Puste pole: ten język przestanie być oferowany mieszkańcom.")
_POLISH_EXTRA = str.maketrans({"ł": "l", "Ł": "L"})  # letters NFKD does not decompose


def language_label(code: str) -> str:
    return str(LANGUAGE_LABELS.get(code, code))


# Keys


def key_from_text(text: str, *, limit: int = KEY_MAX_LENGTH) -> str:
    """A key made of a Polish text: lower-case ASCII letters, digits and underscores."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_POLISH_EXTRA))
        .encode("ascii", "ignore")
        .decode("ascii")
        .lower()
    )
    key = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:limit].strip("_")
    if key and not key[0].isalpha():
        key = ("k_" + key)[:limit]
    return key


def key_unused(base: str, taken: set[str], *, limit: int = KEY_MAX_LENGTH) -> str:
    """``base`` itself, or ``base_2``, ``base_3`` … whichever is free."""
    base = (base or "pytanie")[: limit - 4]
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def question_keys_taken(definition: dict) -> set[str]:
    return {q["key"] for s in definition.get("sections", []) for q in s.get("questions", [])}


def question_key_suggested(definition: dict, section_key: str) -> str:
    """The next free ``<section>_<n>``: question keys are unique in the whole survey."""
    taken = question_keys_taken(definition)
    section = next((s for s in definition.get("sections", []) if s["key"] == section_key), {})
    number = len(section.get("questions", [])) + 1
    base = section_key[: KEY_MAX_LENGTH - 4]
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def _key_field(label, help_text, *, max_length: int = KEY_MAX_LENGTH) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        error_messages={"max_length": _("Klucz może mieć najwyżej %(limit_value)d znaków.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


KEY_FORMAT_MESSAGE = _(
    "Klucz może zawierać tylko małe litery bez polskich znaków, cyfry i podkreślenia (_) "
    "i musi zaczynać się od litery, np. obsluga_telefoniczna."
)
VALUE_FORMAT_MESSAGE = _(
    "Klucz odpowiedzi może zawierać tylko małe litery bez polskich znaków, cyfry "
    "i podkreślenia (_), np. raz_w_tygodniu."
)


# The base


class EditorForm(forms.Form):
    """A form of the editor: the draft's revision, fields in groups, an error summary."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        if revision is not None:
            self.fields["revision"].initial = revision
        self.groups: list[tuple[str, list[str]]] = []

    @property
    def field_groups(self) -> list[tuple[str, list]]:
        """(legend, bound fields) for each fieldset of the page."""
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and name != "revision":
                self._describe(name, with_error=True)

    def _describe(self, name: str, *, with_error: bool) -> None:
        """Point the input at its help text and error message (aria-describedby)."""
        field = self.fields[name]
        auto_id = self[name].auto_id
        ids = [f"{auto_id}_helptext"] if field.help_text else []
        if with_error:
            ids.append(f"{auto_id}_error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids:
            field.widget.attrs["aria-describedby"] = " ".join(ids)

    @property
    def revision_missing(self) -> bool:
        """No revision (or not a number) came: not a form of ours."""
        return self.is_bound and "revision" in self.errors

    def error_summary(self) -> list[dict]:
        """{"id", "message"} per error, each naming its field, for the top of the page."""
        items = [{"id": "", "message": m} for m in self.non_field_errors()]
        for field in self:
            if field.name != "revision":
                items += [
                    {"id": field.auto_id, "message": f"{field.label}: {m}"} for m in field.errors
                ]
        return items

    def add_service_error(self, name: str | None, message: str) -> bool:
        """Show a service's error at its input; False when this form has no such input."""
        if name not in self.fields or name == "revision":
            return False
        self.add_error(name, message)
        self._describe(name, with_error=True)
        return True

    def _add_texts(
        self,
        name: str,
        label,
        *,
        languages: list[str],
        saved: dict | None,
        required: bool,
        max_length: int,
        textarea: bool = False,
        required_message=None,
        help_text=None,
    ) -> None:
        """One field per language, ``<name>_<language>``, grouped under ``label``."""
        saved = saved or {}
        for code in languages:
            is_polish = code == settings.LANGUAGE_CODE
            attrs = {"lang": code}
            widget = (
                forms.Textarea(attrs={**attrs, "rows": 2}) if textarea else forms.TextInput(attrs)
            )
            if is_polish:
                field_help = help_text
            elif (saved.get(code) or "").strip():
                field_help = OPTIONAL_HELP
            elif (saved.get(settings.LANGUAGE_CODE) or "").strip() or required:
                field_help = FALLBACK_HELP
            else:
                field_help = _("Nieobowiązkowe.")
            field_name = f"{name}_{code}"
            self.fields[field_name] = forms.CharField(
                label=_("%(what)s (%(language)s)")
                % {"what": label, "language": language_label(code)},
                required=required and is_polish,
                max_length=max_length,
                help_text=field_help,
                initial=saved.get(code, ""),
                widget=widget,
                error_messages={
                    "required": required_message or _("Wpisz tekst po polsku."),
                    "max_length": _("Tekst może mieć najwyżej %(limit_value)d znaków."),
                },
            )
            if field_help:
                self._describe(field_name, with_error=False)
        self.groups.append((str(label), [f"{name}_{code}" for code in languages]))

    def texts(self, name: str, languages: list[str]) -> dict:
        """{language: text} of the fields ``<name>_<language>``, every language: the
        services merge texts, and an empty one removes that translation."""
        return {code: (self.cleaned_data.get(f"{name}_{code}") or "").strip() for code in languages}

    def optional_texts(self, name: str, languages: list[str]) -> dict | None:
        """Like ``texts``, but None when every language is empty (no text at all)."""
        texts = self.texts(name, languages)
        return texts if any(texts.values()) else None


class DraftForm(EditorForm):
    """Discard, publish, remove: nothing but the revision."""


class MoveForm(EditorForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class _NewKey:
    """A new item's key (``key_field``): checked when typed, else made of its Polish text
    (``text_field``) and kept clear of the ``taken`` ones."""

    key_field, text_field = "key", "text_pl"
    key_re, key_message, key_limit = KEY_RE, KEY_FORMAT_MESSAGE, KEY_MAX_LENGTH

    def clean(self):
        cleaned = super().clean()
        key = (cleaned.get(self.key_field) or "").strip()
        if key and not self.key_re.match(key):
            self.add_error(self.key_field, self.key_message)
        elif not key and cleaned.get(self.text_field) and self.key_field not in self.errors:
            base = key_from_text(cleaned[self.text_field], limit=self.key_limit)
            cleaned[self.key_field] = key_unused(base, self.taken, limit=self.key_limit)
        return cleaned


# Questions


class QuestionAddForm(_NewKey, EditorForm):
    kind = forms.ChoiceField(
        label=_("Rodzaj pytania"),
        choices=[(kind, KIND_LABELS[kind]) for kind in QUESTION_KINDS],
        error_messages={
            "required": _("Wybierz rodzaj pytania."),
            "invalid_choice": _("Wybierz rodzaj pytania z listy."),
        },
    )
    text_pl = forms.CharField(
        label=_("Treść pytania (polski)"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Wpisz treść pytania po polsku."),
            "max_length": _("Treść pytania może mieć najwyżej %(limit_value)d znaków."),
        },
        widget=forms.TextInput(attrs={"lang": "pl"}),
    )
    key = _key_field(
        _("Klucz pytania"),
        _(
            "Stały identyfikator pytania w raportach i plikach eksportu. Proponujemy klucz; "
            "jeśli zostawisz puste pole, powstanie z treści pytania. Po publikacji klucza "
            "się nie zmienia."
        ),
    )

    def __init__(self, *args, suggested_key: str = "", taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = suggested_key
        self.taken = set(taken)
        self._describe("key", with_error=False)


class QuestionForm(EditorForm):
    """The texts and settings of one question; its key and kind stay as they are."""

    def __init__(self, *args, question: dict, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        kind = question.get("kind")
        self._add_texts(
            "text",
            _("Treść pytania"),
            languages=languages,
            saved=question.get("text"),
            required=True,
            max_length=TITLE_MAX,
            required_message=_("Wpisz treść pytania po polsku."),
        )
        self._add_texts(
            "help",
            _("Objaśnienie pod pytaniem"),
            languages=languages,
            saved=question.get("help"),
            required=False,
            textarea=True,
            max_length=HELP_MAX,
            help_text=_("Nieobowiązkowe. Krótka wskazówka widoczna pod treścią pytania."),
        )
        settings_fields = ["required"]
        self.fields["required"] = forms.BooleanField(
            label=_("Odpowiedź wymagana"),
            required=False,
            initial=bool(question.get("required")),
            help_text=_("Ankiety nie da się wysłać bez odpowiedzi na to pytanie."),
        )
        self._describe("required", with_error=False)
        if kind == "rating":
            self.fields["na"] = forms.BooleanField(
                label=_("Można odpowiedzieć „nie dotyczy”"),
                required=False,
                initial=bool(question.get("na")),
            )
            settings_fields.append("na")
        if kind == "text":
            self.fields["max_length"] = forms.IntegerField(
                label=_("Największa liczba znaków odpowiedzi"),
                min_value=1,
                max_value=TEXT_ANSWER_MAX,
                initial=question.get("max_length") or 2000,
                help_text=_("Liczba od 1 do %(max)d.") % {"max": TEXT_ANSWER_MAX},
                error_messages={
                    "required": _("Podaj największą liczbę znaków odpowiedzi."),
                    "invalid": _("Wpisz liczbę całkowitą, np. 500."),
                    "min_value": _("Wpisz liczbę co najmniej 1."),
                    "max_value": _("Wpisz liczbę najwyżej %(limit_value)s."),
                },
            )
            self._describe("max_length", with_error=False)
            settings_fields.append("max_length")
        self.groups.append((str(_("Ustawienia")), settings_fields))

    def question_fields(self) -> dict:
        """The changed fields in the definition's own shape (an empty help: none)."""
        data = self.cleaned_data
        fields = {
            "text": self.texts("text", self.languages),
            "help": self.optional_texts("help", self.languages),
            "required": bool(data.get("required")),
        }
        if "na" in self.fields:
            fields["na"] = bool(data.get("na"))
        if "max_length" in self.fields:
            fields["max_length"] = data["max_length"]
        return fields


# Answer options of single and multiple choice questions


class OptionAddForm(_NewKey, EditorForm):
    """A new answer: its Polish text (translations: in its own form once it is added)."""

    key_field, text_field = "value", "label_pl"
    key_re, key_message, key_limit = OPTION_VALUE_RE, VALUE_FORMAT_MESSAGE, OPTION_VALUE_MAX_LENGTH

    label_pl = forms.CharField(
        label=_("Treść nowej odpowiedzi (polski)"),
        max_length=LABEL_MAX,
        error_messages={
            "required": _("Wpisz treść odpowiedzi po polsku."),
            "max_length": _("Treść odpowiedzi może mieć najwyżej %(limit_value)d znaków."),
        },
        widget=forms.TextInput(attrs={"lang": "pl"}),
    )
    value = _key_field(
        _("Klucz odpowiedzi"),
        _(
            "Stały identyfikator odpowiedzi w raportach. Jeśli zostawisz puste pole, "
            "powstanie z treści odpowiedzi."
        ),
        max_length=OPTION_VALUE_MAX_LENGTH,
    )

    def __init__(self, *args, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = set(taken)
        self._describe("value", with_error=False)


class OptionForm(EditorForm):
    def __init__(self, *args, option: dict, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self._add_texts(
            "label",
            _("Treść odpowiedzi"),
            languages=languages,
            saved=option.get("label"),
            required=True,
            max_length=LABEL_MAX,
            required_message=_("Wpisz treść odpowiedzi po polsku."),
        )


# Sections (areas)


class SectionAddForm(_NewKey, EditorForm):
    title_pl = forms.CharField(
        label=_("Nazwa obszaru (polski)"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Wpisz nazwę obszaru po polsku."),
            "max_length": _("Nazwa obszaru może mieć najwyżej %(limit_value)d znaków."),
        },
        widget=forms.TextInput(attrs={"lang": "pl"}),
    )
    kind = forms.ChoiceField(
        label=_("Rodzaj"),
        choices=[
            ("area", _("obszar oceniany — pytania w skali 1–5, w raporcie średnia obszaru")),
            ("questions", _("zwykła grupa pytań")),
        ],
        initial="area",
        error_messages={
            "required": _("Wybierz rodzaj obszaru."),
            "invalid_choice": _("Wybierz rodzaj obszaru z listy."),
        },
    )
    key = _key_field(
        _("Klucz obszaru"),
        _(
            "Stały identyfikator obszaru w raportach. Jeśli zostawisz puste pole, powstanie "
            "z nazwy obszaru."
        ),
    )

    text_field = "title_pl"

    def __init__(self, *args, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = set(taken)
        self._describe("key", with_error=False)


class SectionForm(EditorForm):
    def __init__(self, *args, section: dict, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self._add_texts(
            "title",
            _("Nazwa obszaru"),
            languages=languages,
            saved=section.get("title"),
            required=True,
            max_length=TITLE_MAX,
            required_message=_("Wpisz nazwę obszaru po polsku."),
        )
        self._add_texts(
            "help",
            _("Objaśnienie pod nazwą obszaru"),
            languages=languages,
            saved=section.get("help"),
            required=False,
            textarea=True,
            max_length=HELP_MAX,
            help_text=_("Nieobowiązkowe."),
        )

    def section_fields(self) -> dict:
        return {
            "title": self.texts("title", self.languages),
            "help": self.optional_texts("help", self.languages),
        }


# The whole survey: the rating scale, the title and the introduction


class ScaleForm(EditorForm):
    """The labels of the rating scale (1–5 and "nie dotyczy") in every language."""

    def __init__(self, *args, scale: dict, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        for point in SCALE_POINTS:
            self._add_texts(
                f"scale_{point}",
                SCALE_LABELS[point],
                languages=languages,
                saved=scale.get(point),
                required=point != "na",
                max_length=LABEL_MAX,
                required_message=_("Wpisz opis po polsku."),
            )

    def labels(self) -> dict:
        return {point: self.texts(f"scale_{point}", self.languages) for point in SCALE_POINTS}


class HeaderForm(EditorForm):
    """The survey's title and introduction in every language."""

    def __init__(self, *args, definition: dict, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = languages
        self._add_texts(
            "title",
            _("Tytuł ankiety"),
            languages=languages,
            saved=definition.get("title"),
            required=True,
            max_length=TITLE_MAX,
            required_message=_("Wpisz tytuł ankiety po polsku."),
        )
        self._add_texts(
            "intro",
            _("Wstęp pod tytułem"),
            languages=languages,
            saved=definition.get("intro"),
            required=False,
            textarea=True,
            max_length=HELP_MAX,
        )

    def header(self) -> dict:
        """{"title": {lang: text}, "intro": {lang: text} | None}, empty languages left out
        (these are saved whole, not merged)."""
        title = {c: t for c, t in self.texts("title", self.languages).items() if t}
        intro = {c: t for c, t in self.texts("intro", self.languages).items() if t}
        return {"title": title, "intro": intro or None}


def option_prefix(value: str) -> str:
    """The prefix of an answer's form on the question page (its inputs' ids and names)."""
    return f"odp-{value}"
