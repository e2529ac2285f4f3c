"""The report as an Excel workbook: one sheet per part of the report, plus the raw answers.

Written with XlsxWriter in its constant-memory mode: each row goes to a temporary file as
soon as the next one starts, so a sheet of 100,000 responses takes the memory of one row
(openpyxl's write-only mode, used before, took about twice the time: ~7 µs a cell against
~3; bench/xlsx_raw.py). XlsxWriter is kept up to date, has no dependencies and writes the
file format only, which is all a download needs.

Figures are real numbers with number formats (Excel shows them with the reader's decimal
comma). Texts are always stored as text: the workbook is opened with
``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off, and every
string goes through ``write_string``, so a resident's "=HYPERLINK(…)" or "http://…" stays
the characters they typed, never a formula or a link.
"""

import io
import re
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from .comparison import change_verdict
from .context import breakdown_titles
from .formatting import channel_label, fmt_int
from .open_answers import COMMENT_WIDTHS, comment_rows

MEAN = "0.00"
SHARE = "0%"
COUNT = "#,##0"
MAX_ROWS = 1_048_576  # an Excel sheet's limit, header included
MAX_TEXT = 32_767  # an Excel cell's limit, in characters
# Control characters XML 1.0 cannot hold: dropped (Excel would show "_x000B_" escapes).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def report_xlsx(
    report: dict,
    *,
    responses: Iterable | None = None,
    raw_left_out: int | None = None,
    raw_refused: str | None = None,
) -> bytes:
    """The workbook as bytes. ``responses``: rows as ``responses_csv_rows`` yields them
    (header first), written to "Dane surowe" (continued on further sheets past Excel's
    row limit); without them that sheet is left out — or, with ``raw_left_out`` (the
    number of responses not written), it says so and points to the CSV file, or with
    ``raw_refused`` it gives that reason."""
    buffer = io.BytesIO()
    writer = _Writer(buffer)
    _summary(writer, report)
    _areas(writer, report)
    _structure(writer, report)
    _breakdowns(writer, report)
    _trend(writer, report)
    _comparison(writer, report)
    _importance(writer, report)
    _improvement(writer, report)
    _open_answers(writer, report)
    if responses is not None:
        _raw(writer, responses)
    elif raw_refused:
        writer.sheet_new(_("Dane surowe"), [100])
        writer.row(raw_refused, wrap_first=True)
    elif raw_left_out is not None:
        writer.sheet_new(_("Dane surowe"), [100])
        writer.note(
            _(
                "W wybranym okresie jest %(count)s ankiet — za dużo, by zapisać je w tym "
                "pliku ankieta po ankiecie w rozsądnym czasie. Wszystkie odpowiedzi, ankieta "
                "po ankiecie, są w pliku CSV: na stronie raportu kliknij „Pobierz Odpowiedzi "
                "ankieta po ankiecie: CSV dla Excela (średniki)”. Pozostałe arkusze tego "
                "pliku obejmują wszystkie ankiety."
            )
            % {"count": fmt_int(raw_left_out)}
        )
    writer.close()
    return buffer.getvalue()


def rows_xlsx(rows: Iterable, *, title: str, widths: list[int] | None = None) -> bytes:
    """A one-sheet workbook of ``rows`` (the first is the header), e.g. an annex."""
    buffer = io.BytesIO()
    writer = _Writer(buffer)
    iterator = iter(rows)
    header = next(iterator, None) or []
    writer.sheet_new(title, widths or [])
    writer.sheet.freeze_panes(1, 0)
    writer.header(*header)
    for row in iterator:
        writer.row(*row, wrap_last=True)
    writer.close()
    return buffer.getvalue()


class _Writer:
    """Sheets written top to bottom, one row after another (constant memory)."""

    def __init__(self, target):
        self.workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
        add = self.workbook.add_format
        self.formats = {
            None: None,
            MEAN: add({"num_format": MEAN}),
            SHARE: add({"num_format": SHARE}),
            COUNT: add({"num_format": COUNT}),
        }
        self.bold = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.bold_formats = {
            None: self.bold,
            **{f: add({"bold": True, "num_format": f}) for f in (MEAN, SHARE, COUNT)},
        }
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.sheet = None
        self.next_row = 0

    def close(self):
        if not self.workbook.worksheets():
            self.sheet_new(_("Raport"), [])
        self.workbook.close()

    def sheet_new(self, title: str, widths: list[int]):
        self.sheet = self.workbook.add_worksheet(_sheet_title(title))
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)
        self.next_row = 0
        return self.sheet

    def value(self, row: int, col: int, value, cell_format=None):
        """One cell: numbers as numbers, everything else as text (never a formula)."""
        cls = value.__class__
        if value is None:
            if cell_format is not None:
                self.sheet.write_blank(row, col, None, cell_format)
        elif cls is int or cls is float:
            self.sheet.write_number(row, col, value, cell_format)
        elif cls is bool:
            self.sheet.write_string(row, col, _("tak") if value else _("nie"), cell_format)
        else:
            if cls is list or cls is tuple:
                value = "|".join(map(str, value))
            value = CONTROL_RE.sub("", str(value))[:MAX_TEXT]
            self.sheet.write_string(row, col, value, cell_format)

    def header(self, *titles: str):
        self.row(*titles, bold=True)

    def row(self, *values, formats: tuple = (), bold=False, wrap_first=False, wrap_last=False):
        row = self.next_row
        self.next_row += 1
        styles = self.bold_formats if bold else self.formats
        last = len(values) - 1
        for col, value in enumerate(values):
            fmt = formats[col] if col < len(formats) else None
            if (wrap_first and col == 0) or (wrap_last and col == last):
                cell_format = self.bold if bold else self.wrap
            else:
                cell_format = styles[fmt] if value.__class__ in (int, float) else styles[None]
            self.value(row, col, value, cell_format)

    def note(self, text: str):
        self.row(text)


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def _summary(w: _Writer, report: dict):
    w.sheet_new(_("Podsumowanie"), [44, 50, 14])
    params = report.get("params") or {}
    method = report.get("method") or {}
    overall = report.get("overall") or {}
    department = params.get("department")
    w.row(_("Raport z badania satysfakcji klientów"), bold=True)
    w.row(_("Urząd"), (report.get("office") or {}).get("name"))
    w.row(_("Okres od"), params.get("start"))
    w.row(_("Okres do"), params.get("end"))
    w.row(_("Wydział"), department["name"] if department else _("wszystkie wydziały"))
    w.row(
        _("Kanał"),
        channel_label(params.get("channel")) if params.get("channel") else _("wszystkie kanały"),
    )
    w.row(_("Porównanie z poprzednim okresem"), _("tak") if params.get("compare") else _("nie"))
    w.row(_("Wygenerowano"), report.get("generated_at"))
    w.row(_("Wygenerował(a)"), report.get("generated_by") or _("system (automatycznie)"))
    w.row()
    w.header(_("Wskaźnik"), _("Wartość"), "n")
    w.row(_("Ankiety: wszystkie"), method.get("responses"), formats=(None, COUNT))
    w.row(_("Ankiety: kompletne"), method.get("complete"), formats=(None, COUNT))
    w.row(_("Ankiety: częściowe"), method.get("partial"), formats=(None, COUNT))
    for channel, count in (method.get("by_channel") or {}).items():
        w.row(
            _("Ankiety: kanał %(channel)s") % {"channel": channel_label(channel)},
            count,
            formats=(None, COUNT),
        )
    for version in method.get("versions") or []:
        w.row(
            _("Ankiety: wersja %(code)s") % {"code": version.get("code")},
            version.get("responses"),
            formats=(None, COUNT),
        )
    w.row(_("Pierwsza ankieta"), method.get("first_response"))
    w.row(_("Ostatnia ankieta"), method.get("last_response"))
    dated = method.get("dated_by_period")
    if dated:
        w.row(
            _("Ankiety z okresem zebrania zamiast dnia"),
            dated.get("responses"),
            formats=(None, COUNT),
        )
        w.row(
            _("…w tym z okresem wykraczającym poza okres raportu"),
            dated.get("outside"),
            formats=(None, COUNT),
        )
    n = overall.get("n_ratings")
    w.row(_("Średnia wszystkich ocen"), overall.get("mean"), n, formats=(None, MEAN, COUNT))
    w.row(
        _("Odsetek ocen pozytywnych (4 i 5)"),
        overall.get("positive_share"),
        n,
        formats=(None, SHARE, COUNT),
    )
    satisfaction = overall.get("satisfaction")
    if satisfaction:
        w.row(
            _("Ocena ogólna (średnia)"),
            satisfaction.get("mean"),
            satisfaction.get("n"),
            formats=(None, MEAN, COUNT),
        )
    settled = overall.get("settled")
    if settled:
        for option in settled.get("options") or []:
            w.row(
                f"{settled.get('text')}: {option.get('label')}",
                option.get("share"),
                settled.get("n"),
                formats=(None, SHARE, COUNT),
            )
    notes = report.get("notes") or []
    if notes:
        w.row()
        w.row(_("Uwagi"), bold=True)
        for note in notes:
            w.note(note)


def _areas(w: _Writer, report: dict):
    w.sheet_new(_("Obszary i pytania"), [30, 26, 50, 9, 9, 8, 8, 8, 8, 8, 12, 12, 24])
    w.header(
        _("Obszar"),
        _("Klucz"),
        _("Pytanie"),
        "n",
        _("Średnia"),
        "1",
        "2",
        "3",
        "4",
        "5",
        _("Nie dotyczy"),
        _("Odsetek 4–5"),
        _("Uwagi"),
    )
    numbers = (None, None, None, COUNT, MEAN, COUNT, COUNT, COUNT, COUNT, COUNT, COUNT, SHARE)
    for area in report.get("areas") or []:
        w.row(
            area.get("title"),
            area.get("key"),
            _("(cały obszar)"),
            area.get("n"),
            area.get("mean"),
            None,
            None,
            None,
            None,
            None,
            area.get("na"),
            area.get("positive_share"),
            formats=numbers,
            bold=True,
        )
        for item in area.get("items") or []:
            counts = item.get("distribution") or {}
            w.row(
                area.get("title"),
                item.get("key"),
                item.get("text"),
                item.get("n"),
                item.get("mean"),
                *(counts.get(v) for v in "12345"),
                item.get("na"),
                item.get("positive_share"),
                item.get("versions_note"),
                formats=numbers,
            )


def _structure(w: _Writer, report: dict):
    w.sheet_new(_("Struktura respondentów"), [40, 36, 10, 10, 10])
    w.header(_("Pytanie"), _("Odpowiedź"), _("Liczba"), _("Odsetek"), "n")
    for question in report.get("structure") or []:
        for option in question.get("options") or []:
            w.row(
                question.get("text"),
                option.get("label"),
                option.get("count"),
                option.get("share"),
                question.get("n"),
                formats=(None, None, COUNT, SHARE, COUNT),
            )


def _breakdowns(w: _Writer, report: dict):
    areas = [(a.get("key"), a.get("title")) for a in report.get("areas") or []]
    min_cell = (report.get("params") or {}).get("min_cell") or 5
    w.sheet_new(_("Przekroje"), [24, 34, 9, 9, 12, 12] + [16] * len(areas))
    w.note(
        _("„—”: mniej niż %(n)s odpowiedzi — ukryte dla ochrony anonimowości.") % {"n": min_cell}
    )
    w.header(
        _("Przekrój"),
        _("Grupa"),
        "n",
        _("Średnia"),
        _("Odsetek 4–5"),
        _("Ocena ogólna"),
        *(title for _key, title in areas),
    )
    titles = breakdown_titles()
    formats = (None, None, COUNT, MEAN, SHARE, MEAN) + (MEAN,) * len(areas)
    for key, cells in (report.get("breakdowns") or {}).items():
        for cell in cells:
            if cell.get("suppressed"):
                w.row(titles.get(key, key), cell.get("label"), *(["—"] * (4 + len(areas))))
                continue
            means = cell.get("areas") or {}
            w.row(
                titles.get(key, key),
                cell.get("label"),
                cell.get("n"),
                cell.get("mean"),
                cell.get("positive_share"),
                cell.get("satisfaction_mean"),
                *(means.get(area) for area, _title in areas),
                formats=formats,
            )


def _trend(w: _Writer, report: dict):
    w.sheet_new(_("Trend"), [12, 10, 10, 14, 14])
    w.header(_("Miesiąc"), "n", _("Średnia"), _("Odsetek 4–5"), _("Ocena ogólna"))
    for month in report.get("trend") or []:
        w.row(
            month.get("month"),
            month.get("n"),
            month.get("mean"),
            month.get("positive_share"),
            month.get("satisfaction_mean"),
            formats=(None, COUNT, MEAN, SHARE, MEAN),
        )


def _comparison(w: _Writer, report: dict):
    w.sheet_new(_("Porównanie"), [12, 44, 12, 12, 10, 10, 10, 10, 10, 30])
    comparison = report.get("comparison")
    if not comparison:
        w.note(_("Ten raport nie zawiera porównania z poprzednim okresem."))
        return
    previous = comparison.get("previous") or {}
    w.note(
        _("Poprzedni okres: %(start)s – %(end)s")
        % {"start": previous.get("start"), "end": previous.get("end")}
    )
    reason = comparison.get("periods_reason")
    if reason:
        # As on screen: periods that cannot be compared get the reason, not a table of
        # differences nobody should read.
        w.note(_("Wyników nie porównano: %(reason)s.") % {"reason": reason})
        return
    w.note(_("Metoda: %(method)s") % {"method": comparison.get("method")})
    w.header(
        _("Poziom"),
        _("Nazwa"),
        _("Średnia teraz"),
        _("Średnia wcześniej"),
        _("Zmiana"),
        # A percent sign, not a placeholder (xgettext would take "% o" for one):
        # xgettext:no-python-format
        _("PU 95% od"),
        # xgettext:no-python-format
        _("PU 95% do"),
        _("n teraz"),
        _("n wcześniej"),
        _("Ocena zmiany"),
    )
    rows = [(_("ogółem"), _("Wszystkie oceny"), comparison.get("overall") or {})]
    rows += [(_("obszar"), a.get("title"), a) for a in comparison.get("areas") or []]
    rows += [(_("pytanie"), i.get("text"), i) for i in comparison.get("items") or []]
    formats = (None, None, MEAN, MEAN, MEAN, MEAN, MEAN, COUNT, COUNT)
    for level, name, row in rows:
        ci = row.get("ci95") or [None, None]
        verdict = change_verdict(row)
        w.row(
            level,
            name,
            row.get("mean_now"),
            row.get("mean_before"),
            row.get("diff"),
            ci[0],
            ci[1],
            row.get("n_now"),
            row.get("n_before"),
            f"{verdict['arrow']} {verdict['text']}".strip(),
            formats=formats,
        )


def _importance(w: _Writer, report: dict):
    importance = report.get("importance")
    if not importance:
        return
    w.sheet_new(_("Ważność i satysfakcja"), [34, 14, 14, 10])
    w.header(_("Obszar"), _("Ważność (średnia)"), _("Satysfakcja (średnia)"), "n")
    for row in importance:
        w.row(
            row.get("title"),
            row.get("importance_mean"),
            row.get("satisfaction_mean"),
            row.get("n"),
            formats=(None, MEAN, MEAN, COUNT),
        )


def _improvement(w: _Writer, report: dict):
    hot = report.get("hot_spots") or {}
    w.sheet_new(_("Obszary do poprawy"), [34, 44, 30, 10, 8, 12, 10, 10, 10, 46])
    w.note(
        _(
            "Pytania i obszary, w których wydział wypada wiarygodnie niżej niż reszta urzędu "
            "(co najmniej %(min)s osób; przedział po korekcie na wiele porównań), od "
            "najpewniejszej różnicy; niżej pytania, których ocena wiarygodnie spadła."
        )
        % {"min": hot.get("min_n") or 30}
    )
    w.header(
        _("Wydział"),
        _("Pytanie lub obszar"),
        _("Obszar"),
        _("Średnia"),
        "n",
        _("Reszta urzędu"),
        _("Różnica"),
        _("Przedział od"),
        _("Przedział do"),
        _("Identyfikator"),
    )
    for cell in hot.get("cells") or []:
        interval = cell.get("interval") or [None, None]
        w.row(
            (cell.get("department") or {}).get("name"),
            cell.get("text"),
            cell.get("area"),
            cell.get("mean"),
            cell.get("n"),
            cell.get("rest_mean"),
            cell.get("diff"),
            interval[0],
            interval[1],
            cell.get("id"),
            formats=(None, None, None, MEAN, COUNT, MEAN, MEAN, MEAN, MEAN),
        )
    if hot.get("falling"):
        w.note("")
        w.header(
            _("Pytanie (spadek)"), _("Obszar"), _("Średnia teraz"), _("Średnia wcześniej"),
            _("Zmiana"), _("n teraz"), _("n wcześniej"),
        )  # fmt: skip
        for row in hot["falling"]:
            w.row(
                row.get("text"),
                row.get("area"),
                row.get("mean_now"),
                row.get("mean_before"),
                row.get("diff"),
                row.get("n_now"),
                row.get("n_before"),
                formats=(None, None, MEAN, MEAN, MEAN, COUNT, COUNT),
            )


def _open_answers(w: _Writer, report: dict):
    rows = iter(comment_rows(report))
    w.sheet_new(_("Odpowiedzi otwarte"), COMMENT_WIDTHS)
    w.header(*next(rows))
    for row in rows:
        w.row(*row, wrap_last=True)


def _raw(w: _Writer, rows: Iterable):
    """Rows straight into the sheet: numbers as numbers, the rest as text."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return
    part = 1
    row_number = MAX_ROWS  # start a sheet at once
    write_number = write_string = None

    def sheet_start():
        title = _("Dane surowe") if part == 1 else f"{_('Dane surowe')} ({part})"
        sheet = w.sheet_new(title, [9, 11, 11, 10, 6, 30, 16])
        sheet.freeze_panes(1, 0)
        w.header(*header)
        return sheet.write_number, sheet.write_string

    # The hot loop of a big export: one call per non-empty cell, no per-cell objects.
    control = CONTROL_RE.search
    for row in iterator:
        if row_number >= MAX_ROWS:
            if write_number is not None:
                part += 1
            write_number, write_string = sheet_start()
            row_number = 1
        for col, value in enumerate(row):
            cls = value.__class__
            if cls is int or cls is float:
                write_number(row_number, col, value)
            elif cls is str:
                if value:
                    if control(value):
                        value = CONTROL_RE.sub("", value)
                    write_string(row_number, col, value[:MAX_TEXT])
            elif value is not None:
                w.value(row_number, col, value)
        row_number += 1
    if write_number is None:
        sheet_start()
