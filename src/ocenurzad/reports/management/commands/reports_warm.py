"""Build the stored report counters (rollups) ahead of the first report.

Reports read closed days and months from rollups that are built the first time a
report needs them; for years of responses that first report takes tens of seconds.
Run this nightly (cron) and after a bulk import, and every report stays within a second.
Also after an upgrade that changes what rollups hold (``ROLLUP_SCHEMA``): rollups of an
older format are never read; this builds them again in the current one and deletes the old.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ocenurzad.offices.models import Office
from ocenurzad.reports.models import ReportRollup
from ocenurzad.reports.rollups import ROLLUP_SCHEMA, rollups_warm
from ocenurzad.responses.models import Response


class Command(BaseCommand):
    help = (
        "Przygotowuje zapisane sumy do raportów (za zamknięte dni i miesiące), żeby każdy "
        "raport powstawał w mniej niż sekundę. Uruchamiaj co noc i po imporcie danych."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="urzędy (domyślnie wszystkie aktywne)")

    def handle(self, *args, slugs, **options):
        offices = Office.objects.filter(is_active=True)
        if slugs:
            offices = offices.filter(slug__in=slugs)
            missing = set(slugs) - set(offices.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Nie ma aktywnego urzędu: {', '.join(sorted(missing))}.")
        for office in offices.order_by("slug"):
            first = (
                Response.objects.filter(office=office)
                .order_by("submitted_at")
                .values_list("submitted_at", flat=True)
                .first()
            )
            if first is None:
                self.stdout.write(f"{office.slug}: brak ankiet.")
                continue
            start = date(first.year, first.month, 1)
            stored = rollups_warm(office=office, start=start)
            # What the warm-up did not rebuild (e.g. days now inside a stored month) is
            # never read again: drop it.
            old, _by_model = (
                ReportRollup.objects.filter(office=office).exclude(schema=ROLLUP_SCHEMA).delete()
            )
            note = f"; usunięto {old} sum w starszym formacie" if old else ""
            self.stdout.write(f"{office.slug}: gotowe ({stored} okresów od {start}{note}).")
