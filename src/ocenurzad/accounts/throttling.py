"""The client key for login throttling (django-axes): a salted hash, never the address."""

from ocenurzad.core.clients import client_hash


def client_key(request) -> str:
    return client_hash(request, purpose="login")
