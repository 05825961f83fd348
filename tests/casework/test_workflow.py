"""Every (state, action, role) against the real service: only the designed steps succeed.

The expected table is written here again, by hand, from the design (国办发〔2020〕53号 loop):
it is not derived from lianluo.casework.workflow, so a wrong row there fails here.
"""

import pytest
from django.core.exceptions import ValidationError

from lianluo.casework.models import Concern
from lianluo.casework.workflow import CONSTITUENT, SYSTEM
from lianluo.core.workflow import InvalidTransition
from tests.casework.factories import bring_to, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

S = Concern.Status
STATES = [s.value for s in S]
ACTIONS = [
    "release",
    "discard",
    "triage",
    "merge",
    "decline",
    "forward",
    "handle_directly",
    "convert",
    "accept",
    "return",
    "reassign",
    "reply",
    "ask_clarification",
    "clarify",
    "rate",
    "close",
    "reopen",
    "supervise",
    "remind",
    "escalate",
]
# Who may do what, as designed. Anything not listed must be refused.
ALLOWED = {
    ("held", "release"): ({"office"}, "received"),
    ("held", "discard"): ({"office"}, "discarded"),
    ("received", "triage"): ({"office"}, "triaged"),
    ("received", "merge"): ({"office"}, "merged"),
    ("received", "decline"): ({"office"}, "replied"),
    ("triaged", "forward"): ({"office"}, "forwarded"),
    ("triaged", "handle_directly"): ({"office", "member"}, "handling"),
    ("triaged", "convert"): ({"office", "member"}, "converted"),
    ("triaged", "merge"): ({"office"}, "merged"),
    ("triaged", "decline"): ({"office"}, "replied"),
    ("forwarded", "accept"): ({"unit"}, "handling"),
    ("forwarded", "return"): ({"unit"}, "returned"),
    ("forwarded", "reassign"): ({"office"}, "forwarded"),
    ("forwarded", "supervise"): ({"office"}, "forwarded"),
    ("forwarded", "remind"): ({"system"}, "forwarded"),
    ("forwarded", "escalate"): ({"system"}, "forwarded"),
    ("handling", "reply"): ({"office", "member", "unit"}, "replied"),
    ("handling", "ask_clarification"): ({"unit", "member"}, "clarification"),
    ("handling", "return"): ({"unit"}, "returned"),
    ("handling", "reassign"): ({"office"}, "forwarded"),
    ("handling", "convert"): ({"office", "member"}, "converted"),
    ("handling", "supervise"): ({"office"}, "handling"),
    ("handling", "remind"): ({"system"}, "handling"),
    ("handling", "escalate"): ({"system"}, "handling"),
    ("clarification", "clarify"): ({"office"}, "handling"),
    ("clarification", "supervise"): ({"office"}, "clarification"),
    ("clarification", "remind"): ({"system"}, "clarification"),
    ("clarification", "escalate"): ({"system"}, "clarification"),
    ("returned", "reassign"): ({"office"}, "forwarded"),
    ("returned", "handle_directly"): ({"office"}, "handling"),
    ("returned", "decline"): ({"office"}, "replied"),
    ("converted", "reply"): ({"office", "member"}, "replied"),
    ("replied", "rate"): ({"constituent", "office"}, "closed"),
    ("replied", "close"): ({"office"}, "closed"),
    ("closed", "reopen"): ({"office", "constituent"}, "triaged"),
}
# Roles a concern can give, and people who hold none of them for Xiangtan's concern.
ROLES = ("office", "member", "unit", "constituent", "system")
OUTSIDERS = (
    "hunan_office",  # reads Xiangtan (below it), may not act
    "xiangtan_auditor",
    "shenzhen_office",
    "other_unit",  # a unit of Xiangtan the concern is not assigned to
    "convener",
    "anonymous",
)


def _actor(cw, role):
    """(by, acting_as) for a role or an outsider."""
    if role in (CONSTITUENT, SYSTEM):
        return None, role
    users = cw.users
    mapping = {"office": users.xiangtan_office, "member": users.member, "unit": users.unit}
    if role in mapping:
        return mapping[role], None
    return getattr(users, role), None


def _data(cw, action, earlier):
    return {
        "triage": {"category": cw.roads},
        "forward": {"unit": cw.unit},
        "reassign": {"unit": cw.housing_unit},
        "convert": {"converted_to": "proposal"},
        "reply": {"text": "已处理。", "outcome": "resolved"},
        "rate": {"rating": "satisfied"},
        "merge": {"target": earlier},
    }.get(action, {})


def _attempt(concern, action, cw, role, earlier):
    from lianluo.casework import services

    by, acting_as = _actor(cw, role)
    return services.concern_transition(
        concern=concern,
        action=action,
        by=by,
        acting_as=acting_as,
        reason="测试理由",
        data=_data(cw, action, earlier),
    )


@pytest.mark.parametrize("state", STATES)
def test_only_the_designed_steps_succeed_from_each_state(cw, state):
    """From `state`, each action succeeds for exactly the designed roles (reaching the designed
    state) and is refused with InvalidTransition for every other role and for outsiders."""
    # The convener of Xiangtan's 经济界 is not the concern's member.
    earlier = submit(cw, topic="更早的诉求", description="建设路路灯不亮，很久了。")
    assert cw.users.convener is not None
    concern = bring_to(cw, state, earlier=earlier)
    assert concern.status == state
    tried = 0
    for action in ACTIONS:
        roles, target = ALLOWED.get((state, action), (set(), None))
        for role in (*ROLES, *OUTSIDERS):
            if role in roles:
                fresh = bring_to(cw, state, earlier=earlier)
                done = _attempt(fresh, action, cw, role, earlier)
                assert done.status == target, (state, action, role)
                done.refresh_from_db()
                assert done.status == target
            else:
                with pytest.raises(InvalidTransition):
                    _attempt(concern, action, cw, role, earlier)
                concern.refresh_from_db()
                assert concern.status == state, (state, action, role)
            tried += 1
    assert tried == len(ACTIONS) * (len(ROLES) + len(OUTSIDERS))


def test_every_designed_step_is_in_the_table_and_no_other():
    """The hand-written table and the module's table name the same steps (the matrix above
    proves the roles)."""
    from lianluo.casework.workflow import machine

    assert {(t.source, t.action) for t in machine.transitions} == set(ALLOWED)


def test_a_refused_step_says_why_in_words(cw):
    """The refusal names the state the concern is in."""
    concern = bring_to(cw, "received")
    with pytest.raises(InvalidTransition) as refused:
        _attempt(concern, "reply", cw, "office", None)
    assert refused.value.code == "not_from_this_state"
    assert "received" in refused.value.message or "已接收" in refused.value.message


def test_a_step_that_needs_a_reason_is_refused_without_one(cw):
    from lianluo.casework import services

    concern = bring_to(cw, "forwarded")
    with pytest.raises(InvalidTransition) as refused:
        services.concern_transition(concern=concern, action="return", by=cw.users.unit, reason="  ")
    assert refused.value.code == "needs_reason"


def test_a_constituent_reopens_only_after_an_unsatisfied_rating(cw):
    from lianluo.casework import services

    concern = bring_to(cw, "replied")
    services.concern_transition(
        concern=concern, action="rate", by=None, acting_as=CONSTITUENT, data={"rating": "satisfied"}
    )
    with pytest.raises(InvalidTransition) as refused:
        services.concern_transition(
            concern=concern, action="reopen", by=None, acting_as=CONSTITUENT, reason="还是不行"
        )
    assert refused.value.code == "not_unsatisfied"


def test_reopening_is_refused_after_the_committees_window(cw, settings):
    """The window is the committee's (CaseworkPolicy.reopen_window_days), for staff too."""
    import datetime

    import time_machine

    from lianluo.casework import services
    from lianluo.casework.models import CaseworkPolicy

    CaseworkPolicy.objects.filter(committee=cw.xiangtan).update(reopen_window_days=7)
    concern = bring_to(cw, "closed")
    with time_machine.travel(datetime.timedelta(days=8)):
        with pytest.raises(InvalidTransition) as refused:
            services.concern_transition(
                concern=concern, action="reopen", by=cw.users.xiangtan_office, reason="复查"
            )
        assert refused.value.code == "window_passed"
    with time_machine.travel(datetime.timedelta(days=6)):
        reopened = services.concern_transition(
            concern=concern, action="reopen", by=cw.users.xiangtan_office, reason="复查"
        )
    assert reopened.status == "triaged" and reopened.reopen_count == 1
    assert reopened.outcome == "" and reopened.rating == ""


def test_bad_data_for_an_allowed_step_is_a_validation_error_and_changes_nothing(cw):
    concern = bring_to(cw, "triaged")
    from lianluo.casework import services

    with pytest.raises(ValidationError) as error:
        services.concern_transition(
            concern=concern,
            action="forward",
            by=cw.users.xiangtan_office,
            data={"unit": cw.shenzhen_unit},
        )
    assert "unit" in error.value.message_dict
    concern.refresh_from_db()
    assert concern.status == "triaged" and concern.handling_unit is None


def test_superusers_act_as_office(cw):
    from lianluo.casework import services

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    concern = bring_to(cw, "received")
    done = services.concern_transition(
        concern=concern, action="triage", by=root, data={"category": cw.roads}
    )
    assert done.status == "triaged"
