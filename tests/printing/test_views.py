"""The panel's print page and downloads: who may, what comes back, and bad input."""

import pytest

from ocenurzad.accounts.models import User
from tests.printing.conftest import pdf_page_count, pdf_pages_text

pytestmark = pytest.mark.django_db

PAGE = "/swinoujscie/admin/druk/"
PDF = "/swinoujscie/admin/druk/ankieta.pdf"
BATCH = "/swinoujscie/admin/druk/arkusze.pdf"


def log_in(client, office, role):
    user = User.objects.create_user(
        username=f"{role}-{office.slug}", password="haslo-testowe-123", office=office, role=role
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "page", "pdf", "batch"),
    [
        ("clerk", 403, 403, 403),
        ("reporter", 200, 200, 403),
        ("office_admin", 200, 200, 200),
    ],
)
def test_role_matrix(client, print_office, role, page, pdf, batch):
    log_in(client, print_office, role)

    assert client.get(PAGE).status_code == page
    assert client.get(PDF).status_code == pdf
    assert client.get(BATCH, {"od": "101", "liczba": "2"}).status_code == batch


def test_operator_may_print_numbered_sheets(client, print_office):
    operator = User.objects.create_user(username="operator", password="x", role="operator")
    client.force_login(operator)

    assert client.get(BATCH, {"od": "1", "liczba": "1"}).status_code == 200


def test_administrator_of_another_office_gets_404(client, print_office, other_office):
    log_in(client, other_office, "office_admin")

    assert client.get(PAGE).status_code == 404
    assert client.get(PDF).status_code == 404
    assert client.get(BATCH, {"od": "1", "liczba": "1"}).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, print_office):
    response = client.get(PDF)

    assert response.status_code == 302
    assert "/swinoujscie/admin/" in response["Location"]


def test_pdf_download_is_an_attachment_named_after_office_version_and_language(
    client, print_office
):
    log_in(client, print_office, "reporter")

    response = client.get(PDF, {"jezyk": "pl"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ankieta-swinoujscie-v1-pl.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert pdf_page_count(response.content) == 2


def test_english_pdf_when_the_office_offers_english(client, print_office):
    log_in(client, print_office, "reporter")

    response = client.get(PDF, {"jezyk": "en"})

    assert response["Content-Disposition"].endswith('ankieta-swinoujscie-v1-en.pdf"')
    assert "Customer satisfaction survey" in pdf_pages_text(response.content)[0]


@pytest.mark.parametrize("language", ["de", "xx", "'><script>"])
def test_language_the_office_does_not_offer_is_a_400_page(client, print_office, language):
    log_in(client, print_office, "reporter")

    response = client.get(PDF, {"jezyk": language})

    assert response.status_code == 400
    assert "Język ankiety: wybierz jeden z języków z listy." in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_print_page_explains_and_offers_the_office_languages(client, print_office):
    log_in(client, print_office, "reporter")

    html = client.get(PAGE).content.decode()

    assert "Ankieta do wydrukowania" in html
    assert "SWINOUJSCIE-V1" in html
    assert '<label for="pdf_jezyk">' in html
    assert '<option value="en">English</option>' in html
    assert 'value="de"' not in html
    assert 'action="/swinoujscie/admin/druk/ankieta.pdf"' in html
    # Reporters do not number sheets.
    assert "Wydrukuj ponumerowane arkusze" not in html
    assert "arkusze.pdf" not in html
    assert "style=" not in html
    assert "<script" not in html


def test_administrator_sees_the_numbered_sheets_form(client, print_office):
    log_in(client, print_office, "office_admin")

    html = client.get(PAGE).content.decode()

    assert "Wydrukuj ponumerowane arkusze" in html
    assert 'action="/swinoujscie/admin/druk/arkusze.pdf"' in html
    assert '<label for="batch_od">' in html
    assert '<label for="batch_liczba">' in html
    assert '<label for="batch_jezyk">' in html


def test_numbered_sheets_download(client, print_office):
    log_in(client, print_office, "office_admin")

    response = client.get(BATCH, {"od": "101", "liczba": "3", "jezyk": "pl"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="arkusze-swinoujscie-v1-pl-101-103.pdf"'
    )
    pages = pdf_pages_text(response.content)
    assert len(pages) == 6
    assert "Arkusz nr 103" in pages[4]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"od": "-1", "liczba": "5"}, "Pierwszy numer arkusza musi być liczbą dodatnią"),
        ({"od": "0", "liczba": "5"}, "Pierwszy numer arkusza musi być liczbą dodatnią"),
        ({"od": "abc", "liczba": "5"}, "Pierwszy numer arkusza musi być liczbą całkowitą"),
        ({"od": "", "liczba": "5"}, "Podaj pierwszy numer arkusza."),
        ({"liczba": "5"}, "Podaj pierwszy numer arkusza."),
        ({"od": "1", "liczba": "0"}, "Liczba arkuszy musi wynosić co najmniej 1."),
        ({"od": "1", "liczba": "10000"}, "Liczba arkuszy może wynosić najwyżej 500."),
        ({"od": "1", "liczba": "dużo"}, "Liczba arkuszy musi być liczbą całkowitą"),
        ({"od": "1", "liczba": "1e400"}, "Liczba arkuszy musi być liczbą całkowitą"),
        ({"od": "1"}, "Podaj liczbę arkuszy."),
        ({"od": "99999999999999999999", "liczba": "5"}, "Pierwszy numer arkusza może"),
        ({"od": "999999", "liczba": "5"}, "Ostatni numer arkusza byłby większy niż 999999"),
        ({"od": "1", "liczba": "5", "jezyk": "xx"}, "Język ankiety: wybierz jeden"),
    ],
)
def test_bad_batch_parameters_give_a_400_page_naming_the_field(
    client, print_office, query, message
):
    log_in(client, print_office, "office_admin")

    response = client.get(BATCH, query)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Formularz zawiera" in html


def test_invalid_field_points_at_its_error(client, print_office):
    log_in(client, print_office, "office_admin")

    html = client.get(BATCH, {"od": "-1", "liczba": "5"}).content.decode()

    assert 'aria-describedby="batch_od_error"' in html
    assert 'id="batch_od_error"' in html
    assert '<a href="#batch_od">Pierwszy numer arkusza:' in html


def test_reporter_cannot_number_sheets_even_with_bad_parameters(client, print_office):
    log_in(client, print_office, "reporter")

    assert client.get(BATCH, {"od": "-1"}).status_code == 403


def test_downloads_are_get_only(client, print_office):
    log_in(client, print_office, "office_admin")

    assert client.post(PDF).status_code == 405
    assert client.post(BATCH, {"od": "1", "liczba": "1"}).status_code == 405


def test_downloaded_form_has_the_labelled_qr_code_to_this_offices_survey(client, print_office):
    import zxingcpp

    from tests.printing.conftest import page_image

    log_in(client, print_office, "reporter")

    response = client.get(PDF)

    assert response.status_code == 200
    found = zxingcpp.read_barcodes(page_image(response.content, 0))
    urls = [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(urls) == 1
    assert urls[0].endswith("/swinoujscie/?zrodlo=arkusz")
