"""The three published rule sets shipped as example rulebooks reproduce hand-computed scores.

Every expected figure below was computed by hand from the published text (the rulebook file's
header says what the text leaves out and what was assumed); the arithmetic is in each test.
No database: records and members are built in memory, the engine is a pure function.
"""

import random

import pytest

from lianluo.assessment import rulebook
from lianluo.assessment.engine import score
from tests.assessment.helpers import D, member, rec, rulebook_text


def points_by_record(result, person):
    return [
        (line.rule_id, line.record_id, line.points, line.note) for line in result.lines_of(person)
    ]


# --------------------------------------------------------------------------- Tongcheng 2019


@pytest.fixture
def tongcheng():
    return rulebook.load(rulebook_text("tongcheng-2019.yaml"))


def tongcheng_records():
    """P1..P5 members, P9 not a member; one 2018 record that must not count."""
    return [
        # P1: plenary on time; proposals 101 (individual, 立案), 102 (joint, first of 3, 立案),
        # 107 (withdrawn); six activities; 社情民意 201 adopted at city then at province.
        rec("attendance", 1, 1, "2019-01-15", meeting_kind="plenary", status="present"),
        rec("proposal", 101, 1, "2019-02-01", form="individual", outcome="accepted"),
        rec(
            "proposal",
            102,
            1,
            "2019-03-01",
            form="joint",
            outcome="accepted",
            position=1,
            authors=3,
        ),
        rec("proposal", 107, 1, "2019-04-01", form="individual", outcome="withdrawn"),
        *[
            rec("attendance", 10 + n, 1, f"2019-0{3 + n}-01", meeting_kind=kind, status="present")
            for n, kind in enumerate(
                ["survey", "inspection", "training", "supervision", "sector", "thematic"]
            )
        ],
        rec("opinion_report", 201, 1, "2019-05-10", state="accepted"),
        rec(
            "adoption",
            2011,
            1,
            "2019-06-01",
            item=201,
            of="opinion_report",
            level="municipal",
            mode="single",
            action="adopted",
        ),
        rec(
            "adoption",
            2012,
            1,
            "2019-07-01",
            item=201,
            of="opinion_report",
            level="provincial",
            mode="single",
            action="adopted",
        ),
        # P2: plenary excused; co-signer of 102 (position 2 of 3); main member of the collective
        # proposal 103 (立案); an oral speech and a selected written speech at the plenary;
        # co-author (2 of 2) of 社情民意 202, adopted at province then at national level.
        rec("attendance", 2, 2, "2019-01-15", meeting_kind="plenary", status="excused"),
        rec(
            "proposal",
            102,
            2,
            "2019-03-01",
            form="joint",
            outcome="accepted",
            position=2,
            authors=3,
        ),
        rec(
            "proposal",
            103,
            2,
            "2019-06-01",
            form="collective",
            outcome="accepted",
            author="collective_main",
        ),
        rec(
            "speech",
            31,
            2,
            "2019-01-16",
            speech_kind="oral",
            meeting_kind="plenary",
            selected=False,
        ),
        rec(
            "speech",
            32,
            2,
            "2019-01-16",
            speech_kind="written",
            meeting_kind="plenary",
            selected=True,
        ),
        rec("opinion_report", 202, 2, "2019-04-10", state="accepted", position=2, authors=2),
        rec(
            "adoption",
            2021,
            2,
            "2019-05-01",
            item=202,
            of="opinion_report",
            level="provincial",
            mode="combined",
            action="adopted",
            position=2,
            authors=2,
        ),
        rec(
            "adoption",
            2022,
            2,
            "2019-08-01",
            item=202,
            of="opinion_report",
            level="national",
            mode="single",
            action="adopted",
            position=2,
            authors=2,
        ),
        # P3 (常委): plenary on time; excused from one 常委会议, absent from another; co-signer of
        # 102 (position 3 of 3); first author of 202; one study session, one missed inspection.
        rec("attendance", 3, 3, "2019-01-15", meeting_kind="plenary", status="present"),
        rec("attendance", 41, 3, "2019-03-15", meeting_kind="standing", status="excused"),
        rec("attendance", 42, 3, "2019-09-15", meeting_kind="standing", status="absent"),
        rec(
            "proposal",
            102,
            3,
            "2019-03-01",
            form="joint",
            outcome="accepted",
            position=3,
            authors=3,
        ),
        rec("opinion_report", 202, 3, "2019-04-10", state="accepted", position=1, authors=2),
        rec(
            "adoption",
            2021,
            3,
            "2019-05-01",
            item=202,
            of="opinion_report",
            level="provincial",
            mode="combined",
            action="adopted",
            position=1,
            authors=2,
        ),
        rec(
            "adoption",
            2022,
            3,
            "2019-08-01",
            item=202,
            of="opinion_report",
            level="national",
            mode="single",
            action="adopted",
            position=1,
            authors=2,
        ),
        rec("attendance", 43, 3, "2019-04-20", meeting_kind="training", status="present"),
        rec("attendance", 44, 3, "2019-05-20", meeting_kind="inspection", status="absent"),
        # P4 joined on 2019-07-01: a rejected proposal, four activities, two 社情民意.
        rec("proposal", 104, 4, "2019-08-01", form="individual", outcome="rejected"),
        *[
            rec(
                "attendance",
                50 + n,
                4,
                f"2019-{8 + n:02d}-10",
                meeting_kind="survey",
                status="present",
            )
            for n in range(4)
        ],
        rec("opinion_report", 205, 4, "2019-08-20", state="kept"),
        rec("opinion_report", 206, 4, "2019-09-20", state="kept"),
        # P5 joined on 2019-11-01: one activity.
        rec("attendance", 60, 5, "2019-11-10", meeting_kind="training", status="present"),
        # not a member; and a record of the year before.
        rec("attendance", 70, 9, "2019-01-15", meeting_kind="plenary", status="present"),
        rec("attendance", 71, 1, "2018-12-30", meeting_kind="survey", status="present"),
    ]


TONGCHENG_MEMBERS = [
    member(1),
    member(2),
    member(3, role="standing_member"),
    member(4, start="2019-07-01"),
    member(5, start="2019-11-01"),
]


def test_tongcheng_2019_reproduces_the_hand_computed_scores(tongcheng):
    """Tongcheng: 参加政协会议 50, 提案 cap 25, 活动 cap 10, 社情民意 cap 15; pass mark 60.

    P1: 会议 50 (全会 on time).
        提案: 101 individual 立案 10 + 15 = 25; 102 joint, first of 3: 10/2 = 5 and 15/2 = 7.5;
        107 withdrawn: nothing. 25 + 5 + 7.5 = 37.5 > cap 25: the last lines (102's 7.5, then
        102's 5) give up the 12.5 → 102 counts 0 + 0. 提案 = 25.
        活动: 6 × 2 = 12 > cap 10 → the 6th (thematic, 08-01) counts 0. 活动 = 10.
        社情民意: 201 submitted 10, adopted (city) 5; adopted again (province): once per item → 0
        lines. = 15.   Total 50 + 25 + 10 + 15 = 100 → 合格.
    P2: 会议 30 (excused).
        提案: 102 co-signer, 2 co-signers share half: 10/2/2 = 2.50 and 15/2/2 = 3.75;
        103 collective main member 10 + 15; 2.5 + 3.75 + 10 + 15 = 31.25 > 25 → 103's 15 gives
        up 6.25 → 8.75. 提案 = 25.
        活动: oral speech 2 + selected written speech 5 = 7.
        社情民意: 202 co-author of 2: 10/2/1 = 5; adopted (province) 5/2/1 = 2.5 → 7.5.
        Total 30 + 25 + 7 + 7.5 = 69.5 → 合格.
    P3 (常委): 会议 50 − 2 (常委会 leave) − 5 (常委会 absent) = 43.
        提案: 102 co-signer 2.5 + 3.75 = 6.25. 活动: study 2 (missed inspection: nothing).
        社情民意: 202 first of 2: 10/2 = 5, adopted 5/2 = 2.5 → 7.5.
        Total 43 + 6.25 + 2 + 7.5 = 58.75 → 不合格, 1.25 short of 合格.
    P4 joined 07-01: 6 of 12 months → share 0.50; pass mark 60 × 0.5 = 30.
        提案: 104 rejected, submitted 10. 活动 4 × 2 = 8. 社情民意 10 + 10 = 20 > 15 → 206
        counts 5. Total 10 + 8 + 15 = 33 ≥ 30 → 合格.
    P5 joined 11-01: 2 of 12 months = 0.17 < 0.25 → listed, not graded; 1 activity = 2.
    P9 is not a member; the 2018 record of P1 scores nothing.
    """
    result = score(tongcheng_records(), tongcheng, TONGCHENG_MEMBERS)
    totals = {m.person_id: (m.total, m.grade_label) for m in result.members}
    assert totals == {
        1: (D(100), "合格"),
        2: (D("69.50"), "合格"),
        3: (D("58.75"), "不合格"),
        4: (D(33), "合格"),
        5: (D(2), ""),
    }
    p1 = result.of(1)
    assert [(p.part, p.total) for p in p1.parts] == [
        ("meetings", D(50)),
        ("proposals", D(25)),
        ("activities", D(10)),
        ("opinions", D(15)),
    ]
    proposals_p1 = [
        (line.rule_id, line.record_id, line.price, line.points, line.note)
        for line in result.lines_of(1)
        if line.part == "proposals"
    ]
    assert proposals_p1 == [
        ("proposal_submitted", "101", D(10), D(10), ""),
        ("proposal_accepted", "101", D(15), D(15), ""),
        ("proposal_submitted", "102", D(5), D(0), "part_cap"),
        ("proposal_accepted", "102", D("7.50"), D(0), "part_cap"),
    ]
    p2_proposals = [
        (ln.record_id, ln.points) for ln in result.lines_of(2) if ln.part == "proposals"
    ]
    assert p2_proposals == [
        ("102", D("2.50")),
        ("102", D("3.75")),
        ("103", D(10)),
        ("103", D("8.75")),
    ]
    p3_meetings = [(ln.rule_id, ln.points) for ln in result.lines_of(3) if ln.part == "meetings"]
    assert p3_meetings == [
        ("plenary_on_time", D(50)),
        ("standing_leave", D(-2)),
        ("standing_absent", D(-5)),
    ]
    p3 = result.of(3)
    assert (p3.next_grade_label, p3.to_next_grade) == ("合格", D("1.25"))
    assert result.of(4).share == D("0.50")
    assert not result.of(5).assessed
    assert result.lines_of(9) == []


def test_every_point_of_a_tongcheng_total_is_on_a_line(tongcheng):
    """Base + the sum of a member's lines is their total, part by part (no hidden points)."""
    result = score(tongcheng_records(), tongcheng, TONGCHENG_MEMBERS)
    for m in result.members:
        for part in m.parts:
            lines = [ln.points for ln in result.lines_of(m.person_id) if ln.part == part.part]
            assert part.base + sum(lines, D(0)) == part.total


def test_tongcheng_scores_do_not_depend_on_the_order_of_the_records(tongcheng):
    """Same inputs, same lines in the same order, however the provider returned them."""
    records = tongcheng_records()
    expected = score(records, tongcheng, TONGCHENG_MEMBERS)
    for seed in range(5):
        shuffled = list(records)
        random.Random(seed).shuffle(shuffled)
        members = list(TONGCHENG_MEMBERS)
        random.Random(seed).shuffle(members)
        assert score(shuffled, tongcheng, members) == expected


# --------------------------------------------------------------------------- Jinan 2015


@pytest.fixture
def jinan():
    return rulebook.load(rulebook_text("jinan-2015.yaml"))


def jinan_records():
    return [
        # J1: plenary; first proposer of 301 (立案), 302 (立案, 重点), 303 (立案, 优秀),
        # 304 (rejected); co-signer of 305 (立案, 重点); an inspection; six public-welfare
        # activities.
        rec("attendance", 1, 1, "2015-02-10", meeting_kind="plenary", status="present"),
        rec(
            "proposal",
            301,
            1,
            "2015-02-11",
            form="individual",
            outcome="accepted",
            key=False,
            excellent=False,
        ),
        rec(
            "proposal",
            302,
            1,
            "2015-02-12",
            form="individual",
            outcome="accepted",
            key=True,
            excellent=False,
        ),
        rec(
            "proposal",
            303,
            1,
            "2015-02-13",
            form="individual",
            outcome="accepted",
            key=False,
            excellent=True,
        ),
        rec(
            "proposal",
            304,
            1,
            "2015-02-14",
            form="individual",
            outcome="rejected",
            key=False,
            excellent=False,
        ),
        rec(
            "proposal",
            305,
            1,
            "2015-02-15",
            form="joint",
            outcome="accepted",
            key=True,
            excellent=False,
            position=2,
            authors=2,
        ),
        rec("attendance", 2, 1, "2015-05-10", meeting_kind="inspection", status="present"),
        *[
            rec("liaison_activity", 10 + n, 1, f"2015-{3 + n:02d}-05", activity_kind="visit")
            for n in range(6)
        ],
        # J2: absent from the plenary; a pending proposal; a research trip.
        rec("attendance", 3, 2, "2015-02-10", meeting_kind="plenary", status="absent"),
        rec(
            "proposal",
            306,
            2,
            "2015-02-11",
            form="individual",
            outcome="pending",
            key=False,
            excellent=False,
        ),
        rec("attendance", 4, 2, "2015-06-10", meeting_kind="survey", status="present"),
        # J3: excused from the plenary; two 立案 proposals; no inspection or research.
        rec("attendance", 5, 3, "2015-02-10", meeting_kind="plenary", status="excused"),
        rec(
            "proposal",
            307,
            3,
            "2015-02-11",
            form="individual",
            outcome="accepted",
            key=False,
            excellent=False,
        ),
        rec(
            "proposal",
            308,
            3,
            "2015-02-12",
            form="individual",
            outcome="merged",
            key=False,
            excellent=False,
        ),
        # J4 joined 2015-02-01: plenary in March, a 社情民意, a research trip, nine services.
        rec("attendance", 6, 4, "2015-03-01", meeting_kind="plenary", status="present"),
        rec("opinion_report", 601, 4, "2015-04-01", state="submitted"),
        rec("attendance", 7, 4, "2015-05-01", meeting_kind="survey", status="late"),
        *[
            rec("liaison_activity", 30 + n, 4, f"2015-{3 + n:02d}-20", activity_kind="reception")
            for n in range(9)
        ],
    ]


def test_jinan_2015_reproduces_the_hand_computed_scores(jinan):
    """Jinan: 70 基础分 (−30 unexcused, −10 excused 全会 absence) + ≤50 奖励分; 优秀 ≥85,
    称职 60–84 and only with the 三个一, 不称职 <60.

    J1: 基础 70. 奖励: 301 is the first 立案 (nothing), 302 +5 (extra) +5 (重点), 303 +5 (extra)
        +10 (优秀); 304 rejected; 305 as co-signer: nothing. Public welfare 6 × 2 = 12, rule cap
        10 → the 6th counts 0. 奖励 = 5 + 5 + 5 + 10 + 10 = 35. Total 105 → 优秀 (三个一 met).
    J2: 基础 70 − 30 = 40; 奖励 0. Total 40 → 不称职. Previous year 55: both warnings (below 60,
        and below 60 two years running).
    J3: 基础 70 − 10 = 60; 奖励: 308 (并案) is the 2nd 立案 → +5. Total 65 would be 称职, but
        J3 attended no 全会 (excused) and no 视察/调研: two of the 三个一 are missing → 不称职
        (and no "below 60" warning: the total is 65).
    J4 joined 02-01: 11 of 12 months → share 0.92. Base 70 × 0.92 = 64.40 = the 基础 cap.
        Public welfare: rule cap 10 × 0.92 = 9.20 → 2 + 2 + 2 + 2 + 1.20, the rest 0 → 9.20.
        Total 64.40 + 9.20 = 73.60. Bands × 0.92: 优秀 from 78.20, 称职 from 55.20 → 称职,
        4.60 below 优秀.
    """
    history = {2: [D(55)]}
    members = [member(1), member(2), member(3), member(4, start="2015-02-01")]
    result = score(jinan_records(), jinan, members, history=history)
    totals = {m.person_id: (m.total, m.grade_label) for m in result.members}
    assert totals == {
        1: (D(105), "优秀"),
        2: (D(40), "不称职"),
        3: (D(65), "不称职"),
        4: (D("73.60"), "称职"),
    }
    bonus_j1 = [
        (ln.rule_id, ln.record_id, ln.points) for ln in result.lines_of(1) if ln.part == "bonus"
    ]
    assert bonus_j1[:5] == [
        ("extra_accepted", "302", D(5)),
        ("key_proposal", "302", D(5)),
        ("extra_accepted", "303", D(5)),
        ("excellent_proposal", "303", D(10)),
        ("public_welfare", "10", D(2)),
    ]
    assert bonus_j1[-1] == ("public_welfare", "15", D(0))
    assert [w.rule_id for w in result.of(2).warnings] == ["below_60", "below_60_two_years"]
    assert result.of(3).warnings == ()
    assert [(p.id, p.count, p.missing) for p in result.of(3).plan] == [
        ("plenary", 0, 1),
        ("proposal_or_opinion", 2, 0),
        ("inspection", 0, 1),
    ]
    j4 = result.of(4)
    assert j4.share == D("0.92")
    assert [(p.part, p.base, p.total) for p in j4.parts] == [
        ("basic", D("64.40"), D("64.40")),
        ("bonus", D(0), D("9.20")),
    ]
    assert (j4.next_grade_label, j4.to_next_grade) == ("优秀", D("4.60"))


# --------------------------------------------------------------------------- Yanbian 2022


@pytest.fixture
def yanbian():
    return rulebook.load(rulebook_text("yanbian-2022.yaml"))


def yanbian_records():
    return [
        # Y1: first proposer of 401 (立案, 重点, forwarded to the province), 402 (立案),
        # 403 (converted to 社情民意), 404 (pending); co-signer of 405 (立案).
        rec(
            "proposal",
            401,
            1,
            "2022-01-10",
            form="individual",
            outcome="accepted",
            key=True,
            forwarded_to="provincial",
        ),
        rec(
            "proposal",
            402,
            1,
            "2022-01-11",
            form="individual",
            outcome="accepted",
            key=False,
            forwarded_to="none",
        ),
        rec(
            "proposal",
            403,
            1,
            "2022-01-12",
            form="individual",
            outcome="converted_opinion",
            key=False,
            forwarded_to="none",
        ),
        rec(
            "proposal",
            404,
            1,
            "2022-01-13",
            form="individual",
            outcome="pending",
            key=False,
            forwarded_to="none",
        ),
        rec(
            "proposal",
            405,
            1,
            "2022-01-14",
            form="joint",
            outcome="accepted",
            key=True,
            forwarded_to="national",
            position=2,
            authors=3,
        ),
        # Y1's 社情民意 501: adopted by the prefecture, by the province, instructed nationally;
        # 502: instructed by a prefecture leader.
        rec("opinion_report", 501, 1, "2022-03-01", state="accepted"),
        rec(
            "adoption",
            5011,
            1,
            "2022-03-20",
            item=501,
            of="opinion_report",
            level="municipal",
            mode="single",
            action="adopted",
        ),
        rec(
            "adoption",
            5012,
            1,
            "2022-04-20",
            item=501,
            of="opinion_report",
            level="provincial",
            mode="single",
            action="adopted",
        ),
        rec(
            "adoption",
            5013,
            1,
            "2022-05-20",
            item=501,
            of="opinion_report",
            level="national",
            mode="single",
            action="instruction",
        ),
        rec("opinion_report", 502, 1, "2022-06-01", state="accepted"),
        rec(
            "adoption",
            5021,
            1,
            "2022-06-20",
            item=502,
            of="opinion_report",
            level="municipal",
            mode="single",
            action="instruction",
        ),
        # Y2: co-signer of 405; first proposer of 406 converted to 社情民意; second author of 503.
        rec(
            "proposal",
            405,
            2,
            "2022-01-14",
            form="joint",
            outcome="accepted",
            key=True,
            forwarded_to="national",
            position=3,
            authors=3,
        ),
        rec(
            "proposal",
            406,
            2,
            "2022-02-14",
            form="individual",
            outcome="converted_opinion",
            key=False,
            forwarded_to="none",
        ),
        rec("opinion_report", 503, 2, "2022-03-01", state="accepted", position=2, authors=2),
        rec(
            "adoption",
            5031,
            2,
            "2022-03-20",
            item=503,
            of="opinion_report",
            level="provincial",
            mode="single",
            action="adopted",
            position=2,
            authors=2,
        ),
        # Y3: one pending proposal.
        rec(
            "proposal",
            407,
            3,
            "2022-09-01",
            form="individual",
            outcome="pending",
            key=False,
            forwarded_to="none",
        ),
    ]


def test_yanbian_2022_reproduces_the_hand_computed_scores(yanbian):
    """Yanbian: from 0, no caps; only first proposers / first authors score.

    Y1: 提案: ≥1 in the year +10 (once, on 401); 立案 401 +10, 402 +10; 重点 401 +10;
        报送省政协 401 +10; 403 converted (not counted again); 404 pending (the yearly +10 is
        already paid); 405 as co-signer: nothing. 提案 = 50.
        社情民意: ≥1 in the year +5 (501); 501 adopted (prefecture) +10; 501 adopted by the
        province +10 (the high-level bonus, once per item); its national instruction: the
        high-level bonus was paid for 501 → nothing; 502 instructed by a prefecture leader +10.
        社情民意 = 35. Total 85.
    Y2: co-signer or second author everywhere; 406 converted to 社情民意 → 0. Total 0.
    Y3: 407 pending → the yearly +10. Total 10.
    """
    result = score(yanbian_records(), yanbian, [member(1), member(2), member(3)])
    assert result.totals() == {1: D(85), 2: D(0), 3: D(10)}
    assert points_by_record(result, 1) == [
        ("proposal_this_year", "401", D(10), ""),
        ("proposal_accepted", "401", D(10), ""),
        ("proposal_key", "401", D(10), ""),
        ("proposal_forwarded", "401", D(10), ""),
        ("proposal_accepted", "402", D(10), ""),
        ("opinion_this_year", "501", D(5), ""),
        ("opinion_adopted", "5011", D(10), ""),
        ("opinion_high", "5012", D(10), ""),
        ("opinion_high", "5021", D(10), ""),
    ]
    assert result.lines_of(2) == []
    assert all(m.grade == "" for m in result.members)  # no published bands: ranked, not graded
