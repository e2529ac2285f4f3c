"""Application log lines: one line per event, 4xx at WARNING without a traceback."""

import io
import logging
import sys

import pytest

from ocenurzad.core.logs import OneLineFormatter, redact

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output():
    handler = next(h for h in logging.getLogger().handlers if h.filters)
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_disallowed_host_is_a_one_line_warning(client, log_output):
    response = client.get("/", HTTP_HOST="atak.example.com")

    assert response.status_code == 400
    lines = log_output.getvalue().splitlines()
    assert lines and all(" WARNING " in line for line in lines), lines
    assert "Traceback" not in log_output.getvalue()


def test_too_many_form_fields_is_a_warning_without_a_traceback(
    client, office, log_output, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    data = "&".join(f"f{n}=x" for n in range(50))
    response = client.post(
        f"/{office.slug}/admin/logowanie/", data, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    text = log_output.getvalue()
    assert " ERROR " not in text
    assert "Traceback" not in text
    assert len(text.splitlines()) >= 1


def test_a_server_error_stays_an_error_with_its_traceback_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: /x", (), None
        )
        record.exc_info = sys.exc_info()
    line = OneLineFormatter().format(record)

    assert "\n" not in line
    assert "ERROR" in line
    assert "Traceback" in line and "ValueError: boom" in line


def test_redact_keeps_the_set_password_step_and_cuts_tokens():
    assert redact("/u/admin/reset-hasla/MQ/abc-123/") == "/u/admin/reset-hasla/MQ/…/"
    assert (
        redact("/u/admin/reset-hasla/MQ/set-password/") == "/u/admin/reset-hasla/MQ/set-password/"
    )
    assert (
        redact("Not Found: /u/admin/reset-hasla/MQ/abc-123/x")
        == "Not Found: /u/admin/reset-hasla/MQ/…/x"
    )
