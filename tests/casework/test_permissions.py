"""The URL walk for the concern pages, the concern API and Open311: nobody reaches another
committee's concerns (the same rule as tests/test_url_permissions.py, with Shenzhen's casework
records filled in)."""

import re

import pytest
from django.urls import get_resolver

from tests.casework.factories import shenzhen_records, shenzhen_url_values
from tests.test_url_permissions import ROLES, walk

pytestmark = pytest.mark.django_db


def casework_routes():
    for route, name in walk(get_resolver().url_patterns):
        if name and (name.startswith(("casework:", "open311:")) or "casework-" in name):
            yield route, name


def fill(route, name, records):
    values = {"code": "440300", "format": "json"}
    for key, pk in records.items():
        if key in name:
            values["pk"] = pk
            break

    def replace(match):
        key = match.group("key") or match.group("rekey")
        return values[key]

    url = re.sub(r"<(?:\w+:)?(?P<key>\w+)>|\(\?P<(?P<rekey>\w+)>[^)]*\)", replace, route)
    url = url.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\", "")
    url = re.sub(r"\.\?$|\?$", "", url)
    return "/" + url


def test_the_walk_finds_the_casework_routes():
    names = {name for _route, name in casework_routes()}
    assert {"casework:inbox", "casework:concern", "open311:requests"} <= names
    assert any("casework-unit-concern" in name for name in names)


@pytest.mark.parametrize("role", (*ROLES, "other_unit"))
def test_no_role_reaches_shenzhens_concerns(cw, client, role):
    records = shenzhen_records(cw.world)
    listed = shenzhen_url_values(cw.world)
    public, own = listed["public"], listed["own"]
    user = getattr(cw.users, role)
    if user is not None:
        client.force_login(user)
    checked = 0
    for route, name in casework_routes():
        if name in public:
            continue
        url = fill(route, name, records)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            if name in own:
                assert status < 500, (role, method, url, status)
                continue
            if user is None:
                allowed = status in (401, 403, 404, 405) or (
                    status == 302 and "/accounts/login/" in response.url
                )
            else:
                allowed = status in (403, 404, 405)
            assert allowed, f"{role} {method.upper()} {url} ({name}) → {status}"
            checked += 1
    assert checked >= 30
