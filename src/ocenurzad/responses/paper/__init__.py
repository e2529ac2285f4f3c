"""Paper sheets typed in by a clerk: reading what was typed, storing, correcting, deleting.

The clerk's notation (a digit 1–5, "0" or "n" for "nie dotyczy", an empty field) is turned
into the values residents send online, and the result is checked by the same
``parse_answers`` as the online form, so both channels follow one rule. Unlike the
resident's form, every problem here — even a value no browser would send — becomes a
field error naming the item: a typo never ends on an error page, and nothing is stored
until the whole sheet is right.
"""

from .dates import (
    EARLIEST_DATE,
    SheetDate,
    date_text,
    period_max_days,
    sheet_date_error,
    sheet_date_read,
    sheet_date_warnings,
)
from .rules import (
    AUTO_FIELD,
    DATE_FIELD,
    SHEET_FIELD,
    URN_FIELD,
    VERSION_FIELD,
    PaperChangeRefused,
    SheetNumberTaken,
    paper_change_refusal,
    paper_correction_window,
    paper_may_change_others,
)
from .selectors import (
    overall_question_key,
    paper_entered_today,
    paper_last_entered,
    paper_next_sheet_number,
    paper_recent,
    paper_response_get,
    paper_row,
    paper_sheet_by_number,
    paper_sheet_number_taken,
    paper_version_pick,
    paper_versions,
)
from .services import (
    response_correct_paper,
    response_delete_paper,
    response_enter_paper,
    response_undo_last_paper,
)
from .sheet import (
    PaperSheet,
    paper_form,
    paper_input_id,
    paper_scale,
    paper_sheet_read,
    paper_typed_from_response,
)

__all__ = [
    "AUTO_FIELD",
    "DATE_FIELD",
    "EARLIEST_DATE",
    "SHEET_FIELD",
    "URN_FIELD",
    "VERSION_FIELD",
    "PaperChangeRefused",
    "PaperSheet",
    "SheetDate",
    "SheetNumberTaken",
    "date_text",
    "overall_question_key",
    "paper_change_refusal",
    "paper_correction_window",
    "paper_entered_today",
    "paper_form",
    "paper_input_id",
    "paper_last_entered",
    "paper_may_change_others",
    "paper_next_sheet_number",
    "paper_recent",
    "paper_response_get",
    "paper_row",
    "paper_scale",
    "paper_sheet_by_number",
    "paper_sheet_number_taken",
    "paper_sheet_read",
    "paper_typed_from_response",
    "paper_version_pick",
    "paper_versions",
    "period_max_days",
    "response_correct_paper",
    "response_delete_paper",
    "response_enter_paper",
    "response_undo_last_paper",
    "sheet_date_error",
    "sheet_date_read",
    "sheet_date_warnings",
]
