from ocenurzad.offices.models import Office
from ocenurzad.surveys.models import SurveyVersion

from .models import PrintLayout


def print_layout_get(
    *, office: Office, version: SurveyVersion, language: str
) -> PrintLayout | None:
    """The stored layout of the version's printed form in ``language``, if printed yet."""
    return PrintLayout.objects.filter(office=office, version=version, language=language).first()
