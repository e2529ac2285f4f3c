import logging

from django.db import IntegrityError, transaction

from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintLayout

logger = logging.getLogger(__name__)


def print_layout_store(
    *, office: Office, version: SurveyVersion, language: str, fingerprint: str, layout: dict
) -> PrintLayout:
    """Keep the layout of a published version's printed form, the first time it is printed
    with ``fingerprint`` (see ``pdf.layout_fingerprint``).

    A stored layout is never changed: forms printed earlier carry its fingerprint in their
    QR code and must still be read with it. When the office renames or adds a department
    (or changes its header) the fingerprint changes and a new layout is stored beside the
    old one. Should a later render with the same fingerprint come out different, rendering
    is not deterministic: the stored layout stays and a warning is logged. Safe when two
    processes print the same form at once. Refuses (ValueError) a version of another
    office, drafts, an empty fingerprint and a layout naming another fingerprint.
    """
    if version.office_id != office.pk:
        raise ValueError("The version belongs to another office.")
    if not version.is_published:
        raise ValueError("Only a published version has a fixed layout.")
    if not fingerprint:
        raise ValueError("A stored layout needs its fingerprint.")
    if layout.get("fingerprint", fingerprint) != fingerprint:
        raise ValueError("The layout was rendered with another fingerprint.")
    key = {"version": version, "language": language, "fingerprint": fingerprint}
    try:
        with transaction.atomic():
            stored, created = PrintLayout.objects.get_or_create(
                **key, defaults={"office": office, "layout": layout}
            )
    except IntegrityError:
        # Another process stored it between our read and our insert.
        stored, created = PrintLayout.objects.get(**key), False
    if not created and stored.layout != layout:
        logger.warning(
            "Printed form of %s (%s, layout %s) came out with a layout different from the "
            "stored one although nothing in its fingerprint changed; keeping the stored layout.",
            version.code,
            language,
            fingerprint,
        )
    return stored
