"""Stored layouts: one per published version and language, of its own office only."""

import pytest

from ocenurzad.printing.models import PrintLayout
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.printing.services import print_layout_store

pytestmark = pytest.mark.django_db

LAYOUT = {"format": 1, "pages_per_sheet": 2, "qr": None, "boxes": []}


def test_layout_is_found_only_through_its_own_office(office, other_office):
    version = office.survey.current_version
    print_layout_store(office=office, version=version, language="pl", layout=LAYOUT)

    assert print_layout_get(office=office, version=version, language="pl").layout == LAYOUT
    assert print_layout_get(office=office, version=version, language="en") is None
    assert print_layout_get(office=other_office, version=version, language="pl") is None


def test_first_layout_stays(office, caplog):
    version = office.survey.current_version
    print_layout_store(office=office, version=version, language="pl", layout=LAYOUT)

    stored = print_layout_store(
        office=office, version=version, language="pl", layout={**LAYOUT, "pages_per_sheet": 3}
    )

    assert stored.layout == LAYOUT
    assert PrintLayout.objects.count() == 1
    assert "different from the stored one" in caplog.text


def test_layout_of_another_office_version_is_refused(office, other_office):
    with pytest.raises(ValueError):
        print_layout_store(
            office=office,
            version=other_office.survey.current_version,
            language="pl",
            layout=LAYOUT,
        )
    assert not PrintLayout.objects.exists()
