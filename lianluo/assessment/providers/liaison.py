"""Providers of the liaison app: liaison activities and reception days on duty."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from lianluo.assessment.engine import Record
from lianluo.assessment.providers import Provider, Query, built_once, labels, url_maker
from lianluo.directory.models import Membership


def _seats_of(query: Query) -> Any:
    """The memberships of the people asked for (the liaison rows hang off memberships), as a
    subquery: the participant and duty indexes on membership are then used."""
    return Membership.objects.filter(
        person_id__in=query.person_ids or (), committee_id=query.committee_id
    ).values("id")


@built_once
def _activity_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    from lianluo.liaison.models import ActivityParticipant

    return (
        ActivityParticipant.objects.filter(
            activity__committee_id=committee_id, activity__date__range=(start, end)
        )
        .values_list(
            "activity_id",
            "membership__person_id",
            "activity__kind",
            "activity__date",
            "activity__headcount",
            "activity__place",
        )
        .order_by("activity_id", "membership__person_id")
    )


@built_once
def _duty_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    from lianluo.liaison.models import ReceptionDay, ReceptionDuty

    return (
        ReceptionDuty.objects.filter(
            reception_day__committee_id=committee_id,
            reception_day__date__range=(start, end),
            reception_day__status=ReceptionDay.Status.PUBLISHED,
        )
        .values_list(
            "reception_day_id",
            "membership__person_id",
            "reception_day__date",
            "reception_day__studio_id",
            "reception_day__studio__name",
        )
        .order_by("reception_day_id", "membership__person_id")
    )


def activities(query: Query) -> list[Record]:
    """One record per (liaison activity, participating member)."""
    from lianluo.liaison.models import LiaisonActivity

    rows = _activity_rows(query.committee_id, query.start, query.end)
    if query.person_ids is not None:
        rows = rows.filter(membership_id__in=_seats_of(query))
    url = url_maker("liaison:activity")
    names = labels(LiaisonActivity.Kind.choices)
    return [
        Record(
            kind="liaison_activity",
            record_id=str(activity_id),
            person_id=person_id,
            date=date,
            fields={"activity_kind": kind, "headcount": headcount or 0},
            url=url(activity_id),
            label=f"{names.get(kind, kind)} · {place}" if place else names.get(kind, kind),
        )
        for activity_id, person_id, kind, date, headcount, place in rows
    ]


def reception_duties(query: Query) -> list[Record]:
    """One record per published reception day a member was on duty (cancelled days do not
    count)."""
    rows = _duty_rows(query.committee_id, query.start, query.end)
    if query.person_ids is not None:
        rows = rows.filter(membership_id__in=_seats_of(query))
    studio_url = url_maker("liaison:public_studio")
    day_label = _("Reception day at %(studio)s")
    return [
        Record(
            kind="reception_duty",
            record_id=str(day_id),
            person_id=person_id,
            date=date,
            fields={},
            url=studio_url(studio_id) if studio_id else "",
            label=day_label % {"studio": studio_name or "—"},
        )
        for day_id, person_id, date, studio_id, studio_name in rows
    ]


PROVIDERS = [
    Provider(kind="liaison_activity", app_label="liaison", fetch=activities, name="activities"),
    Provider(kind="reception_duty", app_label="liaison", fetch=reception_duties, name="duties"),
]
