"""Reminders and the schedule of the yearly duty, run by ``manage.py reminders`` (cron, a
systemd timer or the nightly job; idempotent).

- The yearly report: from the configured month on, until a report covering the whole
  previous year is archived, the person responsible named in the office's ordinance
  always gets one reminder a year; office administrators and reporters get it too unless
  they switched reminders off.
- Actions: one mail when an open action's deadline is near, one when it has passed (per
  deadline: moving the deadline re-arms them), to its owner's account — or, for an owner
  outside the panel, to the office administrators.
- An optional monthly digest.
- After the grace date (default 31 January: the December paper backlog), the previous
  year's report is archived with reason "scheduled" if nobody archived one.

Every mail is claimed (ReminderClaim, unique per key and recipient) in its own transaction
BEFORE it is sent, so two runs — or two machines at once — send it once. A mail whose
sending fails stays claimed and is not retried (at most one, never two).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.offices.models import Office
from ocenurzad.reports.archive import archived_report_create
from ocenurzad.reports.compute.report import report_compute
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response

from .models import Action, ActionStatus, ReminderClaim, ReminderSettings

logger = logging.getLogger(__name__)
OPEN = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Mail:
    office: Office
    key: str
    recipient: str
    subject: str
    body: str


def reminder_settings(*, office: Office) -> ReminderSettings:
    """The office's settings, or the defaults (unsaved) when it never set any."""
    found = ReminderSettings.objects.filter(office=office).first()
    return found or ReminderSettings(office=office)


def office_panel_url(office: Office, path: str = "") -> str:
    """The absolute address of the office's panel page ``path`` (under /admin/), at the
    office's own address: its custom domain, else <slug>.<BASE_DOMAIN>."""
    domain = office.domains.order_by("pk").values_list("domain", flat=True).first()
    template = getattr(settings, "OFFICE_URL_TEMPLATE", "")
    if domain:
        base = f"https://{domain}"
    elif template:
        base = template.format(slug=office.slug, base_domain=settings.BASE_DOMAIN).rstrip("/")
    elif settings.BASE_DOMAIN == "localhost":
        base = f"http://{office.slug}.localhost:8000"
    else:
        base = f"https://{office.slug}.{settings.BASE_DOMAIN}"
    return f"{base}/admin/{path}"


def _staff(office: Office, roles) -> list[User]:
    return list(
        User.objects.filter(office=office, is_active=True, role__in=roles)
        .exclude(email="")
        .exclude(reminder_opt_out__isnull=False)
        .order_by("pk")
    )


def yearly_recipients(*, office: Office, config: ReminderSettings) -> list[str]:
    emails = [config.responsible_email] if config.responsible_email else []
    emails += [u.email for u in _staff(office, (Role.OFFICE_ADMIN, Role.REPORTER))]
    return list(dict.fromkeys(e.lower() for e in emails))


def yearly_report_archived(*, office: Office, year: int) -> bool:
    return ArchivedReport.objects.filter(
        office=office, period_start__lte=date(year, 1, 1), period_end__gte=date(year, 12, 31)
    ).exists()


def _render(template: str, context: dict) -> tuple[str, str]:
    text = render_to_string(template, context).strip()
    subject, _blank, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"


def _yearly_mails(office, config, today) -> list[Mail]:
    year = today.year - 1
    if today.month < config.yearly_report_month or yearly_report_archived(office=office, year=year):
        return []
    subject, body = _render(
        "actions/mail/yearly.txt",
        {
            "office": office,
            "year": year,
            "reports_url": office_panel_url(office, "raporty/"),
            "responsible": config.responsible_name,
        },
    )
    return [
        Mail(office, f"yearly:{year}", email, subject, body)
        for email in yearly_recipients(office=office, config=config)
    ]


def _action_recipients(office, action) -> list[str]:
    owner = action.owner
    if owner is not None and owner.is_active and owner.email:
        if not hasattr(owner, "reminder_opt_out"):
            return [owner.email.lower()]
        return []
    return [u.email.lower() for u in _staff(office, (Role.OFFICE_ADMIN,))]


def _action_mails(office, config, today) -> list[Mail]:
    mails = []
    soon = today + timedelta(days=config.deadline_days)
    for action in Action.objects.filter(
        office=office, status__in=OPEN, deadline__lte=soon
    ).select_related("owner"):
        kind = "overdue" if action.deadline < today else "deadline-soon"
        subject, body = _render(
            "actions/mail/deadline.txt",
            {
                "office": office,
                "action": action,
                "overdue": kind == "overdue",
                "url": office_panel_url(office, f"dzialania/{action.pk}/"),
            },
        )
        key = f"{kind}:{action.pk}:{action.deadline.isoformat()}"
        mails += [
            Mail(office, key, email, subject, body) for email in _action_recipients(office, action)
        ]
    return mails


def _digest_mails(office, config, today) -> list[Mail]:
    if not config.monthly_digest:
        return []
    month_start = today.replace(day=1)
    last_month = (month_start - timedelta(days=1)).replace(day=1)
    count = Response.objects.filter(
        office=office,
        submitted_at__date__gte=last_month,
        submitted_at__date__lt=month_start,
    ).count()
    open_actions = Action.objects.filter(office=office, status__in=OPEN)
    subject, body = _render(
        "actions/mail/digest.txt",
        {
            "office": office,
            "month": last_month,
            "responses": count,
            "open": open_actions.count(),
            "overdue": open_actions.filter(deadline__lt=today).count(),
            "url": office_panel_url(office, ""),
        },
    )
    recipients = [u.email.lower() for u in _staff(office, (Role.OFFICE_ADMIN, Role.REPORTER))]
    return [Mail(office, f"digest:{month_start:%Y-%m}", e, subject, body) for e in recipients]


def _claim(mail: Mail) -> ReminderClaim | None:
    try:
        with transaction.atomic():
            return ReminderClaim.objects.create(
                office=mail.office, key=mail.key, recipient=mail.recipient
            )
    except IntegrityError:
        return None


def reminders_due(*, office: Office, today: date | None = None) -> list[Mail]:
    """What this run would send for the office (before claims)."""
    today = today or timezone.localdate()
    config = reminder_settings(office=office)
    return (
        _yearly_mails(office, config, today)
        + _action_mails(office, config, today)
        + _digest_mails(office, config, today)
    )


def reminders_send(*, today: date | None = None, offices=None) -> list[Mail]:
    """Send every due, unclaimed reminder of every active office; returns what was sent."""
    today = today or timezone.localdate()
    offices = offices if offices is not None else Office.objects.filter(is_active=True)
    sent = []
    for office in offices:
        for mail in reminders_due(office=office, today=today):
            claim = _claim(mail)
            if claim is None:
                continue
            send_mail(mail.subject, mail.body, None, [mail.recipient])
            ReminderClaim.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
            sent.append(mail)
    return sent


def nobody_reminded(*, office: Office) -> bool:
    """True when no one would receive the yearly-report reminder (for the dashboard)."""
    config = reminder_settings(office=office)
    return not yearly_recipients(office=office, config=config)


def scheduled_archive_due(*, office: Office, today: date) -> int | None:
    """The year whose report is to be archived on schedule today, or None."""
    config = reminder_settings(office=office)
    year = today.year - 1
    grace = date(today.year, 1, min(max(config.grace_day, 1), 31))
    if not config.scheduled_archive or today <= grace:
        return None
    if yearly_report_archived(office=office, year=year):
        return None
    return year


def scheduled_archives(*, today: date | None = None, offices=None) -> list[ArchivedReport]:
    """Archive the previous year's report, with reason "scheduled", for every active office
    that has none after its grace date. Claimed first (two runs archive once)."""
    today = today or timezone.localdate()
    offices = offices if offices is not None else Office.objects.filter(is_active=True)
    made = []
    for office in offices:
        year = scheduled_archive_due(office=office, today=today)
        if year is None:
            continue
        claim = _claim(Mail(office, f"scheduled-archive:{year}", "-", "", ""))
        if claim is None:
            continue
        try:
            report = report_compute(
                office=office,
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                compare=True,
                generated_by="system",
            )
            archived = archived_report_create(
                office=office,
                actor=None,
                report=report,
                reason=ArchivedReport.Reason.SCHEDULED,
                note="Raport roczny zarchiwizowany automatycznie po terminie.",
            )
        except Exception:
            # Not archived: release the claim so that the next run tries again.
            ReminderClaim.objects.filter(pk=claim.pk).delete()
            logger.exception("scheduled archive failed for office %s", office.pk)
            continue
        made.append(archived)
        ReminderClaim.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return made


CLAIMS_KEEP_DAYS = 400  # a yearly reminder's claim must outlive the year it is sent in


def reminder_claims_purge(*, now=None) -> int:
    """Forget claims older than CLAIMS_KEEP_DAYS that no run can make again (the yearly
    reminder, the digest and the scheduled archive name their year or month; a deadline's
    reminders name it): only the "overdue" claim of an action still open with the same
    deadline is kept — it would be sent again. Returns how many were deleted."""
    now = now or timezone.now()
    old = ReminderClaim.objects.filter(claimed_at__lt=now - timedelta(days=CLAIMS_KEEP_DAYS))
    keep = []
    for pk, key in old.filter(key__startswith="overdue:").values_list("pk", "key"):
        parts = key.split(":")
        try:
            action_id, deadline = int(parts[1]), date.fromisoformat(parts[2])
        except (IndexError, ValueError):
            continue
        if Action.objects.filter(pk=action_id, status__in=OPEN, deadline=deadline).exists():
            keep.append(pk)
    deleted, _by_model = old.exclude(pk__in=keep).delete()
    return deleted
