"""The manual as one PDF: „Instrukcja obsługi narzędzia do oceny satysfakcji klienta”,
Załącznik 1 to the office's ordinance.

The same chapters as Pomoc (docs/pl, in the order of its table of contents), with a
cover (office, software version, date) and a table of contents with page numbers. Images
come from docs/pl/img (screenshots made by ``make screenshots``); nothing else is read:
no network, no other file.
"""

import datetime
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ocenurzad.banner.fonts import FONT_DIR
from ocenurzad.core.version import app_version
from ocenurzad.jobs.registry import job_handler

from .help import help_chapter, help_chapters, manual_digest

TITLE = "Instrukcja obsługi narzędzia do oceny satysfakcji klienta"
IMAGE_DIR_NAME = "img"
_FONTS = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
_ID_RE = re.compile(r'\bid="([^"]+)"')
_HREF_RE = re.compile(r'\bhref="([^"]*)"')
_SRC_RE = re.compile(r'\bsrc="\.\./img/([a-z0-9-]+\.png)"')


def software_version() -> str:
    """The version the cover names: the installation's (core.version), the same as the
    health endpoint and the page footers report."""
    return app_version()


def manual_html(*, office_name: str = "", on: datetime.date | None = None) -> str:
    """The whole document the PDF is drawn from."""
    on = on or timezone.localdate()
    chapters = []
    for chapter in help_chapters():
        slug = chapter["slug"]
        chapters.append(
            {
                "slug": slug,
                "title": chapter["title"],
                "html": _for_pdf(slug, help_chapter(slug=slug)["html"]),
            }
        )
    with translation.override("pl"):
        date = formats.date_format(on, "j E Y")
    return render_to_string(
        "panel/manual_pdf.html",
        {
            "title": TITLE,
            "office_name": office_name,
            "version": software_version(),
            "date": f"{date} r.",
            "chapters": chapters,
            "font_dir": FONT_DIR.as_uri(),
        },
    )


def _for_pdf(slug: str, html: str) -> str:
    """A chapter's panel HTML made to live in one document: ids prefixed with the
    chapter, links between chapters pointing inside the PDF, images from docs/pl/img."""
    html = _ID_RE.sub(lambda m: f'id="{slug}--{m.group(1)}"', html)

    def href(match):
        url = match.group(1)
        if url.startswith("#"):
            return f'href="#{slug}--{url[1:]}"'
        other = re.fullmatch(r"\.\./([a-z0-9-]+)/(?:#(.*))?", url)
        if other and other.group(1) == "index":
            return 'href="#spis-tresci"'
        if other:
            target = (
                f"{other.group(1)}--{other.group(2)}" if other.group(2) else f"ch-{other.group(1)}"
            )
            return f'href="#{target}"'
        return match.group(0)

    html = _HREF_RE.sub(href, html)
    image_dir = Path(settings.DOCS_DIR) / IMAGE_DIR_NAME
    return _SRC_RE.sub(lambda m: f'src="{(image_dir / m.group(1)).as_uri()}"', html)


def manual_pdf(*, office_name: str = "", on: datetime.date | None = None) -> bytes:
    """The manual as a tagged A4 PDF (fonts embedded, bookmarks per chapter)."""
    html = manual_html(office_name=office_name, on=on)
    return HTML(string=html, url_fetcher=_LocalFetcher(), media_type="print").write_pdf(
        pdf_tags=True
    )


def manual_file(*, office, on: datetime.date) -> Path:
    """Where the panel keeps the drawn manual of ``office`` for ``on`` (MANUAL_CACHE_DIR,
    a folder per office). The name changes with the chapters and images, the software
    version and the office's name, so a file is never stale."""
    key = "\n".join((manual_digest(), software_version(), office.name))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(settings.MANUAL_CACHE_DIR) / office.slug / f"{on.isoformat()}-{digest}.pdf"


def manual_file_write(*, office, on: datetime.date) -> Path:
    """Draw the manual into ``manual_file`` (atomically; nothing when it is there) and
    remove the office's older drawings."""
    path = manual_file(office=office, on=on)
    if not path.exists():
        pdf = manual_pdf(office_name=office.name, on=on)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_bytes(pdf)
        os.replace(partial, path)
    for old in path.parent.glob("*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


@job_handler
def manual_render(job):
    """Background job of Pomoc's download: drawing the manual takes tens of seconds on a
    busy server — longer than a web request may take. Idempotent: an existing drawing is
    kept."""
    on = datetime.date.fromisoformat(job.params["on"])
    job.progress(0, 1, note=_("Składanie instrukcji"))
    manual_file_write(office=job.office, on=on)
    job.progress(1, 1, note=_("Gotowe"))
    return {
        "message": _("Instrukcja obsługi jest gotowa do pobrania."),
        "links": [{"url": job.params["url"], "label": _("Pobierz instrukcję w PDF (Załącznik 1)")}],
    }


class _LocalFetcher(URLFetcher):
    """The two shipped fonts and the manual's PNG images; everything else is refused."""

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Not fetched for the manual: {url[:100]}")
        path = Path(unquote(parsed.path)).resolve()
        image_dir = (Path(settings.DOCS_DIR) / IMAGE_DIR_NAME).resolve()
        if path.parent == FONT_DIR.resolve() and path.name in _FONTS:
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
        if path.parent == image_dir and path.suffix == ".png" and path.is_file():
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "image/png"})
        raise ValueError(f"Not fetched for the manual: {url[:100]}")
