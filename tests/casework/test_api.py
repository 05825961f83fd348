"""The concerns API: scoped lists, workflow steps, and the unit API with a token."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lianluo.casework.models import Concern
from tests.casework.factories import bring_to, photo, submit

pytestmark = pytest.mark.django_db

CONCERNS = "/api/casework/concerns/"
UNIT = "/api/casework/unit/concerns/"


@pytest.fixture
def api():
    return APIClient()


def test_the_list_is_scoped_and_a_constant_number_of_queries(
    cw, api, django_assert_max_num_queries
):
    for state in ("received", "forwarded", "closed"):
        bring_to(cw, state)
    shenzhen = submit(cw, committee=cw.shenzhen, topic="深圳的")
    api.force_authenticate(cw.users.xiangtan_office)
    with django_assert_max_num_queries(8):
        response = api.get(CONCERNS)
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert len(codes) == 3 and shenzhen.code not in codes
    for _ in range(4):
        bring_to(cw, "replied")
    with django_assert_max_num_queries(8):
        assert api.get(CONCERNS).json()["count"] == 7
    api.force_authenticate(cw.users.member)
    assert api.get(CONCERNS).json()["count"] == 7  # all addressed to 刘敬民
    api.force_authenticate(cw.users.shenzhen_office)
    assert [r["code"] for r in api.get(CONCERNS).json()["results"]] == [shenzhen.code]


def test_the_api_never_gives_the_full_number(cw, api):
    submit(cw, mobile="13912345678", consent=True)
    api.force_authenticate(cw.users.xiangtan_office)
    row = api.get(CONCERNS).json()["results"][0]
    assert row["mobile_masked"] == "139****5678"
    assert "13912345678" not in str(row)


def test_a_step_through_the_api(cw, api):
    concern = submit(cw)
    api.force_authenticate(cw.users.xiangtan_office)
    url = f"{CONCERNS}{concern.pk}/transition/"
    response = api.post(url, {"action": "triage", "category": "roads"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "triaged"
    response = api.post(url, {"action": "forward", "unit": cw.unit.pk}, format="json")
    assert response.json()["status"] == "forwarded"
    refused = api.post(url, {"action": "rate", "rating": "satisfied"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "not_from_this_state"
    bad = api.post(url, {"action": "reassign", "unit": cw.unit.pk, "reason": "x"}, format="json")
    assert bad.status_code == 400 and "unit" in bad.json()
    api.force_authenticate(cw.users.xiangtan_auditor)
    refused = api.post(url, {"action": "supervise", "reason": "快办"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "not_your_role"
    api.force_authenticate(cw.users.shenzhen_office)
    assert api.post(url, {"action": "supervise", "reason": "x"}, format="json").status_code == 404


def test_a_units_system_lists_and_answers_with_its_token(cw, api, django_assert_max_num_queries):
    assigned = bring_to(cw, "forwarded")
    bring_to(cw, "triaged")
    token = Token.objects.create(user=cw.users.unit)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_max_num_queries(8):
        response = api.get(UNIT)
    rows = response.json()["results"]
    assert [row["code"] for row in rows] == [assigned.code]
    assert "mobile_masked" not in rows[0]
    accepted = api.post(f"{UNIT}{assigned.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "handling"
    reply = api.post(
        f"{UNIT}{assigned.pk}/reply/",
        {"text": "已处理完毕。", "outcome": "resolved", "files": [photo()]},
        format="multipart",
    )
    assert reply.status_code == 200, reply.content
    assigned.refresh_from_db()
    assert assigned.status == "replied" and assigned.reply_text == "已处理完毕。"
    assert assigned.replies.get().attachments.count() == 1
    again = api.post(f"{UNIT}{assigned.pk}/reply/", {"text": "再答", "outcome": "resolved"})
    assert again.status_code == 409


def test_a_unit_returns_or_asks_for_clarification_through_the_api(cw, api):
    first, second = bring_to(cw, "forwarded"), bring_to(cw, "handling")
    api.force_authenticate(cw.users.unit)
    assert api.post(f"{UNIT}{first.pk}/return/", {}, format="json").status_code == 400
    response = api.post(f"{UNIT}{first.pk}/return/", {"reason": "不属于我局职责"}, format="json")
    assert response.json()["status"] == "returned"
    response = api.post(
        f"{UNIT}{second.pk}/clarification/", {"reason": "请提供具体位置"}, format="json"
    )
    assert response.json()["status"] == "clarification"


def test_a_unit_cannot_reply_to_a_concern_not_assigned_to_it(cw, api):
    concern = bring_to(cw, "handling")
    api.force_authenticate(cw.users.other_unit)
    response = api.post(f"{UNIT}{concern.pk}/reply/", {"text": "x", "outcome": "resolved"})
    assert response.status_code == 404
    api.force_authenticate(cw.users.xiangtan_office)
    assert api.get(UNIT).json()["count"] == 0


def test_anonymous_gets_nothing(cw, api):
    submit(cw)
    assert api.get(CONCERNS).status_code in (401, 403)
    assert api.get(UNIT).status_code in (401, 403)


def test_the_schema_documents_the_endpoints(cw, api):
    from drf_spectacular.generators import SchemaGenerator

    from lianluo.casework.api import router

    generator = SchemaGenerator(patterns=router.urls)
    schema = generator.get_schema(request=None, public=True)
    paths = set(schema["paths"])
    assert "/casework/concerns/{id}/transition/" in paths
    assert "/casework/unit/concerns/{id}/reply/" in paths
    assert Concern.objects.count() == 0
