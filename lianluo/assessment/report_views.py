"""Dashboards and documents of an assessment: ECharts figures (counts that open the members
behind them), the bulletin 通报, the duty dossiers 履职档案 and their background batches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.assessment import documents, selectors, services
from lianluo.assessment.models import DocumentBatch
from lianluo.assessment.views import AssessmentMixin
from lianluo.directory.models import Committee

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": "application/pdf", "docx": DOCX}


def bar(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> dict[str, Any]:
    """An ECharts option: bars of counts (stacked when there are several series)."""
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0} if len(series) > 1 else {"show": False},
        "grid": {"left": 40, "right": 16, "top": 40, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": name, "type": "bar", "stack": "n" if len(series) > 1 else None, "data": data}
            for name, data in series
        ],
    }


class DashboardView(AssessmentMixin, TemplateView):
    """Score distribution, grades by sector, members without a record in a part, year on year:
    every figure a count, each with a table whose numbers open the members behind them."""

    template_name = "assessment/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessment = self.visible_assessment(committee, kwargs["year"])
        version = assessment.rulebook_version
        book = selectors.typed(version) if version else None
        parts = [(p.id, p.label) for p in book.parts] if book else []
        data = selectors.dashboard(assessment, [p[0] for p in parts])
        grade_labels = [label for label, _n in data["grades"].most_common()]
        results_url = reverse("assessment:results", args=[committee.code, assessment.year])

        def link(**params: Any) -> str:
            return f"{results_url}?{urlencode({k: v for k, v in params.items() if v != ''})}"

        sectors = [
            {
                "name": row.name,
                "members": row.members,
                "members_url": link(sector=row.sector_id or ""),
                "grades": [
                    (row.grades.get(label, 0), link(sector=row.sector_id or "", grade=label))
                    for label in grade_labels
                ],
                "without": [
                    (row.without.get(part_id, 0), link(sector=row.sector_id or "", without=part_id))
                    for part_id, _label in parts
                ],
            }
            for row in data["sectors"]
        ]
        years = data["years"]
        charts = {
            "distribution": bar(
                _("Members by total"),
                [bucket.label for bucket in data["distribution"]],
                [(_("members"), [bucket.count for bucket in data["distribution"]])],
            ),
            "sectors": bar(
                _("Grades by sector"),
                [row.name for row in data["sectors"]],
                [
                    (label, [row.grades.get(label, 0) for row in data["sectors"]])
                    for label in grade_labels
                ],
            ),
            "without": bar(
                _("Members without any record in a part"),
                [label for _id, label in parts],
                [(_("members"), [data["without"].get(part_id, 0) for part_id, _l in parts])],
            ),
            "years": bar(
                _("Grades year on year"),
                [str(year) for year in years],
                [
                    (label, [years[year].get(label, 0) for year in years])
                    for label in sorted({label for counts in years.values() for label in counts})
                ],
            ),
        }
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "assessment": assessment,
            "data": data,
            "parts": parts,
            "grade_labels": grade_labels,
            "grade_links": [
                (label, n, link(grade=label)) for label, n in data["grades"].most_common()
            ],
            "without_links": [
                (label, data["without"].get(part_id, 0), link(without=part_id))
                for part_id, label in parts
            ],
            "distribution": data["distribution"],
            "sectors": sectors,
            "years": [(year, counts) for year, counts in years.items()],
            "charts": charts,
        }


class BulletinView(AssessmentMixin, View):
    """The annual bulletin, as DOCX or PDF, made on the spot."""

    def get(self, request: HttpRequest, code: str, year: int, format: str) -> HttpResponse:
        committee = self.staff_committee(code)
        assessment = self.visible_assessment(committee, year)
        if format not in FORMATS:
            raise Http404
        bulletin = documents.bulletin_for(assessment)
        content = (
            documents.bulletin_pdf(bulletin)
            if format == "pdf"
            else documents.bulletin_docx(bulletin)
        )
        response = HttpResponse(content, content_type=FORMATS[format])
        response["Content-Disposition"] = (
            f'attachment; filename="bulletin-{committee.code}-{year}.{format}"'
        )
        return response


class DossierView(AssessmentMixin, View):
    """A member's duty dossier for the year (or ?term=1 the whole term), DOCX or PDF; for staff
    of the committee and the member themself."""

    def get(self, request: HttpRequest, code: str, year: int, pk: int, format: str) -> HttpResponse:
        committee = get_object_or_404(Committee, code=code)
        assessment, person = self.person_in(committee, year, pk)
        if format not in FORMATS:
            raise Http404
        dossier = documents.dossier_for(
            assessment, person, whole_term=request.GET.get("term") == "1"
        )
        content = (
            documents.dossier_pdf(dossier) if format == "pdf" else documents.dossier_docx(dossier)
        )
        response = HttpResponse(content, content_type=FORMATS[format])
        response["Content-Disposition"] = f'attachment; filename="dossier-{pk}-{year}.{format}"'
        return response


class DocumentsView(AssessmentMixin, TemplateView):
    """The committee's document batches: ask for all dossiers (one ZIP) or the bulletin."""

    template_name = "assessment/documents.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessment = self.visible_assessment(committee, kwargs["year"])
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "assessment": assessment,
            "batches": DocumentBatch.objects.filter(assessment=assessment)
            .select_related("requested_by")
            .order_by("-requested_at")[:20],
            "can_edit": self.scope.can_edit_committee(committee.pk),
        }

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.office_committee(code)
        assessment = self.visible_assessment(committee, year)
        try:
            services.batch_request(
                assessment=assessment, kind=request.POST.get("kind", ""), by=request.user
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("The documents are being made; reload this page."))
        return HttpResponseRedirect(reverse("assessment:documents", args=[code, year]))


class BatchDownloadView(AssessmentMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        batch = get_object_or_404(
            DocumentBatch.objects.visible_to(request.user).select_related("assessment__committee"),
            pk=pk,
        )
        if not self.scope.sees_registry or batch.status != DocumentBatch.Status.DONE:
            raise Http404
        return FileResponse(
            batch.file.open("rb"), as_attachment=True, filename=batch.file.name.rsplit("/", 1)[-1]
        )
