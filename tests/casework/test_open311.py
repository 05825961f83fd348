"""Open311 GeoReport v2: discovery, services, requests — JSON and XML, the spec's errors."""

from xml.etree import ElementTree

import pytest

from lianluo.casework import services
from lianluo.casework.models import Concern
from tests.casework.factories import bring_to

pytestmark = pytest.mark.django_db

BASE = "/api/open311/v2"


@pytest.fixture
def key(cw):
    _client, key = services.open311_client_create(
        committee=cw.xiangtan, by=cw.users.xiangtan_office, name="随手拍"
    )
    return key


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def test_discovery_in_both_formats(cw, client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/api/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_jurisdictions_active_categories(cw, client):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "430300"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services_ = response.json()
    assert [s["service_code"] for s in services_] == ["roads", "schools"]
    first = services_[0]
    assert first["service_name"] == "道路交通" and first["metadata"] is False
    assert first["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "430300"}))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == ["roads", "schools"]
    assert root.find("service/metadata").text == "false"


def test_jurisdiction_errors(cw, client):
    missing = client.get(f"{BASE}/services.json")  # two committees have categories
    assert missing.status_code == 400
    assert missing.json()[0]["code"] == 400 and missing.json()[0]["description"]
    unknown = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "999999"})
    assert unknown.status_code == 404
    root = xml(unknown)
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_a_service_definition_and_an_unknown_service(cw, client):
    data = client.get(f"{BASE}/services/roads.json", {"jurisdiction_id": "430300"}).json()
    assert data == {"service_code": "roads", "attributes": []}
    root = xml(client.get(f"{BASE}/services/roads.xml", {"jurisdiction_id": "430300"}))
    assert root.tag == "service_definition" and root.findtext("service_code") == "roads"
    assert (
        client.get(f"{BASE}/services/nope.json", {"jurisdiction_id": "430300"}).status_code == 404
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_then_get_round_trips(cw, client, key, fmt):
    """GET services, POST requests, then GET requests/<id>: the Open311 acceptance."""
    listed = client.get(f"{BASE}/services.json", {"jurisdiction_id": "430300"}).json()
    code = listed[0]["service_code"]
    posted = client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": key,
            "jurisdiction_id": "430300",
            "service_code": code,
            "lat": "27.8293",
            "long": "112.9440",
            "address_string": "湖南省湘潭市岳塘区建设路",
            "description": "建设路北段路灯不亮\n已经一个月了",
        },
    )
    assert posted.status_code == 200
    if fmt == "json":
        request_id = posted.json()[0]["service_request_id"]
    else:
        request_id = xml(posted).findtext("request/service_request_id")
    concern = Concern.objects.get(code=request_id)
    assert concern.source == "open311" and concern.category.code == code
    assert concern.topic == "建设路北段路灯不亮"
    got = client.get(f"{BASE}/requests/{request_id}.{fmt}")
    assert got.status_code == 200
    if fmt == "json":
        rows = got.json()
        assert len(rows) == 1
        row = rows[0]
    else:
        root = xml(got)
        assert root.tag == "service_requests"
        row = {child.tag: child.text for child in root.find("request")}
    assert row["service_request_id"] == request_id
    assert row["status"] == "open"
    assert row["service_code"] == code
    assert row["requested_datetime"].endswith("+08:00")
    assert "路灯" in row["description"]


def test_post_errors_follow_the_spec(cw, client, key):
    url = f"{BASE}/requests.json"
    assert client.post(url, {"service_code": "roads", "address_string": "x"}).status_code == 403
    assert client.post(url, {"api_key": "wrong", "service_code": "roads"}).status_code == 403
    no_code = client.post(url, {"api_key": key, "address_string": "x"})
    assert no_code.status_code == 400 and no_code.json()[0]["description"]
    unknown = client.post(url, {"api_key": key, "service_code": "nope", "address_string": "x"})
    assert unknown.status_code == 404
    no_place = client.post(url, {"api_key": key, "service_code": "roads", "description": "x"})
    assert no_place.status_code == 400
    too_long = client.post(
        url,
        {
            "api_key": key,
            "service_code": "roads",
            "address_string": "x",
            "description": "字" * 4001,
        },
    )
    assert too_long.status_code == 400
    other = client.post(
        url,
        {
            "api_key": key,
            "jurisdiction_id": "440300",
            "service_code": "roads",
            "address_string": "x",
        },
    )
    assert other.status_code == 403
    bad_number = client.post(
        url, {"api_key": key, "service_code": "roads", "lat": "north", "long": "1"}
    )
    assert bad_number.status_code == 400
    assert not Concern.objects.exists()


def test_personal_data_is_kept_only_with_consent(cw, client, key):
    url = f"{BASE}/requests.json"
    base = {"api_key": key, "service_code": "roads", "address_string": "建设路"}
    without = client.post(
        url, {**base, "first_name": "敏", "last_name": "王", "phone": "13912345678"}
    )
    assert "consent" in without.json()[0]["service_notice"]
    assert Concern.objects.get().mobile_encrypted == ""
    client.post(url, {**base, "phone": "13912345678", "consent": "true", "description": "第二条"})
    assert Concern.objects.exclude(mobile_encrypted="").count() == 1


def test_spam_through_open311_is_held_and_never_listed(cw, client, key):
    posted = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "roads",
            "address_string": "x",
            "description": "澳门赌场开业",
        },
    )
    request_id = posted.json()[0]["service_request_id"]
    assert Concern.objects.get(code=request_id).status == "held"
    assert client.get(f"{BASE}/requests/{request_id}.json").status_code == 404
    listed = client.get(f"{BASE}/requests.json").json()
    assert request_id not in {row["service_request_id"] for row in listed}


def test_the_request_list_filters_and_maps_states(cw, client):
    opened = bring_to(cw, "forwarded")
    closed = bring_to(cw, "closed")
    held = bring_to(cw, "held")
    rows = {r["service_request_id"]: r for r in client.get(f"{BASE}/requests.json").json()}
    assert set(rows) == {opened.code, closed.code}
    assert (
        rows[opened.code]["status"] == "open"
        and rows[opened.code]["agency_responsible"] == "市教育局"
    )
    assert (
        rows[closed.code]["status"] == "closed" and rows[closed.code]["status_notes"] == "已修复。"
    )
    assert rows[closed.code]["address"] == ""  # the place is not published
    only_closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in only_closed] == [closed.code]
    by_id = client.get(
        f"{BASE}/requests.json", {"service_request_id": f"{opened.code},{held.code}"}
    )
    assert [r["service_request_id"] for r in by_id.json()] == [opened.code]
    assert client.get(f"{BASE}/requests.json", {"status": "maybe"}).status_code == 400
    wide = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    )
    assert wide.status_code == 400
    naive = client.get(f"{BASE}/requests.json", {"start_date": "2026-01-01T00:00:00"})
    assert naive.status_code == 400
    paged = client.get(f"{BASE}/requests.json", {"page_size": 1, "page": 2}).json()
    assert len(paged) == 1


def test_an_unknown_request_is_404_in_the_spec_shape(cw, client):
    root = xml(client.get(f"{BASE}/requests/ABCDEFGHJK.xml"))
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_the_demo_client_key_works(cw, client):
    from lianluo.casework import seeding

    seeding.demo(cw.xiangtan)
    seeding.demo(cw.xiangtan)  # idempotent
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": seeding.DEMO_OPEN311_KEY,
            "jurisdiction_id": "430300",
            "service_code": "roads",
            "address_string": "建设路",
        },
    )
    assert response.status_code == 200
