"""Scanned sheets for the tests: the form is rendered ONCE per session (numbered sheets
101–103 and an unnumbered one) and drawn at 150 dpi; each test marks and harms copies of
those page images. A test's office gets the session's layout, its department boxes mapped
onto the test's own departments by position."""

import copy
import io
import random
from dataclasses import dataclass

import numpy
import pytest
from django.db import transaction
from PIL import Image

from ocenurzad.offices.models import Department, Office
from ocenurzad.printing.pdf import survey_pdf_render
from ocenurzad.printing.services import print_layout_store
from ocenurzad.scans.reader import synthetic
from ocenurzad.surveys.services import survey_create_default

DPI = 150
SLUG = "skanowo"
DEPARTMENTS = ("Wydział Komunikacji", "Urząd Stanu Cywilnego", "Referat Podatków")


@dataclass
class PrintedForm:
    layout: dict
    department_ids: list[int]
    numbered: dict[int, list[numpy.ndarray]]  # sheet number -> page images
    unnumbered: list[numpy.ndarray]


def _office(slug=SLUG, name="Urząd Gminy Skanowo"):
    office = Office.objects.create(
        slug=slug, name=name, website=f"https://{slug}.example.pl/", languages=["en"]
    )
    for position, name in enumerate(DEPARTMENTS):
        Department.objects.create(office=office, name=name, position=position)
    survey_create_default(office=office)
    return office


@pytest.fixture(scope="session")
def printed_form(django_db_setup, django_db_blocker) -> PrintedForm:
    with django_db_blocker.unblock(), transaction.atomic():
        office = _office()
        version = office.survey.current_version
        numbered = survey_pdf_render(office=office, version=version, sheet_numbers=[101, 102, 103])
        plain = survey_pdf_render(office=office, version=version)
        ids = list(office.departments.order_by("position").values_list("pk", flat=True))
        transaction.set_rollback(True)
    pages = synthetic.pdf_pages_grey(numbered.pdf, DPI)
    per_sheet = numbered.pages_per_sheet
    return PrintedForm(
        layout=numbered.layout,
        department_ids=ids,
        numbered={
            number: pages[i * per_sheet : (i + 1) * per_sheet]
            for i, number in enumerate((101, 102, 103))
        },
        unnumbered=synthetic.pdf_pages_grey(plain.pdf, DPI),
    )


def layout_install(office, printed: PrintedForm) -> dict:
    """Store the session's layout for ``office`` (same slug, so the same version code)."""
    layout = copy.deepcopy(printed.layout)
    ours = list(office.departments.order_by("position").values_list("pk", flat=True))
    mapping = {str(old): str(new) for old, new in zip(printed.department_ids, ours, strict=True)}
    for box in layout["boxes"]:
        if box["key"] == "wydzial":
            box["value"] = mapping[box["value"]]
    print_layout_store(
        office=office,
        version=office.survey.current_version,
        language=layout["language"],
        fingerprint=layout["fingerprint"],
        layout=layout,
    )
    return layout


@pytest.fixture
def scan_office(db, printed_form):
    office = _office()
    layout_install(office, printed_form)
    return office


@pytest.fixture
def scan_layout(scan_office):
    from ocenurzad.printing.models import PrintLayout

    return PrintLayout.objects.get(office=scan_office).layout


def marked(printed, layout, *, number=101, seed=1, style="x", harm=None, comment=False, multi=()):
    """Page images of sheet ``number`` (None: the unnumbered one) with marks, and the truth."""
    pages = [p.copy() for p in (printed.numbered[number] if number else printed.unnumbered)]
    rng = random.Random(seed)
    truth = synthetic.answers_draw(
        pages,
        layout,
        dpi=DPI,
        rng=rng,
        style=style,
        multi_keys=frozenset(multi),
        comment=comment,
    )
    if harm is not None:
        pages = [synthetic.harm_apply(p, harm, dpi=DPI, rng=rng) for p in pages]
    return pages, truth


def pdf_of(pages: list[numpy.ndarray]) -> bytes:
    images = [Image.fromarray(p) for p in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return buffer.getvalue()


def png_of(page: numpy.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()
