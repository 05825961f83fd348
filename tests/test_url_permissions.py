"""Walk every URL pattern for every role: nobody reaches another committee's records.

Each pattern is filled with the records of Shenzhen (440300), a committee none of the test users
belongs to or stands above. Every role must get 403 or 404 (anonymous: a redirect to log in, or
401/403), for GET and POST alike. A scoped API list answers 200 with the caller's own records and
never shows Shenzhen's.

Each app's tests supply the values of its URL arguments with `shenzhen_url_values(world)` in
tests/<app>/factories.py: a dict of URL kwarg → value, "api": {router basename → pk}, and "own":
the names of pages of one's own (no committee's records behind them). A new URL pattern with an
argument the walk cannot fill fails the test: no page can be forgotten.
"""

import importlib
import re

import pytest
from django.apps import apps
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
APPS_WITH_URL_VALUES = ("meetings", "liaison", "casework", "proposals", "assessment")
ROLES = (
    "xiangtan_office",
    "hunan_office",
    "xiangtan_auditor",
    "member",
    "convener",
    "unit",
    "anonymous",
)


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
    return [
        (route, name)
        for route, name in walk(get_resolver().url_patterns)
        if name is not None and not route.startswith("admin/")
    ]


def directory_values(world):
    person = world.shenzhen_only
    seat = person.memberships.get()
    return {
        "code": "440300",
        "pk_by_name": {
            "directory:person": person.pk,
            "directory:person_edit": person.pk,
            "directory:person_reveal": person.pk,
            "directory:membership_new": person.pk,
            "directory:membership_edit": seat.pk,
        },
        "api": {
            "committee": "440300",
            "organization": world.sector[("440300", "经济界")].pk,
            "person": person.pk,
            "membership": seat.pk,
        },
        "own": {"directory:overview", "portal:me", "accounts:password_change"},
    }


def all_values(world):
    """The URL values of every app, by namespace ("directory" for the registry and core)."""
    values = {"directory": directory_values(world)}
    for app in APPS_WITH_URL_VALUES:
        if not apps.is_installed(f"lianluo.{app}"):
            continue
        try:
            module = importlib.import_module(f"tests.{app}.factories")
        except ImportError:
            continue
        provider = getattr(module, "shenzhen_url_values", None)
        if provider is not None:
            values[app] = provider(world)
    return values


def values_for(name, values):
    namespace, _, short = name.rpartition(":")
    if namespace == "api":
        basename = short.rsplit("-", 1)[0]
        for app_values in values.values():
            if basename in app_values.get("api", {}):
                return {**app_values, "pk": str(app_values["api"][basename])}
        return values["directory"]
    chosen = values.get(namespace, values["directory"])
    if name in chosen.get("pk_by_name", {}):
        return {**chosen, "pk": str(chosen["pk_by_name"][name])}
    return chosen


def fill(route, name, values):
    """The URL of `route` pointing at Shenzhen's records."""
    chosen = values_for(name, values)

    def replace(match):
        key = match.group("key") or match.group("rekey")
        if key == "format":
            return "json"
        if key not in chosen or not isinstance(chosen[key], str | int):
            raise AssertionError(f"{name}: the walk cannot fill <{key}> in {route}")
        return str(chosen[key])

    url = re.sub(r"<(?:\w+:)?(?P<key>\w+)>|\(\?P<(?P<rekey>\w+)>[^)]*\)", replace, route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\", "")
    return "/" + re.sub(r"\.\?$|\?$", "", url)


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_committees_records(world, client, role):
    values = all_values(world)
    own = set().union(*(v.get("own", set()) for v in values.values()))
    public = PUBLIC.union(*(v.get("public", set()) for v in values.values()))
    user = getattr(world.users, role)
    if user is not None:
        client.force_login(user)
    checked = 0
    for route, name in routes():
        if name in public:
            continue
        url = fill(route, name, values)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            if name.endswith("-list") and method == "get":
                # A scoped list answers with the caller's own records, never Shenzhen's.
                assert status in (200, 401, 403), (role, url, status)
                assert "姚明" not in response.content.decode(), (role, url)
                continue
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
    assert checked >= 10


def test_the_walk_covers_the_registry_and_the_api():
    names = {name for _, name in routes()}
    assert {"directory:members", "directory:person", "directory:membership_edit"} <= names
    assert {"api:person-detail", "api:membership-detail"} <= names


def test_admin_is_only_for_superusers(world, client):
    client.force_login(world.users.xiangtan_office)
    response = client.get("/admin/directory/person/")
    assert response.status_code == 302 and "/admin/login/" in response.url
