"""Staff pages that look at the whole of a committee's liaison work: coverage, the dashboard,
the annual plan with everyone's progress, and the exports of activities and assignments."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.core import audit
from lianluo.directory.models import Committee, Membership, Person
from lianluo.directory.selectors import search_people
from lianluo.directory.views import apply_service_errors
from lianluo.liaison import exports, selectors, services
from lianluo.liaison.forms import PlanForm, PlanTaskForm
from lianluo.liaison.models import LiaisonActivity, LiaisonPlan, PlanTask
from lianluo.liaison.views import (
    PAGE_SIZE,
    LiaisonMixin,
    activity_filter,
    assignment_filter,
    render_form,
)

DEFAULT_DAYS = 90
DAY_CHOICES = (30, 60, 90, 180, 365)


def coverage_days(value: str | None) -> int:
    """The window of the coverage page: 1 to 730 days, 90 by default."""
    try:
        days = int(value or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS
    return min(max(days, 1), 730)


class CoverageView(LiaisonMixin, TemplateView):
    """Who had no contact in the last N days: groups, sectors, areas, members. Office staff and
    auditors see the committee; a convener sees their sector."""

    template_name = "liaison/coverage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        sectors = self.sector_limit(committee)
        days = coverage_days(self.request.GET.get("days"))
        result = selectors.coverage(
            committee, days=days, today=timezone.localdate(), sector_ids=sectors
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "coverage": result,
            "days": days,
            "day_choices": DAY_CHOICES,
            "sector_limited": sectors is not None,
        }


def _bar(
    labels: list[str], values: list[int], name: str, *, horizontal: bool = False
) -> dict[str, Any]:
    category = {"type": "category", "data": labels}
    value = {"type": "value", "minInterval": 1}
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": True},
        "xAxis": value if horizontal else category,
        "yAxis": category if horizontal else value,
        "series": [{"type": "bar", "name": name, "data": values, "color": "#a4161a"}],
    }


class DashboardView(LiaisonMixin, TemplateView):
    """Contacts per month (last twelve months), per sector and per focus area (ECharts)."""

    template_name = "liaison/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        self.sector_limit(committee)  # readers and conveners only
        activities = LiaisonActivity.objects.visible_to(self.request.user).filter(
            committee=committee
        )
        figures = selectors.dashboard(activities, today=timezone.localdate())
        unspecified = _("not specified")
        sector_labels = [row["sector__name"] or unspecified for row in figures["per_sector"]][::-1]
        sector_values = [row["n"] for row in figures["per_sector"]][::-1]
        focus = [
            {"name": row["focus_area__name"] or unspecified, "value": row["n"]}
            for row in figures["per_focus"]
        ]
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "figures": figures,
            "unspecified": unspecified,
            "month_chart": _bar(figures["month_labels"], figures["month_counts"], _("activities")),
            "sector_chart": _bar(sector_labels, sector_values, _("activities"), horizontal=True),
            "focus_chart": {
                "tooltip": {"trigger": "item"},
                "legend": {"bottom": 0, "type": "scroll"},
                "series": [
                    {
                        "type": "pie",
                        "name": _("focus area"),
                        "radius": ["35%", "65%"],
                        "data": focus,
                    }
                ],
            },
        }


# ---------------------------------------------------------------------------------------------
# Plans


class PlanListView(LiaisonMixin, TemplateView):
    template_name = "liaison/plans.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        plans = (
            LiaisonPlan.objects.visible_to(self.request.user)
            .filter(committee=committee)
            .order_by("-year")
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "plans": plans,
        }


class PlanCreateView(LiaisonMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        year = timezone.localdate().year
        form = PlanForm(
            initial={"year": year, "title": _("Liaison plan %(year)s") % {"year": year}}
        )
        return self.page(committee, form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    committee=committee,
                    by=request.user,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The plan was started. Add its tasks."))
                return redirect("liaison:plan", pk=plan.pk)
        return self.page(committee, form)

    def page(self, committee: Committee, form: PlanForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New liaison plan"),
            back=reverse("liaison:plans", args=[committee.code]),
            **self.base_context(committee),
        )


class PlanMixin(LiaisonMixin):
    def visible_plan(self, pk: int) -> LiaisonPlan:
        return get_object_or_404(
            LiaisonPlan.objects.visible_to(self.request.user).select_related("committee"), pk=pk
        )

    def editable_plan(self, pk: int) -> LiaisonPlan:
        plan = self.visible_plan(pk)
        if not self.scope.can_edit_committee(plan.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return plan


class PlanDetailView(PlanMixin, TemplateView):
    """A plan's tasks and the progress of its members against them: everyone for readers, the
    sector for a convener, oneself for a member. A page of members at a time."""

    template_name = "liaison/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        plan = self.visible_plan(kwargs["pk"])
        committee = plan.committee
        scope = self.scope
        seats = selectors.serving_seats(committee)
        if not self.is_reader(committee):
            convened = list(
                committee.organizations.filter(pk__in=scope.convened_sector_ids).values_list(
                    "pk", flat=True
                )
            )
            if convened:
                seats = seats.filter(sector_id__in=convened)
            else:
                seats = seats.filter(person_id=scope.person_id or 0)
        q = self.request.GET.get("q", "").strip()
        if q:
            seats = seats.filter(person__in=search_people(Person.objects.all(), q))
        page = Paginator(seats, PAGE_SIZE).get_page(self.request.GET.get("page"))
        tasks = list(plan.tasks.select_related("sector", "sector_group").order_by("id"))
        plan._prefetched_objects_cache = {"tasks": tasks}  # type: ignore[attr-defined]
        rows: list[selectors.SeatProgress] = []
        seat_list: list[Membership] = list(page.object_list)
        if tasks:
            rows = selectors.plan_progress(
                {committee.pk: plan}, seat_list, today=timezone.localdate()
            )
        can_edit = scope.can_edit_committee(committee.pk)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "plan": plan,
            "tasks": tasks,
            "rows": rows,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "task_form": PlanTaskForm(committee=committee)
            if can_edit and not plan.published
            else None,
            "timeline": audit.timeline(plan) if self.is_reader(committee) else None,
        }


class PlanTaskCreateView(PlanMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.editable_plan(pk)
        return self.page(plan, PlanTaskForm(committee=plan.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.editable_plan(pk)
        form = PlanTaskForm(request.POST, committee=plan.committee)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_task_create(
                    plan=plan,
                    by=request.user,
                    data={
                        "applies_to": data["applies_to"],
                        "sector": data.get("sector"),
                        "sector_group": data.get("sector_group"),
                        "metric": data["metric"],
                        "activity_kind": data.get("activity_kind") or "",
                        "period": data["period"],
                        "target": data["target"],
                        "description": data.get("description") or "",
                    },
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The task was added."))
                return redirect("liaison:plan", pk=pk)
        return self.page(plan, form)

    def page(self, plan: LiaisonPlan, form: PlanTaskForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New task of %(plan)s") % {"plan": plan.title},
            back=reverse("liaison:plan", args=[plan.pk]),
            **self.base_context(plan.committee),
        )


class PlanTaskDeleteView(LiaisonMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(
            PlanTask.objects.filter(
                plan__in=LiaisonPlan.objects.visible_to(request.user).values("pk")
            ),
            pk=pk,
        )
        if not self.scope.can_edit_committee(task.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        try:
            services.plan_task_delete(task=task, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The task was removed."))
        return redirect("liaison:plan", pk=task.plan_id)


class PlanPublishView(PlanMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = self.editable_plan(pk)
        try:
            services.plan_publish(plan=plan, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The plan was published."))
        return redirect("liaison:plan", pk=pk)


# ---------------------------------------------------------------------------------------------
# Exports


FORMATS = ("xlsx", "csv")


class ActivityExportView(LiaisonMixin, View):
    """The activity list as filtered on the page, as xlsx or csv."""

    def get(self, request: HttpRequest, code: str, format: str) -> HttpResponseBase:
        committee = self.committee_for(code)
        if format not in FORMATS:
            raise Http404
        queryset = activity_filter(request, committee).qs
        name = f"{committee.code}_liaison_activities_{timezone.localdate():%Y%m%d}.{format}"
        if format == "csv":
            return exports.csv_response(queryset, exports.activity_columns(), name)
        return exports.xlsx_response(
            queryset, exports.activity_columns(), name, sheet=_("Activities")
        )


class AssignmentExportView(LiaisonMixin, View):
    """The assignment list as filtered on the page, as xlsx or csv."""

    def get(self, request: HttpRequest, code: str, format: str) -> HttpResponseBase:
        committee = self.committee_for(code)
        if format not in FORMATS:
            raise Http404
        queryset = assignment_filter(request, committee).qs
        name = f"{committee.code}_liaison_assignments_{timezone.localdate():%Y%m%d}.{format}"
        if format == "csv":
            return exports.csv_response(queryset, exports.assignment_columns(), name)
        return exports.xlsx_response(
            queryset, exports.assignment_columns(), name, sheet=_("Assignments")
        )
