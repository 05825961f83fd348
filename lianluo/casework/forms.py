"""Forms of the concern pages. They check the shape of the input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.casework import uploads
from lianluo.casework.models import CaseworkPolicy, Category, Concern, ScreenTerm
from lianluo.casework.workflow import ACTION_LABELS, machine
from lianluo.directory.models import Committee, FocusArea, Membership, Organization, Person


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to uploads.MAX_FILES files; their content is checked by uploads.check_files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": uploads.ACCEPT, "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


ATTACHMENT_HELP = _("Photos (JPEG, PNG, WebP) or PDF; at most 5 files of 10 MB each.")


def _sectors(committee: Committee) -> Any:
    return Organization.objects.filter(
        committee=committee, classification=Organization.Classification.SECTOR, is_active=True
    ).order_by("position", "id")


def _units(committee: Committee) -> Any:
    return Organization.objects.filter(
        committee=committee,
        classification=Organization.Classification.HANDLING_UNIT,
        is_active=True,
    ).order_by("position", "name")


class PersonalDataMixin(forms.Form):
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only to tell you by SMS when your concern is answered. Shown to no one."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the committee keeps my name and number to answer this concern "
            "(Personal Information Protection Law)."
        ),
        required=False,
    )


class PublicConcernForm(PersonalDataMixin):
    """The constituent's form 群众诉求: phone first, every field checked again by the service."""

    topic = forms.CharField(
        label=_("Topic"),
        max_length=100,
        help_text=_("In a few words, e.g. “Street lights out on Jianshe Road”."),
    )
    description = forms.CharField(
        label=_("Your concern"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What happened, since when, and what you would like done. At most 4,000 characters."
        ),
    )
    place = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Kind of concern (optional)"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("I don't know"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector (optional)"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("I don't know"),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"), help_text=ATTACHMENT_HELP
    )
    # The honeypot: hidden from people by the stylesheet, filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = (
        "topic",
        "description",
        "place",
        "category",
        "sector",
        "attachments",
        "name",
        "mobile",
        "consent",
        "website",
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        )
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]


class StaffConcernForm(PersonalDataMixin):
    """A concern heard in person (visit, reception day, phone call), entered by a member or
    the office, with its source."""

    source = forms.ChoiceField(
        label=_("Heard through"),
        choices=[
            (value, label)
            for value, label in Concern.Source.choices
            if value not in (Concern.Source.WEB, Concern.Source.OPEN311)
        ],
    )
    topic = forms.CharField(label=_("Topic"), max_length=100)
    description = forms.CharField(
        label=_("The concern"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Organization.objects.none(), required=False
    )
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The member who heard it (empty: yourself, if you are a member)."),
    )
    attachments = MultipleFileField(label=_("Photos or documents"), help_text=ATTACHMENT_HELP)

    field_order = (
        "source",
        "topic",
        "description",
        "place",
        "category",
        "sector",
        "member",
        "attachments",
        "name",
        "mobile",
        "consent",
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            committee=committee, is_active=True
        )
        self.fields["sector"].queryset = _sectors(committee)  # type: ignore[attr-defined]
        self.fields["member"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(
                memberships__committee=committee,
                memberships__organization__isnull=True,
                memberships__status=Membership.Status.SERVING,
            )
            .distinct()
            .order_by("name_sort_key")
        )
        self.fields["consent"].label = _(
            "The constituent agreed that we keep their name and number to answer them."
        )
        self.fields["name"].label = _("Constituent's name (optional)")
        self.fields["mobile"].label = _("Constituent's mobile number (optional)")


class StepForm(forms.Form):
    """One workflow step on the concern page; its fields depend on the step."""

    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, action: str, concern: Concern, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        self.label = ACTION_LABELS.get(action, action)
        committee = concern.committee
        needs_reason = any(
            t.needs_reason
            for t in machine.transitions
            if t.action == action and t.source == concern.status
        )
        reason_labels = {
            "decline": _("Reason (sent to the constituent as the answer)"),
            "return": _("Why this unit is not the right one"),
            "ask_clarification": _("What needs clarifying"),
            "clarify": _("The clarification"),
            "discard": _("Why this is spam"),
            "reopen": _("Why it is reopened"),
            "supervise": _("Instructions to the handler"),
            "close": _("Why it is closed without a rating"),
            "reassign": _("Why it is reassigned"),
        }
        self.fields["reason"].required = needs_reason
        if action in reason_labels:
            self.fields["reason"].label = reason_labels[action]
        if action in ("reply",):
            del self.fields["reason"]
        if action == "triage":
            self.fields["category"] = forms.ModelChoiceField(
                label=_("Category"),
                queryset=Category.objects.filter(committee=committee, is_active=True),
                initial=concern.category_id,
            )
            self.fields["focus_area"] = forms.ModelChoiceField(
                label=_("Focus area"),
                queryset=FocusArea.objects.filter(committee=committee, is_active=True),
                required=False,
                initial=concern.focus_area_id,
                help_text=_("Empty: the category's."),
            )
            self.fields["urgency"] = forms.ChoiceField(
                label=_("Urgency"), choices=Concern.Urgency.choices, initial=concern.urgency
            )
        if action in ("forward", "reassign"):
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Handling unit"), queryset=_units(committee)
            )
        if action in ("forward", "reassign", "handle_directly"):
            self.fields["deadline"] = forms.DateField(
                label=_("Deadline"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("Empty: the category's handling time limit."),
            )
        if action == "convert":
            self.fields["converted_to"] = forms.ChoiceField(
                label=_("Turn into"), choices=Concern.ConvertedTo.choices
            )
        if action == "reply":
            self.fields["text"] = forms.CharField(
                label=_("Reply to the constituent"),
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Published on the tracking page and sent to the constituent."),
            )
            self.fields["outcome"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=[
                    (value, label)
                    for value, label in Concern.Outcome.choices
                    if value != Concern.Outcome.DECLINED
                ],
            )
            self.fields["files"] = MultipleFileField(
                label=_("Attachments"), help_text=ATTACHMENT_HELP
            )
        if action == "rate":
            self.fields["rating"] = forms.ChoiceField(
                label=_("Rating heard from the constituent (follow-up call)"),
                choices=Concern.Rating.choices,
            )
            self.fields["comment"] = forms.CharField(
                label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea
            )
        if action == "merge":
            self.fields["target"] = forms.CharField(
                label=_("Tracking code of the earlier concern"), max_length=20
            )

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        return data


class BulkForwardForm(forms.Form):
    """Forward the selected concerns to one unit."""

    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=Organization.objects.none())
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(committee)  # type: ignore[attr-defined]


class TrackLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CommentForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating"), choices=Concern.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = CaseworkPolicy
        fields = (
            "default_deadline_days",
            "reminder_days",
            "reopen_window_days",
            "rating_link_days",
            "sms_enabled",
            "public_intake",
        )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = (
            "name",
            "code",
            "description",
            "group",
            "keywords",
            "deadline_days",
            "focus_area",
            "position",
            "is_active",
        )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(  # type: ignore[attr-defined]
            committee=committee
        )

    def validate_unique(self) -> None:
        """The service checks uniqueness within the committee."""


class ScreenTermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ScreenTerm.Kind.choices)
    reason = forms.CharField(label=_("Reason shown to moderators"), max_length=200, required=False)


class EndpointForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=Organization.objects.none())
    url = forms.URLField(label=_("Webhook URL"), max_length=300, assume_scheme="https")
    secret = forms.CharField(
        label=_("Shared secret"),
        required=False,
        min_length=16,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 16 characters; leave empty to keep the current one."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(committee)  # type: ignore[attr-defined]


class Open311ClientForm(forms.Form):
    name = forms.CharField(label=_("Client application"), max_length=100)
