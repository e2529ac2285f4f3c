"""The printable survey (form v2): an A4 PDF of a survey version, one sheet or a numbered batch.

Drawn by WeasyPrint from ``templates/printing/pdf/``, with the shipped DejaVu fonts
embedded (nothing depends on the server's fonts). Made to be read back by a scanner
(the ``scans`` app): every page carries four registration marks near its corners and a
small Data Matrix code (``machine_code_payload``) saying which office, version, language,
layout, sheet and page it is. Every answer box is found again in the laid-out pages
(layout.py); that layout is stored per version, language and layout fingerprint
(``layout_fingerprint``).

Why a Data Matrix and not a QR code for the machine: the phone cameras residents use
react to QR codes and offer to open them; a Data Matrix is ignored by them, so a resident
is never shown a puzzling ``OU2 …`` text. The form's one QR code, in the header and
labelled, opens the online survey (for a resident who prefers a screen, a screen reader
or large type) and is not read by the scanner.
"""

import base64
import functools
import hashlib
import io
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy
import pydyf
import segno
import weasyprint
import zxingcpp
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ocenurzad.banner.fonts import BOLD, REGULAR
from ocenurzad.offices.models import Office
from ocenurzad.offices.selectors import departments_active
from ocenurzad.surveys.definition import localized
from ocenurzad.surveys.languages import department_name
from ocenurzad.surveys.models import SurveyVersion

from .content import printable_form
from .layout import LAYOUT_FORMAT, layout_read
from .services import print_layout_store

logger = logging.getLogger(__name__)

MAX_SHEETS = 500
CODE_PREFIX = "OU2"  # form v2; v1 sheets (a QR code "OU1;…" on page 1) are typed in by hand
FINGERPRINT_LENGTH = 10
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
FONT_FILES = {REGULAR.resolve(), BOLD.resolve()}
PAGE_MARGIN_MM = {"top": 14, "right": 14, "bottom": 20, "left": 14}
QR_SIZE_MM = 19  # the labelled QR code to the online survey, page 1
# Registration marks: solid squares near the four corners of every page, inside the
# 5 mm most printers cannot print on; their top-left corners from the page's corner.
MARK_SIZE_MM = 5.0
MARK_POSITIONS_MM = ((7.0, 7.0), (198.0, 7.0), (7.0, 285.0), (198.0, 285.0))
# The machine code, bottom left beside the lower-left mark, always this size.
CODE_BOX_MM = {"x_mm": 15.0, "y_mm": 277.0, "w_mm": 13.0, "h_mm": 13.0}


@dataclass(frozen=True)
class RenderedForm:
    pdf: bytes
    layout: dict  # where this PDF's answer boxes are (every sheet of a batch alike)
    pages_per_sheet: int


@dataclass(frozen=True)
class MachineCode:
    """What one page's machine code says (``machine_code_read``)."""

    version_code: str  # e.g. "SWINOUJSCIE-V3": the office's slug and the version's number
    language: str
    fingerprint: str
    sheet_number: int | None
    page: int  # from 0 within the sheet

    @property
    def office_slug(self) -> str:
        return self.version_code.rsplit("-V", 1)[0].lower()

    @property
    def version_number(self) -> int:
        return int(self.version_code.rsplit("-V", 1)[1])


def survey_pdf_render(
    *,
    office: Office,
    version: SurveyVersion,
    language: str = "pl",
    sheet_numbers: list[int] | None = None,
    survey_url: str | None = None,
) -> RenderedForm:
    """Render ``version`` as a printable A4 form in ``language`` (Polish for any missing text).

    Without ``sheet_numbers``: one unnumbered sheet. With them: one sheet per number, in
    that order, the number printed on every page and in its machine code; with an odd
    number of pages per sheet a blank page keeps each sheet on its own paper in duplex.
    ``survey_url`` (absolute) is drawn as the labelled QR code to the online survey on
    the first page; without it the room stays empty (nothing moves).

    Guarantees: the same version, language, departments and header give the same layout
    fingerprint, the same layout (to 0.01 mm) and the same PDF bytes; a numbered sheet
    has exactly the layout of the unnumbered one. The fingerprint is computed before
    rendering and printed in every page's machine code; the layout of a published version
    is stored on its first render with that fingerprint and never changed
    (``print_layout_store``), so sheets printed before the office changed its departments
    or header are still read with their own layout. Refuses (ValueError) a version of
    another office, an unknown language, and sheet numbers that are not 1–``MAX_SHEETS``
    distinct positive integers.
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
        qr = _qr_data_uri(survey_url) if survey_url else None
        form_document = _html_render(
            "printing/pdf/survey.html", {**form, "qr": qr}, font_config=font_config
        )
        layout = {
            "version_code": version.code,
            "language": language,
            "fingerprint": fingerprint,
            **layout_read(form_document.pages),
            "marks": [
                {"x_mm": x, "y_mm": y, "w_mm": MARK_SIZE_MM, "h_mm": MARK_SIZE_MM}
                for x, y in MARK_POSITIONS_MM
            ],
            "code": dict(CODE_BOX_MM),
        }
        stamps = _stamps_render(
            form, layout=layout, numbers=numbers or [None], font_config=font_config
        )
        pdf = _stacked_pdf(form_document, stamps, pages_per_sheet=len(form_document.pages))
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
    """A short hex digest of everything that places the answer boxes of a version's
    printed form.

    Covers the version (its code: the same after the office moves to another
    installation), the language, the office's active departments in printed order (id and
    name: their boxes and the values they stand for), the header (office name, address
    line, logo file name), the WeasyPrint version and the deployed print design
    (templates, CSS, fonts, translations). Any change to these gives another fingerprint,
    hence another stored layout; equal inputs give the same one. ``departments`` defaults
    to the office's active departments.
    """
    if departments is None:
        departments = departments_active(office=office)
    inputs = {
        "format": LAYOUT_FORMAT,
        "version": version.code,
        "language": language,
        "departments": [
            [department.pk, department_name(department, language)] for department in departments
        ],
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


def machine_code_payload(
    *,
    version: SurveyVersion,
    language: str,
    sheet_number: int | None,
    fingerprint: str,
    page: int,
) -> str:
    """What a page's machine code says, in capitals (a Data Matrix holds them densest):
    ``OU2 <version code> <LANG> <FINGERPRINT> <sheet|-> <page from 1>``,
    e.g. ``OU2 SWINOUJSCIE-V1 PL 3F9A1C07BE 101 1``.

    The version code carries the office's slug; no database id is printed, so sheets stay
    readable after the office moves to another installation. ``fingerprint``
    (``layout_fingerprint``) names the stored layout the sheet was printed with.
    """
    sheet = str(sheet_number) if sheet_number is not None else "-"
    return " ".join(
        (CODE_PREFIX, version.code, language, fingerprint, sheet, str(page + 1))
    ).upper()


_CODE_RE = re.compile(r"OU2 (\S+-V\d+) ([A-Z]{2,8}) ([0-9A-F]{6,16}) (\d{1,9}|-) (\d{1,2})")


def machine_code_read(text: str) -> MachineCode | None:
    """The fields of a page's machine code, or None when ``text`` is not one."""
    match = _CODE_RE.fullmatch(text.strip().upper())
    if match is None:
        return None
    version_code, language, fingerprint, sheet, page = match.groups()
    if int(page) < 1:
        return None
    return MachineCode(
        version_code=version_code,
        language=language.lower(),
        fingerprint=fingerprint.lower(),
        sheet_number=None if sheet == "-" else int(sheet),
        page=int(page) - 1,
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
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=1, border=2)


def _data_matrix_uri(payload: str) -> str:
    """A square Data Matrix as a PNG data: URI, one pixel per module, with a one-module
    white border (the quiet zone is the blank paper around it).

    The encoder picks the smallest symbol, which may be a long rectangle (8 by 64 modules)
    that would be squeezed into the square room; trailing spaces (ignored by the reader)
    are added until the smallest symbol is square."""
    for padding in range(40):
        symbol = zxingcpp.create_barcode(payload + " " * padding, zxingcpp.BarcodeFormat.DataMatrix)
        modules = numpy.asarray(symbol.to_image(scale=1, add_quiet_zones=False))
        if modules.shape[0] == modules.shape[1]:
            break
    else:
        raise ValueError(f"No square Data Matrix for {payload!r}")
    image = Image.fromarray(numpy.pad(modules, 1, constant_values=255).astype(numpy.uint8))
    buffer = io.BytesIO()
    image.convert("1").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


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


def _stamps_render(form: dict, *, layout: dict, numbers: list, font_config):
    """Pages holding each sheet page's registration marks, machine code and number, one
    per form page (and an empty one where a sheet of an odd page count needs it)."""
    version, language = form["version"], form["language"]
    pages_per_sheet = layout["pages_per_sheet"]
    pages = []
    for position, number in enumerate(numbers):
        for page in range(pages_per_sheet):
            payload = machine_code_payload(
                version=version,
                language=language,
                sheet_number=number,
                fingerprint=form["fingerprint"],
                page=page,
            )
            pages.append({"number": number, "code": _data_matrix_uri(payload)})
        if pages_per_sheet % 2 and position < len(numbers) - 1:
            pages.append({"number": None, "blank": True})
    number_width = 60
    positions = {
        "code_left": CODE_BOX_MM["x_mm"],
        "code_top": CODE_BOX_MM["y_mm"],
        "code_size": CODE_BOX_MM["w_mm"],
        "mark_size": MARK_SIZE_MM,
        "number_left": layout["page_width_mm"] - PAGE_MARGIN_MM["right"] - number_width,
        "number_top": layout["page_height_mm"] - PAGE_MARGIN_MM["bottom"] + 5.5,
        "number_width": number_width,
    }
    # Formatted here: the template would print a Polish decimal comma.
    context = {
        **form,
        "pages": pages,
        "marks": [{"x": f"{x:.2f}", "y": f"{y:.2f}"} for x, y in MARK_POSITIONS_MM],
        **{k: f"{v:.2f}" for k, v in positions.items()},
    }
    return _html_render("printing/pdf/stamps.html", context, font_config=font_config), pages


def _stacked_pdf(form_document, stamps, *, pages_per_sheet: int) -> bytes:
    """One PDF page per stamp page: the form page's content drawn under the stamp.

    The form's pages are drawn once; every sheet refers to the same content streams, so
    a batch of 500 sheets costs little more than its stamps.
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
