"""Reads of the assessment worth a name: the active rulebook, results with ranks, a member's lines,
dashboard figures. Each list is one query; ranks are window functions, never stored."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, QuerySet

from lianluo.assessment import rulebook as rulebook_language
from lianluo.assessment.models import (
    Assessment,
    MemberResult,
    MemberWarning,
    Objection,
    RulebookVersion,
    ScoreLine,
)
from lianluo.directory.models import Committee, Membership, Organization


def active_version(committee_id: int, year: int) -> RulebookVersion | None:
    """The active rulebook version of a committee-year, if any."""
    return (
        RulebookVersion.objects.filter(
            rulebook__committee_id=committee_id, rulebook__year=year, is_active=True
        )
        .select_related("rulebook", "author")
        .first()
    )


@lru_cache(maxsize=64)
def _load(version_id: int, text: str) -> rulebook_language.Rulebook:
    return rulebook_language.load(text)


def typed(version: RulebookVersion) -> rulebook_language.Rulebook:
    """The typed rulebook of a saved version (saved versions are valid; parsed once)."""
    return _load(version.pk, version.text)


def versions(committee_id: int, year: int) -> QuerySet[RulebookVersion]:
    return (
        RulebookVersion.objects.filter(rulebook__committee_id=committee_id, rulebook__year=year)
        .select_related("author")
        .order_by("-number")
    )


def assessment_for(committee: Committee, year: int) -> Assessment | None:
    return Assessment.objects.filter(committee=committee, year=year).first()


def ranked_results(
    assessment: Assessment,
    *,
    sector_id: int | None = None,
    organization_id: int | None = None,
) -> QuerySet[MemberResult]:
    """The members' results, best total first (members not graded last); optionally of one
    sector, or of the members of one special committee. Ranks come from `ranks()`."""
    results = (
        MemberResult.objects.filter(assessment=assessment)
        .select_related("person", "sector")
        .order_by("-assessed", "-total", "person__name_sort_key", "person_id")
    )
    if sector_id is not None:
        results = results.filter(sector_id=sector_id)
    if organization_id is not None:
        in_org = Membership.objects.filter(
            organization_id=organization_id, status=Membership.Status.SERVING
        ).values("person_id")
        results = results.filter(person_id__in=in_org)
    return results


@dataclass(frozen=True)
class Ranks:
    """Competition ranks (1, 2, 2, 4 …) of the graded members: in the committee, in their
    sector, and in the list being shown (a special committee's members)."""

    committee: dict[int, int]
    sector: dict[int, int]


def _competition(totals: list[tuple[int, Decimal]]) -> dict[int, int]:
    ranked: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for index, (person_id, total) in enumerate(sorted(totals, key=lambda t: -t[1]), start=1):
        if total != previous:
            rank, previous = index, total
        ranked[person_id] = rank
    return ranked


def ranks(assessment: Assessment) -> Ranks:
    """The ranks of every graded member, in one query (totals only)."""
    rows = list(
        MemberResult.objects.filter(assessment=assessment, assessed=True).values_list(
            "person_id", "sector_id", "total"
        )
    )
    by_sector: dict[int | None, list[tuple[int, Decimal]]] = defaultdict(list)
    for person_id, sector_id, total in rows:
        by_sector[sector_id].append((person_id, total))
    sector: dict[int, int] = {}
    for members in by_sector.values():
        sector.update(_competition(members))
    return Ranks(committee=_competition([(p, t) for p, _s, t in rows]), sector=sector)


def list_ranks(results: QuerySet[MemberResult]) -> dict[int, int]:
    """Ranks within a filtered list (e.g. one special committee's members), one query."""
    return _competition(list(results.filter(assessed=True).values_list("person_id", "total")))


def member_lines(assessment: Assessment, person_id: int) -> QuerySet[ScoreLine]:
    return ScoreLine.objects.filter(assessment=assessment, person_id=person_id).order_by("seq")


def organizations(committee: Committee, classification: str) -> QuerySet[Organization]:
    return Organization.objects.filter(
        committee=committee, classification=classification, is_active=True
    ).order_by("position", "id")


def objections_of(assessment: Assessment) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(assessment=assessment)
        .select_related("person")
        .order_by("status", "-created_at", "-id")
    )


def warnings_of(assessment: Assessment) -> QuerySet[MemberWarning]:
    return (
        MemberWarning.objects.filter(assessment=assessment)
        .exclude(status=MemberWarning.Status.LAPSED)
        .select_related("person")
        .annotate(step_count=Count("steps"))
        .order_by("status", "person__name_sort_key", "rule_id")
    )


@dataclass(frozen=True)
class Bucket:
    label: str
    low: Decimal
    high: Decimal
    count: int


def distribution(totals: Iterable[Decimal], *, width: int = 10) -> list[Bucket]:
    """Totals counted in bands of `width` points (counts, never averages)."""
    counter: Counter[int] = Counter(int(total // width) for total in totals)
    if not counter:
        return []
    low, high = min(counter), max(counter)
    return [
        Bucket(
            f"{n * width}–{n * width + width}",
            Decimal(n * width),
            Decimal(n * width + width),
            counter.get(n, 0),
        )
        for n in range(low, high + 1)
    ]


@dataclass
class SectorRow:
    sector_id: int | None
    name: str
    members: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    without: Counter[str] = field(default_factory=Counter)


def dashboard(assessment: Assessment, part_ids: list[str]) -> dict[str, Any]:
    """The dashboard's figures, all counts of members (never averages): the score distribution,
    the grades, per sector the grades and the members without a record in each part, and the
    grades of the earlier years. Three queries."""
    rows = list(
        MemberResult.objects.filter(assessment=assessment)
        .values_list("person_id", "total", "grade_label", "sector_id", "sector__name", "assessed")
        .order_by("sector__position", "sector_id", "person_id")
    )
    with_lines = set(
        ScoreLine.objects.filter(assessment=assessment).values_list("part", "person_id").distinct()
    )
    graded = [row for row in rows if row[5]]
    sectors: dict[int | None, SectorRow] = {}
    without: Counter[str] = Counter()
    for person_id, _total, grade_label, sector_id, sector_name, assessed in rows:
        sector = sectors.setdefault(sector_id, SectorRow(sector_id, sector_name or "—"))
        sector.members += 1
        if assessed:
            sector.grades[grade_label or "—"] += 1
        for part_id in part_ids:
            if (part_id, person_id) not in with_lines:
                sector.without[part_id] += 1
                without[part_id] += 1
    years: dict[int, Counter[str]] = defaultdict(Counter)
    for year, label, count in (
        MemberResult.objects.filter(assessment__committee_id=assessment.committee_id, assessed=True)
        .values_list("assessment__year", "grade_label")
        .annotate(n=Count("id"))
        .order_by("assessment__year")
    ):
        years[year][label or "—"] += count
    return {
        "members": len(rows),
        "graded": len(graded),
        "distribution": distribution(row[1] for row in graded),
        "grades": Counter(row[2] or "—" for row in graded),
        "sectors": list(sectors.values()),
        "without": without,
        "years": dict(sorted(years.items())),
    }
