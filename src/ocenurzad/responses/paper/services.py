"""Writes for paper entry: each atomic, audited, refusing what the rules refuse."""

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.services import audit_record
from ocenurzad.offices.models import Office
from ocenurzad.surveys.answers import ParsedAnswers
from ocenurzad.surveys.models import SurveyVersion

from ..models import Channel, Response
from ..signals import responses_days_changed
from .dates import SheetDate, sheet_date_error
from .rules import LANGUAGE, SOURCE, PaperChangeRefused, paper_change_refusal
from .selectors import paper_last_entered, paper_sheet_number_taken


def _noon(day: date) -> datetime:
    """The day a sheet counts on as a moment: local noon, so it stays that day in any
    report."""
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _check_date(sheet_date: SheetDate) -> None:
    error = sheet_date_error(sheet_date, today=timezone.localdate())
    if error:
        raise ValueError(f"date on the sheet refused: {sheet_date.text()}: {error}")


def _dated(response: Response, sheet_date: SheetDate) -> None:
    response.submitted_at = _noon(sheet_date.day)
    for name, value in sheet_date.stored().items():
        setattr(response, name, value)


def _snapshot(response: Response) -> dict:
    snapshot = {
        "version_id": response.version_id,
        "sheet_number": response.sheet_number,
        "filled_on": timezone.localdate(response.submitted_at).isoformat(),
        "department_id": response.department_id,
        "answers": response.answers,
    }
    if response.period_start is not None:
        snapshot["period_start"] = response.period_start.isoformat()
        snapshot["period_end"] = response.period_end.isoformat()
    return snapshot


def response_enter_paper(
    *,
    office: Office,
    actor,
    version: SurveyVersion,
    parsed: ParsedAnswers,
    sheet_date: SheetDate,
    sheet_number: int | None,
) -> Response:
    """Store one typed-in paper sheet with its audit entry — both or neither.

    ``parsed`` must be valid answers to ``version``, a published version of ``office``
    (else ValueError), and ``sheet_date`` a day or a period that ``sheet_date_error``
    accepts (else ValueError): a period is stored with both ends and counted on its middle
    day (``submitted_at``; dates.py). A sheet number the
    office already has raises SheetNumberTaken and stores nothing — also when two clerks
    save it at the same moment: the database's unique constraint decides.
    """
    if version.office_id != office.pk or not version.is_published:
        raise ValueError("not a published version of this office")
    _check_date(sheet_date)
    response = Response(
        office=office,
        version=version,
        channel=Channel.PAPER,
        source=SOURCE,
        language=LANGUAGE,
        department_id=parsed.department_id,
        answers=parsed.answers,
        entered_by=actor,
        sheet_number=sheet_number,
        entered_at=timezone.now(),
    )
    _dated(response, sheet_date)
    try:
        with transaction.atomic():
            response.save()
            responses_days_changed.send(sender=Response, office=office, days={sheet_date.day})
            audit_record(
                office=office,
                actor=actor,
                action="response.paper_enter",
                target=response,
                after=_snapshot(response),
            )
    except IntegrityError as exc:
        taken = paper_sheet_number_taken(office=office, number=sheet_number)
        if taken is None:
            raise
        raise taken from exc
    return response


def _locked_for_change(
    *, office: Office, actor, response: Response, correcting: bool = False
) -> Response:
    """The row, locked for this transaction, after checking the change is still allowed."""
    current = (
        Response.objects.select_for_update()
        .filter(pk=response.pk, office=office, channel=Channel.PAPER)
        .first()
    )
    if current is None:
        raise PaperChangeRefused(_("Tej ankiety już nie ma — mogła zostać usunięta."))
    refusal = paper_change_refusal(user=actor, response=current, correcting=correcting)
    if refusal:
        raise PaperChangeRefused(refusal)
    current.office = office
    return current


def response_correct_paper(
    *,
    office: Office,
    actor,
    response: Response,
    parsed: ParsedAnswers,
    sheet_date: SheetDate,
    sheet_number: int | None,
) -> Response:
    """Replace a typed-in sheet's answers, date (or period) and number; audited with before
    and after.

    Atomic. Refused with PaperChangeRefused unless ``paper_change_refusal`` allows it
    (an office administrator may correct after the window too)
    (checked again on the locked row); a number another sheet has raises SheetNumberTaken.
    The version, who entered it and when stay as they were.
    """
    _check_date(sheet_date)
    try:
        with transaction.atomic():
            current = _locked_for_change(
                office=office, actor=actor, response=response, correcting=True
            )
            before = _snapshot(current)
            current.department_id = parsed.department_id
            current.answers = parsed.answers
            _dated(current, sheet_date)
            current.sheet_number = sheet_number
            current.save(
                update_fields=[
                    "department",
                    "answers",
                    "submitted_at",
                    "period_start",
                    "period_end",
                    "sheet_number",
                ]
            )
            # Stored report counters of both days are stale now.
            responses_days_changed.send(
                sender=Response,
                office=office,
                days={date.fromisoformat(before["filled_on"]), sheet_date.day},
            )
            audit_record(
                office=office,
                actor=actor,
                action="response.paper_correct",
                target=current,
                before=before,
                after=_snapshot(current),
            )
    except IntegrityError as exc:
        taken = paper_sheet_number_taken(office=office, number=sheet_number, exclude_pk=response.pk)
        if taken is None:
            raise
        raise taken from exc
    return current


@transaction.atomic
def response_delete_paper(*, office: Office, actor, response: Response) -> None:
    """Delete a typed-in sheet, keeping its answers in the audit entry. Atomic; refused
    with PaperChangeRefused unless ``paper_change_refusal`` allows it."""
    current = _locked_for_change(office=office, actor=actor, response=response)
    audit_record(
        office=office,
        actor=actor,
        action="response.paper_delete",
        target=current,
        before=_snapshot(current),
    )
    current.delete()
    responses_days_changed.send(
        sender=Response, office=office, days={timezone.localdate(current.submitted_at)}
    )


def response_undo_last_paper(*, office: Office, actor) -> Response:
    """Delete the last sheet ``actor`` typed in at ``office`` ("cofnij ostatni arkusz"),
    audited like any deletion; returns it (no longer stored). Raises PaperChangeRefused
    when there is none or it may no longer be deleted."""
    last = paper_last_entered(office=office, user=actor)
    if last is None:
        raise PaperChangeRefused(_("Nie ma arkusza do cofnięcia."))
    response_delete_paper(office=office, actor=actor, response=last)
    return last
