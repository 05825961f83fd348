"""One FilterSet per list, shared by the page, its export and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.directory.models import Committee, FocusArea, Organization, Session
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    OpinionReport,
    Proposal,
    ProposalCategory,
)


class ProposalFilterSet(django_filters.FilterSet):
    """A committee's proposals: text (title, reference, proposer), session, status, category,
    kind, timing, unit, key proposals."""

    q = django_filters.CharFilter(label=_("title, number or proposer"), method="filter_q")
    session = django_filters.ModelChoiceFilter(
        label=_("plenary session"), queryset=Session.objects.none(), empty_label=_("all sessions")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Proposal.Status.choices, empty_label=_("any status")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=ProposalCategory.objects.none(),
        empty_label=_("all categories"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("focus area"), queryset=FocusArea.objects.none(), empty_label=_("all focus areas")
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=Proposal.Kind.choices, empty_label=_("any kind")
    )
    timing = django_filters.ChoiceFilter(
        label=_("timing"), choices=Proposal.Timing.choices, empty_label=_("any timing")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("handling unit"),
        queryset=Organization.objects.none(),
        method="filter_unit",
        empty_label=_("any unit"),
    )
    is_key = django_filters.BooleanFilter(label=_("key proposals only"), method="filter_key")

    class Meta:
        model = Proposal
        fields = (
            "q",
            "session",
            "status",
            "category",
            "focus_area",
            "kind",
            "timing",
            "unit",
            "is_key",
        )

    def __init__(self, *args: Any, committee: Committee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if committee is not None:
            self.filters["session"].queryset = Session.objects.filter(
                term__committee=committee
            ).select_related("term")
            self.filters["category"].queryset = ProposalCategory.objects.filter(committee=committee)
            self.filters["focus_area"].queryset = FocusArea.objects.filter(committee=committee)
            self.filters["unit"].queryset = Organization.objects.filter(
                committee=committee, classification=Organization.Classification.HANDLING_UNIT
            )

    def filter_q(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__contains=value)
            | Q(reference=value)
            | Q(author__name__contains=value)
            | Q(group__name__contains=value)
        )

    def filter_unit(
        self, queryset: QuerySet[Proposal], name: str, value: Organization | None
    ) -> QuerySet[Proposal]:
        if value is None:
            return queryset
        return queryset.filter(
            pk__in=Assignment.objects.filter(unit=value)
            .exclude(status__in=Assignment.ENDED)
            .values("proposal_id")
        )

    def filter_key(
        self, queryset: QuerySet[Proposal], name: str, value: bool | None
    ) -> QuerySet[Proposal]:
        return queryset.filter(is_key=True) if value else queryset


class AssignmentFilterSet(django_filters.FilterSet):
    """A unit's (or the office's) assignments: status, role, overdue."""

    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Assignment.Status.choices, empty_label=_("any status")
    )
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=Assignment.Role.choices, empty_label=_("any role")
    )
    overdue = django_filters.BooleanFilter(label=_("overdue only"), method="filter_overdue")

    class Meta:
        model = Assignment
        fields = ("status", "role", "overdue")

    def filter_overdue(
        self, queryset: QuerySet[Assignment], name: str, value: bool | None
    ) -> QuerySet[Assignment]:
        if not value:
            return queryset
        return queryset.filter(status=Assignment.Status.ASSIGNED, due_on__lt=timezone.localdate())


class ReportFilterSet(django_filters.FilterSet):
    """A committee's opinion reports: text, year, status, category, adopted."""

    q = django_filters.CharFilter(label=_("title, number or author"), method="filter_q")
    year = django_filters.NumberFilter(label=_("year"))
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=OpinionReport.Status.choices, empty_label=_("any status")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=ProposalCategory.objects.none(),
        empty_label=_("all categories"),
    )
    adopted = django_filters.BooleanFilter(label=_("with adoption events"), method="filter_adopted")

    class Meta:
        model = OpinionReport
        fields = ("q", "year", "status", "category", "adopted")

    def __init__(self, *args: Any, committee: Committee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if committee is not None:
            self.filters["category"].queryset = ProposalCategory.objects.filter(committee=committee)

    def filter_q(
        self, queryset: QuerySet[OpinionReport], name: str, value: str
    ) -> QuerySet[OpinionReport]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__contains=value)
            | Q(edited_title__contains=value)
            | Q(reference=value)
            | Q(author__name__contains=value)
        )

    def filter_adopted(
        self, queryset: QuerySet[OpinionReport], name: str, value: bool | None
    ) -> QuerySet[OpinionReport]:
        if value is None:
            return queryset
        adopted = Exists(AdoptionEvent.objects.filter(report=OuterRef("pk")))
        return queryset.filter(adopted if value else ~adopted)
