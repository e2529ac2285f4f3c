"""Reads for paper entry; each filters by the office first."""

from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.offices.models import Office
from ocenurzad.surveys.definition import NOT_APPLICABLE, iter_questions
from ocenurzad.surveys.models import SurveyVersion

from ..models import Channel, Response
from .dates import SheetDate
from .rules import (
    RECENT_LIMIT,
    SHEET_NUMBER_MAX,
    SheetNumberTaken,
    paper_change_refusal,
    paper_may_change_others,
)


def paper_versions(*, office: Office) -> list[SurveyVersion]:
    """The office's published versions, newest first, each with ``is_current``."""
    versions = list(
        SurveyVersion.objects.filter(office=office, status=SurveyVersion.Status.PUBLISHED)
        .annotate(
            is_current=ExpressionWrapper(
                Q(survey__current_version=F("pk")), output_field=BooleanField()
            )
        )
        .order_by("-number")
    )
    for version in versions:
        version.office = office  # its code names the office; spare a query per version
    return versions


def paper_version_pick(*, versions: list[SurveyVersion], version_id) -> SurveyVersion:
    """The version asked for (a sheet of an older version), else the current one.

    404 for an id that is not one of ``versions`` — missing and foreign alike.
    """
    if version_id in (None, ""):
        current = next((v for v in versions if v.is_current), None)
        if current is None:
            raise Http404
        return current
    for version in versions:
        if str(version.pk) == str(version_id):
            return version
    raise Http404


def paper_response_get(*, office: Office, response_id) -> Response:
    """A paper response of this office, or 404: the same for missing, foreign and online."""
    try:
        response = Response.objects.select_related("version", "department", "entered_by").get(
            office=office, channel=Channel.PAPER, pk=int(response_id)
        )
    except (Response.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
    response.office = office
    response.version.office = office
    return response


def paper_recent(*, office: Office, user, now: datetime | None = None) -> list[dict]:
    """The last sheets this clerk typed in (an administrator: anyone in the office), as
    rows for a table, each saying whether the user may still change it. One query."""
    now = now or timezone.now()
    rows = Response.objects.filter(office=office, channel=Channel.PAPER).select_related(
        "version", "department", "entered_by"
    )
    if not paper_may_change_others(user):
        rows = rows.filter(entered_by=user)
    rows = rows.order_by(F("entered_at").desc(nulls_last=True), "-pk")[:RECENT_LIMIT]
    overall_keys: dict[int, str | None] = {}
    result = []
    for response in rows:
        response.office = office
        response.version.office = office
        if response.version_id not in overall_keys:
            overall_keys[response.version_id] = overall_question_key(response.version.definition)
        result.append(
            paper_row(response, user=user, now=now, overall_key=overall_keys[response.version_id])
        )
    return result


def paper_row(
    response: Response, *, user, now: datetime | None = None, overall_key: str | None = None
) -> dict:
    """What a list or a confirmation shows of one typed-in sheet."""
    if overall_key is None:
        overall_key = overall_question_key(response.version.definition)
    overall = response.answers.get(overall_key) if overall_key else None
    if overall == NOT_APPLICABLE:
        overall = _("nie dotyczy")
    return {
        "pk": response.pk,
        "entered_at": response.entered_at,
        "filled_on": timezone.localdate(response.submitted_at),
        # a sheet dated only by the period it was collected in: that period
        "period": SheetDate.of_response(response).text() if response.period_start else None,
        "sheet_number": response.sheet_number,
        "department": response.department.name if response.department_id else "",
        "overall": overall,
        "entered_by": str(response.entered_by) if response.entered_by_id else "",
        "version_code": response.version.code,
        "may_change": paper_change_refusal(user=user, response=response, now=now) is None,
        "may_correct": paper_change_refusal(user=user, response=response, now=now, correcting=True)
        is None,
    }


def overall_question_key(definition: dict) -> str | None:
    """The overall rating a list shows: the first rating outside the rated areas."""
    for section, question in iter_questions(definition):
        if question["kind"] == "rating" and section.get("kind") != "area":
            return question["key"]
    return None


def paper_sheet_number_taken(*, office, number, exclude_pk=None) -> SheetNumberTaken | None:
    """The refusal to give when another sheet of the office has ``number``, else None."""
    if number is None:
        return None
    holder = (
        Response.objects.filter(office=office, sheet_number=number).exclude(pk=exclude_pk).first()
    )
    if holder is None:
        return None
    return SheetNumberTaken(number=number, entered_at=holder.entered_at or holder.submitted_at)


def paper_last_entered(*, office: Office, user) -> Response | None:
    """The paper sheet ``user`` typed in last at ``office``, if any."""
    response = (
        Response.objects.filter(office=office, channel=Channel.PAPER, entered_by=user)
        .select_related("version")
        .order_by(F("entered_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if response is not None:
        response.office = office
        response.version.office = office
    return response


def paper_next_sheet_number(*, office: Office, last: Response | None) -> int | None:
    """The number to suggest for the next sheet: the one after ``last`` (the clerk's last
    sheet), skipping numbers already entered; None after a sheet without a number."""
    if last is None or last.sheet_number is None:
        return None
    number = last.sheet_number + 1
    taken = set(
        Response.objects.filter(
            office=office, sheet_number__gte=number, sheet_number__lt=number + 100
        ).values_list("sheet_number", flat=True)
    )
    while number in taken:
        number += 1
    return number if number <= SHEET_NUMBER_MAX else None


def paper_entered_today(*, office: Office, user, now: datetime | None = None) -> int:
    """How many paper sheets ``user`` has typed in at ``office`` today (local time)."""
    now = timezone.localtime(now or timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return Response.objects.filter(
        office=office, channel=Channel.PAPER, entered_by=user, entered_at__gte=midnight
    ).count()


def paper_sheet_by_number(*, office: Office, number) -> Response | None:
    """The paper sheet of ``office`` with this number, if any."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return Response.objects.filter(
        office=office, channel=Channel.PAPER, sheet_number=number
    ).first()
