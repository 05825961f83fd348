"""Integrity in the database and visibility (visible_to) of every meetings model."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianluo.meetings.models import (
    AdoptionEvent,
    AttendanceCorrection,
    AttendanceRecord,
    CalendarFeed,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    MeetingKindPolicy,
    ResearchReport,
    Speech,
)
from tests.meetings.factories import MeetingFactory, invite, leave, record

pytestmark = pytest.mark.django_db


def refused(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_one_invitation_per_meeting_and_person(m):
    meeting = MeetingFactory(committee=m.xiangtan)
    invite(meeting, m.liu)
    refused(lambda: invite(meeting, m.liu))


def test_one_open_leave_request_per_invitation(m):
    invitation = invite(MeetingFactory(committee=m.xiangtan), m.liu)
    leave(invitation)
    refused(lambda: leave(invitation, status="approved"))
    leave(invitation, status="refused")  # closed requests may pile up (the limit is a setting)


def test_one_attendance_record_per_invitation(m):
    invitation = invite(MeetingFactory(committee=m.xiangtan), m.liu)
    record(invitation, "present")
    refused(lambda: record(invitation, "absent"))


def test_meeting_constraints(m):
    start = timezone.now()
    refused(lambda: MeetingFactory(committee=m.xiangtan, starts_at=start, ends_at=start))
    refused(lambda: MeetingFactory(committee=m.xiangtan, capacity=10))  # not a sign-up
    refused(
        lambda: MeetingFactory(
            committee=m.xiangtan,
            participation="sign_up",
            signup_deadline=start + datetime.timedelta(days=9),
            starts_at=start,
        )
    )


def test_a_correction_must_change_something(m):
    invitation = invite(MeetingFactory(committee=m.xiangtan), m.liu)
    row = record(invitation, "absent")
    refused(
        lambda: AttendanceCorrection.objects.create(
            committee=m.xiangtan,
            record=row,
            old_status="absent",
            new_status="absent",
            reason="x",
            corrected_by=m.office,
            corrected_at=timezone.now(),
        )
    )


def test_records_that_history_needs_cannot_be_deleted(m):
    meeting = MeetingFactory(committee=m.xiangtan)
    record(invite(meeting, m.liu), "absent")
    with pytest.raises(Exception, match="protected"):
        meeting.delete()


@pytest.fixture
def everything(m):
    """One of each record, in Xiangtan (published) and in Shenzhen."""
    rows = {}
    for key, committee, person in (
        ("xt", m.xiangtan, m.liu),
        ("sz", m.world.shenzhen, m.world.shenzhen_only),
    ):
        meeting = MeetingFactory(committee=committee, status="published")
        invitation = invite(meeting, person)
        request = leave(invitation)
        closed = MeetingFactory(committee=committee, status="closed")
        row = record(invite(closed, person), "absent")
        correction = AttendanceCorrection.objects.create(
            committee=committee,
            record=row,
            old_status="absent",
            new_status="present",
            reason="补签",
            corrected_by=m.office,
            corrected_at=timezone.now(),
        )
        speech = Speech.objects.create(
            committee=committee, meeting=meeting, title="发言", mode="oral"
        )
        speech.speakers.set([person])
        report = ResearchReport.objects.create(
            committee=committee, title="报告", submitted_on=timezone.localdate()
        )
        report.author_people.set([person])
        adoption = AdoptionEvent.objects.create(
            committee=committee,
            report=report,
            level="committee",
            kind="adopted",
            by_whom="办公室",
            date=timezone.localdate(),
            recorded_at=timezone.now(),
        )
        attachment = MeetingAttachment.objects.create(
            committee=committee,
            meeting=meeting,
            title="材料",
            file="x.pdf",
            size=1,
            uploaded_at=timezone.now(),
        )
        policy = MeetingKindPolicy.objects.create(
            committee=committee, kind="plenary", approver_role="chair"
        )
        rows[key] = {
            Meeting: meeting,
            Invitation: invitation,
            LeaveRequest: request,
            AttendanceRecord: row,
            AttendanceCorrection: correction,
            Speech: speech,
            ResearchReport: report,
            AdoptionEvent: adoption,
            MeetingAttachment: attachment,
            MeetingKindPolicy: policy,
        }
    return rows


MODELS = (
    Meeting,
    Invitation,
    LeaveRequest,
    AttendanceRecord,
    AttendanceCorrection,
    Speech,
    ResearchReport,
    AdoptionEvent,
    MeetingAttachment,
    MeetingKindPolicy,
)


def visible(model, user):
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def test_staff_see_their_committee_and_those_below_only(m, everything):
    for model in MODELS:
        xt, sz = everything["xt"][model].pk, everything["sz"][model].pk
        assert xt in visible(model, m.office) and sz not in visible(model, m.office), model
        assert xt in visible(model, m.hunan_office), model
        assert xt in visible(model, m.auditor), model
        assert visible(model, m.shenzhen_office) >= {sz} and xt not in visible(
            model, m.shenzhen_office
        )


def test_a_member_sees_their_own_records_only(m, everything):
    for model in MODELS:
        seen = visible(model, m.liu_user)
        if model is MeetingKindPolicy:
            assert seen == set()
            continue
        assert everything["xt"][model].pk in seen, model
        assert everything["sz"][model].pk not in seen, model
    other = invite(everything["xt"][Meeting], m.wang)
    assert other.pk not in visible(Invitation, m.liu_user)


def test_units_and_anonymous_see_nothing(m, everything):
    for model in MODELS:
        assert visible(model, m.unit) == set(), model
        assert visible(model, None) == set(), model


def test_a_draft_meeting_and_its_list_are_hidden_from_members(m):
    draft = MeetingFactory(committee=m.xiangtan)
    invitation = invite(draft, m.liu)
    assert draft.pk not in visible(Meeting, m.liu_user)
    assert invitation.pk not in visible(Invitation, m.liu_user)


def test_the_calendar_feed_is_its_persons(m):
    feed = CalendarFeed.objects.create(person=m.liu, token="t" * 30, created_at=timezone.now())
    assert visible(CalendarFeed, m.liu_user) == {feed.pk}
    assert visible(CalendarFeed, m.wang_user) == set()
