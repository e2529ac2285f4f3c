"""Log lines a hosting company can ship: one line per event, no secrets, no residents.

- ``OneLineFormatter``: the event on one line; a traceback is kept, its line breaks
  written as ``\\n`` (``LOG_FORMAT=json``: one JSON object a line instead).
- ``RedactSecrets``: a password-reset link's token never reaches a log line (Django logs
  the path of a 404, gunicorn the request line).
- ``ClientErrorsAsWarnings``: a client's bad request (400, a disallowed Host, too many
  form fields, a bad signature) is the client's fault, not the service's: logged at
  WARNING without a traceback, so that ERROR stays for what the operator must fix.

Nothing here logs a client address or a form's content; staff appear by id (the audit
log, not the application log, says who did what).
"""

import json
import logging
import re

# /admin/reset-hasla/<uidb64>/<token>/ (Django's password-reset confirmation link).
_RESET_TOKEN = re.compile(r"(/reset-hasla/[^/\s]+/)(?!set-password/)[^/\s?\"]+")


def redact(text: str) -> str:
    """``text`` with any password-reset token replaced by ``…``."""
    if "reset-hasla/" not in text:
        return text
    return _RESET_TOKEN.sub(r"\1…", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class ClientErrorsAsWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        client_error = (status is not None and 400 <= status < 500) or record.name.startswith(
            "django.security"
        )
        if client_error and (record.levelno > logging.WARNING or record.exc_info):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class OneLineFormatter(logging.Formatter):
    def __init__(self, *args, json_lines: bool = False, **kwargs):
        kwargs.setdefault("fmt", "{asctime} {levelname} {name} {message}")
        kwargs.setdefault("style", "{")
        super().__init__(*args, **kwargs)
        self.json_lines = json_lines

    def format(self, record: logging.LogRecord) -> str:
        if self.json_lines:
            entry = {
                "time": self.formatTime(record),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
            }
            if record.exc_info:
                entry["exception"] = self.formatException(record.exc_info)
            return json.dumps(entry, ensure_ascii=False)
        text = super().format(record)
        return text.replace("\r", "\\r").replace("\n", "\\n")
