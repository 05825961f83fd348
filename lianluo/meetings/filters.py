"""One FilterSet per list, shared by the page, the API and the export ("export what I see")."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianluo.core.filters import CodeFilter, IdFilter, YearFilter
from lianluo.directory.models import Committee, FocusArea, Organization
from lianluo.meetings.models import (
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingKind,
)


class MeetingFilterSet(django_filters.FilterSet):
    """A committee's meetings: title, kind, status, year, organiser, focus area."""

    q = django_filters.CharFilter(label=_("title"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=MeetingKind.choices, empty_label=_("all kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=Meeting.Status.choices, empty_label=_("any status")
    )
    year = YearFilter(
        label=_("year"),
        field_name="starts_at",
        lookup_expr="year",
    )
    organizer = django_filters.ModelChoiceFilter(
        label=_("organiser"), queryset=Organization.objects.none(), empty_label=_("any organiser")
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("focus area"), queryset=FocusArea.objects.none(), empty_label=_("any focus area")
    )
    committee = CodeFilter(label=_("committee code"), field_name="committee__code")

    class Meta:
        model = Meeting
        fields = ("q", "kind", "status", "year", "organizer", "focus_area", "committee")

    def __init__(self, *args: Any, committee: Committee | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if committee is not None:
            self.filters["organizer"].queryset = Organization.objects.filter(
                committee=committee
            ).exclude(classification=Organization.Classification.HANDLING_UNIT)
            self.filters["focus_area"].queryset = FocusArea.objects.filter(committee=committee)
            del self.filters["committee"]
        else:
            self.filters["organizer"].queryset = Organization.objects.all()
            self.filters["focus_area"].queryset = FocusArea.objects.all()


class InvitationFilterSet(django_filters.FilterSet):
    """Invitations: by meeting, status, committee code."""

    meeting = IdFilter(label=_("meeting"), field_name="meeting_id")
    status = django_filters.ChoiceFilter(label=_("status"), choices=Invitation.Status.choices)
    committee = CodeFilter(label=_("committee code"), field_name="committee__code")

    class Meta:
        model = Invitation
        fields = ("meeting", "status", "committee")


class AttendanceFilterSet(django_filters.FilterSet):
    """Attendance records: by committee code, year, meeting kind, status, meeting, person."""

    committee = CodeFilter(label=_("committee code"), field_name="committee__code")
    year = YearFilter(label=_("year"), field_name="meeting__starts_at", lookup_expr="year")
    kind = django_filters.ChoiceFilter(
        label=_("meeting kind"), field_name="meeting__kind", choices=MeetingKind.choices
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=AttendanceRecord.Status.choices)
    meeting = IdFilter(label=_("meeting"), field_name="meeting_id")
    person = IdFilter(label=_("person"), field_name="person_id")

    class Meta:
        model = AttendanceRecord
        fields = ("committee", "year", "kind", "status", "meeting", "person")


class LeaveRequestFilterSet(django_filters.FilterSet):
    """Leave requests: by status, meeting, committee code."""

    status = django_filters.ChoiceFilter(label=_("status"), choices=LeaveRequest.Status.choices)
    meeting = IdFilter(label=_("meeting"), field_name="meeting_id")
    committee = CodeFilter(label=_("committee code"), field_name="committee__code")

    class Meta:
        model = LeaveRequest
        fields = ("status", "meeting", "committee")


def meeting_filter(
    data: Any, queryset: QuerySet[Meeting], committee: Committee
) -> MeetingFilterSet:
    return MeetingFilterSet(data, queryset=queryset, committee=committee)
