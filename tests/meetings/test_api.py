"""The meetings API: scoped reads with constant query counts, and action endpoints that call
the services (transition, close, check-in, leave, sign-up, leave decisions)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lianluo.meetings.models import AttendanceRecord, LeaveRequest, Meeting
from tests.factories import MembershipFactory
from tests.meetings.factories import MeetingFactory, invite, leave, record

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def data(m):
    xiangtan = MeetingFactory(
        committee=m.xiangtan,
        status="published",
        starts_at=timezone.now() + datetime.timedelta(minutes=10),
    )
    invite(xiangtan, m.liu)
    invite(xiangtan, m.wang)
    shenzhen = MeetingFactory(committee=m.world.shenzhen, status="published")
    invite(shenzhen, m.world.shenzhen_only)
    closed = MeetingFactory(committee=m.xiangtan, status="closed")
    record(invite(closed, m.liu), AttendanceRecord.Status.PRESENT)
    record(invite(closed, m.wang), AttendanceRecord.Status.ABSENT)
    return xiangtan, shenzhen, closed


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_each_role_lists_only_what_it_may_see(m, data):
    xiangtan, shenzhen, closed = data
    assert ids(client_for(m.office).get("/api/meetings/")) == {xiangtan.pk, closed.pk}
    assert ids(client_for(m.hunan_office).get("/api/meetings/")) == {xiangtan.pk, closed.pk}
    assert ids(client_for(m.shenzhen_office).get("/api/meetings/")) == {shenzhen.pk}
    assert ids(client_for(m.liu_user).get("/api/meetings/")) == {xiangtan.pk, closed.pk}
    assert ids(client_for(m.unit).get("/api/meetings/")) == set()
    liu_records = client_for(m.liu_user).get("/api/attendance/").json()["results"]
    assert [r["person_name"] for r in liu_records] == ["刘敬民"]
    assert len(client_for(m.office).get("/api/attendance/").json()["results"]) == 2
    assert client_for(None).get("/api/meetings/").status_code in (401, 403)
    assert client_for(m.office).get(f"/api/meetings/{shenzhen.pk}/").status_code == 404


def test_lists_filter_by_committee_and_status(m, data):
    client = client_for(m.hunan_office)
    assert ids(client.get("/api/meetings/", {"committee": "430300", "status": "closed"})) == {
        data[2].pk
    }
    rows = client.get("/api/attendance/", {"status": "absent"}).json()["results"]
    assert [r["person_name"] for r in rows] == ["王勇峰"]


@pytest.mark.parametrize(
    "path", ["/api/meetings/", "/api/invitations/", "/api/attendance/", "/api/leave-requests/"]
)
def test_api_lists_are_a_constant_number_of_queries(m, data, path, django_assert_max_num_queries):
    client = client_for(m.office)

    def fill(count):
        for _ in range(count):
            person = MembershipFactory(
                term=m.world.terms["430300"], committee=m.xiangtan, sector=m.economy
            ).person
            meeting = MeetingFactory(committee=m.xiangtan, status="closed")
            invitation = invite(meeting, person)
            record(invitation, AttendanceRecord.Status.ABSENT)
            leave(invitation, status="approved")

    fill(1)
    client.get(path)
    with django_assert_max_num_queries(12) as few:
        client.get(path)
    fill(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(path)


def test_check_in_and_leave_by_the_api(m, data):
    xiangtan = data[0]
    liu = client_for(m.liu_user)
    done = liu.post(f"/api/meetings/{xiangtan.pk}/checkin/", {"token": xiangtan.checkin_token})
    assert done.status_code == 200 and done.json()["checkin_method"] == "qr"
    twice = liu.post(f"/api/meetings/{xiangtan.pk}/checkin/", {"token": xiangtan.checkin_token})
    assert twice.status_code == 409 and twice.json()["code"] == "twice"
    wrong = client_for(m.wang_user).post(
        f"/api/meetings/{xiangtan.pk}/checkin/", {"token": "x" * 30}
    )
    assert wrong.status_code == 404
    asked = client_for(m.wang_user).post(f"/api/meetings/{xiangtan.pk}/leave/", {"reason": "出差"})
    assert asked.status_code == 201 and asked.json()["is_late"] is True
    empty = client_for(m.wang_user).post(f"/api/meetings/{xiangtan.pk}/leave/", {"reason": ""})
    assert empty.status_code == 400 and set(empty.json()) <= {"reason", "__all__"}


def test_leave_decisions_and_closing_by_the_api(m, data):
    xiangtan = data[0]
    request = leave(xiangtan.invitations.get(person=m.wang))
    path = f"/api/leave-requests/{request.pk}/transition/"
    assert client_for(m.liu_user).post(path, {"action": "approve"}).status_code == 404
    assert client_for(m.auditor).post(path, {"action": "approve"}).status_code == 403
    refused = client_for(m.office).post(path, {"action": "refuse"})
    assert refused.status_code == 409 and refused.json()["code"] == "needs_reason"
    assert client_for(m.office).post(path, {"action": "approve"}).json()["status"] == "approved"
    office = client_for(m.office)
    Meeting.objects.filter(pk=xiangtan.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert office.post(f"/api/meetings/{xiangtan.pk}/close/").status_code == 409  # not started
    office.post(f"/api/meetings/{xiangtan.pk}/transition/", {"action": "start"})
    closed = office.post(f"/api/meetings/{xiangtan.pk}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    statuses = dict(
        AttendanceRecord.objects.filter(meeting=xiangtan).values_list("person__name", "status")
    )
    assert statuses == {"刘敬民": "absent", "王勇峰": "excused"}
    member = client_for(m.liu_user).post(
        f"/api/meetings/{xiangtan.pk}/transition/", {"action": "cancel"}
    )
    assert member.status_code == 403
    assert LeaveRequest.objects.get().status == "approved"


def test_the_schema_documents_the_meetings_api(m):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in (
        "/api/meetings/",
        "/api/meetings/{id}/transition/",
        "/api/meetings/{id}/checkin/",
        "/api/meetings/{id}/close/",
        "/api/meetings/{id}/leave/",
        "/api/attendance/",
        "/api/leave-requests/{id}/transition/",
    ):
        assert path in paths, path
