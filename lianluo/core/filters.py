"""Strict filter types shared by every app's FilterSets (pages and API): each is typed and
bounded so that a bad value is a 400 answer, never a database error or a silently ignored filter.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

# Largest value of a 32-bit key on every supported database.
MAX_ID = 2_147_483_647
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
YEAR_SCHEMA = {"type": "integer", "minimum": 1949, "maximum": 2100}
CODE_SCHEMA = {"type": "string", "pattern": "^[0-9]{6}$"}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A positive whole number: an object's id or a term's number."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(YEAR_SCHEMA)
class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1949–2100."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field(CODE_SCHEMA)
class CodeFilter(django_filters.CharFilter):
    """A committee's six-digit division code; anything else is a 400, not an empty list."""

    field_class = forms.RegexField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("regex", r"^[0-9]{6}$")
        kwargs.setdefault("error_messages", {"invalid": _("Enter a six-digit division code.")})
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.BooleanFilter):
    """true / false (also 1 / 0); any other value is a 400, not "no filter"."""

    class Field(forms.NullBooleanField):
        widget = forms.TextInput

        def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
            if value in ("", None):
                return None
            if str(value).lower() in ("true", "1"):
                return True
            if str(value).lower() in ("false", "0"):
                return False
            raise forms.ValidationError(_("Enter true or false."), code="invalid")

        def validate(self, value: Any) -> None:
            pass

    field_class = Field
