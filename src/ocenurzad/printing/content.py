"""What the printed form shows: the survey definition as blocks a paper layout can draw.

Consecutive rating questions become one compact grid (item, then a box per scale value);
every other question is a block of its own. Each answer box gets a stable id
``box--<question key>--<value>`` and carries its question and value in ``data-key`` and
``data-value``, by which the layout (layout.py) is read back, and the answer code printed
beside it (``answer_code``): what the clerk types by hand and what a doubtful mark is
answered with in the scans queue.
"""

from functools import lru_cache

from django.utils.translation import gettext as _

from ocenurzad.banner.fonts import font_get
from ocenurzad.surveys.definition import NOT_APPLICABLE, RATING_VALUES, localized
from ocenurzad.surveys.presentation import form_sections

TEXT_LINES = 4  # ruled lines under a free-text question
BODY_FONT_MM = 10 * 25.4 / 72  # 10 pt, the option labels' font size in survey.css
MEASURE_PX = 100
# Room for a label beside its box in 3 columns of the 182 mm wide page (survey.css).
COLUMN_LABEL_MM = {3: 182 / 3 - 11}


def box_id(key: str, value: str) -> str:
    return f"box--{key}--{value}"


def answer_code(kind: str, value: str, position: int) -> str:
    """The code printed beside a box: a rating's digit ("0" for "nie dotyczy", as typed in
    paper entry), otherwise the option's position from 1 (as the hand-entry lists number
    them)."""
    if kind == "rating":
        return "0" if value == NOT_APPLICABLE else value
    return str(position)


def printable_form(*, definition: dict, language: str, departments) -> dict:
    """The sections and scale of the form in ``language`` (Polish for any text missing in it).

    Call inside ``translation.override(language)``: the few fixed labels (yes/no) are
    translated with gettext.
    """
    scale = definition.get("scale", {})
    scale_labels = [(v, localized(scale.get(v), language)) for v in RATING_VALUES]
    na_label = localized(scale.get(NOT_APPLICABLE), language) or _("nie dotyczy")
    sections = []
    uses_na = False
    for section in form_sections(definition=definition, language=language, departments=departments):
        blocks: list[dict] = []
        for question in section["questions"]:
            _add_box_ids(question)
            if question["kind"] == "rating":
                if not blocks or blocks[-1]["type"] != "ratings":
                    blocks.append({"type": "ratings", "rows": [], "has_na": False})
                blocks[-1]["rows"].append(question)
                blocks[-1]["has_na"] |= any(
                    o["value"] == NOT_APPLICABLE for o in question["options"]
                )
            elif question["kind"] == "text":
                blocks.append({"type": "text", "question": question, "lines": range(TEXT_LINES)})
            else:
                blocks.append(_choices_block(question))
        for block in blocks:
            if block["type"] == "ratings":
                uses_na |= block["has_na"]
                for row in block["rows"]:
                    row["print_cells"] = _rating_cells(row, has_na=block["has_na"])
        is_area = section["kind"] == "area"
        first = blocks[0] if blocks else None
        if is_area and first is not None and first["type"] == "ratings":
            # An area's title heads its table instead of standing above it.
            first["title"] = section["title"]
        sections.append(
            {
                "key": section["key"],
                "title": section["title"],
                "help": section["help"],
                "title_in_table": bool(is_area and first and first["type"] == "ratings"),
                "blocks": blocks,
            }
        )
    return {
        "sections": sections,
        "scale": scale_labels,
        "na_label": na_label,
        "uses_na": uses_na,
    }


def _add_box_ids(question: dict) -> None:
    for position, option in enumerate(question.get("options", []), start=1):
        option["box_id"] = box_id(question["key"], option["value"])
        option["code"] = answer_code(question["kind"], option["value"], position)


def _rating_cells(question: dict, *, has_na: bool) -> list[dict | None]:
    """One cell per column of the table (1–5, then "nie dotyczy"); None: no box there."""
    by_value = {o["value"]: o for o in question["options"]}
    values = [*RATING_VALUES, NOT_APPLICABLE] if has_na else list(RATING_VALUES)
    return [by_value.get(value) for value in values]


def _choices_block(question: dict) -> dict:
    """Departments in three columns when the longest name fits, else in two (a long name
    wraps: one column would push a long list onto a third page); other choices in a row
    after their question, as many per line as fit."""
    if question["kind"] != "department":
        return {"type": "choices", "question": question, "style": "row", "columns": 0}
    longest = max((label_width_mm(o["label"]) for o in question["options"]), default=0)
    columns = 3 if longest <= COLUMN_LABEL_MM[3] else 2
    return {"type": "choices", "question": question, "style": "columns", "columns": columns}


def label_width_mm(text: str) -> float:
    """How wide ``text`` prints as an option label (DejaVu Sans 10 pt)."""
    return _font().getlength(text) / MEASURE_PX * BODY_FONT_MM


@lru_cache(maxsize=1)
def _font():
    return font_get(bold=False, size=MEASURE_PX)
