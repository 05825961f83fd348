"""Rows of the other apps that the providers read, built directly (the smallest valid rows).

Each builder is skipped by the tests that use it when its app is not installed."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from lianluo.assessment import services
from lianluo.directory.models import Membership

TZ = datetime.timezone(datetime.timedelta(hours=8))


def installed(app: str) -> bool:
    return apps.is_installed(f"lianluo.{app}")


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), TZ)


def meeting(committee, term, *, kind="plenary", day="2024-03-01", title=None, hours=4):
    from lianluo.meetings.models import Meeting

    return Meeting.objects.create(
        committee=committee,
        term=term,
        kind=kind,
        title=title or f"{kind} {day}",
        starts_at=at(day),
        ends_at=at(day) + datetime.timedelta(hours=hours),
        participation=Meeting.Participation.MANDATORY
        if kind == "plenary"
        else Meeting.Participation.INVITATION,
        status=Meeting.Status.CLOSED,
        checkin_token=secrets.token_hex(16),
    )


def attendance(meeting_row, seat: Membership, status: str):
    from lianluo.meetings.models import AttendanceRecord, Invitation

    invitation = Invitation.objects.create(
        committee=meeting_row.committee,
        meeting=meeting_row,
        person=seat.person,
        membership=seat,
        sector=seat.sector,
        role=seat.role,
        source=Invitation.Source.ALL_MEMBERS,
        status=Invitation.Status.INVITED,
        invited_at=meeting_row.starts_at - datetime.timedelta(days=7),
    )
    return AttendanceRecord.objects.create(
        committee=meeting_row.committee,
        meeting=meeting_row,
        invitation=invitation,
        person=seat.person,
        sector=seat.sector,
        status=status,
        recorded_at=meeting_row.ends_at,
    )


def proposal(committee, authors, *, status="accepted", day="2024-02-01", kind=None, key=False):
    """A submitted proposal; `authors` are people, the first is the first proposer."""
    from lianluo.proposals.models import Proposal, ProposalAuthor, ProposalCategory

    category, _ = ProposalCategory.objects.get_or_create(committee=committee, name="经济建设")
    row = Proposal.objects.create(
        committee=committee,
        kind=kind or ("joint" if len(authors) > 1 else "individual"),
        author=authors[0],
        title=f"关于{day}的提案",
        body="……",
        category=category,
        status=status,
        year=int(day[:4]),
        submitted_at=at(day),
        is_key=key,
        no_secret_declared=True,
    )
    for position, person in enumerate(authors):
        ProposalAuthor.objects.create(
            committee=committee,
            proposal=row,
            person=person,
            role=ProposalAuthor.Role.FIRST if position == 0 else ProposalAuthor.Role.COSIGNER,
            state=ProposalAuthor.State.CONFIRMED,
            position=position,
        )
    return row


def opinion_report(committee, authors, *, status="accepted", day="2024-04-01"):
    from lianluo.proposals.models import OpinionReport, ReportAuthor

    row = OpinionReport.objects.create(
        committee=committee,
        year=int(day[:4]),
        kind="joint" if len(authors) > 1 else "individual",
        author=authors[0],
        title=f"关于{day}的社情民意",
        body="……",
        status=status,
        submitted_at=at(day),
    )
    for position, person in enumerate(authors):
        ReportAuthor.objects.create(
            committee=committee,
            report=row,
            person=person,
            role=ReportAuthor.Role.FIRST if position == 0 else ReportAuthor.Role.JOINT,
            position=position,
        )
    return row


def adoption(report, *, level="municipal", kind="adopted", day="2024-05-01", scope="single"):
    from lianluo.proposals.models import AdoptionEvent

    return AdoptionEvent.objects.create(
        committee=report.committee,
        report=report,
        level=level,
        body=AdoptionEvent.Body.CPPCC,
        scope=scope,
        kind=kind,
        by_whom="市委书记" if kind == "instruction" else "",
        occurred_on=datetime.date.fromisoformat(day),
        recorded_at=timezone.now(),
    )


def activity(committee, seats, *, kind="visit", day="2024-06-01"):
    from lianluo.liaison.models import ActivityParticipant, LiaisonActivity

    row = LiaisonActivity.objects.create(
        committee=committee,
        kind=kind,
        date=datetime.date.fromisoformat(day),
        summary="走访界别群众",
    )
    for seat in seats:
        ActivityParticipant.objects.create(activity=row, membership=seat)
    return row


SMALL_RULEBOOK = """\
format: 1
name: 测试细则
year: 2024
scale: 100
parts:
  - {id: attendance, label: 考勤, base: 40, cap: 40, floor: 0}
  - {id: performance, label: 考绩, cap: 60, floor: 0}
rules:
  - {id: plenary_absent, label: 无故缺席全体会议, kind: attendance, part: attendance,
     when: {meeting_kind: plenary, status: [absent, no_show]}, points: -20}
  - {id: plenary_excused, label: 请假缺席全体会议, kind: attendance, part: attendance,
     when: {meeting_kind: plenary, status: excused}, points: -5}
  - {id: proposal, label: 提交提案, kind: proposal, part: performance, points: 10,
     share: first_half, when: {outcome: {not: withdrawn}}}
  - {id: proposal_accepted, label: 提案立案, kind: proposal, part: performance, points: 10,
     share: first_half, stack: true, when: {outcome: [accepted, merged]}}
  - {id: opinion, label: 社情民意, kind: opinion_report, part: performance, points: 5}
  - {id: opinion_adopted, label: 社情民意被采用, kind: adoption, part: performance, points: 5,
     once: item, when: {of: opinion_report, action: adopted}}
  - {id: activity, label: 联系界别群众, kind: liaison_activity, part: performance, points: 2,
     cap: 10}
grades:
  - {id: excellent, label: 优秀, from: 90}
  - {id: pass, label: 合格, from: 60, below: 90}
  - {id: fail, label: 不合格, below: 60}
warnings:
  - {id: absent_twice, label: 连续两次无故缺席全体会议, kind: attendance,
     among: {meeting_kind: plenary}, match: {status: [absent, no_show]}, consecutive: 2,
     action: reminder_talk}
"""


def set_up_rulebook(committee, user, text: str = SMALL_RULEBOOK, year: int = 2024):
    version = services.rulebook_save(committee=committee, year=year, text=text, by=user)
    return services.assessment_ensure(committee=committee, year=year), version


def points(value) -> Decimal:
    return Decimal(str(value))
