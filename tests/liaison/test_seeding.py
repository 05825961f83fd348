"""The seed generator: a realistic year of liaison records, deterministic, valid for the pages."""

import datetime
import random

import pytest
from django.urls import reverse

from lianluo.liaison import selectors
from lianluo.liaison.models import (
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonPlan,
    ReceptionDay,
    Studio,
)
from lianluo.liaison.seeding import seed
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def committee(world):
    for _ in range(30):
        MembershipFactory(
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=world.sector[("430300", "经济界")],
        )
    return world.xiangtan


def fingerprint():
    return (
        sorted(ConstituentGroup.objects.values_list("name", "area_code")),
        sorted(Studio.objects.values_list("name", "address", "status")),
        sorted(LiaisonActivity.objects.values_list("date", "kind", "summary")),
        sorted(ReceptionDay.objects.values_list("date", "start_time", "status")),
    )


def wipe():
    for model in (ConstituentContact, LiaisonActivity, ReceptionDay, LiaisonAssignment):
        model.objects.all().delete()
    for studio in Studio.objects.all():
        studio.studio_members.all().delete()
    Studio.objects.all().delete()
    ConstituentGroup.objects.all().delete()
    LiaisonPlan.objects.all().delete()


def test_a_seeded_year_is_realistic_and_repeatable(committee):
    counts = seed(
        committees=[committee], rng=random.Random(7), year=2026, progress=False, as_of=AS_OF
    )
    assert counts["activities"] > 60 and counts["studios"] >= 2 and counts["plans"] == 1
    assert not LiaisonActivity.objects.filter(date__gt=AS_OF).exists()
    assert LiaisonActivity.objects.filter(date__year=2026).count() == counts["activities"]
    assert ReceptionDay.objects.filter(date__gt=AS_OF).exists()  # planned ahead
    assert (
        ConstituentContact.objects.filter(consent_given=True).count()
        == counts["constituent contacts"]
    )
    # Xiangtan's real districts.
    assert set(ConstituentGroup.objects.values_list("area_code", flat=True)) <= {
        "430302",
        "430304",
        "430321",
        "430381",
        "430382",
    }
    # Some members log nothing: coverage has something to show.
    result = selectors.coverage(committee, days=365, today=AS_OF)
    assert result.members_total == 33
    first = fingerprint()
    wipe()
    seed(committees=[committee], rng=random.Random(7), year=2026, progress=False, as_of=AS_OF)
    assert fingerprint() == first


def test_the_pages_work_on_seeded_data(committee, world, client):
    seed(committees=[committee], rng=random.Random(1), year=2026, progress=False, as_of=AS_OF)
    client.force_login(world.users.xiangtan_office)
    for name in ("coverage", "dashboard", "activities", "assignments", "groups", "studios"):
        assert client.get(reverse(f"liaison:{name}", args=["430300"])).status_code == 200, name
    assert client.get(reverse("liaison:public_studios")).status_code == 200


def test_seeded_records_are_deleted_for_a_new_seed(committee, world):
    """`seed --force` deletes an app's rows of the committees before the committees."""
    from lianluo.liaison.seeding import delete

    seed(committees=[committee], rng=random.Random(2), year=2026, progress=False, as_of=AS_OF)
    counts = delete(committee_ids=[committee.pk])
    assert counts["liaison.LiaisonActivity"] > 0
    for model in (LiaisonActivity, Studio, ConstituentGroup, LiaisonPlan, ReceptionDay):
        assert not model.objects.filter(committee=committee).exists()
