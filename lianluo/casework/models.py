"""Concerns 群众诉求: what constituents ask of their committee, from intake to a rated answer.

A concern belongs to one committee. It enters through the public form, Open311 or a member's
notes, is screened for spam, triaged, answered directly, forwarded to a handling unit 承办单位 or
turned into a proposal, answered, rated by the constituent and closed. Its states and the steps
between them live in `lianluo.casework.workflow`; every step is an audit event (its timeline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import TimeStampedModel
from lianluo.directory.models import Committee, FocusArea, Organization, Person

if TYPE_CHECKING:
    from lianluo.directory.scoping import Scope

# Tracking codes: ten characters of an alphabet without look-alikes (no 0/O, 1/I), the last one
# a check character (Luhn mod 32).
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def _scope(user: Any) -> Scope:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


def _studios_of(person_id: int) -> models.QuerySet[Any]:
    """The studios where a person serves (liaison.StudioMember), as a subquery."""
    studio = Concern._meta.get_field("studio").related_model
    assert isinstance(studio, type)
    return studio._default_manager.filter(studio_members__membership__person_id=person_id).values(
        "pk"
    )


def _staff_q(scope: Scope) -> Q:
    """Office staff and auditors: every concern of a committee they read."""
    return scope.readable_committee_q("committee__") if scope.readable_paths else Q(pk__in=[])


class StaffOnlyQuerySet(models.QuerySet[Any]):
    """Settings and logs that only the committee's staff (and those above, read-only) see."""

    def visible_to(self, user: Any) -> StaffOnlyQuerySet:
        scope = _scope(user)
        return self if scope.is_superuser else self.filter(_staff_q(scope))


class ConcernPartQuerySet(models.QuerySet[Any]):
    """Replies and attachments: visible with their concern."""

    def visible_to(self, user: Any) -> ConcernPartQuerySet:
        return self.filter(concern__in=Concern.objects.visible_to(user))


class CaseworkPolicy(models.Model):
    """A committee's rules for concerns 诉求办理规则: deadline, reminders, reopening, SMS."""

    committee = models.OneToOneField(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="casework_policy",
    )
    default_deadline_days = models.PositiveSmallIntegerField(
        _("default handling time limit (days)"),
        default=15,
        help_text=_("办理时限: used when a category sets none."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before the deadline"), default=2
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        _("reopening allowed for (days after closing)"), default=15
    )
    rating_link_days = models.PositiveSmallIntegerField(
        _("rating links valid for (days)"), default=30
    )
    sms_enabled = models.BooleanField(
        _("send SMS to constituents"),
        default=True,
        help_text=_("Only to constituents who left a number and consented."),
    )
    public_intake = models.BooleanField(_("accept concerns from the public form"), default=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(default_deadline_days__gte=1, default_deadline_days__lte=365),
                name="casework_caseworkpolicy_deadline_range",
            ),
            models.CheckConstraint(
                condition=Q(rating_link_days__gte=1), name="casework_caseworkpolicy_rating_days"
            ),
        ]
        verbose_name = _("casework policy")
        verbose_name_plural = _("casework policies")

    def __str__(self) -> str:
        return str(self.committee)


class CategoryQuerySet(models.QuerySet["Category"]):
    def visible_to(self, user: Any) -> CategoryQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            _staff_q(scope)
            | Q(committee_id__in=scope.member_committee_ids)
            | Q(committee_id__in=scope.unit_committee_ids)
        )

    def public(self) -> CategoryQuerySet:
        return self.filter(is_active=True)


class Category(models.Model):
    """A kind of concern 诉求类别 of one committee (its Open311 service), with its time limit."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="casework_categories",
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Short key, also the Open311 service code.")
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=40, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("handling time limit (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the committee's default."),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "code"), name="casework_category_unique_code"
            ),
            models.UniqueConstraint(
                fields=("committee", "name"), name="casework_category_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(deadline_days__isnull=True)
                | Q(deadline_days__gte=1, deadline_days__lte=365),
                name="casework_category_deadline_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "is_active", "position"], name="casework_category_list_idx"
            )
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Open311Client(models.Model):
    """An application allowed to submit concerns through Open311 开放接口客户端; only a
    digest of its API key is kept."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="open311_clients",
    )
    name = models.CharField(_("name"), max_length=100)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "name", "id")
        indexes = [models.Index(fields=["committee", "name"], name="casework_o311client_list_idx")]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name


class ConcernQuerySet(models.QuerySet["Concern"]):
    def visible_to(self, user: Any) -> ConcernQuerySet:
        """Staff and auditors: their committees' concerns (those below read-only); a member:
        concerns addressed to them (a convener: also to their sector); a handling unit: only what
        is assigned to it. Anonymous: nothing (the public pages use *_public selectors)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _staff_q(scope)
        own = Q(pk__in=[])
        if scope.person_id is not None:
            own |= Q(member_id=scope.person_id) | Q(studio_id__in=_studios_of(scope.person_id))
        if scope.convened_sector_ids:
            own |= Q(sector_id__in=scope.convened_sector_ids)
        if scope.unit_ids:
            own |= Q(handling_unit_id__in=scope.unit_ids)
        hidden = (Concern.Status.HELD, Concern.Status.DISCARDED)
        return self.filter(q | (own & ~Q(status__in=hidden)))

    def editable_by(self, user: Any) -> ConcernQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)

    def open(self) -> ConcernQuerySet:
        return self.filter(status__in=Concern.OPEN_STATES)

    def public(self) -> ConcernQuerySet:
        """What the public may know exists: everything but screened and discarded submissions."""
        return self.exclude(status__in=(Concern.Status.HELD, Concern.Status.DISCARDED))


class Concern(TimeStampedModel):
    """A constituent's concern 群众诉求: a question, complaint or request to the committee.

    The tracking code 查询码 is what the constituent holds; the public sees only the topic, the
    states and the published reply, never who asked.
    """

    class Status(models.TextChoices):
        HELD = "held", _("held for moderation")
        RECEIVED = "received", _("received")
        TRIAGED = "triaged", _("triaged")
        FORWARDED = "forwarded", _("forwarded to a unit")
        HANDLING = "handling", _("being handled")
        CLARIFICATION = "clarification", _("clarification asked")
        RETURNED = "returned", _("returned by the unit")
        CONVERTED = "converted", _("turned into a proposal or report")
        REPLIED = "replied", _("answered")
        CLOSED = "closed", _("closed")
        MERGED = "merged", _("merged into another")
        DISCARDED = "discarded", _("discarded as spam")

    class Source(models.TextChoices):
        WEB = "web", _("public form")
        OPEN311 = "open311", _("Open311 client")
        VISIT = "visit", _("visit")
        RECEPTION = "reception", _("reception day")
        PHONE = "phone", _("phone call")
        LETTER = "letter", _("letter")
        OTHER = "other", _("other")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        PARTLY_RESOLVED = "partly_resolved", _("partly resolved")
        EXPLAINED = "explained", _("explained, cannot be resolved")
        DECLINED = "declined", _("declined")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    class ConvertedTo(models.TextChoices):
        PROPOSAL = "proposal", _("proposal")
        OPINION_REPORT = "opinion_report", _("opinion report")

    OPEN_STATES = (
        Status.RECEIVED,
        Status.TRIAGED,
        Status.FORWARDED,
        Status.HANDLING,
        Status.CLARIFICATION,
        Status.RETURNED,
        Status.CONVERTED,
        Status.REPLIED,
    )
    DEADLINE_STATES = (Status.FORWARDED, Status.HANDLING, Status.CLARIFICATION)
    ANSWERED_STATES = (Status.REPLIED, Status.CLOSED)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="concerns"
    )
    code = models.CharField(_("tracking code"), max_length=CODE_LENGTH, unique=True)
    topic = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # Where it was addressed: a studio 委员工作室, a sector, a member (each optional).
    studio = models.ForeignKey(
        "liaison.Studio",
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sector_concerns",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
    )
    member = models.ForeignKey(
        Person,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    open311_client = models.ForeignKey(
        Open311Client,
        verbose_name=_("Open311 client"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
    )
    # Personal data (PIPL): optional, only with consent; the mobile is kept encrypted.
    constituent_name = models.CharField(_("name"), max_length=40, blank=True)
    mobile_encrypted = models.TextField(blank=True, editable=False)
    mobile_masked = models.CharField(_("mobile phone"), max_length=11, blank=True, editable=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )
    held_reason = models.CharField(_("held because"), max_length=200, blank=True)
    handling_unit = models.ForeignKey(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_concerns",
        limit_choices_to={"classification": Organization.Classification.HANDLING_UNIT},
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    converted_to = models.CharField(
        _("turned into"), max_length=16, choices=ConvertedTo.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ("-received_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$"),
                name="casework_concern_code_format",
            ),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="casework_concern_merged_has_target",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=("replied", "closed")) & ~Q(outcome=""))
                | (~Q(status__in=("replied", "closed")) & Q(outcome="")),
                name="casework_concern_outcome_when_answered",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(status="closed"),
                name="casework_concern_rating_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=("forwarded", "handling", "clarification"))
                | Q(deadline__isnull=False),
                name="casework_concern_deadline_when_handled",
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | Q(handling_unit__isnull=False),
                name="casework_concern_forwarded_has_unit",
            ),
            models.CheckConstraint(
                condition=(Q(constituent_name="") & Q(mobile_encrypted=""))
                | Q(consent_at__isnull=False),
                name="casework_concern_personal_data_consent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "status", "received_at"], name="casework_concern_inbox_idx"
            ),
            models.Index(fields=["committee", "received_at"], name="casework_concern_recv_idx"),
            models.Index(fields=["committee", "closed_at"], name="casework_concern_closed_idx"),
            models.Index(
                fields=["committee", "category", "status"], name="casework_concern_cat_idx"
            ),
            models.Index(
                fields=["handling_unit", "status", "deadline"], name="casework_concern_unit_idx"
            ),
            models.Index(
                fields=["member", "status", "received_at"], name="casework_concern_member_idx"
            ),
            models.Index(
                fields=["sector", "status", "received_at"], name="casework_concern_sector_idx"
            ),
            models.Index(
                fields=["studio", "status", "received_at"], name="casework_concern_studio_idx"
            ),
            models.Index(fields=["status", "deadline"], name="casework_concern_sweep_idx"),
            models.Index(fields=["received_at"], name="casework_concern_public_idx"),
        ]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")

    def __str__(self) -> str:
        return f"{self.code} {self.topic}"

    @property
    def display_code(self) -> str:
        """The code in two groups of five, easier to read out and type: ABCDE-FGHJK."""
        return f"{self.code[:5]}-{self.code[5:]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in self.DEADLINE_STATES
            and self.deadline is not None
            and self.deadline < timezone.now()
        )

    @property
    def has_personal_data(self) -> bool:
        return bool(self.constituent_name or self.mobile_encrypted)

    @property
    def name_masked(self) -> str:
        name = self.constituent_name
        return f"{name[0]}{'*' * (len(name) - 1)}" if name else ""


class ConcernReply(models.Model):
    """An answer 答复 to a concern, by a unit, a member or the office; a reopened concern may get
    several. The newest is the one published on the tracking page."""

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="replies"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("reply"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Concern.Outcome.choices)
    unit = models.ForeignKey(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ConcernPartQuerySet.as_manager()

    class Meta:
        ordering = ("concern", "created_at", "id")
        indexes = [
            models.Index(fields=["committee", "unit", "created_at"], name="casework_reply_unit_idx")
        ]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.get_outcome_display()}"


class Attachment(models.Model):
    """A file 附件 sent with a concern or a reply: a photo (checked with Pillow, its metadata
    removed) or a PDF. Served only to those who may see the concern."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        PDF = "pdf", _("PDF document")

    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="attachments"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    reply = models.ForeignKey(
        ConcernReply,
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="casework/%Y/%m/")
    name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ConcernPartQuerySet.as_manager()

    class Meta:
        ordering = ("concern", "created_at", "id")
        indexes = [models.Index(fields=["concern", "reply"], name="casework_attachment_idx")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ScreenTermQuerySet(models.QuerySet["ScreenTerm"]):
    def visible_to(self, user: Any) -> ScreenTermQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(_staff_q(scope) | Q(committee__isnull=True))


class ScreenTerm(models.Model):
    """A term of the spam / abuse screen 敏感词: a keyword or a link fragment, for one committee
    or for all. A literal, never a regular expression; matched after folding case, width and
    separators. Submissions that contain one are held for moderation with it as the reason."""

    class Kind(models.TextChoices):
        KEYWORD = "keyword", _("keyword")
        LINK = "link", _("link or domain")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screen_terms",
        help_text=_("Empty: applies to every committee."),
    )
    term = models.CharField(_("term"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.KEYWORD)
    reason = models.CharField(_("reason"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = ScreenTermQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "term")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "term"),
                condition=Q(committee__isnull=False),
                name="casework_screenterm_unique_term",
            ),
            models.UniqueConstraint(
                fields=("term",),
                condition=Q(committee__isnull=True),
                name="casework_screenterm_unique_global_term",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "is_active"], name="casework_screenterm_idx"),
        ]
        verbose_name = _("screen term")
        verbose_name_plural = _("screen terms")

    def __str__(self) -> str:
        return self.term


class UnitEndpoint(models.Model):
    """A handling unit's own system 承办单位对接: concerns forwarded to the unit are also POSTed
    to its URL, signed with HMAC-SHA256 over the body with the shared secret."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.OneToOneField(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.CASCADE,
        related_name="casework_endpoint",
        limit_choices_to={"classification": Organization.Classification.HANDLING_UNIT},
    )
    url = models.URLField(_("webhook URL"), max_length=300)
    secret_encrypted = models.TextField(editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "unit")
        verbose_name = _("unit endpoint")
        verbose_name_plural = _("unit endpoints")

    def __str__(self) -> str:
        return f"{self.unit} → {self.url}"


class WebhookDelivery(models.Model):
    """One POST of a concern to a unit's own system 推送记录, with its send state, attempts,
    next retry (exponential back-off) and the reference the unit's system gave back."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        ABANDONED = "abandoned", _("failed, gave up")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    concern = models.ForeignKey(
        Concern, verbose_name=_("concern"), on_delete=models.PROTECT, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        UnitEndpoint,
        verbose_name=_("unit endpoint"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=30)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    external_ref = models.CharField(_("reference in the unit's system"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="casework_delivery_due_idx"),
            models.Index(
                fields=["committee", "state", "created_at"], name="casework_delivery_list_idx"
            ),
            models.Index(fields=["concern", "created_at"], name="casework_delivery_concern_idx"),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}: {self.state}"
