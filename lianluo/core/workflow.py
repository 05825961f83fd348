"""The workflow helper every closed loop uses: a transition table and one check.

A workflow is data plus one service. The model has `Status` choices; its workflow module lists
`Transition(source, action, target, roles)` rows; the service `<entity>_transition(...)` locks the
row, asks `machine.check(...)`, applies the step and records it with `audit.record(...)` — the
record's timeline. An illegal step raises InvalidTransition with a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class InvalidTransition(Exception):
    """A refused workflow step. `message` is translated and says why."""

    def __init__(self, message: str, *, code: str = "invalid_transition") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Transition:
    """One allowed step: in `source`, `action` leads to `target`, for any of `roles`."""

    source: str
    action: str
    target: str
    roles: frozenset[str]
    needs_reason: bool = False
    label: str = field(default="", compare=False)


class StateMachine:
    """The transitions of one workflow, looked up by (state, action)."""

    def __init__(self, transitions: Iterable[Transition], *, labels: dict[str, str]) -> None:
        self.transitions = tuple(transitions)
        self.labels = labels  # state → its display name, for messages
        self._by_key: dict[tuple[str, str], Transition] = {}
        for transition in self.transitions:
            key = (transition.source, transition.action)
            if key in self._by_key:
                raise ValueError(f"two transitions for {key}")
            self._by_key[key] = transition

    def actions_from(self, state: str) -> set[str]:
        return {t.action for t in self.transitions if t.source == state}

    def available(self, state: str, roles: Iterable[str]) -> list[Transition]:
        """The steps `roles` may take from `state`, in table order."""
        held = set(roles)
        return [t for t in self.transitions if t.source == state and t.roles & held]

    def check(
        self, *, state: str, action: str, roles: Iterable[str], reason: str = ""
    ) -> Transition:
        """The transition for (state, action) if `roles` may take it; else InvalidTransition."""
        transition = self._by_key.get((state, action))
        state_label = self.labels.get(state, state)
        if transition is None:
            raise InvalidTransition(
                _("This cannot be done while the record is “%(state)s”.") % {"state": state_label},
                code="not_from_this_state",
            )
        if not transition.roles & set(roles):
            raise InvalidTransition(
                _("You may not do this to a record that is “%(state)s”.") % {"state": state_label},
                code="not_your_role",
            )
        if transition.needs_reason and not reason.strip():
            raise InvalidTransition(_("Please give a reason for this step."), code="needs_reason")
        return transition
