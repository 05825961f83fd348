"""Registry providers: who was a member in the year (MemberPeriod) and the roles they held."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lianluo.assessment.engine import MemberPeriod, Record
from lianluo.assessment.providers import Provider, Query, built_once, labels, url_maker
from lianluo.directory.models import Membership


@dataclass(frozen=True)
class Seat:
    """A member's seat in the year, with what the results pages group by."""

    period: MemberPeriod
    sector_id: int | None
    name: str
    sort_key: str


@built_once
def _seat_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    return (
        Membership.objects.filter(
            committee_id=committee_id, organization__isnull=True, start_date__lte=end
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("person_id", "start_date", "id")
        .values_list(
            "person_id",
            "start_date",
            "end_date",
            "role",
            "sector_id",
            "term__start_date",
            "person__name",
            "person__name_sort_key",
        )
    )


@built_once
def _role_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    return (
        Membership.objects.filter(
            committee_id=committee_id, organization__isnull=False, start_date__lte=end
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values_list(
            "id",
            "person_id",
            "start_date",
            "role",
            "organization__classification",
            "organization__name",
        )
        .order_by("id")
    )


def member_periods(query: Query) -> list[Seat]:
    """The committee's members in the period, one per person (their seats in the period merged:
    the earliest start, the latest end, the role and sector of the latest seat). One query."""
    seats = _seat_rows(query.committee_id, query.start, query.end)
    if query.person_ids is not None:
        seats = seats.filter(person_id__in=query.person_ids)
    merged: dict[int, Seat] = {}
    for person_id, start, end, role, sector_id, term_start, name, sort_key in seats:
        earlier = merged.get(person_id)
        if earlier is not None:
            start = min(start, earlier.period.start or start)
            end = (
                None if end is None or earlier.period.end is None else max(end, earlier.period.end)
            )
        merged[person_id] = Seat(
            period=MemberPeriod(
                person_id=person_id,
                start=start,
                end=end,
                role=role,
                term_start=term_start,
            ),
            sector_id=sector_id,
            name=name,
            sort_key=sort_key,
        )
    return list(merged.values())


def roles(query: Query) -> list[Record]:
    """The roles held in the committee's organizations during the period (director of a special
    committee, sector convener …), one record per membership, dated from its start (or the
    period's start if it began before)."""
    person_url = url_maker("directory:person")
    rows = _role_rows(query.committee_id, query.start, query.end)
    if query.person_ids is not None:
        rows = rows.filter(person_id__in=query.person_ids)
    role_labels = labels(Membership.Role.choices)
    role_label = _("%(role)s of %(organization)s")
    return [
        Record(
            kind="role",
            record_id=str(pk),
            person_id=person_id,
            date=max(start, query.start),
            fields={"role": role, "organization": classification},
            url=person_url(person_id),
            label=role_label % {"role": role_labels.get(role, role), "organization": org_name},
        )
        for pk, person_id, start, role, classification, org_name in rows
    ]


def period_of_year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


PROVIDERS = [Provider(kind="role", app_label="directory", fetch=roles, name="memberships")]
