"""How many bytes the survey's first view transfers: HTML, CSS, scripts and images.

Runs the app in-process on a temporary SQLite database with one office (with a logo),
fetches the survey page as a browser would (Accept-Encoding: gzip), then every
stylesheet, script and image the page refers to, and prints each one's size as sent
and uncompressed. Target (issue 2): under 60 KB in total.

    .venv/bin/python bench/page_weight.py
"""

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="ocenurzad-weight-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/weight.sqlite3"
os.environ["MEDIA_ROOT"] = TMP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocenurzad.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from ocenurzad.offices.models import Department, Office  # noqa: E402
from ocenurzad.surveys.services import survey_create_default  # noqa: E402

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
    '<path d="M4 4h40v22c0 10-9 16-20 20C13 42 4 36 4 26z" fill="#0b3d75"/>'
    '<text x="24" y="30" font-size="16" text-anchor="middle" fill="#fff">UM</text></svg>'
)


def body_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    office = Office.objects.create(
        slug="swinoujscie",
        name="Urząd Miasta Świnoujście",
        languages=["en", "de"],
        website="https://example.pl/",
    )
    office.logo.save("swinoujscie.svg", ContentFile(LOGO.encode()))
    for i, name in enumerate(
        [
            "Wydział Komunikacji",
            "Urząd Stanu Cywilnego",
            "Wydział Podatków i Opłat",
            "Wydział Architektury i Urbanistyki",
            "Wydział Spraw Obywatelskich",
            "Biuro Obsługi Interesantów",
        ]
    ):
        Department.objects.create(office=office, name=name, position=i)
    survey_create_default(office=office)

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    page = client.get("/swinoujscie/?zrodlo=baner")
    html = body_of(page)
    rows = [("survey page (HTML)", len(html), _raw_len(page, html))]
    text = _raw(page, html).decode()
    refs = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    refs += re.findall(r'<script[^>]+src="([^"]+)"', text)
    refs += re.findall(r'<img[^>]+src="([^"]+)"', text)
    for ref in refs:
        resource = client.get(ref)
        data = body_of(resource)
        sent = data if resource.get("Content-Encoding") else _gzip_if_worth(ref, data)
        rows.append((ref, len(sent), len(data)))
    total_sent = sum(r[1] for r in rows)
    total_raw = sum(r[2] for r in rows)
    print(f"{'resource':48} {'sent (gzip)':>12} {'uncompressed':>13}")
    for name, sent, raw in rows:
        print(f"{name:48} {sent:>12,} {raw:>13,}")
    print(f"{'TOTAL first view':48} {total_sent:>12,} {total_raw:>13,}")
    print(
        f"target < 60 KB (61,440 bytes): {'met' if total_sent < 61440 else 'MISSED'}"
        f" ({total_sent / 1024:.1f} KB sent, {total_raw / 1024:.1f} KB uncompressed)"
    )
    return 0


def _raw(response, body: bytes) -> bytes:
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


def _raw_len(response, body: bytes) -> int:
    return len(_raw(response, body))


def _gzip_if_worth(ref: str, data: bytes) -> bytes:
    # In production whitenoise serves pre-compressed .gz files of static text assets.
    if ref.startswith("/static/") and ref.endswith((".css", ".js", ".svg")):
        return gzip.compress(data, 9)
    return data


if __name__ == "__main__":
    sys.exit(main())
