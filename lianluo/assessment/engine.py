"""The scoring engine 计分引擎: records + rulebook + members → lines, totals, grades, warnings.

Pure Python, no ORM: `score(records, rulebook, members)` is a function of its arguments only.
The same inputs give the same lines in the same order.

How a member's score is made, step by step (the member page explains it the same way):

1. The member's share of the year (days or months served, from their MemberPeriod) is computed.
   If the rulebook pro-rates, the parts' bases and caps, the grade thresholds or the plan are
   multiplied by it; below `min_share` the member is listed but not graded.
2. Each rule, in rulebook order, walks the member's matching records of the year in date order
   (date, kind, record id). A record gives the rule's points, shared between co-authors as the
   rule says. `after: n` skips the first n, `at_least: n` pays once at the n-th, `once` pays the
   first only (per year or per item). The rule cap limits the rule's sum; a line over it counts 0.
3. Manual adjustments give their own points in their own part.
4. Per part: the cap per kind, then the part's cap and floor. When a cap cuts, the last lines
   (in date order) give up the excess, so that base + the sum of the part's lines = the part's
   total, always: every point of a total is on one line.
5. The total is the weighted sum of the parts (cut at the scale, if the rulebook has one); the
   grade is the band it falls in, moved down while the band's requirements are not met.
6. Warnings: n in a row, n or more, fewer than n (in the year or the term), or a low total this
   year and the years before (from `history`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lianluo.assessment.rulebook import (
    Band,
    Condition,
    Requirement,
    Rule,
    Rulebook,
    Test,
    WarningRule,
    condition_holds,
)

CENT = Decimal("0.01")
ZERO = Decimal(0)
ADJUSTMENT_RULE = "adjustment"

# Notes on a line: why it counts less than its rule's price.
NOTE_RULE_CAP = "rule_cap"
NOTE_KIND_CAP = "kind_cap"
NOTE_PART_CAP = "part_cap"
NOTE_FLOOR = "floor"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Record:
    """One record that may earn or lose points, as a provider read it from its app.

    `record_id` identifies the record within its kind; a shared item (a joint proposal) gives one
    Record per author with the same record_id, the author's `position` (1 = first proposer) and
    the number of `authors`. `item` names the item behind the record when it differs (the report
    of an adoption event), for `once: item`.
    """

    kind: str
    record_id: str
    person_id: int
    date: datetime.date
    fields: Mapping[str, Any] = field(default_factory=dict)
    position: int = 1
    authors: int = 1
    item: str = ""
    url: str = ""
    label: str = ""

    def sort_key(self) -> tuple[datetime.date, str, str, str]:
        return (self.date, self.kind, self.record_id.zfill(20), self.item)


@dataclass(frozen=True)
class MemberPeriod:
    """When a member served in the year (None: from before / until after it), and their seat
    role. `term_start` bounds the records warnings count `over: term`."""

    person_id: int
    start: datetime.date | None = None
    end: datetime.date | None = None
    role: str = "member"
    term_start: datetime.date | None = None


@dataclass(frozen=True)
class ScoreLine:
    """One (rule, record) pair: the points a record earned under a rule, and why."""

    person_id: int
    rule_id: str
    rule_label: str
    part: str
    kind: str
    record_id: str
    date: datetime.date
    points: Decimal
    price: Decimal
    note: str = ""
    url: str = ""
    label: str = ""


@dataclass(frozen=True)
class PartTotal:
    part: str
    label: str
    base: Decimal
    earned: Decimal
    total: Decimal
    cap: Decimal | None
    weight: Decimal
    lines: int


@dataclass(frozen=True)
class PlanItem:
    """A requirement of the plan: how many records count, how many are needed."""

    id: str
    label: str
    count: int
    needed: int
    records: tuple[tuple[str, str, str, str], ...] = ()  # (kind, id, url, label), the first 20

    @property
    def missing(self) -> int:
        return max(self.needed - self.count, 0)


@dataclass(frozen=True)
class WarningHit:
    person_id: int
    rule_id: str
    label: str
    action: str
    record_ids: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class MemberScore:
    person_id: int
    share: Decimal
    assessed: bool
    parts: tuple[PartTotal, ...]
    total: Decimal
    grade: str
    grade_label: str
    next_grade: str
    next_grade_label: str
    to_next_grade: Decimal | None
    plan: tuple[PlanItem, ...]
    warnings: tuple[WarningHit, ...]

    def part(self, part_id: str) -> PartTotal | None:
        return next((p for p in self.parts if p.part == part_id), None)


@dataclass(frozen=True)
class ScoreResult:
    lines: tuple[ScoreLine, ...]
    members: tuple[MemberScore, ...]

    def member(self, person_id: int) -> MemberScore | None:
        return next((m for m in self.members if m.person_id == person_id), None)

    def of(self, person_id: int) -> MemberScore:
        """The score of one member (KeyError if they were not scored)."""
        found = self.member(person_id)
        if found is None:
            raise KeyError(person_id)
        return found

    def lines_of(self, person_id: int) -> list[ScoreLine]:
        return [line for line in self.lines if line.person_id == person_id]

    @property
    def warnings(self) -> tuple[WarningHit, ...]:
        return tuple(w for m in self.members for w in m.warnings)

    def totals(self) -> dict[int, Decimal]:
        return {m.person_id: m.total for m in self.members}


# --------------------------------------------------------------------------- helpers


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def served_share(member: MemberPeriod, year: int, by: str | None) -> Decimal:
    """The share of `year` the member served: days (or whole months touched) over the year's."""
    first, last = year_bounds(year)
    start = max(member.start or first, first)
    end = min(member.end or last, last)
    if end < start:
        return ZERO
    if by == "months":
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return Decimal(months) / Decimal(12)
    days = (end - start).days + 1
    return Decimal(days) / Decimal((last - first).days + 1)


def _price(rule: Rule, record: Record) -> Decimal | None:
    """The rule's points for this author's record, shared as the rule says (None: nothing)."""
    if rule.share == "by_position":
        author = str(record.fields.get("author", ""))
        value = (rule.points_by_author or {}).get(author)
        return None if value is None else value
    points = rule.points
    authors = max(record.authors, 1)
    if rule.share == "full" or authors == 1:
        if rule.share == "first_only" and record.position != 1:
            return None
        return points
    if rule.share == "first_only":
        return points if record.position == 1 else None
    if rule.share == "halved_when_joint":
        return points / 2
    if rule.share == "equal":
        return points / authors
    # first_half: the first proposer half, the others share the other half equally
    if record.position == 1:
        return points / 2
    return points / 2 / (authors - 1)


def _cut(lines: list[dict[str, Any]], excess: Decimal, note: str, *, positive: bool) -> None:
    """Take `excess` (> 0) away from the last lines of the given sign, last first."""
    for line in reversed(lines):
        if excess <= 0:
            return
        points = line["points"]
        if positive and points > 0:
            taken = min(points, excess)
            line["points"] = points - taken
        elif not positive and points < 0:
            taken = min(-points, excess)
            line["points"] = points + taken
        else:
            continue
        line["note"] = line["note"] or note
        excess -= taken


def _pick_band(
    bands: Sequence[Band], total: Decimal, factor: Decimal, met: set[str]
) -> tuple[Band | None, Band | None]:
    """The band of `total` (moved down while requirements fail) and the band above it."""
    ordered = sorted(
        bands,
        key=lambda b: (b.lower is not None, b.lower if b.lower is not None else ZERO),
        reverse=True,
    )
    index = None
    for position, band in enumerate(ordered):
        lower = None if band.lower is None else band.lower * factor
        if lower is None or total >= lower:
            index = position
            break
    if index is None:
        return None, ordered[-1] if ordered else None
    while index < len(ordered) - 1 and not set(ordered[index].requires) <= met:
        index += 1
    above = ordered[index - 1] if index > 0 else None
    return ordered[index], above


# --------------------------------------------------------------------------- scoring


Matcher = Callable[[Mapping[str, Any]], bool]


def _test_matcher(test: Test) -> Matcher:
    name, value = test.field, test.value
    if test.op == "eq":
        return lambda fields: fields.get(name) == value
    if test.op == "ne":
        return lambda fields: fields.get(name) != value
    if test.op in ("in", "not_in"):
        try:
            values: Collection[Any] = frozenset(value)
        except TypeError:
            values = tuple(value)
        if test.op == "in":
            return lambda fields: fields.get(name) in values
        return lambda fields: fields.get(name) not in values
    return test.holds


def matcher(alternatives: Sequence[Condition]) -> Matcher:
    """A fast predicate for "any of these conditions holds" (each a conjunction of tests)."""
    compiled = [[_test_matcher(test) for test in condition] for condition in alternatives]
    if len(compiled) == 1:
        tests = compiled[0]
        if not tests:
            return lambda fields: True
        if len(tests) == 1:
            return tests[0]
        return lambda fields: all(test(fields) for test in tests)
    return lambda fields: any(all(test(fields) for test in tests) for tests in compiled)


def _rule_lines(
    rule: Rule,
    matches: Matcher,
    records: Sequence[Record],
    member: MemberPeriod,
    cap_factor: Decimal,
) -> list[dict[str, Any]]:
    """The lines of one rule for one member; `records` are the member's records of the rule's
    kind, in date order."""
    if rule.roles is not None and member.role not in rule.roles:
        return []
    lines: list[dict[str, Any]] = []
    matched = 0
    paid_items: set[str] = set()
    total = ZERO
    cap = None if rule.cap is None else rule.cap * cap_factor
    for record in records:
        if not matches(record.fields):
            continue
        matched += 1
        if matched <= rule.after:
            continue
        if rule.at_least is not None and matched != rule.at_least:
            continue
        if rule.once == "year" and lines:
            continue
        if rule.once == "item":
            key = record.item or record.record_id
            if key in paid_items:
                continue
            paid_items.add(key)
        price = _price(rule, record)
        if price is None:
            continue
        price = cents(price)
        points = price
        note = ""
        if cap is not None:
            room = cap - abs(total)
            if abs(points) > room:
                points = max(room, ZERO) * (1 if points >= 0 else -1)
                note = NOTE_RULE_CAP
        total += points
        lines.append(
            {
                "rule": rule,
                "record": record,
                "price": price,
                "points": cents(points),
                "note": note,
            }
        )
    return lines


def _member_score(
    member: MemberPeriod,
    records: Sequence[Record],
    term_records: Sequence[Record],
    rulebook: Rulebook,
    history: Sequence[Decimal],
    matchers: Mapping[str, Matcher],
) -> tuple[list[ScoreLine], MemberScore]:
    prorate = rulebook.prorate
    share = cents(served_share(member, rulebook.year, prorate.by or "days"))
    factor = share if prorate.by is not None else Decimal(1)
    assessed = share > 0 and (prorate.by is None or share >= prorate.min_share)
    base_factor = factor if "base" in prorate.scale else Decimal(1)
    cap_factor = factor if "caps" in prorate.scale else Decimal(1)
    grade_factor = factor if "grades" in prorate.scale else Decimal(1)
    plan_factor = factor if "requirements" in prorate.scale else Decimal(1)

    by_kind: dict[str, list[Record]] = defaultdict(list)
    position: dict[int, int] = {}
    for index, record in enumerate(records):  # records come in date order
        by_kind[record.kind].append(record)
        position[id(record)] = index
    raw: list[dict[str, Any]] = []
    for rule in rulebook.rules:
        of_kind = by_kind.get(rule.kind)
        if of_kind:  # most members have records of a few kinds only
            raw.extend(_rule_lines(rule, matchers[rule.id], of_kind, member, cap_factor))
    for record in by_kind.get("adjustment", ()):
        points = cents(Decimal(str(record.fields.get("points", 0))))
        raw.append({"rule": None, "record": record, "price": points, "points": points, "note": ""})

    rule_order = {rule.id: index for index, rule in enumerate(rulebook.rules)}

    def order(line: dict[str, Any]) -> tuple[int, int]:
        rule = line["rule"]
        return (position[id(line["record"])], rule_order[rule.id] if rule else len(rule_order))

    by_part: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in sorted(raw, key=order):
        part_id = line["rule"].part if line["rule"] else str(line["record"].fields.get("part", ""))
        by_part[part_id].append(line)

    part_totals: list[PartTotal] = []
    lines_out: list[ScoreLine] = []
    for part in rulebook.parts:
        part_lines = by_part.get(part.id, [])
        for kind, kind_cap in part.kind_caps.items():
            same_kind = [line for line in part_lines if line["record"].kind == kind]
            earned = sum((line["points"] for line in same_kind if line["points"] > 0), ZERO)
            limit = kind_cap * cap_factor
            if earned > limit:
                _cut(same_kind, earned - limit, NOTE_KIND_CAP, positive=True)
        base = cents(part.base * base_factor)
        running = base + sum((line["points"] for line in part_lines), ZERO)
        cap = None if part.cap is None else cents(part.cap * cap_factor)
        if cap is not None and running > cap:
            _cut(part_lines, running - cap, NOTE_PART_CAP, positive=True)
        floor = part.floor
        running = base + sum((line["points"] for line in part_lines), ZERO)
        if floor is not None and running < floor:
            _cut(part_lines, floor - running, NOTE_FLOOR, positive=False)
        earned = sum((line["points"] for line in part_lines), ZERO)
        total = base + earned
        # A cap below the base (a pro-rated base above a pro-rated cap cannot happen; a floor
        # above the base is refused by validation), so total stays within [floor, cap].
        part_totals.append(
            PartTotal(
                part=part.id,
                label=part.label,
                base=base,
                earned=earned,
                total=total,
                cap=cap,
                weight=part.weight,
                lines=len(part_lines),
            )
        )
        for line in part_lines:
            rule = line["rule"]
            source: Record = line["record"]
            lines_out.append(
                ScoreLine(
                    person_id=member.person_id,
                    rule_id=rule.id if rule else ADJUSTMENT_RULE,
                    rule_label=rule.label if rule else source.label,
                    part=part.id,
                    kind=source.kind,
                    record_id=source.record_id,
                    date=source.date,
                    points=line["points"],
                    price=line["price"],
                    note=line["note"],
                    url=source.url,
                    label=source.label,
                )
            )

    total = cents(sum((p.total * p.weight for p in part_totals), ZERO))
    if rulebook.scale is not None:
        total = min(total, rulebook.scale)

    plan = tuple(_plan_item(req, records, member, plan_factor) for req in rulebook.requirements)
    met = {item.id for item in plan if item.missing == 0}
    band, above = _pick_band(rulebook.grades, total, grade_factor, met)
    to_next = None
    if above is not None and above.lower is not None:
        to_next = max(cents(above.lower * grade_factor - total), ZERO)
    term_by_kind: dict[str, list[Record]] = defaultdict(list)
    if rulebook.term_kinds():
        for record in term_records:
            term_by_kind[record.kind].append(record)
    warnings = tuple(
        hit
        for rule in rulebook.warnings
        if (
            hit := _warning(
                rule,
                member,
                by_kind.get(rule.kind or "", []),
                term_by_kind.get(rule.kind or "", []),
                total,
                history,
                rulebook.year,
            )
        )
    )
    return lines_out, MemberScore(
        person_id=member.person_id,
        share=share,
        assessed=assessed,
        parts=tuple(part_totals),
        total=total,
        grade=band.id if band and assessed else "",
        grade_label=band.label if band and assessed else "",
        next_grade=above.id if above else "",
        next_grade_label=above.label if above else "",
        to_next_grade=to_next,
        plan=plan,
        warnings=warnings if assessed else (),
    )


def _plan_item(
    req: Requirement, records: Sequence[Record], member: MemberPeriod, factor: Decimal
) -> PlanItem:
    if req.roles is not None and member.role not in req.roles:
        return PlanItem(req.id, req.label, 0, 0)
    matched = [r for r in records if req.counts(r.kind, r.fields)]
    needed = int((Decimal(req.minimum) * factor).to_integral_value(rounding=ROUND_HALF_UP))
    shown = tuple((r.kind, r.record_id, r.url, r.label) for r in matched[:20])
    return PlanItem(req.id, req.label, len(matched), needed, shown)


def _warning(
    rule: WarningRule,
    member: MemberPeriod,
    records: Sequence[Record],
    term_records: Sequence[Record],
    total: Decimal,
    history: Sequence[Decimal],
    year: int,
) -> WarningHit | None:
    """Whether the warning rule hits the member; `records` and `term_records` are the member's
    records of the rule's kind (in the year, and up to the year's end), in date order."""
    if rule.roles is not None and member.role not in rule.roles:
        return None
    if rule.score_below is not None:
        recent = [total, *history][: rule.years]
        if len(recent) == rule.years and all(t < rule.score_below for t in recent):
            return WarningHit(member.person_id, rule.id, rule.label, rule.action)
        return None
    pool = term_records if rule.over == "term" else records
    if rule.over == "term" and member.term_start is not None:
        pool = [r for r in pool if r.date >= member.term_start]
    seq = [r for r in pool if condition_holds(rule.among, r.fields)]
    hits = [r for r in seq if condition_holds(rule.match, r.fields)]
    if rule.consecutive is not None:
        run: list[Record] = []
        for record in seq:
            run = [*run, record] if condition_holds(rule.match, record.fields) else []
            if len(run) >= rule.consecutive:
                ids = tuple(r.record_id for r in run[-rule.consecutive :])
                return WarningHit(member.person_id, rule.id, rule.label, rule.action, ids)
        return None
    if rule.count is not None and len(hits) >= rule.count:
        ids = tuple(r.record_id for r in hits)
        return WarningHit(member.person_id, rule.id, rule.label, rule.action, ids)
    if rule.fewer_than is not None and len(hits) < rule.fewer_than:
        return WarningHit(
            member.person_id, rule.id, rule.label, rule.action, tuple(r.record_id for r in hits)
        )
    return None


def score(
    records: Iterable[Record],
    rulebook: Rulebook,
    members: Sequence[MemberPeriod],
    *,
    history: Mapping[int, Sequence[Decimal]] | None = None,
) -> ScoreResult:
    """Score `members` on `records` under `rulebook`.

    Records of people who are not in `members` are ignored. Records outside the rulebook's year
    score nothing; they are read only by warnings counted over the term. `history` gives each
    member's totals of the previous years, newest first (for "below 60 two years running").
    """
    first, last = year_bounds(rulebook.year)
    of_year: dict[int, list[Record]] = defaultdict(list)
    of_term: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        if record.date <= last:
            of_term[record.person_id].append(record)
            if record.date >= first:
                of_year[record.person_id].append(record)
    lines: list[ScoreLine] = []
    results: list[MemberScore] = []
    matchers = {rule.id: matcher(rule.alternatives) for rule in rulebook.rules}
    for member in sorted(members, key=lambda m: m.person_id):
        year_records = sorted(of_year.get(member.person_id, ()), key=Record.sort_key)
        term_records = sorted(of_term.get(member.person_id, ()), key=Record.sort_key)
        member_lines, result = _member_score(
            member,
            year_records,
            term_records,
            rulebook,
            tuple((history or {}).get(member.person_id, ())),
            matchers,
        )
        lines.extend(member_lines)
        results.append(result)
    return ScoreResult(lines=tuple(lines), members=tuple(results))
