"""Reading a sheet as the clerk typed it, and the form that shows it again."""

from dataclasses import dataclass, field
from datetime import date

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office
from ocenurzad.printing.selectors import print_batch_for_number
from ocenurzad.surveys.answers import FieldError, ParsedAnswers, TamperedInput, parse_answers
from ocenurzad.surveys.definition import (
    NOT_APPLICABLE,
    RATING_VALUES,
    field_name,
    iter_questions,
    localized,
)
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.surveys.presentation import form_sections

from ..models import Response
from .dates import SheetDate, sheet_date_read
from .rules import (
    DATE_FIELD,
    LANGUAGE,
    NA_INPUTS,
    SHEET_FIELD,
    SHEET_NUMBER_MAX,
)
from .selectors import paper_sheet_number_taken

YES_NO = ("tak", "nie")


@dataclass
class PaperSheet:
    """One typed sheet: what was typed (to show it again), and either errors or values."""

    version: SurveyVersion
    typed: dict = field(default_factory=dict)  # input name -> what was typed
    errors: list[FieldError] = field(default_factory=list)
    parsed: ParsedAnswers | None = None
    sheet_date: SheetDate | None = None  # the day, or the period of collection
    sheet_number: int | None = None
    # The version a recorded batch printed this sheet number as, when it is not this one.
    printed_as: SurveyVersion | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.parsed is not None

    def add_sheet_number_error(self, message: str) -> None:
        self.errors.insert(0, FieldError(SHEET_FIELD, SHEET_FIELD, message))


def paper_input_id(question: dict) -> str:
    """The id of the control a paper-form error links to."""
    name = field_name(question)
    return f"{name}_0" if question["kind"] == "multi" else name


def paper_sheet_read(
    *,
    office: Office,
    version: SurveyVersion,
    data,
    departments,
    exclude_pk=None,
    today: date | None = None,
) -> PaperSheet:
    """Read a typed sheet from ``data`` (request.POST) against ``version``.

    Fields the form does not have are ignored; every wrong value is a field error, all
    listed at once — a sheet number the office already has (other than ``exclude_pk``,
    the sheet being corrected) too. The services check that number again on saving.
    """
    today = today or timezone.localdate()
    sheet = PaperSheet(version=version)
    sheet.typed[SHEET_FIELD] = data.get(SHEET_FIELD, "")
    sheet.typed[DATE_FIELD] = data.get(DATE_FIELD, "")
    head_errors = []
    sheet.sheet_number, message = _read_sheet_number(sheet.typed[SHEET_FIELD])
    if not message:
        taken = paper_sheet_number_taken(
            office=office, number=sheet.sheet_number, exclude_pk=exclude_pk
        )
        message = taken.message if taken else None
    if not message:
        batch = print_batch_for_number(office=office, number=sheet.sheet_number)
        if batch is not None and batch.version_id != version.pk:
            sheet.printed_as = batch.version
            message = _batch_refusal(batch=batch, version=version, number=sheet.sheet_number)
    if message:
        head_errors.append(FieldError(SHEET_FIELD, SHEET_FIELD, message))
    sheet.sheet_date, message = sheet_date_read(sheet.typed[DATE_FIELD], today=today)
    if message:
        head_errors.append(FieldError(DATE_FIELD, DATE_FIELD, message))

    departments = list(departments)
    department_ids = {d.pk for d in departments}
    answers = QueryDict(mutable=True)
    own_errors: dict[str, str] = {}
    questions = [q for _s, q in iter_questions(version.definition)]
    for question in questions:
        name = field_name(question)
        if question["kind"] == "multi":
            values = data.getlist(name)
            sheet.typed[name] = values
            allowed = {o["value"] for o in question.get("options", [])}
            if set(values) <= allowed:
                answers.setlist(name, list(dict.fromkeys(values)))
            else:
                own_errors[question["key"]] = _("Wybierz odpowiedzi z listy: „%(text)s”.") % {
                    "text": _text(question)
                }
            continue
        typed = data.get(name, "")
        sheet.typed[name] = typed
        value, message = _convert(question, typed, departments)
        if message:
            own_errors[question["key"]] = message
        elif value:
            answers[name] = value
    try:
        parsed = parse_answers(
            definition=version.definition,
            data=answers,
            department_ids=department_ids,
            language=LANGUAGE,
            enforce_required=False,
        )
    except TamperedInput as exc:  # every value was checked above; kept as a safety net
        key = str(exc).removeprefix("q_")
        parsed = ParsedAnswers(errors=[FieldError(key, "", _("Nieprawidłowa wartość."))])
    parse_errors = {e.key: e.message for e in parsed.errors}
    sheet.errors = head_errors
    for question in questions:
        message = own_errors.get(question["key"]) or parse_errors.get(question["key"])
        if message:
            sheet.errors.append(FieldError(question["key"], paper_input_id(question), message))
    if not sheet.errors and not parsed.answers and parsed.department_id is None and questions:
        sheet.errors.append(
            FieldError(
                "",
                paper_input_id(questions[0]),
                _("Arkusz nie zawiera żadnej odpowiedzi — nie ma czego zapisać."),
            )
        )
    if not sheet.errors:
        sheet.parsed = parsed
    return sheet


def _text(question: dict) -> str:
    return localized(question.get("text"), LANGUAGE)


def _convert(question: dict, typed: str, departments: list):
    """(the online form's value or None, an error message or None) for one typed field.

    Departments and choices are typed by the number the form shows next to them (the
    order of the printed sheet); a choice's own value is accepted too."""
    kind = question["kind"]
    if kind == "text":
        return typed, None  # parse_answers trims it and checks its length
    raw = typed.strip()
    if raw == "":
        return None, None
    names = {"text": _text(question), "typed": raw[:20]}
    if kind == "rating":
        has_na = bool(question.get("na"))
        if raw in RATING_VALUES:
            return raw, None
        if raw.lower() in NA_INPUTS:
            if has_na:
                return NOT_APPLICABLE, None
            return None, _(
                "To pytanie nie ma odpowiedzi „nie dotyczy” — wpisz cyfrę od 1 do 5: "
                "„%(text)s” (wpisano „%(typed)s”)."
            ) % names
        if has_na:
            return None, _(
                "Ocena musi być cyfrą od 1 do 5, 0 lub n (nie dotyczy): „%(text)s” "
                "(wpisano „%(typed)s”)."
            ) % names
        return None, _("Ocena musi być cyfrą od 1 do 5: „%(text)s” (wpisano „%(typed)s”).") % names
    if kind == "department":
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(departments):
            return str(departments[int(raw) - 1].pk), None
        return None, _(
            "Wpisz numer wydziału z listy (od 1 do %(count)d): „%(text)s” (wpisano „%(typed)s”)."
        ) % {**names, "count": len(departments)}
    values = [o["value"] for o in question.get("options", [])] if kind == "single" else list(YES_NO)
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(values):
        return values[int(raw) - 1], None
    if raw in values:
        return raw, None
    return None, _(
        "Wpisz numer odpowiedzi z listy (od 1 do %(count)d): „%(text)s” (wpisano „%(typed)s”)."
    ) % {**names, "count": len(values)}


def _read_sheet_number(typed: str) -> tuple[int | None, str | None]:
    raw = typed.strip()
    if raw == "":
        return None, None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        return None, _(
            "Numer arkusza musi być liczbą całkowitą większą od zera (wpisano „%(typed)s”)."
        ) % {"typed": raw[:20]}
    if int(raw) > SHEET_NUMBER_MAX:
        return None, _("Numer arkusza może mieć najwyżej 9 cyfr.")
    return int(raw), None


def _batch_refusal(*, batch, version: SurveyVersion, number: int) -> str:
    """Why sheet ``number``, printed in ``batch`` of another version, is not entered in the
    form of ``version``."""
    return _(
        "Arkusz nr %(number)d wydrukowano w wersji %(code)s (arkusze %(first)d–%(last)d), a "
        "to jest formularz wersji %(here)s. Wprowadź go w formularzu wersji %(code)s."
    ) % {
        "number": number,
        "code": batch.version.code,
        "first": batch.first_number,
        "last": batch.last_number,
        "here": version.code,
    }


def paper_form(
    *,
    version: SurveyVersion,
    departments,
    typed: dict | None = None,
    errors: list[FieldError] | None = None,
) -> list[dict]:
    """The sections of ``version`` as the compact paper form draws them, in the printed
    order, with what was typed and each error at its item."""
    sections = form_sections(
        definition=version.definition,
        language=LANGUAGE,
        departments=departments,
        raw=typed or {},
        errors=errors,
    )
    for section in sections:
        for question in section["questions"]:
            question["input_id"] = (
                question["options"][0]["id"]
                if question["kind"] == "multi" and question["options"]
                else question["name"]
            )
            if question["kind"] == "rating":
                question["na"] = any(o["value"] == NOT_APPLICABLE for o in question["options"])
            elif question["kind"] in ("single", "yesno", "department"):
                # Typed as the number shown next to each choice, in the printed order.
                question["choices"] = [
                    {"number": number, "label": option["label"]}
                    for number, option in enumerate(question["options"], start=1)
                ]
                question["input_id"] = question["name"]
    return sections


def paper_scale(version: SurveyVersion) -> dict:
    """What each accepted rating input means, for the hint next to the field."""
    scale = version.definition.get("scale", {})
    labels = {v: f"{v} – {localized(scale.get(v), LANGUAGE)}" for v in RATING_VALUES}
    labels["na"] = localized(scale.get(NOT_APPLICABLE), LANGUAGE) or _("nie dotyczy")
    return labels


def paper_typed_from_response(response: Response, *, departments) -> dict:
    """A stored sheet written back in the clerk's notation, to prefill a correction:
    ``departments`` in the order the form numbers them."""
    typed = {
        SHEET_FIELD: str(response.sheet_number or ""),
        DATE_FIELD: SheetDate.of_response(response).text(),
    }
    department_numbers = {d.pk: number for number, d in enumerate(departments, start=1)}
    for _section, question in iter_questions(response.version.definition):
        name = field_name(question)
        kind = question["kind"]
        if kind == "department":
            typed[name] = str(department_numbers.get(response.department_id, ""))
            continue
        value = response.answers.get(question["key"])
        if kind == "multi":
            typed[name] = list(value or [])
        elif value is None:
            typed[name] = ""
        elif kind == "rating" and value == NOT_APPLICABLE:
            typed[name] = "n"
        elif kind in ("single", "yesno"):
            values = (
                [o["value"] for o in question.get("options", [])]
                if kind == "single"
                else list(YES_NO)
            )
            typed[name] = str(values.index(value) + 1) if value in values else str(value)
        else:
            typed[name] = str(value)
    return typed
