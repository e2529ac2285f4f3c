"""manage.py restore FILE --yes — see operations/backup.py."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocenurzad.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Odtwarza instalację z kopii zapasowej: zastępuje całą bazę danych i pliki. "
        "Zatrzymaj najpierw aplikację i zadania w tle; po odtworzeniu uruchom migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="plik kopii (.tar) z manage.py backup")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="potwierdzam: obecne dane tej instalacji zostaną zastąpione danymi z kopii",
        )

    def handle(self, *args, file, yes=False, **options):
        if not yes:
            raise CommandError(
                "Odtworzenie zastępuje WSZYSTKIE obecne dane tej instalacji danymi z kopii. "
                "Zatrzymaj aplikację i uruchom ponownie z --yes."
            )
        if not Path(file).is_file():
            raise CommandError(f"Nie ma pliku {file}.")
        try:
            manifest = backup_restore(source=Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Odtworzono kopię z {manifest['created_at']} (wersja {manifest['version']}, "
            f"{manifest['restored_files']} plików). Teraz: python manage.py migrate, "
            "potem uruchom aplikację."
        )
