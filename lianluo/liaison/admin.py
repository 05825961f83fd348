"""Admin for raw data care of the liaison app; every change is an audit event (AuditedAdmin)."""

from django.contrib import admin

from lianluo.core.admin import AuditedAdmin
from lianluo.liaison.models import (
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    LiaisonPlan,
    PlanTask,
    ReceptionDay,
    Studio,
    StudioMember,
)


@admin.register(ConstituentGroup)
class ConstituentGroupAdmin(AuditedAdmin):
    list_display = ("name", "committee", "kind", "sector", "area_name", "area_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "area_name", "committee__code")
    raw_id_fields = ("committee", "sector")
    audit_redact = ("contact_phone",)


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(AuditedAdmin):
    list_display = ("group", "membership", "role", "start_date", "end_date")
    search_fields = ("group__name", "membership__person__name")
    raw_id_fields = ("committee", "group", "membership")


class StudioMemberInline(admin.TabularInline):
    model = StudioMember
    extra = 0
    raw_id_fields = ("membership",)


@admin.register(Studio)
class StudioAdmin(AuditedAdmin):
    list_display = ("name", "committee", "area_name", "status")
    list_filter = ("status",)
    search_fields = ("name", "address", "committee__code")
    raw_id_fields = ("committee", "sector")
    inlines = [StudioMemberInline]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(AuditedAdmin):
    list_display = ("studio", "date", "start_time", "end_time", "status")
    list_filter = ("status",)
    date_hierarchy = "date"
    raw_id_fields = ("committee", "studio")


class AttachmentInline(admin.TabularInline):
    model = LiaisonAttachment
    extra = 0
    fields = ("kind", "original_name", "content_type", "size", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LiaisonActivity)
class LiaisonActivityAdmin(AuditedAdmin):
    list_display = ("date", "kind", "committee", "sector", "focus_area", "headcount")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("summary", "place", "committee__code")
    raw_id_fields = ("committee", "studio", "sector", "focus_area", "recorded_by")
    inlines = [AttachmentInline]


@admin.register(ConstituentContact)
class ConstituentContactAdmin(AuditedAdmin):
    list_display = ("name", "committee", "consent_date", "consent_method")
    search_fields = ("name", "committee__code")
    raw_id_fields = ("committee", "group", "membership", "studio")
    audit_redact = ("phone", "name")


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    extra = 0
    raw_id_fields = ("committee", "sector", "sector_group")


@admin.register(LiaisonPlan)
class LiaisonPlanAdmin(AuditedAdmin):
    list_display = ("title", "committee", "year", "published")
    list_filter = ("published", "year")
    raw_id_fields = ("committee",)
    inlines = [PlanTaskInline]
