"""Signed, single-use, time-limited form tokens for the resident survey.

The token carries the office, the survey version and a random nonce, signed with the
SECRET_KEY. It is stateless until it is used: then its nonce is recorded with the
response (UsedFormToken), so a replay finds it spent.
"""

import secrets

from django.conf import settings
from django.core import signing

_SALT = "ocenurzad.survey-form"


class TokenError(Exception):
    pass


class TokenInvalid(TokenError):
    """Not ours, altered, or issued for another office."""


class TokenExpired(TokenError):
    """Ours and intact, but too old; ``nonce`` still says which form it was."""

    def __init__(self, nonce: str | None = None):
        super().__init__()
        self.nonce = nonce


def token_issue(*, office_id: int, version_id: int) -> str:
    payload = {"o": office_id, "v": version_id, "n": secrets.token_hex(16)}
    return signing.dumps(payload, salt=_SALT, compress=False)


def token_read(*, token: str, office_id: int) -> tuple[int, str]:
    """Return (version id, nonce) or raise TokenInvalid / TokenExpired."""
    if not token or len(token) > 300:
        raise TokenInvalid
    try:
        payload = signing.loads(token, salt=_SALT, max_age=settings.SURVEY_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenExpired(_expired_nonce(token, office_id)) from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict) or payload.get("o") != office_id:
        raise TokenInvalid
    version_id, nonce = payload.get("v"), payload.get("n")
    if not isinstance(version_id, int) or not isinstance(nonce, str) or len(nonce) != 32:
        raise TokenInvalid
    return version_id, nonce


def _expired_nonce(token: str, office_id: int) -> str | None:
    """The nonce of a genuine but expired token of this office (it was checked a moment
    ago that the signature is good and only its age is not)."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("o") != office_id:
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and len(nonce) == 32 else None
