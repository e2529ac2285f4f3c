import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ocenurzad.core.rows import execute_insert, prepare_insert
from ocenurzad.offices.models import Office
from ocenurzad.surveys.answers import ParsedAnswers
from ocenurzad.surveys.models import SurveyVersion

from .models import Channel, Response, UsedFormToken
from .ratelimit import submit_counter_take, submit_counters_purge


class TokenAlreadyUsed(Exception):
    pass


def response_submit_online(
    *,
    office: Office,
    version: SurveyVersion,
    parsed: ParsedAnswers,
    nonce: str,
    source: str,
    language: str,
    rate_key: str | None = None,
) -> Response:
    """Store a resident's valid answers with the form token marked spent — both or neither.

    Raises TokenAlreadyUsed when the token was used before, and RateLimited when
    ``rate_key``'s client is over SURVEY_RATE_LIMIT at this office — storing nothing.
    """
    now = timezone.now()
    # Everything is prepared before the transaction: on SQLite it locks out every other
    # writer until the commit, so it should hold nothing but the statements.
    values = {
        "office": office.pk,
        "version": version.pk,
        "channel": Channel.ONLINE,
        "source": source,
        "language": language,
        "department": parsed.department_id,
        "submitted_at": now,
        "answers": parsed.answers,
    }
    insert_token = prepare_insert(UsedFormToken, {"nonce": nonce, "used_at": now})
    insert_response = prepare_insert(Response, values)
    try:
        with transaction.atomic():
            execute_insert(insert_token)
            pk = execute_insert(insert_response)
            # Last before the commit: the client's counter row stays locked only from
            # here to the commit (RateLimited rolls everything back).
            if rate_key is not None:
                submit_counter_take(key=rate_key)
    except IntegrityError as exc:
        if UsedFormToken.objects.filter(nonce=nonce).exists():
            raise TokenAlreadyUsed from exc
        raise
    response = Response(
        pk=pk,
        office=office,
        version=version,
        department_id=parsed.department_id,
        **{k: v for k, v in values.items() if k not in ("office", "version", "department")},
    )
    response._state.adding = False
    response._state.db = "default"
    if random.random() < 0.01:  # noqa: S311 — housekeeping, not security
        used_form_tokens_purge()
        submit_counters_purge()
    return response


def used_form_tokens_purge() -> int:
    """Forget spent tokens that have expired anyway; returns how many were removed."""
    cutoff = timezone.now() - timedelta(seconds=settings.SURVEY_TOKEN_MAX_AGE + 60)
    deleted, _ = UsedFormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
