"""The rulebook language 考核细则: a YAML document, validated line by line, loaded into types.

A committee writes its rules for a year as data. `load(text)` parses the YAML (keeping the line of
every key and value), checks it against the record kinds of `kinds.py`, and returns a typed,
frozen `Rulebook`; or raises `RulebookError` whose `problems` each name a line. `problems(text)`
returns the list without raising (the staff page shows it).

The document (see `rulebooks/*.yaml` for three real ones)::

    format: 1
    name: 政协某某委员会委员履职考核办法
    year: 2024
    scale: 100                       # optional: the highest total; above it is cut
    parts:                           # 考勤 / 考绩, or the committee's own parts
      - {id: attendance, label: 考勤, base: 0, cap: 50, floor: 0, weight: 1,
         kind_caps: {speech: 10}}    # cap per kind inside the part
    rules:
      - id: plenary_absent           # unique; every score line names it
        label: 无故缺席全体会议
        kind: attendance             # a record kind of kinds.py
        part: attendance
        when: {meeting_kind: plenary, status: absent}   # equality; a list = one of;
                                     # {not: x}, {in: [..]}, {not_in: [..]}, {gt|ge|lt|le: n}
        when_any: [{..}, {..}]       # instead of `when`: any one of these conditions
        role: [standing_member]      # only members with this seat role in the year
        points: -5                   # or by author position: {first: 20, co_signer: 15}
        share: full                  # how co-authors share: full | first_only | first_half |
                                     # halved_when_joint | equal | by_position
        cap: 10                      # the most this rule gives (or takes) a member in the year
        once: year                   # at most once a year; `item`: once per item (the report
                                     # behind several adoption events)
        after: 1                     # the first n matching records score nothing
        at_least: 2                  # points once, when the n-th matching record is reached
        stack: true                  # may match the same record as another rule of its part
    grades:                          # bands: from (inclusive) … below (exclusive)
      - {id: excellent, label: 优秀, from: 90}
      - {id: pass, label: 合格, from: 60, below: 90, requires: [one_proposal]}
      - {id: fail, label: 不合格, below: 60}
    requirements:                    # the plan: minimum records (e.g. Jinan's 三个一)
      - {id: one_proposal, label: 至少一件提案, min: 1, any: [{kind: proposal}]}
    warnings:                        # sanctions: n in a row, n in a year/term, fewer than n,
      - {id: two_plenary, label: 连续两次缺席全会, kind: attendance,   # or a low score
         among: {meeting_kind: plenary}, match: {status: absent}, consecutive: 2,
         over: term, action: reminder_talk}
    prorate:                         # members who joined or left during the year
      by: days                       # share of the year served: days | months
      scale: [caps]                  # multiplied by the share: base, caps, grades, requirements
      min_share: 0.25                # below this share a member is listed but not graded

Manual adjustments (kind `adjustment`) need no rule: each counts its own points in its own part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _

from lianluo.assessment.kinds import KINDS, Kind

FORMAT = 1
Share = Literal["full", "first_only", "first_half", "halved_when_joint", "equal", "by_position"]
SHARES: tuple[str, ...] = (
    "full",
    "first_only",
    "first_half",
    "halved_when_joint",
    "equal",
    "by_position",
)
OPS = ("eq", "ne", "in", "not_in", "gt", "ge", "lt", "le")
ACTIONS = (
    "notice",  # 提醒
    "reminder_talk",  # 提醒谈话 / 约谈
    "written_criticism",  # 书面通报批评
    "resignation_advised",  # 劝辞
    "revocation",  # 撤销委员资格 (by the standing committee)
    "renewal_review",  # not recommended for the next term
)
PRORATE_SCALES = ("base", "caps", "grades", "requirements")


# --------------------------------------------------------------------------- typed rulebook


@dataclass(frozen=True)
class Test:
    """One test of a condition: `field` `op` `value` (value a tuple for in / not_in)."""

    field: str
    op: str
    value: Any

    def holds(self, fields: Mapping[str, Any]) -> bool:
        actual = fields.get(self.field)
        if self.op == "eq":
            return bool(actual == self.value)
        if self.op == "ne":
            return bool(actual != self.value)
        if self.op == "in":
            return actual in self.value
        if self.op == "not_in":
            return actual not in self.value
        if actual is None:
            return False
        number = Decimal(str(actual))
        if self.op == "gt":
            return number > self.value
        if self.op == "ge":
            return number >= self.value
        if self.op == "lt":
            return number < self.value
        return bool(number <= self.value)


Condition = tuple[Test, ...]


def condition_holds(condition: Condition, fields: Mapping[str, Any]) -> bool:
    return all(test.holds(fields) for test in condition)


_SIGNS = {
    "eq": "=",
    "ne": "≠",
    "in": "∈",
    "not_in": "∉",
    "gt": ">",
    "ge": "≥",
    "lt": "<",
    "le": "≤",
}


def describe(condition: Condition) -> str:
    """A condition as a person reads it: `status ∈ {absent, no_show}, meeting_kind = plenary`."""
    parts = []
    for test in condition:
        value = test.value
        shown = "{" + ", ".join(str(v) for v in value) + "}" if isinstance(value, tuple) else value
        if isinstance(shown, bool):
            shown = "true" if shown else "false"
        parts.append(f"{test.field} {_SIGNS[test.op]} {shown}")
    return ", ".join(parts)


@dataclass(frozen=True)
class Part:
    """A part of the score 考核项目 (考勤, 考绩 …) with its base, cap, floor and weight."""

    id: str
    label: str
    base: Decimal = Decimal(0)
    cap: Decimal | None = None
    floor: Decimal | None = None
    weight: Decimal = Decimal(1)
    kind_caps: Mapping[str, Decimal] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Rule:
    """One rule: which records of a kind it prices, how much, shared how, capped how."""

    id: str
    label: str
    kind: str
    part: str
    alternatives: tuple[Condition, ...] = ((),)
    roles: frozenset[str] | None = None
    points: Decimal = Decimal(0)
    points_by_author: Mapping[str, Decimal] | None = None
    share: str = "full"
    cap: Decimal | None = None
    once: str | None = None
    after: int = 0
    at_least: int | None = None
    stack: bool = False
    line: int = 0

    def matches(self, fields: Mapping[str, Any]) -> bool:
        return any(condition_holds(c, fields) for c in self.alternatives)

    @property
    def conditions_text(self) -> str:
        return " | ".join(describe(c) or "*" for c in self.alternatives)

    @property
    def points_text(self) -> str:
        if self.points_by_author:
            return ", ".join(f"{k} {v:+}" for k, v in self.points_by_author.items())
        return f"{self.points:+}"


@dataclass(frozen=True)
class Band:
    """A grade band 等次: totals from `lower` (inclusive) to `upper` (exclusive)."""

    id: str
    label: str
    lower: Decimal | None = None
    upper: Decimal | None = None
    requires: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Requirement:
    """A minimum a member should reach in the year (the plan), e.g. at least one proposal."""

    id: str
    label: str
    alternatives: tuple[tuple[str, Condition], ...]
    minimum: int = 1
    roles: frozenset[str] | None = None
    line: int = 0

    def counts(self, kind: str, fields: Mapping[str, Any]) -> bool:
        return any(k == kind and condition_holds(c, fields) for k, c in self.alternatives)


@dataclass(frozen=True)
class WarningRule:
    """A warning or sanction rule 预警 / 处理: n in a row, n or more, fewer than n, or a low
    total (this year and the years before)."""

    id: str
    label: str
    action: str = "notice"
    kind: str | None = None
    among: Condition = ()
    match: Condition = ()
    consecutive: int | None = None
    count: int | None = None
    fewer_than: int | None = None
    score_below: Decimal | None = None
    years: int = 1
    over: str = "year"
    roles: frozenset[str] | None = None
    line: int = 0


@dataclass(frozen=True)
class Prorate:
    """How members who served part of the year are treated."""

    by: str | None = None
    scale: frozenset[str] = frozenset()
    min_share: Decimal = Decimal(0)


@dataclass(frozen=True)
class Rulebook:
    """A committee's rules for one year, validated and typed."""

    name: str
    year: int
    parts: tuple[Part, ...]
    rules: tuple[Rule, ...] = ()
    grades: tuple[Band, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    warnings: tuple[WarningRule, ...] = ()
    prorate: Prorate = Prorate()
    scale: Decimal | None = None

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def kinds_used(self) -> frozenset[str]:
        """The record kinds the rules, requirements and warnings read."""
        used = {r.kind for r in self.rules}
        used |= {k for req in self.requirements for k, _ in req.alternatives}
        used |= {w.kind for w in self.warnings if w.kind}
        return frozenset(used)

    def term_kinds(self) -> frozenset[str]:
        """Kinds a warning counts over the whole term (their records before the year matter)."""
        return frozenset(w.kind for w in self.warnings if w.kind and w.over == "term")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rulebook, at a line (1-based; 0 = the whole document)."""

    line: int
    message: str
    code: str = "invalid"

    def sort_key(self) -> tuple[int, str, str]:
        return (self.line, self.code, self.message)

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class RulebookError(ValueError):
    """The rulebook cannot be used; `problems` says why, each with its line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("; ".join(str(p) for p in self.problems))


def problems(text: str, *, kinds: Mapping[str, Kind] | None = None) -> list[Problem]:
    """Everything wrong with `text` as a rulebook, sorted by line; [] when it is valid."""
    from lianluo.assessment.rulebook_parser import check, parse_yaml

    root, found = parse_yaml(text)
    if root is None or found:
        return sorted(found, key=Problem.sort_key)
    _rulebook, found = check(root, KINDS if kinds is None else kinds)
    return sorted(found, key=Problem.sort_key)


def load(text: str, *, kinds: Mapping[str, Kind] | None = None) -> Rulebook:
    """The typed rulebook of `text`; RulebookError (with lines) when it is not valid."""
    from lianluo.assessment.rulebook_parser import check, parse_yaml

    root, found = parse_yaml(text)
    if root is None or found:
        raise RulebookError(found)
    rulebook, found = check(root, KINDS if kinds is None else kinds)
    if rulebook is None:
        raise RulebookError(found)
    return rulebook
