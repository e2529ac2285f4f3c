import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintBatch, PrintLayout

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


def print_batch_record(
    *,
    office: Office,
    version: SurveyVersion,
    language: str,
    numbers: list[int],
    fingerprint: str,
    actor,
) -> PrintBatch:
    """Record that sheets ``numbers`` (consecutive) were printed as ``version`` in
    ``language`` with the layout ``fingerprint``, by ``actor``, now — with its audit entry,
    both or neither.

    The function the PDF's printing calls once a numbered batch is rendered; paper entry
    then finds a sheet's version by its number (``print_batch_for_number``). Refuses
    (ValueError) a version of another office, a draft, and numbers that are empty or not
    one consecutive rising range.
    """
    if version.office_id != office.pk:
        raise ValueError("The version belongs to another office.")
    if not version.is_published:
        raise ValueError("Only a published version is printed in numbered batches.")
    if not numbers or list(numbers) != list(range(numbers[0], numbers[0] + len(numbers))):
        raise ValueError("A batch is one consecutive range of sheet numbers.")
    with transaction.atomic():
        batch = PrintBatch.objects.create(
            office=office,
            version=version,
            language=language,
            fingerprint=fingerprint or "",
            first_number=numbers[0],
            last_number=numbers[-1],
            printed_by=actor if getattr(actor, "pk", None) else None,
            printed_at=timezone.now(),
        )
        audit_record(
            office=office,
            actor=actor,
            action="print.batch",
            target=batch,
            after={
                "first_number": batch.first_number,
                "last_number": batch.last_number,
                "version_id": version.pk,
                "language": language,
                "fingerprint": batch.fingerprint,
            },
        )
    return batch
