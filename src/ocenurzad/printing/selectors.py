from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintLayout


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
