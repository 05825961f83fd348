"""The one definition of how the member list is filtered: the page, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from lianluo.core.filters import CodeFilter
from lianluo.directory.models import Committee, Membership, Organization, Person, Term
from lianluo.directory.selectors import search_people


class SeatFilterSet(django_filters.FilterSet):
    """Filters over a committee's seats 委员: name/pinyin, term, sector, role, status."""

    q = django_filters.CharFilter(label=_("name or pinyin"), method="filter_q")
    term = django_filters.ModelChoiceFilter(
        label=_("term"), queryset=Term.objects.none(), empty_label=_("all terms")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("sector"), queryset=Organization.objects.none(), empty_label=_("all sectors")
    )
    role = django_filters.ChoiceFilter(
        label=_("role"),
        choices=[(r.value, r.label) for r in Membership.SEAT_ROLES],
        empty_label=_("all roles"),
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Membership.Status.choices, empty_label=_("any status")
    )

    class Meta:
        model = Membership
        fields = ("q", "term", "sector", "role", "status")

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["term"].queryset = Term.objects.filter(committee=committee)
        self.filters["sector"].queryset = Organization.objects.filter(
            committee=committee, classification=Organization.Classification.SECTOR
        )

    def filter_q(
        self, queryset: QuerySet[Membership], name: str, value: str
    ) -> QuerySet[Membership]:
        return queryset.filter(person__in=search_people(Person.objects.all(), value))


class PersonFilterSet(django_filters.FilterSet):
    """API filter over people: name/pinyin search and committee code."""

    q = django_filters.CharFilter(label=_("name or pinyin"), method="filter_q")
    committee = CodeFilter(label=_("committee code"), method="filter_committee")

    class Meta:
        model = Person
        fields = ("q", "committee", "gender")

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return search_people(queryset, value)

    def filter_committee(
        self, queryset: QuerySet[Person], name: str, value: str
    ) -> QuerySet[Person]:
        held = Membership.objects.filter(person=OuterRef("pk"), committee__code=value)
        return queryset.filter(Exists(held))
