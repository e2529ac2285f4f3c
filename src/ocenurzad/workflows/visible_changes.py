"""§ 5 of the ordinances, the same everywhere: every change residents or the printed form
can see comes with an archived report of the results so far — and residents never wait
for it.

What counts as visible (the rest — the 2FA setting, the office's own networks, staff
accounts — archives nothing):

- publishing a new version of the survey;
- office data residents see (``offices.services.RESIDENT_VISIBLE_FIELDS``: name, type,
  logo, street, postal code, city, phone, e-mail, website, BIP, opening hours, the
  controller, the data protection officer, the accessibility contact, the languages);
- departments: adding, renaming, the order, switching on and off, names in other
  languages.

How (``_visible_change``), in this order:

1. Outside any transaction: if no response arrived since the cut-off of the office's
   last § 5 report (none submitted or typed in since, no paper sheet corrected or
   deleted since — ``_previous_still_current``), the change refers to that report and
   nothing is drawn. Otherwise the report of all results so far is drawn as of a cut-off
   recorded now (``as_of``: the responses submitted before it; the report says "stan
   na"), and its PDF and annex are rendered and written (``archived_report_prepare``).
   This is the slow part: no lock is held, residents' submissions commit meanwhile.
2. One short transaction: the change itself (the app's own service, which audits it),
   the report's archive entry (one INSERT, ``archived_report_store``), the
   ``VisibleChange`` row naming both and an audit entry ``report.before_change`` saying
   which report and whether it was reused. If anything in it fails, all of it rolls back
   and the prepared files are deleted: never a change without its report, never a
   report archived for a change that failed. A change that turns out to change nothing
   visible stores no report.

Several edits saved together are one change with one report (``departments_reorder``;
``departments_change`` for any list of department operations).

When the office has many responses (``REPORT_BEFORE_CHANGE_INLINE_MAX``) and a new report
is needed, the panel hands the change to a background job (``visible_change_enqueue``):
the job draws the report and then makes the change, the same way; the panel shows its
progress (``panel:job``) and, when done, links the report.

Callers: panel views (after their permission check) and the job handler below. Every
function takes ``office`` first and the acting account; refusals of the apps' services
(ValidationError, the survey editor's errors) pass through unchanged, and nothing is
stored then; ``ReportNotDrawn`` means the report could not be made, so nothing changed.
"""

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocenurzad.audit.models import AuditEntry
from ocenurzad.audit.services import audit_record
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.registry import job_handler
from ocenurzad.jobs.services import JobError, job_enqueue
from ocenurzad.offices import services as offices
from ocenurzad.offices.logo import CheckedLogo
from ocenurzad.offices.models import Department, Office
from ocenurzad.offices.translations import department_names_translate
from ocenurzad.reports.archive import (
    actor_name,
    archived_report_discard,
    archived_report_prepare,
    archived_report_store,
    report_so_far_compute,
)
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response
from ocenurzad.surveys import services as surveys
from ocenurzad.surveys.exchange import survey_import
from ocenurzad.surveys.models import SurveyVersion

from .models import VisibleChange

logger = logging.getLogger(__name__)

Kind = VisibleChange.Kind
Reason = ArchivedReport.Reason
# Above this many responses, a change that needs a new report runs as a background job.
INLINE_MAX_DEFAULT = 2000


class ReportNotDrawn(Exception):
    """The report of the results so far could not be made: nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ChangeOutcome:
    """What a § 5 workflow did: the service's ``result``; the ``change`` stored with its
    report (None: nothing residents see changed, nothing archived); ``job`` when the
    change was handed to a background job instead (then both are None)."""

    result: Any = None
    change: VisibleChange | None = None
    job: Job | None = None


@dataclass(frozen=True)
class ReportPlan:
    """What the page says before saving: the report a visible change would refer to
    (``reuse``: the previous § 5 change, when no response arrived since its cut-off) or
    that a new one will be drawn, in the background when ``in_background``."""

    reuse: VisibleChange | None
    in_background: bool


def visible_change_plan(*, office: Office) -> ReportPlan:
    """For the page before saving: which report a visible change would come with."""
    reuse = _previous_still_current(office)
    return ReportPlan(reuse=reuse, in_background=reuse is None and _long(office))


def visible_changes(*, office: Office):
    """The office's § 5 changes with their reports, newest first."""
    return VisibleChange.objects.filter(office=office).select_related("report", "actor")


# --- The rule ----------------------------------------------------------------------------


def _previous_still_current(office: Office) -> VisibleChange | None:
    """The office's last § 5 change, if its report still holds all results so far: no
    response submitted or typed in since its cut-off, none corrected or deleted since."""
    last = VisibleChange.objects.filter(office=office).select_related("report").first()
    if last is None:
        return None
    since = last.report_as_of
    arrived = Response.objects.filter(office=office).filter(
        Q(submitted_at__gte=since) | Q(entered_at__gte=since)
    )
    changed = AuditEntry.objects.filter(
        office=office, action__startswith="response.", at__gte=since
    )
    if arrived.exists() or changed.exists():
        return None
    return last


def _long(office: Office) -> bool:
    limit = int(getattr(settings, "REPORT_BEFORE_CHANGE_INLINE_MAX", INLINE_MAX_DEFAULT))
    return Response.objects.filter(office=office).count() > limit


def _visible_change(
    *,
    office: Office,
    actor,
    kind: str,
    apply: Callable[[], tuple[Any, list[str]]],
    check: Callable[[], None] | None = None,
    job: Job | None = None,
) -> ChangeOutcome:
    """The rule itself (module docstring). ``apply()`` makes the change with the app's
    own services and returns ``(result, summary)``: ``summary`` lists in Polish what
    residents will see changed — empty when nothing visible changed (then nothing is
    archived). ``check()``, when given, runs first and raises what ``apply`` would refuse
    now (cheap reads only), so a refused change draws no report. Call it outside any
    transaction: the report is drawn before the change's transaction begins."""
    reason = (
        Reason.BEFORE_SURVEY_CHANGE if kind == Kind.SURVEY_PUBLISH else Reason.BEFORE_OFFICE_CHANGE
    )
    if check is not None:
        check()
    previous = _previous_still_current(office)
    prepared = None
    if previous is not None:
        as_of = previous.report_as_of
    else:
        as_of = timezone.now()
        try:
            report = report_so_far_compute(office=office, actor=actor, as_of=as_of)
            prepared = archived_report_prepare(
                office=office, actor=actor, report=report, reason=reason
            )
        except Exception as exc:
            logger.exception("§ 5 report of office %s could not be drawn", office.pk)
            raise ReportNotDrawn(
                _(
                    "Nie udało się przygotować raportu z dotychczasowych wyników, więc zmiana "
                    "nie została zapisana — przed zmianą widoczną dla mieszkańców raport musi "
                    "zostać zapisany w archiwum. Spróbuj ponownie później albo powiadom "
                    "operatora platformy."
                )
            ) from exc
    change = None
    try:
        with transaction.atomic():
            result, summary = apply()
            if summary:
                archived = previous.report if previous else archived_report_store(prepared=prepared)
                change = VisibleChange.objects.create(
                    office=office,
                    kind=kind,
                    summary=summary,
                    actor=actor if getattr(actor, "pk", None) else None,
                    actor_name=actor_name(actor) or "",
                    report=archived,
                    report_as_of=as_of,
                    report_reused=previous is not None,
                    job=job,
                )
                audit_record(
                    office=office,
                    actor=actor,
                    action="report.before_change",
                    target=archived,
                    after={
                        "change": kind,
                        "summary": summary,
                        "report": archived.pk,
                        "as_of": timezone.localtime(as_of).isoformat(timespec="seconds"),
                        # reused: no response since the report of the previous change
                        "reused": previous is not None,
                    },
                )
    except BaseException:
        archived_report_discard(prepared=prepared)
        raise
    if change is None:
        archived_report_discard(prepared=prepared)
    return ChangeOutcome(result=result, change=change)


# --- Office data -------------------------------------------------------------------------

FIELD_LABELS = {
    "name": "nazwa urzędu",
    "office_type": "rodzaj urzędu",
    "logo": "logo",
    "street_address": "ulica i numer",
    "postal_code": "kod pocztowy",
    "city": "miejscowość",
    "phone": "telefon",
    "email": "e-mail",
    "website": "strona internetowa",
    "bip_url": "adres BIP",
    "opening_hours": "godziny otwarcia",
    "controller": "administrator danych",
    "dpo_contact": "inspektor ochrony danych",
    "accessibility_contact": "kontakt w sprawie dostępności",
    "languages": "języki ankiety",
}


def _field_labels(names) -> list[str]:
    return [FIELD_LABELS.get(name, name) for name in sorted(names)]


def office_data_is_visible(
    *, office: Office, data: dict, logo: CheckedLogo | None = None, remove_logo: bool = False
) -> bool:
    """Would saving this change anything residents see?"""
    changed = offices.office_changed_fields(
        office=office, data=data, logo=logo, remove_logo=remove_logo
    )
    return bool(changed & offices.RESIDENT_VISIBLE_FIELDS)


def office_data_save(
    *,
    office: Office,
    actor,
    data: dict,
    logo: CheckedLogo | None = None,
    remove_logo: bool = False,
    job: Job | None = None,
) -> ChangeOutcome:
    """Save the office's data (``offices.services.office_update``); when it changes
    anything residents see, with the report of the results so far (§ 5). A change of
    only staff-side settings (2FA, networks) archives nothing."""
    if not office_data_is_visible(office=office, data=data, logo=logo, remove_logo=remove_logo):
        updated = offices.office_update(
            office=office,
            actor=actor,
            data=data,
            logo=logo,
            remove_logo=remove_logo,
            before_change=_refuse_visible,
        )
        return ChangeOutcome(result=updated)
    seen: dict = {}

    def note(*, office, before, after):
        seen["fields"] = set(after) & offices.RESIDENT_VISIBLE_FIELDS

    def apply():
        updated = offices.office_update(
            office=office,
            actor=actor,
            data=data,
            logo=logo,
            remove_logo=remove_logo,
            before_change=note,
        )
        return updated, _field_labels(seen.get("fields", ()))

    return _visible_change(office=office, actor=actor, kind=Kind.OFFICE_DATA, apply=apply, job=job)


def _refuse_visible(*, office, before, after):
    # Someone else changed the data between the check and the save, so that this save
    # would now change what residents see without its report: refuse, the form says why.
    if set(after) & offices.RESIDENT_VISIBLE_FIELDS:
        raise ValidationError(
            _("Dane urzędu zmieniły się w międzyczasie. Sprawdź je i zapisz ponownie.")
        )


# --- Departments -------------------------------------------------------------------------


def departments_change(
    *, office: Office, actor, operations: list[dict], job: Job | None = None
) -> ChangeOutcome:
    """Apply several department operations as ONE change with one report (§ 5). Each
    operation is a dict: ``{"op": "add", "name": …}``, ``{"op": "rename", "id": …,
    "name": …}``, ``{"op": "move", "id": …, "direction": "up"|"down"}``, ``{"op":
    "reorder", "order": [ids]}``, ``{"op": "active", "id": …, "active": bool}``,
    ``{"op": "translate", "names": {id: {lang: name}}}``. All or nothing: the first
    refusal (ValidationError, Department.DoesNotExist) undoes the others. ``result`` is
    the list of what each operation returned."""

    def apply():
        results, summary = [], []
        for operation in operations:
            result, said = _department_operation(office=office, actor=actor, operation=operation)
            results.append(result)
            summary += said
        return results, summary

    def check():
        for operation in operations:
            if operation.get("op") == "add":
                offices.department_name_clean(office=office, name=operation["name"])
            elif operation.get("op") == "rename":
                offices.department_name_clean(
                    office=office, name=operation["name"], exclude_pk=operation["id"]
                )

    return _visible_change(
        office=office, actor=actor, kind=Kind.DEPARTMENTS, apply=apply, check=check, job=job
    )


def _department(office: Office, pk) -> Department:
    return Department.objects.get(office=office, pk=int(pk))


def _department_operation(*, office: Office, actor, operation: dict) -> tuple[Any, list[str]]:
    op = operation.get("op")
    if op == "add":
        added = offices.department_create(office=office, actor=actor, name=operation["name"])
        return added, [f"dodano wydział „{added.name}”"]
    if op == "rename":
        department = _department(office, operation["id"])
        old = department.name
        renamed = offices.department_rename(
            office=office, actor=actor, department=department, name=operation["name"]
        )
        said = [f"„{old}” → „{renamed.name}”"] if renamed.name != old else []
        return renamed, said
    if op == "move":
        department = _department(office, operation["id"])
        moved = offices.department_move(
            office=office, actor=actor, department=department, direction=operation["direction"]
        )
        return moved, [f"zmieniono kolejność wydziałów („{department.name}”)"] if moved else []
    if op == "reorder":
        changed = offices.departments_reorder(office=office, actor=actor, order=operation["order"])
        return changed, ["zmieniono kolejność wydziałów"] if changed else []
    if op == "active":
        department = _department(office, operation["id"])
        was = department.is_active
        result = offices.department_set_active(
            office=office, actor=actor, department=department, is_active=bool(operation["active"])
        )
        if result.is_active == was:
            return result, []
        word = "włączono" if result.is_active else "wyłączono"
        return result, [f"{word} wydział „{result.name}”"]
    if op == "translate":
        names = {int(pk): value for pk, value in operation["names"].items()}
        count = department_names_translate(office=office, actor=actor, names=names)
        return count, [f"nazwy wydziałów w innych językach ({count})"] if count else []
    raise ValueError(f"unknown department operation {op!r}")


def _department_change_one(*, office: Office, actor, operation: dict) -> ChangeOutcome:
    """One department operation as its own change; the outcome's result is its result."""
    outcome = departments_change(office=office, actor=actor, operations=[operation])
    outcome.result = outcome.result[0]
    return outcome


def department_add(*, office: Office, actor, name: str) -> ChangeOutcome:
    """Add a department (§ 5: with the report of the results so far)."""
    return _department_change_one(office=office, actor=actor, operation={"op": "add", "name": name})


def department_rename(*, office: Office, actor, department: Department, name: str):
    return _department_change_one(
        office=office, actor=actor, operation={"op": "rename", "id": department.pk, "name": name}
    )


def department_move(*, office: Office, actor, department: Department, direction: str):
    return _department_change_one(
        office=office,
        actor=actor,
        operation={"op": "move", "id": department.pk, "direction": direction},
    )


def departments_reorder(*, office: Office, actor, order: list[int]) -> ChangeOutcome:
    """The whole order at once: one change, one report, however many places moved."""
    return _department_change_one(
        office=office, actor=actor, operation={"op": "reorder", "order": list(order)}
    )


def department_set_active(*, office: Office, actor, department: Department, is_active: bool):
    return _department_change_one(
        office=office,
        actor=actor,
        operation={"op": "active", "id": department.pk, "active": is_active},
    )


def department_names_translate_save(*, office: Office, actor, names: dict) -> ChangeOutcome:
    """Department names in the other languages, all together as one change."""
    return _department_change_one(
        office=office,
        actor=actor,
        operation={"op": "translate", "names": {str(k): v for k, v in names.items()}},
    )


# --- The survey --------------------------------------------------------------------------


def survey_publish(
    *, office: Office, actor, draft, revision: int | None = None, job: Job | None = None
) -> ChangeOutcome:
    """Publish the draft (``surveys.services.survey_version_publish``) with the report of
    the results so far (§ 5). The survey editor's refusals pass through (nothing stored);
    a report that cannot be made raises ``surveys.services.PublishFailed``."""

    def apply():
        version = surveys.survey_version_publish(
            office=office, actor=actor, draft=draft, revision=revision
        )
        return version, [f"opublikowano wersję {version.code}"]

    try:
        return _visible_change(
            office=office,
            actor=actor,
            kind=Kind.SURVEY_PUBLISH,
            apply=apply,
            check=lambda: surveys.survey_version_publish_check(
                office=office, draft=draft, revision=revision
            ),
            job=job,
        )
    except ReportNotDrawn as exc:
        raise surveys.PublishFailed(_publish_failed()) from exc


def _publish_failed() -> str:
    return _(
        "Nie udało się przygotować raportu z dotychczasowych wyników, więc ankieta nie "
        "została opublikowana — przed zmianą ankiety raport musi zostać zapisany "
        "w archiwum. Szkic jest bez zmian; spróbuj ponownie później albo powiadom "
        "operatora platformy."
    )


def survey_import_publish(
    *, office: Office, actor, definition: dict, replace_draft: bool = False
) -> ChangeOutcome:
    """Import ``definition`` (``surveys.exchange.survey_import``) and publish it at once,
    with the report of the results so far (§ 5) — all of it or nothing. ``result`` is
    the import's ``ImportResult``."""

    def apply():
        result = survey_import(
            office=office,
            actor=actor,
            definition=definition,
            publish=True,
            replace_draft=replace_draft,
        )
        return result, [f"opublikowano wersję {result.version.code}"]

    try:
        return _visible_change(office=office, actor=actor, kind=Kind.SURVEY_PUBLISH, apply=apply)
    except ReportNotDrawn as exc:
        raise surveys.PublishFailed(_publish_failed()) from exc


# --- In the background -------------------------------------------------------------------


def visible_change_in_background(*, office: Office) -> bool:
    """Should a visible change of ``office`` run as a job now (a new, long report)?"""
    return visible_change_plan(office=office).in_background


def visible_change_enqueue(*, office: Office, actor, operation: str, params: dict) -> Job:
    """Hand a § 5 change to a background job. ``operation``: ``office_data`` (params:
    ``data``, ``logo`` as {"content": base64, "extension": …} or None, ``remove_logo``),
    ``departments`` (params: ``operations``) or ``survey_publish`` (params: ``draft``
    id, ``revision``). The job draws the report and then makes the change, as
    ``_visible_change`` does; its result links the report."""
    titles = {
        "office_data": _("Raport z dotychczasowych wyników i zmiana danych urzędu"),
        "departments": _("Raport z dotychczasowych wyników i zmiana listy wydziałów"),
        "survey_publish": _("Raport z dotychczasowych wyników i publikacja ankiety"),
    }
    return job_enqueue(
        office=office,
        owner=actor,
        handler=visible_change_job,
        title=titles[operation],
        params={"operation": operation, **params},
    )


def logo_params(logo: CheckedLogo | None) -> dict | None:
    if logo is None:
        return None
    return {"content": base64.b64encode(logo.content).decode("ascii"), "extension": logo.extension}


@job_handler
def visible_change_job(job) -> dict:
    """Run a § 5 change handed over by ``visible_change_enqueue``. Idempotent: a change
    this job already stored (an earlier attempt died after its commit) is not made
    again."""
    done = VisibleChange.objects.filter(job=job.job).first()
    if done is not None:
        return _job_result(done)
    office, actor, params = job.office, job.owner, job.params
    job.progress(0, total=2, note=_("Przygotowanie raportu z dotychczasowych wyników"))
    operation = params.get("operation")
    try:
        if operation == "office_data":
            logo = params.get("logo")
            outcome = office_data_save(
                office=office,
                actor=actor,
                data=params["data"],
                logo=CheckedLogo(base64.b64decode(logo["content"]), logo["extension"])
                if logo
                else None,
                remove_logo=bool(params.get("remove_logo")),
                job=job.job,
            )
        elif operation == "departments":
            outcome = departments_change(
                office=office, actor=actor, operations=params["operations"], job=job.job
            )
        elif operation == "survey_publish":
            draft = SurveyVersion.objects.filter(office=office, pk=params["draft"]).first()
            outcome = survey_publish(
                office=office,
                actor=actor,
                draft=draft,
                revision=params.get("revision"),
                job=job.job,
            )
        else:
            raise JobError(_("Nieznany rodzaj zmiany."))
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from exc
    except (ReportNotDrawn, surveys.SurveyEditError) as exc:
        raise JobError(exc.message) from exc
    job.progress(2, total=2)
    if outcome.change is None:
        return {
            "message": _(
                "Zapisano. Zmiana nie jest widoczna dla mieszkańców — raportu nie archiwizowano."
            )
        }
    return _job_result(outcome.change)


def _job_result(change: VisibleChange) -> dict:
    message = _(
        "Zapisano zmianę (%(what)s) z raportem z dotychczasowych wyników nr %(number)d."
    ) % {
        "what": ", ".join(change.summary),
        "number": change.report_id,
    }
    link = {
        "route": "panel:archived-report-file",
        "args": [change.report_id, "pdf"],
        "label": _("Pobierz ten raport (PDF)"),
    }
    return {"message": message, "links": [link]}
