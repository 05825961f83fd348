"""The state machines of meetings, in one module: the meeting, the sign-up, the leave request.

Each is a table `(state, action) → (next state, roles)` read by `lianluo.core.workflow`. The
services `meeting_transition`, `invitation_transition` and `leave_transition` (in
`meetings.services`) are the only code that changes these states. Roles are relative to the
record: `office` (the office of the meeting's committee), `invitee` / `requester` (the person
themself), `approver` (the approver the committee names for the meeting kind), `system`
(Lianluo itself, e.g. moving someone up from the waiting list).

Meeting 会议:      draft ─publish→ published ─start→ in_progress ─close→ closed
                  draft, published ─cancel→ cancelled
Sign-up 报名:      offered, withdrawn ─sign_up→ signed_up  (a place is free)
                  offered, withdrawn ─join_waitlist→ waitlisted  (the activity is full)
                  signed_up, waitlisted ─withdraw→ withdrawn
                  waitlisted ─promote→ signed_up  (system, first come first served)
                  any but cancelled ─cancel→ cancelled  (office, with a reason)
Leave 请假:        requested ─approve→ approved;  requested ─refuse→ refused (with a reason)
                  requested ─withdraw→ withdrawn  (the member, before the decision)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianluo.core.workflow import StateMachine, Transition
from lianluo.meetings.models import Invitation, LeaveRequest, Meeting

OFFICE = "office"
INVITEE = "invitee"
REQUESTER = "requester"
APPROVER = "approver"
SYSTEM = "system"


def _t(source: str, action: str, target: str, *roles: str, reason: bool = False) -> Transition:
    return Transition(
        source=source, action=action, target=target, roles=frozenset(roles), needs_reason=reason
    )


M = Meeting.Status
MEETING = StateMachine(
    [
        _t(M.DRAFT, "publish", M.PUBLISHED, OFFICE),
        _t(M.PUBLISHED, "start", M.IN_PROGRESS, OFFICE),
        _t(M.IN_PROGRESS, "close", M.CLOSED, OFFICE),
        _t(M.DRAFT, "cancel", M.CANCELLED, OFFICE, reason=True),
        _t(M.PUBLISHED, "cancel", M.CANCELLED, OFFICE, reason=True),
    ],
    labels={value: str(label) for value, label in M.choices},
)
MEETING_ACTION_LABELS = {
    "publish": _("Publish and send the invitations"),
    "start": _("Start the meeting"),
    "close": _("Close and record attendance"),
    "cancel": _("Cancel the meeting"),
}

S = Invitation.Status
INVITATION = StateMachine(
    [
        _t(S.OFFERED, "sign_up", S.SIGNED_UP, INVITEE, OFFICE),
        _t(S.OFFERED, "join_waitlist", S.WAITLISTED, INVITEE, OFFICE),
        _t(S.WITHDRAWN, "sign_up", S.SIGNED_UP, INVITEE, OFFICE),
        _t(S.WITHDRAWN, "join_waitlist", S.WAITLISTED, INVITEE, OFFICE),
        _t(S.SIGNED_UP, "withdraw", S.WITHDRAWN, INVITEE, OFFICE),
        _t(S.WAITLISTED, "withdraw", S.WITHDRAWN, INVITEE, OFFICE),
        _t(S.WAITLISTED, "promote", S.SIGNED_UP, SYSTEM),
        _t(S.INVITED, "cancel", S.CANCELLED, OFFICE, reason=True),
        _t(S.OFFERED, "cancel", S.CANCELLED, OFFICE, reason=True),
        _t(S.SIGNED_UP, "cancel", S.CANCELLED, OFFICE, reason=True),
        _t(S.WAITLISTED, "cancel", S.CANCELLED, OFFICE, reason=True),
        _t(S.WITHDRAWN, "cancel", S.CANCELLED, OFFICE, reason=True),
    ],
    labels={value: str(label) for value, label in S.choices},
)
INVITATION_ACTION_LABELS = {
    "sign_up": _("Sign up"),
    "join_waitlist": _("Join the waiting list"),
    "withdraw": _("Withdraw"),
    "promote": _("Move up from the waiting list"),
    "cancel": _("Take off the list"),
}

L = LeaveRequest.Status
LEAVE = StateMachine(
    [
        _t(L.REQUESTED, "approve", L.APPROVED, APPROVER, OFFICE),
        _t(L.REQUESTED, "refuse", L.REFUSED, APPROVER, OFFICE, reason=True),
        _t(L.REQUESTED, "withdraw", L.WITHDRAWN, REQUESTER),
    ],
    labels={value: str(label) for value, label in L.choices},
)
LEAVE_ACTION_LABELS = {
    "approve": _("Approve"),
    "refuse": _("Refuse"),
    "withdraw": _("Withdraw the request"),
}
