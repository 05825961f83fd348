"""Forms of the meeting pages. They check input; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.directory.models import Committee, FocusArea, Organization
from lianluo.meetings.models import (
    AdoptionEvent,
    AttendanceRecord,
    Invitation,
    Meeting,
    MeetingKindPolicy,
    Speech,
)
from lianluo.meetings.services import MEETING_FIELDS, ORGANIZER_KINDS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "signup_deadline": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            committee=committee, classification__in=ORGANIZER_KINDS, is_active=True
        ).order_by("classification", "position", "id")
        self.fields["organizer"].empty_label = _("the committee's office")  # type: ignore[attr-defined]
        self.fields["focus_area"].queryset = FocusArea.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        )
        self.fields["signup_deadline"].help_text = _("Only for a sign-up activity.")
        self.fields["capacity"].help_text = _("Only for a sign-up activity. Empty: no limit.")

    def _post_clean(self) -> None:
        # The service validates the meeting and reports per field; skip the model's own check.
        pass

    def meeting_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in MEETING_FIELDS}


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), required=False, max_length=1000)


class InviteForm(forms.Form):
    """Who to put on the list: a rule, and the sector, group or names it needs."""

    source = forms.ChoiceField(
        label=_("invite"), choices=Invitation.Source.choices, widget=forms.RadioSelect
    )
    sector = forms.ModelChoiceField(
        label=_("sector"), queryset=Organization.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("special committee or group"), queryset=Organization.objects.none(), required=False
    )
    names = forms.CharField(
        label=_("names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separate names with commas, 、 or new lines."),
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            committee=committee, classification=Organization.Classification.SECTOR
        ).order_by("position", "id")
        self.fields["organization"].queryset = (  # type: ignore[attr-defined]
            Organization.objects.filter(committee=committee)
            .exclude(
                classification__in=(
                    Organization.Classification.HANDLING_UNIT,
                    Organization.Classification.SECTOR,
                    Organization.Classification.OFFICE,
                )
            )
            .order_by("classification", "position", "id")
        )


class CancelInvitationForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), max_length=1000)


class RespondForm(forms.Form):
    action = forms.ChoiceField(choices=[("sign_up", "sign_up"), ("withdraw", "withdraw")])


class LeaveRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the leave request"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
    )


class LeaveDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse"), ("withdraw", "withdraw")]
    )
    reason = forms.CharField(label=_("note or reason"), required=False, max_length=1000)
    next = forms.CharField(required=False)


class MarkForm(forms.Form):
    invitation = forms.IntegerField(widget=forms.HiddenInput)
    mark = forms.ChoiceField(
        choices=[
            ("present", _("present")),
            ("late", _("late")),
            ("left_early", _("left early")),
            ("clear", _("clear")),
        ]
    )
    at = forms.TimeField(label=_("time"), required=False)


class SheetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet (.xlsx)"),
        help_text=_("Columns 姓名, 手机号后四位, 签到时间, 状态. At most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class CorrectionForm(forms.Form):
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceRecord.Status.choices)
    left_early = forms.BooleanField(label=_("left early"), required=False)
    reason = forms.CharField(
        label=_("reason for the correction"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; at most 20 MB.")
    )


class SpeechForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    speakers = forms.CharField(
        label=_("speakers"),
        help_text=_("Names of the members, separated by commas or 、."),
        max_length=500,
    )
    mode = forms.ChoiceField(label=_("form"), choices=Speech.Mode.choices)
    selected_for_plenary = forms.BooleanField(label=_("selected for the plenary"), required=False)
    text = forms.CharField(label=_("text"), widget=forms.Textarea, required=False)
    attachment = forms.FileField(label=_("attachment"), required=False)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
    focus_area = forms.ModelChoiceField(
        label=_("focus area"), queryset=FocusArea.objects.none(), required=False
    )
    author_people = forms.CharField(
        label=_("authors (members)"),
        help_text=_("Names of the members, separated by commas or 、."),
        max_length=500,
        required=False,
    )
    author_organizations = forms.ModelMultipleChoiceField(
        label=_("authors (groups)"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    surveys = forms.ModelMultipleChoiceField(
        label=_("related surveys"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea, required=False)
    submitted_on = forms.DateField(label=_("submitted on"), widget=DateInput())
    attachment = forms.FileField(label=_("attachment"), required=False)

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        )
        self.fields["author_organizations"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
            committee=committee,
            classification__in=(
                Organization.Classification.SPECIAL_COMMITTEE,
                Organization.Classification.SECTOR_GROUP,
                Organization.Classification.SECTOR,
                Organization.Classification.PARTY_GROUP,
            ),
        ).order_by("classification", "position", "id")
        self.fields["surveys"].queryset = (  # type: ignore[attr-defined]
            Meeting.objects.filter(
                committee=committee,
                kind__in=(Meeting.Kind.SURVEY, Meeting.Kind.INSPECTION),
            )
            .exclude(status__in=(Meeting.Status.DRAFT, Meeting.Status.CANCELLED))
            .order_by("-starts_at")
        )


class AdoptionForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), choices=AdoptionEvent.Level.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=AdoptionEvent.Kind.choices)
    by_whom = forms.CharField(label=_("by whom"), max_length=100)
    date = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = MeetingKindPolicy
        fields = (
            "approver_role",
            "max_leave_requests_per_meeting",
            "max_leave_requests_per_year",
            "leave_cutoff_hours",
            "checkin_opens_minutes",
            "checkin_closes_minutes",
            "late_after_minutes",
            "consecutive_absence_threshold",
            "yearly_absence_threshold",
        )

    def _post_clean(self) -> None:
        pass
