"""Pages of opinion reports 社情民意: writing, checking 核稿, accepting, the adoption chain, the
year-end statistics and the bulletin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianluo.core import links
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee
from lianluo.proposals import selectors, services
from lianluo.proposals.filters import ReportFilterSet
from lianluo.proposals.forms import (
    AdoptionForm,
    BulletinAddForm,
    BulletinForm,
    CheckForm,
    ReportForm,
    YearForm,
)
from lianluo.proposals.models import (
    BulletinIssue,
    IndexKind,
    OpinionReport,
)
from lianluo.proposals.views import (
    DraftNewView,
    ProposalsMixin,
    apply_service_errors,
    error_text,
    page_of,
    query_string,
)
from lianluo.proposals.workflow import (
    REPORT_ACTIONS,
    REPORTS,
)

# Steps a button on the report page takes directly.
SIMPLE_REPORT_ACTIONS = ("submit", "resubmit", "withdraw", "accept", "keep", "return")


class ReportNewView(DraftNewView):
    """A member drafts an opinion report."""

    template_name = "proposals/report_form.html"
    form_class = ReportForm
    kind = "report"
    detail_url = "proposals:report_detail"
    service = staticmethod(services.report_create)


class ReportEditView(ProposalsMixin, View):
    template_name = "proposals/report_form.html"

    def _editable(self, pk: int) -> OpinionReport:
        report = self.report(pk)
        if self.scope.person_id != report.author_id:
            raise PermissionDenied(_("Only the first author may change this report."))
        return report

    def _form(self, report: OpinionReport, data: Any = None, files: Any = None) -> ReportForm:
        return ReportForm(
            data,
            files,
            committee=report.committee,
            person=report.author,
            policy=selectors.policy_for(report.committee),
            initial=ReportForm.initial_for(report),
        )

    def _render(self, report: OpinionReport, form: ReportForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "report": report,
                "committee": report.committee,
                "kind": "report",
                "attachments": report.attachments.all(),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._editable(pk)
        return self._render(report, self._form(report))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._editable(pk)
        form = self._form(report, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.report_update(
                    report=report,
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
                return redirect("proposals:report_detail", pk=pk)
        return self._render(report, form)


class ReportDetailView(ProposalsMixin, View):
    """A report: the original and the edited text side by side, its adoption chain, the
    bulletin issues that printed it, links and timeline."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report(pk)
        roles = services.report_roles(request.user, report)
        available = REPORTS.available(report.status, roles)
        # The office checking a submitted report sees the similar items (the search runs),
        # as for a proposal under review.
        searched = "office" in roles and report.status == OpinionReport.Status.SUBMITTED
        similar = (
            selectors.similar_items(
                report.committee,
                f"{report.title}\n{report.body}",
                request.user,
                exclude=[(IndexKind.REPORT, report.pk)],
            )
            if searched
            else []
        )
        return render(
            request,
            "proposals/report_detail.html",
            {
                "report": report,
                "committee": report.committee,
                "demo_committee": report.committee.is_demo,
                "is_office": "office" in roles,
                "can_edit": "author" in roles
                and report.status in (OpinionReport.Status.DRAFT, OpinionReport.Status.RETURNED),
                "buttons": [
                    (t.action, REPORT_ACTIONS[t.action], t.needs_reason)
                    for t in available
                    if t.action in SIMPLE_REPORT_ACTIONS
                ],
                "authors": report.authors.select_related("person").order_by("position", "id"),
                "attachments": report.attachments.all(),
                "events": report.adoption_events.order_by("occurred_on", "id"),
                "issues": BulletinIssue.objects.visible_to(request.user).filter(
                    entries__report=report
                ),
                "adoption_form": AdoptionForm(committee=report.committee)
                if "office" in roles and report.status == OpinionReport.Status.ACCEPTED
                else None,
                "links": links.links_of(report),
                "timeline": selectors.timeline(report),
                "similar": similar,
                "similar_checked": searched,
            },
        )


class ReportActionView(ProposalsMixin, View):
    """POST a step of the report machine (submit, accept, keep, return, resubmit, withdraw)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report(pk)
        action = request.POST.get("action", "")
        if action not in SIMPLE_REPORT_ACTIONS:
            messages.error(request, _("Unknown step."))
            return redirect("proposals:report_detail", pk=pk)
        try:
            services.report_transition(
                report=report, action=action, by=request.user, reason=request.POST.get("reason", "")
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": REPORT_ACTIONS[action]})
        return redirect("proposals:report_detail", pk=pk)


class ReportCheckView(ProposalsMixin, View):
    """Staff check and edit 核稿 a report; the author's original stays as it was."""

    def _checkable(self, pk: int) -> OpinionReport:
        report = self.report(pk)
        if "office" not in services.report_roles(self.request.user, report):
            raise PermissionDenied(_("Only this committee's office edits reports."))
        return report

    def _render(self, report: OpinionReport, form: CheckForm) -> HttpResponse:
        return render(
            self.request,
            "proposals/check_form.html",
            {"report": report, "committee": report.committee, "form": form},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._checkable(pk)
        return self._render(
            report,
            CheckForm(
                initial={"edited_title": report.shown_title, "edited_body": report.shown_body}
            ),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._checkable(pk)
        form = CheckForm(request.POST)
        if form.is_valid():
            try:
                services.report_check(
                    report=report,
                    by=request.user,
                    edited_title=form.cleaned_data["edited_title"],
                    edited_body=form.cleaned_data["edited_body"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The edited version was saved."))
                return redirect("proposals:report_detail", pk=pk)
        return self._render(report, form)


class ReportAdoptionView(ProposalsMixin, View):
    """POST (office): add a link to the report's adoption chain."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.report(pk)
        if "office" not in services.report_roles(request.user, report):
            raise PermissionDenied(_("Only this committee's office records adoptions."))
        form = AdoptionForm(request.POST, committee=report.committee)
        if form.is_valid():
            try:
                services.adoption_record(
                    report=report,
                    by=request.user,
                    data=form.data_object(),
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            except InvalidTransition as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The event was recorded."))
        else:
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        return redirect("proposals:report_detail", pk=pk)


class ReportListView(ProposalsMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        data = request.GET.copy()
        data.setdefault("year", str(timezone.localdate().year))
        filterset = ReportFilterSet(
            data, queryset=selectors.staff_reports(committee, request.user), committee=committee
        )
        return render(
            request,
            "proposals/report_list.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "filter": filterset,
                "page": page_of(request, filterset.qs),
                "query": query_string(request),
            },
        )


class ReportStatisticsView(ProposalsMixin, View):
    """Year-end statistics per member and per group: submitted, accepted, adopted by level,
    forwarded or reported, leaders' instructions."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        form = YearForm(request.GET or None)
        year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
        return render(
            request,
            "proposals/report_stats.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "form": form if form.is_bound else YearForm(initial={"year": year}),
                "year": year,
                "members": selectors.report_statistics_by_member(committee, year),
                "groups": selectors.report_statistics_by_group(committee, year),
                "levels": selectors.LEVELS,
            },
        )


class BulletinListView(ProposalsMixin, View):
    """The issues of the committee's bulletin; the office starts a new one."""

    def _render(self, committee: Committee, form: BulletinForm | None) -> HttpResponse:
        return render(
            self.request,
            "proposals/bulletin_list.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "issues": selectors.bulletins(committee, self.request.user),
                "form": form,
            },
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        form = BulletinForm() if self.scope.can_edit_committee(committee.pk) else None
        return self._render(committee, form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = BulletinForm(request.POST)
        if form.is_valid():
            try:
                issue = services.bulletin_create(
                    committee=committee,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    published_on=form.cleaned_data["published_on"],
                    number=form.cleaned_data["number"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("proposals:bulletin_detail", pk=issue.pk)
        return self._render(committee, form)


class BulletinDetailView(ProposalsMixin, View):
    def _issue(self, pk: int) -> BulletinIssue:
        return get_object_or_404(
            BulletinIssue.objects.visible_to(self.request.user).select_related("committee"), pk=pk
        )

    def _render(self, issue: BulletinIssue, form: BulletinAddForm | None) -> HttpResponse:
        return render(
            self.request,
            "proposals/bulletin_detail.html",
            {
                "issue": issue,
                "committee": issue.committee,
                "entries": issue.entries.select_related("report__author").order_by("position"),
                "form": form,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(pk)
        editable = self.scope.can_edit_committee(issue.committee_id)
        return self._render(issue, BulletinAddForm() if editable else None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(pk)
        if not self.scope.can_edit_committee(issue.committee_id):
            raise PermissionDenied(_("Only this committee's office edits its bulletin."))
        form = BulletinAddForm(request.POST)
        if form.is_valid():
            report = OpinionReport.objects.filter(
                committee_id=issue.committee_id, reference=form.cleaned_data["reference"].strip()
            ).first()
            if report is None:
                form.add_error("reference", _("No report of this committee has this number."))
            else:
                try:
                    services.bulletin_add(issue=issue, report=report, by=request.user)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("The report was added to the issue."))
                    return redirect("proposals:bulletin_detail", pk=pk)
        return self._render(issue, form)
