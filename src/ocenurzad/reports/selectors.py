"""Reads for reports. Every query filters by office first.

Report periods are calendar days in the office's time (``TIME_ZONE``, Europe/Warsaw): a
day runs from its local midnight to the next, whatever DST does in between.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from ocenurzad.offices.models import Department, Office
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import SurveyVersion

from .models import ReportRollup, RollupEpoch

# The question whose answer is the client type (a report may be filtered to one).
CLIENT_TYPE_KEY = "metryka_rodzaj_klienta"
# The columns a report reads from a raw response, in this order (see rollups.tally).
RESPONSE_ROW = ("pk", "submitted_at", "department_id", "channel", "version_id", "answers")


def day_start(day: date) -> datetime:
    """The aware moment the local day begins."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def responses_in_period(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None = None,
    channel: str | None = None,
    client_type: str | None = None,
) -> QuerySet[Response]:
    """The office's responses submitted on the local days ``start``..``end`` (both
    included), optionally of one department, one channel and one client type (the
    answer to CLIENT_TYPE_KEY), oldest first."""
    responses = Response.objects.filter(
        office=office,
        submitted_at__gte=day_start(start),
        submitted_at__lt=day_start(end + timedelta(days=1)),
    )
    if department_id is not None:
        responses = responses.filter(department_id=department_id)
    if channel:
        responses = responses.filter(channel=channel)
    if client_type:
        responses = responses.filter(**{f"answers__{CLIENT_TYPE_KEY}": client_type})
    return responses.order_by("submitted_at", "pk")


def responses_dated_by_period(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None = None,
    channel: str | None = None,
    client_type: str | None = None,
    until: datetime | None = None,
) -> tuple[int, int]:
    """Of the responses a report of start..end counts (the same filters, and submitted
    before ``until`` when given): how many are paper sheets dated only by the period they
    were collected in (counted on its middle day), and how many of those periods reach
    outside start..end. One query, on an index of those few responses alone."""
    responses = responses_in_period(
        office=office,
        start=start,
        end=end,
        department_id=department_id,
        channel=channel,
        client_type=client_type,
    ).filter(period_start__isnull=False)
    if until is not None:
        responses = responses.filter(submitted_at__lt=until)
    counts = responses.order_by().aggregate(
        dated=Count("pk"),
        outside=Count("pk", filter=Q(period_start__lt=start) | Q(period_end__gt=end)),
    )
    return counts["dated"], counts["outside"]


def response_rows(
    *, office: Office, since: datetime, until: datetime, client_type: str | None = None
) -> Iterator[tuple]:
    """RESPONSE_ROW tuples of the office's responses with since <= submitted_at < until
    (only those of one client type when given), newest first (so that open answers come
    out in the order a report lists them)."""
    responses = Response.objects.filter(
        office=office, submitted_at__gte=since, submitted_at__lt=until
    )
    if client_type:
        responses = responses.filter(**{f"answers__{CLIENT_TYPE_KEY}": client_type})
    return (
        responses.order_by("-submitted_at", "-pk")
        .values_list(*RESPONSE_ROW)
        .iterator(chunk_size=2000)
    )


def rollups_stored(
    *,
    office: Office,
    schema: int,
    months: Iterable[date] = (),
    days: Iterable[date] = (),
    texts: bool = True,
    segments: bool = True,
) -> dict[tuple[str, date], tuple[dict, str | None]]:
    """Stored rollups of the current ``schema`` for these month starts and days:
    ``{(granularity, period_start): (cells, texts)}``, texts None unless asked for (they
    are most of a rollup's bytes); each cell but "*" without its segments ("s") unless
    ``segments`` (an unfiltered report needs only those of "*"). One query."""
    months, days = list(months), list(days)
    if not months and not days:
        return {}
    Granularity = ReportRollup.Granularity
    wanted = Q()
    if months:
        wanted |= Q(granularity=Granularity.MONTH, period_start__in=months)
    if days:
        wanted |= Q(granularity=Granularity.DAY, period_start__in=days)
    columns = ["granularity", "period_start", "cells", "texts" if texts else "schema"]
    if segments:
        columns.append("segments")
    rows = ReportRollup.objects.filter(office=office, schema=schema).filter(wanted)
    out = {}
    for granularity, start, cells, answers, *split in rows.values_list(*columns):
        if split:
            for key, by_value in split[0].items():
                if key in cells:
                    cells[key]["s"] = by_value
        out[(granularity, start)] = (cells, answers if texts else None)
    return out


def rollup_epoch(*, office: Office) -> int:
    """How many times the office's rollups have been invalidated (models.RollupEpoch)."""
    return RollupEpoch.objects.filter(office=office).values_list("number", flat=True).first() or 0


def survey_versions_all(*, office: Office) -> list[SurveyVersion]:
    """Every version of the office's survey, oldest first; ``is_current`` marks the one
    residents answer now. Versions are few, so a report loads them all at once."""
    return list(
        SurveyVersion.objects.filter(office=office)
        .annotate(
            is_current=ExpressionWrapper(
                Q(survey__current_version=F("pk")), output_field=BooleanField()
            )
        )
        .order_by("number", "pk")
    )


def departments_all(*, office: Office) -> list[Department]:
    """All the office's departments, closed ones too (old responses may name them)."""
    return list(Department.objects.filter(office=office).order_by("position", "name", "pk"))
