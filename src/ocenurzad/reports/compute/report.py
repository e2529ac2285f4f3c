"""``report_compute``: one office's report for a period, as reports/FORMAT.md describes it.

Figures come from rollups of closed days and months plus today's raw responses
(rollups.py), added up for the report's filters (totals.py) and laid out along the
questionnaire of the versions answered in the period (layout.py). Texts are Polish: the
report is an official document of a Polish office, whatever language the reader's panel
is in.
"""

from datetime import date, datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation

from ocenurzad.offices.models import Office
from ocenurzad.responses.models import Channel

from .. import stats
from ..extensions import extra_sections_compute
from ..periods import Compare, comparison_period
from ..rollups import (
    VersionBook,
    gc_paused,
    period_parts,
    period_parts_of_client_type,
    texts_fields,
)
from ..selectors import CLIENT_TYPE_KEY, departments_all, responses_dated_by_period
from . import annex, disclosure
from .hotspots import HotSpots, groups_collect, hot_spot_min_n
from .layout import PL, layout_build
from .sections import Sections
from .summary import summary_build
from .totals import Collected, collect

REPORT_FORMAT = 1
MIN_CELL = 5  # default of settings.REPORT_MIN_CELL


def report_compute(
    *,
    office: Office,
    start: date,
    end: date,
    department_id: int | None = None,
    channel: str | None = None,
    compare: bool | str = False,
    kind: str | None = None,
    generated_by=None,
    as_of: datetime | None = None,
    client_type: str | None = None,
) -> dict:
    """The report of ``office`` for the local days ``start``..``end`` (both included),
    optionally of one department, one channel and one client type (an option value of
    the question CLIENT_TYPE_KEY; counted from the raw answers, see
    rollups.period_parts_of_client_type), optionally compared with an earlier
    period: ``compare`` is False, True or ``Compare.PREVIOUS`` (the previous year, quarter,
    month …; a custom range: the days just before it) or ``Compare.YEAR_AGO`` (the same
    period a year earlier); ``kind`` is the kind of period the reader chose (periods.Kind),
    when known (periods.comparison_period). A JSON-serialisable dict (FORMAT.md).

    Read-only but for rollups: it may store rollups of closed days and months that were
    not stored yet (safe to run concurrently). A department of another office raises
    Http404; an unknown channel or an end before the start raise ValueError.
    ``generated_by`` is a name (str), a user (their full name is used) or None.
    ``as_of`` (an aware datetime) is a cut-off: responses submitted at or after it are
    left out, and the report says "stan na" that moment (``report["as_of"]``; left out of
    the content key, see archive.VOLATILE_KEYS). Without it the report has no such key.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    if channel and channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    min_cell = int(getattr(settings, "REPORT_MIN_CELL", MIN_CELL))
    with translation.override(PL), gc_paused():
        departments = departments_all(office=office)
        department = None
        if department_id is not None:
            department = next((d for d in departments if d.pk == int(department_id)), None)
            if department is None:
                raise Http404
        book = VersionBook.of_office(office)
        filters = {"department_id": department and department.pk, "channel": channel or None}
        filtered = department is not None or bool(channel)
        client_type = client_type or None
        if client_type:
            parts = period_parts_of_client_type(
                office=office, start=start, end=end, book=book, client_type=client_type, until=as_of
            )
        else:
            # An unfiltered report reads the segments of "*" only (rollups/store.py).
            parts = period_parts(
                office=office, start=start, end=end, book=book, until=as_of, segments=filtered
            )
        now = collect(parts, **filters)
        previous = before = periods = None
        if compare:
            how = Compare.PREVIOUS if compare is True else compare
            periods = comparison_period(start, end, how=how, today=timezone.localdate(), kind=kind)
            previous = (periods.previous.start, periods.previous.end)
            if client_type:
                before = collect(
                    period_parts_of_client_type(
                        office=office,
                        start=previous[0],
                        end=previous[1],
                        book=book,
                        client_type=client_type,
                    ),
                    **filters,
                )
            else:
                before = _collected(
                    office, *previous, book, filters, texts=False, segments=filtered
                )
        answered = [book.versions[int(v)] for v in now.total["v"] if int(v) in book.versions]
        current = [v for v in book.versions.values() if v.is_current]
        code_prefix = office.slug.upper()
        layout = layout_build(
            answered or current, code_prefix=code_prefix, note_versions=bool(answered)
        )
        # Departments residents could name in the period, or that responses of it name.
        in_period = [
            d for d in departments if d.existed_during(start, end) or d.pk in now.by_department
        ]
        builder = Sections(office, layout, now, in_period, min_cell)
        areas = builder.areas()
        overall = builder.overall()
        family = stats.TestFamily()  # every test of the report, adjusted together
        comparison = None
        if periods is not None:
            versions_before = [
                book.versions[int(v)] for v in before.total["v"] if int(v) in book.versions
            ]
            comparison = builder.comparison(before, periods, family, versions_before)
        # The open answers split once, for the hot spots' comments and the report's own.
        texts = list(texts_fields(now.texts))
        groups = groups_collect(
            parts,
            department_id=department and department.pk,
            channel=channel,
            collected=now,
            texts=texts,
        )
        hot_spots = HotSpots(
            layout=layout,
            groups=groups,
            total=now.total,
            departments=in_period,
            start=start,
            end=end,
            min_n=hot_spot_min_n(),
            min_cell=min_cell,
            # the same months the report's comments come from (disclosure.py)
            months_allowed=disclosure.comment_months(start, end, today=timezone.localdate()),
        )
        hot_spots.register(family)
        # Every test is in the family now: the comparison's verdicts, then the hot spots'.
        builder.comparison_decide()
        hot_spots = hot_spots.result(
            family, falling=builder.falling_items(), wording=_wording(layout)
        )
        # Complementary suppression of the breakdown tables; a cell hidden there is not
        # shown as a hot spot or in the mode difference either (disclosure.py).
        mode_difference = builder.mode_difference()
        breakdowns = disclosure.protect_breakdowns(
            builder.breakdowns(),
            collected=now,
            k=min_cell,
            shown_elsewhere=_shown_elsewhere(hot_spots, mode_difference),
        )
        hot_spots = disclosure.protect_hot_spots(hot_spots, breakdowns)
        if mode_difference is not None and disclosure.hidden_keys(breakdowns, "channel") & {
            "online",
            "paper",
        }:
            mode_difference = None
        dated_by_period = responses_dated_by_period(
            office=office, start=start, end=end, client_type=client_type, until=as_of, **filters
        )
        comments, comments_left_out = annex.open_answers(
            layout=layout,
            collected=now,
            texts=texts,
            departments=departments,
            min_cell=min_cell,
            start=start,
            end=end,
        )
        report = {
            "format": REPORT_FORMAT,
            "office": {"slug": office.slug, "name": office.name},
            "params": {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "department": department and {"id": department.pk, "name": department.name},
                "channel": channel or None,
                "client_type": client_type,
                "compare": bool(compare),
                "compare_with": (Compare.PREVIOUS if compare is True else compare) or None,
                "min_cell": min_cell,
            },
            "generated_at": timezone.localtime(
                timezone.now(), timezone.get_default_timezone()
            ).isoformat(timespec="seconds"),
            "generated_by": _name(generated_by),
            **({"as_of": _local_iso(as_of)} if as_of is not None else {}),
            "summary": summary_build(
                responses=now.total["n"],
                overall=overall,
                areas=areas,
                comparison=comparison,
                hot_spots=hot_spots,
                open_answers_count=len(comments),
                min_n=hot_spot_min_n(),
            ),
            "method": builder.method(book, dated_by_period=dated_by_period),
            "overall": overall,
            "areas": areas,
            "other_ratings": builder.other_ratings(),
            "structure": builder.structure(),
            "breakdowns": breakdowns,
            "trend": disclosure.protect_trend(builder.trend(start, end), k=min_cell),
            "mode_difference": mode_difference,
            "comparison": comparison,
            "importance": builder.importance(),
            "hot_spots": hot_spots,
            "open_answers": comments,
            "open_answers_count": len(comments),
            "questionnaire": annex.questionnaire(
                layout=layout, departments=in_period, code_prefix=code_prefix
            ),
            "notes": annex.notes(
                layout=layout,
                responses=now.total["n"],
                min_cell=min_cell,
                code_prefix=code_prefix,
                end=end,
                department=department,
                channel=channel,
                client_type=_client_type_label(layout, client_type),
                previous=previous,
                comments_left_out=comments_left_out,
                dated_by_period=dated_by_period,
            ),
        }
        # Sections other apps add (reports/extensions.py); none: the key is left out.
        extra = extra_sections_compute(
            office=office,
            start=start,
            end=end,
            department_id=department and department.pk,
            channel=channel or None,
            report=report,
        )
        if extra:
            report["extra_sections"] = extra
        return report


def _local_iso(moment: datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).isoformat(timespec="seconds")


def _collected(office, start, end, book, filters, *, texts=True, segments=True) -> Collected:
    parts = period_parts(
        office=office, start=start, end=end, book=book, texts=texts, segments=segments
    )
    return collect(parts, **filters)


def _shown_elsewhere(hot_spots: dict, mode_difference: dict | None) -> dict[str, set[str]]:
    """Breakdown cells (by table) whose figures other sections publish."""
    out: dict[str, set[str]] = {"department": set(), "client_type": set(), "channel": set()}
    for cell in hot_spots.get("cells") or []:
        if cell.get("department"):
            out["department"].add(str(cell["department"]["id"]))
        if cell.get("client_type"):
            out["client_type"].add(str(cell["client_type"]["value"]))
    if mode_difference is not None:
        out["channel"] |= {"online", "paper"}
    return out


def _client_type_label(layout, client_type: str | None) -> str | None:
    if not client_type:
        return None
    question = layout.question(CLIENT_TYPE_KEY)
    return dict(question.options).get(client_type, client_type) if question else client_type


def _wording(layout):
    def wording(key: str) -> str:
        question = layout.question(key)
        return question.text if question is not None else key

    return wording


def _name(generated_by) -> str | None:
    if generated_by is None or isinstance(generated_by, str):
        return generated_by or None
    return generated_by.get_full_name() or generated_by.get_username()
