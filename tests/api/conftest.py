"""Fixtures of the API tests: clients logged in as each role of the `world` fixture."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(world) -> Callable[[str], APIClient]:
    """An API client logged in (by session) as one of `world.users` ("anonymous": nobody)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        user = getattr(world.users, role)
        if user is not None:
            client.force_login(user)
        return client

    return make
