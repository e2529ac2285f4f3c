"""Where scan images are kept: ``SCANS_ROOT/<office id>/<import id>/``, nowhere else.

Names are made here (never from what a user sent), so a path cannot leave its office's
folder; reading goes through ``image_read``, which checks the office again.
"""

import hashlib
import shutil
import uuid
from pathlib import Path

from django.conf import settings


def root() -> Path:
    return Path(settings.SCANS_ROOT)


def import_dir(*, office_id: int, import_id: int) -> Path:
    path = root() / str(office_id) / str(import_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def relative(path: Path) -> str:
    return str(path.relative_to(root()))


def new_name(suffix: str) -> str:
    return f"{uuid.uuid4().hex}{suffix}"


def file_write_stream(*, office_id: int, import_id: int, chunks) -> tuple[str, int, str]:
    """Write an upload's chunks to a new file; (relative path, size, sha256)."""
    target = import_dir(office_id=office_id, import_id=import_id) / new_name(".upload")
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return relative(target), size, digest.hexdigest()


def bytes_write(*, office_id: int, import_id: int, data: bytes, suffix: str) -> str:
    target = import_dir(office_id=office_id, import_id=import_id) / new_name(suffix)
    target.write_bytes(data)
    return relative(target)


def image_read(*, office_id: int, path: str) -> bytes | None:
    """The bytes of a stored image of this office, or None (deleted, or not its own)."""
    if not path:
        return None
    full = (root() / path).resolve()
    office_root = (root() / str(office_id)).resolve()
    if office_root not in full.parents or not full.is_file():
        return None
    return full.read_bytes()


def file_path(path: str) -> Path:
    return root() / path


def delete(path: str) -> None:
    if path:
        (root() / path).unlink(missing_ok=True)


def import_dir_remove(*, office_id: int, import_id: int) -> None:
    shutil.rmtree(root() / str(office_id) / str(import_id), ignore_errors=True)
