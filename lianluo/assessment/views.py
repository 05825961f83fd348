"""Assessment pages. Staff work through their committee (office edits, committees above read);
a member sees only their own score and objections. Every object comes through visible_to()."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.assessment import selectors, services
from lianluo.assessment.forms import (
    AdjustmentForm,
    DecisionForm,
    NominationForm,
    ObjectionForm,
    QuotaForm,
    ReopenForm,
    RulebookForm,
    StepForm,
    WindowForm,
)
from lianluo.assessment.models import (
    Adjustment,
    Assessment,
    MemberResult,
    MemberWarning,
    Nomination,
    NominationQuota,
    Objection,
    ScoreLine,
)
from lianluo.core import audit
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, Organization, Person
from lianluo.directory.scoping import Scope, scope_for
from lianluo.directory.views import apply_service_errors

PAGE_SIZE = 50


class AssessmentMixin(LoginRequiredMixin):
    """Finds the committee, the assessment and the person of a URL, or answers 404 / 403."""

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def staff_committee(self, code: str) -> Committee:
        """A committee whose results the user may read (its office, or one above it)."""
        scope = self.scope
        committee = get_object_or_404(Committee, code=code)
        if not scope.sees_registry or not scope.can_read_committee(committee):
            raise Http404
        return committee

    def office_committee(self, code: str) -> Committee:
        committee = self.staff_committee(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return committee

    def visible_assessment(self, committee: Committee, year: int) -> Assessment:
        return get_object_or_404(
            Assessment.objects.visible_to(self.request.user).select_related(
                "committee", "rulebook_version"
            ),
            committee=committee,
            year=year,
        )

    def person_in(self, committee: Committee, year: int, pk: int) -> tuple[Assessment, Person]:
        """The assessment and the person whose score is asked for: staff who read the committee,
        or the member themself; anyone else gets 404."""
        scope = self.scope
        staff = scope.sees_registry and scope.can_read_committee(committee)
        if not staff and not (scope.person_id == pk and committee.pk in scope.member_committee_ids):
            raise Http404
        assessment = self.visible_assessment(committee, year)
        person = get_object_or_404(Person, pk=pk)
        if (
            not staff
            and not MemberResult.objects.filter(assessment=assessment, person=person).exists()
        ):
            raise Http404
        return assessment, person

    def parts_of(self, assessment: Assessment) -> list[tuple[str, str]]:
        version = selectors.active_version(assessment.committee_id, assessment.year)
        if version is None:
            return []
        return [(p.id, p.label) for p in selectors.typed(version).parts]


def _done(request: HttpRequest, message: str, to: str) -> HttpResponseRedirect:
    messages.success(request, message)
    return HttpResponseRedirect(to)


class IndexView(AssessmentMixin, TemplateView):
    """Entry: staff see the committees they may open; a member is sent to their own scores."""

    template_name = "assessment/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = self.scope
        if not scope.sees_registry:
            return redirect("assessment:mine")
        if len(scope.home_committee_codes) == 1:
            return redirect("assessment:committee", code=scope.home_committee_codes[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committees = Committee.objects.visible_to(self.request.user).filter(
            self.scope.readable_committee_q()
        )
        page = Paginator(committees.order_by("path"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {**super().get_context_data(**kwargs), "page": page}


class MineView(AssessmentMixin, TemplateView):
    """A member's own assessments, newest first, each with its total and grade."""

    template_name = "assessment/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = self.scope
        if scope.person_id is None:
            raise Http404
        results = (
            MemberResult.objects.filter(person_id=scope.person_id)
            .visible_to(self.request.user)
            .select_related("assessment__committee")
            .order_by("-assessment__year", "assessment__committee__path")
        )
        return {**super().get_context_data(**kwargs), "results": results}


class CommitteeView(AssessmentMixin, TemplateView):
    """A committee's assessments, one per year, and the way to start a year."""

    template_name = "assessment/committee.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessments = Assessment.objects.filter(committee=committee).order_by("-year")
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "assessments": assessments,
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "this_year": timezone.localdate().year,
        }


class ResultsView(AssessmentMixin, TemplateView):
    """Ranking and grades: the whole committee, one sector, or one special committee."""

    template_name = "assessment/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessment = self.visible_assessment(committee, kwargs["year"])
        version = selectors.active_version(committee.pk, assessment.year)
        book = selectors.typed(version) if version else None
        params = self.request.GET
        sector_id = _int(params.get("sector"))
        group_id = _int(params.get("group"))
        grade = params.get("grade", "")
        without = params.get("without", "")
        results = selectors.ranked_results(
            assessment, sector_id=sector_id, organization_id=group_id
        )
        if grade:
            results = results.filter(grade_label=grade)
        if without:
            results = results.exclude(
                person_id__in=ScoreLine.objects.filter(assessment=assessment, part=without).values(
                    "person_id"
                )
            )
        page = Paginator(results, PAGE_SIZE).get_page(params.get("page"))
        ranks = selectors.ranks(assessment)
        group_ranks = selectors.list_ranks(results) if group_id else {}
        rows = [
            {
                "result": result,
                "rank": ranks.committee.get(result.person_id),
                "sector_rank": ranks.sector.get(result.person_id),
                "group_rank": group_ranks.get(result.person_id),
                "parts": [result.parts.get(part.id, "") for part in (book.parts if book else ())],
            }
            for result in page
        ]
        query = params.copy()
        query.pop("page", None)
        grade_counts = (
            MemberResult.objects.filter(assessment=assessment, assessed=True)
            .values_list("grade_label")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "assessment": assessment,
            "version": version,
            "parts": book.parts if book else (),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "without": without,
            "sectors": selectors.organizations(committee, Organization.Classification.SECTOR),
            "groups": selectors.organizations(
                committee, Organization.Classification.SPECIAL_COMMITTEE
            ),
            "sector_id": sector_id,
            "group_id": group_id,
            "grade": grade,
            "grade_counts": list(grade_counts),
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "window_form": WindowForm(initial={"objections_until": assessment.objections_until}),
            "reopen_form": ReopenForm(),
            "pending_objections": Objection.objects.filter(
                assessment=assessment, status=Objection.Status.SUBMITTED
            ).count(),
            "open_warnings": MemberWarning.objects.filter(
                assessment=assessment, status=MemberWarning.Status.OPEN
            ).count(),
            "timeline": audit.timeline(assessment).order_by("-created_at")[:20],
        }


def _message(error: ValidationError | InvalidTransition) -> str:
    if isinstance(error, InvalidTransition):
        return error.message
    return "; ".join(error.messages)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class AssessmentActionView(AssessmentMixin, View):
    """POST: recompute, freeze, re-open, or set the objection window (office only)."""

    action = ""

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.office_committee(code)
        assessment = self.visible_assessment(committee, year)
        to = reverse("assessment:results", args=[code, year])
        try:
            if self.action == "recompute":
                done = services.assessment_recompute(assessment=assessment, by=request.user)
                return _done(
                    request,
                    _("Scores recomputed: %(members)s members, %(lines)s lines.")
                    % {"members": done.members, "lines": done.lines},
                    to,
                )
            if self.action == "freeze":
                services.assessment_freeze(assessment=assessment, by=request.user)
                return _done(request, _("The year is frozen; its results stay as published."), to)
            if self.action == "reopen":
                reason = str(request.POST.get("reason", ""))
                services.assessment_reopen(assessment=assessment, by=request.user, reason=reason)
                return _done(request, _("The year is open again."), to)
            if self.action == "window":
                window = WindowForm(request.POST)
                if window.is_valid():
                    services.assessment_set_window(
                        assessment=assessment,
                        by=request.user,
                        objections_until=window.cleaned_data["objections_until"],
                    )
                    return _done(request, _("The objection window is saved."), to)
                messages.error(request, _("Please enter a valid date."))
        except (InvalidTransition, ValidationError) as error:
            messages.error(request, _message(error))
        return HttpResponseRedirect(to)


class StartView(AssessmentMixin, View):
    """POST: start a year's assessment with the rulebook of the year before, or an example."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        year = _int(request.POST.get("year"))
        if year is None or not 1949 < year < 2200:
            messages.error(request, _("Please enter a year."))
            return redirect("assessment:committee", code=code)
        services.assessment_ensure(committee=committee, year=year)
        return redirect("assessment:rulebook", code=code, year=year)


class RulebookView(AssessmentMixin, TemplateView):
    """The rulebook of a year: its rules (members may read them), and for the office the text
    to edit, a preview of what a change would do to the scores, and the versions."""

    template_name = "assessment/rulebook.html"

    def context(self, committee: Committee, year: int, **extra: Any) -> dict[str, Any]:
        version = selectors.active_version(committee.pk, year)
        book = selectors.typed(version) if version else None
        assessment = Assessment.objects.filter(committee=committee, year=year).first()
        can_edit = self.scope.can_edit_committee(committee.pk)
        return {
            "committee": committee,
            "demo_committee": committee.is_demo,
            "year": year,
            "assessment": assessment,
            "version": version,
            "book": book,
            "can_edit": can_edit,
            "versions": selectors.versions(committee.pk, year)[:20] if can_edit else (),
            "examples": _examples() if can_edit else (),
            **extra,
        }

    def readable(self, code: str, year: int) -> Committee:
        committee = get_object_or_404(Committee, code=code)
        scope = self.scope
        staff = scope.sees_registry and scope.can_read_committee(committee)
        if not staff and committee.pk not in scope.member_committee_ids:
            raise Http404
        return committee

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.readable(code, year)
        context = self.context(committee, year)
        if context["version"] is None and not context["can_edit"]:
            raise Http404
        example = request.GET.get("example", "")
        text = context["version"].text if context["version"] else ""
        if context["can_edit"] and example in dict(_examples()):
            # An example is another committee's rules of another year: offered for this year.
            text = re.sub(
                r"^year\s*:.*$", f"year: {year}", dict(_examples())[example], count=1, flags=re.M
            )
        shown = _int(request.GET.get("version")) if context["can_edit"] else None
        earlier = selectors.versions(committee.pk, year).filter(number=shown or 0).first()
        if earlier is not None:
            # An earlier version, line by line against the active one; saving it restores it.
            text = earlier.text
            context["shown_version"] = earlier
            context["diff"] = list(
                difflib.unified_diff(
                    (context["version"].text if context["version"] else "").splitlines(),
                    earlier.text.splitlines(),
                    fromfile=_("active version"),
                    tofile=_("version %(number)s") % {"number": earlier.number},
                    lineterm="",
                )
            )
        context["form"] = RulebookForm(initial={"text": text})
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.office_committee(code)
        form = RulebookForm(request.POST)
        extra: dict[str, Any] = {"form": form}
        if form.is_valid():
            text = form.cleaned_data["text"]
            if "preview" in request.POST:
                # A preview writes nothing, not even the year's assessment.
                assessment = Assessment.objects.filter(
                    committee=committee, year=year
                ).first() or Assessment(committee=committee, year=year)
                problems, rows = services.rulebook_preview(assessment=assessment, text=text)
                extra.update(problems=problems, preview=rows, previewed=not problems)
            else:
                problems = services.rulebook_check(text=text, year=year)
                if not problems:
                    try:
                        version = services.rulebook_save(
                            committee=committee,
                            year=year,
                            text=text,
                            by=request.user,
                            note=form.cleaned_data["note"],
                        )
                    except ValidationError as error:
                        form.add_error(None, error)
                        return render(
                            request,
                            self.template_name,
                            self.context(committee, year, **extra),
                            status=409,
                        )
                    return _done(
                        request,
                        _("Version %(number)s saved. Recompute the scores to apply it.")
                        % {"number": version.number},
                        reverse("assessment:rulebook", args=[code, year]),
                    )
                extra["problems"] = problems
        return render(request, self.template_name, self.context(committee, year, **extra))


def _examples() -> list[tuple[str, str]]:
    from lianluo.assessment.rulebooks import examples

    return examples()


class MemberView(AssessmentMixin, TemplateView):
    """A member's running score, line by line: each line links to the record that earned it and
    to the rule that priced it; the parts, the grade, the distance to the next grade and to the
    plan; their objections. Staff of the committee see the same page and may adjust."""

    template_name = "assessment/member.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = get_object_or_404(Committee, code=kwargs["code"])
        assessment, person = self.person_in(committee, kwargs["year"], kwargs["pk"])
        result = MemberResult.objects.filter(assessment=assessment, person=person).first()
        lines = list(selectors.member_lines(assessment, person.pk))
        version = assessment.rulebook_version
        book = selectors.typed(version) if version else None
        parts = []
        if book is not None and result is not None:
            for part in book.parts:
                part_lines = [line for line in lines if line.part == part.id]
                parts.append(
                    {
                        "part": part,
                        "total": Decimal(result.parts.get(part.id, "0")),
                        "lines": part_lines,
                        "records": len({(ln.kind, ln.record_id) for ln in part_lines}),
                    }
                )
        scope = self.scope
        is_self = scope.person_id == person.pk
        can_edit = scope.can_edit_committee(committee.pk)
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "assessment": assessment,
            "person": person,
            "result": result,
            "parts": parts,
            "line_count": len(lines),
            "is_self": is_self,
            "can_object": is_self and services.objections_open(assessment),
            "can_edit": can_edit and not assessment.is_frozen,
            "objections": Objection.objects.filter(assessment=assessment, person=person)
            .select_related("adjustment")
            .order_by("-created_at"),
            "adjustments": Adjustment.objects.filter(assessment=assessment, person=person)
            .select_related("approved_by")
            .order_by("date", "id"),
            "adjust_form": AdjustmentForm(parts=self.parts_of(assessment)) if can_edit else None,
        }


class ObjectView(AssessmentMixin, View):
    """The member's objection form: to one line (?line=…), or a missing record."""

    template_name = "assessment/object.html"

    def target(self, code: str, year: int, pk: int) -> tuple[Assessment, Person, ScoreLine | None]:
        committee = get_object_or_404(Committee, code=code)
        assessment, person = self.person_in(committee, year, pk)
        if self.scope.person_id != person.pk:
            raise Http404
        line_id = _int(self.request.GET.get("line") or self.request.POST.get("line"))
        line = None
        if line_id is not None:
            line = get_object_or_404(
                ScoreLine.objects.visible_to(self.request.user),
                pk=line_id,
                assessment=assessment,
                person=person,
            )
        return assessment, person, line

    def get(self, request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
        assessment, person, line = self.target(code, year, pk)
        return self.render(assessment, person, line, ObjectionForm())

    def render(
        self, assessment: Assessment, person: Person, line: ScoreLine | None, form: ObjectionForm
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "assessment": assessment,
                "committee": assessment.committee,
                "person": person,
                "line": line,
                "form": form,
                "open": services.objections_open(assessment),
            },
        )

    def post(self, request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
        assessment, person, line = self.target(code, year, pk)
        form = ObjectionForm(request.POST)
        if form.is_valid():
            try:
                objection = services.objection_submit(
                    assessment=assessment,
                    person=person,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    line=line,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as error:
                form.add_error(None, error.message)
            else:
                return _done(
                    request,
                    _("Your objection is submitted; the office will answer it."),
                    reverse("assessment:objection", args=[objection.pk]),
                )
        return self.render(assessment, person, line, form)


class AdjustView(AssessmentMixin, View):
    """POST (office): a manual adjustment of a member's score, with its reason."""

    def post(self, request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
        committee = self.office_committee(code)
        assessment, person = self.person_in(committee, year, pk)
        form = AdjustmentForm(request.POST, parts=self.parts_of(assessment))
        to = reverse("assessment:person", args=[code, year, pk])
        if form.is_valid():
            try:
                services.adjustment_create(
                    assessment=assessment,
                    person=person,
                    part=form.cleaned_data["part"],
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except (ValidationError, InvalidTransition) as error:
                messages.error(request, _message(error))
            else:
                return _done(request, _("The adjustment is saved and the score updated."), to)
        else:
            messages.error(request, _("Please give the part, the points and a reason."))
        return HttpResponseRedirect(to)


class ObjectionListView(AssessmentMixin, TemplateView):
    """The office's queue of objections, pending first."""

    template_name = "assessment/objections.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessment = self.visible_assessment(committee, kwargs["year"])
        page = Paginator(selectors.objections_of(assessment), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "assessment": assessment,
            "page": page,
        }


class ObjectionView(AssessmentMixin, View):
    """One objection with its timeline; the office decides it, the member may withdraw it."""

    template_name = "assessment/objection.html"

    def objection(self, pk: int) -> Objection:
        return get_object_or_404(
            Objection.objects.visible_to(self.request.user).select_related(
                "assessment__committee", "person", "adjustment", "decided_by"
            ),
            pk=pk,
        )

    def render_page(self, objection: Objection, form: DecisionForm | None = None) -> HttpResponse:
        roles = services.objection_roles(objection, self.request.user)
        pending = objection.status == Objection.Status.SUBMITTED
        parts = self.parts_of(objection.assessment)
        return render(
            self.request,
            self.template_name,
            {
                "objection": objection,
                "assessment": objection.assessment,
                "committee": objection.assessment.committee,
                "can_decide": pending and services.OFFICE in roles,
                "can_withdraw": pending and services.MEMBER in roles,
                "form": form or DecisionForm(parts=parts),
                "timeline": audit.timeline(objection),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.objection(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        objection = self.objection(pk)
        if request.POST.get("action") == "withdraw":
            action, reason, points, part = "withdraw", "", None, ""
            form = None
        else:
            form = DecisionForm(request.POST, parts=self.parts_of(objection.assessment))
            if not form.is_valid():
                return self.render_page(objection, form)
            action = form.cleaned_data["action"]
            reason = form.cleaned_data["reason"]
            points = form.cleaned_data["points"]
            part = form.cleaned_data["part"]
            if action == "accept" and points and not part:
                form.add_error("part", _("Choose the part of the adjustment."))
                return self.render_page(objection, form)
        try:
            services.objection_transition(
                objection=objection,
                action=action,
                by=request.user,
                reason=reason,
                points=points,
                part=part,
            )
        except InvalidTransition as error:
            if form is None:
                raise PermissionDenied(error.message) from error
            form.add_error(None, error.message)
            return self.render_page(objection, form)
        except ValidationError as error:
            form = form or DecisionForm(parts=self.parts_of(objection.assessment))
            apply_service_errors(form, error)
            return self.render_page(objection, form)
        return _done(request, _("Saved."), reverse("assessment:objection", args=[pk]))


class WarningListView(AssessmentMixin, TemplateView):
    template_name = "assessment/warnings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        assessment = self.visible_assessment(committee, kwargs["year"])
        page = Paginator(selectors.warnings_of(assessment), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "assessment": assessment,
            "page": page,
        }


class WarningView(AssessmentMixin, View):
    """A warning, the records that raised it, and its follow-up steps (office records them)."""

    template_name = "assessment/warning.html"

    def warning(self, pk: int) -> MemberWarning:
        scope = self.scope
        warning = get_object_or_404(
            MemberWarning.objects.visible_to(self.request.user).select_related(
                "assessment__committee", "person"
            ),
            pk=pk,
        )
        if not scope.sees_registry and not scope.is_superuser:
            raise Http404
        return warning

    def render_page(self, warning: MemberWarning, form: StepForm | None = None) -> HttpResponse:
        can_edit = self.scope.can_edit_committee(warning.assessment.committee_id)
        lines = {
            line.record_id: line
            for line in ScoreLine.objects.filter(
                assessment=warning.assessment,
                person=warning.person,
                record_id__in=warning.record_ids,
            )
        }
        return render(
            self.request,
            self.template_name,
            {
                "warning": warning,
                "assessment": warning.assessment,
                "committee": warning.assessment.committee,
                "steps": warning.steps.select_related("recorded_by"),
                "records": [(rid, lines.get(rid)) for rid in warning.record_ids],
                "can_edit": can_edit and warning.status != MemberWarning.Status.CLOSED,
                "form": form or StepForm(initial={"happened_on": timezone.localdate()}),
                "timeline": audit.timeline(warning),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.warning(pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        warning = self.warning(pk)
        if not self.scope.can_edit_committee(warning.assessment.committee_id):
            raise PermissionDenied
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                services.warning_step_add(warning=warning, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except InvalidTransition as error:
                form.add_error(None, error.message)
            else:
                return _done(
                    request, _("The step is recorded."), reverse("assessment:warning", args=[pk])
                )
        return self.render_page(warning, form)


class NominationsView(AssessmentMixin, TemplateView):
    """Excellence nominations 评优评先 within quotas: the quotas, the nominations, and (office)
    the forms to set a quota and nominate a graded member."""

    template_name = "assessment/nominations.html"

    def context(self, committee: Committee, assessment: Assessment, **extra: Any) -> dict[str, Any]:
        sectors = list(selectors.organizations(committee, Organization.Classification.SECTOR))
        nominated = {n.person_id for n in Nomination.objects.filter(assessment=assessment)}
        candidates = [
            (r.person_id, f"{r.person.name} · {r.total} {r.grade_label}")
            for r in selectors.ranked_results(assessment).filter(assessed=True)[:500]
            if r.person_id not in nominated
        ]
        return {
            "committee": committee,
            "assessment": assessment,
            "quotas": NominationQuota.objects.filter(assessment=assessment).select_related(
                "sector"
            ),
            "nominations": Nomination.objects.filter(assessment=assessment).select_related(
                "person", "sector", "nominated_by"
            ),
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "quota_form": extra.pop("quota_form", None)
            or QuotaForm(sectors=[(str(s.pk), s.name) for s in sectors]),
            "nomination_form": extra.pop("nomination_form", None)
            or NominationForm(people=candidates),
            **extra,
        }

    def get(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.staff_committee(code)
        assessment = self.visible_assessment(committee, year)
        return render(request, self.template_name, self.context(committee, assessment))

    def post(self, request: HttpRequest, code: str, year: int) -> HttpResponse:
        committee = self.office_committee(code)
        assessment = self.visible_assessment(committee, year)
        to = reverse("assessment:nominations", args=[code, year])
        if "withdraw" in request.POST:
            nomination = Nomination.objects.filter(
                assessment=assessment, pk=_int(request.POST["withdraw"]) or 0
            ).first()
            if nomination is None:
                messages.error(request, _("This nomination does not exist any more."))
                return HttpResponseRedirect(to)
            try:
                services.nomination_withdraw(
                    nomination=nomination, by=request.user, reason=request.POST.get("reason", "")
                )
            except ValidationError as error:
                messages.error(request, _message(error))
                return HttpResponseRedirect(to)
            return _done(request, _("The nomination is withdrawn."), to)
        if "quota" in request.POST:
            sectors = Organization.objects.filter(committee=committee, classification="sector")
            quota = QuotaForm(request.POST, sectors=[(str(s.pk), s.name) for s in sectors])
            if quota.is_valid():
                sector_id = _int(quota.cleaned_data["sector"])
                sector = sectors.filter(pk=sector_id).first() if sector_id else None
                services.quota_set(
                    assessment=assessment,
                    sector=sector,
                    quota=quota.cleaned_data["quota"],
                    by=request.user,
                )
                return _done(request, _("The quota is saved."), to)
            return render(
                request, self.template_name, self.context(committee, assessment, quota_form=quota)
            )
        form = NominationForm(request.POST)
        if form.is_valid():
            person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
            try:
                if person is None:
                    raise ValidationError(_("Choose a member."))
                services.nomination_create(
                    assessment=assessment,
                    person=person,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _done(request, _("The nomination is saved."), to)
        return render(
            request, self.template_name, self.context(committee, assessment, nomination_form=form)
        )
