"""Rescoring when a record changes: every change an app makes to a record goes through
`core.audit.record`, so one receiver on the audit events finds the members a changed record
concerns and rescores them in the background (services.records_changed: only if that year's
assessment is open; a frozen year stays as published).

WATCHED names, per (app label, model name), the members a record concerns as rows of
(committee id, person id, the record's date). A new record kind adds its provider and an entry
here; the engine does not change. Rows written in bulk without audit events (seeding) are
scored by the next batch recompute.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db.models.signals import post_save
from django.utils import timezone

from lianluo.core.models import AuditEvent

Row = tuple[int, int | None, Any]


def _model(label: str) -> Any:
    return apps.get_model(label)


def _proposal(pk: str) -> Iterable[Row]:
    return (
        _model("proposals.ProposalAuthor")
        .objects.filter(proposal_id=pk)
        .values_list("committee_id", "person_id", "proposal__submitted_at")
    )


def _assignment(pk: str) -> Iterable[Row]:
    proposal = _model("proposals.Assignment").objects.filter(pk=pk).values("proposal_id")
    return (
        _model("proposals.ProposalAuthor")
        .objects.filter(proposal_id__in=proposal)
        .values_list("committee_id", "person_id", "proposal__submitted_at")
    )


def _opinion_report(pk: str) -> Iterable[Row]:
    return (
        _model("proposals.ReportAuthor")
        .objects.filter(report_id=pk)
        .values_list("committee_id", "person_id", "report__submitted_at")
    )


def _opinion_adoption(pk: str) -> Iterable[Row]:
    event = _model("proposals.AdoptionEvent").objects.filter(pk=pk).first()
    if event is None:
        return []
    return [
        (committee_id, person_id, event.occurred_on)
        for committee_id, person_id, _day in _opinion_report(str(event.report_id))
    ]


def _meeting(pk: str) -> Iterable[Row]:
    return (
        _model("meetings.AttendanceRecord")
        .objects.filter(meeting_id=pk)
        .values_list("committee_id", "person_id", "meeting__starts_at")
    )


def _attendance(pk: str) -> Iterable[Row]:
    return (
        _model("meetings.AttendanceRecord")
        .objects.filter(pk=pk)
        .values_list("committee_id", "person_id", "meeting__starts_at")
    )


def _speech(pk: str) -> Iterable[Row]:
    return (
        _model("meetings.Speech")
        .speakers.through.objects.filter(speech_id=pk)
        .values_list("speech__committee_id", "person_id", "speech__meeting__starts_at")
    )


def _research_report(pk: str) -> Iterable[Row]:
    return (
        _model("meetings.ResearchReport")
        .author_people.through.objects.filter(researchreport_id=pk)
        .values_list("researchreport__committee_id", "person_id", "researchreport__submitted_on")
    )


def _research_adoption(pk: str) -> Iterable[Row]:
    event = _model("meetings.AdoptionEvent").objects.filter(pk=pk).first()
    if event is None:
        return []
    return [
        (committee_id, person_id, event.date)
        for committee_id, person_id, _day in _research_report(str(event.report_id))
    ]


def _activity(pk: str) -> Iterable[Row]:
    return (
        _model("liaison.ActivityParticipant")
        .objects.filter(activity_id=pk)
        .values_list("activity__committee_id", "membership__person_id", "activity__date")
    )


def _reception_day(pk: str) -> Iterable[Row]:
    return (
        _model("liaison.ReceptionDuty")
        .objects.filter(reception_day_id=pk)
        .values_list("reception_day__committee_id", "membership__person_id", "reception_day__date")
    )


def _concern(pk: str) -> Iterable[Row]:
    return (
        _model("casework.Concern")
        .objects.filter(pk=pk, member__isnull=False)
        .values_list("committee_id", "member_id", "received_at")
    )


def _membership(pk: str) -> Iterable[Row]:
    return (
        _model("directory.Membership")
        .objects.filter(pk=pk)
        .values_list("committee_id", "person_id", "start_date")
    )


WATCHED: dict[tuple[str, str], Callable[[str], Iterable[Row]]] = {
    ("proposals", "proposal"): _proposal,
    ("proposals", "assignment"): _assignment,
    ("proposals", "opinionreport"): _opinion_report,
    ("proposals", "adoptionevent"): _opinion_adoption,
    ("meetings", "meeting"): _meeting,
    ("meetings", "attendancerecord"): _attendance,
    ("meetings", "speech"): _speech,
    ("meetings", "researchreport"): _research_report,
    ("meetings", "adoptionevent"): _research_adoption,
    ("liaison", "liaisonactivity"): _activity,
    ("liaison", "receptionday"): _reception_day,
    ("casework", "concern"): _concern,
    ("directory", "membership"): _membership,
}


def _year_of(value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).year
    if isinstance(value, datetime.date):
        return value.year
    return timezone.localdate().year


def members_concerned(app_label: str, model: str, pk: str) -> dict[tuple[int, int], set[int]]:
    """(committee id, year) → the people whose score the record `pk` counts in."""
    find = WATCHED.get((app_label, model))
    if find is None or not apps.is_installed(f"lianluo.{app_label}"):
        return {}
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    for committee_id, person_id, day in find(pk):
        if person_id is not None:
            found[(committee_id, _year_of(day))].add(person_id)
    return found


def on_audit_event(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from lianluo.assessment.services import records_changed

    content_type = instance.content_type
    concerned = members_concerned(content_type.app_label, content_type.model, instance.object_id)
    for (committee_id, year), people in concerned.items():
        records_changed(committee_id=committee_id, person_ids=people, on=datetime.date(year, 1, 1))


def connect() -> None:
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="assessment.watch")
