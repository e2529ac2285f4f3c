"""The report as an Excel workbook: one sheet per part of the report, plus the raw answers.

The whole workbook is written in openpyxl's write-only mode, so the raw-data sheet
streams its rows through a temporary file instead of holding them in memory. Figures are
real numbers with number formats (Excel shows them with the reader's decimal comma);
texts are always stored as text, never as formulas.
"""

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from .comparison import change_verdict
from .context import breakdown_titles
from .formatting import channel_label, fmt_int

MEAN = "0.00"
SHARE = "0%"
COUNT = "#,##0"
MAX_ROWS = 1_048_576  # an Excel sheet's limit, header included
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def report_xlsx(
    report: dict, *, responses: Iterable | None = None, raw_left_out: int | None = None
) -> bytes:
    """The workbook as bytes. ``responses``: rows as ``responses_csv_rows`` yields them
    (header first), written to "Dane surowe" (continued on further sheets past Excel's
    row limit); without them that sheet is left out — or, with ``raw_left_out`` (the
    number of responses not written), it says so and points to the CSV file."""
    workbook = Workbook(write_only=True)
    writer = _Writer(workbook)
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
    elif raw_left_out is not None:
        writer.sheet_new(_("Dane surowe"), [100])
        writer.note(
            _(
                "W wybranym okresie jest %(count)s ankiet — za dużo, by zapisać je w tym "
                "pliku ankieta po ankiecie w rozsądnym czasie. Wszystkie odpowiedzi, ankieta "
                "po ankiecie, są w pliku CSV: na stronie raportu kliknij „CSV dla Excela "
                "(średniki)”. Pozostałe arkusze tego pliku obejmują wszystkie ankiety."
            )
            % {"count": fmt_int(raw_left_out)}
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.sheet = None

    def sheet_new(self, title: str, widths: list[int]):
        self.sheet = self.workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths):
            letter = _column_letter(index)
            self.sheet.column_dimensions[letter].width = width
        return self.sheet

    def cell(self, value, *, number_format: str | None = None, bold=False, wrap=False):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a resident's "=…" stays text, never a formula
        if number_format and isinstance(value, int | float):
            cell.number_format = number_format
        if bold:
            cell.font = BOLD
        if wrap:
            cell.alignment = WRAP
        return cell

    def header(self, *titles: str):
        self.sheet.append([self.cell(t, bold=True, wrap=True) for t in titles])

    def row(self, *values, formats: tuple = (), bold=False, wrap_first=False):
        cells = []
        for index, value in enumerate(values):
            fmt = formats[index] if index < len(formats) else None
            cells.append(
                self.cell(value, number_format=fmt, bold=bold, wrap=wrap_first and index == 0)
            )
        self.sheet.append(cells)

    def note(self, text: str):
        self.sheet.append([self.cell(text)])


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    w.note(_("Metoda: %(method)s") % {"method": comparison.get("method")})
    w.header(
        _("Poziom"),
        _("Nazwa"),
        _("Średnia teraz"),
        _("Średnia wcześniej"),
        _("Zmiana"),
        _("PU 95% od"),
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
    w.sheet_new(_("Odpowiedzi otwarte"), [30, 12, 30, 12, 90])
    w.header(_("Pytanie"), _("Data"), _("Wydział"), _("Kanał"), _("Odpowiedź"))
    for answer in report.get("open_answers") or []:
        w.sheet.append(
            [
                w.cell(answer.get("question")),
                w.cell(answer.get("date")),
                w.cell(answer.get("department")),
                w.cell(channel_label(answer.get("channel"))),
                w.cell(answer.get("text"), wrap=True),
            ]
        )


def _raw(w: _Writer, rows: Iterable):
    """Rows straight into the sheet; only texts become cell objects (kept as text)."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return
    part = 1
    count = MAX_ROWS  # start a sheet at once

    def sheet_start():
        title = _("Dane surowe") if part == 1 else f"{_('Dane surowe')} ({part})"
        sheet = w.sheet_new(title, [9, 11, 11, 10, 6, 30, 16])
        sheet.freeze_panes = "A2"
        w.header(*header)
        return sheet

    sheet = None
    na_check = ILLEGAL_CHARACTERS_RE.search
    for row in iterator:
        if count >= MAX_ROWS:
            if sheet is not None:
                part += 1
            sheet = sheet_start()
            count = 1
        values = []
        for value in row:
            if value.__class__ is str:
                if value.startswith("=") or na_check(value):
                    value = w.cell(value)
            elif value.__class__ is list:
                value = w.cell("|".join(map(str, value)))
            values.append(value)
        sheet.append(values)
        count += 1
    if sheet is None:
        sheet_start()
