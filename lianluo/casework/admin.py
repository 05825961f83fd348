"""Raw data care for superusers; the office works on the casework pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lianluo.casework.models import (
    Attachment,
    CaseworkPolicy,
    Category,
    Concern,
    ConcernReply,
    Open311Client,
    ScreenTerm,
    UnitEndpoint,
    WebhookDelivery,
)
from lianluo.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(CaseworkPolicy)
class CaseworkPolicyAdmin(AuditedAdmin):
    list_display = ("committee", "default_deadline_days", "reopen_window_days", "sms_enabled")
    raw_id_fields = ("committee",)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "code", "committee", "deadline_days", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "committee__name", "committee__code")
    raw_id_fields = ("committee", "focus_area")


@admin.register(Concern)
class ConcernAdmin(AuditedAdmin):
    """Concerns change only through the workflow: the admin shows them read-only."""

    list_display = ("code", "topic", "committee", "status", "source", "received_at", "deadline")
    list_filter = ("status", "source", "outcome", "rating")
    search_fields = ("code", "topic", "committee__code")
    date_hierarchy = "received_at"
    raw_id_fields = ("committee", "category", "handling_unit", "member", "sector", "merged_into")
    exclude = ("mobile_encrypted",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConcernReply)
class ConcernReplyAdmin(ReadOnlyAdmin):
    list_display = ("concern", "outcome", "unit", "by", "created_at")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "concern", "kind", "size", "created_at")


@admin.register(ScreenTerm)
class ScreenTermAdmin(AuditedAdmin):
    list_display = ("term", "kind", "committee", "reason", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("term", "reason")
    raw_id_fields = ("committee", "created_by")


@admin.register(UnitEndpoint)
class UnitEndpointAdmin(AuditedAdmin):
    list_display = ("unit", "url", "committee", "is_active")
    raw_id_fields = ("committee", "unit")
    audit_redact = ("secret_encrypted",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("concern", "event", "state", "attempts", "next_attempt_at", "external_ref")
    list_filter = ("state", "event")


@admin.register(Open311Client)
class Open311ClientAdmin(AuditedAdmin):
    list_display = ("name", "committee", "key_prefix", "is_active", "last_used_at")
    raw_id_fields = ("committee", "created_by")
    audit_redact = ("key_digest",)
