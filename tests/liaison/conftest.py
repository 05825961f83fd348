"""Liaison tests read messages in English (the msgids); the pages' Chinese is the catalogue's."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """The test client, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
