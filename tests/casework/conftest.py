"""Fixtures of the concern tests: `cw` adds casework to the `world` registry."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from lianluo.casework import screen
from lianluo.casework.models import CaseworkPolicy
from lianluo.directory.models import Grant, Organization
from tests.casework.factories import CategoryFactory
from tests.factories import GrantFactory, OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate-limit counters live in the cache and compiled screens in the process: each test
    starts without them."""
    cache.clear()
    screen._cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cw(world):
    """Xiangtan and Shenzhen take concerns: a policy, categories, a second Xiangtan unit with
    its own user, and a Shenzhen unit."""
    CaseworkPolicy.objects.create(committee=world.xiangtan)
    roads = CategoryFactory(
        committee=world.xiangtan, code="roads", name="道路交通", deadline_days=10
    )
    schools = CategoryFactory(
        committee=world.xiangtan, code="schools", name="教育", deadline_days=15
    )
    shenzhen_category = CategoryFactory(committee=world.shenzhen, code="roads", name="道路交通")
    housing_unit = OrganizationFactory(
        committee=world.xiangtan,
        classification=Organization.Classification.HANDLING_UNIT,
        name="市住建局",
    )
    shenzhen_unit = OrganizationFactory(
        committee=world.shenzhen,
        classification=Organization.Classification.HANDLING_UNIT,
        name="深圳市交通运输局",
    )
    other_unit_user = GrantFactory(
        user=UserFactory(username="housing_user"),
        committee=world.xiangtan,
        role=Grant.Role.UNIT,
        unit=housing_unit,
    ).user
    world.users.other_unit = other_unit_user
    return SimpleNamespace(
        world=world,
        xiangtan=world.xiangtan,
        shenzhen=world.shenzhen,
        roads=roads,
        schools=schools,
        shenzhen_category=shenzhen_category,
        unit=world.unit,
        housing_unit=housing_unit,
        shenzhen_unit=shenzhen_unit,
        users=world.users,
        member=world.both,
    )
