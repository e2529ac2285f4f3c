"""The printable survey: an A4 PDF of a survey version, one sheet or a numbered batch.

Drawn by WeasyPrint from ``templates/printing/pdf/``, with the shipped DejaVu fonts
embedded (nothing depends on the server's fonts) and a QR code that tells a scanner
which office, version, language and sheet it is looking at, and which layout it was
printed with. Every answer box is found again in the laid-out pages (layout.py); that
layout is stored per version, language and layout fingerprint (``layout_fingerprint``).
"""

import base64
import functools
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pydyf
import segno
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ocenurzad.banner.fonts import BOLD, REGULAR
from ocenurzad.offices.models import Office
from ocenurzad.offices.selectors import departments_active
from ocenurzad.surveys.definition import localized
from ocenurzad.surveys.models import SurveyVersion

from .content import printable_form
from .layout import LAYOUT_FORMAT, layout_read
from .services import print_layout_store

logger = logging.getLogger(__name__)

MAX_SHEETS = 500
QR_PREFIX = "OU1"
FINGERPRINT_LENGTH = 10
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
FONT_FILES = {REGULAR.resolve(), BOLD.resolve()}
PAGE_MARGIN_MM = {"top": 11, "right": 12, "bottom": 13, "left": 12}
QR_SIZE_MM = 22


@dataclass(frozen=True)
class RenderedForm:
    pdf: bytes
    layout: dict  # where this PDF's answer boxes are (every sheet of a batch alike)
    pages_per_sheet: int


def survey_pdf_render(
    *,
    office: Office,
    version: SurveyVersion,
    language: str = "pl",
    sheet_numbers: list[int] | None = None,
) -> RenderedForm:
    """Render ``version`` as a printable A4 form in ``language`` (Polish for any missing text).

    Without ``sheet_numbers``: one unnumbered sheet. With them: one sheet per number, in
    that order, the number printed on every page and in the QR code; with an odd number
    of pages per sheet a blank page keeps each sheet on its own paper in duplex.

    Guarantees: the same version, language, departments and header give the same layout
    fingerprint, the same layout (to 0.01 mm) and the same PDF bytes; a numbered sheet
    has exactly the layout of the unnumbered one. The fingerprint is computed before
    rendering and printed in the QR code; the layout of a published version is stored
    on its first render with that fingerprint and never changed (``print_layout_store``),
    so sheets printed before the office changed its departments or header are still
    read with their own layout. Refuses (ValueError) a version of another office, an
    unknown language, and sheet numbers that are not 1–``MAX_SHEETS`` distinct positive
    integers.
    """
    if version.office_id != office.pk:
        raise ValueError("The version belongs to another office.")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language: {language!r}")
    numbers = _checked_numbers(sheet_numbers)
    # Read once: the fingerprint must describe exactly the departments that are drawn.
    departments = departments_active(office=office)
    fingerprint = layout_fingerprint(
        office=office, version=version, language=language, departments=departments
    )
    font_config = FontConfiguration()
    with translation.override(language):
        form = _form_context(
            office=office,
            version=version,
            language=language,
            departments=departments,
            fingerprint=fingerprint,
        )
        qr = (
            None
            if numbers
            else _qr_data_uri(
                qr_payload(
                    office=office,
                    version=version,
                    language=language,
                    sheet_number=None,
                    fingerprint=fingerprint,
                )
            )
        )
        form_document = _html_render(
            "printing/pdf/survey.html", {**form, "qr": qr}, font_config=font_config
        )
        layout = {
            "version_code": version.code,
            "language": language,
            "fingerprint": fingerprint,
            **layout_read(form_document.pages),
        }
        if numbers:
            stamps = _stamps_render(form, layout=layout, numbers=numbers, font_config=font_config)
            pdf = _stacked_pdf(form_document, stamps, pages_per_sheet=len(form_document.pages))
        else:
            pdf = form_document.write_pdf()
    if version.is_published:
        print_layout_store(
            office=office,
            version=version,
            language=language,
            fingerprint=fingerprint,
            layout=layout,
        )
    return RenderedForm(pdf=pdf, layout=layout, pages_per_sheet=layout["pages_per_sheet"])


def layout_fingerprint(
    *, office: Office, version: SurveyVersion, language: str, departments=None
) -> str:
    """A short hex digest of everything besides the version's definition that places the
    answer boxes of its printed form.

    Covers the version (id), the language, the office's active departments in printed
    order (id and name: their boxes and the values they stand for), the header (office
    name, address line, logo file name), the WeasyPrint version and the deployed print
    design (templates, CSS, fonts, translations). Any change to these
    gives another fingerprint, hence another stored layout; equal inputs give the same
    one. ``departments`` defaults to the office's active departments.
    """
    if departments is None:
        departments = departments_active(office=office)
    inputs = {
        "format": LAYOUT_FORMAT,
        "version": version.pk,
        "language": language,
        "departments": [[department.pk, department.name] for department in departments],
        "office_name": office.name,
        "address": office.address_line,
        "logo": office.logo.name if office.logo else None,
        "weasyprint": weasyprint.__version__,
        "design": _design_digest(),
    }
    canonical = json.dumps(inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


@functools.cache
def _design_digest() -> str:
    """The print templates, their CSS, the fonts and the translations as deployed: a new
    release that changes any of them may move boxes, so it gets new fingerprints."""
    base = Path(__file__).resolve().parent.parent
    files = sorted((base / "templates" / "printing" / "pdf").glob("*"))
    files += sorted((base / "banner" / "fonts").glob("*.ttf"))
    files += sorted((base / "locale").glob("*/LC_MESSAGES/django.mo"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def qr_payload(
    *,
    office: Office,
    version: SurveyVersion,
    language: str,
    sheet_number: int | None,
    fingerprint: str,
) -> str:
    """What a sheet's QR code says:
    ``OU1;<office>;<version id>;<code>;<sheet|->;<lang>;<fingerprint>``.

    ``fingerprint`` (``layout_fingerprint``) names the stored layout the sheet was
    printed with: ``print_layout_get(..., fingerprint=...)``.
    """
    sheet = str(sheet_number) if sheet_number is not None else "-"
    return ";".join(
        (QR_PREFIX, office.slug, str(version.pk), version.code, sheet, language, fingerprint)
    )


def _checked_numbers(sheet_numbers) -> list[int] | None:
    if sheet_numbers is None:
        return None
    numbers = list(sheet_numbers)
    if not 1 <= len(numbers) <= MAX_SHEETS:
        raise ValueError(f"Between 1 and {MAX_SHEETS} sheets can be printed at once.")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in numbers):
        raise ValueError("Sheet numbers must be positive integers.")
    if len(set(numbers)) != len(numbers):
        raise ValueError("Sheet numbers must not repeat.")
    return numbers


def _qr_data_uri(payload: str) -> str:
    # One pixel per module, drawn without smoothing (image-rendering: pixelated).
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=1, border=4)


def _form_context(
    *, office: Office, version: SurveyVersion, language: str, departments, fingerprint: str
) -> dict:
    definition = version.definition
    form = printable_form(definition=definition, language=language, departments=departments)
    version_of = _css_string(_("Wersja %(code)s") % {"code": version.code} + " · ")
    page_of = _css_template(
        _("strona %(page)s z %(pages)s"), page="counter(page)", pages="counter(pages)"
    )
    return {
        "office": office,
        "version": version,
        "language": language,
        "fingerprint": fingerprint,
        "title": localized(definition.get("title"), language),
        "logo": _logo_data_uri(office),
        "font_regular": REGULAR.resolve().as_uri(),
        "font_bold": BOLD.resolve().as_uri(),
        "margin": PAGE_MARGIN_MM,
        "qr_size": QR_SIZE_MM,
        "footer": mark_safe(" ".join([version_of, *page_of])),  # noqa: S308 - CSS-escaped
        **form,
    }


def _stamps_render(form: dict, *, layout: dict, numbers: list[int], font_config):
    """Pages holding only each numbered sheet's QR code and number, one per form page."""
    office, version, language = form["office"], form["version"], form["language"]
    pages_per_sheet = layout["pages_per_sheet"]
    pages = []
    for position, number in enumerate(numbers):
        payload = qr_payload(
            office=office,
            version=version,
            language=language,
            sheet_number=number,
            fingerprint=form["fingerprint"],
        )
        pages.append({"number": number, "qr": _qr_data_uri(payload)})
        pages.extend({"number": number} for _ in range(pages_per_sheet - 1))
        if pages_per_sheet % 2 and position < len(numbers) - 1:
            pages.append({"number": None, "blank": True})
    qr = layout["qr"]
    number_width = 40  # wider than the QR code, centred under it: room for long numbers
    positions = {
        "qr_left": qr["x_mm"],
        "qr_top": qr["y_mm"],
        "number_left": qr["x_mm"] + (qr["w_mm"] - number_width) / 2,
        "number_top": qr["y_mm"] + qr["h_mm"],
        "number_width": number_width,
        "footer_top": layout["page_height_mm"] - PAGE_MARGIN_MM["bottom"],
        "footer_width": layout["page_width_mm"] - PAGE_MARGIN_MM["left"] - PAGE_MARGIN_MM["right"],
    }
    # Formatted here: the template would print a Polish decimal comma.
    context = {**form, "pages": pages, **{k: f"{v:.2f}" for k, v in positions.items()}}
    return _html_render("printing/pdf/stamps.html", context, font_config=font_config), pages


def _stacked_pdf(form_document, stamps, *, pages_per_sheet: int) -> bytes:
    """One PDF page per stamp page: the form page's content drawn under the stamp.

    The form's pages are drawn once; every numbered sheet refers to the same content
    streams, so a batch of 500 sheets costs little more than its stamps.
    """
    stamp_document, stamp_pages = stamps

    def stack(_document, pdf):
        kids = pdf.pages["Kids"]
        page_objects = [pdf.objects[number] for number in kids[::3]]
        form_pages, sheet_pages = (page_objects[:pages_per_sheet], page_objects[pages_per_sheet:])
        save, restore = pydyf.Stream([b"q"]), pydyf.Stream([b"Q"])
        pdf.add_object(save)
        pdf.add_object(restore)
        form_index = 0
        for page, stamp in zip(sheet_pages, stamp_pages, strict=True):
            if stamp.get("blank"):
                continue
            form_page = form_pages[form_index % pages_per_sheet]
            form_index += 1
            page["Contents"] = pydyf.Array(
                [save.reference, form_page["Contents"], restore.reference, page["Contents"]]
            )
        # The form's own pages leave the page tree: only their content is used.
        del kids[: 3 * pages_per_sheet]
        pdf.pages["Count"] = len(sheet_pages)

    combined = form_document.copy([*form_document.pages, *stamp_document.pages])
    return combined.write_pdf(finisher=stack)


def _html_render(template: str, context: dict, *, font_config):
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_LocalFetcher()).render(font_config=font_config)


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


def _logo_data_uri(office: Office) -> str | None:
    """The office logo as a data: URI, or None when there is none or it cannot be read."""
    if not office.logo:
        return None
    mime = LOGO_TYPES.get(Path(office.logo.name).suffix.lower())
    if mime is None:
        return None
    try:
        with office.logo.open("rb") as handle:
            data = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        logger.warning("Logo of office %s cannot be read; printing without it.", office.slug)
        return None
    if len(data) > LOGO_MAX_BYTES:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class _LocalFetcher(URLFetcher):
    """Fetches data: URIs and the shipped fonts only.

    An SVG logo uploaded by an office could name any URL; the PDF must neither reach
    the network nor read the server's files.
    """

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if path in FONT_FILES:
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": "font/ttf"})
        raise ValueError(f"Not fetched when printing: {url[:100]}")
