"""The proposals world `pw`, built on the registry's `world`: Xiangtan has a plenary session
that closed a month ago (so new proposals are made between sessions), its proposal policy,
two more handling units with their users, and a co-signer (王勇峰) with a log-in account."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lianluo.proposals import services
from tests.factories import UserFactory
from tests.proposals.factories import Builder, session_around, unit_with_user


@pytest.fixture
def pw(world, settings):
    settings.LANGUAGE_CODE = "en"
    xiangtan = world.xiangtan
    session = session_around(xiangtan, opens=-40, closes=-35)
    services.policy_ensure(committee=xiangtan)
    cosigner = world.xiangtan_only
    cosigner.user = UserFactory(username="member_wang")
    cosigner.save()
    lead = unit_with_user(xiangtan, "市住建局", "unit_housing")
    helper = unit_with_user(xiangtan, "市财政局", "unit_finance")
    ns = SimpleNamespace(
        world=world,
        committee=xiangtan,
        session=session,
        author=world.both,
        author_user=world.users.member,
        cosigner=cosigner,
        cosigner_user=cosigner.user,
        other_member=world.users.convener,
        office=world.users.xiangtan_office,
        parent_office=world.users.hunan_office,
        auditor=world.users.xiangtan_auditor,
        foreign_office=world.users.shenzhen_office,
        education=SimpleNamespace(unit=world.unit, user=world.users.unit),
        lead=lead,
        helper=helper,
    )
    ns.build = Builder(ns)
    return ns


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
