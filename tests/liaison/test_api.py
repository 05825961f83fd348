"""The liaison API: studios public (published only), activities and assignments scoped, create
through the service (refusals are 400 with the field), coverage, constant query counts, and the
operations documented in the OpenAPI schema."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lianluo.liaison.models import LiaisonActivity, Studio, StudioMember
from tests.liaison.factories import (
    ConstituentGroupFactory,
    StudioFactory,
    assign,
    reception_day,
    record,
    seat,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def client_for(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def data(world):
    liu_xt = seat(world.both, world.xiangtan)
    liu_hn = seat(world.both, world.hunan)
    xt_group = ConstituentGroupFactory(committee=world.xiangtan, name="雨湖区第一中学")
    hn_group = ConstituentGroupFactory(committee=world.hunan, name="湖南省餐饮行业协会")
    assign(xt_group, liu_xt)
    assign(hn_group, liu_hn)
    studio = StudioFactory(committee=world.xiangtan, name="雨湖区委员工作室")
    StudioMember.objects.create(studio=studio, membership=liu_xt, role="host")
    reception_day(studio, date=TODAY + datetime.timedelta(days=1), members=[liu_xt])
    StudioFactory(committee=world.xiangtan, name="草稿工作室", status=Studio.Status.DRAFT)
    return {
        "xt_visit": record(world.xiangtan, members=[liu_xt], groups=[xt_group]),
        "hn_visit": record(world.hunan, members=[liu_hn], groups=[hn_group]),
        "sz_visit": record(world.shenzhen, members=[seat(world.shenzhen_only, world.shenzhen)]),
        "xt_group": xt_group,
        "liu_xt": liu_xt,
        "studio": studio,
    }


def test_anyone_lists_published_studios_with_the_next_day_and_no_phones_of_members(world, data):
    response = client_for().get("/api/liaison/studios/", {"area": "430302"})
    assert response.status_code == 200
    [studio] = response.json()["results"]
    assert studio["name"] == "雨湖区委员工作室"
    assert studio["members"] == [
        {"membership": data["liu_xt"].pk, "name": "刘敬民", "sector": "教育界"}
    ]
    assert studio["next_reception_day"]["members_on_duty"] == ["刘敬民"]
    assert studio["phone"] == "0731-58221234"  # the studio's own, published
    assert "13800138000" not in response.content.decode()  # 刘敬民's mobile
    draft = Studio.objects.get(name="草稿工作室")
    assert client_for().get(f"/api/liaison/studios/{draft.pk}/").status_code == 404


def test_activities_and_assignments_are_scoped_like_the_pages(world, data):
    def summaries(user, path):
        return sorted(item["id"] for item in client_for(user).get(path).json()["results"])

    xt, hn, sz = data["xt_visit"].pk, data["hn_visit"].pk, data["sz_visit"].pk
    assert summaries(world.users.xiangtan_office, "/api/liaison/activities/") == [xt]
    assert summaries(world.users.hunan_office, "/api/liaison/activities/") == sorted([xt, hn])
    assert summaries(world.users.shenzhen_office, "/api/liaison/activities/") == [sz]
    assert summaries(world.users.member, "/api/liaison/activities/") == sorted([xt, hn])
    assert summaries(world.users.unit, "/api/liaison/activities/") == []
    assignments = client_for(world.users.xiangtan_office).get("/api/liaison/assignments/").json()
    assert [a["group_name"] for a in assignments["results"]] == ["雨湖区第一中学"]
    filtered = client_for(world.users.hunan_office).get(
        "/api/liaison/activities/", {"committee": "430000"}
    )
    assert [a["id"] for a in filtered.json()["results"]] == [hn]
    assert client_for().get("/api/liaison/activities/").status_code in (401, 403)
    other = client_for(world.users.xiangtan_office).get(f"/api/liaison/activities/{sz}/")
    assert other.status_code == 404


def test_a_member_records_an_activity_through_the_api(world, data):
    response = client_for(world.users.member).post(
        "/api/liaison/activities/",
        {
            "committee": "430300",
            "kind": "survey",
            "date": str(TODAY),
            "summary": "调研课后服务",
            "groups": [data["xt_group"].pk],
            "headcount": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [p["name"] for p in body["participants"]] == ["刘敬民"]
    assert body["groups"] == [data["xt_group"].pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": None}, "date"),
        ({"date": str(TODAY + datetime.timedelta(days=1))}, "date"),
        ({"groups": [999999]}, "groups"),
        ({"committee": "440300"}, "committee"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_a_refused_activity_is_a_400_on_its_field_and_nothing_is_saved(world, data, changes, field):
    before = LiaisonActivity.objects.count()
    body = {"committee": "430300", "kind": "visit", "date": str(TODAY), "summary": "走访"}
    body.update(changes)
    response = client_for(world.users.member).post("/api/liaison/activities/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert LiaisonActivity.objects.count() == before


def test_only_those_who_may_record_create(world, data):
    body = {"committee": "430300", "kind": "visit", "date": str(TODAY), "summary": "走访"}
    for user in (world.users.xiangtan_auditor, world.users.hunan_office):
        response = client_for(user).post("/api/liaison/activities/", body, format="json")
        assert response.status_code == 403, user


def test_coverage_for_readers_and_the_conveners_sector(world, data):
    response = client_for(world.users.xiangtan_office).get(
        "/api/liaison/coverage/430300/", {"days": "90"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["groups_total"] == 1 and body["groups"] == []
    assert {m["name"] for m in body["members"]} == {"王勇峰", "马继龙"}
    convener = client_for(world.users.convener).get("/api/liaison/coverage/430300/").json()
    assert {m["name"] for m in convener["members"]} == {"王勇峰", "马继龙"}
    assert convener["sectors_total"] == 1
    assert client_for(world.users.member).get("/api/liaison/coverage/430300/").status_code == 404
    suffixed = client_for(world.users.xiangtan_office).get("/api/liaison/coverage/430300.json")
    assert suffixed.status_code == 200
    bad = client_for(world.users.xiangtan_office).get(
        "/api/liaison/coverage/430300/", {"days": "x"}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/liaison/activities/", "/api/liaison/assignments/", "/api/liaison/studios/"]
)
def test_api_lists_are_a_constant_number_of_queries(
    world, data, django_assert_max_num_queries, path
):
    client = client_for(world.users.hunan_office)
    client.get(path)
    with django_assert_max_num_queries(15) as few:
        client.get(path)
    for i in range(12):
        group = ConstituentGroupFactory(committee=world.xiangtan)
        assign(group, seat(world.xiangtan_only, world.xiangtan))
        record(world.xiangtan, members=[seat(world.xiangtan_only, world.xiangtan)], groups=[group])
        studio = StudioFactory(committee=world.xiangtan)
        reception_day(studio, date=TODAY + datetime.timedelta(days=i + 1), members=[data["liu_xt"]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200


def test_the_operations_are_in_the_openapi_schema(world):
    from drf_spectacular.generators import SchemaGenerator

    from lianluo.liaison.api import router

    schema = SchemaGenerator(patterns=router.urls).get_schema(request=None, public=True)
    paths = schema["paths"]
    assert {"get"} <= set(paths["/liaison/studios/"])
    assert {"get", "post"} <= set(paths["/liaison/activities/"])
    assert "get" in paths["/liaison/assignments/{id}/"]
    assert "get" in paths["/liaison/coverage/{code}/"]
    assert paths["/liaison/studios/"]["get"].get("security", [{}]) == [{}]  # no log-in
