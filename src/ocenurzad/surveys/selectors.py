"""Reads of surveys and their versions. Every function takes ``office`` first and sees
only that office's rows; a version of another office answers the same 404 as a missing one.

Public API:
    survey_version_current(*, office) -> SurveyVersion            the one residents answer
    survey_version_get(*, office, version_id) -> SurveyVersion    published only
    survey_version_get_any(*, office, version_id) -> SurveyVersion   drafts too
    survey_versions(*, office) -> QuerySet[SurveyVersion]         newest first, annotated
    survey_draft(*, office) -> SurveyVersion | None
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
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


def survey_version_get_any(*, office: Office, version_id) -> SurveyVersion:
    """A version of this office, published or draft (the panel shows both); 404 for
    missing and foreign ids alike."""
    try:
        return SurveyVersion.objects.select_related("published_by", "created_by", "based_on").get(
            office=office, pk=int(version_id)
        )
    except (SurveyVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def survey_versions(*, office: Office) -> QuerySet[SurveyVersion]:
    """All the office's versions, newest first (the draft, if any, is the newest), in one
    query, each with ``response_count`` (responses that answered it) and ``is_current``."""
    return (
        SurveyVersion.objects.filter(office=office)
        .select_related("published_by", "created_by", "based_on")
        .annotate(
            response_count=Count("responses"),
            is_current=ExpressionWrapper(
                Q(survey__current_version=F("pk")), output_field=BooleanField()
            ),
        )
        .order_by("-number")
    )


def survey_draft(*, office: Office) -> SurveyVersion | None:
    """The office's draft (there is at most one), or None."""
    return (
        SurveyVersion.objects.select_related("based_on", "created_by")
        .filter(office=office, status=SurveyVersion.Status.DRAFT)
        .first()
    )
