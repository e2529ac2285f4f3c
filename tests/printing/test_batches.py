"""Printed numbered batches are recorded (range, version, language, layout, who, when —
audited), and a number printed as one version is not printed again as another."""

import pytest

from ocenurzad.audit.models import AuditEntry
from ocenurzad.printing.models import PrintBatch
from ocenurzad.printing.services import print_batch_record
from ocenurzad.surveys.models import SurveyVersion
from tests.printing.test_views import BATCH, PAGE, log_in

pytestmark = pytest.mark.django_db


def test_a_downloaded_batch_is_recorded_and_audited(client, print_office):
    admin = log_in(client, print_office, "office_admin")

    response = client.get(BATCH, {"od": "101", "liczba": "2", "jezyk": "en"})

    assert response.status_code == 200
    batch = PrintBatch.objects.get()
    assert (batch.office, batch.version) == (print_office, print_office.survey.current_version)
    assert (batch.first_number, batch.last_number, batch.language) == (101, 102, "en")
    assert batch.printed_by == admin and batch.printed_at is not None
    assert len(batch.fingerprint) >= 8  # the layout printed in the sheets' QR codes
    entry = AuditEntry.objects.get(action="print.batch")
    assert entry.actor == admin and entry.office == print_office
    assert entry.after["first_number"] == 101 and entry.after["last_number"] == 102
    # the next batch is offered the first number not yet printed
    assert 'value="103"' in client.get(PAGE).content.decode()


def test_a_refused_request_records_nothing(client, print_office):
    log_in(client, print_office, "office_admin")
    assert client.get(BATCH, {"od": "x", "liczba": "2"}).status_code == 400
    log_in(client, print_office, "reporter")
    assert client.get(BATCH, {"od": "1", "liczba": "2"}).status_code == 403
    assert not PrintBatch.objects.exists()


def test_numbers_printed_as_another_version_are_refused_naming_it(client, print_office):
    admin = log_in(client, print_office, "office_admin")
    survey = print_office.survey
    old = survey.current_version
    print_batch_record(
        office=print_office, version=old, language="pl", numbers=list(range(1, 51)),
        fingerprint="", actor=admin,
    )  # fmt: skip
    survey.current_version = SurveyVersion.objects.create(
        office=print_office,
        survey=survey,
        number=2,
        status=SurveyVersion.Status.PUBLISHED,
        definition=old.definition,
        published_at=old.published_at,
    )
    survey.save()

    refused = client.get(BATCH, {"od": "40", "liczba": "20"})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Arkusze nr 1–50 wydrukowano już jako wersję SWINOUJSCIE-V1." in html
    assert "zacznij od numeru 51" in html
    assert PrintBatch.objects.count() == 1
    # the same numbers again in the same version (a reprint) are fine
    survey.current_version = old
    survey.save()
    assert client.get(BATCH, {"od": "40", "liczba": "1"}).status_code == 200
    assert PrintBatch.objects.count() == 2
