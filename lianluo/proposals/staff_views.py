"""Staff pages of a committee's proposal work: the review queue with similar items, the list
with filters, bulk assignment and the Excel export, statistics, key proposals, rules, search."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, Session
from lianluo.proposals import selectors, services
from lianluo.proposals.filters import ProposalFilterSet
from lianluo.proposals.forms import (
    AssignForm,
    PolicyForm,
)
from lianluo.proposals.models import (
    Evaluation,
    Proposal,
)
from lianluo.proposals.views import (
    ProposalsMixin,
    apply_service_errors,
    error_text,
    page_of,
    query_string,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReviewQueueView(ProposalsMixin, View):
    """The proposals waiting for review, each with its most similar items (to merge)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        page = page_of(request, selectors.review_queue(committee, request.user))
        similar = selectors.similar_for_page(page.object_list, request.user)
        return render(
            request,
            "proposals/review_queue.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "page": page,
                "rows": [(p, similar.get(p.pk, [])) for p in page.object_list],
                "can_edit": self.scope.can_edit_committee(committee.pk),
            },
        )


def proposal_filter(request: HttpRequest, committee: Committee) -> ProposalFilterSet:
    """The list's filters as the user set them; the current session by default."""
    data = request.GET.copy()
    if "session" not in data:
        session = selectors.current_session(committee)
        data["session"] = str(session.pk) if session else ""
    return ProposalFilterSet(
        data,
        queryset=selectors.staff_proposals(committee, request.user),
        committee=committee,
    )


class ProposalListView(ProposalsMixin, View):
    """A committee's proposals with filters, bulk assignment and the Excel export."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        filterset = proposal_filter(request, committee)
        page = page_of(request, selectors.proposal_list(filterset.qs))
        can_edit = self.scope.can_edit_committee(committee.pk)
        template = "proposals/proposal_list.html"
        if getattr(request, "htmx", False) and request.htmx.target == "proposal-results":  # type: ignore[attr-defined]
            template = "proposals/_proposal_rows.html"
        return render(
            request,
            template,
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "filter": filterset,
                "page": page,
                "query": query_string(request),
                "can_edit": can_edit,
                "assign_form": AssignForm(committee=committee) if can_edit else None,
            },
        )


class BulkAssignView(ProposalsMixin, View):
    """POST (office): assign the ticked accepted proposals to the same units."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        accepted = selectors.staff_proposals(committee, request.user).filter(
            status=Proposal.Status.ACCEPTED
        )
        form = AssignForm(request.POST, committee=committee)
        ids = [int(i) for i in request.POST.getlist("proposals") if i.isdigit()]
        chosen = list(accepted.filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Tick accepted proposals to assign."))
        elif not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        else:
            done, refused = 0, []
            for proposal in chosen:
                try:
                    services.proposal_transition(
                        proposal=proposal, action="assign", by=request.user, units=form.choices()
                    )
                    done += 1
                except (ValidationError, InvalidTransition) as error:
                    text = (
                        error.message if isinstance(error, InvalidTransition) else error_text(error)
                    )
                    refused.append(f"{proposal.reference}: {text}")
            if done:
                messages.success(request, _("%(count)d proposals were assigned.") % {"count": done})
            for line in refused:
                messages.error(request, line)
        return redirect(
            reverse("proposals:proposal_list", args=[code]) + "?" + request.POST.get("query", "")
        )


class ProposalExportView(ProposalsMixin, View):
    """The filtered list as Excel in the usual layout (序号, 提案号, 案由 …): export what I see,
    in the reader's language (the usual Chinese layout under zh-Hans)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        import openpyxl
        from openpyxl.styles import Alignment, Font

        committee = self.readable_committee(code)
        filterset = proposal_filter(request, committee)
        proposals = selectors.proposal_list(filterset.qs.order_by("number", "reference_seq", "id"))
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = _("Proposals")[:31]
        session = filterset.form.cleaned_data.get("session") if filterset.is_valid() else None
        if session:
            title = _("Summary of the proposals of %(committee)s, %(session)s") % {
                "committee": committee.name,
                "session": session,
            }
        else:
            title = _("Summary of the proposals of %(committee)s") % {"committee": committee.name}
        sheet.append([title])
        sheet.merge_cells(
            start_row=1, start_column=1, end_row=1, end_column=len(selectors.EXPORT_HEADERS)
        )
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = Alignment(horizontal="center")
        sheet.append([str(header) for header in selectors.EXPORT_HEADERS])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in selectors.export_rows(proposals.iterator(chunk_size=500)):
            sheet.append(row)
        for column, width in zip(
            "ABCDEFGHIJ", (6, 12, 48, 20, 14, 20, 24, 14, 10, 12), strict=True
        ):
            sheet.column_dimensions[column].width = width
        response = HttpResponse(content_type=XLSX)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="proposals-{code}-{stamp}.xlsx"'
        book.save(response)
        return response


class StatisticsView(ProposalsMixin, View):
    """Statistics of one session: submitted, accepted, by category, by unit, replies on time,
    satisfaction; charts drawn by ECharts from JSON (no inline script)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        sessions = list(Session.objects.filter(term__committee=committee).select_related("term"))
        chosen = request.GET.get("session", "")
        session = next((s for s in sessions if str(s.pk) == chosen), None)
        if session is None and chosen != "all":
            session = selectors.current_session(committee)
        stats = selectors.session_statistics(committee, session)
        ratings = dict(Evaluation.Rating.choices)
        category_chart = {
            "tooltip": {},
            "xAxis": {
                "type": "category",
                "data": [c or "—" for c, _ in stats.by_category],
                "axisLabel": {"interval": 0, "rotate": 30},
            },
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "data": [n for _, n in stats.by_category]}],
        }
        satisfaction_chart = {
            "tooltip": {},
            "legend": {"bottom": 0},
            "xAxis": {"type": "category", "data": [_("Handling"), _("Result")]},
            "yAxis": {"type": "value"},
            "series": [
                {
                    "name": str(label),
                    "type": "bar",
                    "stack": "all",
                    "data": [stats.attitude.get(value, 0), stats.result.get(value, 0)],
                }
                for value, label in ratings.items()
            ],
        }
        return render(
            request,
            "proposals/stats.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "sessions": sessions,
                "session": session,
                "stats": stats,
                "ratings": ratings,
                "category_chart": category_chart,
                "satisfaction_chart": satisfaction_chart,
            },
        )


class KeyListView(ProposalsMixin, View):
    """The key proposals 重点提案 and their supervision: leader, units, replies, progress. Staff
    see all of the committee's; a leader who supervises some sees those (404 for others)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = get_object_or_404(Committee, code=code)
        if self.scope.can_read_committee(committee):
            supervisions = selectors.key_proposals(committee, request.user)
        else:
            person_id = self.scope.person_id
            if person_id is None:
                raise Http404
            supervisions = selectors.key_proposals(committee, request.user, leader_id=person_id)
            if not supervisions.exists():
                raise Http404
        return render(
            request,
            "proposals/key_list.html",
            {
                "committee": committee,
                "demo_committee": committee.is_demo,
                "supervisions": supervisions,
                "today": timezone.localdate(),
            },
        )


class PolicyView(ProposalsMixin, View):
    """The committee's proposal rules: limits, windows, answer classes, grounds, publication."""

    def _render(self, committee: Committee, form: PolicyForm) -> HttpResponse:
        return render(
            self.request,
            "proposals/policy_form.html",
            {"committee": committee, "form": form, "demo_committee": committee.is_demo},
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        return self._render(committee, PolicyForm(instance=selectors.policy_for(committee)))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = PolicyForm(request.POST, instance=selectors.policy_for(committee))
        if form.is_valid():
            try:
                services.policy_update(
                    committee=committee, by=request.user, data=form.policy_data()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The rules were saved."))
                return redirect("proposals:policy", code=code)
        return self._render(committee, form)


class SearchView(ProposalsMixin, View):
    """Full-text search over the committee's proposals, replies and reports."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        q = request.GET.get("q", "").strip()[:100]
        results = selectors.search_results(committee, q, request.user) if q else []
        return render(
            request,
            "proposals/search.html",
            {
                "committee": committee,
                "q": q,
                "results": results,
                "demo_committee": committee.is_demo,
            },
        )
