"""Forms of the liaison pages. They read input; the services validate, decide and save (so a
rule lives in one place and the API obeys it too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.directory.models import Committee, FocusArea, Membership, Organization
from lianluo.liaison import selectors
from lianluo.liaison.models import (
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    PlanTask,
    Studio,
    StudioMember,
)
from lianluo.liaison.uploads import ACCEPT, MAX_BYTES, MAX_FILES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.person.name} · {obj.sector or '—'}"


class SeatsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.person.name} · {obj.sector or '—'}"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(item, initial) for item in items if item) if f]


def _sectors(committee: Committee) -> Any:
    return Organization.objects.filter(
        committee=committee, classification=Organization.Classification.SECTOR
    ).order_by("position", "id")


class GroupForm(forms.ModelForm):
    class Meta:
        model = ConstituentGroup
        fields = (
            "name",
            "kind",
            "sector",
            "area_name",
            "area_code",
            "town",
            "contact_name",
            "contact_phone",
            "note",
            "is_active",
        )
        widgets = {"contact_phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The service checks uniqueness, with its own message."""

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AssignmentForm(forms.Form):
    membership = SeatChoiceField(label=_("member"), queryset=Membership.objects.none())
    role = forms.ChoiceField(
        label=_("role"),
        choices=LiaisonAssignment.Role.choices,
        initial=LiaisonAssignment.Role.MEMBER,
    )
    start_date = forms.DateField(label=_("since"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = selectors.serving_seats(committee)  # type: ignore[attr-defined]


class EndAssignmentForm(forms.Form):
    end_date = forms.DateField(label=_("until"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class StudioForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online page elsewhere"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Studio
        fields = (
            "name",
            "host_organization",
            "sector",
            "area_name",
            "area_code",
            "town",
            "address",
            "latitude",
            "longitude",
            "phone",
            "online_url",
            "description",
            "reception_note",
        )
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """The service checks uniqueness, with its own message."""

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StudioMemberForm(forms.Form):
    membership = SeatChoiceField(label=_("member"), queryset=Membership.objects.none())
    role = forms.ChoiceField(
        label=_("role"), choices=StudioMember.Role.choices, initial=StudioMember.Role.MEMBER
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = selectors.serving_seats(committee)  # type: ignore[attr-defined]


def _studio_seats(studio: Studio) -> Any:
    return (
        Membership.objects.filter(studio_roles__studio=studio)
        .select_related("person", "sector")
        .order_by("person__name_sort_key", "id")
    )


class ReceptionDayForm(forms.Form):
    date = forms.DateField(label=_("date"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=_("from"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("until"), required=False, widget=TimeInput())
    members = SeatsChoiceField(
        label=_("members on duty"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.CharField(label=_("topic"), max_length=100, required=False)

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _studio_seats(studio)  # type: ignore[attr-defined]


class GenerateDaysForm(forms.Form):
    """Plan many days at once: given days of each month, or the n-th weekday of each month."""

    RULES = (
        ("monthly", _("on given days of each month")),
        ("weekday", _("on the n-th weekday of each month")),
    )
    WEEKDAYS = (
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    )
    NTH = ((1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth")), (-1, _("last")))

    first = forms.DateField(label=_("from"), widget=DateInput())
    last = forms.DateField(label=_("until"), widget=DateInput())
    rule = forms.ChoiceField(label=_("rule"), choices=RULES, initial="monthly")
    days = forms.CharField(
        label=_("days of the month"),
        required=False,
        initial="10,20",
        help_text=_("Separated by commas, e.g. 10,20."),
    )
    nth = forms.TypedChoiceField(label=_("which"), choices=NTH, coerce=int, initial=1)
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAYS, coerce=int, initial=0)
    start_time = forms.TimeField(label=_("from (time)"), widget=TimeInput(), initial="09:00")
    end_time = forms.TimeField(label=_("until (time)"), widget=TimeInput(), initial="11:30")
    members = SeatsChoiceField(
        label=_("members on duty"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _studio_seats(studio)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end of the range is before its start."))
        if first and last and (last - first).days > 366:
            self.add_error("last", _("Plan at most one year at a time."))
        if data.get("rule") == "monthly":
            try:
                days = [int(part) for part in str(data.get("days", "")).split(",") if part.strip()]
            except ValueError:
                days = []
            if not days or any(not 1 <= d <= 31 for d in days):
                self.add_error("days", _("Give days between 1 and 31, e.g. 10,20."))
            data["day_list"] = days
        return data


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LiaisonActivity.Kind.choices)
    date = forms.DateField(label=_("date"), required=False, widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    participants = SeatsChoiceField(
        label=_("participating members"),
        queryset=Membership.objects.none(),
        required=False,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("constituent groups reached"),
        queryset=ConstituentGroup.objects.none(),
        required=False,
    )
    headcount = forms.IntegerField(
        label=_("constituents reached (head-count)"), min_value=0, initial=0, required=False
    )
    focus_area = forms.ModelChoiceField(
        label=_("focus area"), queryset=FocusArea.objects.none(), required=False
    )
    sector = forms.ModelChoiceField(
        label=_("sector"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("The sector whose constituents it served; by default the members' own."),
    )
    studio = forms.ModelChoiceField(
        label=_("studio"), queryset=Studio.objects.none(), required=False
    )
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea, required=False)
    follow_ups = forms.CharField(
        label=_("follow-ups"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What was promised, passed on or is to be done."),
    )
    attachments = MultipleFileField(
        label=_("photos and documents"),
        required=False,
        help_text=_(
            "Up to %(count)d files of at most %(size)d MB each: JPEG, PNG or WebP photos; PDF, "
            "Word (.docx) or Excel (.xlsx) documents."
        )
        % {"count": MAX_FILES, "size": MAX_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, committee: Committee, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = selectors.serving_seats(committee)  # type: ignore[attr-defined]
        self.fields["groups"].queryset = (  # type: ignore[attr-defined]
            groups
            if groups is not None
            else ConstituentGroup.objects.filter(committee=committee, is_active=True)
        ).order_by("name")
        self.fields["focus_area"].queryset = FocusArea.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        )
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]
        self.fields["studio"].queryset = Studio.objects.filter(committee=committee).exclude(  # type: ignore[attr-defined]
            status=Studio.Status.CLOSED
        )

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "date": data.get("date"),
            "place": data.get("place") or "",
            "participants": list(data.get("participants") or []),
            "groups": list(data.get("groups") or []),
            "headcount": data.get("headcount") or 0,
            "focus_area": data.get("focus_area"),
            "sector": data.get("sector"),
            "studio": data.get("studio"),
            "summary": data.get("summary") or "",
            "follow_ups": data.get("follow_ups") or "",
            "files": data.get("attachments") or [],
        }


class AttachmentsForm(forms.Form):
    attachments = MultipleFileField(label=_("photos and documents"), required=True)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    group = forms.ModelChoiceField(
        label=_("constituent group"), queryset=ConstituentGroup.objects.none(), required=False
    )
    membership = SeatChoiceField(
        label=_("member in touch"), queryset=Membership.objects.none(), required=False
    )
    studio = forms.ModelChoiceField(
        label=_("studio in touch"), queryset=Studio.objects.none(), required=False
    )
    consent_given = forms.BooleanField(
        label=_("The constituent agreed that their name and phone are kept for this liaison."),
        required=False,
    )
    consent_date = forms.DateField(label=_("consent date"), required=False, widget=DateInput())
    consent_method = forms.ChoiceField(
        label=_("how consent was given"),
        choices=[("", "—"), *ConstituentContact.ConsentMethod.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("notes"),
        max_length=200,
        required=False,
        help_text=_("Only what the liaison needs. No ID numbers, no health or family details."),
    )

    def __init__(
        self, *args: Any, committee: Committee, for_office: bool, studios: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ConstituentGroup.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        ).order_by("name")
        self.fields["studio"].queryset = studios  # type: ignore[attr-defined]
        if for_office:
            self.fields["membership"].queryset = selectors.serving_seats(committee)  # type: ignore[attr-defined]
        else:
            del self.fields["membership"]

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "phone": data.get("phone") or "",
            "group": data.get("group"),
            "membership": data.get("membership"),
            "studio": data.get("studio"),
            "consent_given": bool(data.get("consent_given")),
            "consent_date": data.get("consent_date"),
            "consent_method": data.get("consent_method") or "",
            "notes": data.get("notes") or "",
        }


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=100)
    note = forms.CharField(label=_("note"), widget=forms.Textarea, required=False)


class PlanTaskForm(forms.Form):
    applies_to = forms.ChoiceField(
        label=_("applies to"), choices=PlanTask.AppliesTo.choices, initial=PlanTask.AppliesTo.ALL
    )
    sector = forms.ModelChoiceField(
        label=_("sector"), queryset=Organization.objects.none(), required=False
    )
    sector_group = forms.ModelChoiceField(
        label=_("sector group"), queryset=Organization.objects.none(), required=False
    )
    metric = forms.ChoiceField(label=_("what is counted"), choices=PlanTask.Metric.choices)
    activity_kind = forms.ChoiceField(
        label=_("activity kind"),
        choices=[("", "—"), *LiaisonActivity.Kind.choices],
        required=False,
    )
    period = forms.ChoiceField(
        label=_("period"), choices=PlanTask.Period.choices, initial=PlanTask.Period.YEAR
    )
    target = forms.IntegerField(label=_("at least"), min_value=1, max_value=1000)
    description = forms.CharField(label=_("description"), max_length=200, required=False)

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]
        self.fields["sector_group"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            committee=committee, classification=Organization.Classification.SECTOR_GROUP
        ).order_by("position", "id")


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)
