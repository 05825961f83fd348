"""The three state machines of this app, each in one place: proposals, assignments, reports.

Roles are decided per record by `proposal_roles`, `assignment_roles` and `report_roles` in
services.py: "author" (the first proposer, or the member who drafted a group's proposal),
"office" (the office of the record's committee; offices of higher committees only read),
"unit" (the handling unit of the assignment). "system" steps are taken by the services
themselves when something else happened (the last reply came in, an evaluation asked for
handling again, the proposal closed); no person holds that role.

docs/workflows.md draws them; tests/proposals/test_workflow.py writes the tables again by
hand and tries every (state, action, role) against the services.
"""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.core.workflow import StateMachine, Transition
from lianluo.proposals.models import Assignment, OpinionReport, Proposal

AUTHOR = frozenset({"author"})
OFFICE = frozenset({"office"})
UNIT = frozenset({"unit"})
SYSTEM = frozenset({"system"})

P = Proposal.Status
PROPOSAL_ACTIONS = {
    "invite": _("Ask the co-signers to confirm"),
    "recall": _("Take back to edit"),
    "submit": _("Submit"),
    "withdraw": _("Withdraw"),
    "accept": pgettext_lazy("proposal review", "Accept"),  # 立案
    "reject": _("Do not accept"),
    "merge": _("Merge into another proposal"),
    "suggest": _("Turn into a suggestion"),
    "to_report": _("Turn into an opinion report"),
    "return": _("Return to the proposer"),
    "resubmit": _("Submit again"),
    "assign": _("Assign to handling units"),
    "answer": _("All replies received"),
    "rehandle": _("Handle again"),
    "close": _("Close"),
}
PROPOSALS = StateMachine(
    [
        Transition(P.DRAFT, "invite", P.COSIGNING, AUTHOR),
        Transition(P.DRAFT, "submit", P.SUBMITTED, AUTHOR),
        Transition(P.DRAFT, "withdraw", P.WITHDRAWN, AUTHOR),
        Transition(P.COSIGNING, "recall", P.DRAFT, AUTHOR),
        Transition(P.COSIGNING, "submit", P.SUBMITTED, AUTHOR),
        Transition(P.COSIGNING, "withdraw", P.WITHDRAWN, AUTHOR),
        Transition(P.SUBMITTED, "withdraw", P.WITHDRAWN, AUTHOR),
        Transition(P.SUBMITTED, "accept", P.ACCEPTED, OFFICE),
        Transition(P.SUBMITTED, "reject", P.REJECTED, OFFICE),
        Transition(P.SUBMITTED, "merge", P.MERGED, OFFICE),
        Transition(P.SUBMITTED, "suggest", P.SUGGESTION, OFFICE),
        Transition(P.SUBMITTED, "to_report", P.TO_REPORT, OFFICE),
        Transition(P.SUBMITTED, "return", P.RETURNED, OFFICE, needs_reason=True),
        Transition(P.RETURNED, "resubmit", P.SUBMITTED, AUTHOR),
        Transition(P.RETURNED, "withdraw", P.WITHDRAWN, AUTHOR),
        Transition(P.ACCEPTED, "assign", P.HANDLING, OFFICE),
        Transition(P.HANDLING, "assign", P.HANDLING, OFFICE),
        Transition(P.HANDLING, "answer", P.ANSWERED, SYSTEM),
        Transition(P.ANSWERED, "rehandle", P.HANDLING, SYSTEM),
        Transition(P.ANSWERED, "close", P.CLOSED, OFFICE | SYSTEM),
    ],
    labels=cast("dict[str, str]", dict(P.choices)),
)

A = Assignment.Status
ASSIGNMENT_ACTIONS = {
    "reply": _("Reply"),
    "send_opinion": _("Send the opinion to the lead unit"),
    "return": _("Return: not our business"),
    "withdraw": _("Withdraw the assignment"),
    "evaluate": _("Evaluate the reply"),
    "rehandle": _("Ask for handling again"),
}
ASSIGNMENTS = StateMachine(
    [
        Transition(A.ASSIGNED, "reply", A.REPLIED, UNIT),
        Transition(A.ASSIGNED, "send_opinion", A.OPINION_SENT, UNIT),
        Transition(A.ASSIGNED, "return", A.RETURNED, UNIT, needs_reason=True),
        Transition(A.ASSIGNED, "withdraw", A.WITHDRAWN, OFFICE, needs_reason=True),
        Transition(A.REPLIED, "evaluate", A.EVALUATED, AUTHOR),
        Transition(A.REPLIED, "rehandle", A.ASSIGNED, AUTHOR),
        # When the proposal closes, what is still open there ends with it: a co-handling
        # opinion never sent, a reply never evaluated (no evaluation is taken afterwards).
        Transition(A.ASSIGNED, "close", A.CLOSED, SYSTEM),
        Transition(A.REPLIED, "close", A.CLOSED, SYSTEM),
    ],
    labels=cast("dict[str, str]", dict(A.choices)),
)
MAX_ROUNDS = 2  # an unsatisfied result sends a reply back once; the second answer stands

R = OpinionReport.Status
REPORT_ACTIONS = {
    "submit": _("Submit"),
    "withdraw": _("Withdraw"),
    "accept": _("Accept (use)"),
    "keep": _("Keep on file"),
    "return": _("Return to the author"),
    "resubmit": _("Submit again"),
}
REPORTS = StateMachine(
    [
        Transition(R.DRAFT, "submit", R.SUBMITTED, AUTHOR),
        Transition(R.DRAFT, "withdraw", R.WITHDRAWN, AUTHOR),
        Transition(R.SUBMITTED, "accept", R.ACCEPTED, OFFICE),
        Transition(R.SUBMITTED, "keep", R.KEPT, OFFICE),
        Transition(R.SUBMITTED, "return", R.RETURNED, OFFICE, needs_reason=True),
        Transition(R.SUBMITTED, "withdraw", R.WITHDRAWN, AUTHOR),
        Transition(R.RETURNED, "resubmit", R.SUBMITTED, AUTHOR),
        Transition(R.RETURNED, "withdraw", R.WITHDRAWN, AUTHOR),
        Transition(R.KEPT, "accept", R.ACCEPTED, OFFICE),
    ],
    labels=cast("dict[str, str]", dict(R.choices)),
)
