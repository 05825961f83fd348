"""The spam screen: what it catches, what it lets through, how fast, and how it follows edits."""

import statistics
import time

import pytest

from lianluo.casework import screen, services
from lianluo.casework.models import ScreenTerm
from tests.casework.factories import source_article


def article() -> str:
    return source_article()


def clean_article() -> str:
    return article().replace("澳门赌场", "").replace("bet356手机版", "")


def builtin() -> screen.Screen:
    return screen.Screen([(term, str(reason)) for term, _kind, reason in screen.BUILTIN_TERMS])


@pytest.mark.parametrize(
    "text",
    [
        "澳门赌场",
        "bet356",
        "BET356",
        "ｂｅｔ３５６",  # full-width
        "澳 门 赌 场",  # spaced out
        "澳-门.赌_场",
        "推荐 bet 356 手 机 版",
        "加我 t.me/abc",
    ],
)
def test_the_builtin_lexicon_catches_the_defacement_and_its_disguises(text):
    assert builtin().check(text) is not None


def test_the_defaced_source_article_is_caught_and_the_clean_one_passes():
    assert builtin().check(article()) is not None
    assert builtin().check(clean_article()) is None


@pytest.mark.parametrize(
    "text",
    [
        "小区门口的路灯坏了一个月，晚上出行很不方便。",
        "希望增加公交线路，方便老人去医院。",
        "Please fix the street lights on Jianshe Road.",
        "我家住在澳门路，门口的赌气吵架声很大",  # near misses
    ],
)
def test_ordinary_text_passes(text):
    assert builtin().check(text) is None


def test_the_hit_names_the_most_specific_term_and_its_reason():
    hit = builtin().check("下载bet356手机版")
    assert hit is not None and hit.term == "bet356手机版"
    assert hit.reason


def test_a_20000_character_text_is_screened_in_under_5_ms():
    """The acceptance figure (bench/bench_spam.py measures it at length)."""
    text = (clean_article() * 20)[:20000]
    engine = builtin()
    engine.check(text)
    times = []
    for _ in range(50):
        start = time.perf_counter()
        engine.check(text)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.005


@pytest.mark.django_db
def test_the_cached_screen_follows_changes_to_the_lexicon(world):
    assert screen.check("专业代办证件", committee_id=world.xiangtan.pk) is None
    term = services.screen_term_save(
        by=world.users.xiangtan_office,
        committee=world.xiangtan,
        term="代办证件",
        kind="keyword",
        reason="证件诈骗",
    )
    hit = screen.check("专业代办证件", committee_id=world.xiangtan.pk)
    assert hit is not None and "证件诈骗" in str(hit)
    services.screen_term_save(
        by=world.users.xiangtan_office,
        committee=world.xiangtan,
        term=term.term,
        kind=term.kind,
        reason=term.reason,
        instance=term,
        is_active=False,
    )
    assert screen.check("专业代办证件", committee_id=world.xiangtan.pk) is None
    ScreenTerm.objects.all().delete()
    assert screen.check("专业代办证件", committee_id=world.xiangtan.pk) is None


@pytest.mark.django_db
def test_only_the_office_edits_its_lexicon_and_only_superusers_the_global_one(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.screen_term_save(
            by=world.users.xiangtan_auditor,
            committee=world.xiangtan,
            term="x1",
            kind="keyword",
            reason="",
        )
    with pytest.raises(PermissionDenied):
        services.screen_term_save(
            by=world.users.xiangtan_office, committee=None, term="x2", kind="keyword", reason=""
        )
    with pytest.raises(ValidationError):
        services.screen_term_save(
            by=world.users.xiangtan_office,
            committee=world.xiangtan,
            term="-- --",
            kind="keyword",
            reason="",
        )
