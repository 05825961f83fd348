"""The liaison app's state machines, all in one place: a studio's publication and a reception
day's publication.

Studio 委员工作室:      draft ─publish→ published ─close (reason)→ closed ─reopen→ published
                                       published ─unpublish→ draft
Reception day 接待日:   draft ─publish→ published ─cancel (reason)→ cancelled ─reinstate→ published
                       draft ─cancel→ cancelled

Roles: "office" is office staff of the record's committee; "host" is the lead member of the
studio (may cancel a published reception day, e.g. when they fall ill and nobody can stand in).
Each service locks the row, checks the table, applies the step and writes the timeline event.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianluo.core import audit
from lianluo.core.notifications import notify
from lianluo.core.workflow import InvalidTransition, StateMachine, Transition
from lianluo.directory.scoping import scope_for
from lianluo.liaison.models import ReceptionDay, Studio, StudioMember

OFFICE = "office"
HOST = "host"

STUDIO = StateMachine(
    [
        Transition("draft", "publish", "published", frozenset({OFFICE})),
        Transition("published", "unpublish", "draft", frozenset({OFFICE})),
        Transition("published", "close", "closed", frozenset({OFFICE}), needs_reason=True),
        Transition("closed", "reopen", "published", frozenset({OFFICE})),
    ],
    labels=cast(dict[str, str], dict(Studio.Status.choices)),
)

RECEPTION_DAY = StateMachine(
    [
        Transition("draft", "publish", "published", frozenset({OFFICE})),
        Transition("draft", "cancel", "cancelled", frozenset({OFFICE})),
        Transition(
            "published", "cancel", "cancelled", frozenset({OFFICE, HOST}), needs_reason=True
        ),
        Transition("cancelled", "reinstate", "published", frozenset({OFFICE})),
    ],
    labels=cast(dict[str, str], dict(ReceptionDay.Status.choices)),
)

ACTION_LABELS = {
    "publish": gettext_lazy("Publish"),
    "unpublish": gettext_lazy("Withdraw to draft"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen"),
    "cancel": gettext_lazy("Cancel"),
    "reinstate": gettext_lazy("Reinstate"),
}


def studio_roles(user: Any, studio: Studio) -> set[str]:
    """The workflow roles `user` holds for `studio`."""
    roles: set[str] = set()
    scope = scope_for(user)
    if scope.can_edit_committee(studio.committee_id):
        roles.add(OFFICE)
    if (
        scope.person_id
        and StudioMember.objects.filter(
            studio=studio, role=StudioMember.Role.HOST, membership__person_id=scope.person_id
        ).exists()
    ):
        roles.add(HOST)
    return roles


def studio_transition(*, studio: Studio, action: str, by: Any, reason: str = "") -> Studio:
    """Take one step in a studio's publication; refused steps raise InvalidTransition."""
    with transaction.atomic():
        locked = Studio.objects.select_for_update().get(pk=studio.pk)
        step = STUDIO.check(
            state=locked.status, action=action, roles=studio_roles(by, locked), reason=reason
        )
        old = locked.status
        locked.status = step.target
        fields = ["status", "updated_at"]
        if step.target == Studio.Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            committee_id=locked.committee_id,
            changes={"status": [old, step.target]},
            reason=reason,
        )
    return locked


def reception_day_transition(
    *, day: ReceptionDay, action: str, by: Any, reason: str = ""
) -> ReceptionDay:
    """Publish, cancel or reinstate a reception day. Publishing needs a published studio and at
    least one member on duty; the members on duty are told when it is published or cancelled."""
    with transaction.atomic():
        locked = ReceptionDay.objects.select_for_update().select_related("studio").get(pk=day.pk)
        step = RECEPTION_DAY.check(
            state=locked.status,
            action=action,
            roles=studio_roles(by, locked.studio),
            reason=reason,
        )
        if step.target == ReceptionDay.Status.PUBLISHED:
            if locked.studio.status != Studio.Status.PUBLISHED:
                raise InvalidTransition(
                    _("Publish the studio first: its reception days are shown on its page."),
                    code="studio_not_published",
                )
            if not locked.duties.exists():
                raise InvalidTransition(
                    _("Name at least one member on duty before publishing the day."),
                    code="nobody_on_duty",
                )
        old = locked.status
        locked.status = step.target
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence", "updated_at"])
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            committee_id=locked.committee_id,
            changes={"status": [old, step.target]},
            reason=reason,
        )
        if old == ReceptionDay.Status.PUBLISHED or step.target == ReceptionDay.Status.PUBLISHED:
            _tell_members_on_duty(locked, action)
    return locked


def _tell_members_on_duty(day: ReceptionDay, action: str) -> None:
    users = [
        duty.membership.person.user
        for duty in day.duties.select_related("membership__person__user")
        if duty.membership.person.user_id
    ]
    if not users:
        return
    values = {"studio": day.studio.name, "date": f"{day.date:%Y-%m-%d}"}
    if day.status == ReceptionDay.Status.CANCELLED:
        title = _("Reception day cancelled: %(studio)s, %(date)s") % values
    else:
        title = _("You are on duty: %(studio)s, %(date)s") % values
    notify(
        recipients=users,
        title=title,
        url=reverse("liaison:my"),
        obj=day,
        kind=f"liaison.reception_day.{action}",
    )
