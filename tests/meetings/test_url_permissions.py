"""The URL walk's meeting records are real: Shenzhen's own office opens them (the walk itself is
tests/test_url_permissions.py, fed by tests/meetings/factories.shenzhen_url_values)."""

import pytest

from tests.meetings.factories import shenzhen_url_values

pytestmark = pytest.mark.django_db


def test_the_shenzhen_member_does_reach_their_own_meeting(world, client):
    """The walk's records are real: Shenzhen's own member opens them."""
    values = shenzhen_url_values(world)
    user = world.users.shenzhen_office
    client.force_login(user)
    assert client.get(f"/meetings/{values['pk']}/").status_code == 200
    assert client.get(f"/api/meetings/{values['pk']}/").status_code == 200
