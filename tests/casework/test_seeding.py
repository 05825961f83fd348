"""The seed hook: a realistic year of concerns in every state, deterministic."""

import random

import pytest
from django.db.models import Count

from lianluo.casework import seeding, selectors
from lianluo.casework.models import Concern
from lianluo.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_seeded_year_has_concerns_in_every_state_with_their_timelines(world):
    totals = seeding.seed(
        committees=[world.xiangtan, world.shenzhen], rng=random.Random(7), year=2025, progress=False
    )
    assert totals["concerns"] == Concern.objects.count() > 600
    states = set(Concern.objects.values_list("status", flat=True))
    assert states == set(Concern.Status.values)
    assert totals["events"] == AuditEvent.objects.filter(content_type__model="concern").count()
    per_concern = (
        AuditEvent.objects.filter(content_type__model="concern")
        .values("object_id")
        .annotate(n=Count("id"))
    )
    assert per_concern.count() == totals["concerns"]
    merged = Concern.objects.filter(status="merged").select_related("merged_into")
    assert all(m.merged_into.received_at <= m.received_at for m in merged)
    figures = selectors.dashboard(world.xiangtan, year=2025)
    assert sum(figures["received"]) > 300 and figures["medians"]


def test_the_same_seed_gives_the_same_year(world):
    seeding.seed(committees=[world.xiangtan], rng=random.Random(3), year=2025, progress=False)
    first = list(Concern.objects.order_by("received_at").values_list("code", "status"))
    Concern.objects.filter(status="merged").update(merged_into=None, status="received")
    AuditEvent.objects.all().delete()
    from lianluo.casework.models import ConcernReply

    ConcernReply.objects.all().delete()
    Concern.objects.all().delete()
    seeding.seed(committees=[world.xiangtan], rng=random.Random(3), year=2025, progress=False)
    again = list(Concern.objects.order_by("received_at").values_list("code", "status"))
    assert first == again
