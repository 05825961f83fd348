"""The concern's closed loop 诉求闭环, in the words of the government hotline standard
(国办发〔2020〕53号): 受理 intake, 调度/派单 dispatch, 办理 handling, 回复 reply, 督办
supervision, 办结 conclusion, 回访 follow-up, 评价 evaluation.

One table: (state, action) → next state, and who may take the step. Roles are what a user is *to
this concern* (see `services.concern_roles`):

* office: staff of the concern's committee (those of a higher committee only read);
* member: the member the concern is addressed to;
* unit: a user of the handling unit it is assigned to;
* constituent: whoever holds the concern's signed link (rating, reopening);
* system: the background sweep (reminders and escalation after the deadline).

`services.concern_transition` is the one function that takes a step: it checks this table,
records the step on the concern's timeline and sends the step's notifications.
"""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _

from lianluo.casework.models import Concern
from lianluo.core.workflow import StateMachine, Transition

S = Concern.Status
OFFICE = "office"
MEMBER = "member"
UNIT = "unit"
CONSTITUENT = "constituent"
SYSTEM = "system"
ROLES = (OFFICE, MEMBER, UNIT, CONSTITUENT, SYSTEM)


def _t(
    source: str, action: str, target: str, *roles: str, reason: bool = False, label: str = ""
) -> Transition:
    return Transition(source, action, target, frozenset(roles), needs_reason=reason, label=label)


# Handling states: the deadline runs; the office supervises 督办, the sweep reminds and escalates.
_RUNNING = (S.FORWARDED, S.HANDLING, S.CLARIFICATION)

TRANSITIONS = (
    # Moderation of screened submissions: release into the inbox, or discard as spam (kept).
    _t(S.HELD, "release", S.RECEIVED, OFFICE),
    _t(S.HELD, "discard", S.DISCARDED, OFFICE, reason=True),
    # 受理 / 分拣: triage, merge a duplicate 并单, or decline with a reason (that is the reply).
    _t(S.RECEIVED, "triage", S.TRIAGED, OFFICE),
    _t(S.RECEIVED, "merge", S.MERGED, OFFICE),
    _t(S.RECEIVED, "decline", S.REPLIED, OFFICE, reason=True),
    # 派单: forward to a unit, answer directly, turn into a proposal or report, merge, decline.
    _t(S.TRIAGED, "forward", S.FORWARDED, OFFICE),
    _t(S.TRIAGED, "handle_directly", S.HANDLING, OFFICE, MEMBER),
    _t(S.TRIAGED, "convert", S.CONVERTED, OFFICE, MEMBER),
    _t(S.TRIAGED, "merge", S.MERGED, OFFICE),
    _t(S.TRIAGED, "decline", S.REPLIED, OFFICE, reason=True),
    # The unit accepts, or returns a wrongly assigned concern 退单; the office reassigns 改派.
    _t(S.FORWARDED, "accept", S.HANDLING, UNIT),
    _t(S.FORWARDED, "return", S.RETURNED, UNIT, reason=True),
    _t(S.FORWARDED, "reassign", S.FORWARDED, OFFICE, reason=True),
    # 办理: reply, ask for clarification, return, or (office) reassign / turn into a proposal.
    _t(S.HANDLING, "reply", S.REPLIED, OFFICE, MEMBER, UNIT),
    _t(S.HANDLING, "ask_clarification", S.CLARIFICATION, UNIT, MEMBER, reason=True),
    _t(S.HANDLING, "return", S.RETURNED, UNIT, reason=True),
    _t(S.HANDLING, "reassign", S.FORWARDED, OFFICE, reason=True),
    _t(S.HANDLING, "convert", S.CONVERTED, OFFICE, MEMBER),
    _t(S.CLARIFICATION, "clarify", S.HANDLING, OFFICE, reason=True),
    _t(S.RETURNED, "reassign", S.FORWARDED, OFFICE),
    _t(S.RETURNED, "handle_directly", S.HANDLING, OFFICE),
    _t(S.RETURNED, "decline", S.REPLIED, OFFICE, reason=True),
    # A proposal or report made from the concern is answered; its answer is the reply.
    _t(S.CONVERTED, "reply", S.REPLIED, OFFICE, MEMBER),
    # 回访 / 评价: the constituent rates (or the office records a rating heard by phone); the
    # office may close without a rating after trying.
    _t(S.REPLIED, "rate", S.CLOSED, CONSTITUENT, OFFICE),
    _t(S.REPLIED, "close", S.CLOSED, OFFICE, reason=True),
    # Reopening: within the committee's window; a constituent only after an unsatisfied rating.
    _t(S.CLOSED, "reopen", S.TRIAGED, OFFICE, CONSTITUENT, reason=True),
    # 督办 and the deadline sweep: the state stays, the step is on the timeline.
    *(_t(state, "supervise", state, OFFICE, reason=True) for state in _RUNNING),
    *(_t(state, "remind", state, SYSTEM) for state in _RUNNING),
    *(_t(state, "escalate", state, SYSTEM) for state in _RUNNING),
)

ACTION_LABELS = {
    "release": _("Release into the inbox"),
    "discard": _("Discard as spam"),
    "triage": _("Triage"),
    "merge": _("Merge into an earlier concern"),
    "decline": _("Decline"),
    "forward": _("Forward to a handling unit"),
    "handle_directly": _("Answer directly"),
    "convert": _("Turn into a proposal or opinion report"),
    "accept": _("Accept"),
    "return": _("Return (wrongly assigned)"),
    "reassign": _("Reassign to another unit"),
    "reply": _("Reply"),
    "ask_clarification": _("Ask for clarification"),
    "clarify": _("Give the clarification"),
    "rate": _("Record the rating"),
    "close": _("Close without a rating"),
    "reopen": _("Reopen"),
    "supervise": _("Supervise"),
    "remind": _("Remind of the deadline"),
    "escalate": _("Escalate (overdue)"),
}

# Actions the pages offer as forms (remind and escalate are the sweep's).
PAGE_ACTIONS = tuple(a for a in ACTION_LABELS if a not in ("remind", "escalate"))


# Status labels stay lazy: a refusal names the state in the language of the request.
machine = StateMachine(TRANSITIONS, labels=cast(dict[str, str], dict(Concern.Status.choices)))
