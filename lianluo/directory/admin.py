from django.contrib import admin
from django.db import models

from lianluo.core.admin import AuditedAdmin
from lianluo.directory.models import (
    Committee,
    FocusArea,
    Grant,
    Membership,
    Organization,
    Person,
    Session,
    Term,
)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "level", "code", "parent", "is_demo")
    list_filter = ("level", "is_demo")
    search_fields = ("name", "short_name", "code")
    raw_id_fields = ("parent",)
    inlines = [TermInline]

    def _committee_id(self, obj: models.Model) -> int | None:
        return obj.pk


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ("committee", "number", "start_date", "end_date")
    list_filter = ("committee__level",)
    search_fields = ("committee__name", "committee__code")
    raw_id_fields = ("committee",)


@admin.register(Session)
class SessionAdmin(AuditedAdmin):
    list_display = ("term", "number", "opens_on", "closes_on")
    search_fields = ("term__committee__name",)
    raw_id_fields = ("term",)


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "classification", "committee", "position", "is_active")
    list_filter = ("classification", "is_active", "committee__level")
    search_fields = ("name", "short_name", "committee__name", "committee__code")
    raw_id_fields = ("committee", "parent")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("committee", "term", "organization", "sector")


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "gender", "id_number_masked", "workplace", "user")
    list_filter = ("gender", "affiliation")
    search_fields = ("name", "name_pinyin", "name_initials", "workplace")
    readonly_fields = ("id_number_masked", "name_sort_key", "name_pinyin", "name_initials")
    raw_id_fields = ("user",)
    inlines = [MembershipInline]
    audit_redact = ("mobile", "id_number_digest", "id_number_encrypted")


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("person", "committee", "term", "organization", "sector", "role", "status")
    list_filter = ("role", "status", "committee__level")
    search_fields = ("person__name", "person__name_pinyin", "committee__name", "committee__code")
    raw_id_fields = ("person", "committee", "term", "organization", "sector")


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    list_display = ("user", "committee", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "committee__name", "committee__code")
    raw_id_fields = ("user", "committee", "unit")


@admin.register(FocusArea)
class FocusAreaAdmin(AuditedAdmin):
    list_display = ("name", "committee", "slug", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "committee__name", "committee__code")
    raw_id_fields = ("committee",)
