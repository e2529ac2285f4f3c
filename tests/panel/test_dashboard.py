from datetime import timedelta

import pytest
from django.utils import timezone

from ocenurzad.accounts.models import User
from ocenurzad.responses.models import Response
from ocenurzad.responses.selectors import response_counts

pytestmark = pytest.mark.django_db


def _response(office, when, channel="online", department=None):
    return Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel=channel,
        department=department,
        submitted_at=when,
        answers={"ocena_ogolna": 4},
    )


def test_counts_by_period_channel_and_department_per_office(office, other_office):
    now = timezone.now().replace(month=6, day=15, hour=12)
    komunikacja = office.departments.get(name="Wydział Komunikacji")
    _response(office, now, "online", komunikacja)
    _response(office, now - timedelta(days=1), "paper", komunikacja)  # this month
    _response(office, now - timedelta(days=40), "paper")  # this year
    _response(office, now - timedelta(days=400), "paper")  # last year: not counted
    _response(other_office, now, "online")  # another office: never counted

    counts = response_counts(office=office, now=now)

    periods = {p["key"]: p for p in counts["periods"]}
    assert periods["today"]["total"] == 1
    assert periods["today"]["channels"] == {"online": 1, "paper": 0, "kiosk": 0}
    assert periods["month"]["total"] == 2
    assert periods["year"]["total"] == 3
    assert periods["year"]["channels"]["paper"] == 2
    by_department = {d["department__name"]: d for d in counts["departments"]}
    assert by_department["Wydział Komunikacji"]["year"] == 2
    assert by_department[None]["year"] == 1


def test_dashboard_warns_that_the_yearly_report_is_due(client, office):
    admin = User.objects.create_user(username="a", password="x", office=office, role="office_admin")
    client.force_login(admin)
    _response(office, timezone.now())

    html = client.get(f"/{office.slug}/admin/pulpit/").content.decode()

    assert "Czas na raport roczny." in html
    assert "W systemie nie ma jeszcze żadnego raportu." in html


def test_dashboard_query_count_does_not_grow_with_responses(
    client, office, django_assert_max_num_queries
):
    admin = User.objects.create_user(username="a", password="x", office=office, role="office_admin")
    client.force_login(admin)
    for _ in range(30):
        _response(office, timezone.now(), department=office.departments.first())
    client.get(f"/{office.slug}/admin/pulpit/")  # satisfaction computed and kept
    # 12 for counts and the last report, 4 for the duties (yearly report, reminder settings,
    # who would be reminded, actions due), 3 for satisfaction kept (stamp, cache)
    with django_assert_max_num_queries(19):
        client.get(f"/{office.slug}/admin/pulpit/")


def test_the_kiosk_column_appears_only_where_kiosk_answers_exist(client, office):
    admin = User.objects.create_user(username="a", password="x", office=office, role="office_admin")
    client.force_login(admin)
    _response(office, timezone.now(), "online")

    without = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    _response(office, timezone.now(), "kiosk")
    with_kiosk = client.get(f"/{office.slug}/admin/pulpit/").content.decode()

    assert ">Kiosk</th>" not in without
    assert ">Kiosk</th>" in with_kiosk


def test_dashboard_shows_the_yearly_duty_and_actions_due(client, office):
    from datetime import timedelta

    from ocenurzad.accounts.models import Role, User
    from ocenurzad.actions.models import Action

    admin = User.objects.create_user(
        username="szefowa", password="x" * 12, role=Role.OFFICE_ADMIN, office=office
    )
    today = timezone.localdate()
    Action.objects.create(
        office=office,
        year=today.year,
        number=1,
        title="Spóźnione",
        owner_name="Jan",
        deadline=today - timedelta(days=3),
    )
    Action.objects.create(
        office=office,
        year=today.year,
        number=2,
        title="Wkrótce",
        owner_name="Jan",
        deadline=today + timedelta(days=3),
    )
    client.force_login(admin)
    body = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert f"Raportu rocznego za {today.year - 1} r. nie ma jeszcze w archiwum" in body
    assert "Nikt nie dostanie przypomnienia o raporcie rocznym" in body  # no e-mail anywhere
    assert "1 działanie po terminie" in body
    assert "1 z terminem w ciągu 14 dni" in body


def test_a_clerk_like_reporter_without_actions_sees_no_actions_part(client, office, other_office):
    from ocenurzad.accounts.models import Role, User
    from ocenurzad.actions.models import Action

    Action.objects.create(
        office=other_office,
        year=2026,
        number=1,
        title="Obce",
        owner_name="X",
        deadline=timezone.localdate(),
    )
    reporter = User.objects.create_user(
        username="raporty", password="x" * 12, role=Role.REPORTER, office=office
    )
    client.force_login(reporter)
    body = client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert "Żadne działanie nie jest po terminie" in body  # the other office's does not count
