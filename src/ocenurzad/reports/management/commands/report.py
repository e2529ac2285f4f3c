"""``manage.py report <office> --from … --to … --format … -o FILE``: a report as a file.

The same report as "Generuj raport" in the panel, for scripts and scheduled jobs (cron):
the period is given as two dates (both included), the filters and the comparison as in
the panel. ``--archive`` also stores it in the office's report archive (reason: planowy).
"""

from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.reports.archive import Reason, archived_report_create
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.periods import PeriodError, custom_period
from ocenurzad.reports.refusals import (
    comparison_refusal,
    min_cell,
    raw_export_refusal,
    report_refusal,
)
from ocenurzad.reports.render.csv import csv_stream, responses_csv_rows
from ocenurzad.reports.render.html import report_html
from ocenurzad.reports.render.json import report_json
from ocenurzad.reports.render.pdf import report_pdf
from ocenurzad.reports.render.xlsx import report_xlsx

FORMATS = ("html", "pdf", "xlsx", "csv", "json")
CHANNELS = ("online", "paper")
CSV_DIALECTS = ("excel-pl", "excel")
OPTION_OF_FIELD = {"od": "--from", "do": "--to"}
# The panel's styles and the report's, put inside the HTML file so that it opens anywhere.
REPORT_CSS = ("css/site.css", "css/report.css")


class Command(BaseCommand):
    help = (
        "Zapisuje raport z wyników ankiet urzędu do pliku (html, pdf, xlsx, csv, json). "
        "Daty --from i --to są wliczone do okresu."
    )

    def add_arguments(self, parser):
        parser.add_argument("office", help="Identyfikator urzędu (np. swinoujscie).")
        parser.add_argument(
            "--from", dest="start", required=True, help="Pierwszy dzień okresu, RRRR-MM-DD."
        )
        parser.add_argument(
            "--to", dest="end", required=True, help="Ostatni dzień okresu (wliczony), RRRR-MM-DD."
        )
        parser.add_argument("--department", help="Numer (id) wydziału urzędu.")
        parser.add_argument("--channel", help="Kanał: online (internet) albo paper (papierowa).")
        parser.add_argument(
            "--compare", action="store_true", help="Porównaj z poprzednim okresem tej długości."
        )
        parser.add_argument(
            "--format", dest="fmt", required=True, help="Format: " + ", ".join(FORMATS) + "."
        )
        parser.add_argument("-o", "--output", required=True, help="Plik, do którego zapisać.")
        parser.add_argument(
            "--csv-dialect",
            default="excel-pl",
            help="CSV: excel-pl (średniki, dla polskiego Excela; domyślnie) albo excel "
            "(przecinki).",
        )
        parser.add_argument(
            "--archive",
            action="store_true",
            help="Zapisz raport także w archiwum urzędu (powód: planowy).",
        )
        parser.add_argument("--note", default="", help="Notatka do raportu w archiwum.")

    def handle(self, *args, **options):
        office = _office(options["office"])
        fmt = options["fmt"].lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"Nieznany format „{options['fmt']}”: wybierz jeden z: {', '.join(FORMATS)}."
            )
        if options["csv_dialect"] not in CSV_DIALECTS:
            raise CommandError(
                f"Nieznany rodzaj CSV „{options['csv_dialect']}”: wybierz excel-pl albo excel."
            )
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        try:
            period = custom_period(start, end, today=timezone.localdate())
        except PeriodError as error:
            raise CommandError(f"{OPTION_OF_FIELD.get(error.field, '')}: {error.message}") from None
        department_id = _department(office, options["department"])
        channel = options["channel"]
        if channel is not None and channel not in CHANNELS:
            raise CommandError(
                f"Nieznany kanał „{channel}”: wybierz online (internet) albo paper (papierowa)."
            )
        filters = {"department_id": department_id, "channel": channel}
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                f"Nie ma katalogu {output.parent}: utwórz go albo wybierz inny plik."
            )

        # the panel's disclosure rules (compute/disclosure.py) hold here too
        refusal = report_refusal(
            office=office, start=period.start, end=period.end, today=timezone.localdate(), **filters
        )
        if fmt in ("csv", "xlsx") and not refusal:
            refusal = raw_export_refusal(
                office=office,
                start=period.start,
                end=period.end,
                today=timezone.localdate(),
                **filters,
            )
        if refusal:
            raise CommandError(refusal)
        if fmt == "csv":
            rows = responses_csv_rows(
                office=office, start=period.start, end=period.end, k=min_cell(), **filters
            )
            with output.open("wb") as handle:
                for chunk in csv_stream(rows, dialect=options["csv_dialect"]):
                    handle.write(chunk)
            report = None
        else:
            report = report_compute(
                office=office,
                start=period.start,
                end=period.end,
                compare=options["compare"],
                **filters,
            )
            refusal = comparison_refusal(office=office, report=report)
            if refusal:
                raise CommandError(refusal)
            output.write_bytes(self._render(report, fmt, office, period, filters))
        self.stdout.write(f"Zapisano raport ({fmt}) urzędu {office.slug} do pliku {output}.")

        if options["archive"]:
            if report is None:
                report = report_compute(
                    office=office,
                    start=period.start,
                    end=period.end,
                    compare=options["compare"],
                    **filters,
                )
            archived = archived_report_create(
                office=office,
                actor=None,
                report=report,
                reason=Reason.SCHEDULED,
                note=options["note"],
            )
            if archived.existing:
                self.stdout.write(
                    f"Ten raport (te same parametry i wyniki) jest już w archiwum: nr "
                    f"{archived.pk}, SHA-256 {archived.sha256}; nie zapisano go drugi raz."
                )
            else:
                self.stdout.write(
                    f"Raport zapisano w archiwum: nr {archived.pk}, SHA-256 {archived.sha256}."
                )

    def _render(self, report, fmt, office, period, filters) -> bytes:
        if fmt == "pdf":
            return report_pdf(report)
        if fmt == "json":
            return report_json(report)
        if fmt == "xlsx":
            rows = responses_csv_rows(
                office=office, start=period.start, end=period.end, k=min_cell(), **filters
            )
            return report_xlsx(report, responses=rows)
        return report_html_document(report).encode("utf-8")


def report_html_document(report: dict) -> str:
    """The report as one HTML file that opens anywhere: the styles inside, nothing linked."""
    css = []
    for name in REPORT_CSS:
        path = finders.find(name)
        if path:
            css.append(Path(path).read_text(encoding="utf-8"))
    return render_to_string(
        "reports/panel/standalone.html",
        {"report": report, "body": report_html(report), "css": "\n".join(css)},
    )


def _office(slug: str) -> Office:
    try:
        return Office.objects.get(slug=slug)
    except Office.DoesNotExist:
        raise CommandError(
            f"Nie ma urzędu o identyfikatorze „{slug}”. Sprawdź identyfikator (część adresu)."
        ) from None


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: „{value}” nie jest datą — podaj datę w postaci RRRR-MM-DD, np. 2025-01-31."
        ) from None


def _department(office: Office, value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise CommandError(f"--department: „{value}” nie jest numerem wydziału.")
    if not office.departments.filter(pk=int(value)).exists():
        raise CommandError(
            f"--department: wydział nr {value} nie należy do urzędu „{office.slug}”."
        )
    return int(value)
