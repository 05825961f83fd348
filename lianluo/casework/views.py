"""Concern pages for office staff, auditors, members and handling units. Every concern comes
through Concern.objects.visible_to(user): 404 when it is not visible, 403 when it is visible but
the step is not the user's."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

import openpyxl
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.casework import codes, selectors, services
from lianluo.casework.filters import ConcernFilterSet
from lianluo.casework.forms import (
    BulkForwardForm,
    CategoryForm,
    EndpointForm,
    Open311ClientForm,
    PolicyForm,
    ScreenTermForm,
    StaffConcernForm,
    StepForm,
)
from lianluo.casework.models import (
    Attachment,
    Category,
    Concern,
    Open311Client,
    ScreenTerm,
    UnitEndpoint,
    WebhookDelivery,
)
from lianluo.casework.screen import BUILTIN_TERMS
from lianluo.casework.workflow import ACTION_LABELS, PAGE_ACTIONS
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, Person
from lianluo.directory.scoping import Scope, scope_for
from lianluo.directory.views import apply_service_errors

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CaseworkMixin(LoginRequiredMixin):
    """Committee pages are for its office and auditors (and those of committees above)."""

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def readable_committee(self, code: str) -> Committee:
        committee = get_object_or_404(Committee, code=code)
        if not self.scope.can_read_committee(committee):
            raise Http404
        return committee

    def office_committee(self, code: str) -> Committee:
        committee = self.readable_committee(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return committee

    def entry_committee(self, code: str) -> Committee:
        """Entering a concern heard in person: the office or a serving member."""
        committee = get_object_or_404(Committee, code=code)
        scope = self.scope
        if scope.can_edit_committee(committee.pk) or committee.pk in scope.member_committee_ids:
            return committee
        if scope.can_read_committee(committee):
            raise PermissionDenied(_("Only this committee's office and members may do this."))
        raise Http404

    def visible_concern(self, pk: int) -> Concern:
        return get_object_or_404(
            Concern.objects.visible_to(self.request.user).select_related(
                "committee", "category", "handling_unit", "member", "sector", "merged_into"
            ),
            pk=pk,
        )

    def base_context(self, committee: Committee) -> dict[str, Any]:
        return {
            "committee": committee,
            "demo_committee": committee.is_demo,
            "can_edit": self.scope.can_edit_committee(committee.pk),
        }


def concern_filter(request: HttpRequest, committee: Committee) -> ConcernFilterSet:
    return ConcernFilterSet(
        request.GET or None,
        queryset=selectors.committee_concerns(committee),
        committee=committee,
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class InboxView(CaseworkMixin, TemplateView):
    """A committee's concerns 诉求台账, filtered; the office forwards several at once."""

    template_name = "casework/inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        filterset = concern_filter(self.request, committee)
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        counts = dict(
            Concern.objects.filter(committee=committee)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "filter": filterset,
            "page": page,
            "query": _query_without_page(self.request),
            "held": counts.get(Concern.Status.HELD, 0),
            "open_count": sum(counts.get(s, 0) for s in Concern.OPEN_STATES),
            "bulk_form": BulkForwardForm(committee=committee, prefix="bulk"),
            "failed_deliveries": WebhookDelivery.objects.filter(
                committee=committee,
                state__in=(WebhookDelivery.State.FAILED, WebhookDelivery.State.ABANDONED),
            ).count(),
            "now": timezone.now(),
        }


class InboxExportView(CaseworkMixin, View):
    """The inbox as an Excel workbook, filtered as on the page ("export what I see"). Personal
    data leaves only masked."""

    def get(self, request: HttpRequest, code: str) -> FileResponse:
        committee = self.readable_committee(code)
        filterset = concern_filter(request, committee)
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(_("Concerns"))
        sheet.append(
            [
                _("Tracking code"),
                _("Received"),
                _("Topic"),
                _("Category"),
                _("State"),
                _("Source"),
                _("Sector"),
                _("Member"),
                _("Handling unit"),
                _("Deadline"),
                _("Answered"),
                _("Outcome"),
                _("Rating"),
                _("Constituent"),
                _("Mobile phone"),
            ]
        )

        def local(value: datetime.datetime | None) -> str:
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""

        for concern in queryset.iterator(chunk_size=2000):
            sheet.append(
                [
                    concern.display_code,
                    local(concern.received_at),
                    concern.topic,
                    str(concern.category or ""),
                    concern.get_status_display(),
                    concern.get_source_display(),
                    str(concern.sector or ""),
                    str(concern.member or ""),
                    str(concern.handling_unit or ""),
                    local(concern.deadline),
                    local(concern.replied_at),
                    concern.get_outcome_display() if concern.outcome else "",
                    concern.get_rating_display() if concern.rating else "",
                    concern.name_masked,
                    concern.mobile_masked,
                ]
            )
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        book.save(handle)
        handle.seek(0)
        name = f"concerns-{committee.code}-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX)


class BulkForwardView(CaseworkMixin, View):
    """POST: forward the checked concerns to one unit 批量派单."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = BulkForwardForm(request.POST, committee=committee, prefix="bulk")
        ids = [int(pk) for pk in request.POST.getlist("concerns") if pk.isdigit()][:200]
        if not form.is_valid() or not ids:
            messages.error(request, _("Choose concerns and a handling unit."))
            return redirect("casework:inbox", code=code)
        concerns = list(Concern.objects.filter(committee=committee, pk__in=ids))
        done, refused = services.concerns_bulk_forward(
            concerns=concerns,
            unit=form.cleaned_data["unit"],
            deadline=form.cleaned_data["deadline"],
            by=request.user,
        )
        if done:
            messages.success(
                request,
                _("%(count)d concerns were forwarded to %(unit)s.")
                % {"count": len(done), "unit": form.cleaned_data["unit"]},
            )
        for code_, reason in refused.items():
            messages.error(request, f"{code_}: {reason}")
        return redirect(f"{reverse('casework:inbox', args=[code])}?{request.GET.urlencode()}")


class ConcernNewView(CaseworkMixin, View):
    """A member or the office enters a concern heard in person, with its source."""

    template_name = "casework/concern_new.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.entry_committee(code)
        form = StaffConcernForm(committee=committee)
        return render(request, self.template_name, {"form": form, **self.base_context(committee)})

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.entry_committee(code)
        form = StaffConcernForm(request.POST, request.FILES, committee=committee)
        if form.is_valid():
            data = form.cleaned_data
            try:
                concern = services.concern_submit(
                    committee=committee,
                    topic=data["topic"],
                    description=data["description"],
                    place=data["place"],
                    category=data["category"],
                    sector=data["sector"],
                    member=data["member"],
                    name=data["name"],
                    mobile=data["mobile"],
                    consent=data["consent"],
                    files=data["attachments"],
                    source=data["source"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The concern was recorded with the code %(code)s.")
                    % {"code": concern.display_code},
                )
                return redirect("casework:concern", pk=concern.pk)
        return render(
            request,
            self.template_name,
            {"form": form, **self.base_context(committee)},
            status=400,
        )


class ModerationView(CaseworkMixin, TemplateView):
    """Submissions held by the spam screen 待审核, with the reason: release or discard."""

    template_name = "casework/moderation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        page = Paginator(
            selectors.moderation_queue(committee).order_by("-received_at", "-id"), PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), **self.base_context(committee), "page": page}


def _step_forms(user: Any, concern: Concern, bound: StepForm | None = None) -> list[StepForm]:
    actions = [a for a in services.available_actions(user, concern) if a in PAGE_ACTIONS]
    return [
        bound
        if bound is not None and bound.action == action
        else StepForm(action=action, concern=concern)
        for action in actions
    ]


class ConcernView(CaseworkMixin, TemplateView):
    """A concern with its whole timeline, what it is linked to, and the steps the user may take."""

    template_name = "casework/concern.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        concern = self.visible_concern(kwargs["pk"])
        return self.concern_context(concern, bound=kwargs.get("bound"))

    def concern_context(self, concern: Concern, *, bound: StepForm | None = None) -> dict[str, Any]:
        user = self.request.user
        roles = services.concern_roles(user, concern)
        staff = self.scope.can_read_committee(concern.committee)
        duplicates = (
            selectors.duplicates(concern)
            if "office" in roles
            and concern.status in (Concern.Status.RECEIVED, Concern.Status.TRIAGED)
            else []
        )
        return {
            "concern": concern,
            "committee": concern.committee,
            "demo_committee": concern.committee.is_demo,
            "roles": roles,
            "staff": staff,
            "steps": _step_forms(user, concern, bound),
            "timeline": selectors.timeline(concern),
            "linked": selectors.linked_items(concern),
            "replies": concern.replies.select_related("unit", "by").prefetch_related("attachments"),
            "attachments": concern.attachments.filter(reply__isnull=True),
            "deliveries": concern.deliveries.select_related("endpoint__unit")[:20] if staff else [],
            "duplicates": duplicates,
            "can_merge": "merge" in services.available_actions(user, concern),
            "followers": concern.merged.only("pk", "code", "topic", "received_at")[:50],
            "can_reveal": bool(roles & {"office", "unit"}) and concern.has_personal_data,
            "can_draft": bool(roles)
            and concern.status == Concern.Status.CONVERTED
            and concern.committee_id in self.scope.member_committee_ids
            and services.drafted_item(concern) is None,
            "done": ACTION_LABELS.get(self.request.GET.get("done", "")),
            "now": timezone.now(),
        }


class ConcernStepView(ConcernView):
    """POST one workflow step. A refused step or bad data shows the concern page again with a
    clear message (never a server error)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        concern = self.visible_concern(pk)
        action = request.POST.get("action", "")
        if not services.concern_roles(request.user, concern):
            raise PermissionDenied(_("You may only read this concern."))
        if action not in PAGE_ACTIONS:
            messages.error(request, _("Unknown step."))
            return redirect("casework:concern", pk=pk)
        form = StepForm(request.POST, request.FILES, action=action, concern=concern)
        if form.is_valid():
            data = form.service_data()
            if action == "merge":
                target_code = codes.normalize(data.pop("target", ""))
                data["target"] = Concern.objects.filter(
                    code=target_code, committee=concern.committee
                ).first()
            try:
                services.concern_transition(
                    concern=concern,
                    action=action,
                    by=request.user,
                    reason=form.cleaned_data.get("reason", "") or "",
                    data=data,
                )
            except InvalidTransition as error:
                context = {**self.concern_context(concern), "refused": error.message}
                return render(request, self.template_name, context, status=409)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                # The page says what was done (?done=…), not the messages framework: a step's
                # result belongs to the concern's page.
                return redirect(f"{reverse('casework:concern', args=[pk])}?done={action}")
        return render(
            request, self.template_name, self.concern_context(concern, bound=form), status=400
        )


class ConcernDraftView(CaseworkMixin, View):
    """POST: a member writes the proposal or opinion report a converted concern became; the
    draft opens for editing, prefilled and linked to the concern."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        concern = self.visible_concern(pk)
        try:
            item = services.concern_draft_item(concern=concern, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return redirect("casework:concern", pk=pk)
        messages.success(request, _("A draft was made from the concern: complete and submit it."))
        return redirect(item.get_absolute_url())  # type: ignore[attr-defined]


class ConcernRevealView(CaseworkMixin, View):
    """POST: show the constituent's name and number to the office or the unit, and log it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        concern = self.visible_concern(pk)
        values = services.concern_reveal(concern=concern, by=request.user, purpose="concern page")
        return render(request, "casework/_revealed.html", {"concern": concern, "values": values})


class AttachmentView(CaseworkMixin, View):
    """An attachment, to those who may see its concern; never executed by the browser."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(
            Attachment.objects.visible_to(request.user).select_related("concern"), pk=pk
        )
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            content_type=attachment.content_type,
            as_attachment=attachment.kind != Attachment.Kind.IMAGE,
            filename=attachment.name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response


class DashboardView(CaseworkMixin, TemplateView):
    """A committee's concerns in figures: per month, per unit, ratings, categories (ECharts)."""

    template_name = "casework/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        this_year = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        year = min(max(year, 2000), this_year + 1)
        figures = selectors.dashboard(committee, year=year)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "figures": figures,
            "years": list(range(this_year, this_year - 5, -1)),
            "chart_months": _chart_months(figures),
            "chart_units": _chart_units(figures),
            "chart_ratings": _chart_pie(figures["ratings"], _("Ratings")),
            "chart_outcomes": _chart_pie(figures["outcomes"], _("Outcomes")),
            "chart_categories": _chart_categories(figures),
            "month_rows": list(
                zip(
                    figures["months"],
                    figures["received"],
                    figures["closed"],
                    figures["overdue"],
                    strict=True,
                )
            ),
        }


def _chart_months(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {},
        "xAxis": {"type": "category", "data": figures["months"]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("Received"), "type": "bar", "data": figures["received"]},
            {"name": _("Closed"), "type": "bar", "data": figures["closed"]},
            {"name": _("Overdue"), "type": "line", "data": figures["overdue"]},
        ],
    }


def _chart_units(figures: dict[str, Any]) -> dict[str, Any]:
    rows = figures["medians"]
    return {
        "tooltip": {},
        "grid": {"left": 120},
        "xAxis": {"type": "value", "name": _("days")},
        "yAxis": {"type": "category", "data": [row[0] for row in rows]},
        "series": [
            {"name": _("Median days to reply"), "type": "bar", "data": [row[1] for row in rows]}
        ],
    }


def _chart_pie(rows: list[tuple[Any, int]], name: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "name": name,
                "type": "pie",
                "radius": ["35%", "65%"],
                "data": [{"name": str(label), "value": n} for label, n in rows],
            }
        ],
    }


def _chart_categories(figures: dict[str, Any]) -> dict[str, Any]:
    rows = list(reversed(figures["top_categories"]))
    return {
        "tooltip": {},
        "grid": {"left": 120},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [row[0] for row in rows]},
        "series": [{"name": _("Concerns"), "type": "bar", "data": [row[1] for row in rows]}],
    }


class SettingsView(CaseworkMixin, View):
    """The committee's casework settings: policy, categories, unit endpoints, Open311 clients."""

    template_name = "casework/settings.html"

    def page(self, committee: Committee, form: PolicyForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "categories": Category.objects.filter(committee=committee).select_related(
                    "focus_area"
                ),
                "endpoints": UnitEndpoint.objects.filter(committee=committee).select_related(
                    "unit"
                ),
                "clients": Open311Client.objects.filter(committee=committee),
            },
            status=status,
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.readable_committee(code)
        return self.page(committee, PolicyForm(instance=selectors.policy_for(committee)))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = PolicyForm(request.POST, instance=selectors.policy_for(committee))
        if form.is_valid():
            try:
                services.policy_update(committee=committee, by=request.user, data=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("casework:settings", code=code)
        return self.page(committee, form, status=400)


class CategoryFormView(CaseworkMixin, View):
    template_name = "casework/form_page.html"

    def category(self, committee: Committee, pk: int | None) -> Category | None:
        if pk is None:
            return None
        return get_object_or_404(Category, pk=pk, committee=committee)

    def render_form(
        self, committee: Committee, form: CategoryForm, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "title": _("Category"),
                "back": reverse("casework:settings", args=[committee.code]),
            },
            status=status,
        )

    def get(self, request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
        committee = self.office_committee(code)
        category = self.category(committee, pk)
        return self.render_form(committee, CategoryForm(instance=category, committee=committee))

    def post(self, request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
        committee = self.office_committee(code)
        category = self.category(committee, pk)
        form = CategoryForm(
            request.POST,
            instance=Category.objects.get(pk=category.pk) if category else None,
            committee=committee,
        )
        if form.is_valid():
            try:
                services.category_save(
                    committee=committee,
                    by=request.user,
                    data=form.cleaned_data,
                    category=category,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The category was saved."))
                return redirect("casework:settings", code=code)
        return self.render_form(committee, form, status=400)


class ScreenTermsView(CaseworkMixin, View):
    """The spam screen's lexicon: the built-in terms, the global ones and the committee's own."""

    template_name = "casework/screen_terms.html"

    def page(self, committee: Committee, form: ScreenTermForm, status: int = 200) -> HttpResponse:
        terms = ScreenTerm.objects.filter(Q(committee=committee) | Q(committee__isnull=True))
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "terms": terms.order_by("committee_id", "term"),
                "builtin": BUILTIN_TERMS,
            },
            status=status,
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return self.page(self.readable_committee(code), ScreenTermForm())

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        toggle = request.POST.get("toggle")
        if toggle and toggle.isdigit():
            term = get_object_or_404(ScreenTerm, pk=int(toggle), committee=committee)
            services.screen_term_save(
                by=request.user,
                committee=committee,
                term=term.term,
                kind=term.kind,
                reason=term.reason,
                instance=term,
                is_active=not term.is_active,
            )
            return redirect("casework:screen_terms", code=code)
        form = ScreenTermForm(request.POST)
        if form.is_valid():
            try:
                services.screen_term_save(by=request.user, committee=committee, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The term was added to the lexicon."))
                return redirect("casework:screen_terms", code=code)
        return self.page(committee, form, status=400)


class EndpointFormView(CaseworkMixin, View):
    """Connect a handling unit's own system (webhook URL and shared secret)."""

    template_name = "casework/form_page.html"

    def render_form(
        self, committee: Committee, form: EndpointForm, status: int = 200
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "title": _("Unit's own system"),
                "back": reverse("casework:settings", args=[committee.code]),
            },
            status=status,
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        return self.render_form(committee, EndpointForm(committee=committee))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = EndpointForm(request.POST, committee=committee)
        if form.is_valid():
            try:
                services.endpoint_save(committee=committee, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The unit's endpoint was saved."))
                return redirect("casework:settings", code=code)
        return self.render_form(committee, form, status=400)


class Open311ClientsView(CaseworkMixin, View):
    """Issue an Open311 API key to a client application (shown once), or revoke one."""

    template_name = "casework/open311_clients.html"

    def page(self, committee: Committee, form: Open311ClientForm, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "clients": Open311Client.objects.filter(committee=committee),
                **extra,
            },
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return self.page(self.readable_committee(code), Open311ClientForm())

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        revoke = request.POST.get("revoke")
        if revoke and revoke.isdigit():
            client = get_object_or_404(Open311Client, pk=int(revoke), committee=committee)
            services.open311_client_revoke(client=client, by=request.user)
            messages.success(request, _("The key was revoked."))
            return redirect("casework:open311_clients", code=code)
        form = Open311ClientForm(request.POST)
        if form.is_valid():
            client, key = services.open311_client_create(
                committee=committee, by=request.user, name=form.cleaned_data["name"]
            )
            return self.page(committee, Open311ClientForm(), new_client=client, new_key=key)
        return self.page(committee, form)


class DeliveriesView(CaseworkMixin, TemplateView):
    """Webhook deliveries to units' systems, failures first: what did not arrive."""

    template_name = "casework/deliveries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        state = self.request.GET.get("state", "")
        deliveries = WebhookDelivery.objects.filter(committee=committee).select_related(
            "concern", "endpoint__unit"
        )
        if state in WebhookDelivery.State.values:
            deliveries = deliveries.filter(state=state)
        page = Paginator(deliveries.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "page": page,
            "state": state,
            "states": WebhookDelivery.State.choices,
            "query": _query_without_page(self.request),
        }


class DeliveryRetryView(CaseworkMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        delivery = get_object_or_404(
            WebhookDelivery.objects.visible_to(request.user).select_related("committee", "concern"),
            pk=pk,
        )
        services.delivery_retry(delivery=delivery, by=request.user)
        messages.success(request, _("The delivery will be tried again."))
        return redirect("casework:concern", pk=delivery.concern_id)


class MemberInboxView(CaseworkMixin, TemplateView):
    """A member's concerns 我的诉求: addressed to them (a convener: also to their sector)."""

    template_name = "casework/member_inbox.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = self.scope
        if scope.person_id is None:
            raise Http404
        concerns = selectors.concern_list(
            Concern.objects.visible_to(self.request.user).filter(member_id=scope.person_id)
            | Concern.objects.visible_to(self.request.user).filter(
                sector_id__in=scope.convened_sector_ids
            )
        ).order_by("-received_at", "-id")
        filterset = ConcernFilterSet(self.request.GET or None, queryset=concerns)
        queryset = filterset.qs if filterset.is_bound else concerns
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        committees = Committee.objects.filter(pk__in=scope.member_committee_ids).order_by("path")
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "filter": filterset,
            "query": _query_without_page(self.request),
            "committees": committees,
            "now": timezone.now(),
        }


class UnitQueueView(CaseworkMixin, TemplateView):
    """A handling unit's queue 承办单位待办: what is assigned to it, by deadline."""

    template_name = "casework/unit_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not self.scope.is_unit:
            raise Http404
        queryset = selectors.unit_queue(self.request.user)
        show = self.request.GET.get("show", "open")
        if show != "all":
            queryset = queryset.filter(
                status__in=(*Concern.DEADLINE_STATES, Concern.Status.RETURNED)
            )
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "show": show,
            "query": _query_without_page(self.request),
            "now": timezone.now(),
        }


def my_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The member's concerns for the My page (`casework/_my_section.html`): open ones first."""
    concerns = selectors.member_concerns(person)
    open_concerns = list(concerns.filter(status__in=Concern.OPEN_STATES)[:10])
    counts = dict(
        Concern.objects.filter(member=person)
        .exclude(status__in=(Concern.Status.HELD, Concern.Status.DISCARDED))
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "casework_open": open_concerns,
        "casework_open_count": sum(counts.get(s, 0) for s in Concern.OPEN_STATES),
        "casework_closed_count": counts.get(Concern.Status.CLOSED, 0),
        "casework_now": timezone.now(),
    }
