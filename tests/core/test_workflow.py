"""The workflow helper refuses steps from the wrong state, by the wrong role, without reason."""

import pytest

from lianluo.core.workflow import InvalidTransition, StateMachine, Transition

MACHINE = StateMachine(
    [
        Transition("draft", "submit", "submitted", frozenset({"author"})),
        Transition("submitted", "reject", "rejected", frozenset({"office"}), needs_reason=True),
    ],
    labels={"draft": "草稿", "submitted": "已提交", "rejected": "不予立案"},
)


def test_an_allowed_step_returns_its_transition():
    assert MACHINE.check(state="draft", action="submit", roles={"author"}).target == "submitted"


def test_a_step_from_the_wrong_state_is_refused_naming_the_state():
    with pytest.raises(InvalidTransition) as refused:
        MACHINE.check(state="rejected", action="submit", roles={"author"})
    assert refused.value.code == "not_from_this_state"
    assert "不予立案" in refused.value.message


def test_a_step_by_the_wrong_role_is_refused():
    with pytest.raises(InvalidTransition) as refused:
        MACHINE.check(state="submitted", action="reject", roles={"author"}, reason="x")
    assert refused.value.code == "not_your_role"


def test_a_step_that_needs_a_reason_is_refused_without_one():
    with pytest.raises(InvalidTransition) as refused:
        MACHINE.check(state="submitted", action="reject", roles={"office"}, reason="  ")
    assert refused.value.code == "needs_reason"


def test_available_lists_only_the_roles_steps():
    assert [t.action for t in MACHINE.available("submitted", {"office"})] == ["reject"]
    assert MACHINE.available("submitted", {"author"}) == []


def test_two_transitions_for_one_state_and_action_are_a_programming_error():
    with pytest.raises(ValueError):
        StateMachine(
            [Transition("a", "go", "b", frozenset()), Transition("a", "go", "c", frozenset())],
            labels={},
        )
