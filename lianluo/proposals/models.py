"""Proposals 提案 and opinion reports 社情民意信息, from a member's idea to a department's answer.

A proposal is drafted by a member (alone, with co-signers 联名, or for a group 集体提案), submitted
with a reference number 来文号, reviewed 审查 (accepted 立案 and numbered per session, rejected,
merged 并案, turned into a suggestion or an opinion report, or returned), assigned 交办 to handling
units (a lead unit 主办 with co-handling units 会办, or separate units 分办), answered 答复 and
evaluated 满意度测评 by its first proposer. An opinion report is submitted, checked 核稿, accepted
录用 or kept 留存, and then collects a chain of adoption events, one per level and body.

Every model belongs to a committee. `visible_to(user)` of each QuerySet is built from the
user's Scope (lianluo.directory.scoping); the public site reads only the `*_public()` selectors.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import TimeStampedModel
from lianluo.directory.models import Committee, FocusArea, Organization, Person, Session

if TYPE_CHECKING:
    from lianluo.directory.scoping import Scope


def _scope(user: Any) -> Scope:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


NOTHING = Q(pk__in=[])


def _entitled_proposers() -> Q:
    """The proposer rows that let a person see a proposal: not a co-signer who declined or
    let the deadline pass (they are not credited and drop out)."""
    return ~Q(state__in=(ProposalAuthor.State.DECLINED, ProposalAuthor.State.LAPSED))


# Defaults a committee starts from; it edits them in its ProposalPolicy. The labels are stored
# in the committee's language when the policy is created (like FocusArea.DEFAULTS).
DEFAULT_ANSWER_CLASSES = (
    ("A", _("Solved or basically solved")),  # 已经解决或基本解决
    ("B", _("Being solved or planned to be solved")),  # 正在解决或列入计划解决
    ("C", _("Kept for reference owing to present conditions")),  # 因条件限制留作参考
)
DEFAULT_REJECTION_GROUNDS = (  # 《政协全国委员会提案工作条例》: the ten grounds of 不予立案
    ("secret", _("It involves secrets of the Party and the state")),  # 涉及党和国家秘密
    ("prohibited", _("It concerns what the state expressly prohibits")),  # 国家明令禁止的
    (
        "cpc_internal",
        _("A CPC member's objection to Party-internal organisation or personnel matters"),
    ),  # 中共党员对党内组织和人事问题的意见
    (
        "party_internal",
        _("A democratic-party member raising internal matters of their own party"),
    ),  # 民主党派成员对本党派内部事务的意见
    (
        "litigation",
        _("It concerns a case in civil, criminal or administrative litigation or arbitration"),
    ),  # 涉及诉讼或仲裁的案件
    ("academic", _("It is an academic discussion")),  # 学术研讨
    (
        "personal",
        _("It seeks to solve a personal problem of the proposer or their relatives"),
    ),  # 为本人或亲属解决个人问题
    ("promotion", _("It promotes a specific work or product")),  # 宣传推介具体作品、产品
    ("accusation", _("It is a named accusation")),  # 指名举报
    ("vague", _("It is vague and makes no concrete suggestion")),  # 内容空泛、没有具体建议
)
DEFAULT_CATEGORIES = (  # the national classification of proposals
    ("economy", _("Economic development")),  # 经济建设
    ("politics", _("Political development")),  # 政治建设
    ("culture", _("Cultural development")),  # 文化建设
    ("society", _("Social development")),  # 社会建设
    ("ecology", _("Ecological civilisation")),  # 生态文明建设
)


def _default_answer_classes() -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in DEFAULT_ANSWER_CLASSES]


def _default_rejection_grounds() -> list[dict[str, str]]:
    return [{"code": code, "label": str(label)} for code, label in DEFAULT_REJECTION_GROUNDS]


# --------------------------------------------------------------------------------------------
# Policy and taxonomy


class ProposalPolicy(models.Model):
    """The rules a committee sets for its proposals and reports 提案工作规则: limits, windows,
    answer classes, rejection grounds, publication."""

    committee = models.OneToOneField(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="proposal_policy",
    )
    body_max_chars = models.PositiveIntegerField(
        _("longest proposal text (characters)"), default=1500
    )
    report_body_max_chars = models.PositiveIntegerField(
        _("longest opinion report text (characters)"), default=1500
    )
    max_suggested_units = models.PositiveSmallIntegerField(
        _("lead units a proposer may suggest"), default=2
    )
    cosign_days = models.PositiveSmallIntegerField(_("days co-signers have to confirm"), default=7)
    plenary_window_days = models.PositiveSmallIntegerField(
        _("days before a plenary session that count as the session"),
        default=90,
        help_text=_(
            "A proposal submitted from this many days before a plenary session until its "
            "last day is a session proposal 大会提案; any other is a proposal between sessions."
        ),
    )
    return_window_days = models.PositiveSmallIntegerField(
        _("working days a unit has to return a wrongly assigned proposal"), default=10
    )
    answer_days = models.PositiveSmallIntegerField(_("days to answer"), default=90)
    cohandling_days = models.PositiveSmallIntegerField(
        _("days co-handling units have to send their opinion"), default=30
    )
    answer_classes = models.JSONField(
        _("answer classes"),
        default=_default_answer_classes,
        help_text=_("A list of {code, label}, e.g. A–C or A–D."),
    )
    rejection_grounds = models.JSONField(
        _("grounds for not accepting"),
        default=_default_rejection_grounds,
        help_text=_("A list of {code, label}; a proposal not accepted cites one of them."),
    )
    publication_enabled = models.BooleanField(
        _("publish accepted proposals and replies on the public site"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(body_max_chars__gte=100) & Q(report_body_max_chars__gte=100),
                name="proposals_proposalpolicy_sane_lengths",
            ),
            models.CheckConstraint(
                condition=Q(max_suggested_units__gte=1), name="proposals_proposalpolicy_one_unit"
            ),
        ]
        verbose_name = _("proposal policy")
        verbose_name_plural = _("proposal policies")

    def __str__(self) -> str:
        return str(self.committee)

    def answer_class_label(self, code: str) -> str:
        return next((c["label"] for c in self.answer_classes if c["code"] == code), code)

    def ground_label(self, code: str) -> str:
        return next((g["label"] for g in self.rejection_grounds if g["code"] == code), code)


class ProposalCategoryQuerySet(models.QuerySet["ProposalCategory"]):
    def visible_to(self, user: Any) -> ProposalCategoryQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            scope.readable_committee_q("committee__")
            | Q(committee_id__in=scope.member_committee_ids)
        )


class ProposalCategory(models.Model):
    """A category 提案类别 of a committee's proposals and reports (经济建设, 社会建设, …)."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="proposal_categories",
    )
    slug = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProposalCategoryQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "slug"), name="proposals_proposalcategory_unique_slug"
            ),
        ]
        verbose_name = _("proposal category")
        verbose_name_plural = _("proposal categories")

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------------------------
# Proposals


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user: Any) -> ProposalQuerySet:
        """Staff: submitted proposals of the committees they read (drafts stay private);
        a member: the proposals they author or co-sign (co-signers once invited) and the key
        proposals they supervise; a handling unit: the proposals assigned to it."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = NOTHING
        if scope.readable_paths:
            q |= scope.readable_committee_q("committee__") & ~Q(
                status__in=Proposal.PRIVATE_STATUSES
            )
        if scope.person_id:
            q |= Q(
                Exists(
                    ProposalAuthor.objects.filter(
                        proposal=OuterRef("pk"), person_id=scope.person_id
                    )
                    .filter(Q(role=ProposalAuthor.Role.FIRST) | ~Q(proposal__status="draft"))
                    .filter(_entitled_proposers())
                )
            )
            q |= Q(
                Exists(
                    KeySupervision.objects.filter(
                        proposal=OuterRef("pk"), leader_id=scope.person_id
                    )
                )
            )
        if scope.unit_ids:
            q |= Q(
                Exists(
                    Assignment.objects.filter(proposal=OuterRef("pk"), unit_id__in=scope.unit_ids)
                )
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> ProposalQuerySet:
        """The proposals whose review and assignment `user` runs: their committee's office."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids).exclude(
            status__in=Proposal.PRIVATE_STATUSES
        )


class Proposal(TimeStampedModel):
    """A proposal 提案: one matter, one proposal (一事一案), put by members or a group."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        JOINT = "joint", _("joint (with co-signers)")
        COLLECTIVE = "collective", _("collective (of a group)")

    class Timing(models.TextChoices):
        PLENARY = "plenary", _("during the plenary session")
        BETWEEN = "between", _("between sessions")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        COSIGNING = "cosigning", _("awaiting co-signers")
        SUBMITTED = "submitted", _("submitted, under review")
        RETURNED = "returned", _("returned for changes")
        WITHDRAWN = "withdrawn", _("withdrawn")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")
        MERGED = "merged", _("merged into another proposal")
        SUGGESTION = "suggestion", _("turned into a suggestion")
        TO_REPORT = "to_report", _("turned into an opinion report")
        HANDLING = "handling", _("being handled")
        ANSWERED = "answered", _("answered, awaiting evaluation")
        CLOSED = "closed", _("closed")

    PRIVATE_STATUSES = (Status.DRAFT, Status.COSIGNING)
    ACCEPTED_STATUSES = (Status.ACCEPTED, Status.HANDLING, Status.ANSWERED, Status.CLOSED)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="proposals"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("plenary session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    timing = models.CharField(_("timing"), max_length=10, choices=Timing.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    group = models.ForeignKey(
        Organization,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("For a collective proposal: the party, sector group or special committee."),
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("first proposer"),
        on_delete=models.PROTECT,
        related_name="proposals_first",
        help_text=_("For a collective proposal: the member who drafts it for the group."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    category = models.ForeignKey(
        ProposalCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    suggested_units = models.ManyToManyField(
        Organization,
        verbose_name=_("suggested lead units"),
        blank=True,
        related_name="suggested_for_proposals",
    )
    no_secret_declared = models.BooleanField(_("contains no state secret"), default=False)
    consent_publication = models.BooleanField(_("may be published"), default=True)
    publication_refusal_reason = models.TextField(_("why it may not be published"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    reference_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("proposal number"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rejection_ground = models.CharField(_("ground"), max_length=40, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    is_key = models.BooleanField(_("key proposal"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year", "reference_seq"),
                condition=Q(reference_seq__isnull=False),
                name="proposals_proposal_unique_reference",
            ),
            models.UniqueConstraint(
                fields=("session", "number"),
                condition=Q(number__isnull=False),
                name="proposals_proposal_unique_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind="collective") | Q(group__isnull=False),
                name="proposals_proposal_collective_has_group",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status="merged"),
                name="proposals_proposal_merged_has_status",
            ),
            models.CheckConstraint(
                condition=Q(no_secret_declared=True) | Q(status="draft"),
                name="proposals_proposal_declared_no_secret",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True)
                | Q(status__in=["accepted", "handling", "answered", "closed"]),
                name="proposals_proposal_number_only_when_accepted",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "status", "submitted_at"], name="proposals_prop_queue_idx"
            ),
            models.Index(fields=["committee", "session", "number"], name="proposals_prop_list_idx"),
            models.Index(fields=["committee", "year", "status"], name="proposals_prop_year_idx"),
            models.Index(fields=["committee", "category"], name="proposals_prop_category_idx"),
            models.Index(fields=["committee", "is_key"], name="proposals_prop_key_idx"),
            models.Index(fields=["committee", "published_at"], name="proposals_prop_public_idx"),
            models.Index(fields=["author", "status"], name="proposals_prop_author_idx"),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.reference or _('draft')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal_detail", args=[self.pk])

    @property
    def number_label(self) -> str:
        """第 0123 号 (the number given on acceptance, four digits)."""
        return f"{self.number:04d}" if self.number else ""

    @property
    def is_private(self) -> bool:
        return self.status in self.PRIVATE_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.status in self.ACCEPTED_STATUSES


class ProposalAuthor(models.Model):
    """A proposer of a proposal 提案人: the first proposer, a co-signer 联名人 (who confirms before
    the deadline), or the author of a proposal merged into it 并案 (who keeps the credit)."""

    class Role(models.TextChoices):
        FIRST = "first", _("first proposer")
        COSIGNER = "cosigner", _("co-signer")
        MERGED = "merged", _("proposer of a merged proposal")

    class State(models.TextChoices):
        INVITED = "invited", _("not yet confirmed")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        LAPSED = "lapsed", _("did not confirm in time")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="authors"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="proposal_authorships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    state = models.CharField(
        _("confirmation"), max_length=10, choices=State.choices, default=State.CONFIRMED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    deadline = models.DateTimeField(_("confirm by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    via = models.ForeignKey(
        Proposal,
        verbose_name=_("from the merged proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("proposal", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("proposal", "person"), name="proposals_proposalauthor_unique_person"
            ),
            models.UniqueConstraint(
                fields=("proposal",),
                condition=Q(role="first"),
                name="proposals_proposalauthor_one_first",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "state"], name="proposals_author_person_idx"),
            models.Index(fields=["committee", "role"], name="proposals_author_stats_idx"),
        ]
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    @property
    def is_lapsed(self) -> bool:
        """Invited, and the deadline passed without an answer: the co-signer drops out."""
        if self.state == self.State.LAPSED:
            return True
        return (
            self.state == self.State.INVITED
            and self.deadline is not None
            and self.deadline < timezone.now()
        )

    @property
    def counts(self) -> bool:
        """Whether this proposer is credited (a co-signer only after confirming)."""
        return self.role != self.Role.COSIGNER or self.state == self.State.CONFIRMED


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user: Any) -> AssignmentQuerySet:
        """Staff: the committees they read; a unit: its own assignments and, while it leads
        (its lead assignment not returned or withdrawn), those of its co-handling units; a
        member: the assignments of the proposals they are credited on."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__") if scope.readable_paths else NOTHING
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
            q |= Q(Exists(_leading(scope.unit_ids)))
        if scope.person_id:
            q |= Q(
                Exists(
                    ProposalAuthor.objects.filter(
                        proposal=OuterRef("proposal"), person_id=scope.person_id
                    ).filter(_entitled_proposers())
                )
            )
        return self.filter(q)


def _leading(unit_ids: Any) -> models.QuerySet[Assignment]:
    """The active lead assignments of these units on the outer row's proposal."""
    return Assignment.objects.filter(
        proposal=OuterRef("proposal"),
        unit_id__in=unit_ids,
        role=Assignment.Role.LEAD,
    ).exclude(status__in=Assignment.ENDED)


class Assignment(TimeStampedModel):
    """A proposal assigned 交办 to one handling unit: as lead 主办, co-handling 会办 or separate
    分办 unit, with its own deadline and state."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")
        COHANDLING = "cohandling", _("co-handling unit")
        SEPARATE = "separate", _("separate unit")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("being handled")
        OPINION_SENT = "opinion_sent", _("opinion sent to the lead unit")
        REPLIED = "replied", _("replied, awaiting evaluation")
        EVALUATED = "evaluated", _("evaluated")
        RETURNED = "returned", _("returned by the unit")
        WITHDRAWN = "withdrawn", _("withdrawn by the office")
        CLOSED = "closed", _("closed with the proposal")

    ENDED = (Status.RETURNED, Status.WITHDRAWN)
    ANSWERING = (Role.LEAD, Role.SEPARATE)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="proposal_assignments",
        limit_choices_to={"classification": Organization.Classification.HANDLING_UNIT},
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.ASSIGNED
    )
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    return_by = models.DateField(_("may be returned until"))
    return_reason = models.TextField(_("why it was returned"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ("proposal", "role", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("proposal", "unit"),
                condition=~Q(status__in=["returned", "withdrawn"]),
                name="proposals_assignment_one_active_per_unit",
            ),
            models.UniqueConstraint(
                fields=("proposal",),
                condition=Q(role="lead") & ~Q(status__in=["returned", "withdrawn"]),
                name="proposals_assignment_one_active_lead",
            ),
            models.CheckConstraint(
                condition=Q(return_by__lte=models.F("due_on")),
                name="proposals_assignment_return_before_due",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="proposals_asg_unit_idx"),
            models.Index(fields=["committee", "status", "due_on"], name="proposals_asg_list_idx"),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.proposal.reference} → {self.unit} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        return self.status not in self.ENDED


class ReplyQuerySet(models.QuerySet["Reply"]):
    def visible_to(self, user: Any) -> ReplyQuerySet:
        """Staff: the committees they read; a unit: what it wrote and, while it is the lead
        unit (not returned or withdrawn), the co-handling opinions sent to it; a member: the
        replies (not opinions) to the proposals they are credited on."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__") if scope.readable_paths else NOTHING
        if scope.unit_ids:
            q |= Q(assignment__unit_id__in=scope.unit_ids)
            q |= Q(kind=Reply.Kind.OPINION) & Q(Exists(_leading(scope.unit_ids)))
        if scope.person_id:
            q |= Q(kind=Reply.Kind.REPLY) & Q(
                Exists(
                    ProposalAuthor.objects.filter(
                        proposal=OuterRef("proposal"), person_id=scope.person_id
                    ).filter(_entitled_proposers())
                )
            )
        return self.filter(q)


class Reply(models.Model):
    """A unit's written answer 答复 to a proposal (with its answer class), or a co-handling
    unit's opinion 会办意见 sent to the lead unit. Recorded first, published separately."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply")
        OPINION = "opinion", _("co-handling opinion")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="replies"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="replies"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    text = models.TextField(_("text"))
    answer_class = models.CharField(_("answer class"), max_length=8, blank=True)
    answer_class_label = models.CharField(_("answer class"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("replied at"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(_("on time"), default=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ("replied_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("assignment", "round", "kind"), name="proposals_reply_one_per_round"
            ),
            models.CheckConstraint(
                condition=Q(kind="opinion") | ~Q(answer_class=""),
                name="proposals_reply_reply_has_class",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(kind="reply"),
                name="proposals_reply_only_replies_published",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "replied_at"], name="proposals_reply_list_idx"),
            models.Index(fields=["proposal", "kind"], name="proposals_reply_prop_idx"),
        ]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assignment.unit} · {self.proposal.reference}"


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, user: Any) -> EvaluationQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__") if scope.readable_paths else NOTHING
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
        if scope.unit_ids:
            q |= Q(reply__assignment__unit_id__in=scope.unit_ids)
        return self.filter(q)


class Evaluation(models.Model):
    """The proposer's evaluation 满意度测评 of one reply: the handling 办理态度 and the result
    办理结果, each satisfied, basically satisfied or unsatisfied."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="evaluations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="+"
    )
    attitude = models.CharField(_("handling"), max_length=12, choices=Rating.choices)
    result = models.CharField(_("result"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    rehandle_requested = models.BooleanField(_("asked for handling again"), default=False)
    created_at = models.DateTimeField(_("evaluated at"))

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("reply", "person"), name="proposals_evaluation_once_per_reply"
            ),
            models.CheckConstraint(
                condition=Q(rehandle_requested=False) | Q(result="unsatisfied"),
                name="proposals_evaluation_rehandle_only_if_unsatisfied",
            ),
        ]
        indexes = [models.Index(fields=["committee", "created_at"], name="proposals_eval_idx")]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_attitude_display()} / {self.get_result_display()}"


class KeySupervisionQuerySet(models.QuerySet["KeySupervision"]):
    def visible_to(self, user: Any) -> KeySupervisionQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__") if scope.readable_paths else NOTHING
        if scope.person_id:
            q |= Q(leader_id=scope.person_id) | Q(
                Exists(
                    ProposalAuthor.objects.filter(
                        proposal=OuterRef("proposal"), person_id=scope.person_id
                    ).filter(_entitled_proposers())
                )
            )
        if scope.unit_ids:
            q |= Q(
                Exists(
                    Assignment.objects.filter(
                        proposal=OuterRef("proposal"), unit_id__in=scope.unit_ids
                    )
                )
            )
        return self.filter(q)


class KeySupervision(models.Model):
    """A key proposal 重点提案 and its supervision 督办 by a leader of the committee."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="key_supervision",
    )
    leader = models.ForeignKey(
        Person,
        verbose_name=_("supervising leader"),
        on_delete=models.PROTECT,
        related_name="supervised_proposals",
    )
    selected_at = models.DateTimeField(_("selected at"))
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("why it is a key proposal"), blank=True)

    objects = KeySupervisionQuerySet.as_manager()

    class Meta:
        ordering = ("-selected_at", "id")
        indexes = [models.Index(fields=["committee", "selected_at"], name="proposals_key_idx")]
        verbose_name = _("key proposal supervision")
        verbose_name_plural = _("key proposal supervisions")

    def __str__(self) -> str:
        return f"{self.proposal} · {self.leader}"


class SupervisionNote(models.Model):
    """A progress note 督办记录 on a key proposal: a meeting, a visit, a result."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    supervision = models.ForeignKey(
        KeySupervision,
        verbose_name=_("supervision"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("supervision", "happened_on", "id")
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.text[:40]}"


# --------------------------------------------------------------------------------------------
# Opinion reports


class OpinionReportQuerySet(models.QuerySet["OpinionReport"]):
    def visible_to(self, user: Any) -> OpinionReportQuerySet:
        """Staff: submitted reports of the committees they read; a member: their own reports.
        Handling units see none."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = NOTHING
        if scope.readable_paths:
            q |= scope.readable_committee_q("committee__") & ~Q(status=OpinionReport.Status.DRAFT)
        if scope.person_id:
            q |= Q(
                Exists(
                    ReportAuthor.objects.filter(report=OuterRef("pk"), person_id=scope.person_id)
                )
            )
        return self.filter(q)


class OpinionReport(TimeStampedModel):
    """An opinion report 社情民意信息: one matter per report (一事一报), short and first-hand,
    checked and edited 核稿 by staff, then accepted 录用 or kept 留存."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        JOINT = "joint", _("joint")
        COLLECTIVE = "collective", _("collective (of a group)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for changes")
        ACCEPTED = "accepted", _("accepted")
        KEPT = "kept", _("kept on file")
        WITHDRAWN = "withdrawn", _("withdrawn")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="opinion_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    group = models.ForeignKey(
        Organization,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_reports",
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("first author"),
        on_delete=models.PROTECT,
        related_name="opinion_reports_first",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    edited_title = models.CharField(_("edited title"), max_length=200, blank=True)
    edited_body = models.TextField(_("edited text"), blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        ProposalCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_reports",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinion_reports",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reference_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    source_proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("from the proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinion_reports",
    )

    objects = OpinionReportQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year", "reference_seq"),
                condition=Q(reference_seq__isnull=False),
                name="proposals_opinionreport_unique_reference",
            ),
            models.CheckConstraint(
                condition=~Q(kind="collective") | Q(group__isnull=False),
                name="proposals_opinionreport_collective_has_group",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "status", "submitted_at"], name="proposals_rep_queue_idx"
            ),
            models.Index(fields=["committee", "year", "status"], name="proposals_rep_year_idx"),
            models.Index(fields=["author", "status"], name="proposals_rep_author_idx"),
        ]
        verbose_name = _("opinion report")
        verbose_name_plural = _("opinion reports")

    def __str__(self) -> str:
        return f"{self.reference or _('draft')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("proposals:report_detail", args=[self.pk])

    @property
    def shown_title(self) -> str:
        """The edited title once staff checked it, else the author's."""
        return self.edited_title or self.title

    @property
    def shown_body(self) -> str:
        return self.edited_body or self.body


class ReportAuthor(models.Model):
    """An author of an opinion report 反映人: the first author or a joint author."""

    class Role(models.TextChoices):
        FIRST = "first", _("first author")
        JOINT = "joint", _("joint author")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        OpinionReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="authors"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="report_authorships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("report", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("report", "person"), name="proposals_reportauthor_unique_person"
            ),
        ]
        indexes = [models.Index(fields=["person", "committee"], name="proposals_rauthor_idx")]
        verbose_name = _("report author")
        verbose_name_plural = _("report authors")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class OpinionAdoptionQuerySet(models.QuerySet["AdoptionEvent"]):
    def visible_to(self, user: Any) -> OpinionAdoptionQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__") if scope.readable_paths else NOTHING
        if scope.person_id:
            q |= Q(
                Exists(
                    ReportAuthor.objects.filter(
                        report=OuterRef("report"), person_id=scope.person_id
                    )
                )
            )
        return self.filter(q)


class AdoptionEvent(models.Model):
    """One link in an opinion report's chain 采用链: at one level (this committee's, a higher one,
    up to the national), by one body (the CPPCC, the Party committee, the government, a
    department), single 单篇 or combined 综合, adopted 采用 / forwarded 转送 / reported 报送 /
    a leader's instruction 批示 / adopted by a department. The scoring rules price each link."""

    class Body(models.TextChoices):
        CPPCC = "cppcc", _("CPPCC committee")
        PARTY = "party", _("Party committee")
        GOVERNMENT = "government", _("government")
        DEPARTMENT = "department", _("government department")

    class Scope(models.TextChoices):
        SINGLE = "single", _("single piece")
        COMBINED = "combined", _("in a combined piece")

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        FORWARDED = "forwarded", _("forwarded")
        REPORTED = "reported", _("reported upwards")
        INSTRUCTION = "instruction", _("leader's instruction")
        DEPARTMENT_ADOPTED = "department_adopted", _("adopted by a department")

    LEVEL_ORDER = {"county": 0, "municipal": 1, "provincial": 2, "national": 3}

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        OpinionReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="adoption_events",
    )
    level = models.CharField(_("level"), max_length=12, choices=Committee.Level.choices)
    body = models.CharField(_("body"), max_length=12, choices=Body.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    by_whom = models.CharField(_("by whom"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date"))
    text = models.TextField(_("text (e.g. the instruction)"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fed_back_at = models.DateTimeField(_("authors told at"), null=True, blank=True)

    objects = OpinionAdoptionQuerySet.as_manager()

    class Meta:
        ordering = ("report", "occurred_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="instruction") | ~Q(by_whom=""),
                name="proposals_adoptionevent_instruction_names_leader",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "occurred_on"], name="proposals_adopt_list_idx"),
            models.Index(fields=["report", "occurred_on"], name="proposals_adopt_report_idx"),
        ]
        verbose_name = _("adoption event")
        verbose_name_plural = _("adoption events")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_level_display()} {self.get_kind_display()}"


class BulletinIssueQuerySet(models.QuerySet["BulletinIssue"]):
    def visible_to(self, user: Any) -> BulletinIssueQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        if not scope.readable_paths:
            return self.none()
        return self.filter(scope.readable_committee_q("committee__"))


class BulletinIssue(models.Model):
    """An issue of the committee's bulletin 《社情民意》第 n 期 and the reports printed in it."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="bulletins"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("issue number"))
    title = models.CharField(_("title"), max_length=100)
    published_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reports: models.ManyToManyField[OpinionReport, BulletinEntry] = models.ManyToManyField(
        OpinionReport, through="BulletinEntry", related_name="bulletin_issues"
    )

    objects = BulletinIssueQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "-year", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year", "number"), name="proposals_bulletinissue_unique"
            ),
        ]
        verbose_name = _("bulletin issue")
        verbose_name_plural = _("bulletin issues")

    def __str__(self) -> str:
        return _("%(title)s %(year)s no. %(number)s") % {
            "title": self.title,
            "year": self.year,
            "number": self.number,
        }


class BulletinEntry(models.Model):
    """A report printed in a bulletin issue, at a position."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    issue = models.ForeignKey(
        BulletinIssue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="entries"
    )
    report = models.ForeignKey(
        OpinionReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="bulletin_entries",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ("issue", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("issue", "report"), name="proposals_bulletinentry_unique_report"
            ),
        ]
        verbose_name = _("bulletin entry")
        verbose_name_plural = _("bulletin entries")

    def __str__(self) -> str:
        return f"{self.issue} · {self.report}"


# --------------------------------------------------------------------------------------------
# Attachments

ATTACHMENT_EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain",
}


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored as proposals/<committee code>/<year>/<random>.<ext>: never the uploaded name."""
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    return f"proposals/{instance.committee.code}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file attached to a proposal, a reply or an opinion report 附件. Served only through a
    view that checks that its owner is visible to the user."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    reply = models.ForeignKey(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    report = models.ForeignKey(
        OpinionReport,
        verbose_name=_("opinion report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=120)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("uploaded_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(proposal__isnull=False, reply__isnull=True, report__isnull=True)
                    | Q(proposal__isnull=True, reply__isnull=False, report__isnull=True)
                    | Q(proposal__isnull=True, reply__isnull=True, report__isnull=False)
                ),
                name="proposals_attachment_one_owner",
            ),
        ]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------------------------
# Indexes for similar items (MinHash + LSH) and full-text search


class IndexKind(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    REPLY = "reply", _("reply")
    REPORT = "report", _("opinion report")


class SimilarityDoc(models.Model):
    """The MinHash signature of one proposal or report, for finding near-duplicates 相似件."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IndexKind.choices)
    object_id = models.BigIntegerField()
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    signature = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "object_id"), name="proposals_similaritydoc_unique_object"
            ),
        ]
        indexes = [models.Index(fields=["committee", "year"], name="proposals_simdoc_idx")]
        verbose_name = _("similarity signature")
        verbose_name_plural = _("similarity signatures")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class SimilarityBand(models.Model):
    """One LSH band hash of a signature: a query is an indexed lookup of its band hashes. The
    year is copied from the document so that the lookup (committee, band hash, year → doc) is
    answered from the index alone."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )
    doc = models.ForeignKey(SimilarityDoc, on_delete=models.CASCADE, related_name="bands")
    band_hash = models.BigIntegerField()
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        indexes = [
            models.Index(
                fields=["committee", "band_hash", "year", "doc"], name="proposals_band_lookup_idx"
            ),
        ]
        verbose_name = _("similarity band")
        verbose_name_plural = _("similarity bands")

    def __str__(self) -> str:
        return str(self.band_hash)


class SearchEntry(models.Model):
    """The search tokens (character bigrams) of a proposal, reply or report 全文检索. SQLite
    indexes them in an FTS5 table, PostgreSQL with a GIN index (see the migration)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IndexKind.choices)
    object_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    tokens = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "object_id"), name="proposals_searchentry_unique_object"
            ),
        ]
        indexes = [models.Index(fields=["committee", "kind"], name="proposals_search_idx")]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
