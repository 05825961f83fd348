"""Studios and liaison 委员工作室与联系界别群众: whom each member serves (联系谁), how they reach
them (怎么联系), and the record of every contact (联系什么).

Everything belongs to a committee: constituent groups and the members assigned to them, studios
with their reception days 接待日, liaison activities with their attachments, constituents in
touch (with minimum personal data), and the annual liaison plan. Members take part through their
seat (a `directory.Membership` without organization) in that committee, so a person with seats in
two committees works for each committee separately.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lianluo.core.chinese import mask_mobile
from lianluo.core.models import TimeStampedModel
from lianluo.directory.models import Committee, FocusArea, Membership, Organization, Person

if TYPE_CHECKING:
    from lianluo.directory.scoping import Scope

AREA_CODE_Q = Q(area_code="") | Q(area_code__regex=r"^[0-9]{6}$")


def _scope(user: Any) -> Scope:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


def _readers(scope: Scope, prefix: str = "committee__") -> Q:
    """Office staff and auditors of the record's committee or of one above it."""
    return scope.readable_committee_q(prefix)


class AreaFields(models.Model):
    """Where something is: an area (district or county) name with its optional division code,
    and an optional town or street 乡镇/街道."""

    area_name = models.CharField(_("area"), max_length=40, blank=True)
    area_code = models.CharField(
        _("area code"),
        max_length=6,
        blank=True,
        help_text=_("Division code of the district or county (GB/T 2260), e.g. 430302."),
    )
    town = models.CharField(_("town or street"), max_length=40, blank=True)

    class Meta:
        abstract = True

    @property
    def area_label(self) -> str:
        return " ".join(part for part in (self.area_name, self.town) if part)


# ---------------------------------------------------------------------------------------------
# Whom each member serves: constituent groups and assignments


class ConstituentGroupQuerySet(models.QuerySet["ConstituentGroup"]):
    def visible_to(self, user: Any) -> ConstituentGroupQuerySet:
        """Readers of the committee; conveners their sector's groups; members their groups."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope)
        if scope.convened_sector_ids:
            q |= Q(sector_id__in=scope.convened_sector_ids)
        if scope.person_id:
            q |= Q(
                Exists(
                    LiaisonAssignment.objects.active().filter(
                        group=OuterRef("pk"), membership__person_id=scope.person_id
                    )
                )
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> ConstituentGroupQuerySet:
        scope = _scope(user)
        return (
            self if scope.is_superuser else self.filter(committee_id__in=scope.office_committee_ids)
        )


class ConstituentGroup(AreaFields, TimeStampedModel):
    """A constituent group 联系对象 that members serve: an industry association, an enterprise,
    a village, a community, a school… It has a sector 界别 and an area, and a contact person."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("industry association")
        ENTERPRISE = "enterprise", _("enterprise")
        VILLAGE = "village", _("village")
        COMMUNITY = "community", _("urban community")
        SCHOOL = "school", _("school")
        HOSPITAL = "hospital", _("hospital or clinic")
        SOCIAL = "social", _("social organization")
        OTHER = "other", _("other")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="constituent_groups",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituent_groups",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
    )
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ConstituentGroupQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "name"), name="liaison_constituentgroup_unique_name"
            ),
            models.CheckConstraint(
                condition=AREA_CODE_Q, name="liaison_constituentgroup_area_code_six_digits"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "is_active", "name"], name="liaison_group_list_idx"),
            models.Index(fields=["committee", "sector"], name="liaison_group_sector_idx"),
            models.Index(fields=["committee", "area_code"], name="liaison_group_area_idx"),
        ]
        verbose_name = _("constituent group")
        verbose_name_plural = _("constituent groups")

    def __str__(self) -> str:
        return self.name

    @property
    def contact_phone_masked(self) -> str:
        return mask_mobile(self.contact_phone) if self.contact_phone else ""


class LiaisonAssignmentQuerySet(models.QuerySet["LiaisonAssignment"]):
    def visible_to(self, user: Any) -> LiaisonAssignmentQuerySet:
        """Readers of the committee; conveners their sector's (group or member); members theirs."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope)
        if scope.convened_sector_ids:
            q |= Q(group__sector_id__in=scope.convened_sector_ids) | Q(
                membership__sector_id__in=scope.convened_sector_ids
            )
        if scope.person_id:
            q |= Q(membership__person_id=scope.person_id)
        return self.filter(q)

    def active(self) -> LiaisonAssignmentQuerySet:
        return self.filter(end_date__isnull=True)


class LiaisonAssignment(TimeStampedModel):
    """A member assigned to serve a constituent group 联系分工: one group, several members; one
    member, several groups. The member takes part through their seat in the group's committee."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead member")
        MEMBER = "member", _("member")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        ConstituentGroup,
        verbose_name=_("constituent group"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = LiaisonAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "group", "-role", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("group", "membership"),
                condition=Q(end_date__isnull=True),
                name="liaison_liaisonassignment_one_active",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="liaison_liaisonassignment_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "end_date", "group"], name="liaison_assign_list_idx"),
            models.Index(fields=["membership", "end_date"], name="liaison_assign_member_idx"),
        ]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")

    def __str__(self) -> str:
        return f"{self.membership.person} → {self.group}"

    @property
    def is_active(self) -> bool:
        return self.end_date is None


# ---------------------------------------------------------------------------------------------
# Studios and reception days


class StudioQuerySet(models.QuerySet["Studio"]):
    def visible_to(self, user: Any) -> StudioQuerySet:
        """Readers of the committee; members serving at the studio; conveners of its sector.
        (Everyone sees published studios on the public pages, through `published()`.)"""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope)
        if scope.convened_sector_ids:
            q |= Q(sector_id__in=scope.convened_sector_ids)
        if scope.person_id:
            q |= Q(
                Exists(
                    StudioMember.objects.filter(
                        studio=OuterRef("pk"), membership__person_id=scope.person_id
                    )
                )
            )
        return self.filter(q)

    def published(self) -> StudioQuerySet:
        return self.filter(status=Studio.Status.PUBLISHED)


class Studio(AreaFields, TimeStampedModel):
    """A members' studio 委员工作室: a place (and an online page) where members receive
    constituents on reception days 接待日, hosted by an organization."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="studios"
    )
    name = models.CharField(_("name"), max_length=100)
    host_organization = models.CharField(_("host organization"), max_length=100, blank=True)
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
        help_text=_("For a sector's studio 界别委员工作室; empty for a studio of an area."),
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(
        _("contact phone"),
        max_length=20,
        blank=True,
        help_text=_("The studio's public phone number (published)."),
    )
    online_url = models.URLField(_("online page elsewhere"), blank=True)
    description = models.TextField(_("description"), blank=True)
    reception_note = models.CharField(
        _("reception days (as published)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “the 10th and 20th of each month, 9:00–11:30”."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = StudioQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "name"), name="liaison_studio_unique_name"
            ),
            models.CheckConstraint(
                condition=AREA_CODE_Q, name="liaison_studio_area_code_six_digits"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | (Q(latitude__gte=-90) & Q(latitude__lte=90)),
                name="liaison_studio_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | (Q(longitude__gte=-180) & Q(longitude__lte=180)),
                name="liaison_studio_longitude_range",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "name"], name="liaison_studio_list_idx"),
            models.Index(fields=["status", "area_code", "name"], name="liaison_studio_public_idx"),
        ]
        verbose_name = _("studio")
        verbose_name_plural = _("studios")

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class StudioMember(models.Model):
    """A member who serves at a studio 工作室委员 (through their seat in its committee); one of them
    may lead it 领衔委员."""

    class Role(models.TextChoices):
        HOST = "host", _("lead member")
        MEMBER = "member", _("member")

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="studio_members"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="studio_roles",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ("studio", "-role", "membership__person__name_sort_key", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("studio", "membership"), name="liaison_studiomember_unique"
            ),
        ]
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")

    def __str__(self) -> str:
        return f"{self.studio} · {self.membership.person}"


class ReceptionDayQuerySet(models.QuerySet["ReceptionDay"]):
    def visible_to(self, user: Any) -> ReceptionDayQuerySet:
        """Readers of the committee; members on duty or serving at the studio; conveners of the
        studio's sector."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope)
        if scope.convened_sector_ids:
            q |= Q(studio__sector_id__in=scope.convened_sector_ids)
        if scope.person_id:
            q |= Q(
                Exists(
                    ReceptionDuty.objects.filter(
                        reception_day=OuterRef("pk"), membership__person_id=scope.person_id
                    )
                )
            ) | Q(
                Exists(
                    StudioMember.objects.filter(
                        studio=OuterRef("studio_id"), membership__person_id=scope.person_id
                    )
                )
            )
        return self.filter(q)

    def published(self) -> ReceptionDayQuerySet:
        return self.filter(status=ReceptionDay.Status.PUBLISHED)


class ReceptionDay(TimeStampedModel):
    """A reception day 接待日 of a studio: a date and hours when named members are on duty to
    receive constituents. Staff publish it; a cancelled day stays (calendars must learn of it)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised on every change, for calendar clients.")
    )
    members_on_duty: models.ManyToManyField[Membership, ReceptionDuty] = models.ManyToManyField(
        Membership,
        verbose_name=_("members on duty"),
        through="ReceptionDuty",
        related_name="reception_days",
        blank=True,
    )

    objects = ReceptionDayQuerySet.as_manager()

    class Meta:
        ordering = ("date", "start_time", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("studio", "date", "start_time"), name="liaison_receptionday_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="liaison_receptionday_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["studio", "status", "date"], name="liaison_rday_studio_idx"),
            models.Index(fields=["committee", "date"], name="liaison_rday_committee_idx"),
        ]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")

    def __str__(self) -> str:
        return f"{self.studio} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    @property
    def starts(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time)

    @property
    def ends(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end_time)


class ReceptionDuty(models.Model):
    """A member on duty 值班委员 on one reception day."""

    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="duties"
    )

    class Meta:
        ordering = ("reception_day", "membership__person__name_sort_key", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("reception_day", "membership"), name="liaison_receptionduty_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "reception_day"], name="liaison_duty_member_idx")
        ]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")

    def __str__(self) -> str:
        return f"{self.reception_day} · {self.membership.person}"


class MemberCalendarQuerySet(models.QuerySet["MemberCalendar"]):
    def visible_to(self, user: Any) -> MemberCalendarQuerySet:
        """Only the member themselves (the token is a secret)."""
        scope = _scope(user)
        return self.filter(person_id=scope.person_id) if scope.person_id else self.none()


class MemberCalendar(models.Model):
    """A member's private calendar feed 值班日历: a secret token in the address of an iCalendar
    feed of their duty days, in every committee. Regenerating it disables the old address.

    It belongs to a person rather than a committee: one feed for all of a person's seats."""

    person = models.OneToOneField(
        Person, verbose_name=_("member"), on_delete=models.CASCADE, related_name="liaison_calendar"
    )
    token = models.CharField(_("secret token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    objects = MemberCalendarQuerySet.as_manager()

    class Meta:
        verbose_name = _("member calendar feed")
        verbose_name_plural = _("member calendar feeds")

    def __str__(self) -> str:
        return str(self.person)


# ---------------------------------------------------------------------------------------------
# Liaison activities


class LiaisonActivityQuerySet(models.QuerySet["LiaisonActivity"]):
    def visible_to(self, user: Any) -> LiaisonActivityQuerySet:
        """Readers of the committee; members the activities they took part in or recorded;
        conveners their sector's (the activity's sector or a participant's seat)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope)
        if scope.convened_sector_ids:
            q |= Q(sector_id__in=scope.convened_sector_ids) | Q(
                Exists(
                    ActivityParticipant.objects.filter(
                        activity=OuterRef("pk"),
                        membership__sector_id__in=scope.convened_sector_ids,
                    )
                )
            )
        if scope.person_id:
            q |= Q(
                Exists(
                    ActivityParticipant.objects.filter(
                        activity=OuterRef("pk"), membership__person_id=scope.person_id
                    )
                )
            )
        if scope.user_id:
            q |= Q(recorded_by_id=scope.user_id)
        return self.filter(q)


class LiaisonActivity(TimeStampedModel):
    """A liaison activity 联系活动: one contact of members with constituents — a visit, a
    reception, a forum, a survey, an online exchange or a sector activity — with whom it reached,
    what it was about and what follows from it."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        RECEPTION = "reception", _("reception")
        FORUM = "forum", _("forum")
        SURVEY = "survey", _("survey")
        ONLINE = "online", _("online exchange")
        SECTOR = "sector", _("sector activity")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="liaison_activities",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_activities",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
        help_text=_("The sector whose constituents it served."),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_activities",
    )
    headcount = models.PositiveIntegerField(_("constituents reached (head-count)"), default=0)
    summary = models.TextField(_("summary"))
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    participants: models.ManyToManyField[Membership, ActivityParticipant] = models.ManyToManyField(
        Membership,
        verbose_name=_("participating members"),
        through="ActivityParticipant",
        related_name="liaison_activities",
    )
    groups: models.ManyToManyField[ConstituentGroup, ActivityGroup] = models.ManyToManyField(
        ConstituentGroup,
        verbose_name=_("constituent groups reached"),
        through="ActivityGroup",
        related_name="activities",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LiaisonActivityQuerySet.as_manager()

    class Meta:
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["visit", "reception", "forum", "survey", "online", "sector"]),
                name="liaison_liaisonactivity_known_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "-date", "-id"], name="liaison_act_list_idx"),
            models.Index(fields=["committee", "kind", "-date"], name="liaison_act_kind_idx"),
            models.Index(fields=["committee", "sector", "date"], name="liaison_act_sector_idx"),
            models.Index(fields=["committee", "focus_area", "date"], name="liaison_act_focus_idx"),
            models.Index(fields=["studio", "date"], name="liaison_act_studio_idx"),
            models.Index(fields=["recorded_by", "-date"], name="liaison_act_recorder_idx"),
        ]
        verbose_name = _("liaison activity")
        verbose_name_plural = _("liaison activities")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.place}".strip()


class ActivityParticipant(models.Model):
    """A member who took part in an activity (through their seat in its committee)."""

    activity = models.ForeignKey(
        LiaisonActivity, on_delete=models.CASCADE, related_name="participant_links"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("activity", "membership"), name="liaison_activityparticipant_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "activity"], name="liaison_part_member_idx"),
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.membership_id}"


class ActivityGroup(models.Model):
    """A constituent group an activity reached."""

    activity = models.ForeignKey(
        LiaisonActivity, on_delete=models.CASCADE, related_name="group_links"
    )
    group = models.ForeignKey(
        ConstituentGroup, on_delete=models.PROTECT, related_name="activity_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("activity", "group"), name="liaison_activitygroup_unique"
            ),
        ]
        indexes = [models.Index(fields=["group", "activity"], name="liaison_actgroup_group_idx")]
        verbose_name = _("group reached")
        verbose_name_plural = _("groups reached")

    def __str__(self) -> str:
        return f"{self.activity_id} · {self.group_id}"


class LiaisonAttachmentQuerySet(models.QuerySet["LiaisonAttachment"]):
    def visible_to(self, user: Any) -> LiaisonAttachmentQuerySet:
        """Whoever may see the activity."""
        return self.filter(activity__in=LiaisonActivity.objects.visible_to(user).values("pk"))


def attachment_path(instance: LiaisonAttachment, filename: str) -> str:
    """MEDIA_ROOT/liaison/YYYY/MM/<random>.<ext>: never the uploader's file name."""
    import secrets

    from django.utils import timezone

    now = timezone.localdate()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"liaison/{now:%Y}/{now:%m}/{secrets.token_urlsafe(18)}.{extension}"


class LiaisonAttachment(models.Model):
    """A photo or document 附件 of an activity. Stored under MEDIA_ROOT with a random name and
    served only through a view that checks the activity's visibility."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("photo")
        DOCUMENT = "document", _("document")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        LiaisonActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"))

    objects = LiaisonAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ("activity", "id")
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Constituents in touch (personal data: minimum, masked, consented, access logged)


class ConstituentContactQuerySet(models.QuerySet["ConstituentContact"]):
    def visible_to(self, user: Any) -> ConstituentContactQuerySet:
        """Only the committee's office, the member who owns the contact, and the members who
        serve at the studio that owns it — not the committees above, not auditors (PIPL)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = Q(committee_id__in=scope.office_committee_ids)
        if scope.person_id:
            q |= Q(membership__person_id=scope.person_id) | Q(
                Exists(
                    StudioMember.objects.filter(
                        studio=OuterRef("studio_id"), membership__person_id=scope.person_id
                    )
                )
            )
        return self.filter(q)


class ConstituentContact(TimeStampedModel):
    """A constituent 群众 a member or a studio is in touch with. Minimum personal data: a name,
    a phone (shown masked; showing it in full is logged), how consent was given, short notes."""

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("in writing")
        VERBAL = "verbal", _("verbally, noted by the member")
        ONLINE = "online", _("online form")
        WECHAT = "wechat", _("WeChat message")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=40)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    group = models.ForeignKey(
        ConstituentGroup,
        verbose_name=_("constituent group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("member in touch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituent_contacts",
    )
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("studio in touch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    notes = models.CharField(
        _("notes"),
        max_length=200,
        blank=True,
        help_text=_("Only what the liaison needs. No ID numbers, no health or family details."),
    )

    objects = ConstituentContactQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "name", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(membership__isnull=False) & Q(studio__isnull=True))
                | (Q(membership__isnull=True) & Q(studio__isnull=False)),
                name="liaison_constituentcontact_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(consent_given=True)
                & Q(consent_date__isnull=False)
                & ~Q(consent_method=""),
                name="liaison_constituentcontact_consented",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "name"], name="liaison_contact_list_idx"),
            models.Index(fields=["membership"], name="liaison_contact_member_idx"),
            models.Index(fields=["studio"], name="liaison_contact_studio_idx"),
        ]
        verbose_name = _("constituent contact")
        verbose_name_plural = _("constituent contacts")

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_mobile(self.phone) if self.phone else ""


# ---------------------------------------------------------------------------------------------
# Organisational guidance: the annual liaison plan


class LiaisonPlanQuerySet(models.QuerySet["LiaisonPlan"]):
    def visible_to(self, user: Any) -> LiaisonPlanQuerySet:
        """Readers of the committee (drafts too); members of the committee its published plans."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _readers(scope) | Q(published=True, committee_id__in=scope.member_committee_ids)
        return self.filter(q)


class LiaisonPlan(TimeStampedModel):
    """The annual liaison plan 年度联系工作计划 the office publishes: tasks per sector or sector
    group that members and conveners measure their work against."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="liaison_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = LiaisonPlanQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "-year")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "year"), name="liaison_liaisonplan_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="liaison_liaisonplan_year_range",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "published", "year"], name="liaison_plan_list_idx")
        ]
        verbose_name = _("liaison plan")
        verbose_name_plural = _("liaison plans")

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    """One task of a plan 计划任务, e.g. “each member: at least 4 contacts a year” or “at least
    one reception day a quarter”, for all members, one sector or one sector group."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("all members")
        SECTOR = "sector", _("the members of a sector")
        SECTOR_GROUP = "sector_group", _("the members of a sector group")

    class Metric(models.TextChoices):
        CONTACTS = "contacts", _("liaison activities (any kind)")
        DUTY_DAYS = "duty_days", _("reception days on duty")
        ACTIVITIES_OF_KIND = "activities_of_kind", _("activities of one kind")

    class Period(models.TextChoices):
        YEAR = "year", _("per year")
        QUARTER = "quarter", _("per quarter")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        LiaisonPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    applies_to = models.CharField(
        _("applies to"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
    )
    sector_group = models.ForeignKey(
        Organization,
        verbose_name=_("sector group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"classification": Organization.Classification.SECTOR_GROUP},
    )
    metric = models.CharField(_("what is counted"), max_length=20, choices=Metric.choices)
    activity_kind = models.CharField(
        _("activity kind"), max_length=12, choices=LiaisonActivity.Kind.choices, blank=True
    )
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.YEAR
    )
    target = models.PositiveSmallIntegerField(_("at least"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ("plan", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(applies_to="all") & Q(sector__isnull=True) & Q(sector_group__isnull=True)
                )
                | (Q(applies_to="sector") & Q(sector__isnull=False) & Q(sector_group__isnull=True))
                | (
                    Q(applies_to="sector_group")
                    & Q(sector__isnull=True)
                    & Q(sector_group__isnull=False)
                ),
                name="liaison_plantask_applies_to_consistent",
            ),
            models.CheckConstraint(
                condition=(Q(metric="activities_of_kind") & ~Q(activity_kind=""))
                | (~Q(metric="activities_of_kind") & Q(activity_kind="")),
                name="liaison_plantask_kind_only_for_kind_metric",
            ),
            models.CheckConstraint(
                condition=Q(target__gte=1), name="liaison_plantask_target_positive"
            ),
        ]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")

    def __str__(self) -> str:
        return self.description or self.label

    @property
    def label(self) -> str:
        """“at least 4 liaison activities per year” — what the task asks, in words."""
        what = (
            LiaisonActivity.Kind(self.activity_kind).label
            if self.metric == self.Metric.ACTIVITIES_OF_KIND and self.activity_kind
            else self.get_metric_display()
        )
        return _("at least %(target)s × %(what)s %(period)s") % {
            "target": self.target,
            "what": what,
            "period": self.get_period_display(),
        }
