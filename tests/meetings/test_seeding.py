"""The seed hook: a realistic, deterministic year of meetings whose records are consistent."""

import random

import pytest
from django.db.models import Count

from lianluo.meetings.models import AttendanceRecord, Invitation, LeaveRequest, Meeting
from lianluo.meetings.seeding import seed
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_seed_writes_a_consistent_year(m):
    for _ in range(40):
        MembershipFactory(term=m.world.terms["430300"], committee=m.xiangtan, sector=m.economy)
    counts = seed(committees=[m.xiangtan], rng=random.Random(1), year=2025, progress=False)
    assert counts["meetings"] == Meeting.objects.count() >= 20
    kinds = dict(Meeting.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds["plenary"] == 1 and 4 <= kinds["standing"] <= 6
    assert {"thematic", "inspection", "survey", "training", "sector"} <= set(kinds)
    # Every invitation of a closed meeting has exactly one record; none of the others has one.
    closed = Invitation.objects.filter(meeting__status="closed")
    assert AttendanceRecord.objects.count() == closed.count() == counts["attendance_records"]
    assert not AttendanceRecord.objects.exclude(meeting__status="closed").exists()
    # Excused absences point at approved leave; waiting lists never exceed their capacity.
    excused = AttendanceRecord.objects.filter(status="excused")
    assert not excused.filter(leave_request__isnull=True).exists()
    assert not excused.exclude(leave_request__status="approved").exists()
    for meeting in Meeting.objects.filter(capacity__isnull=False):
        assert meeting.invitations.filter(status="signed_up").count() <= meeting.capacity
    assert LeaveRequest.objects.count() == counts["leave_requests"] > 0
    statuses = set(AttendanceRecord.objects.values_list("status", flat=True))
    assert {"present", "excused", "absent"} <= statuses


def test_seed_is_deterministic(m):
    first = seed(committees=[m.xiangtan], rng=random.Random(7), year=2025, progress=False)
    rows = list(AttendanceRecord.objects.order_by("id").values_list("status", flat=True))
    titles = list(Meeting.objects.order_by("id").values_list("title", flat=True))
    for model in (AttendanceRecord, LeaveRequest):
        model.objects.all().delete()
    from lianluo.meetings.models import AdoptionEvent, ResearchReport, Speech

    AdoptionEvent.objects.all().delete()
    ResearchReport.objects.all().delete()
    Speech.objects.all().delete()
    Invitation.objects.all().delete()
    Meeting.objects.all().delete()
    second = seed(committees=[m.xiangtan], rng=random.Random(7), year=2025, progress=False)
    assert first == second
    assert list(Meeting.objects.order_by("id").values_list("title", flat=True)) == titles
    assert list(AttendanceRecord.objects.order_by("id").values_list("status", flat=True)) == rows


def test_delete_removes_a_committees_meetings_rows_so_the_committee_can_go(m):
    seed(committees=[m.xiangtan], rng=random.Random(3), year=2025, progress=False)
    from lianluo.meetings.seeding import delete

    counts = delete(committee_ids=[m.xiangtan.pk])
    assert counts["meetings.Meeting"] > 0
    assert not Meeting.objects.exists() and not Invitation.objects.exists()
