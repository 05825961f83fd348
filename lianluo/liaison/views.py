"""Liaison pages for staff, conveners and members: groups and assignments, activities,
constituent contacts, and a member's own liaison page. Every object comes through visible_to();
writes go through one service each. Studios are in studio_views.py, the plan, coverage,
dashboard and exports in report_views.py, the public pages in public_views.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.core import audit
from lianluo.directory.models import Committee, Person
from lianluo.directory.scoping import Scope, scope_for
from lianluo.directory.services import focus_areas_ensure_defaults
from lianluo.directory.views import apply_service_errors
from lianluo.liaison import selectors, services
from lianluo.liaison.filters import ActivityFilterSet, AssignmentFilterSet, GroupFilterSet
from lianluo.liaison.forms import (
    ActivityForm,
    AssignmentForm,
    AttachmentsForm,
    ContactForm,
    EndAssignmentForm,
    GroupForm,
)
from lianluo.liaison.models import (
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    Studio,
)

PAGE_SIZE = 50


class LiaisonMixin(LoginRequiredMixin):
    """Committee pages of the liaison app.

    Office staff and auditors read their committee and those below it; members (conveners
    included) open the pages of a committee where they hold a serving seat, and see in them
    only what `visible_to` lets them. Anyone else gets 404, never a glimpse.
    """

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def committee_for(self, code: str, *, readers_only: bool = False) -> Committee:
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            raise Http404
        if self.scope.can_read_committee(committee):
            return committee
        if not readers_only and committee.pk in self.scope.member_committee_ids:
            return committee
        raise Http404

    def office_committee(self, code: str) -> Committee:
        committee = self.committee_for(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return committee

    def is_reader(self, committee: Committee) -> bool:
        return self.scope.can_read_committee(committee)

    def sector_limit(self, committee: Committee) -> list[int] | None:
        """None for readers (all sectors); a convener's sectors in this committee; else 404."""
        if self.is_reader(committee):
            return None
        sectors = list(
            committee.organizations.filter(pk__in=self.scope.convened_sector_ids).values_list(
                "pk", flat=True
            )
        )
        if not sectors:
            raise Http404
        return sectors

    def is_convener_in(self, committee: Committee) -> bool:
        convened = self.scope.convened_sector_ids
        return bool(convened) and committee.organizations.filter(pk__in=convened).exists()

    def base_context(self, committee: Committee, **extra: Any) -> dict[str, Any]:
        return {
            "committee": committee,
            "convener": self.is_convener_in(committee),
            "demo_committee": committee.is_demo,
            "can_edit": self.scope.can_edit_committee(committee.pk),
            "is_reader": self.is_reader(committee),
            "may_record": services.may_record_for(self.request.user, committee),
            **extra,
        }


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def render_form(
    request: HttpRequest, form: Any, *, title: str, back: str, **context: Any
) -> HttpResponse:
    """The generic form page of the app."""
    return render(
        request,
        "liaison/form.html",
        {"form": form, "title": title, "back": back, **context},
    )


# ---------------------------------------------------------------------------------------------
# Entry pages


class IndexView(LiaisonMixin, TemplateView):
    """Staff: their committee's liaison page (or the list of those they may open); members:
    their own liaison page."""

    template_name = "liaison/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = self.scope
        if not scope.sees_registry:
            if scope.person_id is not None:
                return redirect("liaison:my")
            raise Http404
        if len(scope.home_committee_codes) == 1:
            return redirect("liaison:committee", code=scope.home_committee_codes[0])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committees = (
            Committee.objects.filter(self.scope.readable_committee_q())
            .select_related("parent")
            .order_by("path")
        )
        page = Paginator(committees, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page}


class CommitteeView(LiaisonMixin, TemplateView):
    """A committee's liaison work at a glance, with the way to every list."""

    template_name = "liaison/committee.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        user = self.request.user
        today = timezone.localdate()
        since = today - datetime.timedelta(days=89)
        activities = LiaisonActivity.objects.visible_to(user).filter(committee=committee)
        figures = {
            "groups": ConstituentGroup.objects.visible_to(user)
            .filter(committee=committee, is_active=True)
            .count(),
            "assignments": LiaisonAssignment.objects.visible_to(user)
            .active()
            .filter(committee=committee)
            .count(),
            "studios": Studio.objects.visible_to(user).filter(committee=committee).count(),
            "activities": activities.filter(date__gte=since).count(),
        }
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "figures": figures,
            "recent": selectors.committee_activities(user, committee)[:10],
        }


# ---------------------------------------------------------------------------------------------
# Constituent groups and assignments


class GroupListView(LiaisonMixin, TemplateView):
    template_name = "liaison/groups.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        filterset = GroupFilterSet(
            self.request.GET,
            queryset=selectors.committee_groups(self.request.user, committee),
            committee=committee,
            request=self.request,
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "filter": filterset,
            "page": page,
            "query": _query_without_page(self.request),
        }


class GroupCreateView(LiaisonMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        return self.page(committee, GroupForm(committee=committee))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = GroupForm(request.POST, committee=committee)
        if form.is_valid():
            try:
                group = services.group_create(
                    committee=committee, by=request.user, data=form.data_for_service()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The group was added."))
                return redirect("liaison:group", pk=group.pk)
        return self.page(committee, form)

    def page(self, committee: Committee, form: GroupForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New constituent group"),
            back=reverse("liaison:groups", args=[committee.code]),
            **self.base_context(committee),
        )


class GroupMixin(LiaisonMixin):
    def visible_group(self, pk: int) -> ConstituentGroup:
        return get_object_or_404(
            ConstituentGroup.objects.visible_to(self.request.user).select_related(
                "committee", "sector"
            ),
            pk=pk,
        )

    def editable_group(self, pk: int) -> ConstituentGroup:
        group = self.visible_group(pk)
        if not self.scope.can_edit_committee(group.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return group


class GroupDetailView(GroupMixin, TemplateView):
    """A group: its sector and area, contact (masked), the members serving it, the activities
    that reached it, and its timeline."""

    template_name = "liaison/group.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        group = self.visible_group(kwargs["pk"])
        user = self.request.user
        assignments = (
            LiaisonAssignment.objects.visible_to(user)
            .filter(group=group)
            .select_related("membership__person", "membership__sector")
            .order_by("end_date", "-role", "membership__person__name_sort_key")
        )
        activities = (
            LiaisonActivity.objects.visible_to(user)
            .filter(group_links__group=group)
            .select_related("focus_area")
            .order_by("-date", "-id")[:20]
        )
        can_edit = self.scope.can_edit_committee(group.committee_id)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(group.committee),
            "group": group,
            "assignments": assignments,
            "activities": activities,
            "assign_form": AssignmentForm(committee=group.committee) if can_edit else None,
            "timeline": audit.timeline(group) if can_edit else None,
        }


class GroupEditView(GroupMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.editable_group(pk)
        return self.page(group, GroupForm(instance=group, committee=group.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.editable_group(pk)
        form = GroupForm(
            request.POST,
            instance=ConstituentGroup.objects.get(pk=pk),
            committee=group.committee,
        )
        if form.is_valid():
            try:
                services.group_update(group=group, by=request.user, data=form.data_for_service())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("liaison:group", pk=pk)
        return self.page(group, form)

    def page(self, group: ConstituentGroup, form: GroupForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("Change %(name)s") % {"name": group.name},
            back=reverse("liaison:group", args=[group.pk]),
            **self.base_context(group.committee),
        )


class GroupRevealView(GroupMixin, View):
    """POST: the group's contact phone in full for the office (logged)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.editable_group(pk)
        phone = services.group_reveal_contact(group=group, by=request.user)
        return render(request, "liaison/_phone.html", {"phone": phone, "name": group.contact_name})


class GroupAssignView(GroupMixin, View):
    """Assign a member to serve the group."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.editable_group(pk)
        return self.page(group, AssignmentForm(committee=group.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.editable_group(pk)
        form = AssignmentForm(request.POST, committee=group.committee)
        if form.is_valid():
            try:
                services.assignment_create(
                    group=group,
                    membership=form.cleaned_data["membership"],
                    by=request.user,
                    role=form.cleaned_data["role"],
                    start_date=form.cleaned_data.get("start_date"),
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The member was assigned."))
                return redirect("liaison:group", pk=pk)
        return self.page(group, form)

    def page(self, group: ConstituentGroup, form: AssignmentForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("Assign a member to %(name)s") % {"name": group.name},
            back=reverse("liaison:group", args=[group.pk]),
            **self.base_context(group.committee),
        )


class AssignmentEndView(LiaisonMixin, View):
    """POST: end an assignment (GET shows the form)."""

    def assignment(self, pk: int) -> LiaisonAssignment:
        assignment = get_object_or_404(
            LiaisonAssignment.objects.visible_to(self.request.user).select_related(
                "group", "committee", "membership__person"
            ),
            pk=pk,
        )
        if not self.scope.can_edit_committee(assignment.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return assignment

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.assignment(pk), EndAssignmentForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.assignment(pk)
        form = EndAssignmentForm(request.POST)
        if form.is_valid():
            try:
                services.assignment_end(
                    assignment=assignment,
                    by=request.user,
                    end_date=form.cleaned_data.get("end_date"),
                    reason=form.cleaned_data.get("reason") or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The assignment was ended."))
                return redirect("liaison:group", pk=assignment.group_id)
        return self.page(assignment, form)

    def page(self, assignment: LiaisonAssignment, form: EndAssignmentForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("End %(name)s's assignment to %(group)s")
            % {"name": assignment.membership.person.name, "group": assignment.group.name},
            back=reverse("liaison:group", args=[assignment.group_id]),
            **self.base_context(assignment.committee),
        )


def assignment_filter(request: HttpRequest, committee: Committee) -> AssignmentFilterSet:
    data = request.GET.copy()
    data.setdefault("current", "true")
    return AssignmentFilterSet(
        data,
        queryset=selectors.committee_assignments(request.user, committee),
        committee=committee,
        request=request,
    )


class AssignmentListView(LiaisonMixin, TemplateView):
    """Who serves which group 联系分工: staff see their committee's, conveners their sector's,
    members their own."""

    template_name = "liaison/assignments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        filterset = assignment_filter(self.request, committee)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "filter": filterset,
            "page": page,
            "query": _query_without_page(self.request),
        }


# ---------------------------------------------------------------------------------------------
# Activities


def activity_filter(request: HttpRequest, committee: Committee) -> ActivityFilterSet:
    return ActivityFilterSet(
        request.GET,
        queryset=selectors.committee_activities(request.user, committee),
        committee=committee,
        request=request,
    )


class ActivityListView(LiaisonMixin, TemplateView):
    template_name = "liaison/activities.html"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.target == "activity-results":
            return ["liaison/_activity_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        filterset = activity_filter(self.request, committee)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "filter": filterset,
            "page": page,
            "query": _query_without_page(self.request),
        }


class ActivityCreateView(LiaisonMixin, View):
    """Record a contact: a member for themselves, or the office on members' behalf."""

    template_name = "liaison/activity_form.html"

    def committee(self, code: str) -> Committee:
        committee = self.committee_for(code)
        if not services.may_record_for(self.request.user, committee):
            raise PermissionDenied(_("You may not record activities for this committee."))
        focus_areas_ensure_defaults(committee=committee)
        return committee

    def form(self, committee: Committee, *args: Any, **kwargs: Any) -> ActivityForm:
        groups = None
        if not self.scope.can_edit_committee(committee.pk):
            # A member picks among the groups they serve, then any of the committee's.
            groups = ConstituentGroup.objects.filter(committee=committee, is_active=True)
        return ActivityForm(*args, committee=committee, groups=groups, **kwargs)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.committee(code)
        initial: dict[str, Any] = {"date": timezone.localdate(), "kind": "visit"}
        seat = services.serving_seat(self.scope.person_id, committee.pk)
        if seat is not None and not self.scope.can_edit_committee(committee.pk):
            initial["groups"] = list(
                LiaisonAssignment.objects.active()
                .filter(membership=seat)
                .values_list("group_id", flat=True)[:1]
            )
        return self.page(committee, self.form(committee, initial=initial))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.committee(code)
        form = self.form(committee, request.POST, request.FILES)
        if form.is_valid():
            try:
                activity = services.activity_create(
                    committee=committee, by=request.user, **form.data_for_service()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The activity was recorded."))
                return redirect("liaison:activity", pk=activity.pk)
        return self.page(committee, form, status=400 if form.errors else 200)

    def page(self, committee: Committee, form: ActivityForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                **self.base_context(committee),
                "form": form,
                "for_office": self.scope.can_edit_committee(committee.pk),
            },
            status=status,
        )


class ActivityDetailView(LiaisonMixin, TemplateView):
    template_name = "liaison/activity.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activity = selectors.activity_detail(self.request.user, kwargs["pk"])
        scope = self.scope
        may_add = scope.can_edit_committee(activity.committee_id) or (
            activity.recorded_by_id == scope.user_id
        )
        attachments = list(activity.attachments.all())
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(activity.committee),
            "activity": activity,
            "images": [a for a in attachments if a.kind == LiaisonAttachment.Kind.IMAGE],
            "documents": [a for a in attachments if a.kind == LiaisonAttachment.Kind.DOCUMENT],
            "attachments_form": AttachmentsForm() if may_add else None,
            "timeline": audit.timeline(activity) if self.is_reader(activity.committee) else None,
        }


class AttachmentAddView(LiaisonMixin, View):
    """POST: add photos or documents to an activity."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = selectors.activity_detail(request.user, pk)
        form = AttachmentsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachments_add(
                    activity=activity, by=request.user, files=form.cleaned_data["attachments"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The files were added."))
        else:
            messages.error(request, _("Choose at least one file."))
        return redirect("liaison:activity", pk=pk)


class AttachmentView(LiaisonMixin, View):
    """An attachment's file, for those who may see its activity (never straight from /media/)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(LiaisonAttachment.objects.visible_to(request.user), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as missing:
            raise Http404 from missing
        response = FileResponse(
            handle,
            as_attachment=attachment.kind != LiaisonAttachment.Kind.IMAGE,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# ---------------------------------------------------------------------------------------------
# Constituent contacts


class ContactListView(LiaisonMixin, TemplateView):
    template_name = "liaison/contacts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        contacts = selectors.committee_contacts(self.request.user, committee)
        q = self.request.GET.get("q", "").strip()
        if q:
            contacts = contacts.filter(name__contains=q)
        page = Paginator(contacts, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "page": page,
            "q": q,
            "query": _query_without_page(self.request),
            "may_keep": services.may_keep_contacts(self.request.user, committee),
        }


class ContactCreateView(LiaisonMixin, View):
    def committee(self, code: str) -> Committee:
        committee = self.committee_for(code)
        if not services.may_keep_contacts(self.request.user, committee):
            raise PermissionDenied(_("You may not keep contacts for this committee."))
        return committee

    def form(self, committee: Committee, *args: Any, **kwargs: Any) -> ContactForm:
        for_office = self.scope.can_edit_committee(committee.pk)
        studios = Studio.objects.filter(committee=committee)
        if not for_office:
            studios = studios.filter(
                studio_members__membership__person_id=self.scope.person_id or 0
            )
        return ContactForm(
            *args, committee=committee, for_office=for_office, studios=studios, **kwargs
        )

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.committee(code)
        form = self.form(committee, initial={"consent_date": timezone.localdate()})
        return self.page(committee, form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.committee(code)
        form = self.form(committee, request.POST)
        if form.is_valid():
            try:
                contact = services.contact_create(
                    committee=committee, by=request.user, data=form.data_for_service()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("liaison:contact", pk=contact.pk)
        return self.page(committee, form)

    def page(self, committee: Committee, form: ContactForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New constituent contact"),
            back=reverse("liaison:contacts", args=[committee.code]),
            note=_(
                "Keep only what the liaison needs, and only with the constituent's consent. "
                "The phone is shown masked; every full view is logged."
            ),
            **self.base_context(committee),
        )


class ContactDetailView(LiaisonMixin, TemplateView):
    template_name = "liaison/contact.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        contact = get_object_or_404(
            ConstituentContact.objects.visible_to(self.request.user).select_related(
                "committee", "group", "membership__person", "studio"
            ),
            pk=kwargs["pk"],
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(contact.committee),
            "contact": contact,
        }


class ContactRevealView(LiaisonMixin, View):
    """POST: the contact's phone in full (the access is logged)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contact = get_object_or_404(ConstituentContact.objects.visible_to(request.user), pk=pk)
        phone = services.contact_reveal(contact=contact, by=request.user)
        return render(request, "liaison/_phone.html", {"phone": phone, "name": contact.name})


# ---------------------------------------------------------------------------------------------
# A member's own


def my_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    """Context of `liaison/_my_section.html` on a member's page: my groups, my coming duty days,
    my recent activities, my progress against the plan — a constant number of queries."""
    today = timezone.localdate()
    seats = selectors.my_seats(person)
    plans = selectors.published_plans({s.committee_id for s in seats}, today.year)
    return {
        "liaison": {
            "seats": seats,
            "assignments": list(selectors.my_assignments(person)),
            "duty_days": selectors.my_duty_days(person, today=today),
            "activities": selectors.my_recent_activities(person),
            "progress": selectors.plan_progress(plans, seats, today=today),
            "year": today.year,
        }
    }


class MyLiaisonView(LoginRequiredMixin, TemplateView):
    """A member's liaison page (the same section as on “my page”, on its own)."""

    template_name = "liaison/my.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = scope_for(self.request.user)
        if scope.person_id is None:
            raise Http404
        person = Person.objects.get(pk=scope.person_id)
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            **my_section(self.request, person),
        }


class MyCalendarView(LoginRequiredMixin, View):
    """A member's private calendar address: shown, created or renewed (POST)."""

    def person(self) -> Person:
        scope = scope_for(self.request.user)
        if scope.person_id is None:
            raise Http404
        return Person.objects.get(pk=scope.person_id)

    def get(self, request: HttpRequest) -> HttpResponse:
        person = self.person()
        calendar = person.liaison_calendar if hasattr(person, "liaison_calendar") else None
        return self.page(person, calendar)

    def post(self, request: HttpRequest) -> HttpResponse:
        person = self.person()
        calendar = services.calendar_token_regenerate(person=person, by=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one stopped working.")
        )
        return self.page(person, calendar)

    def page(self, person: Person, calendar: Any) -> HttpResponse:
        url = (
            self.request.build_absolute_uri(
                reverse("liaison:member_ics", kwargs={"token": calendar.token})
            )
            if calendar is not None
            else ""
        )
        return render(self.request, "liaison/my_calendar.html", {"person": person, "feed_url": url})
