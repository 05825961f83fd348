"""Factories of the meetings tests, on top of tests/factories.py."""

import datetime
import itertools

import factory
from django.utils import timezone

from lianluo.directory.models import Membership
from lianluo.meetings.models import (
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingKind,
)
from tests.factories import CommitteeFactory

_tokens = itertools.count(1)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A draft thematic consultation by invitation, in two days, in the committee's newest term."""

    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    term = factory.LazyAttribute(lambda o: o.committee.terms.order_by("-number").first())
    kind = MeetingKind.THEMATIC
    title = factory.Sequence(lambda n: f"专题协商会{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    place = "政协机关一楼会议室"
    participation = Meeting.Participation.INVITATION
    status = Meeting.Status.DRAFT
    checkin_token = factory.LazyFunction(lambda: f"test-token-{next(_tokens):06d}-abcdefgh")


def seat_of(person, committee):
    return Membership.objects.get(person=person, committee=committee, organization__isnull=True)


def invite(meeting, person, *, status=None, **fields):
    """Put `person` (with a seat in the meeting's committee) on the meeting's list."""
    seat = seat_of(person, meeting.committee)
    if status is None:
        status = (
            Invitation.Status.OFFERED
            if meeting.participation == Meeting.Participation.SIGN_UP
            else Invitation.Status.INVITED
        )
    return Invitation.objects.create(
        committee=meeting.committee,
        meeting=meeting,
        person=person,
        membership=seat,
        sector=seat.sector,
        role=seat.role,
        source=Invitation.Source.NAMES,
        status=status,
        invited_at=timezone.now(),
        **fields,
    )


def leave(
    invitation,
    *,
    status=LeaveRequest.Status.REQUESTED,
    reason="出差",
    approver_role="office",
    **fields,
):
    return LeaveRequest.objects.create(
        committee=invitation.committee,
        meeting=invitation.meeting,
        invitation=invitation,
        person=invitation.person,
        reason=reason,
        status=status,
        approver_role=approver_role,
        requested_at=timezone.now(),
        **fields,
    )


def record(invitation, status, **fields):
    """An attendance record written directly (for statistics with known data)."""
    return AttendanceRecord.objects.create(
        committee=invitation.committee,
        meeting=invitation.meeting,
        invitation=invitation,
        person=invitation.person,
        sector=invitation.sector,
        status=status,
        recorded_at=timezone.now(),
        **fields,
    )


def shenzhen_url_values(world):
    """Values for the URL walk (tests/test_url_permissions.py) pointing at Shenzhen's meeting
    records: every kwarg of the meetings URLs and API routes. Made once per `world`."""
    cached = getattr(world, "_meetings_values", None)
    if cached is not None:
        return cached
    from lianluo.meetings.models import MeetingAttachment, ResearchReport, Speech

    meeting = MeetingFactory(
        committee=world.shenzhen,
        status=Meeting.Status.PUBLISHED,
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    invitation = invite(meeting, world.shenzhen_only)
    request = leave(invitation)
    closed = MeetingFactory(
        committee=world.shenzhen,
        status=Meeting.Status.CLOSED,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    closed_invitation = invite(closed, world.shenzhen_only)
    attendance = record(closed_invitation, AttendanceRecord.Status.ABSENT)
    speech = Speech.objects.create(
        committee=world.shenzhen, meeting=meeting, title="发言", mode="oral"
    )
    speech.speakers.set([world.shenzhen_only])
    report = ResearchReport.objects.create(
        committee=world.shenzhen, title="调研报告", submitted_on=timezone.localdate()
    )
    report.author_people.set([world.shenzhen_only])
    attachment = MeetingAttachment.objects.create(
        committee=world.shenzhen,
        meeting=meeting,
        title="材料",
        file="meetings/none.pdf",
        size=1,
        uploaded_at=timezone.now(),
    )
    values = {
        "meeting": meeting,
        "code": "440300",
        "pk": str(meeting.pk),
        "token": meeting.checkin_token,
        "feed_token": "not-a-real-calendar-token-000000",
        "leave_pk": str(request.pk),
        "record_pk": str(attendance.pk),
        "attachment_pk": str(attachment.pk),
        "speech_pk": str(speech.pk),
        "report_pk": str(report.pk),
        "own": {"meetings:overview", "meetings:mine", "meetings:feed_reset", "meetings:approvals"},
        # API routes (the router's `pk`), by basename
        "api": {
            "meeting": str(meeting.pk),
            "invitation": str(invitation.pk),
            "attendance-record": str(attendance.pk),
            "leave-request": str(request.pk),
        },
    }
    world._meetings_values = values
    return values
