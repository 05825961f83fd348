"""Reading a rulebook: YAML with the line of every node, then the checker that turns it into a
typed `Rulebook` or a list of problems (each with its line). `rulebook.load` and
`rulebook.problems` are the way in; this module is their machinery."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

import yaml
from django.utils.translation import gettext as _

from lianluo.assessment.kinds import SEAT_ROLES, Kind
from lianluo.assessment.rulebook import (
    ACTIONS,
    FORMAT,
    OPS,
    PRORATE_SCALES,
    SHARES,
    Band,
    Condition,
    Part,
    Problem,
    Prorate,
    Requirement,
    Rule,
    Rulebook,
    Test,
    WarningRule,
)

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")

# --------------------------------------------------------------------------- YAML with lines


@dataclass
class N:
    """A YAML node turned into Python: `value` is a dict of N, a list of N or a scalar."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


_constructor = yaml.constructor.SafeConstructor()


def _to_n(node: yaml.Node, problems: list[Problem]) -> N:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        values: dict[str, N] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = _constructor.construct_object(key_node, deep=True)
            key = str(key)
            if key in values:
                problems.append(
                    Problem(key_line, _("“%(key)s” is given twice.") % {"key": key}, "duplicate")
                )
            values[key] = _to_n(value_node, problems)
            key_lines[key] = key_line
        return N(values, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return N([_to_n(item, problems) for item in node.value], line)
    return N(_constructor.construct_object(node, deep=True), line)


def parse_yaml(text: str) -> tuple[N | None, list[Problem]]:
    """The document as N nodes, or the YAML syntax problem with its line."""
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(
            Problem(
                line,
                _("This is not valid YAML: %(problem)s.") % {"problem": error.problem or error},
                "yaml",
            )
        )
        return None, problems
    except yaml.YAMLError as error:
        return None, [Problem(0, _("This is not valid YAML: %(problem)s.") % {"problem": error})]
    if node is None:
        return None, [Problem(1, _("The rulebook is empty."), "empty")]
    return _to_n(node, problems), problems


# --------------------------------------------------------------------------- the checker


class _Checker:
    """Walks the N tree, collects problems and builds the typed rulebook."""

    def __init__(self, kinds: Mapping[str, Kind]) -> None:
        self.kinds = kinds
        self.problems: list[Problem] = []

    def add(self, line: int, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(line, message, code))

    # -- small readers

    def mapping(self, node: N, allowed: Iterable[str], what: str) -> dict[str, N] | None:
        if not node.is_map:
            self.add(node.line, _("%(what)s must be a mapping (key: value).") % {"what": what})
            return None
        allowed = tuple(allowed)
        for key, line in node.key_lines.items():
            if key not in allowed:
                self.add(
                    line,
                    _("Unknown key “%(key)s” in %(what)s; allowed: %(allowed)s.")
                    % {"key": key, "what": what, "allowed": ", ".join(allowed)},
                    "unknown_key",
                )
        return dict(node.value)

    def required(self, values: dict[str, N], key: str, parent: N, what: str) -> N | None:
        if key not in values:
            self.add(
                parent.line,
                _("%(what)s needs “%(key)s”.") % {"what": what, "key": key},
                "missing",
            )
            return None
        return values[key]

    def text(self, node: N | None, what: str, *, default: str = "") -> str:
        if node is None:
            return default
        if isinstance(node.value, str | int) and not isinstance(node.value, bool):
            return str(node.value)
        self.add(node.line, _("%(what)s must be text.") % {"what": what})
        return default

    def ident(self, node: N | None, what: str) -> str:
        value = self.text(node, what)
        if node is not None and value and not _ID.match(value):
            self.add(
                node.line,
                _("%(what)s “%(value)s” may contain only letters, digits, _ and -.")
                % {"what": what, "value": value},
            )
        return value

    def number(
        self, node: N | None, what: str, *, minimum: Decimal | None = None, negative_code: str = ""
    ) -> Decimal | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int | float | str):
            self.add(node.line, _("%(what)s must be a number.") % {"what": what}, "type")
            return None
        try:
            number = Decimal(str(node.value))
        except InvalidOperation:
            self.add(node.line, _("%(what)s must be a number.") % {"what": what}, "type")
            return None
        if not number.is_finite():
            self.add(node.line, _("%(what)s must be a number.") % {"what": what}, "type")
            return None
        if minimum is not None and number < minimum:
            self.add(
                node.line,
                _("%(what)s cannot be below %(minimum)s (it is %(value)s).")
                % {"what": what, "minimum": minimum, "value": number},
                negative_code or "range",
            )
            return None
        return number

    def integer(self, node: N | None, what: str, *, minimum: int = 0) -> int | None:
        if node is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            self.add(node.line, _("%(what)s must be a whole number.") % {"what": what}, "type")
            return None
        if node.value < minimum:
            self.add(
                node.line,
                _("%(what)s cannot be below %(minimum)s.") % {"what": what, "minimum": minimum},
                "range",
            )
            return None
        return int(node.value)

    def boolean(self, node: N | None, what: str) -> bool:
        if node is None:
            return False
        if not isinstance(node.value, bool):
            self.add(node.line, _("%(what)s must be true or false.") % {"what": what}, "type")
            return False
        return node.value

    def choice(self, node: N | None, what: str, choices: Iterable[str], default: str) -> str:
        if node is None:
            return default
        choices = tuple(choices)
        value = self.text(node, what)
        if value not in choices:
            self.add(
                node.line,
                _("%(what)s “%(value)s” is unknown; use one of: %(choices)s.")
                % {"what": what, "value": value, "choices": ", ".join(choices)},
                "unknown_value",
            )
            return default
        return value

    def listed(self, node: N | None) -> list[N]:
        if node is None:
            return []
        return node.value if node.is_list else [node]

    def roles(self, node: N | None) -> frozenset[str] | None:
        if node is None:
            return None
        found = set()
        for item in self.listed(node):
            found.add(self.choice(item, _("Role"), SEAT_ROLES, ""))
        return frozenset(found - {""})

    def kind(self, node: N | None) -> Kind | None:
        if node is None:
            return None
        name = self.text(node, _("Kind"))
        kind = self.kinds.get(name)
        if kind is None:
            self.add(
                node.line,
                _("Unknown record kind “%(kind)s”; known kinds: %(kinds)s.")
                % {"kind": name, "kinds": ", ".join(sorted(self.kinds))},
                "unknown_kind",
            )
        return kind

    # -- conditions

    def value_for(self, kind: Kind, name: str, node: N) -> Any:
        spec = kind.fields[name]
        value = node.value
        if spec.type == "choice":
            if not isinstance(value, str) or value not in spec.values:
                self.add(
                    node.line,
                    _("“%(value)s” is not a value of %(kind)s.%(field)s; use one of: %(values)s.")
                    % {
                        "value": value,
                        "kind": kind.name,
                        "field": name,
                        "values": ", ".join(spec.values),
                    },
                    "unknown_value",
                )
                return None
            return value
        if spec.type == "bool":
            if not isinstance(value, bool):
                self.add(
                    node.line,
                    _("%(kind)s.%(field)s is true or false.") % {"kind": kind.name, "field": name},
                    "unknown_value",
                )
                return None
            return value
        if spec.type == "number":
            return self.number(node, f"{kind.name}.{name}")
        return str(value)

    def condition(self, kind: Kind | None, node: N | None) -> Condition:
        if node is None or kind is None:
            return ()
        if not node.is_map:
            self.add(node.line, _("A condition must be a mapping of field: value."))
            return ()
        tests: list[Test] = []
        for name, spec_node in node.value.items():
            line = node.key_lines[name]
            if name not in kind.fields:
                self.add(
                    line,
                    _("Unknown field “%(field)s” of kind %(kind)s; its fields: %(fields)s.")
                    % {"field": name, "kind": kind.name, "fields": ", ".join(kind.fields)},
                    "unknown_field",
                )
                continue
            tests.extend(self.field_tests(kind, name, spec_node))
        return tuple(tests)

    def field_tests(self, kind: Kind, name: str, node: N) -> list[Test]:
        spec = kind.fields[name]
        if node.is_list:
            values = tuple(self.value_for(kind, name, item) for item in node.value)
            return [Test(name, "in", values)]
        if not node.is_map:
            return [Test(name, "eq", self.value_for(kind, name, node))]
        tests = []
        for op, op_node in node.value.items():
            op_name = {"not": "ne"}.get(op, op)
            if op_name not in OPS:
                self.add(
                    node.key_lines[op],
                    _("Unknown comparison “%(op)s”; use one of: not, %(ops)s.")
                    % {"op": op, "ops": ", ".join(OPS)},
                    "unknown_key",
                )
                continue
            if op_name in ("gt", "ge", "lt", "le"):
                if spec.type != "number":
                    self.add(
                        node.key_lines[op],
                        _("%(kind)s.%(field)s is not a number: compare it with = or one of.")
                        % {"kind": kind.name, "field": name},
                        "type",
                    )
                    continue
                tests.append(Test(name, op_name, self.number(op_node, f"{kind.name}.{name}")))
            elif op_name in ("in", "not_in") or (op_name == "ne" and op_node.is_list):
                op_name = "not_in" if op_name == "ne" else op_name
                values = tuple(self.value_for(kind, name, i) for i in self.listed(op_node))
                tests.append(Test(name, op_name, values))
            else:
                tests.append(Test(name, op_name, self.value_for(kind, name, op_node)))
        return tests

    # -- sections

    def parts(self, node: N | None, scale: Decimal | None) -> tuple[Part, ...]:
        if node is None or not node.is_list or not node.value:
            self.add(node.line if node else 1, _("The rulebook needs at least one part."))
            return ()
        parts: list[Part] = []
        for item in node.value:
            values = self.mapping(
                item, ("id", "label", "base", "cap", "floor", "weight", "kind_caps"), _("a part")
            )
            if values is None:
                continue
            part_id = self.ident(self.required(values, "id", item, _("A part")), _("Part id"))
            if part_id and any(p.id == part_id for p in parts):
                self.add(item.line, _("Part “%(id)s” is defined twice.") % {"id": part_id})
            base = self.number(values.get("base"), _("Base")) or Decimal(0)
            cap = self.number(
                values.get("cap"), _("Part cap"), minimum=Decimal(0), negative_code="negative_cap"
            )
            floor = self.number(values.get("floor"), _("Floor"))
            weight = self.number(values.get("weight"), _("Weight"))
            if weight is not None and weight <= 0:
                self.add(values["weight"].line, _("A weight must be above 0."), "range")
                weight = None
            if cap is not None and scale is not None and cap > scale:
                self.add(
                    values["cap"].line,
                    _("The part cap %(cap)s is above the scale %(scale)s: it can never be reached.")
                    % {"cap": cap, "scale": scale},
                    "impossible_cap",
                )
            if cap is not None and base > cap:
                self.add(
                    values["base"].line,
                    _("The base %(base)s is above the part cap %(cap)s.")
                    % {"base": base, "cap": cap},
                    "impossible_cap",
                )
            if floor is not None and cap is not None and floor > cap:
                self.add(
                    values["floor"].line,
                    _("The floor %(floor)s is above the part cap %(cap)s.")
                    % {"floor": floor, "cap": cap},
                    "impossible_cap",
                )
            if floor is not None and floor > base:
                self.add(
                    values["floor"].line,
                    _("The floor %(floor)s is above the base %(base)s.")
                    % {"floor": floor, "base": base},
                    "impossible_cap",
                )
            kind_caps: dict[str, Decimal] = {}
            caps_node = values.get("kind_caps")
            if caps_node is not None:
                if not caps_node.is_map:
                    self.add(caps_node.line, _("kind_caps must be a mapping of kind: cap."))
                else:
                    for kind_name, cap_node in caps_node.value.items():
                        line = caps_node.key_lines[kind_name]
                        if kind_name not in self.kinds:
                            self.add(
                                line,
                                _("Unknown record kind “%(kind)s”; known kinds: %(kinds)s.")
                                % {"kind": kind_name, "kinds": ", ".join(sorted(self.kinds))},
                                "unknown_kind",
                            )
                            continue
                        kind_cap = self.number(
                            cap_node,
                            _("Kind cap"),
                            minimum=Decimal(0),
                            negative_code="negative_cap",
                        )
                        if kind_cap is None:
                            continue
                        if cap is not None and kind_cap > cap:
                            self.add(
                                line,
                                _(
                                    "The cap %(kind_cap)s for %(kind)s is above the part cap "
                                    "%(cap)s: it can never be reached."
                                )
                                % {"kind_cap": kind_cap, "kind": kind_name, "cap": cap},
                                "impossible_cap",
                            )
                        kind_caps[kind_name] = kind_cap
            parts.append(
                Part(
                    id=part_id,
                    label=self.text(values.get("label"), _("Label"), default=part_id),
                    base=base,
                    cap=cap,
                    floor=floor,
                    weight=weight if weight is not None else Decimal(1),
                    kind_caps=kind_caps,
                    line=item.line,
                )
            )
        return tuple(parts)

    def alternatives(
        self, values: dict[str, N], kind: Kind | None, item: N
    ) -> tuple[Condition, ...]:
        if "when" in values and "when_any" in values:
            self.add(values["when_any"].line, _("Use either “when” or “when_any”, not both."))
        if "when_any" in values:
            options = self.listed(values["when_any"])
            if not options:
                self.add(values["when_any"].line, _("“when_any” needs at least one condition."))
            return tuple(self.condition(kind, option) for option in options)
        return (self.condition(kind, values.get("when")),)

    def rules(self, node: N | None, parts: tuple[Part, ...]) -> tuple[Rule, ...]:
        if node is None:
            return ()
        if not node.is_list:
            self.add(node.line, _("“rules” must be a list."))
            return ()
        by_id = {p.id: p for p in parts}
        rules: list[Rule] = []
        keys = (
            "id",
            "label",
            "kind",
            "part",
            "when",
            "when_any",
            "role",
            "points",
            "share",
            "cap",
            "once",
            "after",
            "at_least",
            "stack",
        )
        for item in node.value:
            values = self.mapping(item, keys, _("a rule"))
            if values is None:
                continue
            rule_id = self.ident(self.required(values, "id", item, _("A rule")), _("Rule id"))
            if rule_id and any(r.id == rule_id for r in rules):
                self.add(item.line, _("Rule “%(id)s” is defined twice.") % {"id": rule_id})
            kind = self.kind(self.required(values, "kind", item, _("A rule")))
            part_node = self.required(values, "part", item, _("A rule"))
            part_id = self.text(part_node, _("Part"))
            part = by_id.get(part_id)
            if part_node is not None and part is None:
                self.add(
                    part_node.line,
                    _("Unknown part “%(part)s”; the parts are: %(parts)s.")
                    % {"part": part_id, "parts": ", ".join(by_id)},
                    "unknown_part",
                )
            if kind is not None and kind.name == "adjustment":
                self.add(
                    values["kind"].line,
                    _("Adjustments need no rule: each counts its own points in its own part."),
                )
            share = self.choice(values.get("share"), _("Share"), SHARES, "full")
            points = Decimal(0)
            by_author: dict[str, Decimal] | None = None
            points_node = self.required(values, "points", item, _("A rule"))
            if points_node is not None and points_node.is_map:
                by_author = {}
                author_values = (
                    kind.fields["author"].values if kind and "author" in kind.fields else ()
                )
                for key, value_node in points_node.value.items():
                    if kind is not None and key not in author_values:
                        self.add(
                            points_node.key_lines[key],
                            _("“%(key)s” is not an author position of %(kind)s; use: %(values)s.")
                            % {
                                "key": key,
                                "kind": kind.name,
                                "values": ", ".join(author_values) or "—",
                            },
                            "unknown_value",
                        )
                        continue
                    number = self.number(value_node, _("Points"))
                    if number is not None:
                        by_author[key] = number
                if share != "by_position":
                    self.add(
                        points_node.line,
                        _("Points by author position need “share: by_position”."),
                    )
            elif points_node is not None:
                points = self.number(points_node, _("Points")) or Decimal(0)
                if share == "by_position":
                    self.add(
                        points_node.line,
                        _(
                            "“share: by_position” needs points by position, e.g. "
                            "{first: 20, co_signer: 15}."
                        ),
                    )
            if kind is not None and not kind.shared and share != "full" and "share" in values:
                self.add(
                    values["share"].line,
                    _("Records of kind %(kind)s have no co-authors to share with.")
                    % {"kind": kind.name},
                )
            cap = self.number(
                values.get("cap"), _("Rule cap"), minimum=Decimal(0), negative_code="negative_cap"
            )
            if cap is not None and part is not None and part.cap is not None:
                highest = max([points, *(by_author or {}).values()])
                if highest > 0 and cap > part.cap:
                    self.add(
                        values["cap"].line,
                        _(
                            "The rule cap %(cap)s is above the cap %(part_cap)s of part "
                            "“%(part)s”: it can never be reached."
                        )
                        % {"cap": cap, "part_cap": part.cap, "part": part.id},
                        "impossible_cap",
                    )
            if (
                kind is not None
                and part is not None
                and cap is not None
                and kind.name in part.kind_caps
                and cap > part.kind_caps[kind.name]
            ):
                self.add(
                    values["cap"].line,
                    _("The rule cap %(cap)s is above the part's cap %(kind_cap)s for %(kind)s.")
                    % {"cap": cap, "kind_cap": part.kind_caps[kind.name], "kind": kind.name},
                    "impossible_cap",
                )
            once_node = values.get("once")
            once = self.choice(once_node, _("Once"), ("year", "item"), "") or None
            at_least = self.integer(values.get("at_least"), _("at_least"), minimum=1)
            rules.append(
                Rule(
                    id=rule_id,
                    label=self.text(values.get("label"), _("Label"), default=rule_id),
                    kind=kind.name if kind else "",
                    part=part_id,
                    alternatives=self.alternatives(values, kind, item),
                    roles=self.roles(values.get("role")),
                    points=points,
                    points_by_author=by_author,
                    share=share,
                    cap=cap,
                    once=once,
                    after=self.integer(values.get("after"), _("after")) or 0,
                    at_least=at_least,
                    stack=self.boolean(values.get("stack"), _("stack")),
                    line=item.line,
                )
            )
        self.overlaps(rules)
        return tuple(rules)

    def overlaps(self, rules: list[Rule]) -> None:
        for index, first in enumerate(rules):
            for second in rules[index + 1 :]:
                if first.kind != second.kind or first.part != second.part or not first.kind:
                    continue
                if first.stack or second.stack:
                    continue
                if _roles_disjoint(first.roles, second.roles):
                    continue
                kind = self.kinds.get(first.kind)
                if kind is None:
                    continue
                if any(
                    _may_overlap(kind, a, b)
                    for a in first.alternatives
                    for b in second.alternatives
                ):
                    self.add(
                        second.line,
                        _(
                            "Rules “%(first)s” (line %(first_line)s) and “%(second)s” can both "
                            "match the same %(kind)s record in part “%(part)s”; make their "
                            "conditions exclusive, or add “stack: true” if both should count."
                        )
                        % {
                            "first": first.id,
                            "first_line": first.line,
                            "second": second.id,
                            "kind": first.kind,
                            "part": first.part,
                        },
                        "overlap",
                    )

    def requirements(self, node: N | None) -> tuple[Requirement, ...]:
        if node is None:
            return ()
        found: list[Requirement] = []
        for item in self.listed(node):
            values = self.mapping(
                item, ("id", "label", "min", "kind", "when", "any", "role"), _("a requirement")
            )
            if values is None:
                continue
            req_id = self.ident(
                self.required(values, "id", item, _("A requirement")), _("Requirement id")
            )
            alternatives: list[tuple[str, Condition]] = []
            if "any" in values:
                for option in self.listed(values["any"]):
                    option_values = self.mapping(option, ("kind", "when"), _("an alternative"))
                    if option_values is None:
                        continue
                    kind = self.kind(self.required(option_values, "kind", option, _("It")))
                    if kind is not None:
                        alternatives.append(
                            (kind.name, self.condition(kind, option_values.get("when")))
                        )
            else:
                kind = self.kind(self.required(values, "kind", item, _("A requirement")))
                if kind is not None:
                    alternatives.append((kind.name, self.condition(kind, values.get("when"))))
            found.append(
                Requirement(
                    id=req_id,
                    label=self.text(values.get("label"), _("Label"), default=req_id),
                    alternatives=tuple(alternatives),
                    minimum=self.integer(values.get("min"), _("min"), minimum=1) or 1,
                    roles=self.roles(values.get("role")),
                    line=item.line,
                )
            )
        return tuple(found)

    def grades(
        self, node: N | None, requirement_ids: set[str], low: Decimal | None, high: Decimal | None
    ) -> tuple[Band, ...]:
        if node is None:
            return ()
        bands: list[Band] = []
        for item in self.listed(node):
            values = self.mapping(
                item, ("id", "label", "from", "below", "requires"), _("a grade band")
            )
            if values is None:
                continue
            band_id = self.ident(self.required(values, "id", item, _("A grade band")), _("Grade"))
            requires = []
            for req in self.listed(values.get("requires")):
                name = self.text(req, _("Requirement"))
                if name not in requirement_ids:
                    self.add(
                        req.line,
                        _("Unknown requirement “%(name)s”.") % {"name": name},
                        "unknown_requirement",
                    )
                requires.append(name)
            band = Band(
                id=band_id,
                label=self.text(values.get("label"), _("Label"), default=band_id),
                lower=self.number(values.get("from"), _("from")),
                upper=self.number(values.get("below"), _("below")),
                requires=tuple(requires),
                line=item.line,
            )
            if band.lower is not None and band.upper is not None and band.lower >= band.upper:
                self.add(item.line, _("A band must start below where it ends."), "bands")
            bands.append(band)
        ordered = sorted(
            bands, key=lambda b: (b.lower is not None, b.lower if b.lower is not None else 0)
        )
        for lower_band, upper_band in pairwise(ordered):
            if lower_band.upper is None or upper_band.lower is None:
                self.add(
                    upper_band.line,
                    _("Grade bands “%(a)s” and “%(b)s” overlap.")
                    % {"a": lower_band.label, "b": upper_band.label},
                    "bands",
                )
            elif lower_band.upper > upper_band.lower:
                self.add(
                    upper_band.line,
                    _("Grade bands “%(a)s” and “%(b)s” overlap between %(from)s and %(to)s.")
                    % {
                        "a": lower_band.label,
                        "b": upper_band.label,
                        "from": upper_band.lower,
                        "to": lower_band.upper,
                    },
                    "bands",
                )
            elif lower_band.upper < upper_band.lower:
                self.add(
                    upper_band.line,
                    _("No grade covers totals from %(from)s to below %(to)s.")
                    % {"from": lower_band.upper, "to": upper_band.lower},
                    "bands",
                )
        if ordered:
            bottom, top = ordered[0], ordered[-1]
            if bottom.lower is not None and (low is None or bottom.lower > low):
                self.add(
                    bottom.line,
                    _("No grade covers totals below %(from)s.") % {"from": bottom.lower},
                    "bands",
                )
            if top.upper is not None and (high is None or top.upper <= high):
                self.add(
                    top.line,
                    _("No grade covers totals of %(to)s and above.") % {"to": top.upper},
                    "bands",
                )
        return tuple(bands)

    def warnings(self, node: N | None) -> tuple[WarningRule, ...]:
        if node is None:
            return ()
        found: list[WarningRule] = []
        keys = (
            "id",
            "label",
            "action",
            "kind",
            "among",
            "match",
            "consecutive",
            "count",
            "fewer_than",
            "score_below",
            "years",
            "over",
            "role",
        )
        for item in self.listed(node):
            values = self.mapping(item, keys, _("a warning"))
            if values is None:
                continue
            warning_id = self.ident(
                self.required(values, "id", item, _("A warning")), _("Warning id")
            )
            tests = [
                k for k in ("consecutive", "count", "fewer_than", "score_below") if k in values
            ]
            if len(tests) != 1:
                self.add(
                    item.line,
                    _(
                        "A warning needs exactly one of: consecutive, count, fewer_than, "
                        "score_below."
                    ),
                )
            kind = None
            if "score_below" not in values:
                kind = self.kind(self.required(values, "kind", item, _("A warning")))
            found.append(
                WarningRule(
                    id=warning_id,
                    label=self.text(values.get("label"), _("Label"), default=warning_id),
                    action=self.choice(values.get("action"), _("Action"), ACTIONS, "notice"),
                    kind=kind.name if kind else None,
                    among=self.condition(kind, values.get("among")),
                    match=self.condition(kind, values.get("match")),
                    consecutive=self.integer(values.get("consecutive"), "consecutive", minimum=1),
                    count=self.integer(values.get("count"), "count", minimum=1),
                    fewer_than=self.integer(values.get("fewer_than"), "fewer_than", minimum=1),
                    score_below=self.number(values.get("score_below"), "score_below"),
                    years=self.integer(values.get("years"), "years", minimum=1) or 1,
                    over=self.choice(values.get("over"), _("over"), ("year", "term"), "year"),
                    roles=self.roles(values.get("role")),
                    line=item.line,
                )
            )
        return tuple(found)

    def prorate(self, node: N | None) -> Prorate:
        if node is None:
            return Prorate()
        values = self.mapping(node, ("by", "scale", "min_share"), _("prorate"))
        if values is None:
            return Prorate()
        scale = frozenset(
            self.choice(item, _("prorate scale"), PRORATE_SCALES, "")
            for item in self.listed(values.get("scale"))
        ) - {""}
        min_share = self.number(values.get("min_share"), "min_share", minimum=Decimal(0))
        if min_share is not None and min_share > 1:
            self.add(values["min_share"].line, _("min_share is a share of the year, 0 to 1."))
            min_share = None
        return Prorate(
            by=self.choice(values.get("by"), _("prorate by"), ("days", "months"), "days"),
            scale=scale,
            min_share=min_share or Decimal(0),
        )

    def uniq(self, items: Iterable[Requirement | WarningRule | Band], what: str) -> None:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                self.add(
                    item.line,
                    _("%(what)s “%(id)s” is defined twice.") % {"what": what, "id": item.id},
                )
            seen.add(item.id)


def _roles_disjoint(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    return a is not None and b is not None and not (a & b)


def _allowed(kind: Kind, name: str, tests: Iterable[Test]) -> tuple[set[Any] | None, list[Any]]:
    """The values a choice/bool field may take under `tests` (None: any), and numeric bounds."""
    spec = kind.fields.get(name)
    if spec is None or spec.type in ("number", "text"):
        return None, list(tests)
    universe: set[Any] = set(spec.values) if spec.type == "choice" else {True, False}
    for test in tests:
        if test.op == "eq":
            universe &= {test.value}
        elif test.op == "in":
            universe &= set(test.value)
        elif test.op == "ne":
            universe -= {test.value}
        elif test.op == "not_in":
            universe -= set(test.value)
    return universe, []


def _interval(tests: Iterable[Test]) -> tuple[Decimal | None, bool, Decimal | None, bool, set[Any]]:
    low: Decimal | None = None
    high: Decimal | None = None
    low_open = high_open = False
    points: set[Any] = set()
    for test in tests:
        if test.value is None:
            continue
        if test.op in ("gt", "ge") and (low is None or test.value >= low):
            low, low_open = test.value, test.op == "gt"
        elif test.op in ("lt", "le") and (high is None or test.value <= high):
            high, high_open = test.value, test.op == "lt"
        elif test.op == "eq":
            points.add(Decimal(str(test.value)))
    return low, low_open, high, high_open, points


def _contains(interval: tuple[Decimal | None, bool, Decimal | None, bool], x: Decimal) -> bool:
    low, low_open, high, high_open = interval
    if low is not None and (x < low or (low_open and x == low)):
        return False
    return not (high is not None and (x > high or (high_open and x == high)))


def _numbers_disjoint(a: list[Test], b: list[Test]) -> bool:
    la, lao, ha, hao, pa = _interval(a)
    lb, lbo, hb, hbo, pb = _interval(b)
    if pa and pb:
        return not (pa & pb)
    if pa:
        return not any(_contains((lb, lbo, hb, hbo), x) for x in pa)
    if pb:
        return not any(_contains((la, lao, ha, hao), x) for x in pb)
    low, low_open = (la, lao) if lb is None or (la is not None and la > lb) else (lb, lbo)
    if la is not None and lb is not None and la == lb:
        low_open = lao or lbo
    high, high_open = (ha, hao) if hb is None or (ha is not None and ha < hb) else (hb, hbo)
    if ha is not None and hb is not None and ha == hb:
        high_open = hao or hbo
    if low is None or high is None:
        return False
    return low > high or (low == high and (low_open or high_open))


def _may_overlap(kind: Kind, a: Condition, b: Condition) -> bool:
    """Whether some record of `kind` could satisfy both conditions."""
    for name in {t.field for t in a} | {t.field for t in b}:
        tests_a = [t for t in a if t.field == name]
        tests_b = [t for t in b if t.field == name]
        allowed_a, numeric_a = _allowed(kind, name, tests_a)
        allowed_b, numeric_b = _allowed(kind, name, tests_b)
        if allowed_a is not None and allowed_b is not None and not (allowed_a & allowed_b):
            return False
        spec = kind.fields.get(name)
        if spec is not None and spec.type == "number" and _numbers_disjoint(numeric_a, numeric_b):
            return False
    return True


def _extremes(
    parts: tuple[Part, ...], scale: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest totals the parts allow (None: unbounded)."""
    low: Decimal | None = Decimal(0)
    high: Decimal | None = Decimal(0)
    for part in parts:
        if low is not None:
            low = None if part.floor is None else low + part.floor * part.weight
        if high is not None:
            high = None if part.cap is None else high + part.cap * part.weight
    if scale is not None:
        high = scale if high is None else min(high, scale)
    return low, high


def check(root: N, kinds: Mapping[str, Kind]) -> tuple[Rulebook | None, list[Problem]]:
    checker = _Checker(kinds)
    top = checker.mapping(
        root,
        (
            "format",
            "name",
            "year",
            "scale",
            "parts",
            "rules",
            "grades",
            "requirements",
            "warnings",
            "prorate",
            "notes",
        ),
        _("the rulebook"),
    )
    if top is None:
        return None, checker.problems
    format_node = checker.required(top, "format", root, _("The rulebook"))
    if format_node is not None and format_node.value != FORMAT:
        checker.add(
            format_node.line,
            _("Unknown rulebook format %(format)s; this version reads format %(known)s.")
            % {"format": format_node.value, "known": FORMAT},
        )
    year = (
        checker.integer(
            checker.required(top, "year", root, _("The rulebook")), _("Year"), minimum=1949
        )
        or 0
    )
    scale = checker.number(
        top.get("scale"), _("Scale"), minimum=Decimal(0), negative_code="negative_cap"
    )
    parts = checker.parts(top.get("parts"), scale)
    rules = checker.rules(top.get("rules"), parts)
    requirements = checker.requirements(top.get("requirements"))
    low, high = _extremes(parts, scale)
    grades = checker.grades(top.get("grades"), {r.id for r in requirements}, low, high)
    warnings = checker.warnings(top.get("warnings"))
    checker.uniq(requirements, _("Requirement"))
    checker.uniq(warnings, _("Warning"))
    checker.uniq(grades, _("Grade"))
    prorate = checker.prorate(top.get("prorate"))
    if checker.problems:
        return None, checker.problems
    return (
        Rulebook(
            name=checker.text(top.get("name"), _("Name"), default=""),
            year=year,
            parts=parts,
            rules=rules,
            grades=grades,
            requirements=requirements,
            warnings=warnings,
            prorate=prorate,
            scale=scale,
        ),
        [],
    )
