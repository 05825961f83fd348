"""Staff pages of studios 委员工作室: details, members, the publication workflow, the monthly
calendar of reception days 接待日, and the members' private calendar feeds."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.core import audit
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee
from lianluo.directory.views import apply_service_errors
from lianluo.liaison import ics, selectors, services, workflow
from lianluo.liaison.forms import (
    GenerateDaysForm,
    ReceptionDayForm,
    StudioForm,
    StudioMemberForm,
    TransitionForm,
)
from lianluo.liaison.models import MemberCalendar, ReceptionDay, Studio, StudioMember
from lianluo.liaison.views import LiaisonMixin, render_form


class StudioListView(LiaisonMixin, TemplateView):
    template_name = "liaison/studios.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.committee_for(kwargs["code"])
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(committee),
            "studios": selectors.committee_studios(self.request.user, committee),
        }


class StudioCreateView(LiaisonMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        return self.page(committee, StudioForm(committee=committee))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = StudioForm(request.POST, committee=committee)
        if form.is_valid():
            try:
                studio = services.studio_create(
                    committee=committee, by=request.user, data=form.data_for_service()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The studio was opened as a draft."))
                return redirect("liaison:studio", pk=studio.pk)
        return self.page(committee, form)

    def page(self, committee: Committee, form: StudioForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New studio"),
            back=reverse("liaison:studios", args=[committee.code]),
            **self.base_context(committee),
        )


class StudioMixin(LiaisonMixin):
    def visible_studio(self, pk: int) -> Studio:
        return get_object_or_404(
            Studio.objects.visible_to(self.request.user).select_related("committee", "sector"),
            pk=pk,
        )

    def editable_studio(self, pk: int) -> Studio:
        studio = self.visible_studio(pk)
        if not self.scope.can_edit_committee(studio.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return studio


class StudioDetailView(StudioMixin, TemplateView):
    """A studio as its committee sees it: details, members, the next reception days, the
    publication steps and the timeline."""

    template_name = "liaison/studio.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        studio = self.visible_studio(kwargs["pk"])
        today = timezone.localdate()
        can_edit = self.scope.can_edit_committee(studio.committee_id)
        steps = workflow.STUDIO.available(
            studio.status, workflow.studio_roles(self.request.user, studio)
        )
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(studio.committee),
            "studio": studio,
            "members": selectors.studio_members(studio),
            "days": selectors.month_days(studio, today, today + datetime.timedelta(days=60)),
            "steps": [(s, workflow.ACTION_LABELS[s.action]) for s in steps],
            "member_form": StudioMemberForm(committee=studio.committee) if can_edit else None,
            "timeline": audit.timeline(studio) if self.is_reader(studio.committee) else None,
        }


class StudioEditView(StudioMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        return self.page(studio, StudioForm(instance=studio, committee=studio.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        form = StudioForm(
            request.POST, instance=Studio.objects.get(pk=pk), committee=studio.committee
        )
        if form.is_valid():
            try:
                services.studio_update(studio=studio, by=request.user, data=form.data_for_service())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("liaison:studio", pk=pk)
        return self.page(studio, form)

    def page(self, studio: Studio, form: StudioForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("Change %(name)s") % {"name": studio.name},
            back=reverse("liaison:studio", args=[studio.pk]),
            **self.base_context(studio.committee),
        )


class StudioTransitionView(StudioMixin, View):
    """POST: publish, withdraw, close or reopen a studio; a refused step is a page message."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.visible_studio(pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a step."))
            return redirect("liaison:studio", pk=pk)
        try:
            workflow.studio_transition(
                studio=studio,
                action=form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data.get("reason") or "",
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Done."))
        return redirect("liaison:studio", pk=pk)


class StudioMemberAddView(StudioMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        return self.page(studio, StudioMemberForm(committee=studio.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        form = StudioMemberForm(request.POST, committee=studio.committee)
        if form.is_valid():
            try:
                services.studio_member_add(
                    studio=studio,
                    membership=form.cleaned_data["membership"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The member now serves at the studio."))
                return redirect("liaison:studio", pk=pk)
        return self.page(studio, form)

    def page(self, studio: Studio, form: StudioMemberForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("Add a member to %(name)s") % {"name": studio.name},
            back=reverse("liaison:studio", args=[studio.pk]),
            **self.base_context(studio.committee),
        )


class StudioMemberRemoveView(LiaisonMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = get_object_or_404(
            StudioMember.objects.filter(
                studio__in=Studio.objects.visible_to(request.user).values("pk")
            ).select_related("studio", "membership__person"),
            pk=pk,
        )
        if not self.scope.can_edit_committee(row.studio.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        services.studio_member_remove(row=row, by=request.user)
        messages.success(request, _("The member no longer serves at the studio."))
        return redirect("liaison:studio", pk=row.studio_id)


def _month(value: str | None, today: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


class StudioCalendarView(StudioMixin, TemplateView):
    """A studio's reception days in a month, as a calendar staff plan and publish in."""

    template_name = "liaison/studio_calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        studio = self.visible_studio(kwargs["pk"])
        today = timezone.localdate()
        first = _month(self.request.GET.get("month"), today)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        days = list(selectors.month_days(studio, weeks[0][0], weeks[-1][-1]))
        by_date: dict[datetime.date, list[ReceptionDay]] = {}
        for day in days:
            by_date.setdefault(day.date, []).append(day)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return {
            **super().get_context_data(**kwargs),
            **self.base_context(studio.committee),
            "studio": studio,
            "month": first,
            "weeks": [[(d, by_date.get(d, []), d.month == first.month) for d in w] for w in weeks],
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "today": today,
        }


class ReceptionDayCreateView(StudioMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        initial = {
            "date": request.GET.get("date") or None,
            "start_time": "09:00",
            "end_time": "11:30",
        }
        return self.page(studio, ReceptionDayForm(studio=studio, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        form = ReceptionDayForm(request.POST, studio=studio)
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = services.reception_day_create(
                    studio=studio,
                    by=request.user,
                    date=data.get("date"),
                    start_time=data.get("start_time"),
                    end_time=data.get("end_time"),
                    members=list(data.get("members") or []),
                    topic=data.get("topic") or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The reception day was planned (draft)."))
                return redirect("liaison:receptionday", pk=day.pk)
        return self.page(studio, form)

    def page(self, studio: Studio, form: ReceptionDayForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("New reception day at %(name)s") % {"name": studio.name},
            back=reverse("liaison:studio_calendar", args=[studio.pk]),
            **self.base_context(studio.committee),
        )


class ReceptionDayGenerateView(StudioMixin, View):
    """Plan a series of reception days at once (drafts), e.g. the 10th and 20th of each month
    (Xiangtan county's practice) or every first Monday."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        today = timezone.localdate()
        initial = {"first": today, "last": today.replace(month=12, day=31)}
        return self.page(studio, GenerateDaysForm(studio=studio, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = self.editable_studio(pk)
        form = GenerateDaysForm(request.POST, studio=studio)
        if form.is_valid():
            data = form.cleaned_data
            if data["rule"] == "monthly":
                dates = services.monthly_days(
                    first=data["first"], last=data["last"], days=data["day_list"]
                )
            else:
                dates = services.nth_weekdays(
                    first=data["first"], last=data["last"], weekday=data["weekday"], nth=data["nth"]
                )
            try:
                days = services.reception_days_generate(
                    studio=studio,
                    by=request.user,
                    dates=dates,
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    members=list(data.get("members") or []),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(count)d reception days were planned as drafts.") % {"count": len(days)},
                )
                return redirect(
                    reverse("liaison:studio_calendar", args=[pk]) + f"?month={data['first']:%Y-%m}"
                )
        return self.page(studio, form)

    def page(self, studio: Studio, form: GenerateDaysForm) -> HttpResponse:
        return render_form(
            self.request,
            form,
            title=_("Plan reception days at %(name)s") % {"name": studio.name},
            back=reverse("liaison:studio_calendar", args=[studio.pk]),
            **self.base_context(studio.committee),
        )


class ReceptionDayMixin(LiaisonMixin):
    def visible_day(self, pk: int) -> ReceptionDay:
        return get_object_or_404(
            ReceptionDay.objects.visible_to(self.request.user).select_related(
                "studio", "studio__committee"
            ),
            pk=pk,
        )


class ReceptionDayView(ReceptionDayMixin, View):
    """A reception day: change it (office), take a workflow step, see its timeline."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        day = self.visible_day(pk)
        form = None
        if self.scope.can_edit_committee(day.committee_id):
            form = ReceptionDayForm(
                studio=day.studio,
                initial={
                    "date": day.date,
                    "start_time": day.start_time,
                    "end_time": day.end_time,
                    "topic": day.topic,
                    "members": list(day.members_on_duty.all()),
                },
            )
        return self.page(day, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        day = self.visible_day(pk)
        if not self.scope.can_edit_committee(day.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        form = ReceptionDayForm(request.POST, studio=day.studio)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.reception_day_update(
                    day=day,
                    by=request.user,
                    date=data.get("date"),
                    start_time=data.get("start_time"),
                    end_time=data.get("end_time"),
                    members=list(data.get("members") or []),
                    topic=data.get("topic") or "",
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("liaison:receptionday", pk=pk)
        return self.page(day, form, status=400)

    def page(
        self, day: ReceptionDay, form: ReceptionDayForm | None, status: int = 200
    ) -> HttpResponse:
        steps = workflow.RECEPTION_DAY.available(
            day.status, workflow.studio_roles(self.request.user, day.studio)
        )
        duties = day.duties.select_related("membership__person", "membership__sector")
        return render(
            self.request,
            "liaison/reception_day.html",
            {
                **self.base_context(day.studio.committee),
                "day": day,
                "form": form,
                "duties": duties,
                "steps": [(s, workflow.ACTION_LABELS[s.action]) for s in steps],
                "timeline": audit.timeline(day),
            },
            status=status,
        )


class ReceptionDayTransitionView(ReceptionDayMixin, View):
    """POST: publish, cancel or reinstate a reception day; a refused step is a page message."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        day = self.visible_day(pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a step."))
            return redirect("liaison:receptionday", pk=pk)
        try:
            workflow.reception_day_transition(
                day=day,
                action=form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data.get("reason") or "",
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Done."))
        return redirect("liaison:receptionday", pk=pk)


# ---------------------------------------------------------------------------------------------
# iCalendar feeds


def reception_events(days: list[ReceptionDay], request: HttpRequest) -> list[ics.Event]:
    """One calendar event per reception day (members on duty in the description)."""
    events = []
    for day in days:
        studio = day.studio
        names = "、".join(duty.membership.person.name for duty in day.duties.all())
        lines = [_("Members on duty: %(names)s") % {"names": names or "—"}]
        if day.topic:
            lines.append(_("Topic: %(topic)s") % {"topic": day.topic})
        if studio.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": studio.phone})
        events.append(
            ics.Event(
                uid=f"reception-day-{day.pk}@{ics.UID_DOMAIN}",
                start=day.starts,
                end=day.ends,
                summary=_("Reception day: %(studio)s") % {"studio": studio.name},
                location=studio.address,
                description="\n".join(lines),
                url=request.build_absolute_uri(reverse("liaison:public_studio", args=[studio.pk]))
                if studio.is_published
                else "",
                cancelled=day.status == ReceptionDay.Status.CANCELLED,
                sequence=day.sequence,
                last_modified=day.updated_at,
            )
        )
    return events


def calendar_response(text: str, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    return response


class MemberIcsView(View):
    """A member's duty days as an iCalendar feed, at a secret address (no log-in: calendar
    applications cannot log in). An unknown or renewed token is 404."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        feed = (
            MemberCalendar.objects.select_related("person").filter(token=token).first()
            if 20 <= len(token) <= 64
            else None
        )
        if feed is None:
            raise Http404
        today = timezone.localdate()
        days = selectors.member_feed_days(feed.person, today=today)
        text = ics.calendar(
            reception_events(days, request),
            name=_("%(name)s: reception duty") % {"name": feed.person.name},
            stamp=timezone.now(),
        )
        return calendar_response(text, "duty.ics", private=True)
