"""The panel's "Wczytaj skany": who may, uploading, the queues by key, images kept to
their office, and bad input answered in Polish (never 500)."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocenurzad.accounts.models import User
from ocenurzad.responses.models import Response
from ocenurzad.scans.models import ScanComment, ScanImport, ScanQuestion
from ocenurzad.scans.reader.synthetic import Harm, _draw_mark
from tests.scans.conftest import marked, pdf_of

pytestmark = pytest.mark.django_db

BASE = "/skanowo/admin/skany/"


@pytest.fixture(autouse=True)
def _scans_root(settings, tmp_path):
    settings.SCANS_ROOT = str(tmp_path / "scans")
    # The upload's job runs in the request (test_jobs.py runs it as the worker does).
    settings.SCANS_INLINE = True


def log_in(client, office, role):
    user = User.objects.create_user(
        username=f"{role}-{office.slug}", password="x", office=office, role=role
    )
    client.force_login(user)
    return user


def upload(client, data: bytes, name="stos.pdf", follow=False, **fields):
    return client.post(
        BASE,
        {
            "pliki": [SimpleUploadedFile(name, data, content_type="application/pdf")],
            "data": "2026-11-30",
            **fields,
        },
        follow=follow,
    )


def doubtful_pdf(printed, layout) -> bytes:
    pages, _truth = marked(printed, layout, number=101, seed=21, comment=True)
    row = [b for b in layout["boxes"] if b["key"] == "ocena_ogolna"]
    for box in (row[0], row[2]):
        _draw_mark(pages[box["page"]], box, 150 / 25.4, random.Random(2), "x")
    return pdf_of(pages)


@pytest.mark.parametrize(
    ("role", "status"), [("clerk", 200), ("office_admin", 200), ("reporter", 403)]
)
def test_role_matrix(client, scan_office, role, status):
    from datetime import date

    from ocenurzad.scans.services import scan_import_create

    scan_import = scan_import_create(office=scan_office, actor=None, filled_on=date(2026, 11, 30))
    log_in(client, scan_office, role)

    assert client.get(BASE).status_code == status
    assert client.get(BASE + "do-sprawdzenia/").status_code == status
    assert client.get(BASE + "do-przepisania/").status_code == status
    assert client.get(f"{BASE}wczytanie/{scan_import.pk}/").status_code == status
    assert client.get(f"{BASE}wczytanie/{scan_import.pk}/stan.json").status_code == status


def test_menu_shows_wczytaj_skany_to_a_clerk(client, scan_office):
    log_in(client, scan_office, "clerk")

    assert "Wczytaj skany" in client.get("/skanowo/admin/ankiety-papierowe/").content.decode()


def test_upload_reads_the_stack_and_the_queues_take_one_key_and_the_comment(
    client, scan_office, scan_layout, printed_form
):
    clerk = log_in(client, scan_office, "clerk")

    response = upload(client, doubtful_pdf(printed_form, scan_layout))

    assert response.status_code == 302
    protocol = client.get(response["Location"]).content.decode()
    assert "Arkuszy do sprawdzenia" in protocol
    assert not Response.objects.exists()
    check = client.get(BASE + "do-sprawdzenia/")
    assert "więcej niż jedno zaznaczenie" in check.content.decode()
    question = ScanQuestion.objects.get()
    image = client.get(f"{BASE}obraz/pytanie/{question.pk}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]

    answered = client.post(BASE + "do-sprawdzenia/", {"id": question.pk, "kod": "3"})

    assert answered.status_code == 302
    stored = Response.objects.get(office=scan_office)
    assert stored.answers["ocena_ogolna"] == 3
    assert stored.entered_by == clerk
    assert stored.sheet_number == 101
    assert stored.submitted_at.date().isoformat() == "2026-11-30"
    comment = ScanComment.objects.get()
    assert client.get(BASE + "do-przepisania/").status_code == 200

    typed = client.post(BASE + "do-przepisania/", {"id": comment.pk, "tekst": "Za długa kolejka."})

    assert typed.status_code == 302
    stored.refresh_from_db()
    assert stored.answers["co_poprawic"] == "Za długa kolejka."


@pytest.mark.parametrize("typed", ["7", "1 3", "x"])
def test_a_wrong_key_is_explained_and_nothing_stored(
    client, scan_office, scan_layout, printed_form, typed
):
    log_in(client, scan_office, "clerk")
    upload(client, doubtful_pdf(printed_form, scan_layout))
    question = ScanQuestion.objects.get()

    response = client.post(BASE + "do-sprawdzenia/", {"id": question.pk, "kod": typed})

    assert response.status_code == 400
    page = response.content.decode()
    assert "kodów wydrukowanych" in page or "tylko jedną odpowiedź" in page
    assert not Response.objects.exists()


def test_upload_without_files_names_the_field(client, scan_office):
    log_in(client, scan_office, "clerk")

    response = client.post(BASE, {"data": "2026-11-30"})

    assert response.status_code == 400
    assert "Pliki ze skanami: wybierz co najmniej jeden plik." in response.content.decode()
    assert not ScanImport.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"data": "2999-01-01"}, "nie może być późniejsza niż dzisiaj"),
        ({"data": "30.02.2026"}, "Data wypełnienia ankiet: wpisz prawdziwą datę."),
        ({"data": "2026-11-30", "od": "2026-12-01"}, "Początek okresu zbierania nie może"),
        ({"data": "2026-11-30", "od": "1999-12-01"}, "Początek okresu zbierania nie może być"),
        (
            {"data": "2026-11-30", "od": "2026-01-01"},
            "Początek okresu zbierania: okres od 01.01.2026 do 30.11.2026 ma 334 dni",
        ),
        ({"data": "2026-11-30", "od": "xx"}, "Początek okresu zbierania: wpisz prawdziwą datę."),
    ],
)
def test_bad_dates_are_refused_naming_the_field(client, scan_office, fields, message):
    log_in(client, scan_office, "clerk")

    response = client.post(BASE, {"pliki": [SimpleUploadedFile("a.pdf", b"%PDF-1.4")], **fields})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # shown at its field
    field = "scan_od" if "Początek" in message else "scan_data"
    assert f'id="{field}_error"' in page
    assert not ScanImport.objects.exists()


def test_period_across_months_warns(client, scan_office):
    log_in(client, scan_office, "clerk")

    response = upload(client, b"%PDF-broken", od="2026-10-20", follow=True)

    assert "przekracza granicę miesiąca" in response.content.decode()


def test_too_big_upload_is_refused_before_reading(client, scan_office, settings):
    settings.SCANS_UPLOAD_MAX_BYTES = 1000
    log_in(client, scan_office, "clerk")

    response = upload(client, b"%PDF-" + b"0" * 5000)

    assert response.status_code == 413
    assert "najwyżej" in response.content.decode()
    assert not ScanImport.objects.exists()


def test_another_offices_staff_see_nothing_of_ours(
    client, make_office, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    upload(client, doubtful_pdf(printed_form, scan_layout))
    scan_import = ScanImport.objects.get()
    question = ScanQuestion.objects.get()
    comment = ScanComment.objects.get()
    other = make_office(slug="ksiazki", name="Urząd Gminy Książki")
    client.logout()
    log_in(client, other, "office_admin")
    theirs = "/ksiazki/admin/skany/"

    assert client.get(f"{theirs}wczytanie/{scan_import.pk}/").status_code == 404
    assert client.get(f"{theirs}obraz/pytanie/{question.pk}/").status_code == 404
    assert client.get(f"{theirs}obraz/uwaga/{comment.pk}/").status_code == 404
    assert "Nie ma nic do sprawdzenia" in client.get(f"{theirs}do-sprawdzenia/").content.decode()
    assert client.get(f"{theirs}do-sprawdzenia/?id={question.pk}").status_code == 404
    answered = client.post(f"{theirs}do-sprawdzenia/", {"id": question.pk, "kod": "1"})
    assert answered.status_code == 404
    typed = client.post(f"{theirs}do-przepisania/", {"id": comment.pk, "tekst": "cudza"})
    assert typed.status_code == 404
    question.refresh_from_db()
    assert question.answered_at is None
    # Our own URLs with their login: 404 as for any other office's page.
    assert client.get(f"{BASE}wczytanie/{scan_import.pk}/").status_code == 404


def test_unnumbered_stack_waits_for_confirmation_then_is_stored(
    client, scan_office, scan_layout, printed_form
):
    log_in(client, scan_office, "clerk")
    pages, _truth = marked(printed_form, scan_layout, number=None, seed=22, harm=Harm())

    response = upload(client, pdf_of(pages), name="kopie.pdf")

    assert not Response.objects.exists()
    protocol = client.get(response["Location"]).content.decode()
    assert "Potwierdzam: zapisz arkusze bez numeru" in protocol
    assert client.post(response["Location"]).status_code == 400  # a form without the button
    assert not Response.objects.exists()
    client.post(response["Location"], {"potwierdzam": "1"})
    assert Response.objects.filter(office=scan_office, sheet_number=None).count() == 1
