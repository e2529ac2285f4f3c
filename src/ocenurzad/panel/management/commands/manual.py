"""``manage.py manual -o instrukcja.pdf [--office SLUG] [--date RRRR-MM-DD]``: the manual
as one PDF, „Instrukcja obsługi narzędzia do oceny satysfakcji klienta” (Załącznik 1)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocenurzad.offices.models import Office
from ocenurzad.panel.manual import manual_pdf


class Command(BaseCommand):
    help = "Instrukcja obsługi jako jeden plik PDF (Załącznik 1), z okładką i spisem treści."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="plik PDF do zapisania")
        parser.add_argument("--office", help="identyfikator urzędu, którego nazwa jest na okładce")
        parser.add_argument("--date", help="data na okładce, RRRR-MM-DD (domyślnie dziś)")

    def handle(self, *args, output, office=None, date=None, **options):
        name = ""
        if office:
            found = Office.objects.filter(slug=office).first()
            if found is None:
                raise CommandError(f"Nie ma urzędu o identyfikatorze „{office}”.")
            name = found.name
        on = None
        if date:
            try:
                on = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"Data „{date}” nie jest w postaci RRRR-MM-DD.") from exc
        pdf = manual_pdf(office_name=name, on=on)
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Zapisano instrukcję ({len(pdf) // 1024} KB) w pliku {output}.")
