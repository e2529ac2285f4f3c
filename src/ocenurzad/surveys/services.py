from django.db import transaction
from django.utils import timezone

from ocenurzad.offices.models import Office

from .default_definition import default_definition
from .models import Survey, SurveyVersion


@transaction.atomic
def survey_create_default(*, office: Office) -> Survey:
    """Give the office its own copy of the default questionnaire, published as version 1.

    Idempotent: an office that already has a survey keeps it unchanged.
    """
    existing = Survey.objects.filter(office=office).first()
    if existing is not None:
        return existing
    survey = Survey.objects.create(office=office)
    version = SurveyVersion.objects.create(
        office=office,
        survey=survey,
        number=1,
        status=SurveyVersion.Status.PUBLISHED,
        definition=default_definition(),
        published_at=timezone.now(),
    )
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    return survey
