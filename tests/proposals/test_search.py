"""Chinese full-text search: bigram tokens, exact phrases, on whichever database runs the suite
(FTS5 on SQLite, the GIN index on PostgreSQL — the suite runs on both)."""

from __future__ import annotations

import pytest
from django.db import connection

from lianluo.proposals import search
from lianluo.proposals.models import SearchEntry


def test_tokens_are_bigrams_of_chinese_and_words_of_latin_text():
    """Tokens are bigrams of chinese and words of latin text."""
    assert search.tokens("湘潭市 5G网络") == "湘潭 潭市 5g 网络"
    assert search.tokens("停") == "停"


def test_a_query_is_a_phrase_per_run():
    """A query is a phrase per run."""
    query = search.Query.parse("停车难 A区")
    assert query.fts5() == '"停车 车难" AND "a"* AND "区"*'
    assert query.tsquery() == "'停车' & '车难' & 'a':* & '区':*"
    assert query.like_patterns() == ["%停车 车难%", "%a%", "%区%"]
    assert not search.Query.parse("，。！")


def test_quotes_and_operators_in_a_query_are_only_text():
    """Quotes and operators in a query are only text."""
    assert search.Query.parse('" OR * -停车').fts5() == '"or"* AND "停车"'


@pytest.fixture
def entries(world):
    rows = [
        ("proposal", 1, "关于解决老城区停车难问题的建议", "停车泊位不足，建议建设智慧停车平台。"),
        ("proposal", 2, "关于加强养老服务的建议", "社区养老服务设施不足。"),
        ("reply", 3, "关于解决老城区停车难问题的建议", "我局将新增停车泊位2000个。"),
        ("report", 4, "关于电动车充电难的反映", "小区充电桩不足，车主停车后难以充电。"),
    ]
    search.index(
        search.entry_for(
            committee_id=world.xiangtan.pk,
            kind=kind,
            object_id=pk,
            year=2026,
            title=title,
            texts=[body],
        )
        for kind, pk, title, body in rows
    )
    search.index(
        [
            search.entry_for(
                committee_id=world.shenzhen.pk,
                kind="proposal",
                object_id=9,
                year=2026,
                title="关于深圳停车难的建议",
                texts=["停车难。"],
            )
        ]
    )
    return world


@pytest.mark.django_db
def test_search_finds_exact_phrases_newest_first(entries):
    """Search finds exact phrases newest first."""
    hits = search.search(entries.xiangtan, "停车难")
    assert [(h.kind, h.object_id) for h in hits] == [("reply", 3), ("proposal", 1)]
    assert [h.object_id for h in search.search(entries.xiangtan, "停车")] == [4, 3, 1]
    # 车难 occurs in the report only across words (停车后难以): a phrase, not loose bigrams.
    assert [h.object_id for h in search.search(entries.xiangtan, "充电难")] == [4]
    assert search.search(entries.xiangtan, "难停车") == []


@pytest.mark.django_db
def test_search_by_kind_single_characters_and_numbers(entries):
    """Search by kind single characters and numbers."""
    assert [h.object_id for h in search.search(entries.xiangtan, "停车", kinds=["proposal"])] == [1]
    assert [h.object_id for h in search.search(entries.xiangtan, "养")] == [2]
    assert [h.object_id for h in search.search(entries.xiangtan, "2000")] == [3]
    assert [h.object_id for h in search.search(entries.xiangtan, "养老 社区")] == [2]


@pytest.mark.django_db
def test_search_stays_in_its_committee(entries):
    """Search stays in its committee."""
    assert [h.object_id for h in search.search(entries.shenzhen, "停车难")] == [9]


@pytest.mark.django_db
def test_replacing_an_entry_updates_the_full_text_index(entries):
    """Replacing an entry updates the full text index."""
    search.index(
        [
            search.entry_for(
                committee_id=entries.xiangtan.pk,
                kind="proposal",
                object_id=2,
                year=2026,
                title="关于湘江治理的建议",
                texts=["排污口整治。"],
            )
        ]
    )
    assert search.search(entries.xiangtan, "养老") == []
    assert [h.object_id for h in search.search(entries.xiangtan, "排污口")] == [2]
    search.unindex(kind="proposal", object_ids=[2])
    assert search.search(entries.xiangtan, "排污口") == []
    assert SearchEntry.objects.filter(committee=entries.xiangtan).count() == 3


@pytest.mark.django_db
def test_the_database_specific_index_exists():
    """The database specific index exists."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'proposals_search_tsv_idx'"
            )
        assert cursor.fetchone()
