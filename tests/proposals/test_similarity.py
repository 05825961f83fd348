"""Near-duplicates: shingles, MinHash, the LSH band index kept on save, and its queries."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from lianluo.proposals import similarity, textgen
from lianluo.proposals.models import SimilarityBand, SimilarityDoc


def test_normalising_drops_punctuation_and_folds_width_and_case():
    """Normalising drops punctuation and folds width and case."""
    assert similarity.normalize("ＡＢＣ，建议！ 2026年") == "abc建议2026年"


def test_shingles_are_deterministic_and_cover_two_and_three_grams():
    """The hash of a shingle is the same in every process (no Python hash randomisation)."""
    hashes = similarity.shingle_hashes("加装电梯")
    assert len(hashes) == 3 + 2  # 加装 装电 电梯 + 加装电 装电梯
    assert hashes == similarity.shingle_hashes("加装，电梯。")
    assert similarity._mix(1) == 0x910A2DEC89025CC1  # splitmix64 of 1: fixed forever


def test_the_signature_estimates_the_jaccard_similarity():
    """The signature estimates the Jaccard similarity."""
    rng = random.Random(5)
    for _ in range(20):
        a = textgen.proposal_text(rng)
        b = textgen.edited_copy(rng, a)
        ha = similarity.shingle_hashes(similarity.text_of(a.title, a.body))
        hb = similarity.shingle_hashes(similarity.text_of(b.title, b.body))
        exact = similarity.jaccard(ha, hb)
        estimated = similarity.estimate(similarity.signature(ha), similarity.signature(hb))
        assert abs(exact - estimated) < 0.15


def test_short_and_empty_texts_get_dense_signatures():
    """Short and empty texts get dense signatures."""
    sig = similarity.signature(similarity.shingle_hashes("停车"))
    assert len(sig) == similarity.SLOTS and len(set(sig)) > 1
    assert similarity.signature(set()) == [0] * similarity.SLOTS
    assert similarity.unpack(similarity.pack(sig)) == tuple(sig)


def test_bands_of_identical_texts_agree_and_fit_a_bigint():
    """Bands of identical texts agree and fit a BIGINT."""
    fp = similarity.Fingerprint.of("关于加快老旧小区加装电梯的建议")
    assert fp.bands == similarity.Fingerprint.of("关于加快老旧小区加装电梯的建议").bands
    assert len(fp.bands) == similarity.BANDS
    assert all(-(2**63) <= h < 2**63 for h in fp.bands)


@pytest.mark.django_db
def test_the_index_is_kept_on_save_and_finds_an_edited_copy(pw):
    """The index is kept on save and finds an edited copy."""
    rng = random.Random(9)
    base = textgen.proposal_text(rng, target_chars=900)
    copy = textgen.edited_copy(rng, base, strength=0.3)
    original = pw.build.submitted(title=base.title, body=base.body)
    for _ in range(5):
        other = textgen.proposal_text(rng)
        pw.build.submitted(title=other.title, body=other.body)
    assert SimilarityDoc.objects.count() == 6
    assert SimilarityBand.objects.count() == 6 * similarity.BANDS
    found = similarity.similar_to(
        similarity.text_of(copy.title, copy.body), committee_id=pw.committee.pk
    )
    assert found[0].object_id == original.pk and found[0].score > 0.4
    # Another committee's index is not searched.
    assert not similarity.similar_to(
        similarity.text_of(copy.title, copy.body), committee_id=pw.world.shenzhen.pk
    )


@pytest.mark.django_db
def test_changing_a_draft_updates_its_index_entry(pw):
    """Changing a draft updates its index entry."""
    proposal = pw.build.draft()
    before = SimilarityDoc.objects.get(object_id=proposal.pk).signature
    from lianluo.proposals import services
    from tests.proposals.factories import proposal_data

    services.proposal_update(
        proposal=proposal,
        by=pw.author_user,
        data=proposal_data(
            pw.committee, title="关于农村饮水安全的建议", body="农村集中供水覆盖不足。"
        ),
    )
    assert SimilarityDoc.objects.get(object_id=proposal.pk).signature != before
    assert SimilarityDoc.objects.count() == 1


@pytest.mark.django_db
def test_many_at_once_gives_the_same_answers_as_one_by_one(pw):
    """Many at once gives the same answers as one by one."""
    rng = random.Random(2)
    texts = [textgen.proposal_text(rng) for _ in range(4)]
    made = [pw.build.submitted(title=t.title, body=t.body) for t in texts]
    copies = [pw.build.submitted(**_copy(rng, t)) for t in texts]
    items = [("proposal", p.pk, similarity.text_of(p.title, p.body)) for p in copies]
    many = similarity.similar_many(items, committee_id=pw.committee.pk, limit=3)
    for p, original in zip(copies, made, strict=True):
        one = similarity.similar_to(
            similarity.text_of(p.title, p.body),
            committee_id=pw.committee.pk,
            exclude=[("proposal", p.pk)],
            limit=3,
        )
        assert many[("proposal", p.pk)] == one
        assert one[0].object_id == original.pk


def _copy(rng, text):
    copy = textgen.edited_copy(rng, text, strength=0.2)
    return {"title": copy.title, "body": copy.body}


@pytest.mark.django_db
def test_the_rebuild_command_restores_the_indexes(pw):
    """The rebuild command restores the indexes."""
    pw.build.answered()
    pw.build.report_in("submitted")
    SimilarityDoc.objects.all().delete()
    from lianluo.proposals.models import SearchEntry

    SearchEntry.objects.all().delete()
    call_command("rebuild_proposal_index", "--no-progress")
    assert SimilarityDoc.objects.count() == 2
    assert set(SearchEntry.objects.values_list("kind", flat=True)) == {
        "proposal",
        "reply",
        "report",
    }
    from lianluo.proposals.search import search

    assert search(pw.committee, "加装电梯")
