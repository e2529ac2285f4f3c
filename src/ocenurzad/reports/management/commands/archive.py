"""``manage.py archive <office> [--verify]``: the office's archived reports, newest first.

``--verify`` reads every stored file again (the PDF and the comments annex, CSV and XLSX)
and compares its SHA-256 with the checksum taken when it was archived; any difference or
missing file ends the command with an error (exit status 1), so a scheduled job can raise
the alarm. It also names files in the office's report folder that no archived report
refers to (left by a change that was rolled back after its report had been stored); they
are only listed, never deleted.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocenurzad.offices.models import Office
from ocenurzad.reports.archive import (
    archived_report_orphans,
    archived_report_verify,
    archived_reports,
)


class Command(BaseCommand):
    help = (
        "Wypisuje raporty z archiwum urzędu; z --verify sprawdza sumy kontrolne plików "
        "(PDF i odpowiedzi otwarte CSV, XLSX)."
    )

    def add_arguments(self, parser):
        parser.add_argument("office", help="Identyfikator urzędu (np. swinoujscie).")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Przelicz SHA-256 każdego pliku raportu i porównaj z zapisaną sumą.",
        )

    def handle(self, *args, office: str, verify: bool, **options):
        try:
            office_obj = Office.objects.get(slug=office)
        except Office.DoesNotExist:
            raise CommandError(f"Nie ma urzędu o identyfikatorze „{office}”.") from None
        reports = list(archived_reports(office=office_obj))
        if not reports:
            self.stdout.write(f"Archiwum urzędu {office_obj.slug} jest puste.")
            return
        header = ["nr", "wygenerowano", "kto", "powód", "okres", "sha256"]
        if verify:
            header.append("sprawdzenie")
        self.stdout.write("\t".join(header))
        bad = 0
        for archived in reports:
            row = [
                str(archived.pk),
                timezone.localtime(archived.created_at).strftime("%Y-%m-%d %H:%M"),
                archived.created_by_name or "system",
                str(archived.get_reason_display()),
                f"{archived.period_start:%Y-%m-%d}–{archived.period_end:%Y-%m-%d}",
                archived.sha256[:12],
            ]
            if verify:
                result = archived_report_verify(archived=archived)
                row.append({True: "OK", False: "NIEZGODNA SUMA", None: "BRAK PLIKU"}[result])
                bad += result is not True
            self.stdout.write("\t".join(row))
        if verify:
            for name in archived_report_orphans(office=office_obj):
                self.stdout.write(f"Plik bez wpisu w archiwum (można go usunąć): {name}")
            if bad:
                raise CommandError(
                    f"Sprawdzenie nie powiodło się: {bad} z {len(reports)} raportów ma plik "
                    "zmieniony albo brakujący."
                )
            self.stdout.write(
                f"Sprawdzono {len(reports)} raportów: wszystkie pliki (PDF i odpowiedzi "
                "otwarte) są bez zmian."
            )
