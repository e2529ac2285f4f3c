"""The panel's office pages: office data and logo, departments, the operator's offices."""

import os
import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ocenurzad.accounts.models import User
from ocenurzad.audit.models import AuditEntry
from ocenurzad.offices.logo import LogoRejected, logo_check
from ocenurzad.offices.models import Department, Office
from ocenurzad.offices.selectors import departments_for_panel, offices_for_operator
from ocenurzad.offices.services import (
    department_create,
    office_change_affects_survey,
    office_update,
)
from ocenurzad.responses.models import Response
from ocenurzad.surveys.models import Survey
from ocenurzad.workflows.onboarding import office_create
from tests.conftest import form_token

pytestmark = pytest.mark.django_db

SVG_REFUSED = (
    "Plik SVG zawiera elementy, których nie akceptujemy (np. skrypty) — zapisz logo jako PNG."
)
CLEAN_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 64 64"><defs><linearGradient id="g"><stop offset="0" stop-color="#0b3d75"/>'
    b'</linearGradient></defs><circle cx="32" cy="32" r="30" fill="url(#g)"/>'
    b'<use xlink:href="#g"/><text x="10" y="40">UM</text></svg>'
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_user(office, role, username=None):
    return User.objects.create_user(
        username=username or f"{role}-{office.slug if office else 'platform'}",
        password="Niełatwe-hasło-2024",
        office=office,
        role=role,
        first_name="Anna",
        last_name="Nowak",
    )


def log_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def admin_client(client, office):
    return log_in(client, make_user(office, "office_admin"))


@pytest.fixture
def operator_client(client, office):
    return log_in(client, make_user(None, "operator"))


def png_bytes(size=(120, 60), color=(11, 61, 117)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def office_form_data(office, **changes) -> dict:
    data = {
        name: getattr(office, name)
        for name in (
            "name",
            "office_type",
            "street_address",
            "postal_code",
            "city",
            "phone",
            "email",
            "website",
            "bip_url",
            "opening_hours",
            "controller",
            "dpo_contact",
            "accessibility_contact",
        )
    }
    data["languages"] = list(office.languages)
    if office.require_2fa:
        data["require_2fa"] = "on"
    data.update(changes)
    return data


def survey_department_options(client, office) -> list[str]:
    page = client.get(f"/{office.slug}/").content.decode()
    select = re.search(r'<select[^>]*name="q_wydzial".*?</select>', page, re.S)
    assert select, "the resident survey has no department question"
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(0))


# Office data


def test_office_admin_sees_the_form_with_the_current_data(admin_client, office):
    page = admin_client.get(f"/{office.slug}/admin/urzad/")

    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_name">Nazwa urzędu' in html
    assert f'value="{office.name}"' in html
    assert 'aria-describedby="id_postal_code_helptext"' in html
    assert "Polski" in html and "(zawsze włączony)" in html
    assert 'lang="uk">Українська</label>' in html
    assert "style=" not in html and "<script" not in html


def test_saving_office_data_changes_the_office_and_the_resident_survey_header(admin_client, office):
    data = office_form_data(
        office,
        name="Urząd Miasta Świnoujście",
        postal_code="72-600",
        city="Świnoujście",
        email="sekretariat@um.swinoujscie.pl",
        languages=["en", "uk"],
        require_2fa="",
    )

    result = admin_client.post(f"/{office.slug}/admin/urzad/", data)

    # Ukrainian was switched on: the page says what it still lacks before it is offered
    assert result.status_code == 302
    assert result["Location"] == f"/{office.slug}/admin/ankieta/jezyki/"
    office.refresh_from_db()
    assert office.name == "Urząd Miasta Świnoujście"
    assert office.postal_code == "72-600"
    assert office.languages == ["en", "uk"]
    status = admin_client.get(result["Location"]).content.decode()
    assert "Włączony język jest oferowany mieszkańcom dopiero wtedy" in status
    assert "nie jest oferowany mieszkańcom" in status
    assert "Nazwa wydziału „Wydział Komunikacji”" in status
    survey = admin_client.get(f"/{office.slug}/").content.decode()
    assert "<span>Urząd Miasta Świnoujście</span>" in survey
    assert 'hreflang="en"' in survey
    assert 'hreflang="uk"' not in survey  # its departments have no Ukrainian names yet
    # Once every department has its Ukrainian name, residents are offered Ukrainian
    names = {
        f"d{d.pk}_{lang}": f"{d.name} ({lang})"
        for d in office.departments.all()
        for lang in ("en", "uk")
    }
    saved = admin_client.post(f"/{office.slug}/admin/urzad/wydzialy/tlumaczenia/", names)
    assert saved.status_code == 302
    survey = admin_client.get(f"/{office.slug}/").content.decode()
    assert 'hreflang="uk"' in survey


def test_renaming_the_office_in_the_panel_archives_a_report_first(admin_client, office):
    # § 5 of the ordinances: the office's name is printed on the survey.
    from ocenurzad.reports.models import ArchivedReport

    result = admin_client.post(
        f"/{office.slug}/admin/urzad/", office_form_data(office, name="Urząd Miasta Ś.")
    )

    assert result.status_code == 302
    archived = ArchivedReport.objects.get(office=office)
    assert archived.reason == "before_office_change"


def test_a_failed_report_keeps_the_office_data_unchanged(admin_client, office, monkeypatch):
    from ocenurzad.reports import archive

    def broken(**kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(archive, "report_pdf", broken)
    result = admin_client.post(
        f"/{office.slug}/admin/urzad/", office_form_data(office, name="Inna nazwa")
    )

    assert result.status_code in (200, 400)
    office.refresh_from_db()
    assert office.name != "Inna nazwa"


def test_saving_office_data_records_one_audit_entry_with_only_the_changed_fields(
    admin_client, office
):
    old_name = office.name

    admin_client.post(
        f"/{office.slug}/admin/urzad/",
        office_form_data(office, name="Urząd Miasta Świnoujście", postal_code="72-600"),
    )

    entry = AuditEntry.objects.get(office=office, action="office.update")
    assert entry.actor.username == "office_admin-swinoujscie"
    # § 5: the name is shown to residents, so the change came with its report
    assert AuditEntry.objects.filter(office=office, action="report.before_change").count() == 1
    assert entry.before == {"name": old_name, "postal_code": ""}
    assert entry.after == {"name": "Urząd Miasta Świnoujście", "postal_code": "72-600"}


def test_saving_unchanged_office_data_records_nothing(admin_client, office):
    result = admin_client.post(f"/{office.slug}/admin/urzad/", office_form_data(office))

    assert result.status_code == 302
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "label", "message"),
    [
        ("email", "sekretariat(at)gmina", "Adres e-mail urzędu", "Wpisz poprawny adres e-mail"),
        ("postal_code", "72600", "Kod pocztowy", "Wpisz kod pocztowy w postaci NN-NNN"),
        ("website", "strona gminy", "Strona internetowa", "Wpisz pełny adres strony"),
        ("bip_url", "http://", "Adres BIP", "Wpisz pełny adres strony"),
    ],
)
def test_invalid_office_data_is_shown_with_the_field_named_and_nothing_is_saved(
    admin_client, office, field, value, label, message
):
    old_name = office.name
    data = office_form_data(office, name="Nowa nazwa", **{field: value})

    result = admin_client.post(f"/{office.slug}/admin/urzad/", data)

    assert result.status_code == 400
    html = result.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'<a href="#id_{field}">{label}: {message}' in summary
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert f'aria-describedby="id_{field}' in html and 'aria-invalid="true"' in html
    assert "<title>Błąd:" in html
    office.refresh_from_db()
    assert office.name == old_name
    assert not AuditEntry.objects.exists()


def test_office_update_runs_the_before_change_hook_before_saving(office):
    seen = {}

    def before_change(*, office, before, after):
        seen["stored_name"] = Office.objects.get(pk=office.pk).name
        seen["before"], seen["after"] = before, after

    office_update(
        office=office,
        actor=None,
        data={"name": "Nowa nazwa", "phone": "91 1"},
        before_change=before_change,
    )

    assert seen["stored_name"] == "Urząd Swinoujscie"
    assert seen["before"] == {"name": "Urząd Swinoujscie", "phone": ""}
    assert seen["after"] == {"name": "Nowa nazwa", "phone": "91 1"}
    assert office_change_affects_survey(seen["before"], seen["after"])


def test_office_update_saves_nothing_when_the_hook_refuses(office):
    def before_change(**kwargs):
        raise RuntimeError("report failed")

    with pytest.raises(RuntimeError):
        office_update(
            office=office,
            actor=None,
            data={"name": "Nowa nazwa"},
            logo=logo_check(BytesIO(png_bytes())),
            before_change=before_change,
        )

    office.refresh_from_db()
    assert office.name == "Urząd Swinoujscie"
    assert not office.logo
    assert not AuditEntry.objects.exists()


def test_only_changes_residents_see_affect_the_survey():
    assert office_change_affects_survey({"logo": ""}, {"logo": "logos/a/b.png"})
    assert office_change_affects_survey({"dpo_contact": "a"}, {"dpo_contact": "b"})
    assert not office_change_affects_survey({"require_2fa": False}, {"require_2fa": True})
    assert not office_change_affects_survey({"name": "A"}, {"name": "A"})


# Logo


def upload_logo(client, office, content: bytes, name: str):
    data = office_form_data(office)
    data["logo"] = SimpleUploadedFile(name, content)
    return client.post(f"/{office.slug}/admin/urzad/", data)


def test_a_png_logo_is_stored_under_a_random_name_and_served(admin_client, office, settings):
    result = upload_logo(admin_client, office, png_bytes(), "Herb gminy.png")

    assert result.status_code == 302
    office.refresh_from_db()
    assert re.fullmatch(r"logos/swinoujscie/[0-9a-f]{32}\.png", office.logo.name)
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, office.logo.name))
    entry = AuditEntry.objects.exclude(action="report.before_change").get(office=office)
    assert entry.before == {"logo": ""}
    assert entry.after == {"logo": office.logo.name}
    served = admin_client.get(f"/{office.slug}/logo")
    assert served["Content-Type"] == "image/png"


def test_a_png_named_jpg_is_accepted_by_its_content(admin_client, office):
    result = upload_logo(admin_client, office, png_bytes(), "logo.jpg")

    assert result.status_code == 302
    office.refresh_from_db()
    assert office.logo.name.endswith(".png")


def test_a_jpeg_logo_is_accepted(admin_client, office):
    buffer = BytesIO()
    Image.new("RGB", (80, 80), (200, 30, 30)).save(buffer, "JPEG")

    result = upload_logo(admin_client, office, buffer.getvalue(), "herb.jpeg")

    assert result.status_code == 302
    office.refresh_from_db()
    assert office.logo.name.endswith(".jpg")


def test_a_text_file_named_png_is_refused_and_nothing_is_saved(admin_client, office):
    data = office_form_data(office, name="Nowa nazwa")
    data["logo"] = SimpleUploadedFile("logo.png", b"To nie jest obraz, tylko tekst.\n")

    result = admin_client.post(f"/{office.slug}/admin/urzad/", data)

    assert result.status_code == 400
    html = result.content.decode()
    assert '<a href="#id_logo">Nowe logo: Logo musi być obrazem PNG, JPEG albo SVG.' in html
    office.refresh_from_db()
    assert office.name != "Nowa nazwa"
    assert not office.logo


def test_a_logo_over_one_megabyte_is_refused(admin_client, office):
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 1024 * 1024

    result = upload_logo(admin_client, office, buffer.getvalue(), "logo.png")

    assert result.status_code == 400
    assert "Plik logo jest za duży" in result.content.decode()
    office.refresh_from_db()
    assert not office.logo


def test_a_logo_wider_than_2000_pixels_is_refused():
    with pytest.raises(LogoRejected, match="2001 na 10 pikseli"):
        logo_check(BytesIO(png_bytes(size=(2001, 10))))


def test_a_clean_svg_logo_is_accepted_and_served_with_a_strict_policy(admin_client, office):
    result = upload_logo(admin_client, office, CLEAN_SVG, "logo.svg")

    assert result.status_code == 302
    office.refresh_from_db()
    assert office.logo.name.endswith(".svg")
    served = admin_client.get(f"/{office.slug}/logo")
    assert served["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in served["Content-Security-Policy"]


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<image xlink:href="https://example.com/tracker.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>',
        b'<!DOCTYPE svg [<!ENTITY logo "Gmina">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&logo;</text></svg>',
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<?xml-stylesheet href="https://example.com/a.css"?>'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x/a.css);</style>'
        b"</svg>",
    ],
    ids=[
        "script",
        "onload",
        "onclick",
        "external-href",
        "javascript-href",
        "entity",
        "doctype",
        "foreignobject",
        "stylesheet-pi",
        "css-import",
    ],
)
def test_an_svg_that_runs_or_fetches_anything_is_refused(svg):
    with pytest.raises(LogoRejected) as refused:
        logo_check(BytesIO(svg))

    assert refused.value.message == SVG_REFUSED


def test_an_svg_with_a_script_is_refused_on_the_page(admin_client, office):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

    result = upload_logo(admin_client, office, svg, "logo.svg")

    assert result.status_code == 400
    assert SVG_REFUSED in result.content.decode()
    office.refresh_from_db()
    assert not office.logo


def test_a_broken_svg_is_refused():
    with pytest.raises(LogoRejected, match="nie jest poprawnym obrazem SVG"):
        logo_check(BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>'))


def test_a_new_logo_replaces_the_old_file(
    admin_client, office, settings, django_capture_on_commit_callbacks
):
    upload_logo(admin_client, office, png_bytes(), "a.png")
    office.refresh_from_db()
    old_path = os.path.join(settings.MEDIA_ROOT, office.logo.name)

    with django_capture_on_commit_callbacks(execute=True):
        upload_logo(admin_client, office, CLEAN_SVG, "b.svg")

    office.refresh_from_db()
    assert office.logo.name.endswith(".svg")
    assert not os.path.exists(old_path)


def test_the_logo_can_be_removed(admin_client, office):
    upload_logo(admin_client, office, png_bytes(), "a.png")
    office.refresh_from_db()
    stored = office.logo.name

    admin_client.post(f"/{office.slug}/admin/urzad/", office_form_data(office, remove_logo="on"))

    office.refresh_from_db()
    assert not office.logo
    assert AuditEntry.objects.filter(action="office.update").first().before == {"logo": stored}


# Departments


def test_the_department_list_shows_every_department_with_its_controls(admin_client, office):
    page = admin_client.get(f"/{office.slug}/admin/urzad/wydzialy/")

    assert page.status_code == 200
    html = page.content.decode()
    first = office.departments.order_by("position").first()
    assert f'<label for="id_d{first.pk}-name">Nowa nazwa wydziału „{first.name}”' in html
    assert 'Przesuń niżej<span class="visually-hidden">: Wydział Komunikacji' in html
    assert 'Przesuń wyżej<span class="visually-hidden">: Urząd Stanu Cywilnego' in html
    assert '<label for="id_new-name">Nazwa wydziału' in html


def test_adding_a_department_puts_it_last_in_the_survey_and_audits_it(admin_client, office):
    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/", {"new-name": "  Wydział   Podatków "}
    )

    department = Department.objects.get(office=office, name="Wydział Podatków")
    assert result.status_code == 302
    assert result["Location"].endswith(f"/admin/urzad/wydzialy/#wydzial-{department.pk}")
    assert survey_department_options(admin_client, office) == [
        "Wydział Komunikacji",
        "Urząd Stanu Cywilnego",
        "Wydział Podatków",
    ]
    today = timezone.localdate()
    assert department.valid_from == today and department.valid_to is None
    entry = AuditEntry.objects.exclude(action="report.before_change").get(office=office)
    assert (entry.action, entry.target_id, entry.after) == (
        "department.create",
        str(department.pk),
        {"name": "Wydział Podatków", "valid_from": today.isoformat()},
    )
    listing = admin_client.get(f"/{office.slug}/admin/urzad/wydzialy/").content.decode()
    assert f"W ankiecie od {today:%d.%m.%Y}." in listing


def test_a_duplicate_department_name_is_refused_with_a_message(admin_client, office):
    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/", {"new-name": "wydział komunikacji"}
    )

    assert result.status_code == 400
    html = result.content.decode()
    assert (
        '<a href="#id_new-name">Nazwa wydziału: Wydział o nazwie „wydział komunikacji” '
        "już jest na liście."
    ) in html
    assert office.departments.count() == 2


def test_renaming_a_department_keeps_its_responses_and_is_audited(admin_client, office):
    department = office.departments.get(name="Wydział Komunikacji")

    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{department.pk}/nazwa/",
        {f"d{department.pk}-name": "Wydział Komunikacji i Transportu"},
    )

    assert result.status_code == 302
    department.refresh_from_db()
    assert department.name == "Wydział Komunikacji i Transportu"
    entry = AuditEntry.objects.exclude(action="report.before_change").get(office=office)
    assert entry.action == "department.rename"
    assert entry.before == {"name": "Wydział Komunikacji"}
    assert entry.after == {"name": "Wydział Komunikacji i Transportu"}


def test_renaming_to_another_departments_name_is_refused_at_that_department(admin_client, office):
    department = office.departments.get(name="Wydział Komunikacji")

    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{department.pk}/nazwa/",
        {f"d{department.pk}-name": "Urząd Stanu Cywilnego"},
    )

    assert result.status_code == 400
    html = result.content.decode()
    assert f'<a href="#id_d{department.pk}-name">' in html
    assert f'id="id_d{department.pk}-name_error"' in html
    department.refresh_from_db()
    assert department.name == "Wydział Komunikacji"
    assert not AuditEntry.objects.exists()


def test_moving_a_department_up_changes_the_survey_order_and_is_audited(admin_client, office):
    registry = office.departments.get(name="Urząd Stanu Cywilnego")

    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{registry.pk}/kolejnosc/", {"direction": "up"}
    )

    assert result.status_code == 302
    assert survey_department_options(admin_client, office) == [
        "Urząd Stanu Cywilnego",
        "Wydział Komunikacji",
    ]
    entry = AuditEntry.objects.exclude(action="report.before_change").get(office=office)
    assert (entry.action, entry.target_label, entry.before, entry.after) == (
        "department.move",
        "Urząd Stanu Cywilnego",
        {"place": 2},
        {"place": 1},
    )


def test_moving_the_first_department_up_changes_nothing(admin_client, office):
    first = office.departments.get(name="Wydział Komunikacji")

    admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{first.pk}/kolejnosc/", {"direction": "up"}
    )

    assert survey_department_options(admin_client, office)[0] == "Wydział Komunikacji"
    assert not AuditEntry.objects.exists()


def submit_resident_response(client, office, department):
    token = form_token(client.get(f"/{office.slug}/"))
    result = client.post(
        f"/{office.slug}/",
        {
            "token": token,
            "q_wydzial": str(department.pk),
            "q_ocena_ogolna": "4",
            "q_cel_wizyty": "odbior_dokumentu",
        },
    )
    assert result.status_code == 303


def test_a_deactivated_department_leaves_the_survey_but_keeps_its_responses(admin_client, office):
    department = office.departments.get(name="Wydział Komunikacji")
    submit_resident_response(admin_client, office, department)

    result = admin_client.post(
        f"/{office.slug}/admin/urzad/wydzialy/{department.pk}/w-ankiecie/", {"active": "0"}
    )

    assert result.status_code == 302
    assert survey_department_options(admin_client, office) == ["Urząd Stanu Cywilnego"]
    assert Response.objects.get().department == department
    today = timezone.localdate()
    listing = admin_client.get(f"/{office.slug}/admin/urzad/wydzialy/").content.decode()
    assert f"Wyłączony z ankiety {today:%d.%m.%Y}." in listing
    assert "Wypełnionych ankiet: 1." in listing
    dashboard = admin_client.get(f"/{office.slug}/admin/pulpit/").content.decode()
    assert "Wydział Komunikacji" in dashboard
    department.refresh_from_db()
    assert department.valid_to == today
    entry = AuditEntry.objects.exclude(action="report.before_change").get(office=office)
    assert (entry.action, entry.before, entry.after) == (
        "department.deactivate",
        {"is_active": True, "valid_to": None},
        {"is_active": False, "valid_to": today.isoformat()},
    )


def test_a_deactivated_department_can_be_brought_back(admin_client, office):
    department = office.departments.get(name="Wydział Komunikacji")
    url = f"/{office.slug}/admin/urzad/wydzialy/{department.pk}/w-ankiecie/"
    admin_client.post(url, {"active": "0"})

    admin_client.post(url, {"active": "1"})

    assert "Wydział Komunikacji" in survey_department_options(admin_client, office)
    assert list(
        AuditEntry.objects.exclude(action="report.before_change").values_list("action", flat=True)
    ) == [
        "department.activate",
        "department.deactivate",
    ]
    department.refresh_from_db()
    assert department.is_active and department.valid_to is None


def test_departments_for_panel_lists_only_the_offices_own(office, other_office):
    names = [d.name for d in departments_for_panel(office=other_office)]

    assert names == ["Referat Podatków"]


# Who may open what


def office_pages(office):
    department = office.departments.first()
    base = f"/{office.slug}/admin/urzad/"
    return [
        ("get", base, {}),
        ("get", f"{base}wydzialy/", {}),
        ("post", f"{base}wydzialy/", {"new-name": "Nowy"}),
        ("post", f"{base}wydzialy/{department.pk}/nazwa/", {f"d{department.pk}-name": "X"}),
        ("post", f"{base}wydzialy/{department.pk}/kolejnosc/", {"direction": "down"}),
        ("post", f"{base}wydzialy/{department.pk}/w-ankiecie/", {"active": "0"}),
    ]


def operator_pages(office, other_office):
    base = f"/{office.slug}/admin/urzad/urzedy/"
    return [
        ("get", base, {}),
        ("get", f"{base}nowy/", {}),
        ("post", f"{base}nowy/", {}),
        ("post", f"{base}{other_office.pk}/aktywny/", {"active": "0"}),
        ("get", f"{base}{other_office.pk}/domeny/", {}),
        ("post", f"{base}{other_office.pk}/domeny/", {"domain": "ankieta.ksiazki.pl"}),
        ("post", f"{base}{other_office.pk}/domeny/1/usun/", {}),
    ]


@pytest.mark.parametrize("role", ["clerk", "reporter"])
def test_clerks_and_reporters_may_not_open_the_office_pages(client, office, other_office, role):
    log_in(client, make_user(office, role))

    for method, url, data in office_pages(office) + operator_pages(office, other_office):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert office.departments.count() == 2
    assert not AuditEntry.objects.exists()


def test_another_offices_administrator_gets_404_for_every_page(client, office, other_office):
    log_in(client, make_user(other_office, "office_admin"))

    for method, url, data in office_pages(office) + operator_pages(office, other_office):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not AuditEntry.objects.exists()


def test_a_department_of_another_office_is_404_for_the_administrator(
    admin_client, office, other_office
):
    foreign = other_office.departments.get()
    base = f"/{office.slug}/admin/urzad/wydzialy/{foreign.pk}/"

    assert admin_client.post(f"{base}nazwa/", {f"d{foreign.pk}-name": "X"}).status_code == 404
    assert admin_client.post(f"{base}kolejnosc/", {"direction": "up"}).status_code == 404
    assert admin_client.post(f"{base}w-ankiecie/", {"active": "0"}).status_code == 404
    assert (
        admin_client.post(
            f"/{office.slug}/admin/urzad/wydzialy/999999/nazwa/", {"d999999-name": "X"}
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert (foreign.name, foreign.is_active) == ("Referat Podatków", True)


def test_the_office_administrator_may_use_the_office_pages_but_not_the_operators(
    admin_client, office, other_office
):
    for method, url, _data in office_pages(office)[:2]:
        assert getattr(admin_client, method)(url).status_code == 200, url
    for method, url, data in operator_pages(office, other_office):
        assert getattr(admin_client, method)(url, data).status_code == 403, url
    assert other_office.__class__.objects.get(pk=other_office.pk).is_active


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, office):
    result = client.get(f"/{office.slug}/admin/urzad/")

    assert result.status_code == 302
    assert "next=" in result["Location"]


# The platform operator


def test_the_operator_sees_every_office_with_its_responses(operator_client, office, other_office):
    submit_resident_response(operator_client, office, office.departments.first())
    other_office.is_active = False
    other_office.save()

    page = operator_client.get(f"/{office.slug}/admin/urzad/urzedy/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Urząd Swinoujscie" in html and "Urząd Gminy Książki" in html
    assert "wyłączony" in html
    counts = {o.slug: o.response_count for o in offices_for_operator()}
    assert counts == {"swinoujscie": 1, "ksiazki": 0}


def new_office_data(**changes):
    data = {
        "slug": "gmina-kolbaskowo",
        "name": "Urząd Gminy Kołbaskowo",
        "office_type": "gmina",
        "departments": "Referat Podatków\n\n  Urząd Stanu Cywilnego  \nSekretariat\n",
        "admin_username": "sekretarz.kolbaskowo",
        "admin_first_name": "Jan",
        "admin_last_name": "Kowalski",
        "admin_email": "sekretarz@kolbaskowo.pl",
        "admin_password": "Wiosna-nad-Odrą-2025",
    }
    data.update(changes)
    return data


def test_the_operator_creates_a_working_office_with_its_administrator(
    operator_client, office, client
):
    result = operator_client.post(f"/{office.slug}/admin/urzad/urzedy/nowy/", new_office_data())

    assert result.status_code == 302
    created = Office.objects.get(slug="gmina-kolbaskowo")
    assert [d.name for d in created.departments.order_by("position")] == [
        "Referat Podatków",
        "Urząd Stanu Cywilnego",
        "Sekretariat",
    ]
    assert Survey.objects.get(office=created).current_version.number == 1
    admin = User.objects.get(username="sekretarz.kolbaskowo")
    assert (admin.office, admin.role, admin.email) == (
        created,
        "office_admin",
        "sekretarz@kolbaskowo.pl",
    )
    assert admin.check_password("Wiosna-nad-Odrą-2025")
    entry = AuditEntry.objects.get(office=created)
    assert entry.action == "office.create"
    assert entry.after["admin"] == "sekretarz.kolbaskowo"
    assert survey_department_options(client, created) == [
        "Referat Podatków",
        "Urząd Stanu Cywilnego",
        "Sekretariat",
    ]


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("admin", "Adresu „admin” nie można użyć — jest zarezerwowany dla platformy."),
        ("ksiazki", "Adres „ksiazki” ma już inny urząd. Wybierz inny."),
        ("Gmina_Łódź", "Adres może zawierać tylko małe litery bez polskich znaków"),
        ("-gmina", "Adres może zawierać tylko małe litery bez polskich znaków"),
    ],
)
def test_a_reserved_taken_or_malformed_slug_is_refused(
    operator_client, office, other_office, slug, message
):
    result = operator_client.post(
        f"/{office.slug}/admin/urzad/urzedy/nowy/", new_office_data(slug=slug)
    )

    assert result.status_code == 400
    assert f'<a href="#id_slug">Adres urzędu (identyfikator): {message}' in (
        result.content.decode()
    )
    assert Office.objects.count() == 2
    assert not User.objects.filter(username="sekretarz.kolbaskowo").exists()


def test_a_weak_initial_password_is_refused(operator_client, office):
    result = operator_client.post(
        f"/{office.slug}/admin/urzad/urzedy/nowy/", new_office_data(admin_password="1234567890")
    )

    assert result.status_code == 400
    assert '<a href="#id_admin_password">Hasło początkowe:' in result.content.decode()
    assert not Office.objects.filter(slug="gmina-kolbaskowo").exists()


def test_a_taken_username_is_refused_on_the_page(operator_client, office):
    make_user(office, "clerk", username="sekretarz.kolbaskowo")

    result = operator_client.post(f"/{office.slug}/admin/urzad/urzedy/nowy/", new_office_data())

    assert result.status_code == 400
    assert "Konto o nazwie „sekretarz.kolbaskowo” już istnieje." in result.content.decode()
    assert not Office.objects.filter(slug="gmina-kolbaskowo").exists()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("sekretarz kolbaskowo", "Wprowadź poprawną nazwę użytkownika"),
        ("Sekretarz.Kolbaskowo", "Konto o nazwie „Sekretarz.Kolbaskowo” już istnieje."),
    ],
)
def test_the_first_administrators_login_follows_the_rule_of_every_account(
    operator_client, office, username, message
):
    # As on Użytkownicy: letters, digits and . @ + - _ only; unique in any letter case
    make_user(office, "clerk", username="sekretarz.kolbaskowo")

    result = operator_client.post(
        f"/{office.slug}/admin/urzad/urzedy/nowy/", new_office_data(admin_username=username)
    )

    assert result.status_code == 400
    assert message in result.content.decode()
    assert not Office.objects.filter(slug="gmina-kolbaskowo").exists()


def test_office_create_leaves_nothing_behind_when_the_administrator_cannot_be_created(office):
    make_user(office, "clerk", username="sekretarz.kolbaskowo")
    data = new_office_data()
    data["departments"] = data["departments"].splitlines()
    departments_before, surveys_before = Department.objects.count(), Survey.objects.count()

    with pytest.raises(ValidationError) as refused:
        office_create(actor=None, **data)

    assert "admin_username" in refused.value.message_dict
    assert not Office.objects.filter(slug="gmina-kolbaskowo").exists()
    assert Department.objects.count() == departments_before
    assert Survey.objects.count() == surveys_before
    assert not AuditEntry.objects.exists()


def test_the_operator_switches_another_office_off_and_on(
    operator_client, office, other_office, client
):
    url = f"/{office.slug}/admin/urzad/urzedy/{other_office.pk}/aktywny/"

    operator_client.post(url, {"active": "0"})

    assert client.get(f"/{other_office.slug}/").status_code == 404
    operator_client.post(url, {"active": "1"})
    assert client.get(f"/{other_office.slug}/").status_code == 200
    assert list(
        AuditEntry.objects.filter(office=other_office).values_list("action", flat=True)
    ) == ["office.activate", "office.deactivate"]


def test_the_operator_cannot_switch_off_the_office_whose_panel_is_open(operator_client, office):
    result = operator_client.post(
        f"/{office.slug}/admin/urzad/urzedy/{office.pk}/aktywny/", {"active": "0"}, follow=True
    )

    assert result.status_code == 200
    assert "Nie można wyłączyć urzędu" in result.content.decode()
    office.refresh_from_db()
    assert office.is_active


def test_department_create_refuses_a_name_the_office_already_uses(office, other_office):
    department_create(office=other_office, actor=None, name="Wydział Komunikacji")

    with pytest.raises(ValidationError, match="już jest na liście"):
        department_create(office=office, actor=None, name="WYDZIAŁ KOMUNIKACJI")
