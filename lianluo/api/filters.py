"""Filters of the API lists that the pages do not share (people use directory's PersonFilterSet).

Each filter is typed and bounded so that a bad value is a 400 answer, never a database error.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from lianluo.directory.models import Committee, Membership, Organization

# Largest value of a PositiveIntegerField / 32-bit key on every supported database.
MAX_ID = 2_147_483_647
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
CODE_SCHEMA = {"type": "string", "pattern": "^[0-9]{6}$"}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A positive whole number: an object's id or a term's number."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(CODE_SCHEMA)
class CodeFilter(django_filters.CharFilter):
    """A committee's six-digit division code; anything else is a 400, not an empty list."""

    field_class = forms.RegexField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("regex", r"^[0-9]{6}$")
        kwargs.setdefault("error_messages", {"invalid": _("Enter a six-digit division code.")})
        super().__init__(*args, **kwargs)


class CommitteeFilterSet(django_filters.FilterSet):
    """Committees by level and by higher committee."""

    level = django_filters.ChoiceFilter(label=_("level"), choices=Committee.Level.choices)
    parent = CodeFilter(label=_("higher committee code"), field_name="parent__code")

    class Meta:
        model = Committee
        fields = ("level", "parent")


class OrganizationFilterSet(django_filters.FilterSet):
    """Organizations by committee code and classification."""

    committee = CodeFilter(label=_("committee code"), field_name="committee__code")
    classification = django_filters.ChoiceFilter(
        label=_("classification"), choices=Organization.Classification.choices
    )

    class Meta:
        model = Organization
        fields = ("committee", "classification")


class MembershipFilterSet(django_filters.FilterSet):
    """Memberships by committee code, term number, organization, sector, role and status."""

    committee = CodeFilter(label=_("committee code"), field_name="committee__code")
    term = IdFilter(label=_("term number"), field_name="term__number")
    organization = IdFilter(label=_("organization id"), field_name="organization_id")
    seat = django_filters.BooleanFilter(
        label=_("seats only (true) or roles in organizations only (false)"),
        field_name="organization",
        lookup_expr="isnull",
    )
    sector = IdFilter(label=_("sector id"), field_name="sector_id")
    role = django_filters.ChoiceFilter(label=_("role"), choices=Membership.Role.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Membership.Status.choices)

    class Meta:
        model = Membership
        fields = ("committee", "term", "organization", "seat", "sector", "role", "status")
