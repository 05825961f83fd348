"""Services of meetings: invitations by rule, sign-up with capacity and waiting list, leave
with the committee's limits, closing with exactly one attendance record per invitation,
corrections that keep the earlier value, and bad input refused field by field."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianluo.core.models import AuditEvent, Notification
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Membership, Organization
from lianluo.meetings import services
from lianluo.meetings.models import (
    AttendanceCorrection,
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingKind,
    MeetingKindPolicy,
)
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, invite, leave

pytestmark = pytest.mark.django_db

R = AttendanceRecord.Status


def future(**kwargs):
    return timezone.now() + datetime.timedelta(**kwargs)


def test_a_meeting_is_created_in_the_current_term_and_audited(m):
    meeting = services.meeting_create(
        committee=m.xiangtan,
        data={
            "kind": MeetingKind.THEMATIC,
            "title": "优化营商环境专题协商会",
            "starts_at": future(days=3),
            "ends_at": future(days=3, hours=3),
            "participation": Meeting.Participation.INVITATION,
        },
        by=m.office,
    )
    assert meeting.status == "draft" and meeting.term == m.world.terms["430300"]
    assert len(meeting.checkin_token) >= 30
    assert AuditEvent.objects.filter(object_id=str(meeting.pk), action="create").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"ends_at": "start"}, "ends_at"),
        ({"capacity": 10}, "capacity"),
        ({"signup_deadline": "later"}, "signup_deadline"),
        ({"kind": MeetingKind.STUDIO}, "studio_name"),
        ({"organizer": "unit"}, "organizer"),
    ],
)
def test_bad_meeting_input_is_refused_per_field_and_nothing_is_saved(m, change, field):
    starts = future(days=3)
    data = {
        "kind": MeetingKind.THEMATIC,
        "title": "会议",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "participation": Meeting.Participation.INVITATION,
    }
    data.update(change)
    if data["ends_at"] == "start":
        data["ends_at"] = starts
    if data.get("signup_deadline") == "later":
        data["signup_deadline"] = starts + datetime.timedelta(days=1)
    if data.get("organizer") == "unit":
        data["organizer"] = m.world.unit
    with pytest.raises(ValidationError) as refused:
        services.meeting_create(committee=m.xiangtan, data=data, by=m.office)
    assert field in refused.value.message_dict
    assert refused.value.message_dict[field][0]
    assert not Meeting.objects.exists()


def test_only_the_committees_office_creates_meetings(m):
    for user in (m.hunan_office, m.auditor, m.liu_user, m.shenzhen_office):
        with pytest.raises(PermissionDenied):
            services.meeting_create(committee=m.xiangtan, data={}, by=user)


def test_invitation_rules_put_the_right_people_on_the_list_once(m):
    """A sector, then all members, then names: one invitation per person, sector kept."""
    meeting = MeetingFactory(committee=m.xiangtan)
    added = services.invitations_generate(
        meeting=meeting, source="sector", sector=m.economy, by=m.office
    )
    assert {i.person for i in added} == {m.wang, m.ma, m.zhao}
    assert {i.sector for i in added} == {m.economy}
    more = services.invitations_generate(meeting=meeting, source="all_members", by=m.office)
    assert [i.person for i in more] == [m.liu]
    assert (
        services.invitations_generate(meeting=meeting, source="names", names="王勇峰", by=m.office)
        == []
    )
    assert meeting.invitations.count() == 4


def test_standing_and_organization_rules(m):
    """The standing committee rule takes standing seats; a group rule its serving members."""
    Membership.objects.filter(person=m.zhao, committee=m.xiangtan).update(
        role=Membership.Role.STANDING_MEMBER
    )
    group = OrganizationFactory(
        committee=m.xiangtan,
        classification=Organization.Classification.SPECIAL_COMMITTEE,
        name="提案委员会",
    )
    Membership.objects.create(
        person=m.liu,
        committee=m.xiangtan,
        term=m.world.terms["430300"],
        organization=group,
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2022, 1, 1),
    )
    meeting = MeetingFactory(committee=m.xiangtan)
    standing = services.invitations_generate(meeting=meeting, source="standing", by=m.office)
    assert [i.person for i in standing] == [m.zhao]
    by_group = services.invitations_generate(
        meeting=meeting, source="organization", organization=group, by=m.office
    )
    assert [i.person for i in by_group] == [m.liu]


def test_invitation_by_unknown_or_shared_name_is_refused_with_the_names(m):
    MembershipFactory(
        person=PersonFactory(family_name="王", given_name="勇峰"),
        term=m.world.terms["430300"],
        committee=m.xiangtan,
        sector=m.education,
    )
    meeting = MeetingFactory(committee=m.xiangtan)
    with pytest.raises(ValidationError) as refused:
        services.invitations_generate(
            meeting=meeting, source="names", names="王勇峰、张三，刘敬民", by=m.office
        )
    message = refused.value.message_dict["names"][0]
    assert "张三" in message and "王勇峰" in message
    assert not meeting.invitations.exists()


def test_publishing_notifies_every_invited_member_with_an_account(m):
    meeting = MeetingFactory(committee=m.xiangtan)
    services.invitations_generate(meeting=meeting, source="sector", sector=m.economy, by=m.office)
    services.meeting_transition(meeting=meeting, action="publish", by=m.office)
    notified = set(
        Notification.objects.filter(kind="meeting_invitation").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"member_wang", "convener_ma"}  # 赵一平 has no account


def test_publishing_without_invitations_is_refused(m):
    meeting = MeetingFactory(committee=m.xiangtan)
    with pytest.raises(InvalidTransition) as refused:
        services.meeting_transition(meeting=meeting, action="publish", by=m.office)
    assert refused.value.code == "no_invitations"


def sign_up_meeting(m, capacity=1, **kwargs):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        participation=Meeting.Participation.SIGN_UP,
        capacity=capacity,
        signup_deadline=future(days=1),
        status=Meeting.Status.PUBLISHED,
        **kwargs,
    )
    return meeting, {p: invite(meeting, p) for p in (m.liu, m.wang, m.ma)}


def test_a_full_activity_puts_people_on_the_waiting_list_and_moves_them_up_in_order(m):
    """First come first served: capacity 1; 刘 signs up, 王 then 马 wait; 刘 withdraws → 王
    moves up and is told; 王 withdraws → 马 moves up."""
    meeting, places = sign_up_meeting(m)
    assert (
        services.invitation_sign_up(invitation=places[m.liu], by=m.liu_user).status == "signed_up"
    )
    assert (
        services.invitation_sign_up(invitation=places[m.wang], by=m.wang_user).status
        == "waitlisted"
    )
    assert services.invitation_sign_up(invitation=places[m.ma], by=m.ma_user).status == "waitlisted"
    services.invitation_transition(invitation=places[m.liu], action="withdraw", by=m.liu_user)
    statuses = dict(meeting.invitations.values_list("person__name", "status"))
    assert statuses == {"刘敬民": "withdrawn", "王勇峰": "signed_up", "马继龙": "waitlisted"}
    told = Notification.objects.get(kind="meeting_promoted")
    assert told.recipient == m.wang_user
    services.invitation_transition(invitation=places[m.wang], action="withdraw", by=m.wang_user)
    assert meeting.invitations.get(person=m.ma).status == "signed_up"
    promotions = AuditEvent.objects.filter(verb="promote", actor__isnull=True).count()
    assert promotions == 2


def test_sign_up_after_the_deadline_is_refused(m):
    meeting, places = sign_up_meeting(m, capacity=None)
    Meeting.objects.filter(pk=meeting.pk).update(
        signup_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(InvalidTransition) as refused:
        services.invitation_sign_up(invitation=places[m.liu], by=m.liu_user)
    assert refused.value.code == "deadline"


def test_a_larger_capacity_moves_the_waiting_list_up(m):
    meeting, places = sign_up_meeting(m)
    for person, user in ((m.liu, m.liu_user), (m.wang, m.wang_user), (m.ma, m.ma_user)):
        services.invitation_sign_up(invitation=places[person], by=user)
    services.meeting_update(meeting=meeting, data={"capacity": 2}, by=m.office)
    assert meeting.invitations.get(person=m.wang).status == "signed_up"
    assert meeting.invitations.get(person=m.ma).status == "waitlisted"


def published(m, **kwargs):
    meeting = MeetingFactory(committee=m.xiangtan, status=Meeting.Status.PUBLISHED, **kwargs)
    return meeting, invite(meeting, m.liu)


def test_leave_is_requested_with_a_reason_and_its_approver_is_told(m):
    _meeting, invitation = published(m, starts_at=future(days=5))
    request = services.leave_request_create(invitation=invitation, reason="出差", by=m.liu_user)
    assert request.status == "requested" and not request.is_late
    assert request.approver_role == "office"
    assert Notification.objects.filter(recipient=m.office, kind="leave_requested").exists()


def test_leave_after_the_cut_off_is_marked_late(m):
    _meeting, invitation = published(m, starts_at=future(hours=3))
    request = services.leave_request_create(invitation=invitation, reason="临时出差", by=m.liu_user)
    assert request.is_late


def test_leave_from_a_special_committees_activity_goes_to_its_head(m):
    group = OrganizationFactory(
        committee=m.xiangtan, classification="special_committee", name="经济委员会"
    )
    Membership.objects.create(
        person=m.wang,
        committee=m.xiangtan,
        term=m.world.terms["430300"],
        organization=group,
        role=Membership.Role.DIRECTOR,
        start_date=datetime.date(2022, 1, 1),
    )
    _meeting, invitation = published(m, kind=MeetingKind.SURVEY, organizer=group)
    request = services.leave_request_create(invitation=invitation, reason="出差", by=m.liu_user)
    assert request.approver_role == "organizer_head"
    assert Notification.objects.filter(recipient=m.wang_user, kind="leave_requested").exists()
    approved = services.leave_transition(leave=request, action="approve", by=m.wang_user)
    assert approved.status == "approved" and approved.decided_by == m.wang_user


@pytest.mark.parametrize(
    ("situation", "field"),
    [
        ("no_reason", "reason"),
        ("started", "__all__"),
        ("open_request", "__all__"),
        ("too_many", "__all__"),
        ("yearly_limit", "__all__"),
        ("checked_in", "__all__"),
        ("not_expected", "__all__"),
    ],
)
def test_leave_requests_beyond_the_rules_are_refused_and_nothing_is_saved(m, situation, field):
    meeting, invitation = published(m, starts_at=future(days=5))
    reason = "出差"
    if situation == "no_reason":
        reason = "  "
    elif situation == "started":
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=future(minutes=-1))
    elif situation == "open_request":
        leave(invitation)
    elif situation == "too_many":
        leave(invitation, status="withdrawn")
        leave(invitation, status="refused")
    elif situation == "yearly_limit":
        MeetingKindPolicy.objects.create(
            committee=m.xiangtan,
            kind=meeting.kind,
            approver_role="office",
            max_leave_requests_per_year=1,
        )
        other = MeetingFactory(
            committee=m.xiangtan, status="published", starts_at=meeting.starts_at
        )
        leave(invite(other, m.liu), status="approved")
    elif situation == "checked_in":
        Invitation.objects.filter(pk=invitation.pk).update(
            checked_in_at=timezone.now(), checkin_method="staff"
        )
    elif situation == "not_expected":
        Invitation.objects.filter(pk=invitation.pk).update(status="cancelled")
    before = LeaveRequest.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.leave_request_create(invitation=invitation, reason=reason, by=m.liu_user)
    assert refused.value.message_dict[field][0]
    assert LeaveRequest.objects.count() == before


def test_nobody_asks_for_leave_for_someone_else(m):
    _meeting, invitation = published(m)
    with pytest.raises(PermissionDenied):
        services.leave_request_create(invitation=invitation, reason="出差", by=m.wang_user)


def test_closing_records_exactly_one_status_per_invitation(m):
    """present, late, excused, absent, no_show and not_expected, each from its facts."""
    meeting = MeetingFactory(
        committee=m.xiangtan,
        participation=Meeting.Participation.SIGN_UP,
        status=Meeting.Status.IN_PROGRESS,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    now = timezone.now()
    present = invite(meeting, m.liu, status="signed_up", checked_in_at=now, checkin_method="qr")
    late = invite(
        meeting,
        m.wang,
        status="signed_up",
        checked_in_at=now,
        checkin_method="qr",
        arrived_late=True,
    )
    excused = invite(meeting, m.ma, status="signed_up")
    leave(excused, status="approved")
    no_show = invite(meeting, m.zhao, status="signed_up")
    other = MembershipFactory(
        term=m.world.terms["430300"], committee=m.xiangtan, sector=m.economy
    ).person
    not_expected = invite(meeting, other, status="offered")
    services.meeting_transition(meeting=meeting, action="close", by=m.office)
    statuses = dict(AttendanceRecord.objects.values_list("invitation_id", "status"))
    assert statuses == {
        present.pk: R.PRESENT,
        late.pk: R.LATE,
        excused.pk: R.EXCUSED,
        no_show.pk: R.NO_SHOW,
        not_expected.pk: R.NOT_EXPECTED,
    }
    assert AttendanceRecord.objects.get(invitation=excused).leave_request is not None


def test_an_invited_member_who_did_not_come_without_leave_is_absent(m):
    meeting = MeetingFactory(
        committee=m.xiangtan, status="in_progress", starts_at=future(minutes=-10)
    )
    refused = invite(meeting, m.liu)
    leave(refused, status="refused")
    nothing = invite(meeting, m.wang)
    services.meeting_transition(meeting=meeting, action="close", by=m.office)
    assert set(AttendanceRecord.objects.values_list("status", flat=True)) == {R.ABSENT}
    assert AttendanceRecord.objects.count() == 2
    assert nothing.pk in AttendanceRecord.objects.values_list("invitation_id", flat=True)


def test_closing_is_refused_before_the_start_and_with_pending_leave(m):
    early = MeetingFactory(committee=m.xiangtan, status="in_progress", starts_at=future(hours=1))
    with pytest.raises(InvalidTransition) as refused:
        services.meeting_transition(meeting=early, action="close", by=m.office)
    assert refused.value.code == "not_started"
    pending = MeetingFactory(
        committee=m.xiangtan, status="in_progress", starts_at=future(minutes=-5)
    )
    leave(invite(pending, m.liu))
    with pytest.raises(InvalidTransition) as refused:
        services.meeting_transition(meeting=pending, action="close", by=m.office)
    assert refused.value.code == "pending_leave"
    assert not AttendanceRecord.objects.exists()


def closed_with_record(m, status=R.ABSENT):
    meeting = MeetingFactory(
        committee=m.xiangtan, status="in_progress", starts_at=future(minutes=-10)
    )
    invite(meeting, m.liu)
    services.meeting_transition(meeting=meeting, action="close", by=m.office)
    return AttendanceRecord.objects.get(meeting=meeting)


def test_a_correction_keeps_the_earlier_value_with_who_when_and_why(m):
    record = closed_with_record(m)
    services.attendance_correct(
        record=record, status=R.EXCUSED, left_early=False, reason="补交书面请假", by=m.office
    )
    services.attendance_correct(
        record=record, status=R.PRESENT, left_early=True, reason="签到表漏签", by=m.office
    )
    record.refresh_from_db()
    assert (record.status, record.left_early) == (R.PRESENT, True)
    history = list(
        AttendanceCorrection.objects.filter(record=record).values_list(
            "old_status", "new_status", "reason", "corrected_by__username"
        )
    )
    assert history == [
        (R.ABSENT, R.EXCUSED, "补交书面请假", "xiangtan_office"),
        (R.EXCUSED, R.PRESENT, "签到表漏签", "xiangtan_office"),
    ]
    events = AuditEvent.objects.filter(object_id=str(record.pk), verb="correct").order_by("id")
    assert [e.changes["status"] for e in events] == [[R.ABSENT, R.EXCUSED], [R.EXCUSED, R.PRESENT]]
    assert [e.reason for e in events] == ["补交书面请假", "签到表漏签"]


@pytest.mark.parametrize(
    ("status", "reason", "field"),
    [("present", "", "reason"), ("nonsense", "因为", "status"), ("absent", "没变", "status")],
)
def test_bad_corrections_are_refused_and_nothing_changes(m, status, reason, field):
    record = closed_with_record(m)
    with pytest.raises(ValidationError) as refused:
        services.attendance_correct(
            record=record, status=status, left_early=False, reason=reason, by=m.office
        )
    assert refused.value.message_dict[field][0]
    assert not AttendanceCorrection.objects.exists()
    record.refresh_from_db()
    assert record.status == R.ABSENT


def test_only_the_office_corrects(m):
    record = closed_with_record(m)
    for user in (m.auditor, m.hunan_office, m.liu_user):
        with pytest.raises(PermissionDenied):
            services.attendance_correct(
                record=record, status=R.PRESENT, left_early=False, reason="x", by=user
            )


def test_staff_marks_are_on_the_timeline_and_can_be_cleared(m):
    _meeting, invitation = published(m, starts_at=future(minutes=-20))
    services.attendance_mark(invitation=invitation, mark="late", by=m.office)
    services.attendance_mark(invitation=invitation, mark="left_early", by=m.office)
    invitation.refresh_from_db()
    assert (
        invitation.arrived_late and invitation.left_early and invitation.checkin_method == "staff"
    )
    services.attendance_mark(invitation=invitation, mark="clear", by=m.office)
    invitation.refresh_from_db()
    assert invitation.checked_in_at is None and not invitation.left_early
    verbs = list(
        AuditEvent.objects.filter(object_id=str(invitation.pk)).values_list("verb", flat=True)
    )
    assert verbs == ["mark_late", "mark_left_early", "mark_clear"]


def test_marking_a_closed_meeting_is_refused(m):
    record = closed_with_record(m)
    with pytest.raises(ValidationError):
        services.attendance_mark(invitation=record.invitation, mark="present", by=m.office)


def test_policy_rows_are_saved_and_audited(m):
    row = services.policy_save(
        committee=m.xiangtan,
        kind=MeetingKind.PLENARY,
        data={"approver_role": "vice_chair", "max_leave_requests_per_meeting": 1},
        by=m.office,
    )
    assert row.approver_role == "vice_chair" and row.consecutive_absence_threshold == 2
    with pytest.raises(ValidationError) as refused:
        services.policy_save(
            committee=m.xiangtan,
            kind=MeetingKind.PLENARY,
            data={"approver_role": "king", "max_leave_requests_per_meeting": 0},
            by=m.office,
        )
    assert set(refused.value.message_dict) == {"approver_role", "max_leave_requests_per_meeting"}


def test_calendar_feed_token_is_reset_by_its_member_only(m):
    feed = services.calendar_feed_for(person=m.liu)
    old = feed.token
    assert services.calendar_feed_reset(person=m.liu, by=m.liu_user).token != old
    with pytest.raises(PermissionDenied):
        services.calendar_feed_reset(person=m.liu, by=m.office)


def test_speeches_and_reports_are_recorded_with_their_people(m):
    meeting, _ = published(m)
    speech = services.speech_create(
        meeting=meeting,
        data={"title": "关于营商环境的建议", "mode": "oral", "selected_for_plenary": True},
        speakers=services.members_by_names(
            committee_id=m.xiangtan.pk, names="刘敬民、王勇峰", field="speakers"
        ),
        by=m.office,
    )
    assert set(speech.speakers.all()) == {m.liu, m.wang}
    with pytest.raises(ValidationError) as refused:
        services.members_by_names(committee_id=m.xiangtan.pk, names="姚明", field="speakers")
    assert "姚明" in refused.value.message_dict["speakers"][0]
    report = services.report_create(
        committee=m.xiangtan,
        data={"title": "营商环境调研报告", "submitted_on": timezone.localdate()},
        people=[m.liu],
        organizations=[m.economy],
        surveys=[meeting],
        by=m.office,
    )
    event = services.adoption_record(
        report=report,
        data={
            "level": "party",
            "kind": "instruction",
            "by_whom": "市委书记",
            "date": timezone.localdate(),
        },
        by=m.office,
    )
    assert event.report == report
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            committee=m.xiangtan,
            data={"title": ""},
            people=[],
            organizations=[],
            surveys=[],
            by=m.office,
        )
    assert {"title", "author_people", "submitted_on"} <= set(refused.value.message_dict)
