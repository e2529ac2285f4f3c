"""Stored layouts: one per published version, language and fingerprint, of its own office only."""

import pytest

from ocenurzad.printing.models import PrintLayout
from ocenurzad.printing.selectors import print_layout_get
from ocenurzad.printing.services import print_layout_store

pytestmark = pytest.mark.django_db

LAYOUT = {"format": 1, "pages_per_sheet": 2, "qr": None, "boxes": []}
FINGERPRINT = "0123456789"


def store(office, *, version=None, language="pl", fingerprint=FINGERPRINT, layout=LAYOUT):
    return print_layout_store(
        office=office,
        version=version or office.survey.current_version,
        language=language,
        fingerprint=fingerprint,
        layout=layout,
    )


def test_layout_is_found_only_through_its_own_office(office, other_office):
    version = office.survey.current_version
    store(office)

    assert print_layout_get(office=office, version=version, language="pl").layout == LAYOUT
    assert print_layout_get(office=office, version=version, language="en") is None
    assert print_layout_get(office=other_office, version=version, language="pl") is None
    assert (
        print_layout_get(
            office=other_office, version=version, language="pl", fingerprint=FINGERPRINT
        )
        is None
    )


def test_first_layout_stays(office, caplog):
    store(office)

    stored = store(office, layout={**LAYOUT, "pages_per_sheet": 3})

    assert stored.layout == LAYOUT
    assert PrintLayout.objects.count() == 1
    assert "different from the stored one" in caplog.text


def test_each_fingerprint_keeps_its_own_layout(office):
    version = office.survey.current_version
    old = store(office, fingerprint="aaaaaaaaaa", layout={**LAYOUT, "fingerprint": "aaaaaaaaaa"})
    new_layout = {**LAYOUT, "pages_per_sheet": 3, "fingerprint": "bbbbbbbbbb"}
    new = store(office, fingerprint="bbbbbbbbbb", layout=new_layout)

    assert PrintLayout.objects.count() == 2
    assert old.pk != new.pk
    found = print_layout_get(
        office=office, version=version, language="pl", fingerprint="aaaaaaaaaa"
    )
    assert found == old
    assert found.layout == {**LAYOUT, "fingerprint": "aaaaaaaaaa"}
    assert (
        print_layout_get(office=office, version=version, language="pl", fingerprint="bbbbbbbbbb")
        == new
    )
    assert (
        print_layout_get(office=office, version=version, language="pl", fingerprint="cccccccccc")
        is None
    )
    # Without a fingerprint: the newest one.
    assert print_layout_get(office=office, version=version, language="pl") == new


def test_layout_of_another_office_version_is_refused(office, other_office):
    with pytest.raises(ValueError):
        store(office, version=other_office.survey.current_version)
    assert not PrintLayout.objects.exists()


@pytest.mark.parametrize(
    ("fingerprint", "layout"),
    [("", LAYOUT), (FINGERPRINT, {**LAYOUT, "fingerprint": "ffffffffff"})],
)
def test_layout_without_its_own_fingerprint_is_refused(office, fingerprint, layout):
    with pytest.raises(ValueError):
        store(office, fingerprint=fingerprint, layout=layout)
    assert not PrintLayout.objects.exists()
