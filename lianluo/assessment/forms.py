"""Forms of the assessment pages: each feeds one service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.assessment.models import Objection, WarningStep


def _choices(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RulebookForm(forms.Form):
    text = forms.CharField(
        label=_("Rulebook (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Checked when saved: every problem is listed with its line; nothing is saved "
            "while there is one."
        ),
    )
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, or which record is missing"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("accept")), ("reject", _("reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    points = forms.DecimalField(
        label=_("Adjustment (points)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text=_(
            "Only if the record cannot be fixed in its own app: points added (or "
            "taken, with a minus) as a manual adjustment."
        ),
    )
    part = forms.ChoiceField(label=_("Part of the adjustment"), required=False, choices=())

    def __init__(self, *args: Any, parts: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["part"], [("", "—"), *parts])


class AdjustmentForm(forms.Form):
    part = forms.ChoiceField(label=_("Part"), choices=())
    points = forms.DecimalField(label=_("Points"), max_digits=9, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, parts: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["part"], list(parts))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why re-open the year"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WindowForm(forms.Form):
    objections_until = forms.DateField(
        label=_("Objections accepted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=WarningStep.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class QuotaForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=())
    quota = forms.IntegerField(label=_("Quota"), min_value=0, max_value=10000)

    def __init__(self, *args: Any, sectors: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["sector"], [("", _("the whole committee")), *sectors])


class NominationForm(forms.Form):
    person = forms.IntegerField(label=_("Member"), widget=forms.Select)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["person"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = list(people)


OBJECTION_KINDS = Objection.Kind
