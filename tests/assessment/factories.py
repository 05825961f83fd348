"""Rows of the assessment for tests, and the Shenzhen values of its URL arguments for the URL
walk of tests/test_url_permissions.py."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lianluo.assessment.models import (
    Assessment,
    DocumentBatch,
    MemberResult,
    MemberWarning,
    Objection,
    ScoreLine,
)


def shenzhen_url_values(world: Any) -> dict[str, Any]:
    """Shenzhen's (440300) assessment 2024 with one of each row a URL can name: none of the
    test users may reach any of them."""
    person = world.shenzhen_only
    office = world.users.shenzhen_office
    assessment = Assessment.objects.create(committee=world.shenzhen, year=2024)
    result = MemberResult.objects.create(
        assessment=assessment,
        person=person,
        share=Decimal(1),
        total=Decimal(50),
        computed_at=timezone.now(),
    )
    line = ScoreLine.objects.create(
        assessment=assessment,
        person=person,
        seq=1,
        part="work",
        rule_id="r",
        rule_label="规则",
        kind="speech",
        record_id="1",
        record_date=datetime.date(2024, 3, 1),
        price=Decimal(2),
        points=Decimal(2),
    )
    objection = Objection.objects.create(
        assessment=assessment, person=person, kind="missing", text="漏记", submitted_by=office
    )
    warning = MemberWarning.objects.create(
        assessment=assessment, person=person, rule_id="w", label="预警", action="notice"
    )
    batch = DocumentBatch.objects.create(
        assessment=assessment,
        kind="bulletin",
        status="done",
        requested_by=office,
        requested_at=timezone.now(),
    )
    by_person = {
        f"assessment:{name}": person.pk
        for name in ("person", "person_object", "person_adjust", "person_dossier")
    }
    return {
        "code": "440300",
        "year": 2024,
        "pk_by_name": {
            **by_person,
            "assessment:objection": objection.pk,
            "assessment:warning": warning.pk,
            "assessment:batch": batch.pk,
        },
        "api": {
            "assessment": assessment.pk,
            "assessment-result": result.pk,
            "assessment-line": line.pk,
            "assessment-objection": objection.pk,
        },
        # One's own pages, and the rulebook check (a text in, its problems out: no records).
        "own": {"assessment:index", "assessment:mine", "api:assessment-rulebook-check"},
    }
