"""One FilterSet per list, shared by the page, its export and the API ("export what I see").

Given a committee, the choices are that committee's sectors, focus areas, studios; without one
(the API, across committees), the ones the user may see, and `committee` filters by code.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianluo.core.filters import CodeFilter
from lianluo.directory.models import Committee, FocusArea, Organization, Person
from lianluo.directory.selectors import search_people
from lianluo.liaison import selectors
from lianluo.liaison.models import (
    ActivityParticipant,
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    Studio,
)


class DateInput(forms.DateInput):
    input_type = "date"


class _CommitteeScoped(django_filters.FilterSet):
    """Restricts the choice filters to one committee, or to what the user may see."""

    committee = CodeFilter(label=_("committee code"), field_name="committee__code")

    def __init__(self, *args: Any, committee: Committee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.committee_obj = committee
        if committee is not None:
            self.filters.pop("committee", None)
        user = getattr(self.request, "user", None)
        sectors = Organization.objects.filter(classification=Organization.Classification.SECTOR)
        sectors = (
            sectors.filter(committee=committee)
            if committee is not None
            else sectors.filter(pk__in=Organization.objects.visible_to(user).values("pk"))
        )
        if "sector" in self.filters:
            self.filters["sector"].queryset = sectors.order_by("position", "id")
        if "focus_area" in self.filters:
            areas = (
                FocusArea.objects.filter(committee=committee)
                if committee is not None
                else FocusArea.objects.filter(
                    committee__in=Committee.objects.visible_to(user).values("pk")
                )
            )
            self.filters["focus_area"].queryset = areas.order_by("position", "id")
        if "studio" in self.filters:
            studios = (
                Studio.objects.filter(committee=committee)
                if committee is not None
                else Studio.objects.visible_to(user)
            )
            self.filters["studio"].queryset = studios.order_by("name", "id")


def _member_filter(queryset: QuerySet[Any], prefix: str, value: str) -> QuerySet[Any]:
    people = search_people(Person.objects.all(), value).values("pk")
    return queryset.filter(**{f"{prefix}person__in": people})


class ActivityFilterSet(_CommitteeScoped):
    """Filters over liaison activities: text, kind, dates, sector, focus area, studio, member."""

    q = django_filters.CharFilter(
        label=_("search summary and place"), method="filter_q", max_length=100
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=LiaisonActivity.Kind.choices, empty_label=_("all kinds")
    )
    date_from = django_filters.DateFilter(
        label=_("from"), field_name="date", lookup_expr="gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("until"), field_name="date", lookup_expr="lte", widget=DateInput
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("sector"), queryset=Organization.objects.none(), empty_label=_("all sectors")
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("focus area"), queryset=FocusArea.objects.none(), empty_label=_("all focus areas")
    )
    studio = django_filters.ModelChoiceFilter(
        label=_("studio"), queryset=Studio.objects.none(), empty_label=_("all studios")
    )
    member = django_filters.CharFilter(
        label=_("member (name or pinyin)"), method="filter_member", max_length=40
    )

    class Meta:
        model = LiaisonActivity
        fields = ("q", "kind", "date_from", "date_to", "sector", "focus_area", "studio", "member")

    def filter_q(
        self, queryset: QuerySet[LiaisonActivity], name: str, value: str
    ) -> QuerySet[LiaisonActivity]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(summary__contains=value) | Q(place__contains=value))

    def filter_member(
        self, queryset: QuerySet[LiaisonActivity], name: str, value: str
    ) -> QuerySet[LiaisonActivity]:
        if not value.strip():
            return queryset
        people = search_people(Person.objects.all(), value).values("pk")
        return queryset.filter(
            Exists(
                ActivityParticipant.objects.filter(
                    activity=OuterRef("pk"), membership__person__in=people
                )
            )
        )


class AssignmentFilterSet(_CommitteeScoped):
    """Filters over assignments: member, group name, the group's sector, current or ended."""

    member = django_filters.CharFilter(
        label=_("member (name or pinyin)"), method="filter_member", max_length=40
    )
    group = django_filters.CharFilter(
        label=_("group"), field_name="group__name", lookup_expr="contains", max_length=100
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("sector of the group"),
        field_name="group__sector",
        queryset=Organization.objects.none(),
        empty_label=_("all sectors"),
    )
    current = django_filters.ChoiceFilter(
        label=_("assignments"),
        choices=(("true", _("current")), ("false", _("ended"))),
        empty_label=_("current and ended"),
        method="filter_current",
    )

    class Meta:
        model = LiaisonAssignment
        fields = ("member", "group", "sector", "current")

    def filter_current(
        self, queryset: QuerySet[LiaisonAssignment], name: str, value: str
    ) -> QuerySet[LiaisonAssignment]:
        if value == "true":
            return queryset.filter(end_date__isnull=True)
        if value == "false":
            return queryset.filter(end_date__isnull=False)
        return queryset

    def filter_member(
        self, queryset: QuerySet[LiaisonAssignment], name: str, value: str
    ) -> QuerySet[LiaisonAssignment]:
        return _member_filter(queryset, "membership__", value) if value.strip() else queryset


class GroupFilterSet(_CommitteeScoped):
    """Filters over constituent groups: name, kind, sector, area."""

    q = django_filters.CharFilter(
        label=_("name"), field_name="name", lookup_expr="contains", max_length=100
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=ConstituentGroup.Kind.choices, empty_label=_("all kinds")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("sector"), queryset=Organization.objects.none(), empty_label=_("all sectors")
    )
    area = django_filters.CharFilter(
        label=_("area (name or code)"), method="filter_area", max_length=40
    )

    class Meta:
        model = ConstituentGroup
        fields = ("q", "kind", "sector", "area")

    def filter_area(
        self, queryset: QuerySet[ConstituentGroup], name: str, value: str
    ) -> QuerySet[ConstituentGroup]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(area_code=value) | Q(area_name__contains=value) | Q(town__contains=value)
        )


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("name"), field_name="name", lookup_expr="contains", max_length=100
    )

    class Meta:
        model = ConstituentContact
        fields = ("q",)


class PublicStudioFilterSet(django_filters.FilterSet):
    """The public directory's filters: area (code or name), sector (name), text. The page shows
    the areas and sectors that have a published studio as choices."""

    area = django_filters.CharFilter(
        label=_("area"), method="filter_area", max_length=40, help_text=_("Area code or name.")
    )
    sector = django_filters.CharFilter(
        label=_("sector"), field_name="sector__name", max_length=100, help_text=_("Sector name.")
    )
    q = django_filters.CharFilter(label=_("name or address"), method="filter_q", max_length=50)

    class Meta:
        model = Studio
        fields = ("area", "sector", "q")

    def __init__(self, *args: Any, with_choices: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_choices:
            self.filters["area"].extra["widget"] = forms.Select(
                choices=[("", _("all areas")), *selectors.public_area_choices()]
            )
            self.filters["sector"].extra["widget"] = forms.Select(
                choices=[("", _("all sectors")), *selectors.public_sector_choices()]
            )

    def filter_area(self, queryset: QuerySet[Studio], name: str, value: str) -> QuerySet[Studio]:
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(area_code=value)
        return queryset.filter(area_name=value)

    def filter_q(self, queryset: QuerySet[Studio], name: str, value: str) -> QuerySet[Studio]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value)
            | Q(address__contains=value)
            | Q(host_organization__contains=value)
            | Q(area_name__contains=value)
            | Q(town__contains=value)
        )
