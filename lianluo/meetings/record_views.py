"""Statistics, speeches, research reports and the committee's meeting settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.core import audit
from lianluo.directory.models import Person, Term
from lianluo.directory.views import apply_service_errors
from lianluo.meetings import selectors, services
from lianluo.meetings.forms import AdoptionForm, PolicyForm, ReportForm, SpeechForm
from lianluo.meetings.models import (
    AdoptionEvent,
    MeetingKind,
    MeetingKindPolicy,
    ResearchReport,
    Speech,
)
from lianluo.meetings.views import PAGE_SIZE, MeetingsMixin, _committee_context, _download


def _bar_chart(labels: list[str], values: list[Any], *, name: str) -> dict[str, Any]:
    return {
        "grid": {"left": 48, "right": 16, "top": 24, "bottom": 72, "containLabel": True},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "series": [{"type": "bar", "name": name, "data": values}],
    }


class StatisticsView(MeetingsMixin, TemplateView):
    """Attendance rates of a committee per member, sector, meeting kind, year and term, for a
    year (?year=) or a term (?term=), and the members over the repeated-absence thresholds.
    A constant number of queries, whatever the committee's size."""

    template_name = "meetings/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        terms = list(Term.objects.filter(committee=committee).order_by("-number"))
        term: Term | None = None
        year: int | None = None
        term_pk = self.request.GET.get("term", "")
        if term_pk:
            term = next((t for t in terms if str(t.pk) == term_pk), None)
            if term is None:
                raise Http404
        else:
            try:
                year = int(self.request.GET.get("year", "")) or None
            except ValueError:
                year = None
            year = year or timezone.localdate().year
        current_term = term or (terms[0] if terms else None)
        by_kind = selectors.attendance_rates(committee, by="kind", year=year, term=term)
        by_sector = selectors.attendance_rates(committee, by="sector", year=year, term=term)
        by_year = selectors.attendance_rates(committee, by="year", term=term)
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "year": year,
            "term": term,
            "terms": terms,
            "years": selectors.years_with_meetings(committee),
            "totals": selectors.attendance_totals(committee, year=year, term=term),
            "by_kind": by_kind,
            "by_sector": by_sector,
            "by_person": selectors.attendance_rates(committee, by="person", year=year, term=term),
            "by_year": by_year,
            "by_term": selectors.attendance_rates(committee, by="term"),
            "absences": selectors.repeated_absence(
                committee, year=year or timezone.localdate().year, term=current_term
            ),
            "absence_term": current_term,
            "kind_chart": _bar_chart(
                [row["label"] for row in by_kind],
                [row["rate"] for row in by_kind],
                name=_("Attendance rate"),
            ),
            "sector_chart": _bar_chart(
                [row["sector__name"] or _("no sector") for row in by_sector],
                [row["rate"] for row in by_sector],
                name=_("Attendance rate"),
            ),
            "year_chart": _bar_chart(
                [str(row["year"]) for row in reversed(by_year)],
                [row["rate"] for row in reversed(by_year)],
                name=_("Attendance rate"),
            ),
        }


class SpeechListView(MeetingsMixin, TemplateView):
    template_name = "meetings/speeches.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        speeches = selectors.committee_speeches(committee)
        page = Paginator(speeches, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "page": page,
        }


class SpeechCreateView(MeetingsMixin, View):
    """Record a speech at a meeting."""

    template_name = "meetings/speech_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        return render(request, self.template_name, {"form": SpeechForm(), "meeting": meeting})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = SpeechForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                speakers = services.members_by_names(
                    committee_id=meeting.committee_id,
                    names=form.cleaned_data["speakers"],
                    field="speakers",
                )
                services.speech_create(
                    meeting=meeting, data=form.cleaned_data, speakers=speakers, by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The speech was recorded."))
                return redirect("meetings:meeting", pk=pk)
        return render(request, self.template_name, {"form": form, "meeting": meeting})


class SpeechFileView(MeetingsMixin, View):
    def get(self, request: HttpRequest, speech_pk: int) -> HttpResponseBase:
        speech = get_object_or_404(Speech.objects.visible_to(request.user), pk=speech_pk)
        if not speech.attachment:
            raise Http404
        extension = speech.attachment.name.rsplit(".", 1)[-1]
        return _download(speech.attachment, filename=f"{speech.title}.{extension}")


def _report_queryset() -> Any:
    return ResearchReport.objects.select_related("focus_area", "committee").prefetch_related(
        Prefetch("author_people", queryset=Person.objects.order_by("name_sort_key")),
        "author_organizations",
    )


class ReportListView(MeetingsMixin, TemplateView):
    template_name = "meetings/reports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        reports = (
            _report_queryset()
            .filter(committee=committee)
            .annotate(adoption_count=Count("adoptions"))
            .order_by("-submitted_on", "-id")
        )
        page = Paginator(reports, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "page": page,
        }


class ReportCreateView(MeetingsMixin, View):
    template_name = "meetings/report_form.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = ReportForm(committee=committee, initial={"submitted_on": timezone.localdate()})
        return render(request, self.template_name, {"form": form, "committee": committee})

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = ReportForm(request.POST, request.FILES, committee=committee)
        if form.is_valid():
            try:
                people = services.members_by_names(
                    committee_id=committee.pk,
                    names=form.cleaned_data["author_people"],
                    field="author_people",
                )
                report = services.report_create(
                    committee=committee,
                    data=form.cleaned_data,
                    people=people,
                    organizations=form.cleaned_data["author_organizations"],
                    surveys=form.cleaned_data["surveys"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The research report was recorded."))
                return redirect("meetings:report", report_pk=report.pk)
        return render(request, self.template_name, {"form": form, "committee": committee})


class ReportView(MeetingsMixin, TemplateView):
    """A research report with its authors, surveys, adoption and instructions, timeline."""

    template_name = "meetings/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = get_object_or_404(
            _report_queryset().visible_to(self.request.user), pk=kwargs["report_pk"]
        )
        can_edit = self.scope.can_edit_committee(report.committee_id)
        return {
            **super().get_context_data(**kwargs),
            "report": report,
            "committee": report.committee,
            "can_edit": can_edit,
            "surveys": report.surveys.order_by("-starts_at"),
            "adoptions": AdoptionEvent.objects.filter(report=report).order_by("date", "id"),
            "form": AdoptionForm() if can_edit else None,
            "timeline": audit.timeline(report),
        }


class AdoptionView(MeetingsMixin, View):
    """POST: record an adoption or a leader's instruction of a report."""

    def post(self, request: HttpRequest, report_pk: int) -> HttpResponse:
        report = get_object_or_404(ResearchReport.objects.visible_to(request.user), pk=report_pk)
        if not self.scope.can_edit_committee(report.committee_id):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Only this committee's office may do this."))
        form = AdoptionForm(request.POST)
        if form.is_valid():
            try:
                services.adoption_record(report=report, data=form.cleaned_data, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Recorded."))
        else:
            messages.error(request, _("Fill in the level, kind, who and the date."))
        return redirect("meetings:report", report_pk=report_pk)


class ReportFileView(MeetingsMixin, View):
    def get(self, request: HttpRequest, report_pk: int) -> HttpResponseBase:
        report = get_object_or_404(ResearchReport.objects.visible_to(request.user), pk=report_pk)
        if not report.attachment:
            raise Http404
        extension = report.attachment.name.rsplit(".", 1)[-1]
        return _download(report.attachment, filename=f"{report.title}.{extension}")


class PolicyListView(MeetingsMixin, TemplateView):
    """The committee's settings per meeting kind (its own rows, or the defaults)."""

    template_name = "meetings/policies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        policies = selectors.policies_for(committee.pk)
        labels = dict(MeetingKind.choices)
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "rows": [(kind, labels[kind], policy) for kind, policy in policies.items()],
        }


class PolicyEditView(MeetingsMixin, View):
    """Edit one kind's settings (?kind=)."""

    template_name = "meetings/policy_form.html"

    def kind(self, request: HttpRequest) -> str:
        kind = request.GET.get("kind") or request.POST.get("kind") or ""
        if kind not in MeetingKind.values:
            raise Http404
        return kind

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        kind = self.kind(request)
        row = MeetingKindPolicy.objects.filter(committee=committee, kind=kind).first()
        if row is None:
            defaults = selectors.default_policy(kind)
            form = PolicyForm(
                initial={name: getattr(defaults, name) for name in selectors.POLICY_FIELDS}
            )
        else:
            form = PolicyForm(instance=row)
        return render(
            request,
            self.template_name,
            {"form": form, "committee": committee, "kind": kind, "label": MeetingKind(kind).label},
        )

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        kind = self.kind(request)
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.policy_save(
                    committee=committee, kind=kind, data=form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The settings were saved."))
                return redirect("meetings:policies", code=code)
        return render(
            request,
            self.template_name,
            {"form": form, "committee": committee, "kind": kind, "label": MeetingKind(kind).label},
        )
