"""Check-in and attendance pages: the QR check-in (phone first), the QR screen for the venue,
the live check-in view (htmx polling, no inline script), the attendance list and sheet, the
sign-in sheet import, the xlsx export and corrections."""

from __future__ import annotations

import datetime
import io
import tempfile
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from lianluo.core import audit
from lianluo.core.models import PersonalDataAccess
from lianluo.directory.models import Person
from lianluo.directory.views import apply_service_errors
from lianluo.meetings import selectors, services, sheets
from lianluo.meetings.forms import CorrectionForm, MarkForm, SheetImportForm
from lianluo.meetings.models import AttendanceRecord, Invitation, Meeting
from lianluo.meetings.views import XLSX, MeetingsMixin


def checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    """The absolute address the meeting's QR code holds."""
    return request.build_absolute_uri(
        reverse("meetings:checkin", args=[meeting.pk, meeting.checkin_token])
    )


class CheckinView(LoginRequiredMixin, View):
    """The page a member's phone opens from the QR code: GET shows the meeting and a button,
    POST (with CSRF) checks the logged-in member in. The token names the meeting; the session
    names the member. Refusals say why, with a 403/404/409 status."""

    template_name = "meetings/checkin.html"

    def refuse(self, request: HttpRequest, refused: services.CheckinRefused) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"refused": refused.message, "code": refused.code},
            status=refused.status,
        )

    def get(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        try:
            meeting, invitation = services.checkin_target(
                meeting_id=pk, token=token, by=request.user
            )
        except services.CheckinRefused as refused:
            return self.refuse(request, refused)
        return render(
            request,
            self.template_name,
            {"meeting": meeting, "invitation": invitation, "person": invitation.person},
        )

    def post(self, request: HttpRequest, pk: int, token: str) -> HttpResponse:
        try:
            invitation = services.checkin(meeting_id=pk, token=token, by=request.user)
        except services.CheckinRefused as refused:
            return self.refuse(request, refused)
        return render(
            request,
            self.template_name,
            {"meeting": invitation.meeting, "done": invitation, "person": invitation.person},
        )


class QrScreenView(MeetingsMixin, View):
    """The screen shown at the venue: the QR code, its address, and the live count."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        return render(
            request,
            "meetings/qr.html",
            {
                "meeting": meeting,
                "committee": meeting.committee,
                "url": checkin_url(request, meeting),
                **selectors.live_checkins(meeting),
            },
        )


class QrSvgView(MeetingsMixin, View):
    """The meeting's check-in QR code as an SVG image (segno)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        buffer = io.BytesIO()
        segno.make(checkin_url(request, meeting), error="m").save(
            buffer, kind="svg", scale=10, border=2, xmldecl=False, light="#fff", title=meeting.title
        )
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


class QrResetView(MeetingsMixin, View):
    """POST: a new QR code; the old one stops working."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        services.meeting_reset_checkin_token(meeting=meeting, by=request.user)
        messages.success(request, _("A new QR code was made; the old one no longer works."))
        return redirect("meetings:qr", pk=pk)


class LiveView(MeetingsMixin, View):
    """Live check-in during the meeting: counts and the latest arrivals, refreshed by htmx
    polling every few seconds (the partial alone when htmx asks)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.staff_meeting(pk)
        context = {
            "meeting": meeting,
            "committee": meeting.committee,
            "now": timezone.now(),
            **selectors.live_checkins(meeting),
        }
        if getattr(request, "htmx", False):
            return render(request, "meetings/_live.html", context)
        return render(request, "meetings/live.html", context)


class AttendanceView(MeetingsMixin, View):
    """The attendance sheet 考勤表: provisional and markable while the meeting is open, final
    (with corrections) once it is closed. The export has exactly these rows and columns."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.staff_meeting(pk)
        can_edit = self.scope.can_edit_committee(meeting.committee_id)
        rows = selectors.attendance_sheet(meeting)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return render(
            request,
            "meetings/attendance.html",
            {
                "meeting": meeting,
                "committee": meeting.committee,
                "demo_committee": meeting.committee.is_demo,
                "can_edit": can_edit,
                "open": meeting.status in services.OPEN_STATES,
                "closed": meeting.status == Meeting.Status.CLOSED,
                "rows": rows,
                "headers": selectors.sheet_headers(),
                "counts": [
                    (label, counts.get(value, 0))
                    for value, label in AttendanceRecord.Status.choices
                    if value != AttendanceRecord.Status.NOT_EXPECTED
                ],
            },
        )


class MarkView(MeetingsMixin, View):
    """POST: staff mark one person present, late, left early, or clear the mark."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = MarkForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a mark."))
            return redirect("meetings:attendance", pk=pk)
        invitation = get_object_or_404(
            Invitation.objects.filter(meeting=meeting).select_related("person"),
            pk=form.cleaned_data["invitation"],
        )
        at = form.cleaned_data["at"]
        moment = (
            datetime.datetime.combine(
                timezone.localtime(meeting.starts_at).date(),
                at,
                tzinfo=timezone.get_current_timezone(),
            )
            if at
            else None
        )
        try:
            services.attendance_mark(
                invitation=invitation, mark=form.cleaned_data["mark"], at=moment, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s: saved.") % {"name": invitation.person.name})
        return redirect(reverse("meetings:attendance", args=[pk]) + f"#row-{invitation.pk}")


class SheetImportView(MeetingsMixin, View):
    """Import the venue's sign-in sheet (xlsx): every problem by row and column, or all rows."""

    template_name = "meetings/attendance_import.html"

    def render_page(self, meeting: Meeting, form: SheetImportForm, **context: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"meeting": meeting, "committee": meeting.committee, "form": form, **context},
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.office_meeting(pk), SheetImportForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.office_meeting(pk)
        form = SheetImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(meeting, form)
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            form.add_error("file", _("Choose an Excel workbook (.xlsx)."))
            return self.render_page(meeting, form)
        try:
            result = sheets.read_sign_in_sheet(upload.file, meeting=meeting)
        except sheets.SheetRefused as refused:
            form.add_error("file", str(refused))
            return self.render_page(meeting, form)
        if not result.ok:
            return self.render_page(meeting, form, problems=result.problems)
        try:
            changed = services.attendance_apply_sheet(
                meeting=meeting, rows=result.rows, by=request.user, filename=upload.name
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render_page(meeting, form)
        messages.success(
            request,
            _("The sign-in sheet was imported: %(rows)d rows, %(changed)d changes.")
            % {"rows": len(result.rows), "changed": changed},
        )
        return redirect("meetings:attendance", pk=pk)


def _xlsx(filename: str, write: Any) -> FileResponse:
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    write(file)
    file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


class SignInSheetView(MeetingsMixin, View):
    """The sign-in sheet to print for the venue, with the last digits of mobile numbers."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        meeting = self.office_meeting(pk)
        audit.log_personal_data_access(
            user=request.user,
            kind=PersonalDataAccess.Kind.EXPORT,
            model=Person,
            fields=["name", "mobile_last_four"],
            record_count=Invitation.objects.filter(
                meeting=meeting, status__in=Invitation.EXPECTED
            ).count(),
            purpose=f"sign-in sheet, meeting {meeting.pk}",
        )
        return _xlsx(
            f"{meeting.committee.code}_签到表_{meeting.pk}.xlsx",
            lambda file: sheets.sign_in_template(meeting, file),
        )


class AttendanceExportView(MeetingsMixin, View):
    """The attendance sheet as xlsx, exactly the rows and columns of the page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        meeting = self.staff_meeting(pk)
        day = timezone.localtime(meeting.starts_at)
        return _xlsx(
            f"{meeting.committee.code}_考勤表_{day:%Y%m%d}_{meeting.pk}.xlsx",
            lambda file: sheets.export_attendance(meeting, file),
        )


class CorrectionView(MeetingsMixin, View):
    """Correct one attendance record of a closed meeting; its history stays visible."""

    template_name = "meetings/correction_form.html"

    def record(self, pk: int, record_pk: int) -> AttendanceRecord:
        meeting = self.office_meeting(pk)
        return get_object_or_404(
            AttendanceRecord.objects.filter(meeting=meeting).select_related("person", "meeting"),
            pk=record_pk,
        )

    def render_form(self, record: AttendanceRecord, form: CorrectionForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "record": record,
                "meeting": record.meeting,
                "corrections": selectors.record_corrections(record),
                "timeline": audit.timeline(record),
            },
        )

    def get(self, request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
        record = self.record(pk, record_pk)
        form = CorrectionForm(initial={"status": record.status, "left_early": record.left_early})
        return self.render_form(record, form)

    def post(self, request: HttpRequest, pk: int, record_pk: int) -> HttpResponse:
        record = self.record(pk, record_pk)
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_correct(
                    record=record,
                    status=form.cleaned_data["status"],
                    left_early=form.cleaned_data["left_early"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("%(name)s: the record was corrected.") % {"name": record.person.name}
                )
                return redirect("meetings:attendance", pk=pk)
        return self.render_form(record, form)
