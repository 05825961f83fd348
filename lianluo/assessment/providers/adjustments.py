"""Provider of the assessment app itself: manual adjustments, each a record with a reason."""

from __future__ import annotations

from typing import Any

from lianluo.assessment.engine import Record
from lianluo.assessment.providers import Provider, Query, built_once


def adjustments(query: Query) -> list[Record]:
    """The adjustments of the assessment, one record each (the engine counts their points in
    their part; no rule prices them)."""
    from django.urls import reverse

    if query.assessment_id is None:
        return []
    rows = _adjustment_rows(query.assessment_id)
    if query.person_ids is not None:
        rows = rows.filter(person_id__in=query.person_ids)
    records = []
    for pk, person_id, part, points, date, reason, code, year, objection_id in rows:
        if objection_id:
            url = reverse("assessment:objection", args=[objection_id])
        else:
            url = reverse("assessment:person", args=[code, year, person_id]) + f"#adjustment-{pk}"
        records.append(
            Record(
                kind="adjustment",
                record_id=str(pk),
                person_id=person_id,
                date=date,
                fields={"part": part, "points": str(points)},
                url=url,
                label=reason[:300],
            )
        )
    return records


@built_once
def _adjustment_rows(assessment_id: int) -> Any:
    from lianluo.assessment.models import Adjustment

    return (
        Adjustment.objects.filter(assessment_id=assessment_id)
        .values_list(
            "id",
            "person_id",
            "part",
            "points",
            "date",
            "reason",
            "assessment__committee__code",
            "assessment__year",
            "objection__id",
        )
        .order_by("id")
    )


PROVIDERS = [
    Provider(kind="adjustment", app_label="assessment", fetch=adjustments, name="adjustments")
]
