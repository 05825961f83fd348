"""Providers of the meetings app: attendance, speeches, research reports and their adoptions."""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.utils.translation import gettext as _

from lianluo.assessment.engine import Record
from lianluo.assessment.kinds import SEAT_ROLES
from lianluo.assessment.providers import (
    Provider,
    Query,
    built_once,
    labels,
    local_dates,
    positions,
    url_maker,
)

# The level an adoption "by a higher committee" is at, from the committee's own level.
HIGHER = {"county": "municipal", "municipal": "provincial", "provincial": "national"}


def _meeting_url() -> Any:
    return url_maker("meetings:meeting")


@built_once
def _meetings(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.meetings.models import Meeting

    return Meeting.objects.filter(
        committee_id=committee_id, starts_at__gte=first, starts_at__lt=after
    ).values_list("id", "kind", "participation", "starts_at", "ends_at", "title")


@built_once
def _attendance_rows(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.meetings.models import AttendanceRecord

    return (
        AttendanceRecord.objects.filter(
            committee_id=committee_id,
            meeting__committee_id=committee_id,
            meeting__starts_at__gte=first,
            meeting__starts_at__lt=after,
        )
        .exclude(status=AttendanceRecord.Status.NOT_EXPECTED)
        .values_list("id", "person_id", "meeting_id", "status", "left_early", "invitation__role")
        .order_by("id")
    )


def attendance(query: Query) -> list[Record]:
    """One record per attendance record of a meeting of the period (not those 'not expected').

    The period's meetings are read on their own (a few dozen rows), their records without the
    meetings' columns: thousands of records share each meeting's date, length and title."""
    local_date = local_dates()
    from lianluo.meetings.models import AttendanceRecord, Meeting

    first, after = query.aware_bounds()
    meetings = {
        pk: (kind, participation == Meeting.Participation.MANDATORY, starts, ends, title)
        for pk, kind, participation, starts, ends, title in _meetings(
            query.committee_id, first, after
        )
    }
    rows = _attendance_rows(query.committee_id, first, after)
    if query.person_ids is not None:
        rows = rows.filter(person_id__in=query.person_ids)
    url = _meeting_url()
    statuses = labels(AttendanceRecord.Status.choices)
    shared = {}  # per meeting: kind, mandatory, date, half days, url, title
    for pk, (kind, mandatory, starts, ends, title) in meetings.items():
        hours = (ends - starts).total_seconds() / 3600 if ends and starts else 4
        half_days = max(1, math.ceil(hours / 4 - 0.01))
        shared[pk] = (kind, mandatory, local_date(starts), half_days, url(pk), title)
    records = []
    for pk, person_id, meeting_id, status, left_early, role in rows:
        kind, mandatory, date, half_days, link, title = shared[meeting_id]
        records.append(
            Record(
                kind="attendance",
                record_id=str(pk),
                person_id=person_id,
                date=date,
                fields={
                    "meeting_kind": kind,
                    "status": status,
                    "mandatory": mandatory,
                    "left_early": bool(left_early),
                    "member_role": role if role in SEAT_ROLES else "member",
                    "half_days": half_days,
                },
                url=link,
                label=f"{title} · {statuses.get(status, status)}",
            )
        )
    return records


def speeches(query: Query) -> list[Record]:
    """One record per (speech, speaker)."""
    local_date = local_dates()
    first, after = query.aware_bounds()
    rows = _speech_rows(query.committee_id, first, after)
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


@built_once
def _speech_rows(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.meetings.models import Speech

    return (
        Speech.speakers.through.objects.filter(
            speech__committee_id=committee_id,
            speech__meeting__committee_id=committee_id,
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


def _of_authors(rows: Any, query: Query) -> Any:
    """The rows of the reports an asked-for person wrote, with all their authors (positions)."""
    if query.person_ids is None:
        return rows
    from lianluo.meetings.models import ResearchReport

    through = ResearchReport.author_people.through
    mine = through.objects.filter(person_id__in=query.person_ids).values("researchreport_id")
    return rows.filter(researchreport_id__in=mine)


@built_once
def _report_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    from lianluo.meetings.models import ResearchReport

    return (
        ResearchReport.author_people.through.objects.filter(
            researchreport__committee_id=committee_id,
            researchreport__submitted_on__range=(start, end),
        )
        .values_list(
            "id",
            "researchreport_id",
            "person_id",
            "researchreport__submitted_on",
            "researchreport__title",
        )
        .order_by("researchreport_id", "id")
    )


@built_once
def _report_adoption_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    from lianluo.meetings.models import ResearchReport

    return (
        ResearchReport.author_people.through.objects.filter(
            researchreport__committee_id=committee_id,
            researchreport__adoptions__date__range=(start, end),
        )
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


def research_reports(query: Query) -> list[Record]:
    """One record per (report, author); the first author is the first one added."""
    rows = list(_of_authors(_report_rows(query.committee_id, query.start, query.end), query))
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
        _of_authors(_report_adoption_rows(query.committee_id, query.start, query.end), query)
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
