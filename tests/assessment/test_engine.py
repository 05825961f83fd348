"""The scoring engine, table by table, with hand-computed expectations. No database."""

import textwrap
from typing import Any

import pytest

from lianluo.assessment import rulebook
from lianluo.assessment.engine import score, served_share
from tests.assessment.helpers import D, member, rec


def load(rules: str, *, parts: str = "  - {id: work}\n", extra: str = "") -> rulebook.Rulebook:
    text = (
        "format: 1\nname: t\nyear: 2024\nparts:\n"
        + parts
        + "rules:\n"
        + textwrap.indent(textwrap.dedent(rules), "  ")
        + extra
    )
    return rulebook.load(text)


def joint_proposal(pid, authors, outcome="accepted", date="2024-03-01", **fields):
    """One record per author of a proposal: person 1 first, then 2, 3, …"""
    return [
        rec(
            "proposal",
            pid,
            person,
            date,
            position=person,
            authors=authors,
            form="joint" if authors > 1 else "individual",
            outcome=outcome,
            **fields,
        )
        for person in range(1, authors + 1)
    ]


MEMBERS = [member(1), member(2), member(3), member(4)]


@pytest.mark.parametrize(
    ("share", "points", "authors", "expected"),
    [
        # full: every author the full price
        ("full", "10", 3, {1: "10", 2: "10", 3: "10"}),
        # first proposer only
        ("first_only", "10", 3, {1: "10", 2: "0", 3: "0"}),
        # first half; the two co-signers share the other half: 5, 2.5, 2.5
        ("first_half", "10", 3, {1: "5", 2: "2.5", 3: "2.5"}),
        # first half; three co-signers share 5: 1.666… → 1.67 each
        ("first_half", "10", 4, {1: "5", 2: "1.67", 3: "1.67", 4: "1.67"}),
        # alone, first_half is the full price
        ("first_half", "10", 1, {1: "10"}),
        # halved when joint
        ("halved_when_joint", "10", 2, {1: "5", 2: "5"}),
        ("halved_when_joint", "10", 1, {1: "10"}),
        # equal shares of 10 among 3: 3.33 each
        ("equal", "10", 3, {1: "3.33", 2: "3.33", 3: "3.33"}),
        # fixed points by position (Guangshui: first 20, co-signer 15)
        ("by_position", "{first: 20, co_signer: 15}", 3, {1: "20", 2: "15", 3: "15"}),
    ],
)
def test_co_authors_share_as_the_rule_says(share, points, authors, expected):
    book = load(f"- {{id: r, kind: proposal, part: work, points: {points}, share: {share}}}\n")
    result = score(joint_proposal(7, authors), book, MEMBERS)
    totals = {p: t for p, t in result.totals().items() if p <= authors}
    assert totals == {p: D(v) for p, v in expected.items()}


@pytest.mark.parametrize(
    ("options", "count", "expected_lines"),
    [
        # each record 2, no limit
        ("", 6, ["2", "2", "2", "2", "2", "2"]),
        # rule cap 5: 2 + 2 + 1 (cut), then 0s
        ("cap: 5", 4, ["2", "2", "1", "0"]),
        # once a year: the first only
        ("once: year", 3, ["2"]),
        # the first two score nothing (Jinan: "each extra proposal beyond the first")
        ("after: 2", 4, ["2", "2"]),
        # paid once when the 3rd record is reached (Hefei: "≥2 activities = 30")
        ("at_least: 3", 5, ["2"]),
        ("at_least: 3", 2, []),
    ],
)
def test_counting_options(options, count, expected_lines):
    book = load(
        f"- {{id: r, kind: speech, part: work, points: 2{', ' + options if options else ''}}}\n"
    )
    records = [
        rec("speech", n, 1, f"2024-01-{n + 1:02d}", speech_kind="oral") for n in range(count)
    ]
    lines = score(records, book, [member(1)]).lines
    assert [line.points for line in lines] == [D(v) for v in expected_lines]


def test_the_line_paid_by_at_least_is_the_record_that_reached_the_threshold():
    book = load("- {id: r, kind: speech, part: work, points: 30, at_least: 2}\n")
    records = [rec("speech", n, 1, f"2024-0{n}-01", speech_kind="oral") for n in (3, 1, 2)]
    (line,) = score(records, book, [member(1)]).lines
    assert (line.record_id, line.points) == ("2", D(30))


def test_once_per_item_pays_each_item_once_along_its_adoption_chain():
    """A report adopted at three levels: the per-level rules each price their link (cumulative),
    the 'adopted at all' rule pays once for the report."""
    book = load(
        """\
        - {id: any_level, kind: adoption, part: work, points: 1, once: item,
           when: {action: adopted}}
        - {id: city, kind: adoption, part: work, points: 5, stack: true,
           when: {level: municipal}}
        - {id: province, kind: adoption, part: work, points: 20, stack: true,
           when: {level: provincial}}
        - {id: instruction, kind: adoption, part: work, points: 10, stack: true,
           when: {action: instruction}}
        """
    )
    chain = [
        rec(
            "adoption",
            1,
            1,
            "2024-02-01",
            item=9,
            of="opinion_report",
            level="municipal",
            mode="single",
            action="adopted",
        ),
        rec(
            "adoption",
            2,
            1,
            "2024-03-01",
            item=9,
            of="opinion_report",
            level="provincial",
            mode="single",
            action="adopted",
        ),
        rec(
            "adoption",
            3,
            1,
            "2024-04-01",
            item=9,
            of="opinion_report",
            level="provincial",
            mode="single",
            action="instruction",
        ),
    ]
    lines = [(ln.rule_id, ln.record_id, ln.points) for ln in score(chain, book, [member(1)]).lines]
    assert lines == [
        ("any_level", "1", D(1)),
        ("city", "1", D(5)),
        ("province", "2", D(20)),
        ("province", "3", D(20)),
        ("instruction", "3", D(10)),
    ]


def test_deductions_differ_by_meeting_kind_and_role():
    """Guangshui 考勤 (base 10): plenary late −1, absent −1.5; 常委会 late −2, absent −3 (常委
    only). A 常委 late once at each and absent once at each: 10 − 1 − 1.5 − 2 − 3 = 2.5. A
    member with the same records: the 常委会 rules do not apply → 10 − 1 − 1.5 = 7.5."""
    book = load(
        """\
        - {id: p_late, kind: attendance, part: a, points: -1,
           when: {meeting_kind: plenary, status: late}}
        - {id: p_abs, kind: attendance, part: a, points: -1.5,
           when: {meeting_kind: plenary, status: absent}}
        - {id: s_late, kind: attendance, part: a, points: -2, role: standing_member,
           when: {meeting_kind: standing, status: late}}
        - {id: s_abs, kind: attendance, part: a, points: -3, role: standing_member,
           when: {meeting_kind: standing, status: absent}}
        """,
        parts="  - {id: a, base: 10, cap: 10, floor: 0}\n",
    )
    records = [
        rec(
            "attendance", n * 10 + person, person, f"2024-0{n}-01", meeting_kind=kind, status=status
        )
        for person in (1, 2)
        for n, (kind, status) in enumerate(
            [
                ("plenary", "late"),
                ("plenary", "absent"),
                ("standing", "late"),
                ("standing", "absent"),
            ],
            start=1,
        )
    ]
    result = score(records, book, [member(1, role="standing_member"), member(2)])
    assert result.totals() == {1: D("2.5"), 2: D("7.5")}


def test_caps_per_kind_and_part_and_the_floor_cut_the_last_lines():
    """Part cap 10 with a cap of 4 for speeches: speeches 3 × 2 = 6 → 2, 2, 0 (kind cap);
    activities 4 × 2 = 8; 4 + 8 = 12 → the last activity line gives up 2 (part cap) → 10.
    Part b: base 5, floor 0, three absences of −3: 5 − 9 = −4 → the last gives up 4 → −1."""
    book = load(
        """\
        - {id: speech, kind: speech, part: a, points: 2}
        - {id: activity, kind: liaison_activity, part: a, points: 2}
        - {id: absent, kind: attendance, part: b, points: -3, when: {status: absent}}
        """,
        parts="  - {id: a, cap: 10, kind_caps: {speech: 4}}\n  - {id: b, base: 5, floor: 0}\n",
    )
    records = [
        *[rec("speech", n, 1, f"2024-01-0{n}", speech_kind="oral") for n in (1, 2, 3)],
        *[
            rec("liaison_activity", n, 1, f"2024-02-0{n}", activity_kind="visit")
            for n in (1, 2, 3, 4)
        ],
        *[rec("attendance", n, 1, f"2024-03-0{n}", status="absent") for n in (1, 2, 3)],
    ]
    result = score(records, book, [member(1)])
    lines = [(ln.kind, ln.record_id, str(ln.points), ln.note) for ln in result.lines]
    assert lines == [
        ("speech", "1", "2.00", ""),
        ("speech", "2", "2.00", ""),
        ("speech", "3", "0.00", "kind_cap"),
        ("liaison_activity", "1", "2.00", ""),
        ("liaison_activity", "2", "2.00", ""),
        ("liaison_activity", "3", "2.00", ""),
        ("liaison_activity", "4", "0.00", "part_cap"),
        ("attendance", "1", "-3.00", ""),
        ("attendance", "2", "-2.00", "floor"),
        ("attendance", "3", "0.00", "floor"),
    ]
    assert [(p.part, p.total) for p in result.of(1).parts] == [("a", D(10)), ("b", D(0))]


def test_weights_and_the_scale():
    """考勤 40 % and 考绩 60 %: 50 × 0.4 + 100 × 0.6 = 80; with scale 70 the total is cut to 70."""
    rules = "- {id: w, kind: speech, part: b, points: 100}\n"
    parts = "  - {id: a, base: 50, weight: 0.4}\n  - {id: b, weight: 0.6}\n"
    records = [rec("speech", 1, 1, "2024-05-01", speech_kind="oral")]
    assert score(records, load(rules, parts=parts), [member(1)]).totals() == {1: D(80)}
    capped = rulebook.load(
        "format: 1\nname: t\nyear: 2024\nscale: 70\nparts:\n" + parts + "rules:\n  " + rules
    )
    assert score(records, capped, [member(1)]).totals() == {1: D(70)}


def test_manual_adjustments_are_lines_in_their_part():
    """An adjustment gives its own points in its own part (after caps of rules, within the part
    cap): 8 from speeches + 5 adjusted = 13 > cap 12 → the adjustment counts 4."""
    book = load("- {id: s, kind: speech, part: a, points: 8}\n", parts="  - {id: a, cap: 12}\n")
    records = [
        rec("speech", 1, 1, "2024-01-01", speech_kind="oral"),
        rec("adjustment", 5, 1, "2024-06-01", part="a", points="5"),
    ]
    lines = score(records, book, [member(1)]).lines
    assert [(ln.rule_id, ln.points, ln.note) for ln in lines] == [
        ("s", D(8), ""),
        ("adjustment", D(4), "part_cap"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "by", "share"),
    [
        (None, None, "days", "1"),
        ("2024-07-01", None, "days", "0.5027322404371584699453551913"),  # 184 / 366
        ("2024-07-01", None, "months", "0.5"),
        ("2024-03-15", "2024-04-02", "months", "0.1666666666666666666666666667"),  # Mar, Apr
        ("2025-01-01", None, "days", "0"),
    ],
)
def test_share_of_the_year_served(start, end, by, share):
    assert served_share(member(1, start=start, end=end), 2024, by) == D(share)


WARNINGS = """\
warnings:
  - {id: two_in_a_row, kind: attendance, among: {meeting_kind: plenary}, match: {status: absent},
     consecutive: 2, over: term, action: revocation}
  - {id: three_in_term, kind: attendance, match: {meeting_kind: plenary, status: absent},
     count: 3, over: term, action: resignation_advised}
  - {id: standing_three, kind: attendance, match: {meeting_kind: standing, status: absent},
     count: 3, role: standing_member, action: resignation_advised}
  - {id: no_proposal, kind: proposal, fewer_than: 1, action: notice}
"""


def test_warnings_in_a_row_in_the_term_and_for_doing_nothing():
    """Person 1: absent from the 2023 and 2024 plenaries (2 in a row over the term) and from a
    2022 one before the term started (not counted): two_in_a_row, not three_in_term.
    Person 2: absent 2023, present in between, absent 2024: not in a row.
    Person 3 (常委): absent from 3 常委会议 in 2024: standing_three. Nobody has a proposal
    except person 2: no_proposal for 1 and 3."""
    book = load(
        "- {id: x, kind: speech, part: work, points: 1}\n",
        extra=WARNINGS,
    )
    plenary: dict[str, Any] = {"meeting_kind": "plenary"}
    records = [
        rec("attendance", 1, 1, "2022-02-01", status="absent", **plenary),
        rec("attendance", 2, 1, "2023-02-01", status="absent", **plenary),
        rec("attendance", 3, 1, "2024-02-01", status="absent", **plenary),
        rec("attendance", 4, 2, "2023-02-01", status="absent", **plenary),
        rec("attendance", 5, 2, "2023-09-01", status="present", **plenary),
        rec("attendance", 6, 2, "2024-02-01", status="absent", **plenary),
        rec("proposal", 7, 2, "2024-02-02", form="individual", outcome="pending"),
        *[
            rec("attendance", 10 + n, 3, f"2024-0{n}-01", meeting_kind="standing", status="absent")
            for n in (3, 4, 5)
        ],
    ]
    members = [
        member(1, term_start="2023-01-01"),
        member(2, term_start="2023-01-01"),
        member(3, role="standing_member", term_start="2023-01-01"),
    ]
    result = score(records, book, members)
    hits = {m.person_id: [(w.rule_id, w.record_ids) for w in m.warnings] for m in result.members}
    assert hits == {
        1: [("two_in_a_row", ("2", "3")), ("no_proposal", ())],
        2: [],
        3: [("standing_three", ("13", "14", "15")), ("no_proposal", ())],
    }
    assert result.lines == ()  # records of 2022 and 2023 score nothing in 2024


def test_members_without_records_get_their_bases_and_plan():
    book = load(
        "- {id: x, kind: speech, part: work, points: 1}\n",
        parts="  - {id: work, base: 70}\n",
        extra="requirements:\n  - {id: speak, label: 发言, kind: speech, min: 2}\n",
    )
    result = score([], book, [member(5)])
    (only,) = result.members
    assert only.total == D(70)
    assert [(p.id, p.count, p.needed, p.missing) for p in only.plan] == [("speak", 0, 2, 2)]
