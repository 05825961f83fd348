"""Every (state, action, role) of the three machines against the real services.

The expected tables below are written again by hand from the design (docs: the issue, DESIGN.md
loops 2 and 3), not read from lianluo/proposals/workflow.py: only the combinations listed here
may succeed, every other one must be refused with InvalidTransition or PermissionDenied and
leave the record as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from lianluo.core.workflow import InvalidTransition
from lianluo.directory.scoping import forget_scope
from lianluo.proposals import services
from lianluo.proposals.models import Assignment, OpinionReport, Proposal
from lianluo.proposals.services import UnitChoice

pytestmark = pytest.mark.django_db

ROLES = (
    "author",
    "cosigner",
    "other_member",
    "office",
    "parent_office",
    "auditor",
    "lead_unit",
    "other_unit",
    "foreign_office",
    "anonymous",
)

# (state, action) → (the one role that may, the state after)
PROPOSAL_TABLE = {
    ("draft", "invite"): ("author", "cosigning"),
    ("draft", "submit"): ("author", "submitted"),
    ("draft", "withdraw"): ("author", "withdrawn"),
    ("cosigning", "recall"): ("author", "draft"),
    ("cosigning", "submit"): ("author", "submitted"),
    ("cosigning", "withdraw"): ("author", "withdrawn"),
    ("submitted", "withdraw"): ("author", "withdrawn"),
    ("submitted", "accept"): ("office", "accepted"),
    ("submitted", "reject"): ("office", "rejected"),
    ("submitted", "merge"): ("office", "merged"),
    ("submitted", "suggest"): ("office", "suggestion"),
    ("submitted", "to_report"): ("office", "to_report"),
    ("submitted", "return"): ("office", "returned"),
    ("returned", "resubmit"): ("author", "submitted"),
    ("returned", "withdraw"): ("author", "withdrawn"),
    ("accepted", "assign"): ("office", "handling"),
    ("handling", "assign"): ("office", "handling"),
    ("answered", "close"): ("office", "closed"),
}
PROPOSAL_STATES = (
    "draft",
    "cosigning",
    "submitted",
    "returned",
    "withdrawn",
    "accepted",
    "rejected",
    "merged",
    "suggestion",
    "to_report",
    "handling",
    "answered",
    "closed",
)
PROPOSAL_ACTIONS = (
    "invite",
    "recall",
    "submit",
    "withdraw",
    "accept",
    "reject",
    "merge",
    "suggest",
    "to_report",
    "return",
    "resubmit",
    "assign",
    "answer",
    "rehandle",
    "close",
)

ASSIGNMENT_TABLE = {
    ("assigned", "reply"): ("lead_unit", "replied"),
    ("assigned", "send_opinion"): ("helper_unit", "opinion_sent"),
    ("assigned", "return"): ("lead_unit", "returned"),
    ("assigned", "withdraw"): ("office", "withdrawn"),
    ("replied", "evaluate"): ("author", "evaluated"),
    ("replied", "rehandle"): ("author", "assigned"),
    # ("assigned" | "replied", "close") → "closed" is the system's, when the proposal closes:
    # no user takes it (test_system_steps_are_taken_by_no_user).
}
ASSIGNMENT_STATES = (
    "assigned",
    "opinion_sent",
    "replied",
    "evaluated",
    "returned",
    "withdrawn",
    "closed",
)
ASSIGNMENT_ACTIONS = (
    "reply",
    "send_opinion",
    "return",
    "withdraw",
    "evaluate",
    "rehandle",
    "close",
)
ASSIGNMENT_ROLES = (*ROLES, "helper_unit")

REPORT_TABLE = {
    ("draft", "submit"): ("author", "submitted"),
    ("draft", "withdraw"): ("author", "withdrawn"),
    ("submitted", "accept"): ("office", "accepted"),
    ("submitted", "keep"): ("office", "kept"),
    ("submitted", "return"): ("office", "returned"),
    ("submitted", "withdraw"): ("author", "withdrawn"),
    ("returned", "resubmit"): ("author", "submitted"),
    ("returned", "withdraw"): ("author", "withdrawn"),
    ("kept", "accept"): ("office", "accepted"),
}
REPORT_STATES = ("draft", "submitted", "returned", "accepted", "kept", "withdrawn")
REPORT_ACTIONS = ("submit", "withdraw", "accept", "keep", "return", "resubmit")


def user_of(pw, role):
    users = {
        "author": pw.author_user,
        "cosigner": pw.cosigner_user,
        "other_member": pw.other_member,
        "office": pw.office,
        "parent_office": pw.parent_office,
        "auditor": pw.auditor,
        "lead_unit": pw.lead.user,
        "helper_unit": pw.helper.user,
        "other_unit": pw.education.user,
        "foreign_office": pw.foreign_office,
        "anonymous": None,
    }
    user = users[role]
    if user is not None:
        forget_scope(user)
    return user


def proposal_payload(pw, action, state):
    if action == "reject":
        return {"ground": "vague", "reason": "内容空泛"}
    if action == "return":
        return {"reason": "请补充"}
    if action == "merge":
        return {"target": pw.build.submitted(title="另一件关于电梯的提案")}
    if action == "assign":
        # A first assignment names the lead unit; a later one adds a co-handling unit.
        role = Assignment.Role.COHANDLING if state == "handling" else Assignment.Role.LEAD
        return {"units": [UnitChoice(pw.education.unit, role)]}
    return {}


def ordered(roles, allowed):
    """The allowed role last: refused attempts must leave the record unchanged for it."""
    return [r for r in roles if r != allowed] + ([allowed] if allowed in roles else [])


@pytest.mark.parametrize("state", PROPOSAL_STATES)
def test_every_proposal_step_for_every_role(pw, state):
    """Only the designed (state, action, role) combinations move a proposal."""
    for action in PROPOSAL_ACTIONS:
        expected = PROPOSAL_TABLE.get((state, action))
        allowed = expected[0] if expected else None
        proposal = pw.build.in_state(state, action=action)
        assert proposal.status == state
        payload = proposal_payload(pw, action, state)
        for role in ordered(ROLES, allowed):
            user = user_of(pw, role)
            if role == allowed:
                done = services.proposal_transition(
                    proposal=proposal, action=action, by=user, **payload
                )
                assert expected is not None and done.status == expected[1], (state, action, role)
            else:
                with pytest.raises((InvalidTransition, PermissionDenied)):
                    services.proposal_transition(
                        proposal=proposal, action=action, by=user, **payload
                    )
                assert Proposal.objects.get(pk=proposal.pk).status == state, (state, action, role)


@pytest.mark.parametrize("state", ASSIGNMENT_STATES)
def test_every_assignment_step_for_every_role(pw, state):
    """Only the designed (state, action, role) combinations move an assignment."""
    for action in ASSIGNMENT_ACTIONS:
        expected = ASSIGNMENT_TABLE.get((state, action))
        allowed = expected[0] if expected else None
        assignment = pw.build.assignment_in(state, action=action)
        assert assignment.status == state
        payload: dict[str, Any] = {
            "reason": "不属于本单位职责",
            "text": "答复如下。",
            "answer_class": "A",
            "attitude": "satisfied",
            "result": "unsatisfied" if action == "rehandle" else "satisfied",
        }
        for role in ordered(ASSIGNMENT_ROLES, allowed):
            user = user_of(pw, role)
            if role == allowed:
                done = services.assignment_transition(
                    assignment=assignment, action=action, by=user, **payload
                )
                assert expected is not None and done.status == expected[1], (state, action, role)
            else:
                with pytest.raises((InvalidTransition, PermissionDenied)):
                    services.assignment_transition(
                        assignment=assignment, action=action, by=user, **payload
                    )
                assert Assignment.objects.get(pk=assignment.pk).status == state, (
                    state,
                    action,
                    role,
                )


@pytest.mark.parametrize("state", REPORT_STATES)
def test_every_report_step_for_every_role(pw, state):
    """Only the designed (state, action, role) combinations move an opinion report."""
    for action in REPORT_ACTIONS:
        expected = REPORT_TABLE.get((state, action))
        allowed = expected[0] if expected else None
        report = pw.build.report_in(state)
        for role in ordered(ROLES, allowed):
            user = user_of(pw, role)
            if role == allowed:
                done = services.report_transition(
                    report=report, action=action, by=user, reason="原因"
                )
                assert expected is not None and done.status == expected[1], (state, action, role)
            else:
                with pytest.raises((InvalidTransition, PermissionDenied)):
                    services.report_transition(report=report, action=action, by=user, reason="原因")
                assert OpinionReport.objects.get(pk=report.pk).status == state


def test_system_steps_are_taken_by_no_user(pw):
    """answer and rehandle happen when replies come and go, an assignment closes with its
    proposal; nobody can take them by hand."""
    handling = pw.build.handling()
    answered = pw.build.answered()
    for proposal, action in ((handling, "answer"), (answered, "rehandle")):
        for role in ROLES:
            with pytest.raises((InvalidTransition, PermissionDenied)):
                services.proposal_transition(proposal=proposal, action=action, by=user_of(pw, role))
    replied = pw.build.lead_of(answered)
    co_handling = pw.build.assignment_in("assigned", action="send_opinion")
    for assignment in (replied, co_handling):
        for role in ASSIGNMENT_ROLES:
            with pytest.raises((InvalidTransition, PermissionDenied)):
                services.assignment_transition(
                    assignment=assignment, action="close", by=user_of(pw, role)
                )
        assert Assignment.objects.get(pk=assignment.pk).status == assignment.status


def test_a_refused_step_names_the_state(pw):
    """The message says what state the record is in (shown on the page as is)."""
    proposal = pw.build.rejected()
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_transition(proposal=proposal, action="accept", by=pw.office)
    assert str(Proposal.Status.REJECTED.label) in refused.value.message
