"""Providers of the meetings app: attendance, speeches, research reports and their adoptions."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from lianluo.assessment.engine import Record
from lianluo.assessment.kinds import SEAT_ROLES
from lianluo.assessment.providers import (
    Provider,
    Query,
    labels,
    local_dates,
    positions,
    url_maker,
)

# The level an adoption "by a higher committee" is at, from the committee's own level.
HIGHER = {"county": "municipal", "municipal": "provincial", "provincial": "national"}


def _meeting_url() -> Any:
    return url_maker("meetings:meeting")


def attendance(query: Query) -> list[Record]:
    """One record per attendance record of a closed meeting (not those 'not expected')."""
    local_date = local_dates()
    from lianluo.meetings.models import AttendanceRecord, Meeting

    first, after = query.aware_bounds()
    rows = (
        AttendanceRecord.objects.filter(
            committee_id=query.committee_id,
            meeting__committee_id=query.committee_id,  # lets the planner start from meetings
            meeting__starts_at__gte=first,
            meeting__starts_at__lt=after,
        )
        .exclude(status=AttendanceRecord.Status.NOT_EXPECTED)
        .values_list(
            "id",
            "person_id",
            "meeting_id",
            "meeting__kind",
            "meeting__participation",
            "meeting__starts_at",
            "meeting__ends_at",
            "meeting__title",
            "status",
            "left_early",
            "invitation__role",
        )
        .order_by("id")
    )
    if query.person_ids is not None:
        rows = rows.filter(person_id__in=query.person_ids)
    url = _meeting_url()
    statuses = labels(AttendanceRecord.Status.choices)
    records = []
    for (
        pk,
        person_id,
        meeting_id,
        kind,
        participation,
        starts,
        ends,
        title,
        status,
        left_early,
        role,
    ) in rows:
        hours = (ends - starts).total_seconds() / 3600 if ends and starts else 4
        records.append(
            Record(
                kind="attendance",
                record_id=str(pk),
                person_id=person_id,
                date=local_date(starts),
                fields={
                    "meeting_kind": kind,
                    "status": status,
                    "mandatory": participation == Meeting.Participation.MANDATORY,
                    "left_early": bool(left_early),
                    "member_role": role if role in SEAT_ROLES else "member",
                    "half_days": max(1, math.ceil(hours / 4 - 0.01)),
                },
                url=url(meeting_id),
                label=f"{title} · {statuses.get(status, status)}",
            )
        )
    return records


def speeches(query: Query) -> list[Record]:
    """One record per (speech, speaker)."""
    local_date = local_dates()
    from lianluo.meetings.models import Speech

    first, after = query.aware_bounds()
    through = Speech.speakers.through
    rows = (
        through.objects.filter(
            speech__committee_id=query.committee_id,
            speech__meeting__committee_id=query.committee_id,
            speech__meeting__starts_at__gte=first,
            speech__meeting__starts_at__lt=after,
        )
        .values_list(
            "speech_id",
            "person_id",
            "speech__mode",
            "speech__selected_for_plenary",
            "speech__meeting__kind",
            "speech__meeting__starts_at",
            "speech__meeting_id",
            "speech__title",
        )
        .order_by("speech_id", "person_id")
    )
    if query.person_ids is not None:
        rows = rows.filter(person_id__in=query.person_ids)
    url = _meeting_url()
    return [
        Record(
            kind="speech",
            record_id=str(speech_id),
            person_id=person_id,
            date=local_date(starts),
            fields={"speech_kind": mode, "meeting_kind": kind, "selected": bool(selected)},
            url=url(meeting_id),
            label=title,
        )
        for speech_id, person_id, mode, selected, kind, starts, meeting_id, title in rows
    ]


def _report_authors(query: Query) -> Any:
    from lianluo.meetings.models import ResearchReport

    through = ResearchReport.author_people.through
    rows = through.objects.filter(researchreport__committee_id=query.committee_id)
    if query.person_ids is not None:
        mine = through.objects.filter(person_id__in=query.person_ids).values("researchreport_id")
        rows = rows.filter(researchreport_id__in=mine)
    return rows


def research_reports(query: Query) -> list[Record]:
    """One record per (report, author); the first author is the first one added."""
    rows = list(
        _report_authors(query)
        .filter(researchreport__submitted_on__range=(query.start, query.end))
        .values_list(
            "id",
            "researchreport_id",
            "person_id",
            "researchreport__submitted_on",
            "researchreport__title",
        )
        .order_by("researchreport_id", "id")
    )
    url = url_maker("meetings:report")
    order = positions([(report, person, pk) for pk, report, person, _d, _t in rows])
    records = []
    for _pk, report, person, submitted, title in rows:
        if query.person_ids is not None and person not in query.person_ids:
            continue
        position, authors = order[(report, person)]
        records.append(
            Record(
                kind="research_report",
                record_id=str(report),
                person_id=person,
                date=submitted,
                fields={"author": "first" if position == 1 else "co_signer"},
                position=position,
                authors=authors,
                url=url(report),
                label=title,
            )
        )
    return records


def research_adoptions(query: Query) -> list[Record]:
    """One record per (adoption or instruction of a research report, author)."""
    rows = list(
        _report_authors(query)
        .filter(researchreport__adoptions__date__range=(query.start, query.end))
        .values_list(
            "id",
            "researchreport_id",
            "person_id",
            "researchreport__adoptions__id",
            "researchreport__adoptions__level",
            "researchreport__adoptions__kind",
            "researchreport__adoptions__date",
            "researchreport__title",
        )
        .order_by("researchreport_id", "id", "researchreport__adoptions__id")
    )
    url = url_maker("meetings:report")
    order = positions([(row[1], row[2], row[0]) for row in rows])
    own = query.committee_level
    event_label = _("%(title)s: %(event)s")
    records = []
    for _pk, report, person, event, level, kind, date, title in rows:
        if query.person_ids is not None and person not in query.person_ids:
            continue
        position, authors = order[(report, person)]
        records.append(
            Record(
                kind="adoption",
                record_id=f"r{event}",
                person_id=person,
                date=date,
                fields={
                    "of": "research_report",
                    "level": HIGHER.get(own, own) if level == "higher_committee" else own,
                    "body": {"party": "party", "government": "government"}.get(level, "cppcc"),
                    "mode": "single",
                    "action": kind,
                    "author": "first" if position == 1 else "co_signer",
                },
                position=position,
                authors=authors,
                item=f"research_report:{report}",
                url=url(report),
                label=event_label % {"title": title, "event": kind},
            )
        )
    return records


PROVIDERS = [
    Provider(kind="attendance", app_label="meetings", fetch=attendance, name="attendance"),
    Provider(kind="speech", app_label="meetings", fetch=speeches, name="speeches"),
    Provider(kind="research_report", app_label="meetings", fetch=research_reports, name="reports"),
    Provider(kind="adoption", app_label="meetings", fetch=research_adoptions, name="adoptions"),
]
