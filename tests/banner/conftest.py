import pytest
from django.test import Client

from ocenurzad.accounts.models import User


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def client(db):
    """The banner page is in the panel: a platform operator may open it for any office."""
    client = Client()
    client.force_login(User.objects.create_user(username="operator", password="x", role="operator"))
    return client
