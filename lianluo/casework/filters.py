"""The one definition of how concern lists are filtered: the inbox page, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.casework.models import Category, Concern
from lianluo.directory.models import Committee, Organization, Person


class ConcernFilterSet(django_filters.FilterSet):
    """Filters over concerns: state, overdue, sector / member (the studio), unit, category, text."""

    q = django_filters.CharFilter(label=_("topic or code"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(label=_("state"), choices=Concern.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")
    sector = django_filters.ModelChoiceFilter(
        label=_("sector"), queryset=Organization.objects.none(), empty_label=_("all sectors")
    )
    member = django_filters.ModelChoiceFilter(
        label=_("member"), queryset=Person.objects.none(), empty_label=_("all members")
    )
    studio = django_filters.ModelChoiceFilter(
        label=_("studio"), queryset=Organization.objects.none(), empty_label=_("all studios")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("handling unit"),
        field_name="handling_unit",
        queryset=Organization.objects.none(),
        empty_label=_("all units"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=Category.objects.none(), empty_label=_("all categories")
    )
    source = django_filters.ChoiceFilter(
        label=_("source"), choices=Concern.Source.choices, empty_label=_("any source")
    )
    received_after = django_filters.DateFilter(
        label=_("received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = django_filters.DateFilter(
        label=_("received until"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Concern
        fields = (
            "q",
            "status",
            "overdue",
            "studio",
            "sector",
            "member",
            "unit",
            "category",
            "source",
        )

    def __init__(self, *args: Any, committee: Committee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        studios = Concern._meta.get_field("studio").related_model._default_manager  # type: ignore[union-attr]
        self.filters["studio"].queryset = (
            studios.filter(committee=committee) if committee is not None else studios.all()
        )
        if committee is not None:
            orgs = Organization.objects.filter(committee=committee)
            self.filters["sector"].queryset = orgs.filter(
                classification=Organization.Classification.SECTOR
            )
            self.filters["unit"].queryset = orgs.filter(
                classification=Organization.Classification.HANDLING_UNIT
            )
            self.filters["category"].queryset = Category.objects.filter(committee=committee)
            self.filters["member"].queryset = Person.objects.filter(
                memberships__committee=committee, memberships__organization__isnull=True
            ).distinct()
        else:
            self.filters["sector"].queryset = Organization.objects.filter(
                classification=Organization.Classification.SECTOR
            )
            self.filters["unit"].queryset = Organization.objects.filter(
                classification=Organization.Classification.HANDLING_UNIT
            )
            self.filters["category"].queryset = Category.objects.all()
            self.filters["member"].queryset = Person.objects.all()

    def filter_q(self, queryset: QuerySet[Concern], name: str, value: str) -> QuerySet[Concern]:
        text = value.strip()
        if not text:
            return queryset
        code = "".join(text.split()).replace("-", "").upper()
        return queryset.filter(Q(topic__contains=text) | Q(code=code))

    def filter_overdue(
        self, queryset: QuerySet[Concern], name: str, value: bool | None
    ) -> QuerySet[Concern]:
        if value is None:
            return queryset
        late = Q(status__in=Concern.DEADLINE_STATES, deadline__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)
