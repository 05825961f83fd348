"""Seeding of the assessment for the demo committee: the year's rulebook (the Tongcheng 2019
example, dated to the seeded year) and the scores computed from the records the other apps
seeded. Committees of `seed` (city, province, national) get none: their offices start the
assessment themselves, and the benchmark times the computation on its own."""

from __future__ import annotations

import random
import re

from lianluo.assessment import services
from lianluo.assessment.models import (
    Adjustment,
    Assessment,
    DocumentBatch,
    MemberResult,
    MemberWarning,
    Nomination,
    NominationQuota,
    Objection,
    Rulebook,
    RulebookVersion,
    ScoreLine,
    WarningStep,
)
from lianluo.assessment.rulebooks import examples
from lianluo.core import audit
from lianluo.directory.models import Committee

EXAMPLE = "tongcheng-2019"


def seed(
    *, committees: list[Committee], rng: random.Random, year: int, progress: bool = False
) -> dict[str, int]:
    text = dict(examples())[EXAMPLE]
    text = re.sub(r"^year\s*:.*$", f"year: {year}", text, count=1, flags=re.MULTILINE)
    totals = {"assessments": 0, "members": 0, "lines": 0}
    for committee in committees:
        if not committee.is_demo:
            continue
        services.rulebook_save(
            committee=committee,
            year=year,
            text=text,
            by=audit.SYSTEM,
            note="示例：桐城市政协 2019 年细则",
        )
        assessment = services.assessment_ensure(committee=committee, year=year)
        done = services.assessment_recompute(assessment=assessment, by=audit.SYSTEM)
        totals["assessments"] += 1
        totals["members"] += done.members
        totals["lines"] += done.lines
    return totals


def delete(*, committee_ids: list[int]) -> dict[str, int]:
    """Every assessment row of these committees, the rows that point at others first (the
    links between them are PROTECT)."""
    assessments = Assessment.objects.filter(committee_id__in=committee_ids)
    rulebooks = Rulebook.objects.filter(committee_id__in=committee_ids)
    counts: dict[str, int] = {}
    for rows in (
        WarningStep.objects.filter(warning__assessment__in=assessments),
        MemberWarning.objects.filter(assessment__in=assessments),
        Objection.objects.filter(assessment__in=assessments),
        Adjustment.objects.filter(assessment__in=assessments),
        Nomination.objects.filter(assessment__in=assessments),
        NominationQuota.objects.filter(assessment__in=assessments),
        DocumentBatch.objects.filter(assessment__in=assessments),
        ScoreLine.objects.filter(assessment__in=assessments),
        MemberResult.objects.filter(assessment__in=assessments),
        assessments,
        RulebookVersion.objects.filter(rulebook__in=rulebooks),
        rulebooks,
    ):
        for label, n in rows.delete()[1].items():
            counts[label] = counts.get(label, 0) + n
    return counts
