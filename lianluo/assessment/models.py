"""The "双考" assessment 委员考勤考绩: rulebooks, traceable scores, objections, warnings, results.

Scores are derived, never typed in: the engine (`engine.py`) turns the records of a committee-year
(read by `providers/`) into ScoreLine rows, one per (rule, record), and a MemberResult per member.
A manual change is itself a record (Adjustment, with a reason and an approver). A frozen
Assessment is never recomputed until the office re-opens it, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import TimeStampedModel
from lianluo.directory.models import Committee, Organization, Person


def _scope(user: Any) -> Any:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


class CommitteeYearQuerySet(models.QuerySet[Any]):
    """Rows of one committee-year: office staff and auditors read their committee and those under
    it; a member reads the rows of their own (`person` field), when the model has one."""

    committee_path = "committee__"
    person_field: str | None = "person_id"

    def visible_to(self, user: Any) -> Any:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q(self.committee_path)
        if scope.person_id is not None and self.person_field:
            q |= Q(**{self.person_field: scope.person_id})
        return self.filter(q)

    def editable_by(self, user: Any) -> Any:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        field = self.committee_path.removesuffix("__") + "_id"
        return self.filter(**{f"{field}__in": scope.office_committee_ids})


class RulebookQuerySet(CommitteeYearQuerySet):
    person_field = None

    def visible_to(self, user: Any) -> Any:
        """Staff read rulebooks of their committees; a member those of committees they sit in
        (the rules that price their work are no secret to them)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            scope.readable_committee_q("committee__")
            | Q(committee_id__in=scope.member_committee_ids)
        )


class Rulebook(TimeStampedModel):
    """A committee's rulebook for one year 年度考核细则; its text lives in versions."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="assessment_rulebooks",
    )
    year = models.PositiveSmallIntegerField(_("year"))

    objects = RulebookQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "-year")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year"), name="assessment_rulebook_one_per_year"
            ),
        ]
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"


class RulebookVersion(models.Model):
    """One saved text of a rulebook 细则版本. Only valid texts are saved; one version is active."""

    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("rulebook"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"))
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ("rulebook", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("rulebook", "number"), name="assessment_rulebookversion_unique_number"
            ),
            models.UniqueConstraint(
                fields=("rulebook",),
                condition=Q(is_active=True),
                name="assessment_rulebookversion_one_active",
            ),
        ]
        verbose_name = _("rulebook version")
        verbose_name_plural = _("rulebook versions")

    def __str__(self) -> str:
        return f"{self.rulebook} v{self.number}"


class AssessmentQuerySet(CommitteeYearQuerySet):
    person_field = None

    def visible_to(self, user: Any) -> Any:
        """Staff: their committees and those under them; a member: the committees they sit in
        (they see their own score in it, nobody else's)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            scope.readable_committee_q("committee__")
            | Q(committee_id__in=scope.member_committee_ids)
        )


class Assessment(TimeStampedModel):
    """The annual assessment 年度履职考核 of a committee: open while the year's records still
    change, frozen when the office closes it (then published and never recomputed)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        FROZEN = "frozen", _("frozen")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    rulebook_version = models.ForeignKey(
        RulebookVersion,
        verbose_name=_("rulebook version used"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    objections_until = models.DateField(
        _("objections accepted until"),
        null=True,
        blank=True,
        help_text=_("Members may object to their score up to this day. Empty: while open."),
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "-year")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year"), name="assessment_assessment_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(frozen_at__isnull=False),
                name="assessment_assessment_frozen_has_date",
            ),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.committee} {self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.state == self.State.FROZEN


class AssessmentRowQuerySet(CommitteeYearQuerySet):
    committee_path = "assessment__committee__"


class BatchQuerySet(AssessmentRowQuerySet):
    person_field = None


class ScoreLine(models.Model):
    """One line of a member's score 得分明细: the record that earned (or lost) the points, the rule
    that priced it, and the points that counted (with the note when a cap cut them)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="lines"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField(_("order"))
    part = models.CharField(_("part"), max_length=40)
    rule_id = models.CharField(_("rule"), max_length=60)
    rule_label = models.CharField(_("rule"), max_length=200)
    kind = models.CharField(_("record kind"), max_length=40)
    record_id = models.CharField(_("record"), max_length=64)
    record_date = models.DateField(_("date"))
    record_url = models.CharField(_("link"), max_length=300, blank=True)
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    price = models.DecimalField(_("rule's price"), max_digits=9, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=2)
    note = models.CharField(_("note"), max_length=12, blank=True)

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("assessment", "person", "seq")
        indexes = [
            models.Index(fields=["assessment", "person", "seq"], name="assessment_line_member_idx"),
            models.Index(
                fields=["assessment", "kind", "record_id"], name="assessment_line_rec_idx"
            ),
            models.Index(fields=["assessment", "part"], name="assessment_line_part_idx"),
        ]
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")

    def __str__(self) -> str:
        return f"{self.rule_label}: {self.record_label} {self.points}"


class MemberResult(models.Model):
    """A member's result of the year 考核结果: the total, each part, the grade, the plan and the
    distance to the next grade. Derived from the lines; the rank is computed when read."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="results"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    share = models.DecimalField(_("share of the year served"), max_digits=5, decimal_places=2)
    assessed = models.BooleanField(_("graded"), default=True)
    parts = models.JSONField(_("parts"), default=dict)
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    grade_label = models.CharField(_("grade"), max_length=60, blank=True)
    next_grade_label = models.CharField(_("next grade"), max_length=60, blank=True)
    to_next_grade = models.DecimalField(
        _("points to the next grade"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    plan = models.JSONField(_("plan"), default=list)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    fingerprint = models.CharField(max_length=32, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"))

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("assessment", "-total", "person")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "person"), name="assessment_result_one_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["assessment", "-total"], name="assessment_result_rank_idx"),
            models.Index(
                fields=["assessment", "sector", "-total"], name="assessment_result_sector_idx"
            ),
            models.Index(fields=["assessment", "grade"], name="assessment_result_grade_idx"),
        ]
        verbose_name = _("member result")
        verbose_name_plural = _("member results")

    def __str__(self) -> str:
        return f"{self.person} {self.total}"


class Adjustment(TimeStampedModel):
    """A manual adjustment 人工调整 of a member's score: points in one part, with a reason and
    the person who approved it. It is a record like any other and becomes a score line."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.CharField(_("part"), max_length=40)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=2)
    date = models.DateField(_("counts on"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"))

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("assessment", "person", "date", "id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="assessment_adjustment_has_reason"
            ),
            models.CheckConstraint(condition=~Q(points=0), name="assessment_adjustment_not_zero"),
        ]
        indexes = [
            models.Index(fields=["assessment", "person"], name="assessment_adj_member_idx"),
        ]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self) -> str:
        return f"{self.person} {self.points:+} ({self.part})"


class Objection(TimeStampedModel):
    """A member's objection 申诉 to one line of their score, or their report of a record that is
    missing. The office accepts it (creating an adjustment, or after fixing the record in its
    app) or rejects it with a reason; the member may withdraw it while it is pending."""

    class Kind(models.TextChoices):
        LINE = "line", _("a line of my score is wrong")
        MISSING = "missing", _("a record is missing")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The line objected to, as it was (lines are rebuilt on every recomputation).
    rule_id = models.CharField(_("rule"), max_length=60, blank=True)
    rule_label = models.CharField(_("rule"), max_length=200, blank=True)
    record_kind = models.CharField(_("record kind"), max_length=40, blank=True)
    record_id = models.CharField(_("record"), max_length=64, blank=True)
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    record_url = models.CharField(_("link"), max_length=300, blank=True)
    line_points = models.DecimalField(
        _("points on the line"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("what is wrong"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    adjustment = models.OneToOneField(
        Adjustment,
        verbose_name=_("adjustment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objection",
    )

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="missing") | ~Q(record_id=""),
                name="assessment_objection_line_names_record",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="assessment_objection_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["assessment", "status"], name="assessment_obj_queue_idx"),
            models.Index(fields=["person", "status"], name="assessment_obj_person_idx"),
        ]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.get_status_display()}"


class MemberWarning(TimeStampedModel):
    """A warning 预警 that a rulebook's warning rule raised for a member (e.g. absent without
    leave from two plenary sessions in a row), and where its follow-up stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FOLLOWED_UP = "followed_up", _("being followed up")
        CLOSED = "closed", _("closed")
        LAPSED = "lapsed", _("no longer applies")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="warnings"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    rule_id = models.CharField(_("warning rule"), max_length=60)
    label = models.CharField(_("warning"), max_length=200)
    action = models.CharField(_("prescribed action"), max_length=30)
    record_ids = models.JSONField(_("records"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("assessment", "status", "person")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "person", "rule_id"), name="assessment_warning_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["assessment", "status"], name="assessment_warning_list_idx"),
        ]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.person} · {self.label}"


class WarningStep(models.Model):
    """One follow-up step of a warning 处理步骤: a reminder talk 提醒谈话, a written criticism, a
    decision of the committee's procedure for members who do not perform, or a note."""

    class Kind(models.TextChoices):
        REMINDER_TALK = "reminder_talk", _("reminder talk held")
        WRITTEN_CRITICISM = "written_criticism", _("written criticism issued")
        RESIGNATION_ADVISED = "resignation_advised", _("advised to resign")
        REVOCATION_PROPOSED = (
            "revocation_proposed",
            _("revocation proposed to the standing committee"),
        )
        RENEWAL_REVIEW = "renewal_review", _("noted for the renewal of the term")
        NOTE = "note", _("note")
        CLOSED = "closed", _("closed")

    warning = models.ForeignKey(
        MemberWarning, verbose_name=_("warning"), on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=24, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ("warning", "happened_on", "id")
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")

    def __str__(self) -> str:
        return f"{self.warning} · {self.get_kind_display()}"


class NominationQuota(models.Model):
    """How many members may be nominated for excellence 评优名额, in the whole committee (no
    sector) or in one sector."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="quotas"
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        ordering = ("assessment", "sector")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "sector"),
                condition=Q(sector__isnull=False),
                name="assessment_quota_unique_sector",
            ),
            models.UniqueConstraint(
                fields=("assessment",),
                condition=Q(sector__isnull=True),
                name="assessment_quota_unique_committee",
            ),
        ]
        verbose_name = _("nomination quota")
        verbose_name_plural = _("nomination quotas")

    def __str__(self) -> str:
        return f"{self.assessment} {self.sector or '—'}: {self.quota}"


class Nomination(TimeStampedModel):
    """A nomination for excellence 评优评先 (优秀委员), within the committee's and the sector's
    quotas."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        ordering = ("assessment", "sector", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "person"), name="assessment_nomination_once"
            ),
        ]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")

    def __str__(self) -> str:
        return f"{self.person} ({self.assessment})"


class DocumentBatch(models.Model):
    """Documents made in the background 文档生成: the committee's bulletin 通报, or every
    member's duty dossier 履职档案 in one ZIP."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("bulletin")
        DOSSIERS = "dossiers", _("duty dossiers")
        TERM_DOSSIERS = "term", _("duty dossiers of the term")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="batches"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to="assessment/%Y/", blank=True)
    documents = models.PositiveIntegerField(_("documents"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ("-requested_at", "-id")
        indexes = [
            models.Index(fields=["assessment", "kind", "requested_at"], name="assessment_batch_idx")
        ]
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_kind_display()} {self.get_status_display()}"
