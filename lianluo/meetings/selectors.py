"""Reads of meetings and attendance that are worth a name. Each list is a constant number of
queries, whatever its length; statistics are annotated aggregates.

Attendance rate 出勤率 = (present + late) / expected, where "expected" counts every record but
`not_expected` (offered a sign-up activity and did not sign up, withdrew in time, or stayed on
the waiting list). Absence without leave 无故缺席 = `absent` + `no_show`.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.directory.models import Committee, Person, Term
from lianluo.meetings.models import (
    ApproverRole,
    AttendanceCorrection,
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    LeaveRequestQuerySet,
    Meeting,
    MeetingKind,
    MeetingKindPolicy,
    Speech,
)

R = AttendanceRecord.Status


@dataclass(frozen=True)
class Policy:
    """The effective rules of one meeting kind in one committee (a row, or the defaults)."""

    kind: str
    approver_role: str
    max_leave_requests_per_meeting: int
    max_leave_requests_per_year: int | None
    leave_cutoff_hours: int
    checkin_opens_minutes: int
    checkin_closes_minutes: int
    late_after_minutes: int
    consecutive_absence_threshold: int | None
    yearly_absence_threshold: int | None
    is_default: bool = True

    @property
    def approver_label(self) -> str:
        return str(ApproverRole(self.approver_role).label)

    def checkin_window(self, starts_at: datetime.datetime) -> tuple[datetime.datetime, ...]:
        return (
            starts_at - datetime.timedelta(minutes=self.checkin_opens_minutes),
            starts_at + datetime.timedelta(minutes=self.checkin_closes_minutes),
        )

    def late_after(self, starts_at: datetime.datetime) -> datetime.datetime:
        return starts_at + datetime.timedelta(minutes=self.late_after_minutes)

    def leave_cutoff(self, starts_at: datetime.datetime) -> datetime.datetime:
        return starts_at - datetime.timedelta(hours=self.leave_cutoff_hours)


POLICY_FIELDS = (
    "approver_role",
    "max_leave_requests_per_meeting",
    "max_leave_requests_per_year",
    "leave_cutoff_hours",
    "checkin_opens_minutes",
    "checkin_closes_minutes",
    "late_after_minutes",
    "consecutive_absence_threshold",
    "yearly_absence_threshold",
)
_BASE: dict[str, Any] = {
    "approver_role": ApproverRole.OFFICE,
    "max_leave_requests_per_meeting": 2,
    "max_leave_requests_per_year": None,
    "leave_cutoff_hours": 24,
    "checkin_opens_minutes": 60,
    "checkin_closes_minutes": 120,
    "late_after_minutes": 15,
    "consecutive_absence_threshold": None,
    "yearly_absence_threshold": None,
}
# Defaults when a committee has no row for a kind (from published rules: the chair approves
# leave from the plenary and the standing committee, a special committee's head from its own
# activities; two consecutive unexcused plenary absences, three standing-committee absences a
# year are reported).
DEFAULTS: dict[str, dict[str, Any]] = {
    MeetingKind.PLENARY: {"approver_role": ApproverRole.CHAIR, "consecutive_absence_threshold": 2},
    MeetingKind.STANDING: {"approver_role": ApproverRole.CHAIR, "yearly_absence_threshold": 3},
    MeetingKind.CHAIRS: {"approver_role": ApproverRole.CHAIR},
    MeetingKind.SECTOR: {"approver_role": ApproverRole.ORGANIZER_HEAD},
    MeetingKind.INSPECTION: {"approver_role": ApproverRole.ORGANIZER_HEAD},
    MeetingKind.SURVEY: {"approver_role": ApproverRole.ORGANIZER_HEAD},
    MeetingKind.SUPERVISION: {"approver_role": ApproverRole.ORGANIZER_HEAD},
}


def default_policy(kind: str) -> Policy:
    return Policy(kind=kind, **{**_BASE, **DEFAULTS.get(kind, {})})


def _from_row(row: MeetingKindPolicy) -> Policy:
    return Policy(
        kind=row.kind, is_default=False, **{name: getattr(row, name) for name in POLICY_FIELDS}
    )


def policies_for(committee_id: int) -> dict[str, Policy]:
    """Every kind's effective policy for a committee (one query)."""
    rows = {row.kind: row for row in MeetingKindPolicy.objects.filter(committee_id=committee_id)}
    return {
        kind: _from_row(rows[kind]) if kind in rows else default_policy(kind)
        for kind in MeetingKind.values
    }


def policy_for(committee_id: int, kind: str) -> Policy:
    """One kind's effective policy for a committee (one query)."""
    row = MeetingKindPolicy.objects.filter(committee_id=committee_id, kind=kind).first()
    return _from_row(row) if row is not None else default_policy(kind)


# ----------------------------------------------------------------------------------------------
# Meetings and invitations
# ----------------------------------------------------------------------------------------------


def committee_meetings(committee: Committee) -> QuerySet[Meeting]:
    """A committee's meetings, newest first, with their organiser, focus area and counts."""
    return (
        Meeting.objects.filter(committee=committee)
        .select_related("organizer", "focus_area")
        .annotate(
            invited_count=Count(
                "invitations", filter=Q(invitations__status__in=Invitation.EXPECTED)
            ),
        )
        .order_by("-starts_at", "-id")
    )


def _latest_leave(field_name: str) -> Subquery:
    return Subquery(
        LeaveRequest.objects.filter(invitation=OuterRef("pk"))
        .order_by("-requested_at", "-id")
        .values(field_name)[:1]
    )


def meeting_invitations(meeting: Meeting) -> QuerySet[Invitation]:
    """A meeting's list, in the official order, each with its latest leave request's status
    and its place on the waiting list's order (signed_up_at)."""
    return (
        Invitation.objects.filter(meeting=meeting)
        .select_related("person", "sector")
        .annotate(leave_status=_latest_leave("status"), leave_id=_latest_leave("id"))
        .order_by("person__name_sort_key", "id")
    )


def invitation_counts(meeting: Meeting) -> dict[str, int]:
    """How many invitations of a meeting are in each status (one query)."""
    rows = (
        Invitation.objects.filter(meeting=meeting)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(Invitation.Status.values, 0)
    counts.update(dict(rows))
    return counts


def meeting_leave_requests(meeting: Meeting) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(meeting=meeting)
        .select_related("person", "decided_by")
        .order_by("-requested_at", "-id")
    )


def signed_up_count(meeting: Meeting) -> int:
    return Invitation.objects.filter(meeting=meeting, status=Invitation.Status.SIGNED_UP).count()


def upcoming_for_person(person: Person, *, now: datetime.datetime | None = None) -> list[Any]:
    """The person's invitations to meetings that have not ended (published or under way),
    soonest first, each with its latest leave request's status (one query)."""
    now = now or timezone.now()
    return list(
        Invitation.objects.filter(
            person=person,
            meeting__status__in=(Meeting.Status.PUBLISHED, Meeting.Status.IN_PROGRESS),
            meeting__ends_at__gte=now,
        )
        .exclude(status=Invitation.Status.CANCELLED)
        .select_related("meeting", "meeting__committee")
        .annotate(leave_status=_latest_leave("status"), leave_id=_latest_leave("id"))
        .order_by("meeting__starts_at", "meeting_id")
    )


def person_leave_requests(person: Person) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(person=person)
        .select_related("meeting", "meeting__committee")
        .order_by("-requested_at", "-id")
    )


def feed_invitations(person: Person, *, since: datetime.datetime) -> QuerySet[Invitation]:
    """What goes into a person's calendar feed: their places on published meetings (also
    under way, closed and cancelled ones, so that calendars learn of cancellations)."""
    return (
        Invitation.objects.filter(person=person, meeting__starts_at__gte=since)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .exclude(status__in=(Invitation.Status.CANCELLED, Invitation.Status.WITHDRAWN))
        .select_related("meeting", "meeting__committee", "meeting__organizer")
        .order_by("meeting__starts_at", "meeting_id")
    )


def pending_leave_for(user: Any) -> QuerySet[LeaveRequest]:
    """The leave requests waiting for `user`'s decision: as the named approver, or as the
    office of the meeting's committee."""
    from lianluo.directory.scoping import scope_for
    from lianluo.meetings.models import approver_grip

    scope = scope_for(user)
    q = Q(committee_id__in=scope.office_committee_ids)
    if scope.is_superuser:
        q = Q()
    grip = approver_grip(user)
    if any(grip.values()):
        q |= LeaveRequestQuerySet.approver_q(grip)
    return (
        LeaveRequest.objects.filter(q, status=LeaveRequest.Status.REQUESTED)
        .select_related("person", "meeting", "meeting__committee")
        .order_by("meeting__starts_at", "requested_at", "id")
    )


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    meetings: list[Meeting] = field(default_factory=list)


def month_calendar(meetings: Iterable[Meeting], year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of `month`, each day with the meetings starting on it."""
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [CalendarDay(day, day.month == month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def month_range(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, end


# ----------------------------------------------------------------------------------------------
# Attendance
# ----------------------------------------------------------------------------------------------


def provisional_status(invitation: Invitation, *, approved_leave: bool, sign_up: bool) -> str:
    """The attendance status an invitation gets when its meeting is closed, from its check-in
    facts and leave: came (late or not) → present / late; otherwise approved leave → excused;
    otherwise expected → absent (no_show when signed up for a sign-up activity); otherwise not
    expected."""
    if invitation.checked_in_at is not None or invitation.checkin_method:
        return R.LATE if invitation.arrived_late else R.PRESENT
    if invitation.status == Invitation.Status.CANCELLED:
        return R.NOT_EXPECTED
    if approved_leave and invitation.status in Invitation.EXPECTED:
        return R.EXCUSED
    if invitation.status == Invitation.Status.SIGNED_UP and sign_up:
        return R.NO_SHOW
    if invitation.status == Invitation.Status.INVITED:
        return R.ABSENT
    return R.NOT_EXPECTED


@dataclass(frozen=True)
class SheetRow:
    """One row of a meeting's attendance sheet 考勤表: the same on the page and in the export."""

    number: int
    invitation_id: int
    record_id: int | None
    name: str
    sector: str
    status: str
    status_label: str
    checked_in_at: datetime.datetime | None
    checkin_method: str
    left_early: bool
    leave_reason: str
    corrections: int

    def cells(self) -> list[Any]:
        """The row as the export writes it (and the page shows it)."""
        return [
            self.number,
            self.name,
            self.sector,
            self.status_label,
            timezone.localtime(self.checked_in_at).strftime("%Y-%m-%d %H:%M")
            if self.checked_in_at
            else "",
            self.checkin_method,
            _("yes") if self.left_early else "",
            self.leave_reason,
        ]


def sheet_headers() -> list[str]:
    return [
        _("No."),
        _("Name"),
        _("Sector"),
        _("Attendance"),
        _("Checked in at"),
        _("Check-in"),
        _("Left early"),
        _("Leave reason"),
    ]


def attendance_sheet(meeting: Meeting) -> list[SheetRow]:
    """The attendance sheet of a meeting in the official order: its records once closed, the
    status the close would record until then (provisional). Two queries."""
    labels = dict(R.choices)
    methods = dict(Invitation.CheckinMethod.choices)
    approved = LeaveRequest.objects.filter(
        invitation=OuterRef("pk"), status=LeaveRequest.Status.APPROVED
    )
    invitations = (
        Invitation.objects.filter(meeting=meeting)
        .select_related("person", "sector", "attendance")
        .annotate(
            approved_reason=Subquery(approved.values("reason")[:1]),
            corrections_count=Count("attendance__corrections"),
        )
        .order_by("person__name_sort_key", "id")
    )
    rows: list[SheetRow] = []
    for invitation in invitations:
        record: AttendanceRecord | None = getattr(invitation, "attendance", None)
        if meeting.status == Meeting.Status.CLOSED and record is not None:
            status = record.status
            checked_in_at = record.checked_in_at
            method = record.checkin_method
            left_early = record.left_early
        else:
            status = provisional_status(
                invitation,
                approved_leave=invitation.approved_reason is not None,
                sign_up=meeting.is_sign_up,
            )
            checked_in_at = invitation.checked_in_at
            method = invitation.checkin_method
            left_early = invitation.left_early
        if status == R.NOT_EXPECTED:
            continue
        rows.append(
            SheetRow(
                number=len(rows) + 1,
                invitation_id=invitation.pk,
                record_id=record.pk if record is not None else None,
                name=invitation.person.name,
                sector=invitation.sector.name if invitation.sector else "",
                status=status,
                status_label=str(labels[status]),
                checked_in_at=checked_in_at,
                checkin_method=str(methods.get(method, "")) if method else "",
                left_early=left_early,
                leave_reason=(invitation.approved_reason or "") if status == R.EXCUSED else "",
                corrections=invitation.corrections_count,
            )
        )
    return rows


def live_checkins(meeting: Meeting) -> dict[str, Any]:
    """The live check-in view: how many are expected, checked in, on leave; who checked in
    last (two queries)."""
    counts = Invitation.objects.filter(meeting=meeting).aggregate(
        expected=Count("id", filter=Q(status__in=Invitation.EXPECTED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        late=Count("id", filter=Q(arrived_late=True)),
    )
    counts["on_leave"] = LeaveRequest.objects.filter(
        meeting=meeting, status=LeaveRequest.Status.APPROVED
    ).count()
    latest = list(
        Invitation.objects.filter(meeting=meeting, checked_in_at__isnull=False)
        .select_related("person", "sector")
        .order_by("-checked_in_at", "-id")[:30]
    )
    return {"counts": counts, "latest": latest}


def record_corrections(record: AttendanceRecord) -> QuerySet[AttendanceCorrection]:
    return record.corrections.select_related("corrected_by").order_by("corrected_at", "id")


def person_attendance(person: Person, *, year: int | None = None) -> QuerySet[AttendanceRecord]:
    """A person's attendance records in every committee, newest meeting first (one query)."""
    records = AttendanceRecord.objects.filter(person=person)
    if year is not None:
        records = records.filter(meeting__starts_at__year=year)
    return (
        records.exclude(status=R.NOT_EXPECTED)
        .select_related("meeting", "meeting__committee")
        .annotate(corrections_count=Count("corrections"))
        .order_by("-meeting__starts_at", "-id")
    )


def rate_annotations() -> dict[str, Any]:
    """The aggregate columns of every attendance statistic."""
    return {
        "expected": Count("id", filter=~Q(status=R.NOT_EXPECTED)),
        "present": Count("id", filter=Q(status=R.PRESENT)),
        "late": Count("id", filter=Q(status=R.LATE)),
        "excused": Count("id", filter=Q(status=R.EXCUSED)),
        "absent": Count("id", filter=Q(status=R.ABSENT)),
        "no_show": Count("id", filter=Q(status=R.NO_SHOW)),
        "left_early": Count("id", filter=Q(left_early=True)),
    }


def with_rate(row: dict[str, Any]) -> dict[str, Any]:
    """Add `attended`, `unexcused` and `rate` (0–100, one decimal, None without data)."""
    row["attended"] = row["present"] + row["late"]
    row["unexcused"] = row["absent"] + row["no_show"]
    row["rate"] = round(100 * row["attended"] / row["expected"], 1) if row["expected"] else None
    return row


def person_rates(person: Person, *, year: int | None = None) -> list[dict[str, Any]]:
    """A person's attendance rate per committee (one query)."""
    records = AttendanceRecord.objects.filter(person=person)
    if year is not None:
        records = records.filter(meeting__starts_at__year=year)
    rows = (
        records.values("committee_id", "committee__short_name")
        .annotate(**rate_annotations())
        .order_by("committee__short_name")
    )
    return [with_rate(dict(row)) for row in rows]


def _period(
    committee: Committee, *, year: int | None, term: Term | None
) -> QuerySet[AttendanceRecord]:
    # The meeting's committee too (the same as the record's): the planner then reads the
    # committee's meetings of the period by their index, then their records, instead of
    # intersecting every meeting of the period with every record of the committee.
    records = AttendanceRecord.objects.filter(committee=committee, meeting__committee=committee)
    if year is not None:
        records = records.filter(meeting__starts_at__year=year)
    if term is not None:
        records = records.filter(meeting__term=term)
    return records


GROUPINGS: dict[str, tuple[str, ...]] = {
    "person": ("person_id", "person__name", "person__name_sort_key"),
    "sector": ("sector_id", "sector__name", "sector__position"),
    "kind": ("meeting__kind",),
    "term": ("meeting__term_id", "meeting__term__number"),
}
ORDERS: dict[str, tuple[str, ...]] = {
    "person": ("person__name_sort_key", "person_id"),
    "sector": ("sector__position", "sector_id"),
    "kind": ("meeting__kind",),
    "term": ("-meeting__term__number",),
}


def attendance_rates(
    committee: Committee, *, by: str, year: int | None = None, term: Term | None = None
) -> list[dict[str, Any]]:
    """Attendance per member, sector, meeting kind, year or term of a committee, for a year
    and/or a term: one aggregate query."""
    records = _period(committee, year=year, term=term)
    if by == "year":
        rows = (
            records.annotate(year=ExtractYear("meeting__starts_at"))
            .values("year")
            .annotate(**rate_annotations())
            .order_by("-year")
        )
    else:
        rows = records.values(*GROUPINGS[by]).annotate(**rate_annotations()).order_by(*ORDERS[by])
    result = [with_rate(dict(row)) for row in rows]
    if by == "kind":
        labels = dict(MeetingKind.choices)
        for row in result:
            row["label"] = str(labels.get(row["meeting__kind"], row["meeting__kind"]))
    return result


def attendance_totals(
    committee: Committee, *, year: int | None = None, term: Term | None = None
) -> dict[str, Any]:
    """The committee's totals for the period (one query)."""
    totals = _period(committee, year=year, term=term).aggregate(
        meetings=Count("meeting_id", distinct=True), **rate_annotations()
    )
    return with_rate(totals)


@dataclass(frozen=True)
class AbsenceFlag:
    """A member over one of the committee's thresholds of absence without leave."""

    person_id: int
    name: str
    kind: str
    rule: str  # "consecutive" or "yearly"
    count: int
    threshold: int
    meetings: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(dict(MeetingKind.choices).get(self.kind, self.kind))


def repeated_absence(committee: Committee, *, year: int, term: Term | None) -> list[AbsenceFlag]:
    """The members over the committee's thresholds: absent without leave from N consecutive
    meetings of a kind in the term (N from the kind's policy), or from M meetings of a kind in
    the year. Two queries plus the policies, whatever the size."""
    policies = policies_for(committee.pk)
    flags: list[AbsenceFlag] = []
    consecutive = {
        kind: p.consecutive_absence_threshold
        for kind, p in policies.items()
        if p.consecutive_absence_threshold
    }
    if consecutive:
        records = AttendanceRecord.objects.filter(
            committee=committee, meeting__committee=committee, meeting__kind__in=list(consecutive)
        ).exclude(status=R.NOT_EXPECTED)
        if term is not None:
            records = records.filter(meeting__term=term)
        rows = records.order_by(
            "person_id", "meeting__kind", "meeting__starts_at", "meeting_id"
        ).values_list(
            "person_id",
            "person__name",
            "meeting__kind",
            "status",
            "meeting__title",
            "meeting__starts_at",
        )
        flags.extend(_consecutive_runs(rows, consecutive))
    yearly = {
        kind: p.yearly_absence_threshold
        for kind, p in policies.items()
        if p.yearly_absence_threshold
    }
    if yearly:
        counts = (
            AttendanceRecord.objects.filter(
                committee=committee,
                meeting__committee=committee,
                meeting__kind__in=list(yearly),
                meeting__starts_at__year=year,
                status__in=AttendanceRecord.UNEXCUSED,
            )
            .values("person_id", "person__name", "meeting__kind")
            .annotate(n=Count("id"))
            .order_by("person_id", "meeting__kind")
        )
        for row in counts:
            threshold = yearly[row["meeting__kind"]]
            if row["n"] >= threshold:
                flags.append(
                    AbsenceFlag(
                        person_id=row["person_id"],
                        name=row["person__name"],
                        kind=row["meeting__kind"],
                        rule="yearly",
                        count=row["n"],
                        threshold=threshold,
                    )
                )
    return sorted(flags, key=lambda flag: (flag.name, flag.person_id, flag.kind, flag.rule))


def _consecutive_runs(
    rows: Iterable[tuple[Any, ...]], thresholds: dict[str, int]
) -> list[AbsenceFlag]:
    """The longest run of unexcused absences per (person, kind), if it reaches the threshold."""
    flags: list[AbsenceFlag] = []
    best: dict[tuple[int, str], tuple[str, list[str]]] = {}
    current: dict[tuple[int, str], list[str]] = {}
    for person_id, name, kind, status, title, starts_at in rows:
        key = (person_id, kind)
        if status in AttendanceRecord.UNEXCUSED:
            run = current.setdefault(key, [])
            run.append(f"{timezone.localtime(starts_at):%Y-%m-%d} {title}")
            if len(run) > len(best.get(key, ("", []))[1]):
                best[key] = (name, list(run))
        else:
            current[key] = []
    for (person_id, kind), (name, run) in best.items():
        if len(run) >= thresholds[kind]:
            flags.append(
                AbsenceFlag(
                    person_id=person_id,
                    name=name,
                    kind=kind,
                    rule="consecutive",
                    count=len(run),
                    threshold=thresholds[kind],
                    meetings=tuple(run),
                )
            )
    return flags


def attendance_for_scoring(*, committee: Committee, year: int) -> QuerySet[Any]:
    """Every attendance record of a committee-year in the shape a scoring engine reads, in one
    query: record, person, meeting, kind, participation, date, status, early leave, the
    person's seat role and sector when invited, and how many times the record was corrected."""
    return (
        AttendanceRecord.objects.filter(
            committee=committee, meeting__committee=committee, meeting__starts_at__year=year
        )
        .values(
            "id",
            "person_id",
            "meeting_id",
            "meeting__kind",
            "meeting__participation",
            "meeting__starts_at",
            "status",
            "left_early",
            "invitation__role",
            "sector_id",
        )
        .order_by("person_id", "meeting__starts_at", "id")
    )


# ----------------------------------------------------------------------------------------------
# Speeches and reports
# ----------------------------------------------------------------------------------------------


def committee_speeches(committee: Committee) -> QuerySet[Speech]:
    return (
        Speech.objects.filter(committee=committee)
        .select_related("meeting")
        .prefetch_related(Prefetch("speakers", queryset=Person.objects.order_by("name_sort_key")))
        .order_by("-meeting__starts_at", "id")
    )


def years_with_meetings(committee: Committee) -> Sequence[int]:
    """The years in which the committee has meetings, newest first (one query)."""
    years = (
        Meeting.objects.filter(committee=committee)
        .annotate(year=ExtractYear("starts_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return list(years)
