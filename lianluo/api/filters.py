"""Filters of the API lists that the pages do not share (people use directory's PersonFilterSet).

Each filter is typed and bounded so that a bad value is a 400 answer, never a database error.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from lianluo.core.filters import CodeFilter, IdFilter, StrictBooleanFilter
from lianluo.directory.models import Committee, Membership, Organization


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
    seat = StrictBooleanFilter(
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
