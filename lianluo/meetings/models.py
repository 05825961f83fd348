"""Meetings and activities 会议/活动, invitations, leave 请假, check-in 签到, attendance 考勤,
speeches 发言 and research reports 调研报告.

Every row belongs to a committee (a `committee` foreign key, copied from the meeting where the
row hangs off one) so that scoping is one filter. Attendance is half of the 双考 assessment: an
attendance record is computed once, when the office closes the meeting, and changed afterwards
only through an AttendanceCorrection that keeps the earlier value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import TimeStampedModel
from lianluo.directory.models import (
    Committee,
    FocusArea,
    Membership,
    Organization,
    Person,
    Term,
)

if TYPE_CHECKING:
    from lianluo.directory.scoping import Scope


def _scope(user: Any) -> Scope:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


def approver_grip(user: Any) -> dict[str, frozenset[int]]:
    """Where `user` (through their person) may decide leave requests as a named approver:
    committees they chair, committees where they are a vice chair, organizations they direct or
    convene. Computed once per request (one query) and cached on the user."""
    cached = getattr(user, "_meetings_approver_grip", None)
    if cached is not None:
        return cached
    grip: dict[str, set[int]] = {"chair": set(), "vice_chair": set(), "organizations": set()}
    person_id = _scope(user).person_id
    if person_id is not None:
        rows = Membership.objects.filter(
            person_id=person_id,
            status=Membership.Status.SERVING,
            role__in=(
                Membership.Role.CHAIR,
                Membership.Role.VICE_CHAIR,
                Membership.Role.DIRECTOR,
                Membership.Role.DEPUTY_DIRECTOR,
                Membership.Role.CONVENER,
                Membership.Role.DEPUTY_CONVENER,
            ),
        ).values_list("committee_id", "organization_id", "role")
        for committee_id, organization_id, role in rows:
            if organization_id is not None:
                grip["organizations"].add(organization_id)
            elif role == Membership.Role.CHAIR:
                grip["chair"].add(committee_id)
                grip["vice_chair"].add(committee_id)
            elif role == Membership.Role.VICE_CHAIR:
                grip["vice_chair"].add(committee_id)
    frozen = {key: frozenset(value) for key, value in grip.items()}
    if user is not None and getattr(user, "is_authenticated", False):
        user._meetings_approver_grip = frozen
    return frozen


class ApproverRole(models.TextChoices):
    """Who decides leave requests for a meeting kind (the committee's setting)."""

    CHAIR = "chair", _("the chair")
    VICE_CHAIR = "vice_chair", _("the chair or a vice chair")
    ORGANIZER_HEAD = "organizer_head", _("the head of the organising special committee or group")
    OFFICE = "office", _("the office")


class MeetingKind(models.TextChoices):
    """The kinds of meetings and activities 会议和活动类型."""

    PLENARY = "plenary", _("plenary session")
    STANDING = "standing", _("standing committee meeting")
    CHAIRS = "chairs", _("chair's meeting")
    THEMATIC = "thematic", _("thematic consultation")
    SECTOR = "sector", _("sector consultation")
    GRASSROOTS = "grassroots", _("consultation with the grassroots")
    INSPECTION = "inspection", _("inspection")
    SURVEY = "survey", _("survey")
    SUPERVISION = "supervision", _("democratic supervision")
    TRAINING = "training", _("training")
    STUDIO = "studio", _("studio activity")


# ----------------------------------------------------------------------------------------------
# QuerySets: visibility built from the user's Scope, the same rules as the registry.
# ----------------------------------------------------------------------------------------------


def _staff_q(scope: Scope, prefix: str = "") -> Q:
    return scope.readable_committee_q(f"{prefix}committee__")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user: Any) -> MeetingQuerySet:
        """Staff: their committee's meetings and, read-only, those of committees below. A
        member: the published meetings they are invited to. A convener: also those of their
        sector (organised by it or with a member of it invited). Handling units: none."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _staff_q(scope)
        published = ~Q(status=Meeting.Status.DRAFT)
        if scope.person_id is not None:
            q |= published & Q(
                Exists(Invitation.objects.filter(meeting=OuterRef("pk"), person_id=scope.person_id))
            )
        if scope.convened_sector_ids:
            q |= published & (
                Q(organizer_id__in=scope.convened_sector_ids)
                | Q(
                    Exists(
                        Invitation.objects.filter(
                            meeting=OuterRef("pk"), sector_id__in=scope.convened_sector_ids
                        )
                    )
                )
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> MeetingQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)


class _PersonRowQuerySet(models.QuerySet[Any]):
    """Rows about one invited person (invitations, attendance, leave): staff see their
    committees', a member their own, a convener their sector's (never of a draft meeting)."""

    sector_path = "sector_id"
    meeting_path = "meeting__"

    def visible_to(self, user: Any) -> Any:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _staff_q(scope)
        published = ~Q(**{f"{self.meeting_path}status": Meeting.Status.DRAFT})
        if scope.person_id is not None:
            q |= published & Q(person_id=scope.person_id)
        if scope.convened_sector_ids:
            q |= published & Q(**{f"{self.sector_path}__in": scope.convened_sector_ids})
        return self.filter(q)

    def editable_by(self, user: Any) -> Any:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)


class InvitationQuerySet(_PersonRowQuerySet):
    pass


class AttendanceRecordQuerySet(_PersonRowQuerySet):
    pass


class LeaveRequestQuerySet(_PersonRowQuerySet):
    sector_path = "invitation__sector_id"

    def visible_to(self, user: Any) -> Any:
        """As the other rows about a person, plus the requests that the user decides as the
        approver the committee named (chair, vice chair, head of the organiser)."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        base = super().visible_to(user)
        grip = approver_grip(user)
        if not any(grip.values()):
            return base
        return self.filter(Q(pk__in=base.values("pk")) | self.approver_q(grip))

    @staticmethod
    def approver_q(grip: dict[str, frozenset[int]]) -> Q:
        return (
            Q(approver_role=ApproverRole.CHAIR, committee_id__in=grip["chair"])
            | Q(approver_role=ApproverRole.VICE_CHAIR, committee_id__in=grip["vice_chair"])
            | Q(
                approver_role=ApproverRole.ORGANIZER_HEAD,
                meeting__organizer_id__in=grip["organizations"],
            )
        )


class AttendanceCorrectionQuerySet(models.QuerySet["AttendanceCorrection"]):
    def visible_to(self, user: Any) -> AttendanceCorrectionQuerySet:
        return self.filter(record__in=AttendanceRecord.objects.visible_to(user).values("pk"))


class CommitteeRowQuerySet(models.QuerySet[Any]):
    """Rows seen by the staff of the committee (and, read-only, of committees above) only."""

    def visible_to(self, user: Any) -> Any:
        scope = _scope(user)
        return self if scope.is_superuser else self.filter(_staff_q(scope))

    def editable_by(self, user: Any) -> Any:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)


class MeetingAttachmentQuerySet(models.QuerySet["MeetingAttachment"]):
    def visible_to(self, user: Any) -> MeetingAttachmentQuerySet:
        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


def _sector_people_q(scope: Scope, people_path: str) -> Q:
    """People holding a seat in one of the sectors this user convenes."""
    return Q(
        **{
            f"{people_path}__in": Membership.objects.filter(
                sector_id__in=scope.convened_sector_ids
            ).values("person_id")
        }
    )


class SpeechQuerySet(models.QuerySet["Speech"]):
    def visible_to(self, user: Any) -> SpeechQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _staff_q(scope)
        if scope.person_id is not None:
            q |= Q(
                pk__in=Speech.speakers.through.objects.filter(person_id=scope.person_id).values(
                    "speech_id"
                )
            )
        if scope.convened_sector_ids:
            q |= Q(
                pk__in=Speech.speakers.through.objects.filter(
                    _sector_people_q(scope, "person_id")
                ).values("speech_id")
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> SpeechQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)


class ResearchReportQuerySet(models.QuerySet["ResearchReport"]):
    def visible_to(self, user: Any) -> ResearchReportQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = _staff_q(scope)
        authors = ResearchReport.author_people.through.objects
        if scope.person_id is not None:
            q |= Q(pk__in=authors.filter(person_id=scope.person_id).values("researchreport_id"))
        if scope.convened_sector_ids:
            q |= Q(
                pk__in=authors.filter(_sector_people_q(scope, "person_id")).values(
                    "researchreport_id"
                )
            )
            q |= Q(
                pk__in=ResearchReport.author_organizations.through.objects.filter(
                    organization_id__in=scope.convened_sector_ids
                ).values("researchreport_id")
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> ResearchReportQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)


class AdoptionEventQuerySet(models.QuerySet["AdoptionEvent"]):
    def visible_to(self, user: Any) -> AdoptionEventQuerySet:
        return self.filter(report__in=ResearchReport.objects.visible_to(user).values("pk"))


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def visible_to(self, user: Any) -> CalendarFeedQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(person_id=scope.person_id) if scope.person_id else self.none()


# ----------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------


class MeetingKindPolicy(models.Model):
    """A committee's rules for one kind of meeting 会议考勤设置: who approves leave, how many
    leave requests a member may make, the leave cut-off, the check-in window, when an arrival
    counts as late, and the thresholds of repeated absence 无故缺席 that its rules act on.

    Without a row, `selectors.policy_for` uses the defaults (DEFAULTS); the office can always
    decide leave requests, whoever the named approver is."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="meeting_policies",
    )
    kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    approver_role = models.CharField(
        _("leave approved by"), max_length=20, choices=ApproverRole.choices
    )
    max_leave_requests_per_meeting = models.PositiveSmallIntegerField(
        _("leave requests per member and meeting"),
        default=2,
        help_text=_("How many times a member may ask for leave from one meeting."),
    )
    max_leave_requests_per_year = models.PositiveSmallIntegerField(
        _("leave requests per member and year"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Withdrawn requests do not count."),
    )
    leave_cutoff_hours = models.PositiveSmallIntegerField(
        _("leave cut-off (hours before the start)"),
        default=24,
        help_text=_("A request after this is marked late."),
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the start)"), default=60
    )
    checkin_closes_minutes = models.PositiveSmallIntegerField(
        _("check-in closes (minutes after the start)"), default=120
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes after the start)"), default=15
    )
    consecutive_absence_threshold = models.PositiveSmallIntegerField(
        _("consecutive absences without leave that are reported"),
        null=True,
        blank=True,
        help_text=_("E.g. 2: absent without leave from two meetings of this kind in a row."),
    )
    yearly_absence_threshold = models.PositiveSmallIntegerField(
        _("absences without leave in a year that are reported"), null=True, blank=True
    )

    objects = CommitteeRowQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "kind")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "kind"), name="meetings_meetingkindpolicy_unique_kind"
            ),
            models.CheckConstraint(
                condition=Q(consecutive_absence_threshold__isnull=True)
                | Q(consecutive_absence_threshold__gte=1),
                name="meetings_meetingkindpolicy_consecutive_positive",
            ),
            models.CheckConstraint(
                condition=Q(yearly_absence_threshold__isnull=True)
                | Q(yearly_absence_threshold__gte=1),
                name="meetings_meetingkindpolicy_yearly_positive",
            ),
        ]
        verbose_name = _("meeting kind policy")
        verbose_name_plural = _("meeting kind policies")

    def __str__(self) -> str:
        return f"{self.committee} · {self.get_kind_display()}"


class Meeting(TimeStampedModel):
    """A meeting or activity 会议/活动 of a committee: a plenary session, a consultation, an
    inspection, a survey, a training…; its organiser, focus area, agenda, and how members take
    part (mandatory 必须参加, by invitation 邀请参加, by sign-up 报名参加)."""

    Kind = MeetingKind

    class Participation(models.TextChoices):
        MANDATORY = "mandatory", _("mandatory")
        INVITATION = "invitation", _("by invitation")
        SIGN_UP = "sign_up", _("by sign-up")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        IN_PROGRESS = "in_progress", _("in progress")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_meetings",
        help_text=_("Empty: the committee's office."),
    )
    studio_name = models.CharField(
        _("organising studio"),
        max_length=100,
        blank=True,
        help_text=_("For a studio activity: the members' studio that organises it."),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    agenda = models.TextField(_("agenda"), blank=True)
    participation = models.CharField(
        _("participation"),
        max_length=12,
        choices=Participation.choices,
        default=Participation.INVITATION,
    )
    signup_deadline = models.DateTimeField(_("sign-up deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    checkin_token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meetings_meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meetings_meeting_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(participation="sign_up")
                | (Q(capacity__isnull=True) & Q(signup_deadline__isnull=True)),
                name="meetings_meeting_capacity_only_for_sign_up",
            ),
            models.CheckConstraint(
                condition=Q(signup_deadline__isnull=True)
                | Q(signup_deadline__lte=models.F("starts_at")),
                name="meetings_meeting_deadline_before_start",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "starts_at"], name="meetings_meeting_list_idx"),
            models.Index(
                fields=["committee", "kind", "starts_at"], name="meetings_meeting_kind_idx"
            ),
            models.Index(
                fields=["committee", "status", "starts_at"], name="meetings_meeting_status_idx"
            ),
            models.Index(fields=["term", "kind"], name="meetings_meeting_term_idx"),
        ]
        verbose_name = _("meeting or activity")
        verbose_name_plural = _("meetings and activities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_sign_up(self) -> bool:
        return self.participation == self.Participation.SIGN_UP


class MeetingAttachment(models.Model):
    """A file of a meeting 会议材料: the notice, the agenda, a background paper. Served only to
    those who may see the meeting."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/%Y/")
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = MeetingAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ("meeting", "uploaded_at", "id")
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """One person's place on a meeting's list 参会人员: invited (attendance expected), or for a
    sign-up activity offered, signed up, on the waiting list or withdrawn. One per meeting and
    person. The seat (and its sector and role) is kept as it was when the person was invited,
    so statistics stay exact when a seat changes later. Check-in facts (time, late arrival,
    early leave, how it was recorded) are kept here until the meeting is closed."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        OFFERED = "offered", _("may sign up")
        SIGNED_UP = "signed_up", _("signed up")
        WAITLISTED = "waitlisted", _("on the waiting list")
        WITHDRAWN = "withdrawn", _("withdrawn")
        CANCELLED = "cancelled", _("taken off the list")

    class Source(models.TextChoices):
        ALL_MEMBERS = "all_members", _("all serving members")
        STANDING = "standing", _("standing committee members")
        SECTOR = "sector", _("a sector")
        ORGANIZATION = "organization", _("a special committee or group")
        NAMES = "names", _("by name")

    class CheckinMethod(models.TextChoices):
        QR = "qr", _("QR code")
        STAFF = "staff", _("marked by staff")
        IMPORT = "import", _("sign-in sheet")

    EXPECTED = (Status.INVITED, Status.SIGNED_UP)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="invitations"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    source = models.CharField(_("invited as"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    invited_at = models.DateTimeField(_("invited at"))
    signed_up_at = models.DateTimeField(
        _("signed up at"), null=True, blank=True, help_text=_("Orders the waiting list.")
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_method = models.CharField(
        _("check-in"), max_length=10, choices=CheckinMethod.choices, blank=True
    )
    arrived_late = models.BooleanField(_("arrived late"), default=False)
    left_early = models.BooleanField(_("left early"), default=False)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ("meeting", "person__name_sort_key", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("meeting", "person"), name="meetings_invitation_unique_person"
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=False) | Q(checkin_method=""),
                name="meetings_invitation_method_needs_checkin",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status"], name="meetings_inv_meeting_idx"),
            models.Index(
                fields=["meeting", "status", "signed_up_at"], name="meetings_inv_waitlist_idx"
            ),
            models.Index(fields=["person", "status"], name="meetings_inv_person_idx"),
            models.Index(fields=["committee", "sector"], name="meetings_inv_sector_idx"),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.meeting} · {self.person}"

    @property
    def is_expected(self) -> bool:
        return self.status in self.EXPECTED


class LeaveRequest(models.Model):
    """A member's request for leave 请假 from one meeting, with its reason, decided by the
    approver the committee names for the meeting kind (or the office). A request made after the
    committee's cut-off is marked late. Its workflow is in `meetings.workflow`."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN = (Status.REQUESTED, Status.APPROVED)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    is_late = models.BooleanField(_("late request"), default=False)
    approver_role = models.CharField(_("decided by"), max_length=20, choices=ApproverRole.choices)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("invitation",),
                condition=Q(status__in=("requested", "approved")),
                name="meetings_leaverequest_one_open_per_invitation",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status"], name="meetings_leave_meeting_idx"),
            models.Index(fields=["person", "requested_at"], name="meetings_leave_person_idx"),
            models.Index(
                fields=["committee", "status", "requested_at"], name="meetings_leave_queue_idx"
            ),
        ]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting}"

    @property
    def sector_id(self) -> int | None:
        return self.invitation.sector_id


class AttendanceRecord(models.Model):
    """The attendance 出勤 of one invited person at one closed meeting: exactly one per
    invitation, computed when the office closes the meeting; changed afterwards only by an
    AttendanceCorrection. The rows a scoring engine reads (`selectors.attendance_for_scoring`).
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        EXCUSED = "excused", _("excused absence")
        ABSENT = "absent", _("absent without leave")
        NO_SHOW = "no_show", _("signed up, did not come")
        NOT_EXPECTED = "not_expected", _("not expected")

    ATTENDED = (Status.PRESENT, Status.LATE)
    UNEXCUSED = (Status.ABSENT, Status.NO_SHOW)

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendance"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_method = models.CharField(
        _("check-in"), max_length=10, choices=Invitation.CheckinMethod.choices, blank=True
    )
    left_early = models.BooleanField(_("left early"), default=False)
    leave_request = models.ForeignKey(
        LeaveRequest,
        verbose_name=_("approved leave"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AttendanceRecordQuerySet.as_manager()

    class Meta:
        ordering = ("meeting", "person__name_sort_key", "id")
        indexes = [
            models.Index(fields=["committee", "status"], name="meetings_att_committee_idx"),
            models.Index(fields=["person", "meeting"], name="meetings_att_person_idx"),
            models.Index(fields=["committee", "sector"], name="meetings_att_sector_idx"),
            models.Index(fields=["meeting", "status"], name="meetings_att_meeting_idx"),
        ]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting} · {self.get_status_display()}"

    @property
    def counts(self) -> bool:
        """Whether the record counts towards the attendance rate (the person was expected)."""
        return self.status != self.Status.NOT_EXPECTED


class AttendanceCorrection(models.Model):
    """A correction 考勤更正 of a closed meeting's attendance record: the earlier and the new
    status, who, when and why. The record holds the current value; these rows its history."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        AttendanceRecord,
        verbose_name=_("attendance record"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    old_status = models.CharField(
        _("earlier status"), max_length=12, choices=AttendanceRecord.Status.choices
    )
    new_status = models.CharField(
        _("new status"), max_length=12, choices=AttendanceRecord.Status.choices
    )
    old_left_early = models.BooleanField(_("earlier: left early"), default=False)
    new_left_early = models.BooleanField(_("new: left early"), default=False)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"))

    objects = AttendanceCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ("record", "corrected_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_status=models.F("new_status"))
                | ~Q(old_left_early=models.F("new_left_early")),
                name="meetings_attendancecorrection_changes_something",
            ),
        ]
        indexes = [models.Index(fields=["record", "corrected_at"], name="meetings_corr_idx")]
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")

    def __str__(self) -> str:
        return f"{self.record}: {self.old_status} → {self.new_status}"


class Speech(TimeStampedModel):
    """A speech 发言 at a meeting by one or more members: oral 口头 or written 书面, selected
    for the plenary 大会发言 or not, with its text or an attachment."""

    class Mode(models.TextChoices):
        ORAL = "oral", _("oral")
        WRITTEN = "written", _("written")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="speeches"
    )
    speakers = models.ManyToManyField(Person, verbose_name=_("speakers"), related_name="speeches")
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("form"), max_length=10, choices=Mode.choices)
    selected_for_plenary = models.BooleanField(_("selected for the plenary"), default=False)
    text = models.TextField(_("text"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="speeches/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SpeechQuerySet.as_manager()

    class Meta:
        ordering = ("-meeting__starts_at", "id")
        indexes = [models.Index(fields=["committee", "meeting"], name="meetings_speech_idx")]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self) -> str:
        return self.title


class ResearchReport(TimeStampedModel):
    """A research report 调研报告: its authors (members and/or groups), the survey activities it
    came from, its topic and focus area; its adoption and leader instructions are AdoptionEvent
    rows, as for opinion reports."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="research_reports",
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_people = models.ManyToManyField(
        Person, verbose_name=_("authors (members)"), related_name="research_reports", blank=True
    )
    author_organizations = models.ManyToManyField(
        Organization, verbose_name=_("authors (groups)"), related_name="+", blank=True
    )
    surveys = models.ManyToManyField(
        Meeting, verbose_name=_("related surveys"), related_name="research_reports", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="reports/%Y/", blank=True)
    submitted_on = models.DateField(_("submitted on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResearchReportQuerySet.as_manager()

    class Meta:
        ordering = ("-submitted_on", "-id")
        indexes = [
            models.Index(fields=["committee", "submitted_on"], name="meetings_report_list_idx")
        ]
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")

    def __str__(self) -> str:
        return self.title


class AdoptionEvent(models.Model):
    """What became of a research report 采用与批示: adopted, or a leader's instruction 批示, at
    one level (this committee, a higher committee, the Party committee, the government)."""

    class Level(models.TextChoices):
        COMMITTEE = "committee", _("this committee")
        HIGHER_COMMITTEE = "higher_committee", _("a higher committee")
        PARTY = "party", _("the Party committee")
        GOVERNMENT = "government", _("the government")

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        INSTRUCTION = "instruction", _("leader's instruction")

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        ResearchReport,
        verbose_name=_("research report"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    by_whom = models.CharField(_("by whom"), max_length=100)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = AdoptionEventQuerySet.as_manager()

    class Meta:
        ordering = ("report", "date", "id")
        indexes = [models.Index(fields=["committee", "date"], name="meetings_adoption_idx")]
        verbose_name = _("adoption or instruction")
        verbose_name_plural = _("adoptions and instructions")

    def __str__(self) -> str:
        return f"{self.report} · {self.get_level_display()} · {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A person's calendar feed 日历订阅: the secret token of their iCalendar address. It spans
    all the committees the person sits in, so it hangs off the person, not a committee."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.person)
