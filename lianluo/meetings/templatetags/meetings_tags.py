"""Template filters of the meeting pages."""

from django import template

from lianluo.meetings.models import LeaveRequest

register = template.Library()
_LEAVE = dict(LeaveRequest.Status.choices)


@register.filter
def leave_label(status: str | None) -> str:
    """The display name of a leave request status (annotated querysets carry the raw value)."""
    return str(_LEAVE.get(status or "", status or ""))
