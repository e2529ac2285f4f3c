"""A sheet's pages made into answers: judged, asked about, stored through paper entry.

Stored responses go through the same service as a clerk's typing
(``responses.paper.response_enter_paper``, after ``paper_sheet_read`` checks the answers,
the date and the sheet number), so a scanned sheet and a typed one obey one rule.
"""

import cv2
import numpy
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Department
from ocenurzad.offices.selectors import departments_active
from ocenurzad.printing.content import answer_code
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.responses.paper import (
    DATE_FIELD,
    SHEET_FIELD,
    SheetDate,
    SheetNumberTaken,
    paper_sheet_number_taken,
    paper_sheet_read,
    response_enter_paper,
)
from ocenurzad.responses.paper.sheet import YES_NO
from ocenurzad.surveys.definition import NOT_APPLICABLE, field_name, iter_questions
from ocenurzad.surveys.presentation import form_sections

from . import storage
from .models import ScanComment, ScanImport, ScanPage, ScanQuestion, ScanSheet
from .reader.judge import page_judge, page_levels

TEXT_INK = 0.004  # share of a free-text area covered by writing: someone wrote there
CROP_MARGIN_MM = 3.0
PX_PER_MM = 8

REASONS = {
    "faint mark": gettext_lazy("słaby ślad w kratce — zaznaczenie czy nie?"),
    "two marks": gettext_lazy("więcej niż jedno zaznaczenie"),
    "not much darker than the next box": gettext_lazy(
        "zaznaczenie niewiele ciemniejsze od sąsiedniej kratki"
    ),
    "several filled boxes and no mark": gettext_lazy("kilka zamalowanych kratek i żadnego X"),
    "faint marks on the page": gettext_lazy(
        "na tej stronie są bardzo słabe ślady (ołówek?) — skaner mógł zgubić albo osłabić "
        "zaznaczenie w tym pytaniu; sprawdź na obrazku lub na papierze"
    ),
}


def _reason(text: str) -> str:
    return str(REASONS.get(text, text))


def questions_of(version) -> dict[str, dict]:
    return {q["key"]: q for _s, q in iter_questions(version.definition)}


def options_of(version, *, office) -> dict[str, list[dict]]:
    """Each question's answers as printed: code (beside the box), value, label."""
    departments = Department.objects.filter(office=office).order_by("position", "pk")
    result = {}
    for section in form_sections(
        definition=version.definition, language="pl", departments=departments
    ):
        for question in section["questions"]:
            result[question["key"]] = [
                {
                    "code": answer_code(question["kind"], option["value"], position),
                    "value": option["value"],
                    "label": str(option["label"]),
                }
                for position, option in enumerate(question.get("options", []), start=1)
            ]
    return result


def sheet_judge(*, sheet: ScanSheet, actor) -> ScanSheet:
    """Decide every answer of a sheet whose pages are read: store it, or queue what a
    person must decide. Handwriting goes to "Do przepisania" and does not hold the sheet."""
    office = sheet.office
    taken = paper_sheet_number_taken(office=office, number=sheet.sheet_number)
    if taken is not None:
        return _sheet_close(sheet, ScanSheet.State.REFUSED, _sheet_taken_message(taken))
    stored = print_layout_get(
        office=office, version=sheet.version, language=sheet.language, fingerprint=sheet.fingerprint
    )
    layout = stored.layout
    pages = {p.page_no: p for p in sheet.pages.filter(state=ScanPage.State.READ)}
    missing = sorted(set(range(layout["pages_per_sheet"])) - set(pages))
    if missing and pages_to_assign(sheet.scan_import).exists():
        # The missing page may be one whose code could not be read: wait for a person.
        sheet.message = _("Czeka na przypisanie nieczytelnych stron tego stosu.")
        sheet.save(update_fields=["message"])
        return sheet
    questions = questions_of(sheet.version)
    multiple = frozenset(k for k, q in questions.items() if q["kind"] == "multi")
    answers: dict[str, list[str]] = {}
    doubts = []
    for _page_no, page in sorted(pages.items()):
        boxes = [
            {"key": k, "value": v, "score": s, "fill": f} for k, v, s, f in page.measured["boxes"]
        ]
        rows: dict[str, list[dict]] = {}
        for box in boxes:
            if box["key"] in questions:
                rows.setdefault(box["key"], []).append(box)
        levels = page_levels(boxes, bilevel=page.measured.get("bilevel"))
        verdicts = page_judge(rows, levels=levels, multiple=multiple)
        for key, verdict in verdicts.items():
            if verdict.doubtful:
                doubts.append((page, key, verdict))
            elif verdict.values:
                answers[key] = verdict.values
    options = options_of(sheet.version, office=office) if doubts else {}
    with transaction.atomic():
        sheet.answers = answers
        sheet.message = ""
        if missing:
            sheet.message = _(
                "Brak strony %(pages)s w stosie — zapisano odpowiedzi z pozostałych."
            ) % {"pages": ", ".join(str(n + 1) for n in missing)}
        sheet.save(update_fields=["answers", "message"])
        for page, key, verdict in doubts:
            ScanQuestion.objects.create(
                office=office,
                sheet=sheet,
                page=page,
                key=key,
                reason=_reason(verdict.reason),
                options=options.get(key, []),
                multiple=questions[key]["kind"] == "multi",
                read_values=verdict.values,
                crop=_question_crop(sheet, page, layout, key),
            )
        for page in pages.values():
            for key, ink in page.measured.get("texts", []):
                if ink >= TEXT_INK and not sheet.comments.filter(key=key).exists():
                    area = next(a for a in layout["texts"] if a["key"] == key)
                    ScanComment.objects.create(
                        office=office,
                        sheet=sheet,
                        key=key,
                        crop=_crop(sheet, page, area, margin=2.0),
                    )
    if not doubts:
        sheet_finish(sheet=sheet, actor=actor)
    return sheet


def sheet_finish(*, sheet: ScanSheet, actor) -> ScanSheet:
    """Every mark is decided: store the sheet — an unnumbered one only once the clerk has
    confirmed the stack (copies of one PDF cannot be told apart from a stack scanned
    twice)."""
    if sheet.sheet_number is None and not sheet.scan_import.confirm_unnumbered:
        sheet.state = ScanSheet.State.CONFIRM
        sheet.save(update_fields=["state"])
        return sheet
    return sheet_store(sheet=sheet, actor=actor)


def sheet_typed(*, answers: dict, version, departments: list) -> QueryDict:
    """A sheet's answers (the values the boxes stand for: a department's id, an option's
    value) written as a clerk types them in paper entry: a department and a choice by
    their number in the list (``departments`` in the order paper entry numbers them),
    "n" for "nie dotyczy". A department that is no longer on the list is typed as "?",
    which paper entry refuses with its own message."""
    data = QueryDict(mutable=True)
    numbers = {str(d.pk): str(number) for number, d in enumerate(departments, start=1)}
    for key, question in questions_of(version).items():
        values = answers.get(key, [])
        name = field_name(question)
        kind = question["kind"]
        if kind == "multi":
            data.setlist(name, values)
            continue
        if not values:
            continue
        value = values[0]
        if kind == "rating" and value == NOT_APPLICABLE:
            value = "n"
        elif kind == "department":
            value = numbers.get(value, "?")
        elif kind in ("single", "yesno"):
            choices = (
                [o["value"] for o in question.get("options", [])]
                if kind == "single"
                else list(YES_NO)
            )
            if value in choices:
                value = str(choices.index(value) + 1)
        data[name] = value
    return data


def import_sheet_date(scan_import: ScanImport) -> SheetDate:
    """The day, or the period of collection, every sheet of this upload is stored with."""
    return SheetDate(scan_import.period_start or scan_import.filled_on, scan_import.filled_on)


def sheet_store(*, sheet: ScanSheet, actor) -> ScanSheet:
    office, version = sheet.office, sheet.version
    # The same list, in the same order, as paper entry numbers (departments_active).
    departments = departments_active(office=office)
    data = sheet_typed(answers=sheet.answers, version=version, departments=departments)
    data[SHEET_FIELD] = str(sheet.sheet_number or "")
    data[DATE_FIELD] = import_sheet_date(sheet.scan_import).text()
    paper = paper_sheet_read(office=office, version=version, data=data, departments=departments)
    if not paper.is_valid:
        messages = [e.message for e in paper.errors]
        if not sheet.answers:
            return _sheet_close(sheet, ScanSheet.State.BLANK, _("Pusty arkusz — nic nie zapisano."))
        return _sheet_close(sheet, ScanSheet.State.REFUSED, " ".join(messages))
    try:
        response = response_enter_paper(
            office=office,
            actor=actor,
            version=version,
            parsed=paper.parsed,
            sheet_date=paper.sheet_date,
            sheet_number=paper.sheet_number,
        )
    except SheetNumberTaken as taken:
        return _sheet_close(sheet, ScanSheet.State.REFUSED, _sheet_taken_message(taken))
    sheet.response = response
    return _sheet_close(sheet, ScanSheet.State.STORED, sheet.message)


def _sheet_taken_message(taken: SheetNumberTaken) -> str:
    return taken.message + " " + _("Ten arkusz nie został zapisany drugi raz.")


def _sheet_close(sheet: ScanSheet, state: str, message: str) -> ScanSheet:
    sheet.state = state
    sheet.message = message
    sheet.done_at = timezone.now()
    sheet.save(update_fields=["state", "message", "done_at", "response"])
    return sheet


def pages_to_assign(scan_import: ScanImport):
    return ScanQuestion.objects.filter(
        page__scan_file__scan_import=scan_import, key="", answered_at=None
    )


def sheets_rejudge(*, scan_import: ScanImport, actor) -> None:
    """Judge again the sheets of an upload that wait for nothing but their pages."""
    for sheet in scan_import.sheets.filter(state=ScanSheet.State.WAITING, done_at=None):
        if not sheet.questions.exists():
            sheet_judge(sheet=sheet, actor=actor)


def page_question_assign(*, page: ScanPage) -> ScanQuestion:
    """Queue a page whose code could not be read, for a person to say which sheet it is."""
    return ScanQuestion.objects.create(
        office=page.office,
        page=page,
        reason=str(_("kod arkusza nieczytelny — wskaż, który to arkusz i strona")),
    )


def _question_crop(sheet, page, layout, key) -> str:
    boxes = [b for b in layout["boxes"] if b["key"] == key and b["page"] == page.page_no]
    x0 = min(b["x_mm"] for b in boxes)
    y0 = min(b["y_mm"] for b in boxes)
    x1 = max(b["x_mm"] + b["w_mm"] for b in boxes)
    y1 = max(b["y_mm"] + b["h_mm"] for b in boxes)
    # The whole row: from the text on the left to the last box.
    area = {"x_mm": min(x0, 14.0), "y_mm": y0, "w_mm": x1 - min(x0, 14.0), "h_mm": y1 - y0}
    return _crop(sheet, page, area, margin=CROP_MARGIN_MM)


def _crop(sheet, page, area, *, margin: float) -> str:
    data = storage.image_read(office_id=sheet.office_id, path=page.image)
    if data is None:
        return ""
    image = cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    x0 = max(0, round((area["x_mm"] - margin) * PX_PER_MM))
    y0 = max(0, round((area["y_mm"] - margin) * PX_PER_MM))
    x1 = min(image.shape[1], round((area["x_mm"] + area["w_mm"] + margin) * PX_PER_MM))
    y1 = min(image.shape[0], round((area["y_mm"] + area["h_mm"] + margin) * PX_PER_MM))
    _ok, encoded = cv2.imencode(".png", image[y0:y1, x0:x1])
    return storage.bytes_write(
        office_id=sheet.office_id,
        import_id=sheet.scan_import_id,
        data=encoded.tobytes(),
        suffix=".png",
    )


def import_audit(*, scan_import: ScanImport, actor, action: str, after: dict) -> None:
    audit_record(
        office=scan_import.office, actor=actor, action=action, target=scan_import, after=after
    )
