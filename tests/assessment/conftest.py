"""Fixtures of the assessment tests: Xiangtan's 2024 assessment on the `world` registry."""

from types import SimpleNamespace

import pytest

from tests.assessment import records as r


@pytest.fixture
def xt(world):
    """Xiangtan 2024 with the small test rulebook and records of three members:

    刘敬民 (both): plenary present; proposal A (individual, 立案); opinion report adopted at the
      municipal level; one liaison visit.          考勤 40, 考绩 10+10+5+5+2 = 32 → 72 合格.
    王勇峰 (xiangtan_only): plenary absent; co-signer of proposal B (pending, first 马继龙).
      考勤 40 − 20 = 20; 考绩 10/2 = 5 → 25 不合格.
    马继龙 (convener): plenary excused; first proposer of B. 考勤 35; 考绩 5 → 40 不合格.
    """
    office = world.users.xiangtan_office
    assessment, version = r.set_up_rulebook(world.xiangtan, office)
    term = world.terms["430300"]
    seats = {
        "liu": world.seat_xiangtan,
        "wang": world.xiangtan_only.memberships.get(organization__isnull=True),
        "ma": world.convener.memberships.get(organization__isnull=True),
    }
    data = SimpleNamespace(
        assessment=assessment, version=version, seats=seats, office=office, world=world
    )
    if r.installed("meetings"):
        plenary = r.meeting(world.xiangtan, term, kind="plenary", day="2024-01-10")
        data.plenary = plenary
        data.att = {
            "liu": r.attendance(plenary, seats["liu"], "present"),
            "wang": r.attendance(plenary, seats["wang"], "absent"),
            "ma": r.attendance(plenary, seats["ma"], "excused"),
        }
    if r.installed("proposals"):
        data.proposal_a = r.proposal(world.xiangtan, [world.both], status="accepted")
        data.proposal_b = r.proposal(
            world.xiangtan, [world.convener, world.xiangtan_only], status="submitted"
        )
        data.report = r.opinion_report(world.xiangtan, [world.both])
        data.adoption = r.adoption(data.report, level="municipal")
    if r.installed("liaison"):
        data.visit = r.activity(world.xiangtan, [seats["liu"]])
    return data
