"""Provider of the casework app: the concerns 诉求 a member handled."""

from __future__ import annotations

import datetime
from typing import Any

from lianluo.assessment.engine import Record
from lianluo.assessment.providers import Provider, Query, built_once, local_dates, url_maker

COUNTED = (
    "received",
    "triaged",
    "forwarded",
    "handling",
    "clarification",
    "returned",
    "converted",
    "replied",
    "closed",
    "merged",
)


def concerns(query: Query) -> list[Record]:
    """One record per concern addressed to a member and received in the period (not those held
    for moderation or discarded as spam)."""
    local_date = local_dates()
    first, after = query.aware_bounds()
    rows = _concern_rows(query.committee_id, first, after)
    if query.person_ids is not None:
        rows = rows.filter(member_id__in=query.person_ids)
    url = url_maker("casework:concern")
    return [
        Record(
            kind="concern",
            record_id=str(pk),
            person_id=member_id,
            date=local_date(received_at),
            fields={
                "status": status,
                "outcome": outcome or "none",
                "rating": rating or "none",
                "converted_to": converted_to or "none",
                "source": source,
            },
            url=url(pk),
            label=f"{code} {topic}",
        )
        for (
            pk,
            member_id,
            status,
            outcome,
            rating,
            converted_to,
            source,
            received_at,
            code,
            topic,
        ) in rows
    ]


@built_once
def _concern_rows(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.casework.models import Concern

    return (
        Concern.objects.filter(
            committee_id=committee_id,
            member__isnull=False,
            received_at__gte=first,
            received_at__lt=after,
            status__in=COUNTED,
        )
        .values_list(
            "id",
            "member_id",
            "status",
            "outcome",
            "rating",
            "converted_to",
            "source",
            "received_at",
            "code",
            "topic",
        )
        .order_by("id")
    )


PROVIDERS = [Provider(kind="concern", app_label="casework", fetch=concerns, name="concerns")]
