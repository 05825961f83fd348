"""Template helpers of the proposals pages."""

from __future__ import annotations

from typing import Any

from django import template

from lianluo.directory.scoping import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_committee(context: dict[str, Any], committee: Any) -> bool:
    """Whether the current user reads this committee's proposal work (staff, auditors)."""
    request = context.get("request")
    if request is None or committee is None:
        return False
    return scope_for(request.user).can_read_committee(committee)


@register.simple_tag(takes_context=True)
def edits_committee(context: dict[str, Any], committee: Any) -> bool:
    request = context.get("request")
    if request is None or committee is None:
        return False
    return scope_for(request.user).can_edit_committee(committee.pk)


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
