"""manage.py backup / restore: a restore reproduces every table row by row and every file
by checksum, on the engine the suite runs on (SQLite, and PostgreSQL in CI's second run);
short-lived state is left out; a damaged backup changes nothing."""

import hashlib
import tarfile
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from ocenurzad.core.models import ThrottleCounter
from ocenurzad.offices.models import Office
from ocenurzad.operations.backup import EXCLUDED_TABLES, table_names
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.models import SurveyVersion

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot_tables() -> dict[str, list]:
    """Every row of every table, in a stable order."""
    rows = {}
    with connection.cursor() as cursor:
        for table in table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def snapshot_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos" / "swinoujscie").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "swinoujscie" / "herb.png").write_bytes(b"\x89PNG herb")
    archive = settings.MEDIA_ROOT / "archiwum" / "swinoujscie" / "2025"
    archive.mkdir(parents=True)
    (archive / "raport.pdf").write_bytes(b"%PDF-1.7 raport " * 100)
    (settings.MEDIA_ROOT / "scans").mkdir()
    (settings.MEDIA_ROOT / "scans" / "skan.png").write_bytes(b"krotko trzymany skan")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def installation(office, other_office, media):
    version = SurveyVersion.objects.filter(survey__office=office).first()
    department = office.departments.first()
    for n in range(30):
        Response.objects.create(
            office=office,
            version=version,
            channel=Channel.ONLINE,
            department=department if n % 2 else None,
            submitted_at=timezone.now() - timedelta(days=n),
            answers={"ocena_ogolna": 1 + n % 5, "co_poprawic": f"Uwaga {n} — żółć"},
        )
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    ThrottleCounter.objects.create(counter_key="k" * 64, window_end=int(time.time()) + 60, hits=3)
    return office


def test_restore_reproduces_every_table_and_file(installation, media, tmp_path):
    tables_before, files_before = snapshot_tables(), snapshot_files(media)
    out = StringIO()
    call_command("backup", "-o", str(tmp_path / "kopia.tar"), stdout=out)
    assert "Kopia zapisana" in out.getvalue()

    # Then things go wrong: answers deleted, an office added, files lost and changed.
    Response.objects.filter(office=installation).delete()
    Office.objects.create(slug="nowy", name="Urząd Nowy")
    (media / "logos" / "swinoujscie" / "herb.png").unlink()
    (media / "archiwum" / "swinoujscie" / "2025" / "raport.pdf").write_bytes(b"zmieniony")
    (media / "logos" / "obcy.png").write_bytes(b"nie z kopii")

    call_command("restore", str(tmp_path / "kopia.tar"), "--yes", stdout=StringIO())

    tables_after = snapshot_tables()
    for table in EXCLUDED_TABLES:
        if table in tables_after:
            assert tables_after.pop(table) == [], f"{table} is short-lived state, not restored"
            tables_before.pop(table)
    assert tables_after == tables_before
    files_after = snapshot_files(media)
    assert files_after == files_before
    assert "scans/skan.png" in files_after  # not in the backup, and left alone


def test_the_backup_holds_no_short_lived_state_nor_scans(installation, tmp_path):
    call_command("backup", "-o", str(tmp_path / "kopia.tar"), stdout=StringIO())

    with tarfile.open(tmp_path / "kopia.tar") as archive:
        names = archive.getnames()
        if "db.sqlite3" in names:
            import sqlite3

            archive.extract("db.sqlite3", tmp_path, filter="data")
            copy = sqlite3.connect(tmp_path / "db.sqlite3")
            for table in ("core_throttlecounter", "django_session"):
                assert copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)  # noqa: S608
            assert copy.execute("SELECT COUNT(*) FROM responses_response").fetchone() == (30,)
            copy.close()
    assert "media/logos/swinoujscie/herb.png" in names
    assert not any(name.startswith("media/scans/") for name in names)


def test_a_damaged_backup_is_refused_and_changes_nothing(installation, media, tmp_path):
    call_command("backup", "-o", str(tmp_path / "kopia.tar"), stdout=StringIO())
    data = bytearray((tmp_path / "kopia.tar").read_bytes())
    spot = data.find(b"%PDF-1.7 raport")
    data[spot + 3] ^= 0xFF
    (tmp_path / "zla.tar").write_bytes(bytes(data))
    Response.objects.filter(pk__in=Response.objects.values("pk")[:5]).delete()
    before = snapshot_tables()

    with pytest.raises(CommandError, match="Suma kontrolna pliku media/archiwum"):
        call_command("restore", str(tmp_path / "zla.tar"), "--yes", stdout=StringIO())

    assert snapshot_tables() == before


def test_restore_asks_for_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "kopia.tar"), stdout=StringIO())


def test_backup_keeps_the_newest_n(installation, tmp_path):
    folder = tmp_path / "kopie"
    folder.mkdir()
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (folder / f"ocenurzad-{stamp}.tar").write_bytes(b"stara")

    call_command("backup", str(folder), "--keep", "2", stdout=StringIO())

    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2
    assert kept[0] == "ocenurzad-20250103T000000Z.tar"
