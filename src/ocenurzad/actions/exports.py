"""The register as a file: CSV (Polish Excel dialect) and XLSX, one row an action."""

import io
from datetime import date

import xlsxwriter
from django.utils.translation import gettext as _

from ocenurzad.reports.render.csv import csv_stream

from .models import Action


def _header() -> list[str]:
    return [
        _("Numer"),
        _("Tytuł"),
        _("Rodzaj"),
        _("Czego dotyczy"),
        _("Wydział"),
        _("Co stwierdzono"),
        _("Osoba odpowiedzialna"),
        _("Termin"),
        _("Stan"),
        _("Rozpoczęto"),
        _("Zakończono"),
        _("Zaniechano"),
        _("Można opublikować"),
        _("Uwagi"),
    ]


def _row(action: Action) -> list:
    return [
        action.code,
        action.title,
        action.get_kind_display(),
        "; ".join(t.get("label", t.get("key", "")) for t in action.targets),
        action.department.name if action.department_id else action.department_name,
        action.finding,
        action.owner_label,
        action.deadline,
        action.get_status_display(),
        action.started_on,
        action.done_on,
        action.dropped_on,
        _("tak") if action.may_publish else _("nie"),
        action.notes,
    ]


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def actions_csv(actions: list[Action]):
    rows = [_header()] + [[_text(v) for v in _row(a)] for a in actions]
    return csv_stream(rows)


def actions_xlsx(actions: list[Action]) -> bytes:
    """Formulas and addresses typed into an action stay text (never interpreted)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet(_("Działania")[:31])
    bold = book.add_format({"bold": True, "text_wrap": True})
    dates = book.add_format({"num_format": "dd.mm.yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write_row(0, 0, _header(), bold)
    for r, action in enumerate(actions, start=1):
        for c, value in enumerate(_row(action)):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dates)
            elif value is None or value == "":
                sheet.write_blank(r, c, None)
            else:
                sheet.write_string(r, c, str(value), wrap)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 40)
    sheet.set_column(3, 6, 30)
    sheet.set_column(7, 12, 12)
    sheet.set_column(13, 13, 40)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
