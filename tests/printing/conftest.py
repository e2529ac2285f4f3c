"""Reading printed forms back: text, images, QR codes and the boxes drawn on the pages."""

import re
import zlib

import pypdfium2
import pytest
import zxingcpp

DEPARTMENTS = (
    "Wydział Komunikacji",
    "Wydział Spraw Obywatelskich",
    "Urząd Stanu Cywilnego",
    "Wydział Podatków i Opłat",
    "Wydział Architektury i Budownictwa",
    "Wydział Gospodarki Nieruchomościami",
    "Wydział Ochrony Środowiska",
    "Biuro Obsługi Interesantów",
    "Wydział Edukacji",
    "Wydział Spraw Społecznych",
    "Referat Zamówień Publicznych",
    "Biuro Rady Miasta",
)
DPI = 200


@pytest.fixture
def print_office(make_office):
    """An office as a real one prints it: Polish name, address, twelve departments."""
    return make_office(
        slug="swinoujscie",
        name="Urząd Miasta Świnoujście",
        departments=DEPARTMENTS,
        street_address="ul. Wojska Polskiego 1/5",
        postal_code="72-600",
        city="Świnoujście",
    )


def pdf_pages_text(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def pdf_page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_image(pdf: bytes, index: int, dpi: int = DPI):
    """The page drawn in grey levels at ``dpi``, as a PIL image."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[index].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def qr_texts(image) -> list[str]:
    # A machine code may end in spaces that make its symbol square (pdf._data_matrix_uri).
    return [barcode.text.rstrip() for barcode in zxingcpp.read_barcodes(image)]


def pdf_objects(pdf: bytes) -> bytes:
    """The file with every compressed stream inflated (objects live in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def mm_to_px(mm: float, dpi: int = DPI) -> float:
    return mm / 25.4 * dpi
