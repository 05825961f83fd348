"""Admin for raw data care. Attendance, corrections, invitations and leave requests are
read-only here: they change only through the services, which keep their history."""

from django.contrib import admin

from lianluo.core.admin import AuditedAdmin, ReadOnlyAdmin
from lianluo.meetings.models import (
    AdoptionEvent,
    AttendanceCorrection,
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingKindPolicy,
    ResearchReport,
    Speech,
)


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ("title", "committee", "kind", "starts_at", "participation", "status")
    list_filter = ("kind", "status", "participation")
    search_fields = ("title", "committee__name", "committee__code")
    raw_id_fields = ("committee", "term", "organizer", "focus_area", "created_by")
    readonly_fields = ("status", "published_at", "closed_at")
    date_hierarchy = "starts_at"


@admin.register(MeetingKindPolicy)
class MeetingKindPolicyAdmin(AuditedAdmin):
    list_display = ("committee", "kind", "approver_role", "max_leave_requests_per_meeting")
    list_filter = ("kind", "approver_role")
    raw_id_fields = ("committee",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "person", "status", "source", "checked_in_at", "arrived_late")
    list_filter = ("status", "source")
    search_fields = ("person__name", "meeting__title")
    raw_id_fields = ("meeting", "person", "membership", "sector", "committee")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "person", "status", "is_late", "requested_at", "decided_at")
    list_filter = ("status", "is_late", "approver_role")
    search_fields = ("person__name", "meeting__title")


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "person", "status", "left_early", "checked_in_at")
    list_filter = ("status", "meeting__kind")
    search_fields = ("person__name", "meeting__title")


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("record", "old_status", "new_status", "corrected_by", "corrected_at")


@admin.register(Speech)
class SpeechAdmin(AuditedAdmin):
    list_display = ("title", "meeting", "mode", "selected_for_plenary")
    list_filter = ("mode", "selected_for_plenary")
    raw_id_fields = ("committee", "meeting", "speakers", "created_by")


class AdoptionInline(admin.TabularInline):
    model = AdoptionEvent
    extra = 0
    raw_id_fields = ("committee", "recorded_by")


@admin.register(ResearchReport)
class ResearchReportAdmin(AuditedAdmin):
    list_display = ("title", "committee", "submitted_on")
    search_fields = ("title", "topic")
    raw_id_fields = ("committee", "focus_area", "author_people", "author_organizations", "surveys")
    inlines = [AdoptionInline]
