"""`seed` makes realistic, deterministic proposal work: every state, near-duplicates, chains."""

import random

import pytest
from django.db import transaction

from lianluo.core import audit
from lianluo.proposals import seeding, selectors, similarity
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    BulletinIssue,
    Evaluation,
    OpinionReport,
    Proposal,
    SearchEntry,
    SimilarityDoc,
)
from lianluo.proposals.search import search
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(world):
    sector = world.sector[("430300", "经济界")]
    for _ in range(120):
        MembershipFactory(
            person=PersonFactory(),
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=sector,
        )
    return world


def test_seed_makes_every_state_with_replies_evaluations_and_chains(members):
    """Seed makes every state with replies evaluations and chains."""
    counts = seeding.seed(
        committees=[members.xiangtan], rng=random.Random(7), year=2026, progress=False
    )
    assert counts["proposals"] == Proposal.objects.count() > 100
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert set(OpinionReport.objects.values_list("status", flat=True)) == set(
        OpinionReport.Status.values
    )
    assert Assignment.objects.filter(role="cohandling", status="opinion_sent").exists()
    assert Evaluation.objects.filter(rehandle_requested=True).exists()
    assert AdoptionEvent.objects.filter(kind="instruction").exclude(by_whom="").exists()
    assert AdoptionEvent.objects.filter(level="provincial").exists()
    assert BulletinIssue.objects.filter(entries__isnull=False).exists()
    # Accepted proposals are numbered per session without gaps; references are unique.
    for session_id in Proposal.objects.values_list("session_id", flat=True).distinct():
        numbers = sorted(
            n
            for n in Proposal.objects.filter(session_id=session_id).values_list("number", flat=True)
            if n is not None
        )
        assert numbers == list(range(1, len(numbers) + 1))
    # Indexed and on a timeline.
    assert SimilarityDoc.objects.count() == Proposal.objects.count() + OpinionReport.objects.count()
    assert SearchEntry.objects.exists()
    closed = Proposal.objects.filter(status="closed")[0]
    assert [e.verb for e in audit.timeline(closed)][-1] == "close"
    assert search(members.xiangtan, "建议")


def test_seed_plants_near_duplicates_found_by_the_similar_items(members):
    """Seed plants near duplicates found by the similar items."""
    seeding.seed(committees=[members.xiangtan], rng=random.Random(3), year=2026, progress=False)
    found = 0
    for proposal in Proposal.objects.order_by("pk")[:200]:
        matches = similarity.similar_to(
            similarity.text_of(proposal.title, proposal.body),
            committee_id=members.xiangtan.pk,
            exclude=[("proposal", proposal.pk)],
        )
        if matches and matches[0].score >= 0.4:
            found += 1
    assert found >= 4


def test_seed_is_deterministic(members):
    """The same seed on the same registry makes the same proposals and reports."""

    def snapshot():
        return (
            list(
                Proposal.objects.order_by("pk").values_list(
                    "title", "status", "reference", "number"
                )
            ),
            list(OpinionReport.objects.order_by("pk").values_list("title", "status", "reference")),
        )

    with transaction.atomic():
        seeding.seed(
            committees=[members.xiangtan], rng=random.Random(11), year=2026, progress=False
        )
        first = snapshot()
        transaction.set_rollback(True)
    assert not Proposal.objects.exists()
    seeding.seed(committees=[members.xiangtan], rng=random.Random(11), year=2026, progress=False)
    assert snapshot() == first
    stats = selectors.session_statistics(members.xiangtan, None)
    assert stats.submitted > 0 and stats.units


def test_seed_dates_nothing_after_as_of_and_delete_removes_everything(members):
    """Seed dates nothing after as of and delete removes everything."""
    import datetime

    from django.db.models import Max

    as_of = datetime.date(2026, 6, 30)
    seeding.seed(
        committees=[members.xiangtan], rng=random.Random(5), year=2026, progress=False, as_of=as_of
    )
    latest = [
        Proposal.objects.aggregate(m=Max("submitted_at"))["m"],
        Proposal.objects.aggregate(m=Max("closed_at"))["m"],
        OpinionReport.objects.aggregate(m=Max("decided_at"))["m"],
    ]
    assert all(moment.date() <= as_of for moment in latest)
    assert AdoptionEvent.objects.aggregate(m=Max("occurred_on"))["m"] <= as_of
    counts = seeding.delete(committee_ids=[members.xiangtan.pk])
    assert counts["proposals.Proposal"] > 100
    assert not Proposal.objects.exists() and not SimilarityDoc.objects.exists()
