"""Template helpers of the proposals pages: the staff menu, the labels of the timeline and of
linked records in the reader's language (the records keep codes)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import capfirst, yesno
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import AuditEvent, RecordLink
from lianluo.directory.models import Committee
from lianluo.directory.scoping import scope_for
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    OpinionReport,
    Proposal,
    ProposalAuthor,
)
from lianluo.proposals.workflow import ASSIGNMENT_ACTIONS, PROPOSAL_ACTIONS, REPORT_ACTIONS

register = template.Library()


def _committee(value: Any) -> Committee | None:
    """The committee of the page, if it has one (a page without one gets '' from the
    template engine: a member's own page, a unit's inbox)."""
    return value if isinstance(value, Committee) else None


@register.simple_tag(takes_context=True)
def reads_committee(context: dict[str, Any], committee: Any) -> bool:
    """Whether the current user reads this committee's proposal work (staff, auditors)."""
    request = context.get("request")
    found = _committee(committee)
    if request is None or found is None:
        return False
    return scope_for(request.user).can_read_committee(found)


@register.simple_tag(takes_context=True)
def edits_committee(context: dict[str, Any], committee: Any) -> bool:
    request = context.get("request")
    found = _committee(committee)
    if request is None or found is None:
        return False
    return scope_for(request.user).can_edit_committee(found.pk)


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def record_url(obj: Any) -> str:
    """The page of a linked record, when it has one."""
    method = getattr(obj, "get_absolute_url", None)
    try:
        return str(method()) if callable(method) else ""
    except Exception:  # a record of another app without a page
        return ""


@register.filter
def link_kind(value: str) -> Any:
    """The label of a link between records ("became", "merged_into")."""
    try:
        return RecordLink.Kind(value).label
    except ValueError:
        return value


# --------------------------------------------------------------------------------------------
# The timeline: every verb the services record on a proposal, an assignment or a report.

# The steps of the machines, by the kind of record (the same verb reads differently).
STEP_LABELS: dict[str, dict[str, Any]] = {
    "proposal": PROPOSAL_ACTIONS,
    "report": REPORT_ACTIONS,
    "assignment": {**ASSIGNMENT_ACTIONS, "close": _("Closed with the proposal")},
}
# What is not a step of a machine.
OTHER_VERBS = {
    "created_from": _("Drafted from another record"),
    "attachment_removed": _("Attachment removed"),
    "cosign_confirmed": _("Co-signed"),
    "cosign_declined": _("Declined to co-sign"),
    "merged_in": _("Another proposal was merged into this one"),
    "assigned": _("Assigned"),
    "assignment_reply": _("A unit replied"),
    "assignment_send_opinion": _("A co-handling unit sent its opinion"),
    "assignment_return": _("A unit returned the proposal"),
    "assignment_withdraw": _("An assignment was withdrawn"),
    "assignment_evaluate": _("A reply was evaluated"),
    "assignment_rehandle": _("Handling again was asked for"),
    "assignment_close": _("An open assignment was closed with the proposal"),
    "key_selected": _("Made a key proposal"),
    "supervision_note": _("Supervision progress recorded"),
    "published": _("Published on the public site"),
    "unpublished": _("Taken off the public site"),
    "reply_published": _("A reply was published"),
    "reply_unpublished": _("A reply was taken off the public site"),
    "from_proposal": _("Turned from a proposal"),
    "checked": _("Checked and edited"),
    "printed": _("Printed in the bulletin"),
}
ADOPTION_PREFIX = "adoption_"
MODELS: dict[str, type[models.Model]] = {
    "proposal": Proposal,
    "report": OpinionReport,
    "assignment": Assignment,
}
# Keys of the recorded changes that are not fields of the record, with their values' labels.
FIELDS: dict[str, Any] = {
    "cosigner": ProposalAuthor.Role.COSIGNER.label,
    "confirmation": _("confirmation"),
    "unit": _("handling unit"),
    "assignment": _("assignment"),
    "leader": _("supervising leader"),
    "note": _("progress"),
    "source": _("source"),
    "reply": _("reply"),
    "adoption": _("adoption event"),
    "bulletin": _("bulletin issue"),
    "attachment": _("attachment"),
    "attachments": _("attachments"),
    "merged": _("from the merged proposal"),
}
VALUES: dict[str, Any] = {
    "confirmation": ProposalAuthor.State,
    "assignment": Assignment.Status,
}


def verb_label(verb: str, kind: str = "proposal", action: str = "") -> Any:
    """The label of a recorded verb on a record of `kind` ("proposal", "report",
    "assignment"); None when the verb has none."""
    steps = STEP_LABELS.get(kind, {})
    if action == "transition" and verb in steps:
        return steps[verb]
    if verb.startswith(ADOPTION_PREFIX):
        try:
            return capfirst(str(AdoptionEvent.Kind(verb.removeprefix(ADOPTION_PREFIX)).label))
        except ValueError:
            return None
    return OTHER_VERBS.get(verb) or steps.get(verb)


@register.filter
def event_label(event: AuditEvent, kind: str = "proposal") -> Any:
    """What happened, in words: the step or event, else the kind of change."""
    if event.verb:
        label = verb_label(event.verb, kind, event.action)
        if label is not None:
            return label
    return capfirst(event.get_action_display())


@register.filter
def status_label(value: Any, kind: str = "proposal") -> Any:
    """The label of a state of a record of `kind`."""
    statuses: dict[str, Any] = {
        "proposal": Proposal.Status,
        "report": OpinionReport.Status,
        "assignment": Assignment.Status,
    }
    choices = statuses.get(kind, Proposal.Status)
    try:
        return choices(value).label
    except ValueError:
        return value


def _field_of(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(value: Any, field: Any, values: Any) -> Any:
    if isinstance(value, bool):
        return yesno(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if values is not None and value in values.values:
        return values(value).label
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in choices:
        return choices[value]
    return value


@register.filter
def event_details(event: AuditEvent, kind: str = "proposal") -> list[tuple[Any, Any, Any]]:
    """(field, old, new) of an event's changes in words, without the state (shown apart)."""
    model = MODELS.get(kind)
    rows = []
    for name, values in (event.changes or {}).items():
        if name == "status" or not isinstance(values, list | tuple) or len(values) != 2:
            continue
        field = _field_of(model, name)
        label = FIELDS.get(name) or (field.verbose_name if field is not None else name)
        labels = VALUES.get(name)
        rows.append(
            (
                capfirst(label),
                _shown(values[0], field, labels),
                _shown(values[1], field, labels),
            )
        )
    return rows
