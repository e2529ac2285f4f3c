"""The report as an A4 PDF: the same body as on screen, laid out for paper by WeasyPrint.

Fonts are the shipped DejaVu Sans (embedded, subset), declared in static/css/report.css;
the table of contents gets its page numbers from CSS (target-counter), every page but the
cover names the office at the top and "strona x z y" at the bottom, and each main
section starts on a new page. The PDF is also tagged (pdf_tags) for assistive technology.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ocenurzad.banner.fonts import FONT_DIR

from . import charts
from .context import Medium, report_context
from .formatting import fmt_period

# A PDF of more open answers than this grows slow and unreadable; the rest are named and
# sit in the XLSX and CSV files.
# Each printed comment costs ~3.4 ms of layout and drawing on a quiet machine (December
# 2026, 1,000,000 responses: the 200 printed before took seven of a year's 28 pages and a
# third of its time, more than 2 s of CPU on the shared 2 cores); 60 keep the PDF within
# its 5 s. All of them are in the HTML report (searchable) and the comments annex (XLSX,
# CSV).
PDF_OPEN_ANSWERS_LIMIT = 60
DOCUMENT_TEMPLATE = "reports/_pdf_document.html"
STATIC_CSS = Path(__file__).resolve().parents[2] / "static" / "css"
STYLESHEET = STATIC_CSS / "report.css"
# report.css names the fonts by this virtual path (collectstatic leaves absolute paths
# outside STATIC_URL alone; a browser never asks for them, as no screen rule uses the face).
FONT_URL_PATH = "/_report-fonts/"
FONTS = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
PRINT = Medium(
    print=True,
    font_family=charts.PDF_FONT,
    cover_heading="h1",
    open_answers_limit=PDF_OPEN_ANSWERS_LIMIT,
)


def report_document_html(report: dict) -> str:
    """The whole HTML document the PDF is drawn from (Polish, as the archived record)."""
    with translation.override("pl"):
        context = report_context(report, medium=PRINT)
        office = context["cover"]["office"]
        params = report.get("params") or {}
        page_of = _css_template(
            _("strona %(page)s z %(pages)s"), page="counter(page)", pages="counter(pages)"
        )
        context.update(
            {
                "document_title": " – ".join(
                    [
                        context["sections"]["cover"]["title"],
                        office,
                        fmt_period(params.get("start"), params.get("end")),
                    ]
                ),
                "created": report.get("generated_at") or "",
                "page_header": mark_safe(_css_string(office)),  # noqa: S308 - CSS-escaped
                "page_footer": mark_safe(" ".join(page_of)),  # noqa: S308 - CSS-escaped
            }
        )
        return render_to_string(DOCUMENT_TEMPLATE, context)


def report_pdf(report: dict) -> bytes:
    """The report as a PDF (A4, tagged, DejaVu fonts embedded).

    Open answers beyond ``PDF_OPEN_ANSWERS_LIMIT`` are left out, and the PDF says how many
    and where they are. Reads nothing but the report, the templates, report.css
    and the shipped fonts: no network, no other file.
    """
    html = report_document_html(report)
    fetcher = _LocalFetcher()
    font_config = FontConfiguration()
    stylesheets = [CSS(filename=str(STYLESHEET), url_fetcher=fetcher, font_config=font_config)]
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_tags=True)


def _css_template(template: str, **tokens: str) -> list[str]:
    """A translated "… %(name)s …" string as CSS content parts, names replaced by tokens."""
    parts = []
    for index, piece in enumerate(re.split(r"%\((\w+)\)s", template)):
        if index % 2:
            parts.append(tokens[piece])
        elif piece:
            parts.append(_css_string(piece))
    return parts


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' or ord(c) < 32 else c for c in text)
    return f'"{escaped}"'


class _LocalFetcher(URLFetcher):
    """Serves the two shipped fonts and data: URIs; refuses everything else.

    The report holds text typed by residents and office staff; the PDF must neither
    reach the network nor read the server's files whatever that text says.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        path = unquote(parsed.path)
        if parsed.scheme == "file" and path.startswith(FONT_URL_PATH):
            name = path.removeprefix(FONT_URL_PATH)
            if name in FONTS:
                data = (FONT_DIR / name).read_bytes()
                return URLFetcherResponse(url, data, {"Content-Type": "font/ttf"})
        raise ValueError(f"Not fetched for a report PDF: {url[:100]}")
