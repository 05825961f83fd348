"""Synthetic meetings for `manage.py seed` and `manage.py demo`: a realistic year per committee.

Per committee (its newest term, its serving seats): one plenary session (mandatory, all
members, several days), 4–6 standing committee meetings, chair's meetings, thematic and sector
consultations, a consultation with the grassroots, inspections and surveys (sign-up, with a
capacity and a waiting list), a democratic supervision activity, trainings and a studio
activity. Meetings that have ended are closed with their attendance; later ones are published
(one stays a draft). Leave requests, check-ins, late arrivals, early leaves, no-shows, speeches
at the plenary and research reports from the surveys come with them. Everything is drawn from
`rng`, so the same seed gives the same data; rows are written with bulk_create.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianluo.directory.models import Committee, FocusArea, Membership, Organization
from lianluo.meetings.models import (
    AdoptionEvent,
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingKind,
    ResearchReport,
    Speech,
)
from lianluo.meetings.selectors import default_policy

BATCH = 2000
STANDING_ROLES = {"chair", "vice_chair", "secretary_general", "standing_member"}
LEAVE_REASONS = (
    "因公出差，无法参会",
    "身体不适，需住院治疗",
    "单位有紧急任务",
    "参加上级部门会议",
    "家中有事，特此请假",
    "在外地开展调研",
)
PLACES = (
    "政协机关一楼会议室",
    "政协常委会议室",
    "市民之家报告厅",
    "政协机关三楼会议室",
    "会议中心",
)
TOPICS = (
    "推进高质量发展",
    "优化营商环境",
    "加强基层医疗服务",
    "推动乡村振兴",
    "生态环境保护",
    "文化旅游融合发展",
    "养老服务体系建设",
    "职业教育发展",
    "城市更新",
    "民营经济发展",
)
SPEECH_TITLES = (
    "关于{}的几点建议",
    "聚焦{}，凝聚发展合力",
    "以{}为抓手，增进民生福祉",
    "对{}工作的思考",
)
TITLES = {
    MeetingKind.PLENARY: "第{term}届委员会第{n}次会议",
    MeetingKind.STANDING: "第{term}届常委会第{n}次会议",
    MeetingKind.CHAIRS: "第{term}届主席会议（{n}）",
    MeetingKind.THEMATIC: "“{topic}”专题协商会",
    MeetingKind.SECTOR: "{sector}界别协商会：{topic}",
    MeetingKind.GRASSROOTS: "“{topic}”基层协商议事会",
    MeetingKind.INSPECTION: "“{topic}”专题视察",
    MeetingKind.SURVEY: "“{topic}”专题调研",
    MeetingKind.SUPERVISION: "“{topic}”民主监督活动",
    MeetingKind.TRAINING: "委员履职能力培训（{n}）",
    MeetingKind.STUDIO: "委员工作室接待活动：{topic}",
}


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _random_day(rng: random.Random, year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, rng.randint(1, 28))
    while day.weekday() >= 5:  # meetings on weekdays
        day += datetime.timedelta(days=1)
    return day


class _Committee:
    """What the seeder needs of one committee, read in a few queries."""

    def __init__(self, committee: Committee) -> None:
        self.committee = committee
        self.term = committee.terms.order_by("-number").first()
        self.seats: list[dict[str, Any]] = [
            dict(row)
            for row in Membership.objects.filter(
                committee=committee,
                term=self.term,
                organization__isnull=True,
                status=Membership.Status.SERVING,
            )
            .order_by("id")  # not by name: namesakes would come in the database's order
            .values("id", "person_id", "sector_id", "role", "person__name")
        ]
        orgs = list(
            Organization.objects.filter(committee=committee, is_active=True).values(
                "id", "classification", "name"
            )
        )
        self.sectors = [o for o in orgs if o["classification"] == "sector"]
        self.groups = [
            o for o in orgs if o["classification"] in ("special_committee", "sector_group")
        ]
        members: dict[int, set[int]] = {}
        for org_id, person_id in (
            Membership.objects.filter(
                organization_id__in=[o["id"] for o in self.groups], status=Membership.Status.SERVING
            )
            .order_by("id")
            .values_list("organization_id", "person_id")
        ):
            members.setdefault(org_id, set()).add(person_id)
        self.group_members = members
        self.focus = list(FocusArea.objects.filter(committee=committee))


def seed(
    *, committees: list[Committee], rng: random.Random, year: int, progress: bool
) -> dict[str, int]:
    """Write a year of meetings for each committee; returns how many rows of each kind."""
    totals = dict.fromkeys(
        (
            "meetings",
            "invitations",
            "leave_requests",
            "attendance_records",
            "speeches",
            "research_reports",
            "adoptions",
        ),
        0,
    )
    items: Iterable[Committee] = committees
    if progress:
        from tqdm import tqdm

        items = tqdm(committees, desc="meetings", unit="committee")
    now = timezone.now()
    for committee in items:
        with transaction.atomic():
            counts = _seed_committee(committee, rng=rng, year=year, now=now)
        for key, value in counts.items():
            totals[key] += value
    return totals


def _plan(data: _Committee, rng: random.Random, year: int) -> list[dict[str, Any]]:
    """The year's meetings of a committee: kind, date, participation, who is invited."""
    seats = data.seats
    all_people = [s["person_id"] for s in seats]
    standing = [s["person_id"] for s in seats if s["role"] in STANDING_ROLES] or all_people[
        : max(1, len(all_people) // 10)
    ]
    leaders = [s["person_id"] for s in seats if s["role"] in ("chair", "vice_chair")] or standing[
        :5
    ]

    def sector_people(k: int) -> tuple[list[int], str]:
        if not data.sectors:
            return rng.sample(all_people, min(len(all_people), 20)), ""
        chosen = rng.sample(data.sectors, min(k, len(data.sectors)))
        ids = {c["id"] for c in chosen}
        return [s["person_id"] for s in seats if s["sector_id"] in ids], chosen[0]["name"]

    def some(share: float) -> list[int]:
        return [p for p in all_people if rng.random() < share]

    plan: list[dict[str, Any]] = []

    def add(kind: str, month: int, people: list[int], **extra: Any) -> None:
        if people:
            plan.append({"kind": kind, "month": month, "people": people, **extra})

    add(MeetingKind.PLENARY, 1, all_people, participation="mandatory", days=3)
    for month in sorted(rng.sample(range(2, 13), rng.randint(4, 6))):
        add(MeetingKind.STANDING, month, standing, participation="invitation")
    for month in (3, 6, 9, 12):
        add(MeetingKind.CHAIRS, month, leaders, participation="invitation")
    for month in rng.sample(range(3, 12), 3):
        people, _sector = sector_people(2)
        add(MeetingKind.THEMATIC, month, people, participation="invitation")
    for month in rng.sample(range(3, 12), 2):
        people, sector = sector_people(1)
        add(MeetingKind.SECTOR, month, people, participation="invitation", sector=sector)
    add(
        MeetingKind.GRASSROOTS,
        rng.randint(4, 10),
        rng.sample(all_people, min(15, len(all_people))),
        participation="invitation",
    )
    for month in rng.sample(range(4, 12), 2):
        add(MeetingKind.INSPECTION, month, some(0.4), participation="sign_up", capacity=20)
    for month in rng.sample(range(3, 12), 2):
        add(MeetingKind.SURVEY, month, some(0.3), participation="sign_up", capacity=12, group=True)
    add(
        MeetingKind.SUPERVISION,
        rng.randint(5, 11),
        rng.sample(all_people, min(15, len(all_people))),
        participation="invitation",
        group=True,
    )
    add(MeetingKind.TRAINING, rng.randint(2, 5), all_people, participation="mandatory")
    add(MeetingKind.TRAINING, rng.randint(7, 11), some(0.5), participation="sign_up", capacity=40)
    people, _sector = sector_people(1)
    add(MeetingKind.STUDIO, rng.randint(3, 11), people, participation="sign_up", capacity=10)
    return plan


def _seed_committee(
    committee: Committee, *, rng: random.Random, year: int, now: datetime.datetime
) -> dict[str, int]:
    data = _Committee(committee)
    counts = dict.fromkeys(
        (
            "meetings",
            "invitations",
            "leave_requests",
            "attendance_records",
            "speeches",
            "research_reports",
            "adoptions",
        ),
        0,
    )
    if data.term is None or not data.seats:
        return counts
    seat_of = {s["person_id"]: s for s in data.seats}
    # Each member's reliability: most come nearly always; a few are often absent.
    reliability = {
        s["person_id"]: (rng.uniform(0.2, 0.5) if rng.random() < 0.03 else rng.uniform(0.82, 0.99))
        for s in data.seats
    }
    plan = _plan(data, rng, year)
    numbers: dict[str, int] = {}
    meetings: list[Meeting] = []
    for item in plan:
        kind = item["kind"]
        numbers[kind] = numbers.get(kind, 0) + 1
        day = _random_day(rng, year, item["month"])
        start = _at(day, rng.choice((9, 9, 14)), rng.choice((0, 30)))
        end = start + datetime.timedelta(days=item.get("days", 1) - 1, hours=3)
        topic = rng.choice(TOPICS)
        item["topic"] = topic
        title = TITLES[kind].format(
            term=data.term.number if data.term else "",
            n=numbers[kind],
            topic=topic,
            sector=item.get("sector", ""),
        )
        organizer = rng.choice(data.groups)["id"] if item.get("group") and data.groups else None
        sign_up = item["participation"] == "sign_up"
        meetings.append(
            Meeting(
                committee=committee,
                term=data.term,
                kind=kind,
                title=title,
                starts_at=start,
                ends_at=end,
                place=rng.choice(PLACES),
                organizer_id=organizer,
                studio_name="委员工作室" if kind == MeetingKind.STUDIO else "",
                focus_area=rng.choice(data.focus) if data.focus else None,
                agenda=f"一、通报有关情况\n二、围绕“{topic}”开展协商讨论\n三、会议总结",
                participation=item["participation"],
                signup_deadline=start - datetime.timedelta(days=3) if sign_up else None,
                capacity=item.get("capacity") if sign_up else None,
                status=Meeting.Status.CLOSED if end < now else Meeting.Status.PUBLISHED,
                checkin_token=f"{rng.getrandbits(160):040x}",
                published_at=start - datetime.timedelta(days=10),
                closed_at=end if end < now else None,
            )
        )
    future = [m for m in meetings if m.status == Meeting.Status.PUBLISHED]
    if future:
        draft = max(future, key=lambda m: m.starts_at)
        draft.status = Meeting.Status.DRAFT
        draft.published_at = None
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    counts["meetings"] = len(meetings)

    invitations: list[Invitation] = []
    for meeting, item in zip(meetings, plan, strict=True):
        invited_at = meeting.starts_at - datetime.timedelta(days=10)
        sign_up = meeting.participation == Meeting.Participation.SIGN_UP
        people = list(dict.fromkeys(item["people"]))
        signers: list[int] = []
        if sign_up and meeting.status != Meeting.Status.DRAFT:
            wanted = int((meeting.capacity or 10) * rng.uniform(0.7, 1.4))
            signers = rng.sample(people, min(len(people), wanted))
        order = {person: index for index, person in enumerate(signers)}
        sources: dict[str, str] = {
            MeetingKind.PLENARY: Invitation.Source.ALL_MEMBERS,
            MeetingKind.STANDING: Invitation.Source.STANDING,
            MeetingKind.THEMATIC: Invitation.Source.SECTOR,
            MeetingKind.SECTOR: Invitation.Source.SECTOR,
        }
        source = sources.get(meeting.kind, Invitation.Source.NAMES)
        if sign_up:
            source = Invitation.Source.ALL_MEMBERS
        for person_id in people:
            seat = seat_of[person_id]
            status: str = Invitation.Status.INVITED
            signed_up_at = None
            if sign_up:
                status = Invitation.Status.OFFERED
                if person_id in order:
                    position = order[person_id]
                    signed_up_at = invited_at + datetime.timedelta(hours=1 + position)
                    if position < (meeting.capacity or 0):
                        status = Invitation.Status.SIGNED_UP
                    else:
                        status = Invitation.Status.WAITLISTED
            invitations.append(
                Invitation(
                    committee=committee,
                    meeting=meeting,
                    person_id=person_id,
                    membership_id=seat["id"],
                    sector_id=seat["sector_id"],
                    role=seat["role"],
                    source=source,
                    status=status,
                    invited_at=invited_at,
                    signed_up_at=signed_up_at,
                )
            )
    # Withdrawals from full sign-up activities move the first on the waiting list up.
    by_meeting: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_meeting.setdefault(id(invitation.meeting), []).append(invitation)
    for group in by_meeting.values():
        signed = [i for i in group if i.status == Invitation.Status.SIGNED_UP]
        waiting = sorted(
            (i for i in group if i.status == Invitation.Status.WAITLISTED),
            key=lambda i: i.signed_up_at or now,
        )
        if signed and waiting and rng.random() < 0.6:
            rng.choice(signed).status = Invitation.Status.WITHDRAWN
            waiting[0].status = Invitation.Status.SIGNED_UP

    # Leave and attendance are decided in memory, then every row is written once.
    leaves: list[LeaveRequest] = []
    approved: set[int] = set()  # id() of invitations with approved leave
    for invitation in invitations:
        meeting = invitation.meeting
        if meeting.status == Meeting.Status.DRAFT or invitation.status not in Invitation.EXPECTED:
            continue
        if rng.random() > 0.07 * (2 - reliability[invitation.person_id]):
            continue
        policy = default_policy(meeting.kind)
        late = rng.random() < 0.2
        requested_at = meeting.starts_at - datetime.timedelta(
            hours=rng.randint(1, policy.leave_cutoff_hours - 1)
            if late
            else rng.randint(policy.leave_cutoff_hours + 1, 24 * 7)
        )
        decided = meeting.status == Meeting.Status.CLOSED or rng.random() < 0.5
        leave_status: str = LeaveRequest.Status.REQUESTED
        if decided:
            leave_status = (
                LeaveRequest.Status.APPROVED if rng.random() < 0.88 else LeaveRequest.Status.REFUSED
            )
        if leave_status == LeaveRequest.Status.APPROVED:
            approved.add(id(invitation))
        approver = policy.approver_role
        if approver == "organizer_head" and meeting.organizer_id is None:
            approver = "office"
        leaves.append(
            LeaveRequest(
                committee=committee,
                meeting=meeting,
                invitation=invitation,
                person_id=invitation.person_id,
                reason=rng.choice(LEAVE_REASONS),
                status=leave_status,
                is_late=late,
                approver_role=approver,
                requested_at=min(requested_at, now),
                decided_at=requested_at + datetime.timedelta(hours=2) if decided else None,
                decision_note=""
                if leave_status != LeaveRequest.Status.REFUSED
                else "会议重要，请尽量参加",
            )
        )

    statuses: dict[int, str] = {}  # id() of invitations of closed meetings → status
    attendees: dict[int, list[int]] = {}
    for invitation in invitations:
        meeting = invitation.meeting
        if meeting.status != Meeting.Status.CLOSED:
            continue
        policy = default_policy(meeting.kind)
        expected = invitation.status in Invitation.EXPECTED
        excused = id(invitation) in approved
        came = expected and rng.random() < (0.03 if excused else reliability[invitation.person_id])
        if came:
            late = rng.random() < 0.06
            minutes = (
                rng.randint(policy.late_after_minutes + 1, 60) if late else rng.randint(-30, 10)
            )
            invitation.checked_in_at = meeting.starts_at + datetime.timedelta(minutes=minutes)
            invitation.checkin_method = rng.choice(("qr", "qr", "qr", "staff", "import"))
            invitation.arrived_late = late
            invitation.left_early = rng.random() < 0.03
            if invitation.left_early:
                invitation.left_at = meeting.ends_at - datetime.timedelta(minutes=45)
            attendees.setdefault(id(meeting), []).append(invitation.person_id)
            statuses[id(invitation)] = (
                AttendanceRecord.Status.LATE if late else AttendanceRecord.Status.PRESENT
            )
        elif not expected:
            statuses[id(invitation)] = AttendanceRecord.Status.NOT_EXPECTED
        elif excused:
            statuses[id(invitation)] = AttendanceRecord.Status.EXCUSED
        elif invitation.status == Invitation.Status.SIGNED_UP:
            statuses[id(invitation)] = AttendanceRecord.Status.NO_SHOW
        else:
            statuses[id(invitation)] = AttendanceRecord.Status.ABSENT

    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    counts["invitations"] = len(invitations)
    LeaveRequest.objects.bulk_create(leaves, batch_size=BATCH)
    counts["leave_requests"] = len(leaves)
    approved_leave = {
        id(leave.invitation): leave.pk
        for leave in leaves
        if leave.status == LeaveRequest.Status.APPROVED
    }
    records = [
        AttendanceRecord(
            committee=committee,
            meeting=invitation.meeting,
            invitation=invitation,
            person_id=invitation.person_id,
            sector_id=invitation.sector_id,
            status=statuses[id(invitation)],
            checked_in_at=invitation.checked_in_at,
            checkin_method=invitation.checkin_method,
            left_early=invitation.left_early,
            leave_request_id=approved_leave.get(id(invitation))
            if statuses[id(invitation)] == AttendanceRecord.Status.EXCUSED
            else None,
            recorded_at=invitation.meeting.ends_at,
        )
        for invitation in invitations
        if id(invitation) in statuses
    ]
    AttendanceRecord.objects.bulk_create(records, batch_size=BATCH)
    counts["attendance_records"] = len(records)

    topics = {id(meeting): item["topic"] for meeting, item in zip(meetings, plan, strict=True)}
    _speeches_and_reports(committee, meetings, attendees, topics, rng, counts)
    return counts


def _speeches_and_reports(
    committee: Committee,
    meetings: list[Meeting],
    attendees: dict[int, list[int]],
    topics: dict[int, str],
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    speeches: list[tuple[Speech, list[int]]] = []
    reports: list[tuple[ResearchReport, list[int], list[int], Meeting]] = []
    for meeting in meetings:
        came = attendees.get(id(meeting), [])
        if not came:
            continue
        if meeting.kind == MeetingKind.PLENARY:
            plan = [("oral", True)] * 10 + [("written", False)] * 8
        elif meeting.kind in (MeetingKind.STANDING, MeetingKind.THEMATIC):
            plan = [("oral", False)] * rng.randint(2, 4)
        else:
            plan = []
        for mode, selected in plan:
            speakers = rng.sample(came, min(len(came), 1 if rng.random() < 0.8 else 2))
            title = rng.choice(SPEECH_TITLES).format(rng.choice(TOPICS))
            speeches.append(
                (
                    Speech(
                        committee=committee,
                        meeting=meeting,
                        title=title,
                        mode=mode,
                        selected_for_plenary=selected,
                        text="",
                    ),
                    speakers,
                )
            )
        if meeting.kind == MeetingKind.SURVEY:
            authors = rng.sample(came, min(len(came), rng.randint(1, 3)))
            groups = [meeting.organizer_id] if meeting.organizer_id else []
            reports.append(
                (
                    ResearchReport(
                        committee=committee,
                        title=f"关于{topics[id(meeting)]}的调研报告",
                        topic=meeting.title,
                        focus_area=meeting.focus_area,
                        summary="",
                        submitted_on=(meeting.ends_at + datetime.timedelta(days=30)).date(),
                    ),
                    authors,
                    groups,
                    meeting,
                )
            )
    Speech.objects.bulk_create([s for s, _ in speeches], batch_size=BATCH)
    Speech.speakers.through.objects.bulk_create(
        [
            Speech.speakers.through(speech_id=speech.pk, person_id=person_id)
            for speech, people in speeches
            for person_id in people
        ],
        batch_size=BATCH,
    )
    counts["speeches"] = len(speeches)
    today = timezone.localdate()
    reports = [r for r in reports if r[0].submitted_on <= today]
    ResearchReport.objects.bulk_create([r for r, *_ in reports], batch_size=BATCH)
    through = ResearchReport
    through.author_people.through.objects.bulk_create(
        [
            through.author_people.through(researchreport_id=r.pk, person_id=p)
            for r, people, _g, _m in reports
            for p in people
        ]
    )
    through.author_organizations.through.objects.bulk_create(
        [
            through.author_organizations.through(researchreport_id=r.pk, organization_id=g)
            for r, _p, groups, _m in reports
            for g in groups
        ]
    )
    through.surveys.through.objects.bulk_create(
        [
            through.surveys.through(researchreport_id=r.pk, meeting_id=m.pk)
            for r, _p, _g, m in reports
        ]
    )
    counts["research_reports"] = len(reports)
    adoptions: list[AdoptionEvent] = []
    for report, *_rest in reports:
        if rng.random() < 0.5:
            adoptions.append(
                AdoptionEvent(
                    committee=committee,
                    report=report,
                    level=AdoptionEvent.Level.COMMITTEE,
                    kind=AdoptionEvent.Kind.ADOPTED,
                    by_whom="政协办公室",
                    date=min(report.submitted_on + datetime.timedelta(days=14), today),
                    recorded_at=timezone.now(),
                )
            )
            if rng.random() < 0.4:
                adoptions.append(
                    AdoptionEvent(
                        committee=committee,
                        report=report,
                        level=rng.choice(
                            (AdoptionEvent.Level.PARTY, AdoptionEvent.Level.GOVERNMENT)
                        ),
                        kind=AdoptionEvent.Kind.INSTRUCTION,
                        by_whom=rng.choice(("市委主要领导", "市政府分管领导")),
                        date=min(report.submitted_on + datetime.timedelta(days=30), today),
                        recorded_at=timezone.now(),
                    )
                )
    AdoptionEvent.objects.bulk_create(adoptions, batch_size=BATCH)
    counts["adoptions"] = len(adoptions)


def delete(*, committee_ids: Iterable[int]) -> dict[str, int]:
    """Delete every meetings row of these committees, in an order their PROTECT keys allow
    (for `seed --force` before it deletes the committees). Returns rows deleted by label."""
    from lianluo.meetings.models import (
        AttendanceCorrection,
        MeetingAttachment,
        MeetingKindPolicy,
    )

    ids = sorted(set(committee_ids))
    counts: dict[str, int] = {}
    order = (
        AdoptionEvent,
        ResearchReport,
        AttendanceCorrection,
        AttendanceRecord,
        LeaveRequest,
        Speech,
        MeetingAttachment,
        Invitation,
        Meeting,
        MeetingKindPolicy,
    )
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for model in order:
                _total, by_label = model.objects.filter(committee_id__in=chunk).delete()
                for label, n in by_label.items():
                    counts[label] = counts.get(label, 0) + n
    return counts
