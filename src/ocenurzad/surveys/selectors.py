from django.db.models import F
from django.http import Http404

from ocenurzad.offices.models import Office

from .models import SurveyVersion


def survey_version_current(*, office: Office) -> SurveyVersion:
    """The version residents answer now; 404 when the office has no published survey."""
    version = SurveyVersion.objects.filter(
        office=office,
        status=SurveyVersion.Status.PUBLISHED,
        survey__current_version=F("pk"),
    ).first()
    if version is None:
        raise Http404
    return version


def survey_version_get(*, office: Office, version_id) -> SurveyVersion:
    """A published version of this office; 404 for missing and foreign ids alike."""
    try:
        return SurveyVersion.objects.get(
            office=office, pk=int(version_id), status=SurveyVersion.Status.PUBLISHED
        )
    except (SurveyVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
