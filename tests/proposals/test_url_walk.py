"""Every page and API route of this app, filled with Shenzhen's records, for every role of the
Xiangtan/Hunan world: nobody reaches another committee's proposals (403, 404 or 405; anonymous
users are sent to log in). Mirrors tests/test_url_permissions.py for the proposals routes."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver

from tests.proposals.factories import shenzhen_records

pytestmark = pytest.mark.django_db

ROLES = (
    "xiangtan_office",
    "hunan_office",
    "xiangtan_auditor",
    "member",
    "convener",
    "unit",
    "anonymous",
)
OWN = {"proposals:index", "proposals:mine", "proposals:units"}
PUBLIC = {"proposals:public_index"}  # the committees that publish: no records behind it
WORDS = ("proposal", "assignment", "reply", "report", "bulletin", "attachment", "adoption")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name


def ours():
    from lianluo.proposals import api, urls

    for route, name in walk(urls.urlpatterns, "proposals/", "proposals"):
        yield route, name
    for route, name in walk(api.urlpatterns, "api/", "api"):
        yield route, name


def fill(route, name, records):
    values = {"code": "440300", "format": "json"}
    lowered = name.lower()
    for word in WORDS:
        if word in lowered.split(":")[-1]:
            values["pk"] = str(records[word])
            break

    def replace(match):
        key = match.group("key") or match.group("rekey")
        assert key in values, f"{name}: cannot fill <{key}> in {route}"
        return values[key]

    url = re.sub(r"<(?:\w+:)?(?P<key>\w+)>|\(\?P<(?P<rekey>\w+)>[^)]*\)", replace, route)
    url = re.sub(r"[\^$]", "", url).replace("\\.", ".").replace("\\", "")
    return "/" + re.sub(r"\.\?$|\?$", "", url)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_shenzhens_proposals(world, client, role):
    """No role reaches shenzhens proposals."""
    records = shenzhen_records(world)
    user = getattr(world.users, role)
    if user is not None:
        client.force_login(user)
    checked = 0
    for route, name in ours():
        url = fill(route, name, records)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            if name in OWN or name in PUBLIC:
                assert status < 500, (role, method, url, status)
                continue
            if name.endswith("-list") and method == "get":
                assert status in (200, 401, 403), (role, url, status)
                assert "440300" not in response.content.decode(), (role, url)
                continue
            if user is None:
                allowed = status in (401, 403, 404, 405) or (
                    status == 302 and "/accounts/login/" in response.url
                )
            else:
                allowed = status in (403, 404, 405)
            assert allowed, f"{role} {method.upper()} {url} ({name}) → {status}"
            checked += 1
    assert checked > 60
