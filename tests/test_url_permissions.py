"""Walk every URL pattern for every role: nobody reaches another committee's records.

Each pattern is filled with the records of Shenzhen (440300), a committee none of the test users
belongs to or stands above. Every role must get 403 or 404 (anonymous: a redirect to log in, or
401/403), for GET and POST alike. A new URL pattern with arguments the walk cannot fill fails the
test until it is added to `fill()`: no page can be forgotten.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages meant for everyone (no committee's records behind them).
PUBLIC = {
    "home",
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "api:schema",
    "api:docs",
    "api:docs-js",
    "api:popolo-index",
    "api:popolo-committee",
    "api:api-root",
    "api:token",
}
# Pages of one's own, not of a committee: they must not reveal other committees' records, which
# the tests of those pages assert; here they only must not error.
OWN = {"portal:me", "accounts:password_change", "directory:overview"}


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


def routes():
    found = []
    for route, name in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or name is None:
            continue
        found.append((route, name))
    return found


def fill(route, name, world):
    """The URL of `route` pointing at Shenzhen's records."""
    shenzhen_seat = world.shenzhen_only.memberships.get()
    values = {
        "code": "440300",
        "format": "json",
    }
    lowered = (name or "").lower()
    if "membership" in lowered:
        values["pk"] = str(shenzhen_seat.pk)
    elif "person" in lowered or "people" in lowered:
        values["pk"] = str(world.shenzhen_only.pk)
    elif "organization" in lowered:
        values["pk"] = str(world.sector[("440300", "经济界")].pk)
    elif "committee" in lowered:
        values["pk"] = "440300"

    def replace(match):
        key = match.group("key") or match.group("rekey")
        if key not in values:
            raise AssertionError(
                f"{name}: the walk cannot fill <{key}> in {route}; add it to fill()"
            )
        return values[key]

    url = re.sub(r"<(?:\w+:)?(?P<key>\w+)>|\(\?P<(?P<rekey>\w+)>[^)]*\)", replace, route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")
    url = re.sub(r"\.\?$|\?$", "", url)
    return "/" + url


ROLES = (
    "xiangtan_office",
    "hunan_office",
    "xiangtan_auditor",
    "member",
    "convener",
    "unit",
    "anonymous",
)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_committees_records(world, client, role):
    user = getattr(world.users, role)
    if user is not None:
        client.force_login(user)
    checked = 0
    for route, name in routes():
        if name in PUBLIC:
            continue
        url = fill(route, name, world)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            if name in OWN:
                assert status < 500, (role, method, url, status)
                continue
            if name.startswith("api:") and name.endswith("-list") and method == "get":
                # A scoped list answers with the caller's own records, never Shenzhen's.
                assert status in (200, 401, 403), (role, url, status)
                assert "440300" not in response.content.decode() or status != 200, (role, url)
                assert "姚明" not in response.content.decode(), (role, url)
                continue
            if user is None:
                allowed = status in (401, 403, 404, 405) or (
                    status == 302 and "/accounts/login/" in response.url
                )
            else:
                allowed = status in (403, 404, 405)
            assert allowed, f"{role} {method.upper()} {url} ({name}) → {status}"
            checked += 1
    assert checked >= 10


def test_the_walk_covers_the_registry_and_the_api():
    names = {name for _, name in routes()}
    assert {"directory:members", "directory:person", "directory:membership_edit"} <= names
    assert any(name.startswith("api:") for name in names)


def test_admin_is_only_for_superusers(world, client):
    client.force_login(world.users.xiangtan_office)
    response = client.get("/admin/directory/person/")
    assert response.status_code == 302 and "/admin/login/" in response.url
