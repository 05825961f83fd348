"""Template filters of the concern pages: timeline labels in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from lianluo.casework.models import Concern
from lianluo.casework.workflow import ACTION_LABELS
from lianluo.core.models import AuditEvent, RecordLink

register = template.Library()

OTHER_VERBS = {
    "submit": _("Submitted"),
    "comment": _("Comment on the rating"),
    "link": _("Linked to a record"),
    "retry": _("Delivery retried"),
}
FIELDS = {
    "unit": _("handling unit"),
    "deadline": _("deadline"),
    "category": _("category"),
    "urgency": _("urgency"),
    "outcome": _("outcome"),
    "rating": _("rating"),
    "merged_into": _("merged into"),
    "converted_to": _("turned into"),
    "source": _("source"),
    "linked": _("linked"),
    "comment": _("comment"),
    "delivery": _("delivery"),
}
CHOICES: dict[str, Any] = {
    "urgency": Concern.Urgency,
    "outcome": Concern.Outcome,
    "rating": Concern.Rating,
    "converted_to": Concern.ConvertedTo,
    "source": Concern.Source,
}


@register.filter
def event_label(event: AuditEvent) -> Any:
    return (
        ACTION_LABELS.get(event.verb) or OTHER_VERBS.get(event.verb) or event.get_action_display()
    )


@register.filter
def status_label(value: str) -> Any:
    try:
        return Concern.Status(value).label
    except ValueError:
        return value


def _value(field: str, value: Any) -> Any:
    choices = CHOICES.get(field)
    if choices is not None and value in choices.values:
        return choices(value).label
    if field == "deadline" and isinstance(value, str):
        return value[:16].replace("T", " ")
    return value


@register.filter
def event_details(event: AuditEvent) -> list[tuple[Any, Any, Any]]:
    """(field, old, new) of an event's changes, without the state (shown apart)."""
    rows = []
    for field, values in (event.changes or {}).items():
        if field == "status" or not isinstance(values, list | tuple) or len(values) != 2:
            continue
        rows.append((FIELDS.get(field, field), _value(field, values[0]), _value(field, values[1])))
    return rows


@register.filter
def link_kind(value: str) -> Any:
    try:
        return RecordLink.Kind(value).label
    except ValueError:
        return value
