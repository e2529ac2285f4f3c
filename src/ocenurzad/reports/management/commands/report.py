"""``manage.py report <office> --from … --to … --format … -o FILE``: a report as a file.

The same report as "Generuj raport" in the panel, for scripts and scheduled jobs (cron):
the period is two dates (both included) or one of the panel's kinds (``--year``,
``--quarter``, ``--month``, ``--last-12-months``), the filters and the comparison as in the
panel. Two dates that are exactly a calendar year, quarter or month are that year, quarter
or month (``--from 2025-01-01 --to 2025-12-31 --compare`` compares with 2024). A calendar
year is compared with the previous one unless ``--no-compare``. ``--archive`` also stores
the report in the office's report archive (reason: planowy).
"""

import re
from datetime import date
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.reports.archive import Reason, archived_report_create
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.forms import client_type_choices
from ocenurzad.reports.periods import (
    Compare,
    Kind,
    PeriodError,
    Shape,
    custom_period,
    period_for,
    period_shape,
)
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
OPTION_OF_FIELD = {
    "od": "--from",
    "do": "--to",
    "rok": "--year",
    "kwartal": "--quarter",
    "miesiac": "--month",
}
COMPARE_OPTIONS = {"previous": Compare.PREVIOUS, "year-ago": Compare.YEAR_AGO}
QUARTER_RE = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# The panel's styles and the report's, put inside the HTML file so that it opens anywhere.
REPORT_CSS = ("css/site.css", "css/report.css")


class Command(BaseCommand):
    help = (
        "Zapisuje raport z wyników ankiet urzędu do pliku (html, pdf, xlsx, csv, json). "
        "Daty --from i --to są wliczone do okresu."
    )

    def add_arguments(self, parser):
        parser.add_argument("office", help="Identyfikator urzędu (np. swinoujscie).")
        parser.add_argument("--from", dest="start", help="Pierwszy dzień okresu, RRRR-MM-DD.")
        parser.add_argument("--to", dest="end", help="Ostatni dzień okresu (wliczony), RRRR-MM-DD.")
        parser.add_argument("--year", help="Rok kalendarzowy, np. 2025 (zamiast --from/--to).")
        parser.add_argument("--quarter", help="Kwartał, np. 2025-Q2 (zamiast --from/--to).")
        parser.add_argument("--month", help="Miesiąc, np. 2025-03 (zamiast --from/--to).")
        parser.add_argument(
            "--last-12-months",
            action="store_true",
            help="Ostatnie 12 pełnych miesięcy, bez bieżącego (zamiast --from/--to).",
        )
        parser.add_argument("--department", help="Numer (id) wydziału urzędu.")
        parser.add_argument("--channel", help="Kanał: online (internet) albo paper (papierowa).")
        parser.add_argument(
            "--client-type",
            help="Rodzaj klienta z metryczki, np. przedsiebiorca (wartość odpowiedzi).",
        )
        parser.add_argument(
            "--compare",
            nargs="?",
            const="previous",
            choices=sorted(COMPARE_OPTIONS),
            help="Porównaj z poprzednim okresem (previous, domyślnie: poprzedni rok, kwartał, "
            "miesiąc, 12 miesięcy; dla innych dat — tyle samo dni tuż przed nimi) albo z tym "
            "samym okresem rok wcześniej (year-ago).",
        )
        parser.add_argument(
            "--no-compare",
            action="store_true",
            help="Bez porównania (rok kalendarzowy jest porównywany domyślnie).",
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
        today = timezone.localdate()
        kind, period = _period(options, today)
        compare = _compare(options, period, kind, today)
        department_id = _department(office, options["department"])
        channel = options["channel"]
        if channel is not None and channel not in CHANNELS:
            raise CommandError(
                f"Nieznany kanał „{channel}”: wybierz online (internet) albo paper (papierowa)."
            )
        client_type = _client_type(office, options["client_type"])
        filters = {"department_id": department_id, "channel": channel, "client_type": client_type}
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
                compare=compare,
                kind=kind,
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
                    compare=compare,
                    kind=kind,
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


def _period(options, today):
    """(kind, Period) of the options: exactly one of --from/--to, --year, --quarter,
    --month, --last-12-months."""
    given = [
        name
        for name, present in (
            ("--from/--to", options["start"] or options["end"]),
            ("--year", options["year"]),
            ("--quarter", options["quarter"]),
            ("--month", options["month"]),
            ("--last-12-months", options["last_12_months"]),
        )
        if present
    ]
    if len(given) != 1:
        raise CommandError(
            "Podaj okres raportu jednym sposobem: --from i --to, --year, --quarter, --month "
            "albo --last-12-months" + (f" (podano: {', '.join(given)})." if given else ".")
        )
    try:
        if options["year"]:
            if not re.fullmatch(r"\d{4}", options["year"]):
                raise CommandError(f"--year: „{options['year']}” nie jest rokiem, np. 2025.")
            return Kind.YEAR, period_for(Kind.YEAR, today=today, year=int(options["year"]))
        if options["quarter"]:
            match = QUARTER_RE.match(options["quarter"])
            if not match:
                raise CommandError(
                    f"--quarter: „{options['quarter']}” nie jest kwartałem — podaj np. 2025-Q2."
                )
            year, quarter = int(match.group(1)), int(match.group(2))
            return Kind.QUARTER, period_for(Kind.QUARTER, today=today, year=year, quarter=quarter)
        if options["month"]:
            match = MONTH_RE.match(options["month"])
            if not match:
                raise CommandError(
                    f"--month: „{options['month']}” nie jest miesiącem — podaj np. 2025-03."
                )
            month = (int(match.group(1)), int(match.group(2)))
            return Kind.MONTH, period_for(Kind.MONTH, today=today, month=month)
        if options["last_12_months"]:
            return Kind.LAST_12_MONTHS, period_for(Kind.LAST_12_MONTHS, today=today)
        if not options["start"] or not options["end"]:
            raise CommandError("Podaj obie daty okresu: --from i --to (RRRR-MM-DD).")
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        return Kind.CUSTOM, custom_period(start, end, today=today)
    except PeriodError as error:
        option = OPTION_OF_FIELD.get(error.field, "")
        raise CommandError(f"{option}: {error.message}" if option else error.message) from None


def _compare(options, period, kind, today) -> str | bool:
    if options["no_compare"] and options["compare"]:
        raise CommandError("Wybierz --compare albo --no-compare, nie oba.")
    if options["compare"]:
        return COMPARE_OPTIONS[options["compare"]]
    if options["no_compare"]:
        return False
    # The yearly report compares with the previous year by default.
    if period_shape(period.start, period.end, today=today, kind=kind) == Shape.YEAR:
        return Compare.PREVIOUS
    return False


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


def _client_type(office: Office, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    known = dict(client_type_choices(office))
    if value not in known:
        raise CommandError(
            f"--client-type: nie ma rodzaju klienta „{value}” w ankiecie urzędu — wybierz jeden "
            f"z: {', '.join(known) or 'brak (ankieta nie pyta o rodzaj klienta)'}."
        )
    return value
