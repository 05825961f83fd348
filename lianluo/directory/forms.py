"""Forms of the registry pages. They check input; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.core.chinese import normalize_id_number
from lianluo.directory.models import Committee, Membership, Organization, Person, Term
from lianluo.directory.services import id_number_error

PERSON_FIELDS = (
    "family_name",
    "given_name",
    "gender",
    "ethnicity",
    "birth_date",
    "mobile",
    "affiliation",
    "workplace",
    "photo",
    "biography",
)
MAX_PHOTO_BYTES = 2 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("18 characters. Stored encrypted; shown masked. Leave empty to keep it."),
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": DateInput(), "mobile": forms.TextInput(attrs={"type": "tel"})}

    def clean_id_number(self) -> str:
        value = normalize_id_number(self.cleaned_data.get("id_number", ""))
        if value:
            error = id_number_error(value)
            if error:
                raise forms.ValidationError(error)
        return value

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 2 MB."))
        return photo

    def person_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in PERSON_FIELDS if name in self.cleaned_data
        }


class SeatFieldsMixin(forms.Form):
    """The fields of a membership, limited to one committee's terms and organizations."""

    def limit_to(self, committee: Committee) -> None:
        if "term" in self.fields:
            self.fields["term"].queryset = Term.objects.filter(committee=committee)  # type: ignore[attr-defined]
        if "sector" in self.fields:
            self.fields["sector"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
                committee=committee, classification=Organization.Classification.SECTOR
            )
        if "organization" in self.fields:
            self.fields["organization"].queryset = Organization.objects.filter(  # type: ignore[attr-defined]
                committee=committee
            ).exclude(classification=Organization.Classification.HANDLING_UNIT)


class NewMemberForm(PersonForm, SeatFieldsMixin):
    """A new seat: the person's data and the seat (term, sector, role, start date)."""

    term = forms.ModelChoiceField(label=_("term"), queryset=Term.objects.none())
    sector = forms.ModelChoiceField(label=_("sector"), queryset=Organization.objects.none())
    role = forms.ChoiceField(
        label=_("role"),
        choices=[(r.value, r.label) for r in Membership.SEAT_ROLES],
        initial=Membership.Role.MEMBER,
    )
    start_date = forms.DateField(label=_("start date"), widget=DateInput())

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(committee)

    def seat_data(self) -> dict[str, Any]:
        return {
            "term": self.cleaned_data["term"],
            "sector": self.cleaned_data["sector"],
            "role": self.cleaned_data["role"],
            "start_date": self.cleaned_data["start_date"],
        }


class MembershipForm(forms.ModelForm, SeatFieldsMixin):
    reason = forms.CharField(label=_("reason for the change"), max_length=200, required=False)

    class Meta:
        model = Membership
        fields = (
            "term",
            "organization",
            "sector",
            "role",
            "start_date",
            "end_date",
            "status",
            "note",
        )
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to(committee)
        self.fields["organization"].help_text = _(
            "Empty for a seat in the committee itself (then choose its sector)."
        )

    def _post_clean(self) -> None:
        # Model validation happens in the service, which reports per field; skip the duplicate.
        pass

    def membership_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
