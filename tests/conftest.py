"""Shared fixtures. `world` is a small registry that most scoping tests start from."""

import datetime
import os
from types import SimpleNamespace

import pytest

from lianluo.directory.models import Committee, Grant, Membership, Organization
from tests.factories import (
    CommitteeFactory,
    GrantFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    TermFactory,
    UserFactory,
    valid_id_number,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "Correct-Horse-42!"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder; passwords hash fast (Argon2 is
    asserted in its own test, tests/accounts/test_security.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def world(db):
    """Hunan province (430000) with Xiangtan city (430300) under it, and Shenzhen (440300)
    elsewhere. One person holds seats in Hunan and Xiangtan, in different sectors. Each committee
    has an office user; Xiangtan also has an auditor, a handling unit and its user, a convener."""
    hunan = CommitteeFactory(
        code="430000",
        name="中国人民政治协商会议湖南省委员会",
        short_name="湖南省政协",
        level=Committee.Level.PROVINCIAL,
    )
    xiangtan = CommitteeFactory(
        code="430300",
        name="中国人民政治协商会议湘潭市委员会",
        short_name="湘潭市政协",
        level=Committee.Level.MUNICIPAL,
        parent=hunan,
    )
    shenzhen = CommitteeFactory(
        code="440300",
        name="中国人民政治协商会议深圳市委员会",
        short_name="深圳市政协",
        level=Committee.Level.MUNICIPAL,
    )
    terms = {
        c.code: TermFactory(committee=c, number=13, start_date=datetime.date(2022, 1, 1))
        for c in (hunan, xiangtan, shenzhen)
    }
    sector = {
        (c.code, name): OrganizationFactory(committee=c, classification="sector", name=name)
        for c in (hunan, xiangtan, shenzhen)
        for name in ("经济界", "教育界")
    }
    unit = OrganizationFactory(
        committee=xiangtan,
        classification=Organization.Classification.HANDLING_UNIT,
        name="市教育局",
    )
    both = PersonFactory(family_name="刘", given_name="敬民", mobile="13800138000")
    from lianluo.directory.services import _set_id_number

    _set_id_number(both, valid_id_number(1))
    both.save()
    seat_hunan = MembershipFactory(
        person=both, term=terms["430000"], committee=hunan, sector=sector[("430000", "经济界")]
    )
    seat_xiangtan = MembershipFactory(
        person=both, term=terms["430300"], committee=xiangtan, sector=sector[("430300", "教育界")]
    )
    xiangtan_only = MembershipFactory(
        person=PersonFactory(family_name="王", given_name="勇峰"),
        term=terms["430300"],
        committee=xiangtan,
        sector=sector[("430300", "经济界")],
    ).person
    shenzhen_only = MembershipFactory(
        person=PersonFactory(family_name="姚", given_name="明"),
        term=terms["440300"],
        committee=shenzhen,
        sector=sector[("440300", "经济界")],
    ).person
    convener = MembershipFactory(
        person=PersonFactory(family_name="马", given_name="继龙"),
        term=terms["430300"],
        committee=xiangtan,
        sector=sector[("430300", "经济界")],
    ).person
    Membership.objects.create(
        person=convener,
        committee=xiangtan,
        term=terms["430300"],
        organization=sector[("430300", "经济界")],
        role=Membership.Role.CONVENER,
        start_date=datetime.date(2022, 1, 1),
    )
    users = SimpleNamespace(
        hunan_office=GrantFactory(user=UserFactory(username="hunan_office"), committee=hunan).user,
        xiangtan_office=GrantFactory(
            user=UserFactory(username="xiangtan_office"), committee=xiangtan
        ).user,
        shenzhen_office=GrantFactory(
            user=UserFactory(username="shenzhen_office"), committee=shenzhen
        ).user,
        xiangtan_auditor=GrantFactory(
            user=UserFactory(username="xiangtan_auditor"),
            committee=xiangtan,
            role=Grant.Role.AUDITOR,
        ).user,
        unit=GrantFactory(
            user=UserFactory(username="unit_user"),
            committee=xiangtan,
            role=Grant.Role.UNIT,
            unit=unit,
        ).user,
        member=UserFactory(username="member_liu"),
        convener=UserFactory(username="convener_ma"),
        anonymous=None,
    )
    both.user = users.member
    both.save()
    convener.user = users.convener
    convener.save()
    return SimpleNamespace(
        hunan=hunan,
        xiangtan=xiangtan,
        shenzhen=shenzhen,
        terms=terms,
        sector=sector,
        unit=unit,
        both=both,
        seat_hunan=seat_hunan,
        seat_xiangtan=seat_xiangtan,
        xiangtan_only=xiangtan_only,
        shenzhen_only=shenzhen_only,
        convener=convener,
        users=users,
    )
