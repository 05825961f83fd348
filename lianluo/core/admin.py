"""Admin for the audit trail (read-only) and AuditedAdmin, the base of every registry admin."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from lianluo.core import audit
from lianluo.core.models import AuditEvent, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "verb", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label", "reason")
    date_hierarchy = "created_at"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "user",
        "kind",
        "content_type",
        "object_id",
        "fields",
        "record_count",
    )
    list_filter = ("kind", "content_type")
    search_fields = ("user__username", "object_id", "purpose")
    date_hierarchy = "created_at"


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin is an audit event, like a change made through a service."""

    audit_redact: tuple[str, ...] = ()

    def _fields(self, obj: models.Model) -> list[str]:
        return [
            f.name
            for f in obj._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at")
        ]

    def _committee_id(self, obj: models.Model) -> int | None:
        return getattr(obj, "committee_id", None)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        fields = self._fields(obj)
        with transaction.atomic():
            before = {}
            if change and obj.pk:
                old = type(obj).objects.get(pk=obj.pk)
                before = audit.snapshot(old, fields, redact=self.audit_redact)
            super().save_model(request, obj, form, change)
            changes = audit.diff(before, audit.snapshot(obj, fields, redact=self.audit_redact))
            if changes or not change:
                audit.record(
                    actor=request.user,
                    action="update" if change else "create",
                    obj=obj,
                    changes=changes,
                    verb="admin",
                    committee_id=self._committee_id(obj),
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action="delete",
                obj=obj,
                changes=audit.diff(
                    audit.snapshot(obj, self._fields(obj), redact=self.audit_redact), {}
                ),
                verb="admin",
                committee_id=self._committee_id(obj),
            )
            super().delete_model(request, obj)
