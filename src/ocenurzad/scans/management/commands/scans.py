"""python manage.py scans import <office-slug> FILE [FILE ...] [--json]

Reads the files before it returns and prints, per sheet, what became of it: stored;
waiting and why; refused and why — and every page that made no sheet.
"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from ocenurzad.accounts.models import User
from ocenurzad.offices.models import Office
from ocenurzad.scans.processing import scan_import_run
from ocenurzad.scans.selectors import scan_import_protocol, sheet_label
from ocenurzad.scans.services import (
    ScanRefused,
    collection_dates_check,
    scan_file_add,
    scan_import_create,
)

CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = "Wczytuje zeskanowane arkusze ankiet (PDF, TIFF, PNG, JPEG) urzędu."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="wczytaj pliki ze skanami")
        imp.add_argument("office", help="identyfikator urzędu (slug), np. swinoujscie")
        imp.add_argument("files", nargs="+", help="pliki ze skanami")
        imp.add_argument("--json", action="store_true", help="wynik w formacie JSON")
        imp.add_argument("--data", help="data wypełnienia ankiet RRRR-MM-DD (domyślnie: dzisiaj)")
        imp.add_argument("--od", help="początek okresu zbierania RRRR-MM-DD")
        imp.add_argument(
            "--potwierdz-bez-numeru",
            action="store_true",
            help="arkusze bez numeru to różne ankiety, każda zeskanowana raz: zapisz je",
        )
        imp.add_argument("--uzytkownik", help="login osoby, która wczytuje (do dziennika)")

    def handle(self, *args, **options):
        with translation.override("pl"):
            return self._import(options)

    def _import(self, options):
        office = Office.objects.filter(slug=options["office"]).first()
        if office is None:
            raise CommandError(f"Nie ma urzędu o identyfikatorze „{options['office']}”.")
        actor = None
        if options["uzytkownik"]:
            actor = User.objects.filter(username=options["uzytkownik"]).first()
            if actor is None or (actor.office_id not in (None, office.pk)):
                raise CommandError("Nie ma takiego użytkownika w tym urzędzie.")
        filled_on = _date(options["data"], "--data") or timezone.localdate()
        period_start = _date(options["od"], "--od")
        paths = [Path(p) for p in options["files"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"Nie ma pliku {path}.")
        try:
            scan_import = scan_import_create(
                office=office,
                actor=actor,
                filled_on=filled_on,
                period_start=period_start,
                confirm_unnumbered=options["potwierdz_bez_numeru"],
            )
        except ScanRefused as exc:
            raise CommandError(str(exc)) from exc
        for path in paths:
            with path.open("rb") as handle:
                scan_file_add(
                    scan_import=scan_import,
                    name=path.name,
                    chunks=iter(lambda h=handle: h.read(CHUNK), b""),
                )
        scan_import_run(import_id=scan_import.pk)
        protocol = scan_import_protocol(scan_import=scan_import)
        warnings = collection_dates_check(filled_on=filled_on, period_start=period_start)
        if options["json"]:
            self.stdout.write(
                json.dumps(_as_json(protocol, warnings), ensure_ascii=False, indent=2)
            )
        else:
            self._print(protocol, warnings)

    def _print(self, protocol, warnings):
        write = self.stdout.write
        scan_import = protocol["import"]
        write(f"Wczytanie nr {scan_import.pk}, data wypełnienia {scan_import.filled_on:%d.%m.%Y}")
        for warning in warnings:
            write(f"UWAGA: {warning}")
        for scan_file in protocol["files"]:
            state = scan_file.get_state_display()
            extra = f" — {scan_file.message}" if scan_file.message else ""
            write(f"Plik {scan_file.name}: {state}, stron: {scan_file.pages}{extra}")
        for sheet in protocol["sheets"]:
            write(f"{sheet_label(sheet)}: {_sheet_text(sheet)}")
        for page in protocol["problem_pages"]:
            state = page.get_state_display()
            write(f"{page.scan_file.name}, strona {page.index + 1}: {state} — {page.message}")
        totals = protocol["totals"]
        write(
            "Razem: stron {pages} (odczytanych {pages_read}, pustych {pages_blank}, "
            "odrzuconych {pages_refused}, do przypisania {pages_unreadable}); arkuszy "
            "{sheets}: zapisanych {stored}, pustych {blank}, odrzuconych {refused}, do "
            "sprawdzenia {waiting}, do potwierdzenia {confirm}; uwag do przepisania "
            "{comments}.".format(**totals)
        )


def _sheet_text(sheet) -> str:
    text = sheet.get_state_display()
    if sheet.open_questions:
        text += f" ({sheet.open_questions} do sprawdzenia)"
    if sheet.open_comments:
        text += f"; uwagi do przepisania: {sheet.open_comments}"
    if sheet.message:
        text += f" — {sheet.message}"
    return text


def _as_json(protocol, warnings) -> dict:
    scan_import = protocol["import"]
    return {
        "import": scan_import.pk,
        "filled_on": scan_import.filled_on.isoformat(),
        "warnings": warnings,
        "files": [
            {"name": f.name, "state": f.state, "pages": f.pages, "message": f.message}
            for f in protocol["files"]
        ],
        "sheets": [
            {
                "sheet_number": s.sheet_number,
                "position": s.position,
                "version": s.version.code,
                "state": s.state,
                "questions": s.open_questions,
                "comments": s.open_comments,
                "message": s.message,
                "response": s.response_id,
            }
            for s in protocol["sheets"]
        ],
        "pages": [
            {"file": p.scan_file.name, "page": p.index + 1, "state": p.state, "message": p.message}
            for p in protocol["problem_pages"]
        ],
        "totals": protocol["totals"],
    }


def _date(text, option) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option}: podaj datę w postaci RRRR-MM-DD.") from exc
