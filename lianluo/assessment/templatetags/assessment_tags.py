"""Small template helpers of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]` in a template ('' when missing)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def kind_label(name: str) -> Any:
    """The translated label of a record kind (its name when it is not declared)."""
    from lianluo.assessment.kinds import KINDS

    kind = KINDS.get(name)
    return kind.label if kind is not None else name
