"""Reads of surveys and their versions. Every function takes ``office`` first and sees
only that office's rows; a version of another office answers the same 404 as a missing one.

Public API:
    survey_version_current(*, office) -> SurveyVersion            the one residents answer
    survey_version_for_resident(*, office) -> SurveyVersion       the same, cached briefly
    survey_version_get(*, office, version_id) -> SurveyVersion    published only
    survey_version_get_any(*, office, version_id) -> SurveyVersion   drafts too
    survey_versions(*, office) -> QuerySet[SurveyVersion]         newest first, annotated
    survey_draft(*, office) -> SurveyVersion | None
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from ocenurzad.core import localcache
from ocenurzad.offices.models import Office

from .models import SurveyVersion

# Definitions of published versions, by version id. A published version never changes
# (a database trigger refuses it), so each process may keep what it has read: the hot
# resident pages then skip decoding ~15 KB of JSON per request. Bounded.
_PUBLISHED_DEFINITIONS: dict[tuple, dict] = {}
_PUBLISHED_DEFINITIONS_MAX = 512


def _with_definition(version: SurveyVersion) -> SurveyVersion:
    # The publication time makes the key unique even where ids are reused (a restored
    # backup, a test database rolled back).
    key = (version.pk, version.published_at)
    definition = _PUBLISHED_DEFINITIONS.get(key)
    if definition is None:
        definition = SurveyVersion.objects.values_list("definition", flat=True).get(pk=version.pk)
        if len(_PUBLISHED_DEFINITIONS) >= _PUBLISHED_DEFINITIONS_MAX:
            _PUBLISHED_DEFINITIONS.clear()
        _PUBLISHED_DEFINITIONS[key] = definition
    version.definition = definition
    return version


def survey_version_current(*, office: Office) -> SurveyVersion:
    """The version residents answer now; 404 when the office has no published survey."""
    version = (
        SurveyVersion.objects.filter(
            office=office,
            status=SurveyVersion.Status.PUBLISHED,
            survey__current_version=F("pk"),
        )
        .defer("definition")
        .first()
    )
    if version is None:
        raise Http404
    return _with_definition(version)


def survey_version_for_resident(*, office: Office) -> SurveyVersion:
    """``survey_version_current`` through the resident-page cache (core/localcache.py):
    what the survey page shows, up to RESIDENT_CACHE_SECONDS old. Read-only."""
    return localcache.get_or_load(
        ("current-version", office.pk), lambda: survey_version_current(office=office)
    )


def survey_version_get(*, office: Office, version_id) -> SurveyVersion:
    """A published version of this office; 404 for missing and foreign ids alike."""
    try:
        version = SurveyVersion.objects.defer("definition").get(
            office=office, pk=int(version_id), status=SurveyVersion.Status.PUBLISHED
        )
    except (SurveyVersion.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    return _with_definition(version)


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
