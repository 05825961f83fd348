"""Forms of the proposal and report pages. They check input; the services decide and save."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lianluo.directory.models import Committee, FocusArea, Organization, Person
from lianluo.proposals import selectors
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    Evaluation,
    OpinionReport,
    Proposal,
    ProposalPolicy,
)
from lianluo.proposals.services import MAX_FILES, AdoptionData, ProposalData, ReportData

ACCEPT = ".pdf,.doc,.docx,.xlsx,.jpg,.jpeg,.png,.txt"


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the services check their type, size and number."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _files_help() -> str:
    return gettext(
        "At most %(count)d files of 10 MB each: PDF, Word, Excel, JPEG, PNG or text."
    ) % {"count": MAX_FILES}


# Translated when shown, in the reader's language (not once, when the module is imported).
files_help = lazy(_files_help, str)


def files_field() -> MultipleFileField:
    return MultipleFileField(label=_("Attachments"), help_text=files_help())


class ProposalForm(forms.Form):
    """A member's proposal: one matter per proposal 一事一案."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Proposal.Kind.choices,
        widget=forms.RadioSelect,
        initial="individual",
    )
    group = forms.ModelChoiceField(
        label=_("For the group"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("A collective proposal: the party, sector or special committee it is for."),
    )
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Co-signers"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("A joint proposal: the members asked to co-sign; each confirms."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=FocusArea.objects.none())
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.none(), required=False
    )
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("Suggested lead units"), queryset=Organization.objects.none(), required=False
    )
    no_secret_declared = forms.BooleanField(
        label=_("I declare that this proposal contains no state secret"),
        required=True,
        help_text=_("Secret content may not be submitted or stored here."),
    )
    consent_publication = forms.BooleanField(
        label=_("The proposal may be published on the public site"), required=False, initial=True
    )
    publication_refusal_reason = forms.CharField(
        label=_("If not: why"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = files_field()

    def __init__(
        self,
        *args: Any,
        committee: Committee,
        person: Person,
        policy: ProposalPolicy,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["group"].queryset = selectors.member_groups(person, committee)
        fields["cosigners"].queryset = selectors.seated_members(committee).exclude(pk=person.pk)
        fields["category"].queryset = selectors.categories(committee)
        fields["focus_area"].queryset = FocusArea.objects.filter(
            committee=committee, is_active=True
        )
        fields["suggested_units"].queryset = selectors.handling_units(committee)
        fields["suggested_units"].help_text = _("At most %(count)d.") % {
            "count": policy.max_suggested_units
        }
        fields["body"].help_text = _("At most %(count)d characters; one matter per proposal.") % {
            "count": policy.body_max_chars
        }
        fields["body"].widget.attrs["maxlength"] = policy.body_max_chars

    def data_object(self) -> ProposalData:
        d = self.cleaned_data
        return ProposalData(
            title=d["title"],
            body=d["body"],
            category=d["category"],
            kind=d["kind"],
            focus_area=d.get("focus_area"),
            group=d.get("group"),
            cosigners=list(d.get("cosigners") or []),
            suggested_units=list(d.get("suggested_units") or []),
            no_secret_declared=d["no_secret_declared"],
            consent_publication=d.get("consent_publication", False),
            publication_refusal_reason=d.get("publication_refusal_reason", ""),
        )

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, Any]:
        return {
            "kind": proposal.kind,
            "group": proposal.group_id,
            "cosigners": [a.person_id for a in proposal.authors.all() if a.role == "cosigner"],
            "title": proposal.title,
            "body": proposal.body,
            "category": proposal.category_id,
            "focus_area": proposal.focus_area_id,
            "suggested_units": [u.pk for u in proposal.suggested_units.all()],
            "no_secret_declared": proposal.no_secret_declared,
            "consent_publication": proposal.consent_publication,
            "publication_refusal_reason": proposal.publication_refusal_reason,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


REVIEW_DECISIONS = (
    ("accept", pgettext_lazy("proposal review", "Accept")),  # 立案
    ("reject", _("Do not accept")),  # 不予立案
    ("merge", _("Merge into another proposal")),  # 并案
    ("suggest", _("Turn into a suggestion")),  # 转为意见建议
    ("to_report", _("Turn into an opinion report")),  # 转社情民意
    ("return", _("Return to the proposer for changes")),  # 退回
)


class ReviewForm(forms.Form):
    """The review 审查 of a submitted proposal."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=REVIEW_DECISIONS, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(
        label=_("Ground for not accepting"),
        required=False,
        help_text=_("Required when the proposal is not accepted."),
    )
    target = forms.CharField(
        label=_("Merge into (reference number)"),
        required=False,
        max_length=20,
        help_text=_("E.g. 2026-0042; the similar proposals below show theirs."),
    )
    reason = forms.CharField(
        label=_("Note to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the proposal is returned."),
    )

    def __init__(self, *args: Any, policy: ProposalPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(g["code"], g["label"]) for g in policy.rejection_grounds]
        self.fields["ground"].choices = choices  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    """Assignment 交办: a lead unit 主办 with co-handling units 会办, or separate units 分办."""

    lead = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Organization.objects.none(), required=False
    )
    cohandling = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"), queryset=Organization.objects.none(), required=False
    )
    separate = forms.ModelMultipleChoiceField(
        label=_("Separate units (instead of a lead unit)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    due_on = forms.DateField(
        label=_("Answer due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the committee's answer limit."),
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.handling_units(committee)
        for name in ("lead", "cohandling", "separate"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("lead") and not data.get("separate"):
            raise forms.ValidationError(_("Choose a lead unit or separate units."))
        return data

    def choices(self) -> list[Any]:
        from lianluo.proposals.services import UnitChoice

        data = self.cleaned_data
        due = data.get("due_on")
        units = []
        if data.get("lead"):
            units.append(UnitChoice(data["lead"], Assignment.Role.LEAD, due))
        units += [UnitChoice(u, Assignment.Role.COHANDLING) for u in data.get("cohandling") or []]
        units += [UnitChoice(u, Assignment.Role.SEPARATE, due) for u in data.get("separate") or []]
        return units


class BulkAssignForm(AssignForm):
    """Assign several accepted proposals to the same units at once."""

    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals"), queryset=Proposal.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, committee: Committee, proposals: Any, **kwargs: Any) -> None:
        super().__init__(*args, committee=committee, **kwargs)
        self.fields["proposals"].queryset = proposals  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 10}))
    answer_class = forms.ChoiceField(label=_("Answer class"))
    attachments = files_field()

    def __init__(self, *args: Any, policy: ProposalPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer_class"].choices = [  # type: ignore[attr-defined]
            (c["code"], f"{c['code']} {c['label']}") for c in policy.answer_classes
        ]


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Co-handling opinion"), widget=forms.Textarea(attrs={"rows": 8}))
    attachments = files_field()


class EvaluationForm(forms.Form):
    """The proposer's evaluation 满意度测评 of a reply, on two axes. Asking for handling again
    is offered (ticked) only while it is still possible: `can_rehandle` false (the reply was
    already handled again) leaves the box out, and an unsatisfied result is then recorded."""

    attitude = forms.ChoiceField(
        label=_("Handling"), choices=Evaluation.Rating.choices, widget=forms.RadioSelect
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=Evaluation.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rehandle = forms.BooleanField(
        label=_("Unsatisfied with the result: ask for handling again"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, can_rehandle: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_rehandle:
            del self.fields["rehandle"]

    def action(self) -> str:
        data = self.cleaned_data
        if (
            "rehandle" in self.fields
            and data["result"] == Evaluation.Rating.UNSATISFIED
            and data.get("rehandle")
        ):
            return "rehandle"
        return "evaluate"


class KeyForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Supervising leader"), queryset=Person.objects.none())
    note = forms.CharField(
        label=_("Why it is a key proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = selectors.seated_members(committee)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


def _code_lines(value: str, field: str) -> list[dict[str, str]]:
    rows = []
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        code, _sep, label = line.partition(" ")
        if not label.strip():
            raise forms.ValidationError(
                _("Each line: a code, a space, the label (line “%(line)s”).") % {"line": line}
            )
        rows.append({"code": code.strip(), "label": label.strip()})
    return rows


class PolicyForm(forms.ModelForm):
    answer_classes_text = forms.CharField(
        label=_("Answer classes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: the code, a space, the label (e.g. “A 已经解决或基本解决”)."),
    )
    rejection_grounds_text = forms.CharField(
        label=_("Grounds for not accepting"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One per line: a short code, a space, the ground."),
    )

    class Meta:
        model = ProposalPolicy
        fields = (
            "body_max_chars",
            "report_body_max_chars",
            "max_suggested_units",
            "cosign_days",
            "plenary_window_days",
            "return_window_days",
            "answer_days",
            "cohandling_days",
            "publication_enabled",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = self.instance
        self.fields["answer_classes_text"].initial = "\n".join(
            f"{c['code']} {c['label']}" for c in policy.answer_classes
        )
        self.fields["rejection_grounds_text"].initial = "\n".join(
            f"{g['code']} {g['label']}" for g in policy.rejection_grounds
        )

    def clean_answer_classes_text(self) -> list[dict[str, str]]:
        return _code_lines(self.cleaned_data["answer_classes_text"], "answer_classes")

    def clean_rejection_grounds_text(self) -> list[dict[str, str]]:
        return _code_lines(self.cleaned_data["rejection_grounds_text"], "rejection_grounds")

    def policy_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["answer_classes"] = self.cleaned_data["answer_classes_text"]
        data["rejection_grounds"] = self.cleaned_data["rejection_grounds_text"]
        return data


class ReportForm(forms.Form):
    """A member's opinion report: one matter, short and first-hand."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=OpinionReport.Kind.choices,
        widget=forms.RadioSelect,
        initial="individual",
    )
    group = forms.ModelChoiceField(
        label=_("For the group"), queryset=Organization.objects.none(), required=False
    )
    coauthors = forms.ModelMultipleChoiceField(
        label=_("Joint authors"), queryset=Person.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=FocusArea.objects.none(), required=False
    )
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.none(), required=False
    )
    attachments = files_field()

    def __init__(
        self,
        *args: Any,
        committee: Committee,
        person: Person,
        policy: ProposalPolicy,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["group"].queryset = selectors.member_groups(person, committee)
        fields["coauthors"].queryset = selectors.seated_members(committee).exclude(pk=person.pk)
        fields["category"].queryset = selectors.categories(committee)
        fields["focus_area"].queryset = FocusArea.objects.filter(
            committee=committee, is_active=True
        )
        fields["body"].help_text = _("At most %(count)d characters; one matter per report.") % {
            "count": policy.report_body_max_chars
        }
        fields["body"].widget.attrs["maxlength"] = policy.report_body_max_chars

    def data_object(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            title=d["title"],
            body=d["body"],
            kind=d["kind"],
            category=d.get("category"),
            focus_area=d.get("focus_area"),
            group=d.get("group"),
            coauthors=list(d.get("coauthors") or []),
        )

    @staticmethod
    def initial_for(report: OpinionReport) -> dict[str, Any]:
        return {
            "kind": report.kind,
            "group": report.group_id,
            "coauthors": [a.person_id for a in report.authors.all() if a.role == "joint"],
            "title": report.title,
            "body": report.body,
            "category": report.category_id,
            "focus_area": report.focus_area_id,
        }


class CheckForm(forms.Form):
    """Staff's edit 核稿: kept apart from the author's original."""

    edited_title = forms.CharField(label=_("Edited title"), max_length=200)
    edited_body = forms.CharField(label=_("Edited text"), widget=forms.Textarea(attrs={"rows": 12}))


class AdoptionForm(forms.Form):
    """One link of a report's adoption chain."""

    level = forms.ChoiceField(label=_("Level"))
    body = forms.ChoiceField(label=_("By"), choices=AdoptionEvent.Body.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=AdoptionEvent.Scope.choices)
    kind = forms.ChoiceField(label=_("What happened"), choices=AdoptionEvent.Kind.choices)
    by_whom = forms.CharField(
        label=_("By whom"),
        required=False,
        max_length=200,
        help_text=_("The leader who gave an instruction, or the office or department."),
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(
        label=_("Text (e.g. the instruction)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    feedback = forms.BooleanField(
        label=_("Tell the authors (feedback)"), required=False, initial=True
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = AdoptionEvent.LEVEL_ORDER
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (value, label)
            for value, label in Committee.Level.choices
            if order[value] >= order[committee.level]
        ]
        self.fields["level"].initial = committee.level

    def data_object(self) -> AdoptionData:
        d = self.cleaned_data
        return AdoptionData(
            level=d["level"],
            body=d["body"],
            scope=d["scope"],
            kind=d["kind"],
            occurred_on=d["occurred_on"],
            by_whom=d.get("by_whom", ""),
            text=d.get("text", ""),
        )


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, initial=_("Opinion reports"))
    published_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    number = forms.IntegerField(
        label=_("Issue number"),
        required=False,
        min_value=1,
        help_text=_("Empty: the next number of the year."),
    )


class BulletinAddForm(forms.Form):
    reference = forms.CharField(
        label=_("Report (reference number)"), max_length=20, help_text=_("E.g. 2026-S0012.")
    )


def default_year() -> int:
    return timezone.localdate().year


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, initial=default_year)


def today() -> datetime.date:
    return timezone.localdate()
