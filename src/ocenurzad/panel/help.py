"""Pomoc: the user manual (docs/pl/*.md) shown inside the panel."""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.http import Http404
from markdown.extensions.toc import TocExtension, slugify

_SLUG_RE = re.compile(r"^[a-z0-9-]+$")
# Markdown's slugify drops letters without an ASCII base ("Własna" -> "wasna"); ł is one.
_PLAIN = str.maketrans({"ł": "l", "Ł": "L"})


def heading_slug(text: str, separator: str) -> str:
    """A heading's anchor: ``## Własna domena urzędu`` -> ``wlasna-domena-urzedu``."""
    return slugify(text.translate(_PLAIN), separator)


def _docs_dir() -> Path:
    return Path(settings.DOCS_DIR)


def help_chapters() -> list[dict]:
    """Chapters in the order of the manual's table of contents (index.md), then the rest."""
    docs = _docs_dir()
    files = {p.stem: p for p in docs.glob("*.md")}
    order = []
    index = files.get("index")
    if index:
        for link in re.findall(r"\]\(([a-z0-9-]+)\.md\)", index.read_text(encoding="utf-8")):
            if link in files and link not in order:
                order.append(link)
    order += sorted(set(files) - set(order) - {"index"})
    return [{"slug": slug, "title": _title(files[slug])} for slug in order]


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


_IMAGE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\.png$")


def help_image_path(*, name: str) -> Path:
    """A screenshot of docs/pl/img, or 404."""
    if not _IMAGE_RE.match(name):
        raise Http404
    path = _docs_dir() / "img" / name
    if not path.is_file():
        raise Http404
    return path


def manual_digest() -> str:
    """Changes whenever a chapter or an image of the manual changes."""
    digest = hashlib.sha256()
    docs = _docs_dir()
    for path in sorted([*docs.glob("*.md"), *docs.glob("img/*.png")]):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def help_chapter(*, slug: str) -> dict:
    if not _SLUG_RE.match(slug):
        raise Http404
    path = _docs_dir() / f"{slug}.md"
    if not path.is_file():
        raise Http404
    return _render(str(path), path.stat().st_mtime)


@lru_cache(maxsize=64)
def _render(path: str, _mtime: float) -> dict:
    text = Path(path).read_text(encoding="utf-8")
    # The page shows the chapter title as its own h1; drop the Markdown one.
    text = re.sub(r"\A\s*# .*\n", "", text)
    # Screenshots are served by the panel (help-image), next to the chapter pages.
    text = re.sub(r"\]\(img/([a-z0-9-]+\.png)\)", r"](../img/\1)", text)
    # Links between chapters point to the panel's pages, not to .md files.
    text = re.sub(
        r"\]\(([a-z0-9-]+)\.md(#[^)]*)?\)", lambda m: f"](../{m.group(1)}/{m.group(2) or ''})", text
    )
    html = markdown.markdown(
        text,
        extensions=["tables", TocExtension(slugify=heading_slug), "sane_lists", "fenced_code"],
        output_format="html",
    )
    # The panel page has its own h1; chapter headings move one level down.
    html = re.sub(r"<(/?)h([1-5])", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    return {"title": _title(Path(path)), "html": html}
