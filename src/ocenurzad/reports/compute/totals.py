"""Adding up the cells of a period's parts (rollups) for one report's filters."""

from dataclasses import dataclass, field
from datetime import date

from ..rollups import ALL, Part, cell_key_parts, merge_full, merge_light, new_cell, new_light
from ..rollups import text_fields as split_text


@dataclass
class Collected:
    """One report period added up: everything (a cell), and light totals by department
    (None: no department given), by channel and by month, plus the open answers, newest
    first (strings: rollups.text_fields splits one), responses by (department, month) —
    what decides whether a comment may name its department (disclosure.py) — and on how
    many days of the period the responses that pass the filters came in."""

    total: dict = field(default_factory=new_cell)
    days: int = 0
    by_department: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    by_month: dict[date, dict] = field(default_factory=dict)
    texts: list = field(default_factory=list)
    by_department_month: dict[tuple[int | None, date], int] = field(default_factory=dict)


def _light(groups: dict, key) -> dict:
    light = groups.get(key)
    if light is None:
        light = groups[key] = new_light()
    return light


def collect(parts: list[Part], *, department_id: int | None, channel: str | None) -> Collected:
    """Add up the cells of ``parts`` (newest first) that pass the filters."""
    out = Collected()
    filtered = department_id is not None or bool(channel)
    for part in parts:
        everything = None if filtered else part.cells.get(ALL)
        month = _light(out.by_month, part.month)
        days = 0  # bit mask of the part's days with responses (parts never share a day)
        for key, cell in part.cells.items():
            if key == ALL:
                continue
            cell_department, cell_channel = cell_key_parts(key)
            if department_id is not None and cell_department != department_id:
                continue
            if channel and cell_channel != channel:
                continue
            if everything is None:
                merge_full(out.total, cell)
                merge_light(month, cell)
                days |= cell["d"]
            merge_light(_light(out.by_department, cell_department), cell)
            size_key = (cell_department, part.month)
            out.by_department_month[size_key] = out.by_department_month.get(size_key, 0) + cell["n"]
            merge_light(_light(out.by_channel, cell_channel), cell)
        if everything is not None:
            merge_full(out.total, everything)
            merge_light(month, everything)
            days = everything["d"]
        out.days += days.bit_count()
        if filtered:
            for entry in part.answers:
                _day, entry_department, entry_channel, _key, _text = split_text(entry)
                if department_id is not None and entry_department != department_id:
                    continue
                if channel and entry_channel != channel:
                    continue
                out.texts.append(entry)
        else:
            out.texts += part.answers
    return out
