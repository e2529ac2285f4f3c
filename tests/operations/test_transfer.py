"""manage.py office export / import: one office with all its history moves to another
installation that already holds offices — new ids everywhere (inside stored JSON too), the
same report figures once ids are normalised, staff without passwords or 2FA, clashes
refused with a message."""

import shutil
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocenurzad.accounts.models import Role, User
from ocenurzad.actions.models import Action, ReminderClaim, ReminderOptOut, ReminderSettings
from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.models import Office
from ocenurzad.offices.services import OFFICE_DATA_FIELDS
from ocenurzad.operations.transfer import IdMaps, remap_json
from ocenurzad.printing.models import PrintLayout
from ocenurzad.reports.archive import archived_report_verify
from ocenurzad.reports.compute.report import report_compute
from ocenurzad.reports.models import ArchivedReport
from ocenurzad.responses.models import Channel, Response
from ocenurzad.surveys.models import SurveyVersion
from ocenurzad.workflows.models import VisibleChange
from ocenurzad.workflows.visible_changes import office_data_save

pytestmark = pytest.mark.django_db(transaction=True)

START, END = date(2020, 1, 1), timezone.localdate()


def normalised(figures: dict, office: Office) -> dict:
    """Figures with ids replaced by what they stand for (department names, version
    numbers) and the moment of drawing left out."""
    maps = IdMaps(
        departments={d.pk: d.name for d in office.departments.all()},
        versions={v.pk: v.number for v in SurveyVersion.objects.filter(office=office)},
    )
    for version in SurveyVersion.objects.filter(office=office):
        for section in version.definition.get("sections", []):
            for question in section.get("questions", []):
                if question.get("kind") == "department":
                    maps.department_keys.add(question["key"])
    figures = remap_json(figures, maps)
    meta = figures.get("meta", {})
    for key in ("generated_at", "generated_by"):
        meta.pop(key, None)
    figures.pop("generated_at", None)
    return figures


@pytest.fixture
def moving_office(office, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    departments = list(office.departments.all())
    version = SurveyVersion.objects.get(office=office, status="published")
    admin = User.objects.create(username="admin.przenoszony", office=office, role=Role.OFFICE_ADMIN)
    admin.set_password("Haslo-Do-Przeniesienia-1")
    admin.save()
    TOTPDevice.objects.create(user=admin, name="telefon", confirmed=True)
    for n in range(60):
        Response.objects.create(
            office=office,
            version=version,
            channel=Channel.PAPER if n % 3 == 0 else Channel.ONLINE,
            department=departments[n % len(departments)],
            submitted_at=timezone.now() - timedelta(days=n * 3),
            answers={"ocena_ogolna": 1 + (n * 7) % 5, "wizerunek_czystosc": 1 + n % 5},
            entered_by=admin if n % 3 == 0 else None,
        )
    # paper sheets of an urn emptied monthly: dated by the period, counted on its middle day
    for n in range(3):
        Response.objects.create(
            office=office,
            version=version,
            channel=Channel.PAPER,
            department=departments[0],
            submitted_at=datetime.combine(
                date(2025, 11, 15), time(12), tzinfo=timezone.get_current_timezone()
            ),
            period_start=date(2025, 11, 1),
            period_end=date(2025, 11, 30),
            answers={"ocena_ogolna": 1 + n},
            entered_by=admin,
        )
    department_key = next(
        q["key"]
        for s in version.definition["sections"]
        for q in s.get("questions", [])
        if q.get("kind") == "department"
    )
    PrintLayout.objects.create(
        office=office,
        version=version,
        language="pl",
        fingerprint="abc123",
        layout={"boxes": [{"key": department_key, "value": str(d.pk)} for d in departments]},
    )
    AuditEntry.objects.create(
        office=office,
        actor=admin,
        actor_name="Admin",
        action="department.rename",
        target_type="department",
        target_id=str(departments[0].pk),
        target_label=departments[0].name,
        before={"name": "Stara"},
        after={"name": departments[0].name},
    )
    moved_action = Action.objects.create(
        office=office,
        year=2025,
        number=1,
        title="Więcej ławek",
        department=departments[1],
        hotspot_id=f"item:wizerunek_czystosc|dept:{departments[1].pk}|2025",
        owner=admin,
        deadline=date(2025, 12, 31),
        created_by=admin,
    )
    ReminderSettings.objects.create(office=office, responsible_email="sekretarz@um.example")
    ReminderOptOut.objects.create(user=admin)
    ReminderClaim.objects.create(
        office=office, key=f"overdue:{moved_action.pk}:2025-12-31", recipient="a@um.example"
    )
    # a change residents see, with its report of the results so far (§ 5)
    data = {name: getattr(office, name) for name in OFFICE_DATA_FIELDS}
    office_data_save(office=office, actor=admin, data={**data, "opening_hours": "pn–pt 8–16"})
    return office


def test_export_then_import_elsewhere_gives_the_same_figures(moving_office, make_office, tmp_path):
    office = moving_office
    old_ids = {
        "office": office.pk,
        "departments": set(office.departments.values_list("pk", flat=True)),
        "versions": set(SurveyVersion.objects.filter(office=office).values_list("pk", flat=True)),
    }
    first = office.departments.order_by("position").first()
    before = {
        "all": normalised(report_compute(office=office, start=START, end=END), office),
        "department": normalised(
            report_compute(office=office, start=START, end=END, department_id=first.pk), office
        ),
        "archived": normalised(ArchivedReport.objects.get(office=office).figures, office),
    }
    archived_sha = ArchivedReport.objects.get(office=office).sha256
    call_command(
        "office", "export", office.slug, "-o", str(tmp_path / "urzad.tar"), stdout=StringIO()
    )

    # Another installation, which already holds offices of its own.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(tmp_path / "media")
    make_office(slug="ksiazki", departments=("Referat Podatków", "Sekretariat", "USC"))
    make_office(slug="inny", departments=("A", "B", "C", "D"))
    # The flush started the ids again from 1: these offices of the other installation take
    # the numbers the moved office's rows had, so an id kept from the archive would show
    # (else whether the new ids happen to differ depends on the tests run before).
    filler = make_office(
        slug="zapelniacz", departments=[f"W{n}" for n in range(max(old_ids["departments"]))]
    )
    for number in range(max(old_ids["versions"])):
        SurveyVersion.objects.create(
            office=filler,
            survey=filler.survey,
            number=number + 2,
            status=SurveyVersion.Status.PUBLISHED,
            published_at=timezone.now(),
            definition={},
        )
    for number in range(old_ids["office"]):
        Office.objects.create(slug=f"zapelniacz-{number}", name="Z")
    out = StringIO()
    call_command("office", "import", str(tmp_path / "urzad.tar"), stdout=out)

    moved = Office.objects.get(slug=office.slug)
    assert "Wczytano urząd" in out.getvalue()
    assert moved.pk != old_ids["office"]
    assert not set(moved.departments.values_list("pk", flat=True)) & old_ids["departments"]
    versions = set(SurveyVersion.objects.filter(office=moved).values_list("pk", flat=True))
    assert not versions & old_ids["versions"]
    first_moved = moved.departments.get(name=first.name)
    assert normalised(report_compute(office=moved, start=START, end=END), moved) == before["all"]
    assert (
        normalised(
            report_compute(office=moved, start=START, end=END, department_id=first_moved.pk),
            moved,
        )
        == before["department"]
    )
    archived = ArchivedReport.objects.get(office=moved)
    assert normalised(archived.figures, moved) == before["archived"]
    assert archived.sha256 == archived_sha
    assert archived_report_verify(archived=archived) is True
    change = VisibleChange.objects.get(office=moved)
    assert (change.report, change.actor.office, change.summary) == (
        archived,
        moved,
        ["godziny otwarcia"],
    )
    # ids inside stored JSON point at the moved office's own rows
    layout = PrintLayout.objects.get(office=moved).layout
    moved_ids = {str(pk) for pk in moved.departments.values_list("pk", flat=True)}
    assert {box["value"] for box in layout["boxes"]} == moved_ids
    entry = AuditEntry.objects.get(office=moved, action="department.rename")
    assert entry.target_id == str(moved.departments.get(name=entry.target_label).pk)
    action = Action.objects.get(office=moved)
    assert action.department.office == moved
    assert action.owner.office == moved
    # the hot spot it was made from names the moved department
    assert action.hotspot_id == f"item:wizerunek_czystosc|dept:{action.department_id}|2025"
    # reminders: the settings, who switched them off, and the mails already sent
    assert ReminderSettings.objects.get(office=moved).responsible_email == "sekretarz@um.example"
    assert ReminderOptOut.objects.filter(user__office=moved).count() == 1
    claim = ReminderClaim.objects.get(office=moved)
    assert claim.key == f"overdue:{action.pk}:2025-12-31"
    # staff move without a password or a second factor
    admin = User.objects.get(username="admin.przenoszony")
    assert admin.office == moved
    assert not admin.has_usable_password()
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert Response.objects.filter(office=moved, entered_by=admin).count() == 23
    # sheets dated by a period keep it, and reports still say how many there are
    periods = Response.objects.filter(office=moved, period_start__isnull=False)
    assert set(periods.values_list("period_start", "period_end")) == {
        (date(2025, 11, 1), date(2025, 11, 30))
    }
    assert periods.count() == 3
    november = report_compute(office=moved, start=date(2025, 11, 1), end=date(2025, 11, 30))
    assert november["method"]["dated_by_period"] == {"responses": 3, "outside": 0}
    # the other offices are untouched
    assert Office.objects.get(slug="ksiazki").departments.count() == 3


def test_a_clashing_slug_or_username_is_refused_with_a_message(moving_office, tmp_path):
    call_command(
        "office", "export", moving_office.slug, "-o", str(tmp_path / "u.tar"), stdout=StringIO()
    )
    offices_before = Office.objects.count()

    with pytest.raises(CommandError, match="już jest w tej instalacji") as refused:
        call_command("office", "import", str(tmp_path / "u.tar"), stdout=StringIO())

    assert "admin.przenoszony" in str(refused.value)  # the username clashes too
    assert Office.objects.count() == offices_before
    with pytest.raises(CommandError, match="loginy są już zajęte"):
        call_command(
            "office", "import", str(tmp_path / "u.tar"), "--slug", "nowy", stdout=StringIO()
        )


def test_a_damaged_export_is_refused(moving_office, tmp_path):
    call_command(
        "office", "export", moving_office.slug, "-o", str(tmp_path / "u.tar"), stdout=StringIO()
    )
    data = bytearray((tmp_path / "u.tar").read_bytes())
    spot = data.find(b'"wizerunek_czystosc": ')
    data[spot + 2] ^= 0x20
    (tmp_path / "zly.tar").write_bytes(bytes(data))

    with pytest.raises(CommandError, match=r"Suma kontrolna data/responses\.jsonl"):
        call_command("office", "import", str(tmp_path / "zly.tar"), stdout=StringIO())


def test_export_of_an_unknown_office_is_refused(db):
    with pytest.raises(CommandError, match="Nie ma urzędu o adresie „nie-ma”"):
        call_command("office", "export", "nie-ma", stdout=StringIO())
