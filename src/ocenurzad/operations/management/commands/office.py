"""manage.py office export SLUG [-o FILE] · manage.py office import FILE [--slug NEW]"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ocenurzad.offices.models import Office
from ocenurzad.operations.transfer import TransferError, office_export, office_import


class Command(BaseCommand):
    help = (
        "Przeniesienie urzędu do innej instalacji: `office export SLUG` zapisuje wszystko o "
        "urzędzie (dane, wersje ankiety, odpowiedzi, archiwum raportów z sumami kontrolnymi, "
        "dziennik zmian, działania) w jednym pliku; `office import PLIK` wczytuje go tam."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="zapisz urząd do pliku .tar")
        export.add_argument("slug")
        export.add_argument("-o", "--output", help="plik (domyślnie urzad-SLUG.tar)")
        imported = sub.add_parser("import", help="wczytaj urząd z pliku .tar")
        imported.add_argument("file")
        imported.add_argument("--slug", help="inny adres urzędu, gdy jego adres jest tu zajęty")

    def handle(self, *args, action, **options):
        try:
            if action == "export":
                self._export(options["slug"], options.get("output"))
            else:
                self._import(options["file"], options.get("slug"))
        except TransferError as exc:
            raise CommandError(str(exc)) from exc

    def _export(self, slug, output):
        office = Office.objects.filter(slug=slug).first()
        if office is None:
            raise CommandError(f"Nie ma urzędu o adresie „{slug}”.")
        destination = Path(output or f"urzad-{slug}.tar")
        manifest = office_export(office=office, destination=destination)
        counts = ", ".join(f"{name}: {count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"Zapisano {destination} ({counts}).")

    def _import(self, file, slug):
        if not Path(file).is_file():
            raise CommandError(f"Nie ma pliku {file}.")
        office = office_import(source=Path(file), slug=slug)
        self.stdout.write(
            f"Wczytano urząd {office.name} pod adresem „{office.slug}”. Pracownicy nie mają "
            "haseł: ustaw je w panelu (Użytkownicy) albo wyślij link do ustawienia hasła."
        )
        call_command("reports_warm", office.slug, stdout=self.stdout)
