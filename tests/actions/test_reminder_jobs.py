"""Reminders as background jobs queued by the nightly run: once a day per office, each mail
once however often the night or the command runs; old claims purged but never one that
would send a mail again; the archive says how many responses came in after a report."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ocenurzad.accounts.models import Role
from ocenurzad.actions.jobs import reminders_enqueue
from ocenurzad.actions.models import Action, ReminderClaim, ReminderSettings
from ocenurzad.actions.reminders import reminder_claims_purge, reminders_send
from ocenurzad.jobs.models import Job
from ocenurzad.jobs.services import job_execute
from ocenurzad.reports.archive import archived_report_create, archived_reports_late_counts
from ocenurzad.reports.compute import report_compute
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Response

from .conftest import make_user

pytestmark = pytest.mark.django_db
FEB = date(2027, 2, 3)


@pytest.fixture
def people(office):
    ReminderSettings.objects.create(
        office=office, responsible_name="Sekretarz", responsible_email="sekretarz@um.example"
    )
    make_user(office, Role.OFFICE_ADMIN, email="admin@um.example")


def test_the_nights_job_sends_each_mail_once_however_often_it_runs(office, other_office, people):
    jobs = reminders_enqueue(today=FEB)
    again = reminders_enqueue(today=FEB)  # a second night run the same day
    assert [j.pk for j in again] == [j.pk for j in jobs]
    assert Job.objects.count() == 2  # one job per office

    for job in jobs:
        assert job_execute(job_id=job.pk, worker="w1").state == Job.State.SUCCEEDED
    first = sorted(r for m in mail.outbox for r in m.to)
    reminders_send(today=FEB)  # the command run by cron as well
    call_command("reminders", "--today", FEB.isoformat(), stdout=StringIO())

    assert first == ["admin@um.example", "sekretarz@um.example"]
    assert len(mail.outbox) == 2
    job = Job.objects.get(office=office)
    assert job.result["sent"] == 2


def test_nightly_queues_the_reminders_jobs(office):
    out = StringIO()
    call_command("nightly", "--no-warm", stdout=out)
    call_command("nightly", "--no-warm", stdout=out)
    key = f"reminders:{office.pk}:{timezone.localdate().isoformat()}"
    assert Job.objects.filter(key=key).count() == 1
    assert "przypomnienia i raport roczny według harmonogramu: 1" in out.getvalue()


def test_old_claims_are_purged_but_not_one_that_would_send_again(office):
    today = timezone.localdate()
    open_overdue = Action.objects.create(
        office=office, year=2025, number=1, title="A", owner_name="J", deadline=date(2025, 1, 10)
    )
    done = Action.objects.create(
        office=office,
        year=2025,
        number=2,
        title="B",
        owner_name="J",
        deadline=date(2025, 1, 10),
        status="done",
        done_on=date(2025, 2, 1),
    )
    keys = [
        "yearly:2024",
        f"overdue:{open_overdue.pk}:2025-01-10",
        f"overdue:{done.pk}:2025-01-10",
        "digest:2025-01",
    ]
    for key in keys:
        claim = ReminderClaim.objects.create(office=office, key=key, recipient="a@um.example")
        ReminderClaim.objects.filter(pk=claim.pk).update(
            claimed_at=timezone.now() - timedelta(days=401)
        )
    ReminderClaim.objects.create(office=office, key=f"yearly:{today.year - 1}", recipient="a@x.pl")

    assert reminder_claims_purge() == 3
    assert sorted(ReminderClaim.objects.values_list("key", flat=True)) == sorted(
        [f"overdue:{open_overdue.pk}:2025-01-10", f"yearly:{today.year - 1}"]
    )
    out = StringIO()
    call_command("nightly", "--no-warm", stdout=out)
    assert "potwierdzenia wysłanych przypomnień sprzed ponad roku: 0" in out.getvalue()


def _response(office, *, submitted, entered=None, channel="paper", department=None):
    return Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=channel,
        department=department,
        submitted_at=submitted,
        entered_at=entered,
        answers={"ocena_ogolna": 4},
    )


def test_the_archive_says_how_many_responses_of_its_period_came_in_later(
    client, office, other_office
):
    tz = timezone.get_current_timezone()
    made = timezone.now()
    year = made.year - 1
    noon = datetime(year, 12, 15, 12, tzinfo=tz)
    _response(office, submitted=noon, entered=made - timedelta(days=1))  # before: not late
    report = report_compute(office=office, start=date(year, 1, 1), end=date(year, 12, 31))
    archived = archived_report_create(
        office=office, actor=None, report=report, reason=ArchivedReport.Reason.SCHEDULED
    )
    _response(office, submitted=noon, entered=made + timedelta(hours=1))  # the December backlog
    _response(office, submitted=noon, entered=made + timedelta(hours=2))
    _response(office, submitted=datetime(year + 1, 1, 2, 12, tzinfo=tz), entered=made)  # later
    _response(other_office, submitted=noon, entered=made + timedelta(hours=1))  # elsewhere

    counts = archived_reports_late_counts(office=office, reports=[archived])

    assert counts == {archived.pk: 2}
    admin = make_user(office, Role.OFFICE_ADMIN)
    client.force_login(admin)
    page = client.get(f"/{office.slug}/admin/raporty/archiwum/").content.decode()
    assert "ankiety z tego okresu wprowadzone później: 2" in page
