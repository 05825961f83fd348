"""Liaison models: integrity in the database, and visible_to() for every role."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianluo.liaison.models import (
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    LiaisonPlan,
    MemberCalendar,
    PlanTask,
    ReceptionDay,
    Studio,
    StudioMember,
)
from lianluo.liaison.services import calendar_for
from tests.liaison.factories import (
    ConstituentGroupFactory,
    StudioFactory,
    assign,
    plan,
    reception_day,
    record,
    seat,
)

pytestmark = pytest.mark.django_db


def refused(**create):
    model = create.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**create)


def test_the_database_keeps_the_rules(world):
    """Six-digit area codes, one active assignment per member and group, a reception day that
    ends after it starts, a contact with one owner and consent, coherent plan tasks."""
    refused(model=ConstituentGroup, committee=world.xiangtan, name="甲", area_code="4303")
    group = ConstituentGroupFactory(committee=world.xiangtan)
    liu = seat(world.both, world.xiangtan)
    assign(group, liu)
    with pytest.raises(IntegrityError), transaction.atomic():
        assign(group, liu)
    studio = StudioFactory(committee=world.xiangtan)
    refused(
        model=ReceptionDay,
        committee=world.xiangtan,
        studio=studio,
        date=datetime.date(2025, 1, 10),
        start_time=datetime.time(11),
        end_time=datetime.time(9),
    )
    refused(
        model=ConstituentContact,
        committee=world.xiangtan,
        name="赵",
        membership=liu,
        studio=studio,
        consent_given=True,
        consent_date=datetime.date(2025, 1, 1),
        consent_method="verbal",
    )
    refused(
        model=ConstituentContact,
        committee=world.xiangtan,
        name="赵",
        membership=liu,
        consent_given=False,
    )
    year_plan = plan(world.xiangtan, year=2025)
    refused(
        model=PlanTask,
        committee=world.xiangtan,
        plan=year_plan,
        applies_to="sector",
        metric="contacts",
        target=1,
    )
    refused(
        model=PlanTask,
        committee=world.xiangtan,
        plan=year_plan,
        metric="contacts",
        activity_kind="visit",
        target=1,
    )
    refused(model=LiaisonPlan, committee=world.xiangtan, year=2025, title="again")


@pytest.fixture
def records(world):
    """One of each record in Xiangtan (刘敬民 and 王勇峰 involved) and in Shenzhen."""
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    economy = world.sector[("430300", "经济界")]
    education = world.sector[("430300", "教育界")]
    economy_group = ConstituentGroupFactory(committee=world.xiangtan, sector=economy, name="商会")
    school = ConstituentGroupFactory(committee=world.xiangtan, sector=education, name="一中")
    assign(economy_group, wang)
    assign(school, liu)
    studio = StudioFactory(committee=world.xiangtan, sector=economy)
    StudioMember.objects.create(studio=studio, membership=wang)
    day = reception_day(studio, date=timezone.localdate(), members=[wang])
    liu_visit = record(world.xiangtan, members=[liu], groups=[school], sector=education)
    wang_visit = record(world.xiangtan, members=[wang], groups=[economy_group], sector=economy)
    liu_contact = ConstituentContact.objects.create(
        committee=world.xiangtan,
        name="赵",
        phone="13912345678",
        membership=liu,
        consent_given=True,
        consent_date=timezone.localdate(),
        consent_method="verbal",
    )
    studio_contact = ConstituentContact.objects.create(
        committee=world.xiangtan,
        name="钱",
        studio=studio,
        consent_given=True,
        consent_date=timezone.localdate(),
        consent_method="written",
    )
    shenzhen_seat = seat(world.shenzhen_only, world.shenzhen)
    far_group = ConstituentGroupFactory(committee=world.shenzhen)
    assign(far_group, shenzhen_seat)
    far_visit = record(world.shenzhen, members=[shenzhen_seat], groups=[far_group])
    draft = plan(world.xiangtan, year=2030, published=False)
    published = plan(world.xiangtan, year=2031)
    return locals()


def names(queryset, key="pk"):
    return set(queryset.values_list(key, flat=True))


def test_office_staff_see_their_committee_and_those_below_and_nothing_else(world, records):
    r = records
    for user in (
        world.users.xiangtan_office,
        world.users.hunan_office,
        world.users.xiangtan_auditor,
    ):
        assert names(LiaisonActivity.objects.visible_to(user)) == {
            r["liu_visit"].pk,
            r["wang_visit"].pk,
        }
        assert names(ConstituentGroup.objects.visible_to(user), "name") == {"商会", "一中"}
        assert LiaisonAssignment.objects.visible_to(user).count() == 2
        assert names(Studio.objects.visible_to(user)) == {r["studio"].pk}
        assert names(ReceptionDay.objects.visible_to(user)) == {r["day"].pk}
        assert names(LiaisonPlan.objects.visible_to(user)) == {r["draft"].pk, r["published"].pk}
    shenzhen = world.users.shenzhen_office
    assert names(LiaisonActivity.objects.visible_to(shenzhen)) == {r["far_visit"].pk}
    assert LiaisonAssignment.objects.visible_to(shenzhen).count() == 1


def test_a_member_sees_their_own_records_only(world, records):
    r = records
    member = world.users.member  # 刘敬民
    assert names(LiaisonActivity.objects.visible_to(member)) == {r["liu_visit"].pk}
    assert names(ConstituentGroup.objects.visible_to(member), "name") == {"一中"}
    assert [a.membership.person.name for a in LiaisonAssignment.objects.visible_to(member)] == [
        "刘敬民"
    ]
    assert Studio.objects.visible_to(member).count() == 0
    assert ReceptionDay.objects.visible_to(member).count() == 0
    assert names(LiaisonPlan.objects.visible_to(member)) == {r["published"].pk}
    assert names(ConstituentContact.objects.visible_to(member)) == {r["liu_contact"].pk}


def test_a_convener_sees_their_sectors_records(world, records):
    r = records
    convener = world.users.convener  # 马继龙 convenes Xiangtan 经济界
    assert names(LiaisonActivity.objects.visible_to(convener)) == {r["wang_visit"].pk}
    assert names(ConstituentGroup.objects.visible_to(convener), "name") == {"商会"}
    assert LiaisonAssignment.objects.visible_to(convener).get().membership == r["wang"]
    assert names(Studio.objects.visible_to(convener)) == {r["studio"].pk}
    assert ConstituentContact.objects.visible_to(convener).count() == 0


def test_contacts_are_for_the_office_and_their_owners_only(world, records):
    """Not for the committee above, nor for auditors: a constituent's data stays close."""
    r = records
    assert ConstituentContact.objects.visible_to(world.users.xiangtan_office).count() == 2
    for user in (world.users.hunan_office, world.users.xiangtan_auditor, world.users.unit, None):
        assert ConstituentContact.objects.visible_to(user).count() == 0
    wang_user = world.users.member.__class__.objects.create(username="wang")
    world.xiangtan_only.user = wang_user
    world.xiangtan_only.save()
    assert names(ConstituentContact.objects.visible_to(wang_user)) == {r["studio_contact"].pk}


def test_units_and_anonymous_see_nothing(world, records):
    for user in (world.users.unit, None):
        for model in (
            LiaisonActivity,
            ConstituentGroup,
            LiaisonAssignment,
            Studio,
            ReceptionDay,
            LiaisonAttachment,
            LiaisonPlan,
            MemberCalendar,
        ):
            assert model.objects.visible_to(user).count() == 0, (user, model)


def test_a_calendar_feed_is_visible_to_its_member_only(world):
    calendar_for(person=world.both)
    assert MemberCalendar.objects.visible_to(world.users.member).count() == 1
    assert MemberCalendar.objects.visible_to(world.users.xiangtan_office).count() == 0
