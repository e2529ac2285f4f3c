"""Reminders: sent once (run twice, and twice at once), opt-out respected but never for the
person responsible named in the ordinance, Polish mails with the office's own links, the
yearly report archived on schedule once, after the grace date."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from ocenurzad.accounts.models import Role
from ocenurzad.actions import reminders as reminders_module
from ocenurzad.actions.models import Action, ReminderOptOut, ReminderSettings
from ocenurzad.actions.reminders import reminders_send, scheduled_archives
from ocenurzad.offices.models import OfficeDomain
from ocenurzad.reports.models import ArchivedReport

from .conftest import make_user

pytestmark = pytest.mark.django_db

FEB = date(2027, 2, 3)


@pytest.fixture
def people(office):
    ReminderSettings.objects.create(
        office=office,
        responsible_name="Sekretarz Miasta",
        responsible_email="sekretarz@swinoujscie.example",
    )
    admin = make_user(office, Role.OFFICE_ADMIN, email="admin@swinoujscie.example")
    reporter = make_user(office, Role.REPORTER, email="raporty@swinoujscie.example")
    quiet = make_user(office, Role.REPORTER, "cicha", email="cicha@swinoujscie.example")
    ReminderOptOut.objects.create(user=quiet)
    clerk = make_user(office, Role.CLERK, email="wprowadza@swinoujscie.example")
    return {"admin": admin, "reporter": reporter, "quiet": quiet, "clerk": clerk}


def _to(messages):
    return sorted(r for m in messages for r in m.to)


def test_the_yearly_reminder_goes_once_to_the_responsible_person_and_who_wants_it(office, people):
    reminders_send(today=FEB)
    reminders_send(today=FEB)  # the second run sends nothing more

    yearly = [m for m in mail.outbox if "raport roczny za 2026" in m.subject]
    assert _to(yearly) == [
        "admin@swinoujscie.example",
        "raporty@swinoujscie.example",
        "sekretarz@swinoujscie.example",
    ]
    body = yearly[0].body
    assert "Dzień dobry" in body and "co najmniej raz w roku" in body
    assert f"http://{office.slug}.localhost:8000/admin/raporty/" in body


def test_the_responsible_person_is_reminded_even_when_everyone_opted_out(office, people):
    for user in (people["admin"], people["reporter"]):
        ReminderOptOut.objects.create(user=user)
    reminders_send(today=FEB)
    assert _to(mail.outbox) == ["sekretarz@swinoujscie.example"]


def test_no_reminder_before_the_month_or_once_the_report_is_archived(office, people):
    ReminderSettings.objects.filter(office=office).update(yearly_report_month=3)
    reminders_send(today=FEB)
    assert mail.outbox == []

    ReminderSettings.objects.filter(office=office).update(yearly_report_month=1)
    _archive_2026(office)
    reminders_send(today=FEB)
    assert mail.outbox == []


def test_twice_at_once_sends_once(office, people, monkeypatch):
    """A second machine runs while the first is between claiming and sending."""
    real_send = reminders_module.send_mail
    calls = {"nested": False}

    def send_and_let_the_other_machine_run(*args, **kwargs):
        if not calls["nested"]:
            calls["nested"] = True
            reminders_send(today=FEB)  # the other machine, meanwhile
        return real_send(*args, **kwargs)

    monkeypatch.setattr(reminders_module, "send_mail", send_and_let_the_other_machine_run)
    reminders_send(today=FEB)

    recipients = _to(mail.outbox)
    assert len(recipients) == len(set(recipients)) == 3


def test_action_deadlines_remind_the_owner_once_and_again_after_a_new_deadline(office, people):
    ReminderSettings.objects.filter(office=office).update(yearly_report_month=12)
    action = Action.objects.create(
        office=office,
        year=2027,
        number=1,
        title="Nowe tablice",
        owner=people["reporter"],
        deadline=date(2027, 2, 8),
    )
    reminders_send(today=FEB)
    reminders_send(today=FEB)
    assert _to(mail.outbox) == ["raporty@swinoujscie.example"]
    assert "zbliża się termin działania DN/2027/01" in mail.outbox[0].subject
    assert f"/admin/dzialania/{action.pk}/" in mail.outbox[0].body

    reminders_send(today=date(2027, 2, 10))  # now overdue: one more
    assert "minął termin" in mail.outbox[-1].subject
    assert len(mail.outbox) == 2

    Action.objects.filter(pk=action.pk).update(deadline=date(2027, 2, 15))
    reminders_send(today=date(2027, 2, 10))  # a new deadline re-arms the "near" reminder
    assert len(mail.outbox) == 3


def test_an_opted_out_owner_is_not_mailed_and_an_outside_owner_goes_to_the_admins(office, people):
    ReminderSettings.objects.filter(office=office).update(yearly_report_month=12)
    Action.objects.create(
        office=office,
        year=2027,
        number=1,
        title="A",
        owner=people["quiet"],
        deadline=date(2027, 2, 1),
    )
    Action.objects.create(
        office=office,
        year=2027,
        number=2,
        title="B",
        owner_name="Jan spoza panelu",
        deadline=date(2027, 2, 1),
    )
    reminders_send(today=FEB)
    assert _to(mail.outbox) == ["admin@swinoujscie.example"]
    assert "DN/2027/02" in mail.outbox[0].subject


def test_links_use_the_offices_own_domain(office, people):
    OfficeDomain.objects.create(office=office, domain="ankieta.swinoujscie.example")
    reminders_send(today=FEB)
    assert "https://ankieta.swinoujscie.example/admin/raporty/" in mail.outbox[0].body


def test_offices_are_kept_apart(office, other_office, people):
    make_user(other_office, Role.OFFICE_ADMIN, "obcy", email="admin@ksiazki.example")
    reminders_send(today=FEB)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert office.name in by_recipient["admin@swinoujscie.example"].subject
    assert other_office.name in by_recipient["admin@ksiazki.example"].subject
    assert office.name not in by_recipient["admin@ksiazki.example"].body


def _archive_2026(office):
    from ocenurzad.reports.archive import archived_report_create
    from ocenurzad.reports.compute.report import report_compute

    report = report_compute(office=office, start=date(2026, 1, 1), end=date(2026, 12, 31))
    return archived_report_create(office=office, actor=None, report=report, reason="on_request")


def test_the_yearly_report_is_archived_on_schedule_once_after_the_grace_date(office):
    assert scheduled_archives(today=date(2027, 1, 31)) == []
    made = scheduled_archives(today=date(2027, 2, 1))
    again = scheduled_archives(today=date(2027, 2, 2))

    assert len(made) == 1 and again == []
    archived = ArchivedReport.objects.get(office=office)
    assert archived.reason == "scheduled"
    assert (archived.period_start, archived.period_end) == (date(2026, 1, 1), date(2026, 12, 31))


def test_the_command_runs_and_refuses_a_bad_date(office, people, capsys):
    call_command("reminders", "--today", "2027-01-20")  # before the grace date
    out = capsys.readouterr().out
    assert "Wysłano przypomnień: 3" in out
    with pytest.raises(Exception, match="RRRR-MM-DD"):
        call_command("reminders", "--today", "3.02.2027")


def test_settings_page_for_admins_opt_out_for_everyone(client, office, people):
    client.force_login(people["reporter"], backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/{office.slug}/admin/dzialania/przypomnienia/")
    assert page.status_code == 200 and "sekretarz@swinoujscie.example" in page.content.decode()
    refused = client.post(
        f"/{office.slug}/admin/dzialania/przypomnienia/ustawienia/", {"grace_day": 5}
    )
    assert refused.status_code == 403
    client.post(f"/{office.slug}/admin/dzialania/przypomnienia/moje/", {"wylacz": "1"})
    assert ReminderOptOut.objects.filter(user=people["reporter"]).exists()

    client.force_login(people["admin"], backend="django.contrib.auth.backends.ModelBackend")
    bad = client.post(
        f"/{office.slug}/admin/dzialania/przypomnienia/ustawienia/",
        {
            "responsible_email": "nie-adres",
            "yearly_report_month": 13,
            "grace_day": 40,
            "deadline_days": -1,
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Wpisz poprawny adres e-mail" in body and "Podaj dzień od 1 do 31" in body
    assert ReminderSettings.objects.get(office=office).grace_day == 31
    good = client.post(
        f"/{office.slug}/admin/dzialania/przypomnienia/ustawienia/",
        {
            "responsible_name": "Sekretarz",
            "responsible_email": "nowy@swinoujscie.example",
            "yearly_report_month": 2,
            "grace_day": 15,
            "deadline_days": 3,
        },
    )
    assert good.status_code == 302
    assert ReminderSettings.objects.get(office=office).grace_day == 15


def test_the_page_says_when_nobody_would_be_reminded(client, office):
    admin = make_user(office, Role.OFFICE_ADMIN)  # no e-mail
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(f"/{office.slug}/admin/dzialania/przypomnienia/").content.decode()
    assert "Nikt nie dostanie przypomnienia o raporcie rocznym" in body
