"""The assessment API: scoped reads, the objection actions, the rulebook check."""

import pytest
from rest_framework.test import APIClient

from lianluo.assessment import services
from lianluo.assessment.models import Objection, ScoreLine
from tests.assessment import records as r

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (r.installed("meetings") and r.installed("proposals") and r.installed("liaison")),
        reason="needs the meetings, proposals and liaison apps",
    ),
]


@pytest.fixture
def api(xt):
    services.assessment_recompute(assessment=xt.assessment)
    return APIClient()


def test_a_member_reads_only_their_own_results_and_lines(xt, api, django_assert_max_num_queries):
    api.force_authenticate(xt.world.users.member)
    with django_assert_max_num_queries(8):
        results = api.get("/api/assessment/results/").json()["results"]
    assert [row["name"] for row in results] == ["刘敬民"]
    lines = api.get("/api/assessment/lines/").json()["results"]
    assert {line["person"] for line in lines} == {xt.world.both.pk}
    assert all(line["record_label"] for line in lines)


def test_staff_read_the_committee_and_other_offices_nothing(xt, api, django_assert_max_num_queries):
    api.force_authenticate(xt.office)
    with django_assert_max_num_queries(8):
        results = api.get(f"/api/assessment/results/?assessment={xt.assessment.pk}").json()
    assert [row["total"] for row in results["results"]] == ["72.00", "40.00", "25.00"]
    api.force_authenticate(xt.world.users.shenzhen_office)
    assert api.get("/api/assessment/results/").json()["results"] == []
    assert api.post(f"/api/assessment/assessments/{xt.assessment.pk}/recompute/").status_code == 404


def test_objection_through_the_api(xt, api):
    line = ScoreLine.objects.filter(person=xt.world.both)[0]
    api.force_authenticate(xt.world.users.member)
    created = api.post(
        "/api/assessment/objections/",
        {"assessment": xt.assessment.pk, "line": line.pk, "text": "有误"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api.post(f"/api/assessment/objections/{pk}/transition/", {"action": "accept"})
    assert refused.status_code == 400
    api.force_authenticate(xt.office)
    done = api.post(
        f"/api/assessment/objections/{pk}/transition/",
        {"action": "reject", "reason": "记录无误"},
        format="json",
    )
    assert done.json()["status"] == "rejected"
    assert Objection.objects.get().decision_reason == "记录无误"


def test_the_rulebook_check_lists_problems_with_lines(xt, api):
    api.force_authenticate(xt.office)
    bad = r.SMALL_RULEBOOK.replace("status: excused}", "status: gone}")
    problems = api.post(
        "/api/assessment/rulebooks/check/", {"text": bad, "year": 2024}, format="json"
    ).json()
    assert [(p["line"], p["code"]) for p in problems] == [(12, "unknown_value")]
    good = api.post(
        "/api/assessment/rulebooks/check/", {"text": r.SMALL_RULEBOOK, "year": 2024}, format="json"
    ).json()
    assert good == []
