"""The proposals API: scoped lists, the workflow's actions, errors in the API's format, and the
OpenAPI schema. Paths are literal: the API app mounts these routes under /api/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lianluo.proposals import services
from lianluo.proposals.models import OpinionReport, Proposal
from tests.proposals.factories import proposal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def login(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return login


def test_lists_are_scoped_like_the_pages(pw, api, django_assert_max_num_queries):
    """Lists are scoped like the pages."""
    mine = pw.build.handling()
    pw.build.draft()  # the author's draft: not the office's business
    other = services.proposal_create(
        committee=pw.committee,
        by=pw.other_member,
        data=proposal_data(pw.committee),
    )
    office = api(pw.office)
    with django_assert_max_num_queries(10):
        ids = {p["id"] for p in office.get("/api/proposals/").json()["results"]}
    assert ids == {mine.pk}
    assert {p["id"] for p in api(pw.author_user).get("/api/proposals/").json()["results"]} == {
        mine.pk,
        Proposal.objects.filter(author=pw.author, status="draft").get().pk,
    }
    assert {p["id"] for p in api(pw.lead.user).get("/api/proposals/").json()["results"]} == {
        mine.pk
    }
    assert api(pw.foreign_office).get("/api/proposals/").json()["results"] == []
    assert api(pw.education.user).get(f"/api/proposals/{mine.pk}/").status_code == 404
    assert api(None).get("/api/proposals/").status_code in (401, 403)
    assert other.pk not in ids


def test_list_queries_do_not_grow_with_the_list(pw, api, django_assert_max_num_queries):
    """List queries do not grow with the list."""
    for _ in range(2):
        pw.build.handling(cohandling=True)
    office = api(pw.office)
    with django_assert_max_num_queries(10) as few:
        office.get("/api/proposals/")
    for _ in range(6):
        pw.build.handling(cohandling=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert office.get("/api/proposals/").json()["count"] == 8
    with django_assert_max_num_queries(8):
        office.get("/api/proposal-assignments/")
    with django_assert_max_num_queries(8):
        office.get("/api/proposal-replies/")


def test_the_whole_workflow_through_the_api(pw, api):
    """The whole workflow through the API."""
    category = services.categories_ensure_defaults(committee=pw.committee)[0]
    author = api(pw.author_user)
    created = author.post(
        "/api/proposal-drafts/430300/",
        {
            "kind": "joint",
            "cosigners": [pw.cosigner.pk],
            "title": "关于加快老旧小区加装电梯的建议",
            "body": "建议设立专项资金，简化审批流程。",
            "category": category.pk,
            "no_secret_declared": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert author.post(f"/api/proposals/{pk}/transition/", {"action": "invite"}).status_code == 200
    assert (
        api(pw.cosigner_user).post(f"/api/proposals/{pk}/cosign/", {"confirm": True}).status_code
        == 200
    )
    submitted = author.post(f"/api/proposals/{pk}/transition/", {"action": "submit"})
    assert submitted.json()["reference"]
    office = api(pw.office)
    assert (
        office.post(f"/api/proposals/{pk}/transition/", {"action": "accept"}).json()["number"]
        == "0001"
    )
    assigned = office.post(
        f"/api/proposals/{pk}/transition/",
        {"action": "assign", "units": [{"unit": pw.lead.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert assigned.json()["status"] == "handling"
    assignment = assigned.json()["assignments"][0]["id"]
    replied = api(pw.lead.user).post(
        f"/api/proposal-assignments/{assignment}/transition/",
        {"action": "reply", "text": "已办理", "answer_class": "A"},
    )
    assert replied.json()["status"] == "replied"
    evaluated = author.post(
        f"/api/proposal-assignments/{assignment}/transition/",
        {"action": "evaluate", "attitude": "satisfied", "result": "satisfied"},
    )
    assert evaluated.json()["status"] == "evaluated"
    assert author.get(f"/api/proposals/{pk}/").json()["status"] == "closed"
    verbs = [e["verb"] for e in author.get(f"/api/proposals/{pk}/timeline/").json()]
    assert verbs[0] == "" and "close" in verbs


def test_refused_steps_and_bad_data_answer_in_the_api_format(pw, api):
    """Refused steps and bad data answer in the API format."""
    proposal = pw.build.rejected()
    refused = api(pw.office).post(f"/api/proposals/{proposal.pk}/transition/", {"action": "accept"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_from_this_state"
    submitted = pw.build.submitted()
    bad = api(pw.office).post(
        f"/api/proposals/{submitted.pk}/transition/", {"action": "reject", "ground": "nope"}
    )
    assert bad.status_code == 400 and "ground" in bad.json()
    unknown = api(pw.office).post(f"/api/proposals/{submitted.pk}/transition/", {"action": "fly"})
    assert unknown.status_code == 400
    not_yours = api(pw.author_user).post(
        f"/api/proposals/{submitted.pk}/transition/", {"action": "accept"}
    )
    assert not_yours.status_code == 409 and not_yours.json()["code"] == "not_your_role"
    assert api(pw.office).post("/api/proposal-drafts/430300/", {}, format="json").status_code == 404
    assert (
        api(pw.author_user).post("/api/proposal-drafts/440300/", {}, format="json").status_code
        == 404
    )


def test_reports_adoptions_and_bulletins_through_the_api(pw, api):
    """Reports, adoptions and bulletins through the API."""
    report = pw.build.report_in("submitted")
    office = api(pw.office)
    office.post(
        f"/api/opinion-reports/{report.pk}/check/",
        {"edited_title": "新标题", "edited_body": "新正文"},
    )
    office.post(f"/api/opinion-reports/{report.pk}/transition/", {"action": "accept"})
    event = office.post(
        f"/api/opinion-reports/{report.pk}/adoptions/",
        {
            "level": "provincial",
            "body": "party",
            "scope": "single",
            "kind": "instruction",
            "occurred_on": "2026-02-01",
            "by_whom": "省委书记",
        },
    )
    assert event.status_code == 201, event.json()
    detail = api(pw.author_user).get(f"/api/opinion-reports/{report.pk}/").json()
    assert detail["edited_title"] == "新标题" and detail["title"] == report.title
    assert [e["kind"] for e in detail["adoption_events"]] == ["instruction"]
    issue = office.post(
        "/api/bulletin-issues/430300/", {"title": "社情民意", "published_on": "2026-02-02"}
    )
    assert issue.status_code == 201
    added = office.post(f"/api/bulletins/{issue.json()['id']}/entries/", {"report": report.pk})
    assert added.json()["reports"] == [report.pk]
    stats = office.get("/api/report-statistics/430300/", {"year": report.year}).json()
    assert stats["members"][0]["instructions"] == 1
    assert api(pw.author_user).get("/api/bulletins/").json()["results"] == []
    draft = api(pw.author_user).post(
        "/api/report-drafts/430300/", {"title": "关于停车的反映", "body": "停车难。"}, format="json"
    )
    assert draft.status_code == 201
    assert OpinionReport.objects.get(pk=draft.json()["id"]).status == "draft"


def test_search_statistics_similar_and_policy_endpoints(pw, api):
    """Search, statistics, similar items and policy endpoints."""
    earlier = pw.build.accepted()
    proposal = pw.build.submitted()
    office = api(pw.office)
    similar = office.get(f"/api/proposals/{proposal.pk}/similar/").json()
    assert similar[0]["id"] == earlier.pk and similar[0]["score"] > 0.9
    hits = office.get("/api/proposal-search/430300/", {"q": "加装电梯"}).json()
    assert {h["id"] for h in hits} >= {earlier.pk, proposal.pk}
    stats = office.get("/api/proposal-statistics/430300/").json()
    assert stats["submitted"] == 2 and stats["accepted"] == 1
    policy = api(pw.author_user).get("/api/proposal-policies/430300/").json()
    assert policy["body_max_chars"] == 1500
    for path in (
        "proposal-search",
        "proposal-statistics",
        "report-statistics",
        "proposal-policies",
    ):
        assert api(pw.foreign_office).get(f"/api/{path}/430300/").status_code == 404


def test_the_schema_documents_the_proposals_api(pw, api):
    """The schema documents the proposals API."""
    schema = api(pw.office).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/proposals/",
        "/api/proposals/{id}/transition/",
        "/api/proposal-assignments/{id}/transition/",
        "/api/opinion-reports/{id}/adoptions/",
        "/api/proposal-drafts/{code}/",
        "/api/proposal-search/{code}/",
    ):
        assert path in paths, path
