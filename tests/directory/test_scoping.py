"""Who sees and changes what in the registry: one scoping mechanism, asserted per role."""

import pytest

from lianluo.directory.models import Committee, Membership, Person
from lianluo.directory.scoping import scope_for

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(str(obj) for obj in queryset)


def test_office_staff_read_their_committee_and_those_under_it(world):
    """Hunan's office reads Hunan and Xiangtan (under it), never Shenzhen."""
    visible = Committee.objects.visible_to(world.users.hunan_office)
    assert set(visible) == {world.hunan, world.xiangtan}


def test_office_staff_change_only_their_own_committee(world):
    """Hunan's office may change Hunan's records only: Xiangtan is read-only for it."""
    scope = scope_for(world.users.hunan_office)
    assert scope.can_edit_committee(world.hunan.pk)
    assert not scope.can_edit_committee(world.xiangtan.pk)
    assert set(Committee.objects.editable_by(world.users.hunan_office)) == {world.hunan}


def test_city_office_does_not_read_the_province_above_it(world):
    assert set(Committee.objects.visible_to(world.users.xiangtan_office)) == {world.xiangtan}


def test_a_person_with_two_committees_is_seen_by_both_offices(world):
    """The person seated in Hunan and in Xiangtan is visible to both offices and editable by both,
    while each office may change only its own committee's membership."""
    for user in (world.users.hunan_office, world.users.xiangtan_office):
        assert Person.objects.visible_to(user).filter(pk=world.both.pk).exists()
        assert Person.objects.editable_by(user).filter(pk=world.both.pk).exists()
    assert set(
        Membership.objects.editable_by(world.users.hunan_office).filter(person=world.both)
    ) == {world.seat_hunan}
    assert set(
        Membership.objects.editable_by(world.users.xiangtan_office).filter(person=world.both)
    ) == {world.seat_xiangtan}


def test_people_of_another_committee_are_invisible(world):
    for user in (
        world.users.xiangtan_office,
        world.users.hunan_office,
        world.users.xiangtan_auditor,
    ):
        assert not Person.objects.visible_to(user).filter(pk=world.shenzhen_only.pk).exists()


def test_a_member_sees_only_their_own_record(world):
    assert list(Person.objects.visible_to(world.users.member)) == [world.both]
    assert set(Membership.objects.visible_to(world.users.member)) == {
        world.seat_hunan,
        world.seat_xiangtan,
    }


def test_a_convener_also_sees_the_members_of_their_sector(world):
    """马继龙 convenes Xiangtan's 经济界: he sees himself and 王勇峰 (seated there), not 刘敬民."""
    visible = names(Person.objects.visible_to(world.users.convener))
    assert visible == sorted(["马继龙", "王勇峰"])


def test_a_handling_unit_sees_no_one_in_the_registry(world):
    assert not Person.objects.visible_to(world.users.unit).exists()
    assert not Membership.objects.visible_to(world.users.unit).exists()
    assert scope_for(world.users.unit).unit_ids == frozenset({world.unit.pk})


def test_auditors_read_but_never_change(world):
    scope = scope_for(world.users.xiangtan_auditor)
    assert scope.can_read_committee(world.xiangtan)
    assert not scope.can_edit_committee(world.xiangtan.pk)
    assert not Person.objects.editable_by(world.users.xiangtan_auditor).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not Committee.objects.visible_to(anonymous).exists()
    assert not Person.objects.visible_to(anonymous).exists()
    assert not Membership.objects.visible_to(anonymous).exists()
