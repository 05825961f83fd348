"""Meeting pages: the committee's list and calendar, a meeting, its invitations and leave, the
member's own meetings and calendar feed. Every object comes through visible_to(); writes go
through one service each. Check-in and attendance pages are in `attendance_views`, speeches,
reports and settings in `record_views`."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from openpyxl import Workbook

from lianluo.core import audit
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, Person
from lianluo.directory.scoping import Scope, scope_for
from lianluo.directory.views import apply_service_errors
from lianluo.meetings import ical, selectors, services, workflow
from lianluo.meetings.filters import MeetingFilterSet
from lianluo.meetings.forms import (
    AttachmentForm,
    CancelInvitationForm,
    InviteForm,
    LeaveDecisionForm,
    LeaveRequestForm,
    MeetingForm,
    RespondForm,
    TransitionForm,
)
from lianluo.meetings.models import (
    CalendarFeed,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    ResearchReport,
    Speech,
)
from lianluo.meetings.uploads import content_type

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeetingsMixin(LoginRequiredMixin):
    """Finds committees and meetings for the current user: 404 when not visible, 403 when
    visible but not theirs to change."""

    request: HttpRequest

    @property
    def scope(self) -> Scope:
        return scope_for(self.request.user)

    def staff_committee(self, code: str) -> Committee:
        """A committee whose meetings the user reads as staff or auditor."""
        scope = self.scope
        if not scope.sees_registry:
            raise Http404
        committee = get_object_or_404(Committee, code=code)
        if not scope.can_read_committee(committee):
            raise Http404
        return committee

    def office_committee(self, code: str) -> Committee:
        committee = self.staff_committee(code)
        if not self.scope.can_edit_committee(committee.pk):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return committee

    def visible_meeting(self, pk: int) -> Meeting:
        return get_object_or_404(
            Meeting.objects.visible_to(self.request.user).select_related(
                "committee", "organizer", "focus_area", "term"
            ),
            pk=pk,
        )

    def staff_meeting(self, pk: int) -> Meeting:
        """A meeting whose lists the user reads as staff or auditor (members: 403)."""
        meeting = self.visible_meeting(pk)
        if not self.scope.can_read_committee(meeting.committee):
            raise PermissionDenied(_("Only the committee's staff see this list."))
        return meeting

    def office_meeting(self, pk: int) -> Meeting:
        meeting = self.visible_meeting(pk)
        if not self.scope.can_edit_committee(meeting.committee_id):
            raise PermissionDenied(_("Only this committee's office may do this."))
        return meeting


def _committee_context(committee: Committee, scope: Scope) -> dict[str, Any]:
    return {
        "committee": committee,
        "demo_committee": committee.is_demo,
        "can_edit": scope.can_edit_committee(committee.pk),
    }


class OverviewView(MeetingsMixin, TemplateView):
    """/meetings/: staff go to their committee's meetings; members to their own meetings."""

    template_name = "meetings/overview.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = self.scope
        if scope.sees_registry and len(scope.home_committee_codes) == 1:
            return redirect("meetings:committee", code=scope.home_committee_codes[0])
        if not scope.sees_registry:
            if scope.person_id is not None:
                return redirect("meetings:mine")
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committees = Committee.objects.filter(self.scope.readable_committee_q()).order_by("path")
        page = Paginator(committees, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page}


def meeting_filter(request: HttpRequest, committee: Committee) -> MeetingFilterSet:
    return MeetingFilterSet(
        request.GET or None, queryset=selectors.committee_meetings(committee), committee=committee
    )


class CommitteeMeetingsView(MeetingsMixin, TemplateView):
    """A committee's meetings and activities, newest first, filtered."""

    template_name = "meetings/committee.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        filterset = meeting_filter(self.request, committee)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "pending_leave": LeaveRequest.objects.filter(
                committee=committee, status=LeaveRequest.Status.REQUESTED
            ).count(),
        }


class MeetingExportView(MeetingsMixin, View):
    """The meeting list as filtered on the page, as xlsx."""

    def get(self, request: HttpRequest, code: str) -> HttpResponseBase:
        committee = self.staff_committee(code)
        meetings = meeting_filter(request, committee).qs
        book = Workbook(write_only=True)
        sheet = book.create_sheet("会议活动")
        sheet.append(
            [
                _("Title"),
                _("Kind"),
                _("Starts at"),
                _("Ends at"),
                _("Place"),
                _("Organiser"),
                _("Focus area"),
                _("Participation"),
                _("Status"),
                _("Expected"),
            ]
        )
        for meeting in meetings.iterator(chunk_size=500):
            sheet.append(
                [
                    meeting.title,
                    str(meeting.get_kind_display()),
                    f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}",
                    f"{timezone.localtime(meeting.ends_at):%Y-%m-%d %H:%M}",
                    meeting.place,
                    str(meeting.organizer or _("the committee's office")),
                    str(meeting.focus_area or ""),
                    str(meeting.get_participation_display()),
                    str(meeting.get_status_display()),
                    meeting.invited_count,
                ]
            )
        file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        book.save(file)
        file.seek(0)
        return FileResponse(
            file,
            as_attachment=True,
            filename=f"{committee.code}_会议活动_{timezone.localdate():%Y%m%d}.xlsx",
            content_type=XLSX,
        )


def _month(value: str | None) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    return year, month


class CalendarView(MeetingsMixin, TemplateView):
    """A month of a committee's meetings (?month=YYYY-MM)."""

    template_name = "meetings/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        committee = self.staff_committee(kwargs["code"])
        year, month = _month(self.request.GET.get("month"))
        start, end = selectors.month_range(year, month)
        meetings = Meeting.objects.filter(
            committee=committee, starts_at__gte=start, starts_at__lt=end
        ).order_by("starts_at", "id")
        previous = (start - datetime.timedelta(days=1)).strftime("%Y-%m")
        following = end.strftime("%Y-%m")
        return {
            **super().get_context_data(**kwargs),
            **_committee_context(committee, self.scope),
            "weeks": selectors.month_calendar(meetings, year, month),
            "month_start": start.date(),
            "previous": previous,
            "following": following,
        }


class MeetingCreateView(MeetingsMixin, View):
    """The office plans a meeting (a draft)."""

    template_name = "meetings/meeting_form.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = MeetingForm(committee=committee, initial={"kind": request.GET.get("kind", "")})
        return render(request, self.template_name, {"form": form, "committee": committee})

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.office_committee(code)
        form = MeetingForm(request.POST, committee=committee)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    committee=committee, data=form.meeting_data(), by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The meeting was saved as a draft. Now invite."))
                return redirect("meetings:invitations", pk=meeting.pk)
        return render(request, self.template_name, {"form": form, "committee": committee})


class MeetingEditView(MeetingsMixin, View):
    template_name = "meetings/meeting_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = MeetingForm(instance=meeting, committee=meeting.committee)
        return render(
            request,
            self.template_name,
            {"form": form, "committee": meeting.committee, "meeting": meeting},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = MeetingForm(
            request.POST, instance=Meeting.objects.get(pk=pk), committee=meeting.committee
        )
        if form.is_valid():
            try:
                services.meeting_update(meeting=meeting, data=form.meeting_data(), by=request.user)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("meetings:meeting", pk=pk)
        return render(
            request,
            self.template_name,
            {"form": form, "committee": meeting.committee, "meeting": meeting},
        )


class MeetingView(MeetingsMixin, TemplateView):
    """A meeting: its facts, agenda and files; for the office its steps, list, leave requests
    and timeline; for an invited member their own place, leave and check-in."""

    template_name = "meetings/meeting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        meeting = self.visible_meeting(kwargs["pk"])
        scope = self.scope
        user = self.request.user
        staff = scope.can_read_committee(meeting.committee)
        context: dict[str, Any] = {
            **super().get_context_data(**kwargs),
            "meeting": meeting,
            "committee": meeting.committee,
            "demo_committee": meeting.committee.is_demo,
            "can_edit": scope.can_edit_committee(meeting.committee_id),
            "staff": staff,
            "attachments": MeetingAttachment.objects.visible_to(user).filter(meeting=meeting),
            "speeches": Speech.objects.visible_to(user)
            .filter(meeting=meeting)
            .prefetch_related("speakers"),
            "policy": selectors.policy_for(meeting.committee_id, meeting.kind),
        }
        if staff:
            context.update(
                counts=selectors.invitation_counts(meeting),
                leave_requests=selectors.meeting_leave_requests(meeting),
                actions=[
                    (action, workflow.MEETING_ACTION_LABELS[action])
                    for action in services.meeting_actions(meeting=meeting, by=user)
                ],
                timeline=audit.timeline(meeting),
                attachment_form=AttachmentForm(),
            )
        if scope.person_id is not None:
            mine = (
                Invitation.objects.filter(meeting=meeting, person_id=scope.person_id)
                .annotate(
                    leave_status=selectors._latest_leave("status"),
                    leave_id=selectors._latest_leave("id"),
                )
                .first()
            )
            context["mine"] = mine
            if mine is not None:
                context["my_leave"] = LeaveRequest.objects.filter(invitation=mine).order_by(
                    "-requested_at", "-id"
                )
            context["decidable"] = [
                leave
                for leave in LeaveRequest.objects.visible_to(user)
                .filter(meeting=meeting, status=LeaveRequest.Status.REQUESTED)
                .select_related("person", "meeting")
                if workflow.APPROVER in services.leave_roles(user, leave)
            ]
        return context


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class MeetingTransitionView(MeetingsMixin, View):
    """POST one step of the meeting's workflow; a refused step is shown as an error."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a step."))
            return redirect("meetings:meeting", pk=pk)
        action = form.cleaned_data["action"]
        try:
            services.meeting_transition(
                meeting=meeting, action=action, by=request.user, reason=form.cleaned_data["reason"]
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            done = {
                "publish": _("The meeting was published; the invitations were sent."),
                "start": _("The meeting is under way."),
                "close": _("The meeting was closed; attendance is recorded."),
                "cancel": _("The meeting was cancelled."),
            }
            messages.success(request, done.get(action, _("Done.")))
            if action == "close":
                return redirect("meetings:attendance", pk=pk)
        return redirect("meetings:meeting", pk=pk)


class InvitationsView(MeetingsMixin, View):
    """The meeting's list 参会名单: who is on it and how; the office adds people by a rule and
    takes people off it."""

    template_name = "meetings/invitations.html"

    def render_page(self, meeting: Meeting, form: InviteForm) -> HttpResponse:
        invitations = selectors.meeting_invitations(meeting)
        page = Paginator(invitations, 200).get_page(self.request.GET.get("page"))
        return render(
            self.request,
            self.template_name,
            {
                "meeting": meeting,
                "committee": meeting.committee,
                "demo_committee": meeting.committee.is_demo,
                "can_edit": self.scope.can_edit_committee(meeting.committee_id),
                "form": form,
                "page": page,
                "counts": selectors.invitation_counts(meeting),
                "cancel_form": CancelInvitationForm(),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.staff_meeting(pk)
        return self.render_page(meeting, InviteForm(committee=meeting.committee))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = InviteForm(request.POST, committee=meeting.committee)
        if form.is_valid():
            try:
                added = services.invitations_generate(
                    meeting=meeting,
                    source=form.cleaned_data["source"],
                    sector=form.cleaned_data["sector"],
                    organization=form.cleaned_data["organization"],
                    names=form.cleaned_data["names"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("%(count)d people were added to the list.") % {"count": len(added)}
                )
                return redirect("meetings:invitations", pk=pk)
        return self.render_page(meeting, form)


class InvitationCancelView(MeetingsMixin, View):
    """POST: take someone off the list, with a reason."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = CancelInvitationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for taking someone off the list."))
            return redirect("meetings:invitations", pk=pk)
        invitation = get_object_or_404(
            Invitation.objects.filter(meeting=meeting), pk=form.cleaned_data["invitation"]
        )
        try:
            services.invitation_transition(
                invitation=invitation,
                action="cancel",
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("%(name)s was taken off the list.") % {"name": invitation.person.name}
            )
        return redirect("meetings:invitations", pk=pk)


class RespondView(MeetingsMixin, View):
    """POST: the member signs up for (or withdraws from) a sign-up activity."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.visible_meeting(pk)
        person_id = self.scope.person_id
        invitation = get_object_or_404(
            Invitation.objects.filter(meeting=meeting, person_id=person_id or 0)
        )
        form = RespondForm(request.POST)
        if not form.is_valid():
            raise Http404
        try:
            if form.cleaned_data["action"] == "sign_up":
                done = services.invitation_sign_up(invitation=invitation, by=request.user)
                if done.status == Invitation.Status.WAITLISTED:
                    messages.info(request, _("The activity is full: you are on the waiting list."))
                else:
                    messages.success(request, _("You are signed up."))
            else:
                services.invitation_transition(
                    invitation=invitation, action="withdraw", by=request.user
                )
                messages.success(request, _("You withdrew."))
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        return redirect(_safe_next(request, reverse("meetings:meeting", args=[pk])))


class LeaveRequestView(MeetingsMixin, View):
    """The member asks for leave from a meeting, with a reason."""

    template_name = "meetings/leave_form.html"

    def invitation(self, pk: int) -> Invitation:
        meeting = self.visible_meeting(pk)
        return get_object_or_404(
            Invitation.objects.select_related("meeting"),
            meeting=meeting,
            person_id=self.scope.person_id or 0,
        )

    def render_form(self, invitation: Invitation, form: LeaveRequestForm) -> HttpResponse:
        meeting = invitation.meeting
        policy = selectors.policy_for(meeting.committee_id, meeting.kind)
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "meeting": meeting,
                "policy": policy,
                "cutoff": policy.leave_cutoff(meeting.starts_at),
                "late": timezone.now() > policy.leave_cutoff(meeting.starts_at),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_form(self.invitation(pk), LeaveRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invitation = self.invitation(pk)
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            try:
                leave = services.leave_request_create(
                    invitation=invitation, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your leave request was sent (marked late).")
                    if leave.is_late
                    else _("Your leave request was sent."),
                )
                return redirect("meetings:meeting", pk=pk)
        return self.render_form(invitation, form)


class LeaveTransitionView(MeetingsMixin, View):
    """POST: approve, refuse or withdraw a leave request."""

    def post(self, request: HttpRequest, leave_pk: int) -> HttpResponse:
        leave = get_object_or_404(
            LeaveRequest.objects.visible_to(request.user).select_related("meeting"), pk=leave_pk
        )
        form = LeaveDecisionForm(request.POST)
        fallback = reverse("meetings:meeting", args=[leave.meeting_id])
        if not form.is_valid():
            messages.error(request, _("Choose a step."))
            return redirect(fallback)
        if not services.leave_roles(request.user, leave):
            raise PermissionDenied(_("You may not decide this leave request."))
        try:
            services.leave_transition(
                leave=leave,
                action=form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except InvalidTransition as refused:
            messages.error(request, refused.message)
        else:
            done = {
                "approve": _("The leave was approved."),
                "refuse": _("The leave was refused."),
                "withdraw": _("The leave request was withdrawn."),
            }
            messages.success(request, done[form.cleaned_data["action"]])
        return redirect(_safe_next(request, fallback))


class ApprovalsView(MeetingsMixin, TemplateView):
    """The leave requests waiting for the user's decision (approver or office)."""

    template_name = "meetings/approvals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        pending = selectors.pending_leave_for(self.request.user)
        page = Paginator(pending, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page": page}


class AttachmentAddView(MeetingsMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(
                    meeting=meeting,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The file was attached."))
        else:
            messages.error(request, _("Choose a file."))
        return redirect("meetings:meeting", pk=pk)


def _download(file: Any, *, filename: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type(file.name)
    )
    response["Cache-Control"] = "private, no-store"
    return response


class AttachmentView(MeetingsMixin, View):
    """A meeting's file, to those who may see the meeting, always as a download."""

    def get(self, request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
        meeting = self.visible_meeting(pk)
        attachment = get_object_or_404(
            MeetingAttachment.objects.filter(meeting=meeting), pk=attachment_pk
        )
        extension = attachment.file.name.rsplit(".", 1)[-1]
        return _download(attachment.file, filename=f"{attachment.title}.{extension}")


# ----------------------------------------------------------------------------------------------
# The member's own pages
# ----------------------------------------------------------------------------------------------


def my_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    """Context of `meetings/_my_section.html` on the member's page: upcoming meetings with the
    invitations to answer, leave requests, attendance record and rate, speeches and reports.
    A constant number of queries."""
    year = timezone.localdate().year
    return {
        "meetings_section": {
            "upcoming": selectors.upcoming_for_person(person),
            "leave_requests": list(selectors.person_leave_requests(person)[:20]),
            "attendance": list(selectors.person_attendance(person)[:20]),
            "rates": selectors.person_rates(person, year=year),
            "year": year,
            "speeches": list(
                Speech.objects.filter(speakers=person)
                .select_related("meeting")
                .order_by("-meeting__starts_at", "-id")[:20]
            ),
            "reports": list(
                ResearchReport.objects.filter(author_people=person)
                .annotate(adoption_count=Count("adoptions"))
                .order_by("-submitted_on", "-id")[:20]
            ),
            "now": timezone.now(),
        }
    }


class MyMeetingsView(MeetingsMixin, TemplateView):
    """A member's meetings 我的会议: invitations to answer, leave, attendance record and rate
    (all years, or ?year=), speeches, reports, and the calendar feed address."""

    template_name = "meetings/mine.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person_id = self.scope.person_id
        if person_id is None:
            raise Http404
        person = Person.objects.get(pk=person_id)
        try:
            year = int(self.request.GET.get("year", "")) or None
        except ValueError:
            year = None
        feed = CalendarFeed.objects.filter(person=person).first()
        return {
            **super().get_context_data(**kwargs),
            **my_section(self.request, person),
            "person": person,
            "year": year,
            "records": selectors.person_attendance(person, year=year),
            "all_rates": selectors.person_rates(person, year=year),
            "feed_url": self.request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))
            if feed
            else "",
        }


class FeedResetView(MeetingsMixin, View):
    """POST: create (or renew) the member's secret calendar address."""

    def post(self, request: HttpRequest) -> HttpResponse:
        person_id = self.scope.person_id
        if person_id is None:
            raise Http404
        person = Person.objects.get(pk=person_id)
        if CalendarFeed.objects.filter(person=person).exists():
            services.calendar_feed_reset(person=person, by=request.user)
            messages.success(request, _("Your calendar has a new address; the old one stopped."))
        else:
            services.calendar_feed_for(person=person)
            messages.success(request, _("Your calendar address is ready."))
        return redirect("meetings:mine")


class FeedView(View):
    """GET /meetings/calendar/<token>.ics: the member's meetings as iCalendar. The secret token
    is the only key (calendar programs cannot log in); a wrong token is a 404."""

    def get(self, request: HttpRequest, feed_token: str) -> HttpResponse:
        feed = (
            CalendarFeed.objects.filter(token=feed_token).select_related("person").first()
            if len(feed_token) >= 20
            else None
        )
        if feed is None:
            raise Http404
        since = timezone.now() - datetime.timedelta(days=180)
        text = ical.calendar(
            selectors.feed_invitations(feed.person, since=since),
            name=_("%(name)s's meetings") % {"name": feed.person.name},
            domain=request.get_host().split(":")[0],
            base_url=f"{request.scheme}://{request.get_host()}",
            stamp=timezone.now(),
        )
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["Content-Disposition"] = 'inline; filename="meetings.ics"'
        return response
