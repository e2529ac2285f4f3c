"""manage.py backup [FOLDER | -o FILE] [--keep N] — see operations/backup.py."""

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocenurzad.operations.backup import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = (
        "Kopia zapasowa całej instalacji: baza danych (SQLite albo PostgreSQL) i wszystkie "
        "pliki (logo, archiwum raportów) w jednym pliku .tar z sumami kontrolnymi."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", nargs="?", default="var/backups", help="katalog kopii (domyślnie var/backups)"
        )
        parser.add_argument("-o", "--output", help="zapisz kopię do tego pliku (zamiast katalogu)")
        parser.add_argument(
            "--keep", type=int, default=0, help="zostaw tylko N najnowszych kopii w katalogu"
        )

    def handle(self, *args, folder, output=None, keep=0, **options):
        if output:
            destination = Path(output)
        else:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            destination = Path(folder) / f"ocenurzad-{stamp}.tar"
        try:
            result = backup_create(destination=destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.tables.values())
        self.stdout.write(
            f"Kopia zapisana: {result.path} ({len(result.tables)} tabel, {rows} wierszy, "
            f"{result.files} plików)."
        )
        if keep and not output:
            for path in backups_prune(folder=Path(folder), keep=keep):
                self.stdout.write(f"Usunięto starą kopię: {path}")
