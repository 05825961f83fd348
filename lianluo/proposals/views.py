"""Pages of proposals 提案 and opinion reports 社情民意: the member's, the office's, the unit's
and the public's. Every object comes through `visible_to(user)` (404 when not visible); a
visible object the user may not change gives 403; a refused workflow step is a message on the
page, never an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianluo.core import links
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, Person
from lianluo.directory.scoping import Scope, scope_for
from lianluo.proposals import selectors, services
from lianluo.proposals.filters import AssignmentFilterSet
from lianluo.proposals.forms import (
    AssignForm,
    EvaluationForm,
    KeyForm,
    NoteForm,
    OpinionForm,
    ProposalForm,
    ReasonForm,
    ReplyForm,
    ReviewForm,
)
from lianluo.proposals.models import (
    Assignment,
    Attachment,
    IndexKind,
    KeySupervision,
    OpinionReport,
    Proposal,
    Reply,
)
from lianluo.proposals.workflow import (
    ASSIGNMENT_ACTIONS,
    ASSIGNMENTS,
    MAX_ROUNDS,
    PROPOSAL_ACTIONS,
    PROPOSALS,
)

PAGE_SIZE = 50
# Steps a button on the detail page takes directly (the others have their own form).
SIMPLE_PROPOSAL_ACTIONS = ("invite", "recall", "submit", "resubmit", "withdraw", "close")


def apply_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


class ProposalsMixin(LoginRequiredMixin):
    """Finds committees and records for the current user: 404 when they may not see them."""

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def readable_committee(self, code: str) -> Committee:
        """A committee whose proposal work the user reads (office staff, auditors)."""
        committee = get_object_or_404(Committee, code=code)
        if not self.scope.can_read_committee(committee):
            raise Http404
        return committee

    def office_committee(self, code: str) -> Committee:
        committee = self.readable_committee(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return committee

    def member_committee(self, code: str) -> Committee:
        """A committee where the user holds a serving seat (and so may write)."""
        committee = get_object_or_404(Committee, code=code)
        if not selectors.member_committees(self.scope.person_id).filter(pk=committee.pk).exists():
            raise Http404
        return committee

    def person(self) -> Person:
        if self.scope.person_id is None:
            raise Http404
        return Person.objects.get(pk=self.scope.person_id)

    def proposal(self, pk: int) -> Proposal:
        return get_object_or_404(
            Proposal.objects.visible_to(self.request.user).select_related(
                "committee", "author", "category", "session__term", "group", "focus_area"
            ),
            pk=pk,
        )

    def report(self, pk: int) -> OpinionReport:
        return get_object_or_404(
            OpinionReport.objects.visible_to(self.request.user).select_related(
                "committee", "author", "category", "group", "focus_area"
            ),
            pk=pk,
        )

    def assignment(self, pk: int) -> Assignment:
        return get_object_or_404(
            Assignment.objects.visible_to(self.request.user).select_related(
                "proposal__committee", "proposal__author", "unit", "committee"
            ),
            pk=pk,
        )


def page_of(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def query_string(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --------------------------------------------------------------------------------------------
# Entry pages


class IndexView(ProposalsMixin, View):
    """/proposals/: staff go to their committee, units to their inbox, members to their own."""

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = self.scope
        if scope.home_committee_codes and scope.sees_registry:
            return redirect("proposals:committee_home", code=scope.home_committee_codes[0])
        if scope.is_unit:
            return redirect("proposals:units")
        if scope.person_id is not None:
            return redirect("proposals:mine")
        raise Http404


def my_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The proposals part of a member's own page 我的履职: my proposals and reports with their
    state, co-signatures waiting for me, replies waiting for my evaluation, the key proposals
    I supervise."""
    return {
        "proposals_mine": list(selectors.my_proposals(person.pk)[:20]),
        "proposals_reports": list(selectors.my_reports(person.pk)[:20]),
        "proposals_cosign": list(selectors.cosign_requests(person.pk)),
        "proposals_to_evaluate": list(selectors.replies_to_evaluate(person.pk)),
        "proposals_supervised": list(selectors.supervised_by(person.pk)),
        "proposals_committees": list(selectors.member_committees(person.pk)),
    }


class MineView(ProposalsMixin, View):
    """A member's proposals and reports, co-signatures and evaluations waiting for them."""

    def get(self, request: HttpRequest) -> HttpResponse:
        person = self.person()
        return render(
            request,
            "proposals/mine.html",
            {"person": person, **my_section(request, person)},
        )


class UnitInboxView(ProposalsMixin, View):
    """A handling unit's assignments 待办提案, open ones first, with filters."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.scope.is_unit:
            raise Http404
        filterset = AssignmentFilterSet(request.GET, queryset=selectors.unit_inbox(request.user))
        return render(
            request,
            "proposals/units.html",
            {
                "filter": filterset,
                "page": page_of(request, filterset.qs),
                "query": query_string(request),
                "today": timezone.localdate(),
            },
        )


class CommitteeHomeView(ProposalsMixin, View):
    """The staff entry of a committee's proposal work: counts and the way to each list."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        session = selectors.current_session(committee)
        proposals = selectors.staff_proposals(committee, request.user)
        counts = dict(
            proposals.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        labels = dict(Proposal.Status.choices)
        reports = dict(
            selectors.staff_reports(committee, request.user)
            .order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        report_labels = dict(OpinionReport.Status.choices)
        return render(
            request,
            "proposals/committee_home.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "can_edit": self.scope.can_edit_committee(committee.pk),
                "session": session,
                "counts": [(labels[s], counts[s], s) for s in labels if counts.get(s)],
                "report_counts": [
                    (report_labels[s], reports[s], s) for s in report_labels if reports.get(s)
                ],
                "queue": counts.get(Proposal.Status.SUBMITTED, 0),
                "policy": selectors.policy_for(committee),
            },
        )


# --------------------------------------------------------------------------------------------
# Proposals: writing


def _similar_context(
    committee: Committee, text: str, user: Any, exclude: list[tuple[str, int]]
) -> dict[str, Any]:
    items = selectors.similar_items(committee, text, user, exclude=exclude) if text.strip() else []
    return {"similar": items, "similar_checked": bool(text.strip())}


class DraftNewView(ProposalsMixin, View):
    """A member drafts an item (a proposal or an opinion report) in a committee where they
    hold a seat; a subclass names the form, the service that creates it and its page."""

    template_name: str
    form_class: Callable[..., Any]
    kind: str
    detail_url: str
    service: Callable[..., Any]  # services.proposal_create or services.report_create

    def extra_context(self, committee: Committee, request: HttpRequest) -> dict[str, Any]:
        return {}

    def _form(self, committee: Committee, data: Any = None, files: Any = None) -> Any:
        return self.form_class(
            data,
            files,
            committee=committee,
            person=self.person(),
            policy=selectors.policy_for(committee),
        )

    def _render(self, request: HttpRequest, committee: Committee, form: Any, **extra: Any) -> Any:
        context = {"form": form, "committee": committee, "kind": self.kind, **extra}
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.member_committee(code)
        return self._render(request, committee, self._form(committee))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.member_committee(code)
        form = self._form(committee, request.POST, request.FILES)
        if form.is_valid():
            try:
                item = type(self).service(
                    committee=committee,
                    by=request.user,
                    data=form.data_object(),
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved. Only you can see it."))
                return redirect(self.detail_url, pk=item.pk)
        return self._render(request, committee, form, **self.extra_context(committee, request))


class ProposalNewView(DraftNewView):
    """A member drafts a proposal; similar earlier items show beside the form as they type."""

    template_name = "proposals/proposal_form.html"
    form_class = ProposalForm
    kind = "proposal"
    detail_url = "proposals:proposal_detail"
    service = staticmethod(services.proposal_create)

    def extra_context(self, committee: Committee, request: HttpRequest) -> dict[str, Any]:
        text = f"{request.POST.get('title', '')}\n{request.POST.get('body', '')}"
        return _similar_context(committee, text, request.user, [])


class ProposalEditView(ProposalsMixin, View):
    """The author changes a draft or a returned proposal."""

    template_name = "proposals/proposal_form.html"

    def _editable(self, pk: int) -> Proposal:
        proposal = self.proposal(pk)
        if self.scope.person_id != proposal.author_id:
            raise PermissionDenied(_("Only the first proposer may change this proposal."))
        return proposal

    def _form(self, proposal: Proposal, data: Any = None, files: Any = None) -> ProposalForm:
        return ProposalForm(
            data,
            files,
            committee=proposal.committee,
            person=proposal.author,
            policy=selectors.policy_for(proposal.committee),
            initial=ProposalForm.initial_for(proposal),
        )

    def _render(self, proposal: Proposal, form: ProposalForm) -> HttpResponse:
        text = f"{proposal.title}\n{proposal.body}"
        if form.is_bound:
            text = f"{self.request.POST.get('title', '')}\n{self.request.POST.get('body', '')}"
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "proposal": proposal,
                "committee": proposal.committee,
                "kind": "proposal",
                "attachments": proposal.attachments.all(),
                **_similar_context(
                    proposal.committee,
                    text,
                    self.request.user,
                    [(IndexKind.PROPOSAL, proposal.pk)],
                ),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._editable(pk)
        return self._render(proposal, self._form(proposal))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._editable(pk)
        form = self._form(proposal, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.proposal_update(
                    proposal=proposal,
                    by=request.user,
                    data=form.data_object(),
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("proposals:proposal_detail", pk=pk)
        return self._render(proposal, form)


class SimilarPanelView(ProposalsMixin, View):
    """htmx: the items most similar to the text being written (POST title and body)."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = get_object_or_404(Committee, code=code)
        scope = self.scope
        if not (
            scope.can_read_committee(committee)
            or selectors.member_committees(scope.person_id).filter(pk=committee.pk).exists()
        ):
            raise Http404
        text = f"{request.POST.get('title', '')}\n{request.POST.get('body', '')}"[:20000]
        exclude: list[tuple[str, int]] = []
        own_kind = request.POST.get("own_kind", "")
        own_id = request.POST.get("own_id", "")
        if own_kind in (IndexKind.PROPOSAL, IndexKind.REPORT) and own_id.isdigit():
            exclude.append((own_kind, int(own_id)))
        return render(
            request,
            "proposals/_similar.html",
            _similar_context(committee, text, request.user, exclude),
        )


# --------------------------------------------------------------------------------------------
# Proposals: the record


def _assignment_rows(proposal: Proposal, user: Any) -> list[dict[str, Any]]:
    visible = set(
        Assignment.objects.visible_to(user).filter(proposal=proposal).values_list("pk", flat=True)
    )
    reply_ids = set(
        Reply.objects.visible_to(user).filter(proposal=proposal).values_list("pk", flat=True)
    )
    rows = []
    for assignment in (
        proposal.assignments.select_related("unit")
        .prefetch_related("replies__evaluations", "replies__attachments")
        .order_by("role", "id")
    ):
        if assignment.pk not in visible:
            continue
        roles = services.assignment_roles(user, assignment)
        # A reply is evaluated while the proposal is handled or answered, never once closed.
        can_evaluate = (
            "author" in roles
            and assignment.status == Assignment.Status.REPLIED
            and proposal.status in selectors.EVALUATED_WHILE
        )
        rows.append(
            {
                "assignment": assignment,
                "replies": [r for r in assignment.replies.all() if r.pk in reply_ids],
                "actions": [
                    t
                    for t in ASSIGNMENTS.available(assignment.status, roles)
                    if t.action not in ("evaluate", "rehandle")
                ],
                "can_evaluate": can_evaluate,
                "evaluation_form": EvaluationForm(
                    can_rehandle=assignment.round < MAX_ROUNDS,
                    auto_id=f"id_evaluation_{assignment.pk}_%s",
                )
                if can_evaluate
                else None,
            }
        )
    return rows


class ProposalDetailView(ProposalsMixin, View):
    """A proposal with its proposers, text, files, review, assignments, replies, evaluations,
    linked records and its whole timeline."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        user = request.user
        roles = services.proposal_roles(user, proposal)
        policy = selectors.policy_for(proposal.committee)
        scope = self.scope
        cosign = None
        if scope.person_id is not None:
            cosign = proposal.authors.filter(
                person_id=scope.person_id,
                role="cosigner",
                state="invited",
            ).first()
        available = PROPOSALS.available(proposal.status, roles)
        buttons = [
            (t.action, PROPOSAL_ACTIONS[t.action])
            for t in available
            if t.action in SIMPLE_PROPOSAL_ACTIONS
        ]
        similar: list[Any] = []
        # The office reviewing a submitted proposal sees the similar items (the search runs).
        searched = "office" in roles and proposal.status == Proposal.Status.SUBMITTED
        if searched:
            similar = selectors.similar_items(
                proposal.committee,
                f"{proposal.title}\n{proposal.body}",
                user,
                exclude=[(IndexKind.PROPOSAL, proposal.pk)],
            )
        supervision = (
            KeySupervision.objects.filter(proposal=proposal).select_related("leader").first()
        )
        return render(
            request,
            "proposals/proposal_detail.html",
            {
                "proposal": proposal,
                "committee": proposal.committee,
                "demo_committee": proposal.committee.is_demo,
                "roles": roles,
                "is_office": "office" in roles,
                "is_author": "author" in roles,
                "buttons": buttons,
                "can_review": any(t.action == "accept" for t in available),
                "can_assign": any(t.action == "assign" for t in available),
                "can_edit": "author" in roles
                and proposal.status in (Proposal.Status.DRAFT, Proposal.Status.RETURNED),
                "cosign": cosign,
                "authors": proposal.authors.select_related("person", "via").order_by(
                    "position", "id"
                ),
                "suggested_units": proposal.suggested_units.all(),
                "attachments": proposal.attachments.all(),
                "assignments": _assignment_rows(proposal, user),
                "reason_form": ReasonForm(),
                "similar": similar,
                "similar_checked": searched,
                "ground": policy.ground_label(proposal.rejection_ground)
                if proposal.rejection_ground
                else "",
                "supervision": supervision,
                "notes": supervision.notes.all() if supervision else [],
                "key_form": KeyForm(committee=proposal.committee) if "office" in roles else None,
                "note_form": NoteForm(),
                "can_note": supervision is not None
                and ("office" in roles or scope.person_id == supervision.leader_id),
                "policy": policy,
                "links": links.links_of(proposal),
                "timeline": selectors.timeline(proposal),
            },
        )


class ProposalActionView(ProposalsMixin, View):
    """POST one of the simple steps (submit, invite, recall, withdraw, resubmit, close)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        action = request.POST.get("action", "")
        if action not in SIMPLE_PROPOSAL_ACTIONS:
            messages.error(request, _("Unknown step."))
            return redirect("proposals:proposal_detail", pk=pk)
        try:
            services.proposal_transition(
                proposal=proposal,
                action=action,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": PROPOSAL_ACTIONS[action]})
        return redirect("proposals:proposal_detail", pk=pk)


class ProposalCosignView(ProposalsMixin, View):
    """POST: a co-signer confirms or declines."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        confirm = request.POST.get("answer") == "confirm"
        try:
            services.proposal_cosign(proposal=proposal, by=request.user, confirm=confirm)
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("You co-signed the proposal.") if confirm else _("You declined to co-sign."),
            )
        return redirect("proposals:proposal_detail", pk=pk)


class ProposalReviewView(ProposalsMixin, View):
    """The review 审查 of a submitted proposal, with the most similar items to merge with."""

    template_name = "proposals/review_form.html"

    def _render(self, proposal: Proposal, form: ReviewForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "proposal": proposal,
                "committee": proposal.committee,
                "form": form,
                "similar": selectors.similar_items(
                    proposal.committee,
                    f"{proposal.title}\n{proposal.body}",
                    self.request.user,
                    exclude=[(IndexKind.PROPOSAL, proposal.pk)],
                ),
                "similar_checked": True,
            },
        )

    def _reviewable(self, pk: int) -> Proposal:
        proposal = self.proposal(pk)
        if "office" not in services.proposal_roles(self.request.user, proposal):
            raise PermissionDenied(_("Only this committee's office reviews proposals."))
        return proposal

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._reviewable(pk)
        policy = selectors.policy_for(proposal.committee)
        return self._render(proposal, ReviewForm(policy=policy))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._reviewable(pk)
        policy = selectors.policy_for(proposal.committee)
        form = ReviewForm(request.POST, policy=policy)
        if form.is_valid():
            data = form.cleaned_data
            target = None
            if data["decision"] == "merge":
                target = (
                    Proposal.objects.visible_to(request.user)
                    .filter(committee=proposal.committee, reference=data["target"].strip())
                    .first()
                )
                if target is None:
                    form.add_error("target", _("No proposal of this committee has this number."))
                    return self._render(proposal, form)
            try:
                services.proposal_transition(
                    proposal=proposal,
                    action=data["decision"],
                    by=request.user,
                    reason=data["reason"],
                    ground=data["ground"],
                    target=target,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Decided: %(step)s.") % {"step": PROPOSAL_ACTIONS[data["decision"]]},
                )
                return redirect("proposals:proposal_detail", pk=pk)
        return self._render(proposal, form)


class ProposalAssignView(ProposalsMixin, View):
    """Assignment 交办 of an accepted proposal to its lead and co-handling (or separate) units."""

    template_name = "proposals/assign_form.html"

    def _assignable(self, pk: int) -> Proposal:
        proposal = self.proposal(pk)
        if "office" not in services.proposal_roles(self.request.user, proposal):
            raise PermissionDenied(_("Only this committee's office assigns proposals."))
        return proposal

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._assignable(pk)
        form = AssignForm(committee=proposal.committee)
        suggested = list(proposal.suggested_units.all())
        if suggested:
            form.initial["lead"] = suggested[0].pk
        return render(
            request,
            self.template_name,
            {
                "proposal": proposal,
                "committee": proposal.committee,
                "form": form,
                "suggested": suggested,
                "policy": selectors.policy_for(proposal.committee),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self._assignable(pk)
        form = AssignForm(request.POST, committee=proposal.committee)
        if form.is_valid():
            try:
                services.proposal_transition(
                    proposal=proposal, action="assign", by=request.user, units=form.choices()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The proposal was assigned."))
                return redirect("proposals:proposal_detail", pk=pk)
        return render(
            request,
            self.template_name,
            {
                "proposal": proposal,
                "committee": proposal.committee,
                "form": form,
                "suggested": list(proposal.suggested_units.all()),
                "policy": selectors.policy_for(proposal.committee),
            },
        )


class ProposalPrintView(ProposalsMixin, View):
    """The formatted print view 提案打印稿: a clean page with print CSS."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        return render(
            request,
            "proposals/print.html",
            {
                "proposal": proposal,
                "authors": [
                    a
                    for a in proposal.authors.select_related("person").order_by("position", "id")
                    if a.counts
                ],
                "suggested_units": proposal.suggested_units.all(),
                "printed_on": timezone.localdate(),
            },
        )


class ProposalKeyView(ProposalsMixin, View):
    """POST (office): make the proposal a key proposal supervised by a leader."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        if "office" not in services.proposal_roles(request.user, proposal):
            raise PermissionDenied(_("Only this committee's office selects key proposals."))
        form = KeyForm(request.POST, committee=proposal.committee)
        if form.is_valid():
            try:
                services.key_proposal_select(
                    proposal=proposal,
                    leader=form.cleaned_data["leader"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except (ValidationError, InvalidTransition) as error:
                text = error.message if isinstance(error, InvalidTransition) else error_text(error)
                messages.error(request, text)
            else:
                messages.success(request, _("It is now a key proposal."))
        else:
            messages.error(request, _("Choose the supervising leader."))
        return redirect("proposals:proposal_detail", pk=pk)


class ProposalKeyNoteView(ProposalsMixin, View):
    """POST: a progress note on a key proposal (the office or its leader)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        supervision = get_object_or_404(KeySupervision, proposal=proposal)
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.supervision_note_add(
                    supervision=supervision,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    happened_on=form.cleaned_data["happened_on"],
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, _("The progress was recorded."))
        else:
            messages.error(request, _("Give the date and what happened."))
        return redirect("proposals:proposal_detail", pk=pk)


class ProposalPublishView(ProposalsMixin, View):
    """POST (office): publish the proposal on the public site, or take it down."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.proposal(pk)
        publish = request.POST.get("publish") == "1"
        try:
            services.proposal_publish(proposal=proposal, by=request.user, publish=publish)
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Published.") if publish else _("Taken off the public site.")
            )
        return redirect("proposals:proposal_detail", pk=pk)


class ReplyPublishView(ProposalsMixin, View):
    """POST (office): publish a recorded reply, or take it down."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        reply = get_object_or_404(Reply.objects.visible_to(request.user), pk=pk)
        publish = request.POST.get("publish") == "1"
        try:
            services.reply_publish(reply=reply, by=request.user, publish=publish)
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Published.") if publish else _("Taken off the public site.")
            )
        return redirect("proposals:proposal_detail", pk=reply.proposal_id)


# --------------------------------------------------------------------------------------------
# Assignments (units) and evaluations (proposers)


class AssignmentDetailView(ProposalsMixin, View):
    """A unit's page for one assignment: the proposal, the co-handling opinions (for the lead
    unit), and the forms to reply, send an opinion or return it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.assignment(pk)
        return self._render(assignment)

    def _render(self, assignment: Assignment, **forms: Any) -> HttpResponse:
        user = self.request.user
        roles = services.assignment_roles(user, assignment)
        policy = selectors.policy_for(assignment.committee)
        available = {t.action for t in ASSIGNMENTS.available(assignment.status, roles)}
        proposal = assignment.proposal
        opinions = (
            Reply.objects.visible_to(user)
            .filter(proposal=proposal, kind=Reply.Kind.OPINION)
            .select_related("assignment__unit")
            .prefetch_related("attachments")
        )
        siblings = (
            Assignment.objects.visible_to(user)
            .filter(proposal=proposal)
            .exclude(pk=assignment.pk)
            .select_related("unit")
        )
        can_reply = "reply" in available and assignment.role != Assignment.Role.COHANDLING
        return render(
            self.request,
            "proposals/assignment_detail.html",
            {
                "assignment": assignment,
                "proposal": proposal,
                "committee": assignment.committee,
                "attachments": proposal.attachments.all(),
                "replies": Reply.objects.visible_to(user)
                .filter(assignment=assignment)
                .prefetch_related("evaluations", "attachments"),
                "opinions": opinions,
                "siblings": siblings,
                "reply_form": forms.get("reply_form")
                or (ReplyForm(policy=policy) if can_reply else None),
                "opinion_form": forms.get("opinion_form")
                or (
                    OpinionForm()
                    if "send_opinion" in available and assignment.role == Assignment.Role.COHANDLING
                    else None
                ),
                "return_form": forms.get("return_form")
                or (
                    ReasonForm()
                    if "return" in available and timezone.localdate() <= assignment.return_by
                    else None
                ),
                "can_withdraw": "withdraw" in available,
                "today": timezone.localdate(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Reply, opinion, return, withdraw (units and office); evaluate (the proposer)."""
        assignment = self.assignment(pk)
        action = request.POST.get("action", "")
        policy = selectors.policy_for(assignment.committee)
        form: BaseForm
        kwargs: dict[str, Any] = {}
        if action == "reply":
            form = ReplyForm(request.POST, request.FILES, policy=policy)
            form_name = "reply_form"
        elif action == "send_opinion":
            form = OpinionForm(request.POST, request.FILES)
            form_name = "opinion_form"
        elif action in ("return", "withdraw"):
            form = ReasonForm(request.POST)
            form_name = "return_form"
        elif action in ("evaluate", "rehandle"):
            form = EvaluationForm(request.POST, can_rehandle=assignment.round < MAX_ROUNDS)
            form_name = "evaluation_form"
        else:
            messages.error(request, _("Unknown step."))
            return redirect("proposals:assignment_detail", pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            if isinstance(form, EvaluationForm):
                action = form.action()
                kwargs = {
                    "attitude": data["attitude"],
                    "result": data["result"],
                    "comment": data["comment"],
                }
            elif isinstance(form, ReplyForm):
                kwargs = {
                    "text": data["text"],
                    "answer_class": data["answer_class"],
                    "files": data["attachments"],
                }
            elif isinstance(form, OpinionForm):
                kwargs = {"text": data["text"], "files": data["attachments"]}
            else:
                kwargs = {"reason": data["reason"]}
            try:
                services.assignment_transition(
                    assignment=assignment, action=action, by=request.user, **kwargs
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, _("Done: %(step)s.") % {"step": ASSIGNMENT_ACTIONS[action]}
                )
                if action in ("evaluate", "rehandle", "withdraw"):
                    return redirect("proposals:proposal_detail", pk=assignment.proposal_id)
                return redirect("proposals:assignment_detail", pk=pk)
        if form_name == "evaluation_form":
            messages.error(
                request,
                " ".join(str(e) for errors in form.errors.values() for e in errors)
                or _("The evaluation was not saved."),
            )
            return redirect("proposals:proposal_detail", pk=assignment.proposal_id)
        return self._render(assignment, **{form_name: form})


class AttachmentView(ProposalsMixin, View):
    """Serve an attached file to whoever may see its proposal, reply or report."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment = get_object_or_404(Attachment, pk=pk)
        user = request.user
        visible = (
            (
                attachment.proposal_id
                and Proposal.objects.visible_to(user).filter(pk=attachment.proposal_id).exists()
            )
            or (
                attachment.reply_id
                and Reply.objects.visible_to(user).filter(pk=attachment.reply_id).exists()
            )
            or (
                attachment.report_id
                and OpinionReport.objects.visible_to(user).filter(pk=attachment.report_id).exists()
            )
        )
        if not visible:
            raise Http404
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
