import logging

from django.db import IntegrityError, transaction

from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintLayout

logger = logging.getLogger(__name__)


def print_layout_store(
    *, office: Office, version: SurveyVersion, language: str, layout: dict
) -> PrintLayout:
    """Keep the layout of a published version's printed form, the first time only.

    A stored layout is never changed: forms printed earlier must still be read with it.
    Should a later render come out different (e.g. the office renamed its departments
    since), the stored one stays and a warning is logged. Safe when two processes print
    the same form at once. Refuses a version of another office and drafts (ValueError).
    """
    if version.office_id != office.pk:
        raise ValueError("The version belongs to another office.")
    if not version.is_published:
        raise ValueError("Only a published version has a fixed layout.")
    try:
        with transaction.atomic():
            stored, created = PrintLayout.objects.get_or_create(
                version=version,
                language=language,
                defaults={"office": office, "layout": layout},
            )
    except IntegrityError:
        # Another process stored it between our read and our insert.
        stored, created = PrintLayout.objects.get(version=version, language=language), False
    if not created and stored.layout != layout:
        logger.warning(
            "Printed form of %s (%s) came out with a layout different from the stored one; "
            "keeping the stored layout.",
            version.code,
            language,
        )
    return stored
