"""Registry pages for office staff and auditors. Every object comes through visible_to()."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.core import audit
from lianluo.core.models import AuditEvent
from lianluo.directory import selectors, services
from lianluo.directory.filters import SeatFilterSet
from lianluo.directory.forms import MembershipForm, NewMemberForm, PersonForm
from lianluo.directory.models import Committee, Membership, Person
from lianluo.directory.scoping import Scope, scope_for

PAGE_SIZE = 50


def apply_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


class RegistryMixin(LoginRequiredMixin):
    """Registry pages are for office staff and auditors: others get 404, never a glimpse."""

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def readable_committee(self, code: str) -> Committee:
        scope = self.scope
        if not scope.sees_registry:
            raise Http404
        committee = get_object_or_404(Committee, code=code)
        if not scope.can_read_committee(committee):
            raise Http404
        return committee

    def editable_committee(self, code: str) -> Committee:
        committee = self.readable_committee(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may change its registry."))
        return committee

    def visible_person(self, pk: int) -> Person:
        return get_object_or_404(Person.objects.visible_to(self.request.user), pk=pk)


class OverviewView(RegistryMixin, TemplateView):
    """The registry's entry: one's own committee, or the list of committees one may open."""

    template_name = "directory/overview.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = self.scope
        if not scope.sees_registry:
            raise Http404
        if len(scope.home_committee_codes) == 1 and not request.GET.get("q"):
            return redirect("directory:committee", code=scope.home_committee_codes[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committees = selectors.committees_for(self.request.user).filter(
            self.scope.readable_committee_q()
        )
        q = self.request.GET.get("q", "").strip()
        if q:
            committees = committees.filter(
                Q(name__contains=q) | Q(short_name__contains=q) | Q(code=q)
            )
        page = Paginator(committees, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page, "q": q}


class CommitteeView(RegistryMixin, TemplateView):
    """A committee at a glance: its terms, seats per sector, committees under it, recent changes."""

    template_name = "directory/committee.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        term = services.current_term(committee)
        seats = Membership.objects.filter(committee=committee, organization__isnull=True)
        if term is not None:
            seats = seats.filter(term=term)
        by_role = dict(
            seats.filter(status=Membership.Status.SERVING)
            .order_by()
            .values_list("role")
            .annotate(n=Count("id"))
            .values_list("role", "n")
        )
        roles = [
            (label, by_role.get(value, 0))
            for value, label in Membership.Role.choices
            if value in by_role
        ]
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "term": term,
            "serving": sum(by_role.values()),
            "roles": roles,
            "sectors": selectors.sector_counts(committee, term=term),
            "children": committee.children.order_by("code")[:100],
            "children_count": committee.children.count(),
            "recent": AuditEvent.objects.filter(committee_id=committee.pk)
            .select_related("content_type")
            .order_by("-created_at", "-id")[:10],
        }


def seat_filter(request: HttpRequest, committee: Committee) -> SeatFilterSet:
    """The member list's filters as the user set them; the current term and serving by default."""
    data = request.GET.copy()
    if "term" not in data:
        term = services.current_term(committee)
        data["term"] = str(term.pk) if term else ""
    if "status" not in data:
        data["status"] = Membership.Status.SERVING
    return SeatFilterSet(data, queryset=selectors.committee_seats(committee), committee=committee)


class MemberListView(RegistryMixin, TemplateView):
    """A committee's members in the official order 按姓氏笔画, filtered and searchable."""

    template_name = "directory/member_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and self.request.htmx.target == "member-results":  # type: ignore[attr-defined]
            return ["directory/_member_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.readable_committee(kwargs["code"])
        filterset = seat_filter(self.request, committee)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "committee": committee,
            "demo_committee": committee.is_demo,
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
        }


class PersonView(RegistryMixin, TemplateView):
    """A person with all their memberships, masked personal data and the record's timeline."""

    template_name = "directory/person.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = self.visible_person(kwargs["pk"])
        scope = self.scope
        memberships = list(selectors.person_memberships(person))
        editable_committees = {
            m.committee_id for m in memberships if scope.can_edit_committee(m.committee_id)
        }
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "memberships": memberships,
            "editable_committee_ids": editable_committees,
            "can_edit_person": bool(editable_committees) or scope.is_superuser,
            "office_committees": Committee.objects.filter(pk__in=scope.office_committee_ids),
            "timeline": audit.timeline(person),
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.scope.sees_registry and self.scope.person_id != kwargs["pk"]:
            raise Http404
        return super().get(request, *args, **kwargs)


class RevealPersonalDataView(RegistryMixin, View):
    """POST: show the full ID number and mobile to the office, and log that it was shown."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.visible_person(pk)
        values = services.person_reveal(
            person=person, by=request.user, fields=("id_number", "mobile"), purpose="person page"
        )
        return render(request, "directory/_revealed.html", {"person": person, "values": values})


class FormPageMixin(RegistryMixin):
    """GET shows the form; POST validates it and calls `save`, which may raise ValidationError."""

    template_name = ""

    def render_form(self, form: BaseForm, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, **context})


class NewMemberView(FormPageMixin, View):
    """Register a new member of this committee (or give an already registered person a seat)."""

    template_name = "directory/member_form.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.editable_committee(code)
        term = services.current_term(committee)
        form = NewMemberForm(committee=committee, initial={"term": term})
        return self.render_form(form, committee=committee)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.editable_committee(code)
        form = NewMemberForm(request.POST, request.FILES, committee=committee)
        if form.is_valid():
            try:
                with transaction.atomic():
                    id_number = form.cleaned_data["id_number"]
                    person = services.person_by_id_number(id_number) if id_number else None
                    existed = person is not None
                    if person is None:
                        person = services.person_create(
                            by=request.user, data=form.person_data(), id_number=id_number
                        )
                    services.membership_create(
                        by=request.user, person=person, committee=committee, data=form.seat_data()
                    )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if existed:
                    messages.info(
                        request,
                        _("This ID number was already registered: the seat was added to %(name)s.")
                        % {"name": person.name},
                    )
                else:
                    messages.success(request, _("%(name)s was registered.") % {"name": person.name})
                return redirect("directory:person", pk=person.pk)
        return self.render_form(form, committee=committee)


class EditPersonView(FormPageMixin, View):
    template_name = "directory/person_form.html"

    def editable_person(self, pk: int) -> Person:
        person = self.visible_person(pk)
        if not Person.objects.editable_by(self.request.user).filter(pk=pk).exists():
            raise PermissionDenied(_("You may not change this person's record."))
        return person

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.editable_person(pk)
        return self.render_form(PersonForm(instance=person), person=person)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.editable_person(pk)
        form = PersonForm(request.POST, request.FILES, instance=Person.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.person_update(
                    person=person,
                    by=request.user,
                    data=form.person_data(),
                    id_number=form.cleaned_data["id_number"] or None,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("directory:person", pk=pk)
        return self.render_form(form, person=person)


class NewMembershipView(FormPageMixin, View):
    """Give a person a seat or a role in a committee whose office the user is."""

    template_name = "directory/membership_form.html"

    def get(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        person = self.visible_person(pk)
        committee = self.editable_committee(code)
        form = MembershipForm(
            committee=committee, initial={"term": services.current_term(committee)}
        )
        return self.render_form(form, person=person, committee=committee)

    def post(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        person = self.visible_person(pk)
        committee = self.editable_committee(code)
        form = MembershipForm(request.POST, committee=committee)
        if form.is_valid():
            data = form.membership_data()
            try:
                services.membership_create(
                    by=request.user, person=person, committee=committee, data=data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The membership was added."))
                return redirect("directory:person", pk=pk)
        return self.render_form(form, person=person, committee=committee)


class EditMembershipView(FormPageMixin, View):
    template_name = "directory/membership_form.html"

    def membership(self, pk: int) -> Membership:
        membership = get_object_or_404(
            Membership.objects.visible_to(self.request.user).select_related("person", "committee"),
            pk=pk,
        )
        if not self.scope.sees_registry:
            raise Http404
        if not self.scope.can_edit_committee(membership.committee_id):
            raise PermissionDenied(_("Only this committee's office may change its memberships."))
        return membership

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = self.membership(pk)
        form = MembershipForm(instance=membership, committee=membership.committee)
        return self.render_form(
            form, person=membership.person, committee=membership.committee, membership=membership
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = self.membership(pk)
        form = MembershipForm(
            request.POST, instance=Membership.objects.get(pk=pk), committee=membership.committee
        )
        if form.is_valid():
            data = form.membership_data()
            reason = form.cleaned_data.get("reason", "")
            try:
                services.membership_update(
                    membership=membership, by=request.user, data=data, reason=reason
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The membership was changed."))
                return HttpResponseRedirect(
                    reverse("directory:person", args=[membership.person_id])
                )
        return self.render_form(
            form, person=membership.person, committee=membership.committee, membership=membership
        )
