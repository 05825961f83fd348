"""Fixtures of the meetings tests: the `world` registry plus a sector of three members.

Xiangtan's 经济界 (sector) holds 王勇峰 (user member_wang), 马继龙 (the convener, user
convener_ma) and 赵一平 (no account); 刘敬民 (user member_liu) sits in 教育界.
"""

from types import SimpleNamespace

import pytest

from tests.factories import MembershipFactory, PersonFactory, UserFactory


@pytest.fixture
def m(world):
    wang = world.xiangtan_only
    wang.user = UserFactory(username="member_wang")
    wang.mobile = "13900001111"
    wang.save()
    zhao = MembershipFactory(
        person=PersonFactory(family_name="赵", given_name="一平", mobile="13700002222"),
        term=world.terms["430300"],
        committee=world.xiangtan,
        sector=world.sector[("430300", "经济界")],
    ).person
    return SimpleNamespace(
        world=world,
        xiangtan=world.xiangtan,
        economy=world.sector[("430300", "经济界")],
        education=world.sector[("430300", "教育界")],
        liu=world.both,
        wang=wang,
        ma=world.convener,
        zhao=zhao,
        office=world.users.xiangtan_office,
        hunan_office=world.users.hunan_office,
        shenzhen_office=world.users.shenzhen_office,
        auditor=world.users.xiangtan_auditor,
        unit=world.users.unit,
        liu_user=world.users.member,
        wang_user=wang.user,
        ma_user=world.users.convener,
    )
