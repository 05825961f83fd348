"""Admin for raw data care: read-mostly views of the assessment's rows."""

from django.contrib import admin

from lianluo.assessment.models import (
    Adjustment,
    Assessment,
    MemberResult,
    MemberWarning,
    Nomination,
    Objection,
    Rulebook,
    RulebookVersion,
    ScoreLine,
)


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin[Rulebook]):
    list_display = ("committee", "year")
    list_filter = ("year",)
    raw_id_fields = ("committee",)


@admin.register(RulebookVersion)
class RulebookVersionAdmin(admin.ModelAdmin[RulebookVersion]):
    list_display = ("rulebook", "number", "is_active", "author", "created_at")
    readonly_fields = ("rulebook", "number", "text", "author", "created_at", "is_active")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    list_display = ("committee", "year", "state", "computed_at", "frozen_at")
    list_filter = ("state", "year")
    raw_id_fields = ("committee", "rulebook_version", "frozen_by")


@admin.register(ScoreLine)
class ScoreLineAdmin(admin.ModelAdmin[ScoreLine]):
    list_display = ("assessment", "person", "part", "rule_id", "kind", "record_id", "points")
    list_filter = ("kind", "part")
    raw_id_fields = ("assessment", "person")


@admin.register(MemberResult)
class MemberResultAdmin(admin.ModelAdmin[MemberResult]):
    list_display = ("assessment", "person", "total", "grade_label", "assessed")
    raw_id_fields = ("assessment", "person", "sector")


@admin.register(Adjustment)
class AdjustmentAdmin(admin.ModelAdmin[Adjustment]):
    list_display = ("assessment", "person", "part", "points", "approved_by", "approved_at")
    raw_id_fields = ("assessment", "person", "approved_by")


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin[Objection]):
    list_display = ("assessment", "person", "kind", "status", "created_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("assessment", "person", "submitted_by", "decided_by", "adjustment")


@admin.register(MemberWarning)
class MemberWarningAdmin(admin.ModelAdmin[MemberWarning]):
    list_display = ("assessment", "person", "label", "status")
    raw_id_fields = ("assessment", "person")


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin[Nomination]):
    list_display = ("assessment", "person", "sector", "nominated_by")
    raw_id_fields = ("assessment", "person", "sector", "nominated_by")
