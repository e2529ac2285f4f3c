"""Backup and restore of a whole installation: the database and every stored file.

A backup is one tar file:
  manifest.json   format, app version, database engine, applied migrations, the rows of
                  each table, and the SHA-256 of every other member
  db.sqlite3      SQLite: a consistent copy made with SQLite's online backup API
  db.pgdump       PostgreSQL: ``pg_dump --format=custom`` (needs pg_dump of the server's
                  major version or newer on the machine that runs the command)
  media/…         every file under MEDIA_ROOT (logos, archived report PDFs …)

Left out, by design: the content of tables that only hold short-lived state (rate-limit
and login counters, failed-login attempts, the database cache, panel sessions — so that
no backup holds a key that could be mapped back to a resident's address, nor a session
that would let anyone in after a restore), and media under EXCLUDED_MEDIA_PREFIXES
(scanned paper sheets are kept only briefly). Whatever a later issue adds joins the
backup in that issue (README, "Architecture").

Restore verifies every checksum first, then replaces the database and MEDIA_ROOT with the
backup's. Stop the web and worker processes before restoring; run ``migrate`` afterwards
when the backup is older than the code.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from ocenurzad.core.version import app_version

FORMAT = 1
MANIFEST = "manifest.json"
# Tables whose rows are short-lived state, never backed up (their structure is).
EXCLUDED_TABLES = (
    "core_throttlecounter",
    "responses_submitcounter",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_session",
    "ocenurzad_cache",
)
# Media not backed up (relative to MEDIA_ROOT).
EXCLUDED_MEDIA_PREFIXES: tuple[str, ...] = ("scans/",)


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why (in Polish)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: dict[str, int]
    files: int


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files() -> dict[str, Path]:
    """Every backed-up file under MEDIA_ROOT, by its path relative to it (with /)."""
    root = Path(settings.MEDIA_ROOT)
    found = {}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not relative.startswith(EXCLUDED_MEDIA_PREFIXES):
                found[relative] = path
    return found


def table_names() -> list[str]:
    return sorted(connection.introspection.table_names())


def table_rows(table: str) -> int:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name
        return cursor.fetchone()[0]


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"Brak programu {command[0]} (pakiet postgresql-client).")
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} nie powiódł się: {result.stderr.strip()[:2000]}")


def _dump_database(workdir: Path) -> Path:
    if _engine() == "sqlite":
        target = workdir / "db.sqlite3"
        copy = sqlite3.connect(target)
        try:
            connection.ensure_connection()
            connection.connection.backup(copy)
            for table in EXCLUDED_TABLES:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - fixed names
            copy.commit()
            # Deleted rows must not survive in free pages of the file.
            copy.execute("VACUUM")
        except sqlite3.OperationalError as exc:
            raise BackupError(f"Nie udało się skopiować bazy SQLite: {exc}") from exc
        finally:
            copy.close()
        return target
    if _engine() == "postgresql":
        target = workdir / "db.pgdump"
        args, env = _pg_environment()
        excluded = [f"--exclude-table-data={table}" for table in EXCLUDED_TABLES]
        options = ["--format=custom", "--no-owner", "--no-privileges", *excluded]
        _run(["pg_dump", *options, *args, "--file", str(target)], env)
        return target
    raise BackupError(f"Kopii bazy {connection.vendor} nie obsługujemy.")


def backup_create(*, destination: Path) -> BackupResult:
    """Write a backup of the database and media to ``destination`` (a new .tar file)."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"Plik {destination} już istnieje — nie nadpisujemy kopii.")
    tables = {t: (0 if t in EXCLUDED_TABLES else table_rows(t)) for t in table_names()}
    files = media_files()
    with tempfile.TemporaryDirectory(prefix="ocenurzad-backup-") as tmp:
        database = _dump_database(Path(tmp))
        checksums = {database.name: _file_sha256(database)}
        checksums.update({f"media/{name}": _file_sha256(path) for name, path in files.items()})
        manifest = {
            "format": FORMAT,
            "version": app_version(),
            "engine": _engine(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "migrations": _applied_migrations(),
            "tables": tables,
            "excluded_tables": list(EXCLUDED_TABLES),
            "files": checksums,
        }
        partial = destination.with_name(destination.name + ".partial")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            for name, path in files.items():
                archive.add(path, arcname=f"media/{name}")
        partial.chmod(0o600)
        partial.rename(destination)
    return BackupResult(path=destination, tables=tables, files=len(files))


def backups_prune(*, folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups (ocenurzad-*.tar) in ``folder``."""
    backups = sorted(Path(folder).glob("ocenurzad-*.tar"))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError, TypeError) as exc:
        raise BackupError("To nie jest kopia zapasowa Oceń Urząd (brak manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Nieznany format kopii: {manifest.get('format')!r}.")
    return manifest


def backup_verify(*, source: Path, into: Path) -> dict:
    """Unpack ``source`` into the folder ``into`` and check every checksum; the manifest."""
    with tarfile.open(source, "r") as archive:
        manifest = _read_manifest(archive)
        members = {m.name: m for m in archive.getmembers() if m.name != MANIFEST}
        if set(members) != set(manifest["files"]):
            raise BackupError("Kopia jest niepełna: lista plików nie zgadza się z manifestem.")
        for name, member in members.items():
            if not member.isfile() or name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(f"Niedozwolony wpis w kopii: {name}.")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as handle, target.open("wb") as out:
                shutil.copyfileobj(handle, out)
            if _file_sha256(target) != manifest["files"][name]:
                raise BackupError(f"Suma kontrolna pliku {name} się nie zgadza: kopia uszkodzona.")
    return manifest


def _restore_database(folder: Path, manifest: dict) -> None:
    if manifest["engine"] != _engine():
        raise BackupError(
            f"Kopia pochodzi z bazy {manifest['engine']}, a ta instalacja używa {_engine()}. "
            "Między rodzajami baz przenoś urzędy poleceniem `office export` / `office import`."
        )
    if _engine() == "sqlite":
        source = sqlite3.connect(folder / "db.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    for alias in connections:
        connections[alias].close()
    args, env = _pg_environment()
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
    options += ["--single-transaction", "--exit-on-error"]
    _run(["pg_restore", *options, *args, str(folder / "db.pgdump")], env)


def _restore_media(folder: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    for path in media_files().values():
        path.unlink()
    source = folder / "media"
    count = 0
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                target = root / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                count += 1
    return count


def backup_restore(*, source: Path) -> dict:
    """Replace the database and media with the backup's, after checking every checksum.

    Refuses (BackupError, nothing changed) a damaged backup, one of another database
    engine, and one made by a newer version of the application (its migrations unknown
    here)."""
    with tempfile.TemporaryDirectory(prefix="ocenurzad-restore-") as tmp:
        folder = Path(tmp)
        manifest = backup_verify(source=Path(source), into=folder)
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = [m for m in manifest["migrations"] if tuple(m) not in known]
        if unknown:
            raise BackupError(
                "Kopię zrobiła nowsza wersja aplikacji (nieznane migracje: "
                + ", ".join(f"{a}.{n}" for a, n in unknown[:5])
                + "). Zainstaluj najpierw tę wersję albo nowszą."
            )
        _restore_database(folder, manifest)
        files = _restore_media(folder)
    return {**manifest, "restored_files": files}
