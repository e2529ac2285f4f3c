"""A report of one client type (the metryka's "Rodzaj klienta"): its figures are those of
the residents who gave that answer, in the panel and on the command line, and it is
refused — in every format — when the group is smaller than the report minimum."""

import io
import json
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ocenurzad.accounts.models import Role, User
from ocenurzad.reports.compute import report_compute
from ocenurzad.responses.models import Response

pytestmark = pytest.mark.django_db

K = 5
TODAY = timezone.localdate()
M2 = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)  # the last month that is over
M1 = (M2 - timedelta(days=1)).replace(day=1)
M1_END = M2 - timedelta(days=1)
M2_END = TODAY.replace(day=1) - timedelta(days=1)
ITEMS = ("wizerunek_lokalizacja", "podejscie_godziny", "terminowosc_szybkosc")


def _respond(office, day, rating, client_type, *, comment=None):
    answers = dict.fromkeys(ITEMS, rating) | {"ocena_ogolna": rating}
    if client_type:
        answers["metryka_rodzaj_klienta"] = client_type
    if comment:
        answers["co_poprawic"] = comment
    Response.objects.create(
        office=office,
        version=office.survey.current_version,
        channel="online",
        submitted_at=datetime.combine(day, time(12), tzinfo=timezone.get_default_timezone()),
        answers=answers,
    )


@pytest.fixture
def world(office, settings, tmp_path):
    """In M1: 20 private persons rating 5, 8 entrepreneurs rating 2 (one comments), 3
    institutions rating 1, 6 who did not say. In M2: 10 entrepreneurs rating 4."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_MIN_CELL = K
    for i in range(20):
        _respond(office, M1.replace(day=1 + i), 5, "osoba_fizyczna")
    for i in range(8):
        comment = "Za długo czekałem na decyzję" if i == 0 else None
        _respond(office, M1.replace(day=2 + i), 2, "przedsiebiorca", comment=comment)
    for i in range(3):
        _respond(office, M1.replace(day=3 + i), 1, "instytucja")
    for i in range(6):
        _respond(office, M1.replace(day=4 + i), 3, None)
    for i in range(10):
        _respond(office, M2.replace(day=1 + i), 4, "przedsiebiorca")
    admin = User.objects.create_user(
        username="kierownik", password="x", role=Role.OFFICE_ADMIN, office=office
    )
    return {"office": office, "admin": admin}


def test_a_client_type_report_counts_only_that_client_type(world):
    office = world["office"]
    everyone = report_compute(office=office, start=M1, end=M1_END)  # rollups stored now

    report = report_compute(office=office, start=M1, end=M1_END, client_type="przedsiebiorca")

    assert everyone["method"]["responses"] == 37
    assert report["method"]["responses"] == 8
    assert report["overall"]["mean"] == 2.0 and report["overall"]["n"] == 8
    assert report["params"]["client_type"] == "przedsiebiorca"
    assert any("przedsiębiorca" in note for note in report["notes"])
    assert [c["text"] for c in report["open_answers"]] == ["Za długo czekałem na decyzję"]
    compared = report_compute(
        office=office, start=M2, end=M2_END, client_type="przedsiebiorca", compare=True
    )
    assert compared["comparison"]["previous"]["respondents"] == 8
    assert compared["comparison"]["overall"]["mean_now"] == 4.0
    assert compared["comparison"]["overall"]["mean_before"] == 2.0


def _url(office, path):
    return f"/{office.slug}/admin/raporty/{path}"


def _month(month, **extra):
    return {"okres": "miesiac", "miesiac": f"{month:%Y-%m}", **extra}


def test_the_panel_offers_the_client_types_and_draws_the_report(client, world):
    office = world["office"]
    client.force_login(world["admin"])

    form = client.get(_url(office, "")).content.decode()
    preview = client.get(_url(office, "podglad/"), _month(M1, klient="przedsiebiorca"))
    body = client.get(_url(office, "pobierz/json/"), _month(M1, klient="przedsiebiorca"))

    assert 'name="klient"' in form and "przedsiębiorca" in form
    assert preview.status_code == 200
    assert json.loads(body.content)["method"]["responses"] == 8


def test_a_client_type_below_the_minimum_is_refused_in_every_format(client, world):
    office = world["office"]
    client.force_login(world["admin"])
    params = _month(M1, klient="instytucja")  # three institutions that month
    formats = ("pdf", "xlsx", "json", "odpowiedzi-otwarte-csv", "csv")
    responses = [client.get(_url(office, "podglad/"), params)]
    responses += [client.get(_url(office, f"pobierz/{fmt}/"), params) for fmt in formats]
    for response in responses:
        page = response.content.decode()
        assert response.status_code == 400
        assert "mniej niż 5" in page and "instytucja" in page
    # a month that is not over (a day's difference would show one answer) is refused too
    running = {"okres": "zakres", "od": M1.isoformat(), "do": (M1 + timedelta(days=9)).isoformat()}
    response = client.get(_url(office, "podglad/"), running | {"klient": "przedsiebiorca"})
    assert response.status_code == 400
    assert "pełne, zakończone miesiące" in response.content.decode()


def test_the_raw_answers_of_a_client_type_are_only_theirs(client, world):
    office = world["office"]
    client.force_login(world["admin"])
    response = client.get(_url(office, "pobierz/csv/"), _month(M1, klient="osoba_fizyczna"))
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()

    assert response.status_code == 200
    assert len(rows) == 1 + 20


def test_the_command_line_filters_by_client_type_and_refuses_small_groups(world, tmp_path):
    office = world["office"]
    out = tmp_path / "r.json"
    call_command(
        "report", office.slug, "--month", f"{M1:%Y-%m}", "--client-type", "przedsiebiorca",
        "--format", "json", "-o", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.read_text())["method"]["responses"] == 8

    with pytest.raises(CommandError, match="mniej niż 5"):
        call_command(
            "report", office.slug, "--month", f"{M1:%Y-%m}", "--client-type", "instytucja",
            "--format", "json", "-o", str(out), stdout=io.StringIO(),
        )  # fmt: skip
    with pytest.raises(CommandError, match="nie ma rodzaju klienta"):
        call_command(
            "report", office.slug, "--month", f"{M1:%Y-%m}", "--client-type", "kosmita",
            "--format", "json", "-o", str(out), stdout=io.StringIO(),
        )  # fmt: skip
