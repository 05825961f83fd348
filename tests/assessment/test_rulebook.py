"""The rulebook language: what it accepts, and every refusal names the line that causes it."""

import textwrap

import pytest

from lianluo.assessment import rulebook
from lianluo.assessment.rulebook import RulebookError
from tests.assessment.helpers import RULEBOOKS, D

HEAD = """\
format: 1
name: test
year: 2024
scale: 100
parts:
  - {id: attendance, label: 考勤, cap: 40, floor: 0}
  - {id: work, label: 考绩, cap: 60}
"""


def book(rules: str = "", extra: str = "") -> str:
    return (
        HEAD + ("rules:\n" + textwrap.indent(textwrap.dedent(rules), "  ") if rules else "") + extra
    )


def problem_lines(text):
    return [(p.line, p.code) for p in rulebook.problems(text)]


def test_the_shipped_example_rulebooks_are_valid():
    """tongcheng-2019, jinan-2015 and yanbian-2022 load without a problem."""
    names = sorted(p.name for p in RULEBOOKS.glob("*.yaml"))
    assert names == ["jinan-2015.yaml", "tongcheng-2019.yaml", "yanbian-2022.yaml"]
    for path in RULEBOOKS.glob("*.yaml"):
        assert rulebook.problems(path.read_text(encoding="utf-8")) == [], path.name


def test_an_unknown_state_is_refused_with_its_line():
    """Acceptance: `status: gone` is not a value of attendance.status — refused at line 12."""
    text = book(
        """\
        - id: absent
          kind: attendance
          part: attendance
          when: {meeting_kind: plenary, status: gone}
          points: -5
        """
    )
    assert text.splitlines()[11].strip().startswith("when:")
    found = rulebook.problems(text)
    assert [(p.line, p.code) for p in found] == [(12, "unknown_value")]
    assert "gone" in found[0].message and "absent" in found[0].message
    with pytest.raises(RulebookError) as refused:
        rulebook.load(text)
    assert refused.value.problems == found
    assert "12" in str(refused.value)


def test_a_negative_cap_is_refused_with_its_line():
    """Acceptance: `cap: -10` on a rule is an impossible cap, at its own line."""
    text = book(
        """\
        - id: speech
          kind: speech
          part: work
          points: 2
          cap: -10
        """
    )
    assert problem_lines(text) == [(13, "negative_cap")]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # unknown record kind
        ("- {id: a, kind: meeting, part: work, points: 1}\n", [(9, "unknown_kind")]),
        # unknown field of a kind
        (
            "- {id: a, kind: speech, part: work, points: 1, when: {length: 3}}\n",
            [(9, "unknown_field")],
        ),
        # unknown part
        ("- {id: a, kind: speech, part: study, points: 1}\n", [(9, "unknown_part")]),
        # a typo in a key
        ("- {id: a, kind: speech, part: work, pionts: 1}\n", [(9, "missing"), (9, "unknown_key")]),
        # numeric comparison on a choice field
        (
            "- {id: a, kind: speech, part: work, points: 1, when: {speech_kind: {gt: 2}}}\n",
            [(9, "type")],
        ),
        # a rule cap above its part cap can never be reached
        (
            "- {id: a, kind: speech, part: attendance, points: 1, cap: 45}\n",
            [(9, "impossible_cap")],
        ),
        # points by position without `share: by_position`
        (
            "- {id: a, kind: proposal, part: work, points: {first: 20, co_signer: 15}}\n",
            [(9, "invalid")],
        ),
        # a position that is not one
        (
            "- {id: a, kind: proposal, part: work, share: by_position, "
            "points: {first: 20, third: 5}}\n",
            [(9, "unknown_value")],
        ),
        # sharing on a kind without co-authors
        ("- {id: a, kind: speech, part: work, points: 1, share: first_half}\n", [(9, "invalid")]),
        # a bad role
        ("- {id: a, kind: speech, part: work, points: 1, role: [mayor]}\n", [(9, "unknown_value")]),
    ],
)
def test_rule_problems_are_reported_at_their_line(rules, expected):
    """Each mistake in a rule is reported once, on the rule's line (flow style: one line)."""
    assert problem_lines(HEAD + "rules:\n  " + rules) == expected


def test_overlapping_rules_need_stack():
    """Two rules of one kind and part that can match the same record are refused, at the second
    rule's line, unless one says `stack: true`; disjoint conditions are fine."""
    overlapping = book(
        """\
        - {id: submitted, kind: proposal, part: work, points: 10}
        - {id: accepted, kind: proposal, part: work, points: 15, when: {outcome: accepted}}
        """
    )
    assert problem_lines(overlapping) == [(10, "overlap")]
    assert "submitted" in rulebook.problems(overlapping)[0].message
    stacked = overlapping.replace(
        "when: {outcome: accepted}}", "when: {outcome: accepted}, stack: true}"
    )
    assert rulebook.problems(stacked) == []
    rule = "- {id: %s, kind: attendance, part: %s, points: %s, %s}\n"
    disjoint = book(
        rule % ("on_time", "attendance", 5, "when: {status: present}")
        + rule % ("late", "attendance", 3, "when: {status: [late, excused]}")
        + rule % ("rest", "attendance", 0, "when: {status: {not_in: [present, late, excused]}}")
        + rule % ("other_part", "work", 1, "stack: false")
        + rule % ("standing", "attendance", -2, "role: [standing_member], when: {status: absent}")
    )
    # `standing` overlaps `rest` (status absent is in rest): reported at line 13.
    assert problem_lines(disjoint) == [(13, "overlap")]
    numbers = book(
        """\
        - {id: short, kind: attendance, part: work, points: 1, when: {half_days: {lt: 2}}}
        - {id: long, kind: attendance, part: work, points: 3, when: {half_days: {ge: 2}}}
        """
    )
    assert rulebook.problems(numbers) == []


def test_impossible_part_caps_are_refused():
    """A part cap above the scale, a base above the cap, a kind cap above the part cap."""
    text = """\
format: 1
name: test
year: 2024
scale: 100
parts:
  - {id: a, cap: 120}
  - {id: b, base: 50, cap: 40}
  - {id: c, cap: 10, kind_caps: {speech: 20, meeting: 3}}
"""
    assert problem_lines(text) == [
        (6, "impossible_cap"),
        (7, "impossible_cap"),
        (8, "impossible_cap"),
        (8, "unknown_kind"),
    ]


GRADES_HEAD = """\
format: 1
name: test
year: 2024
scale: 100
parts:
  - {id: a, cap: 100, floor: 0}
grades:
"""


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        # lines 8, 9, 10: good bands, nothing to report
        ("  - {id: a, from: 90}\n  - {id: b, from: 60, below: 90}\n  - {id: c, below: 60}\n", []),
        # a gap between 80 and 90: reported on the band above it (line 8)
        (
            "  - {id: a, from: 90}\n  - {id: b, from: 60, below: 80}\n  - {id: c, below: 60}\n",
            [(8, "bands")],
        ),
        # an overlap between 85 and 90
        (
            "  - {id: a, from: 85}\n  - {id: b, from: 60, below: 90}\n  - {id: c, below: 60}\n",
            [(8, "bands")],
        ),
        # nothing below 60 (totals can be 0)
        ("  - {id: a, from: 60}\n", [(8, "bands")]),
        # nothing from 100 (totals can reach the scale)
        ("  - {id: a, below: 100}\n", [(8, "bands")]),
        # an unknown requirement
        ("  - {id: a, from: 0, requires: [plan]}\n", [(8, "unknown_requirement")]),
    ],
)
def test_grade_bands_without_gaps_or_overlaps(grades, expected):
    """Bands must cover every possible total exactly once; the problem is on the band's line."""
    assert problem_lines(GRADES_HEAD + grades) == expected


def test_yaml_syntax_errors_and_duplicate_keys_name_their_line():
    broken = HEAD.replace("year: 2024", "year: 2024: 5")
    assert problem_lines(broken) == [(3, "yaml")]
    duplicate = HEAD.replace("year: 2024\n", "year: 2024\nyear: 2025\n")
    assert problem_lines(duplicate) == [(4, "duplicate")]
    assert problem_lines("") == [(1, "empty")]


def test_warnings_requirements_and_prorate_are_checked():
    text = book(
        extra="""\
requirements:
  - {id: one, kind: proposal, when: {outcome: accepted}}
warnings:
  - {id: w1, kind: attendance, match: {status: away}, count: 2}
  - {id: w2, kind: attendance, count: 2, consecutive: 2}
  - {id: w3, score_below: 60, years: 2, action: scold}
prorate: {by: weeks, scale: [caps, bonus], min_share: 2}
"""
    )
    assert sorted(problem_lines(text)) == [
        (11, "unknown_value"),  # status: away
        (12, "invalid"),  # count and consecutive
        (13, "unknown_value"),  # action: scold
        (14, "invalid"),  # min_share 2
        (14, "unknown_value"),  # by: weeks
        (14, "unknown_value"),  # scale: bonus
    ]


def test_a_valid_rulebook_loads_into_types():
    text = book(
        """\
        - id: joint
          label: 联名提案
          kind: proposal
          part: work
          share: by_position
          points: {first: 20, co_signer: 15}
          when: {outcome: accepted}
        - id: late
          kind: attendance
          part: attendance
          points: -1.5
          when: {status: late, half_days: {ge: 1}}
          role: standing_member
          cap: 6
        """
    )
    loaded = rulebook.load(text)
    joint, late = loaded.rules
    assert joint.points_by_author == {"first": D(20), "co_signer": D(15)}
    assert joint.matches({"outcome": "accepted"}) and not joint.matches({"outcome": "rejected"})
    assert late.points == D("-1.5") and late.roles == frozenset({"standing_member"})
    assert late.matches({"status": "late", "half_days": 2})
    assert not late.matches({"status": "late", "half_days": 0})
    assert loaded.kinds_used() == {"proposal", "attendance"}
    part = loaded.part("attendance")
    assert part is not None and part.cap == D(40)
