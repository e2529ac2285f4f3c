"""The office's audit log in the panel: who changed what and when, newest first.

Entries store what changed as recorded (ids, codes, answers by question key); the page
shows it in words: departments and survey versions by name and number, choices by their
label, a paper sheet's answers by question and answer text. What the office typed (names,
titles, descriptions, survey texts without a translation) is Polish whatever the panel's
language, and marked so (``pl_name``: ``lang="pl"`` on a page in another language).
"""

import datetime
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ocenurzad.accounts.models import User
from ocenurzad.accounts.permissions import Perm
from ocenurzad.core.templatetags.languages import pl_name
from ocenurzad.offices.models import Department
from ocenurzad.panel.access import panel_view
from ocenurzad.surveys.definition import NOT_APPLICABLE, iter_questions, localized
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.workflows.models import VisibleChange

from .selectors import audit_entries

PER_PAGE = 50

# Recorded action codes in words. An action missing here is shown by its code.
ACTION_LABELS = {
    "response.paper_enter": gettext_lazy("wprowadzenie ankiety papierowej"),
    "response.paper_correct": gettext_lazy("poprawienie ankiety papierowej"),
    "response.paper_delete": gettext_lazy("usunięcie ankiety papierowej"),
    "print.batch": gettext_lazy("wydruk ponumerowanych arkuszy"),
    "user.create": gettext_lazy("utworzenie konta"),
    "user.update": gettext_lazy("zmiana konta"),
    "user.password_set": gettext_lazy("ustawienie hasła przez administratora"),
    "user.password_reset_sent": gettext_lazy("wysłanie linku do ustawienia hasła"),
    "user.password_change": gettext_lazy("zmiana własnego hasła"),
    "user.unlock": gettext_lazy("odblokowanie konta"),
    "user.2fa_on": gettext_lazy("włączenie logowania dwuetapowego"),
    "user.2fa_off": gettext_lazy("wyłączenie logowania dwuetapowego"),
    "user.2fa_reset": gettext_lazy("wyłączenie logowania dwuetapowego przez administratora"),
    "office.create": gettext_lazy("utworzenie urzędu"),
    "office.update": gettext_lazy("zmiana danych urzędu"),
    "office.activate": gettext_lazy("włączenie urzędu"),
    "office.deactivate": gettext_lazy("wyłączenie urzędu"),
    "office.domain_add": gettext_lazy("dodanie własnej domeny urzędu"),
    "office.domain_remove": gettext_lazy("usunięcie własnej domeny urzędu"),
    "department.create": gettext_lazy("dodanie wydziału"),
    "department.rename": gettext_lazy("zmiana nazwy wydziału"),
    "department.translate": gettext_lazy("tłumaczenia nazw wydziałów"),
    "department.move": gettext_lazy("zmiana kolejności wydziałów"),
    "department.reorder": gettext_lazy("nowa kolejność wszystkich wydziałów"),
    "department.activate": gettext_lazy("przywrócenie wydziału do ankiety"),
    "department.deactivate": gettext_lazy("wyłączenie wydziału z ankiety"),
    "survey.draft_create": gettext_lazy("utworzenie szkicu ankiety"),
    "survey.draft_save": gettext_lazy("zapisanie zmian w szkicu ankiety"),
    "survey.draft_discard": gettext_lazy("odrzucenie szkicu ankiety"),
    # The editor's changes of a draft (surveys/services/edits.py, "survey.draft_<op>")
    "survey.draft_section_add": gettext_lazy("szkic ankiety: dodanie obszaru"),
    "survey.draft_section_update": gettext_lazy("szkic ankiety: zmiana nazwy obszaru"),
    "survey.draft_section_move": gettext_lazy("szkic ankiety: przesunięcie obszaru"),
    "survey.draft_section_remove": gettext_lazy("szkic ankiety: usunięcie obszaru"),
    "survey.draft_question_add": gettext_lazy("szkic ankiety: dodanie pytania"),
    "survey.draft_question_update": gettext_lazy("szkic ankiety: zmiana pytania"),
    "survey.draft_question_move": gettext_lazy("szkic ankiety: przesunięcie pytania"),
    "survey.draft_question_remove": gettext_lazy("szkic ankiety: usunięcie pytania"),
    "survey.draft_option_add": gettext_lazy("szkic ankiety: dodanie odpowiedzi do wyboru"),
    "survey.draft_option_update": gettext_lazy("szkic ankiety: zmiana odpowiedzi do wyboru"),
    "survey.draft_option_move": gettext_lazy("szkic ankiety: przesunięcie odpowiedzi do wyboru"),
    "survey.draft_option_remove": gettext_lazy("szkic ankiety: usunięcie odpowiedzi do wyboru"),
    "survey.draft_scale_labels_update": gettext_lazy("szkic ankiety: zmiana opisów skali"),
    "survey.draft_translation_update": gettext_lazy("szkic ankiety: zmiana tłumaczenia"),
    "survey.import": gettext_lazy("wczytanie ankiety z pliku"),
    "survey.publish": gettext_lazy("opublikowanie nowej wersji ankiety"),
    "responses.export": gettext_lazy("pobranie odpowiedzi mieszkańców (plik)"),
    "action.create": gettext_lazy("dodanie działania naprawczego lub doskonalącego"),
    "action.update": gettext_lazy("zmiana działania"),
    "action.status": gettext_lazy("zmiana stanu działania"),
    "reminders.settings": gettext_lazy("zmiana ustawień przypomnień"),
    "reminders.opt_out": gettext_lazy("wyłączenie własnych przypomnień"),
    "reminders.opt_in": gettext_lazy("włączenie własnych przypomnień"),
    "report.download": gettext_lazy("pobranie raportu (plik)"),
    "report.archive": gettext_lazy("zapisanie raportu w archiwum"),
    "scans.import": gettext_lazy("wczytanie skanów ankiet papierowych"),
    "scans.question_answer": gettext_lazy("skany: rozstrzygnięcie odpowiedzi na arkuszu"),
    "scans.page_assign": gettext_lazy("skany: wskazanie arkusza dla strony"),
    "scans.confirm_unnumbered": gettext_lazy("skany: potwierdzenie arkuszy bez numeru"),
    "scans.comment_type": gettext_lazy("skany: przepisanie odręcznej uwagi"),
    "scans.comment_skip": gettext_lazy("skany: pominięcie odręcznej uwagi"),
    "report.before_change": gettext_lazy(
        "raport z dotychczasowych wyników przy zmianie widocznej dla mieszkańców (§ 5)"
    ),
}
# Recorded keys that are not model fields.
EXTRA_FIELD_LABELS = {
    "version_id": gettext_lazy("wersja ankiety"),
    "filled_on": gettext_lazy("data na arkuszu (przy okresie zebrania: jego środkowy dzień)"),
    "department_id": gettext_lazy("wydział"),
    "departments": gettext_lazy("wydziały"),
    "admin": gettext_lazy("administrator urzędu"),
    "place": gettext_lazy("miejsce na liście"),
    "answers": gettext_lazy("odpowiedzi"),
    "revision": gettext_lazy("numer zapisu szkicu"),
    "added": gettext_lazy("dodane pytania"),
    "removed": gettext_lazy("usunięte pytania"),
    "based_on": gettext_lazy("na podstawie wersji"),
    "current_version": gettext_lazy("wersja, którą wypełniają mieszkańcy"),
    "report": gettext_lazy("raport zapisany w archiwum przed zmianą"),
    "password": gettext_lazy("hasło"),
    "password_reset_link_sent_to": gettext_lazy("link do ustawienia hasła wysłany na adres"),
    "locked_out": gettext_lazy("konto zablokowane po nieudanych logowaniach"),
    "two_factor": gettext_lazy("logowanie dwuetapowe"),
    "format": gettext_lazy("format pliku"),
    "domain": gettext_lazy("domena"),
    "period": gettext_lazy("okres"),
    "channel": gettext_lazy("sposób wypełnienia"),
    "owner_id": gettext_lazy("osoba odpowiedzialna (konto)"),
    "status_note": gettext_lazy("notatka do zmiany stanu"),
    "attachment_name": gettext_lazy("załącznik"),
    "purpose": gettext_lazy("powód"),
    "note": gettext_lazy("notatka"),
    "archived_report": gettext_lazy("raport z archiwum nr"),
    "change": gettext_lazy("zmiana"),
    "summary": gettext_lazy("co zmieniono"),
    "as_of": gettext_lazy("raport: stan na"),
    "reused": gettext_lazy(
        "użyto raportu poprzedniej zmiany (od niego nie wpłynęła żadna ankieta)"
    ),
    "order": gettext_lazy("kolejność"),
    # The survey editor's changes: which item (by key) and which text
    "section": gettext_lazy("obszar (klucz)"),
    "question": gettext_lazy("pytanie (klucz)"),
    "option": gettext_lazy("odpowiedź do wyboru (klucz)"),
    "path": gettext_lazy("tekst"),
    "lang": gettext_lazy("język"),
    # Scans: a question decided, a comment typed, sheets confirmed
    "key": gettext_lazy("pytanie (klucz)"),
    "read": gettext_lazy("odczytano ze skanu"),
    "reason": gettext_lazy("powód sprawdzenia"),
    "answer": gettext_lazy("odpowiedź"),
    "text": gettext_lazy("treść uwagi"),
    "sheets": gettext_lazy("arkusze"),
}
# A day as recorded (deadline, date on the sheet …), shown as the panel writes dates.
ISO_DAY_RE = re.compile(r"\d{4}-\d\d-\d\d")
# Recorded keys whose value is a survey version's number.
VERSION_NUMBER_KEYS = ("based_on", "current_version")
# Text fields whose value is not words in a language (a login, an address, a code).
NOT_WORDS = (models.EmailField, models.URLField, models.SlugField, models.GenericIPAddressField)
NOT_WORDS_NAMES = ("username", "code")


@require_GET
@panel_view(Perm.AUDIT)
def audit_log(request):
    paginator = Paginator(audit_entries(office=request.office, limit=None), PER_PAGE)
    page = paginator.get_page(request.GET.get("strona"))
    names = _Names(request.office, page.object_list, request.LANGUAGE_CODE)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "page_numbers": list(
                paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "ellipsis": paginator.ELLIPSIS,
            "rows": [_entry_row(entry, names) for entry in page],
        },
    )


class _Names:
    """Words for the ids a page of entries holds: the office's departments and survey
    versions, each read once for the whole page."""

    def __init__(self, office, entries, language: str):
        self.language = language
        self.office = office
        self._staff = None
        entries = list(entries)
        self.departments = dict(Department.objects.filter(office=office).values_list("pk", "name"))
        version_ids = {
            snapshot.get("version_id")
            for entry in entries
            for snapshot in (entry.before, entry.after)
            if isinstance(snapshot.get("version_id"), int)
        }
        self.versions = {
            version.pk: version
            for version in SurveyVersion.objects.filter(office=office, pk__in=version_ids)
        }

    def staff(self, value) -> str:
        if self._staff is None:
            self._staff = {
                user.pk: user.get_full_name() or user.get_username()
                for user in User.objects.filter(office=self.office)
            }
        return self._staff.get(value) or _("konto nr %(id)s") % {"id": value}

    def department(self, value) -> str:
        if value in self.departments:
            return pl_name(self.departments[value])
        return _("wydział nr %(id)s (usunięty)") % {"id": value}

    def version(self, value) -> str:
        version = self.versions.get(value)
        if version is None:
            return _("wersja (usunięta)")
        if version.status != SurveyVersion.Status.PUBLISHED:
            return _("szkic wersji %(number)s") % {"number": version.number}
        return _("wersja %(number)s") % {"number": version.number}

    def answers(self, answers: dict, version_id) -> str:
        """``question: answer; …`` in the version's words; keys it lacks as recorded."""
        version = self.versions.get(version_id)
        questions = {q["key"]: q for _s, q in iter_questions(version.definition)} if version else {}
        scale = version.definition.get("scale", {}) if version else {}
        parts = []
        for key, value in answers.items():
            question = questions.get(key)
            if question is None:
                parts.append(f"{key}: {_shown(value)}")
                continue
            text = self._text(question.get("text")) or key
            parts.append(f"{conditional_escape(text)}: {self._answer(question, value, scale)}")
        return mark_safe("; ".join(parts))  # noqa: S308 - every part escaped

    def _text(self, texts: dict | None) -> str:
        """The survey's text in the page's language; its Polish, marked, where it has none."""
        text = localized(texts, self.language)
        return text if (texts or {}).get(self.language) else pl_name(text)

    def _answer(self, question: dict, value, scale: dict) -> str:
        if question["kind"] == "rating":
            if value == NOT_APPLICABLE:
                return conditional_escape(self._text(scale.get(NOT_APPLICABLE)) or _("nie dotyczy"))
            label = conditional_escape(self._text(scale.get(str(value))))
            return f"{value} ({label})" if label else str(value)
        labels = {o["value"]: self._text(o.get("label")) for o in question.get("options", [])}
        if question["kind"] == "yesno":
            labels = {"tak": _("tak"), "nie": _("nie"), **labels}
        if isinstance(value, list):
            return ", ".join(conditional_escape(labels.get(v) or str(v)) for v in value)
        return conditional_escape(labels.get(value) or _shown(value))


def _entry_row(entry, names: _Names) -> dict:
    model = _model_named(entry.target_type)
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    return {
        "entry": entry,
        "who": (entry.actor.get_full_name() or entry.actor.get_username())
        if entry.actor
        else entry.actor_name,
        "action": ACTION_LABELS.get(entry.action, entry.action),
        "object_kind": model._meta.verbose_name if model else entry.target_type,
        "changes": [
            {
                "label": _field_label(model, key),
                "had_before": key in entry.before,
                "before": _value_shown(model, key, entry.before, names),
                "after": _value_shown(model, key, entry.after, names),
                "has_after": key in entry.after,
            }
            for key in keys
        ],
    }


def _value_shown(model, key: str, snapshot: dict, names: _Names) -> str:
    value = snapshot.get(key)
    if value in (None, "", [], {}):
        return _shown(value)
    if key == "department_id":
        return names.department(value)
    if key == "version_id":
        return names.version(value)
    if key == "answers" and isinstance(value, dict):
        return names.answers(value, snapshot.get("version_id"))
    if key in VERSION_NUMBER_KEYS:
        return _("wersja %(number)s") % {"number": value}
    if key == "report":
        return _("nr %(id)s") % {"id": value}
    if key == "change":  # a § 5 change's kind (workflows.VisibleChange.Kind)
        return str(dict(VisibleChange.Kind.choices).get(value, value))
    if key == "as_of" and isinstance(value, str):
        return _moment(value)
    if isinstance(value, str) and ISO_DAY_RE.fullmatch(value):  # dates stored as ISO days
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    if key == "owner_id":
        return names.staff(value)
    if key == "targets" and isinstance(value, list):
        return mark_safe(  # noqa: S308 - every label escaped by pl_name
            "; ".join(
                conditional_escape(pl_name(str(t.get("label") or t.get("key"))))
                for t in value
                if isinstance(t, dict)
            )
        )
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if _typed_words(field, key) and isinstance(value, str):
            return pl_name(value)
    return _shown(value)


def _typed_words(field, key: str) -> bool:
    """Is this field words someone in the office typed (a name, a title, a note)?"""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, NOT_WORDS)
        and key not in NOT_WORDS_NAMES
    )


def _model_named(model_name: str):
    return next(
        (m for m in apps.get_models() if model_name and m._meta.model_name == model_name), None
    )


def _field_label(model, key: str) -> str:
    if key in EXTRA_FIELD_LABELS:
        return str(EXTRA_FIELD_LABELS[key])
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key


def _moment(value: str) -> str:
    """A recorded ISO date and time as the panel writes it (06.12.2026, 10:15)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d.%m.%Y, %H:%M")


def _shown(value) -> str:
    if value is True:
        return _("tak")
    if value is False:
        return _("nie")
    if value in (None, "", [], {}):
        return _("(puste)")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def entry_rows(*, office, entries, language: str) -> list[dict]:
    """Entries in words, as the audit log shows them (for other pages that show a history,
    e.g. an action's)."""
    entries = list(entries)
    names = _Names(office, entries, language)
    return [_entry_row(entry, names) for entry in entries]
