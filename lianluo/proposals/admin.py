"""Raw data care for proposals and reports. Changes are audited (AuditedAdmin); the workflow's
states are changed through the services, not here, so they are read-only."""

from django.contrib import admin

from lianluo.core.admin import AuditedAdmin
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    Evaluation,
    KeySupervision,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    ProposalCategory,
    ProposalPolicy,
    Reply,
    ReportAuthor,
    SupervisionNote,
)


@admin.register(ProposalPolicy)
class ProposalPolicyAdmin(AuditedAdmin):
    list_display = ("committee", "body_max_chars", "answer_days", "publication_enabled")
    raw_id_fields = ("committee",)
    search_fields = ("committee__name", "committee__code")


@admin.register(ProposalCategory)
class ProposalCategoryAdmin(AuditedAdmin):
    list_display = ("name", "committee", "slug", "position", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("committee",)
    search_fields = ("name", "committee__code")


class ProposalAuthorInline(admin.TabularInline):
    model = ProposalAuthor
    fk_name = "proposal"
    extra = 0
    raw_id_fields = ("person", "via", "committee")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ("unit", "committee", "assigned_by")
    readonly_fields = ("status", "round")


@admin.register(Proposal)
class ProposalAdmin(AuditedAdmin):
    list_display = ("reference", "number", "title", "committee", "status", "kind", "is_key")
    list_filter = ("status", "kind", "timing", "is_key")
    search_fields = ("title", "reference", "author__name")
    raw_id_fields = (
        "committee",
        "session",
        "group",
        "author",
        "created_by",
        "category",
        "focus_area",
        "merged_into",
    )
    readonly_fields = ("status", "reference", "number", "submitted_at", "decided_at", "closed_at")
    filter_horizontal = ("suggested_units",)
    inlines = [ProposalAuthorInline, AssignmentInline]


@admin.register(Reply)
class ReplyAdmin(AuditedAdmin):
    list_display = ("proposal", "assignment", "kind", "round", "answer_class", "replied_at")
    list_filter = ("kind", "answer_class", "on_time")
    raw_id_fields = ("committee", "proposal", "assignment", "replied_by")


@admin.register(Evaluation)
class EvaluationAdmin(AuditedAdmin):
    list_display = ("reply", "person", "attitude", "result", "created_at")
    list_filter = ("attitude", "result")
    raw_id_fields = ("committee", "reply", "person")


class SupervisionNoteInline(admin.TabularInline):
    model = SupervisionNote
    extra = 0
    raw_id_fields = ("committee", "created_by")


@admin.register(KeySupervision)
class KeySupervisionAdmin(AuditedAdmin):
    list_display = ("proposal", "leader", "selected_at")
    raw_id_fields = ("committee", "proposal", "leader", "selected_by")
    inlines = [SupervisionNoteInline]


class ReportAuthorInline(admin.TabularInline):
    model = ReportAuthor
    extra = 0
    raw_id_fields = ("person", "committee")


class AdoptionEventInline(admin.TabularInline):
    model = AdoptionEvent
    extra = 0
    raw_id_fields = ("committee", "recorded_by")


@admin.register(OpinionReport)
class OpinionReportAdmin(AuditedAdmin):
    list_display = ("reference", "title", "committee", "status", "year")
    list_filter = ("status", "kind", "year")
    search_fields = ("title", "edited_title", "reference", "author__name")
    raw_id_fields = (
        "committee",
        "group",
        "author",
        "created_by",
        "edited_by",
        "category",
        "focus_area",
        "source_proposal",
    )
    readonly_fields = ("status", "reference", "submitted_at", "decided_at")
    inlines = [ReportAuthorInline, AdoptionEventInline]


class BulletinEntryInline(admin.TabularInline):
    model = BulletinEntry
    extra = 0
    raw_id_fields = ("committee", "report")


@admin.register(BulletinIssue)
class BulletinIssueAdmin(AuditedAdmin):
    list_display = ("title", "year", "number", "committee", "published_on")
    raw_id_fields = ("committee",)
    inlines = [BulletinEntryInline]


@admin.register(Attachment)
class AttachmentAdmin(AuditedAdmin):
    list_display = ("name", "committee", "content_type", "size", "uploaded_at")
    raw_id_fields = ("committee", "proposal", "reply", "report", "uploaded_by")
