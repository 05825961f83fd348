"""The three state machines, checked against the real services for every (state, action, role).

The expected tables are written here again, by hand, from the design (docs in
lianluo/meetings/workflow.py): a test derived from the module's own table would only test the
table against itself. Every combination not in a table must be refused with InvalidTransition
and leave the record as it was.
"""

import datetime

import pytest
from django.utils import timezone

from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Membership
from lianluo.meetings import services
from lianluo.meetings.models import Invitation, LeaveRequest, Meeting, MeetingKind
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory, invite, leave

pytestmark = pytest.mark.django_db

MEETING_TABLE = {
    ("draft", "publish"): "published",
    ("published", "start"): "in_progress",
    ("in_progress", "close"): "closed",
    ("draft", "cancel"): "cancelled",
    ("published", "cancel"): "cancelled",
}
MEETING_ROLES = {"office"}

INVITATION_TABLE = {
    ("offered", "sign_up"): ("signed_up", {"invitee", "office"}),
    ("offered", "join_waitlist"): ("waitlisted", {"invitee", "office"}),
    ("withdrawn", "sign_up"): ("signed_up", {"invitee", "office"}),
    ("withdrawn", "join_waitlist"): ("waitlisted", {"invitee", "office"}),
    ("signed_up", "withdraw"): ("withdrawn", {"invitee", "office"}),
    ("waitlisted", "withdraw"): ("withdrawn", {"invitee", "office"}),
    ("waitlisted", "promote"): ("signed_up", {"system"}),
    ("invited", "cancel"): ("cancelled", {"office"}),
    ("offered", "cancel"): ("cancelled", {"office"}),
    ("signed_up", "cancel"): ("cancelled", {"office"}),
    ("waitlisted", "cancel"): ("cancelled", {"office"}),
    ("withdrawn", "cancel"): ("cancelled", {"office"}),
}

LEAVE_TABLE = {
    ("requested", "approve"): ("approved", {"approver", "office"}),
    ("requested", "refuse"): ("refused", {"approver", "office"}),
    ("requested", "withdraw"): ("withdrawn", {"requester"}),
}


def test_meeting_workflow_allows_exactly_the_designed_steps(m):
    """Every (state, action, role) of the meeting: only the office's designed steps succeed."""
    users = {
        "office": m.office,
        "higher_office": m.hunan_office,
        "auditor": m.auditor,
        "member": m.liu_user,
        "system": None,
    }
    tried = 0
    for state in Meeting.Status.values:
        for action in ("publish", "start", "close", "cancel"):
            for role, user in users.items():
                meeting = MeetingFactory(
                    committee=m.xiangtan,
                    status=state,
                    starts_at=timezone.now() - datetime.timedelta(minutes=5),
                )
                invite(meeting, m.liu)
                allowed = (state, action) in MEETING_TABLE and role in MEETING_ROLES
                if allowed:
                    done = services.meeting_transition(
                        meeting=meeting, action=action, by=user, reason="因故"
                    )
                    assert done.status == MEETING_TABLE[(state, action)], (state, action, role)
                else:
                    with pytest.raises(InvalidTransition):
                        services.meeting_transition(
                            meeting=meeting, action=action, by=user, reason="因故"
                        )
                    meeting.refresh_from_db()
                    assert meeting.status == state, (state, action, role)
                tried += 1
    assert tried == 5 * 4 * 5


def test_invitation_workflow_allows_exactly_the_designed_steps(m):
    """Every (state, action, role) of a place on a sign-up activity's list."""
    users = {
        "invitee": m.liu_user,
        "office": m.office,
        "other_member": m.wang_user,
        "auditor": m.auditor,
        "system": None,
    }
    for state in Invitation.Status.values:
        for action in ("sign_up", "join_waitlist", "withdraw", "promote", "cancel"):
            for role, user in users.items():
                full = action == "join_waitlist"
                meeting = MeetingFactory(
                    committee=m.xiangtan,
                    participation=Meeting.Participation.SIGN_UP,
                    status=Meeting.Status.PUBLISHED,
                    capacity=1 if full else None,
                    signup_deadline=timezone.now() + datetime.timedelta(days=1),
                )
                invitation = invite(meeting, m.liu, status=state, signed_up_at=timezone.now())
                if full:
                    invite(meeting, m.zhao, status="signed_up", signed_up_at=timezone.now())
                expected = INVITATION_TABLE.get((state, action))
                if expected and role in expected[1]:
                    done = services.invitation_transition(
                        invitation=invitation, action=action, by=user, reason="名单调整"
                    )
                    assert done.status == expected[0], (state, action, role)
                else:
                    with pytest.raises(InvalidTransition):
                        services.invitation_transition(
                            invitation=invitation, action=action, by=user, reason="名单调整"
                        )
                    invitation.refresh_from_db()
                    assert invitation.status == state, (state, action, role)


def test_leave_workflow_allows_exactly_the_designed_steps(m):
    """Every (state, action, role) of a leave request from a plenary session, whose named
    approver is the chair."""
    chair = MembershipFactory(
        person=PersonFactory(family_name="陈", given_name="主席"),
        term=m.world.terms["430300"],
        committee=m.xiangtan,
        sector=m.economy,
        role=Membership.Role.CHAIR,
    ).person
    chair.user = UserFactory(username="chair_chen")
    chair.save()
    users = {
        "requester": m.liu_user,
        "approver": chair.user,
        "office": m.office,
        "other_member": m.wang_user,
        "auditor": m.auditor,
        "system": None,
    }
    for state in LeaveRequest.Status.values:
        for action in ("approve", "refuse", "withdraw"):
            for role, user in users.items():
                meeting = MeetingFactory(
                    committee=m.xiangtan, kind=MeetingKind.PLENARY, status="published"
                )
                request = leave(invite(meeting, m.liu), status=state, approver_role="chair")
                expected = LEAVE_TABLE.get((state, action))
                if expected and role in expected[1]:
                    done = services.leave_transition(
                        leave=request, action=action, by=user, reason="同意"
                    )
                    assert done.status == expected[0], (state, action, role)
                else:
                    with pytest.raises(InvalidTransition):
                        services.leave_transition(
                            leave=request, action=action, by=user, reason="同意"
                        )
                    request.refresh_from_db()
                    assert request.status == state, (state, action, role)


def test_refusing_leave_needs_a_reason(m):
    meeting = MeetingFactory(committee=m.xiangtan, status="published")
    request = leave(invite(meeting, m.liu))
    with pytest.raises(InvalidTransition) as refused:
        services.leave_transition(leave=request, action="refuse", by=m.office, reason=" ")
    assert refused.value.code == "needs_reason"


def test_the_chair_is_not_the_approver_of_a_meeting_whose_approver_is_the_office(m):
    """A chair decides only where the committee names the chair (default: plenary, standing)."""
    chair = MembershipFactory(
        term=m.world.terms["430300"],
        committee=m.xiangtan,
        sector=m.economy,
        role=Membership.Role.CHAIR,
    ).person
    chair.user = UserFactory(username="chair_two")
    chair.save()
    meeting = MeetingFactory(committee=m.xiangtan, status="published")
    request = leave(invite(meeting, m.liu), approver_role="office")
    with pytest.raises(InvalidTransition):
        services.leave_transition(leave=request, action="approve", by=chair.user)
