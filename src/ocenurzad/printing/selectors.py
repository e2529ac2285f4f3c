from django.db.models import Max

from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintBatch, PrintLayout


def print_layout_get(
    *, office: Office, version: SurveyVersion, language: str, fingerprint: str | None = None
) -> PrintLayout | None:
    """The stored layout of the version's printed form in ``language``, if printed yet.

    With ``fingerprint`` (read from a sheet's QR code): the layout that sheet was printed
    with. Without it: the most recently stored one, i.e. how the form prints now unless
    the office changed its departments or header since it was last printed.
    """
    layouts = PrintLayout.objects.filter(office=office, version=version, language=language)
    if fingerprint is not None:
        return layouts.filter(fingerprint=fingerprint).first()
    return layouts.order_by("-created_at", "-pk").first()


def print_batch_for_number(*, office: Office, number: int | None) -> PrintBatch | None:
    """The printed batch that holds sheet ``number`` of this office (the latest, should
    two batches have printed the same number), with its version; None when the number
    was never printed in a recorded batch."""
    if number is None:
        return None
    return (
        PrintBatch.objects.filter(office=office, first_number__lte=number, last_number__gte=number)
        .select_related("version")
        .order_by("-printed_at", "-pk")
        .first()
    )


def print_batches_overlapping(*, office: Office, first: int, last: int) -> list[PrintBatch]:
    """Recorded batches of this office that share a number with ``first``–``last``."""
    return list(
        PrintBatch.objects.filter(office=office, first_number__lte=last, last_number__gte=first)
        .select_related("version")
        .order_by("first_number")
    )


def print_batch_next_number(*, office: Office) -> int:
    """The first sheet number no recorded batch of this office has printed yet."""
    last = PrintBatch.objects.filter(office=office).aggregate(last=Max("last_number"))["last"]
    return (last or 0) + 1


def print_batches_of_office(*, office: Office) -> list[dict]:
    """Every recorded batch of this office as {first, last, version}, the latest printed
    first (it wins where two batches printed the same number) — for a page to look a
    sheet number up without asking the server."""
    return [
        {"first": first, "last": last, "version": version_id}
        for first, last, version_id in PrintBatch.objects.filter(office=office)
        .order_by("-printed_at", "-pk")
        .values_list("first_number", "last_number", "version_id")
    ]
