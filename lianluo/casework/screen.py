"""The spam and abuse screen 内容筛查: a lexicon of literal terms, matched fast on long texts.

The lexicon is the built-in terms below (the gambling and SEO-spam tokens that defaced the source
article, and their usual company) plus the office-editable ScreenTerm rows, global or of one
committee. Text and terms are folded the same way before matching — NFKC (full-width letters
become ASCII), case-folded, and every character that is not a letter or digit removed — so that
"澳 门-赌 场" and "ＢＥＴ３５６" are caught. All terms of a committee are compiled into one regular
expression built as a trie (a prefix tree), so a 20,000-character text is scanned once, in C.
The compiled screen is cached per committee and rebuilt when the lexicon changes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianluo.casework.models import ScreenTerm

# (term, kind, reason): always active, for every committee.
BUILTIN_TERMS: tuple[tuple[str, str, Any], ...] = (
    # Found injected into the source article (domain/source-article.md).
    ("澳门赌场", "keyword", gettext_lazy("gambling advertisement")),
    ("bet356", "keyword", gettext_lazy("gambling advertisement")),
    ("bet356手机版", "keyword", gettext_lazy("gambling advertisement")),
    # Their usual company in SEO-spam injections.
    ("bet365", "keyword", gettext_lazy("gambling advertisement")),
    ("赌场", "keyword", gettext_lazy("gambling advertisement")),
    ("博彩", "keyword", gettext_lazy("gambling advertisement")),
    ("网赌", "keyword", gettext_lazy("gambling advertisement")),
    ("赌博网站", "keyword", gettext_lazy("gambling advertisement")),
    ("百家乐", "keyword", gettext_lazy("gambling advertisement")),
    ("六合彩", "keyword", gettext_lazy("gambling advertisement")),
    ("时时彩", "keyword", gettext_lazy("gambling advertisement")),
    ("真人荷官", "keyword", gettext_lazy("gambling advertisement")),
    ("葡京", "keyword", gettext_lazy("gambling advertisement")),
    ("威尼斯人娱乐", "keyword", gettext_lazy("gambling advertisement")),
    ("太阳城娱乐", "keyword", gettext_lazy("gambling advertisement")),
    ("体育投注", "keyword", gettext_lazy("gambling advertisement")),
    ("彩票平台", "keyword", gettext_lazy("gambling advertisement")),
    ("开户送彩金", "keyword", gettext_lazy("gambling advertisement")),
    ("代开发票", "keyword", gettext_lazy("fraud advertisement")),
    ("刷单返利", "keyword", gettext_lazy("fraud advertisement")),
    ("网站优化排名", "keyword", gettext_lazy("SEO spam")),
    ("seo优化", "keyword", gettext_lazy("SEO spam")),
    ("快速排名", "keyword", gettext_lazy("SEO spam")),
    ("蜘蛛池", "keyword", gettext_lazy("SEO spam")),
    ("黑帽seo", "keyword", gettext_lazy("SEO spam")),
    ("外链代发", "keyword", gettext_lazy("SEO spam")),
    ("手机版下载", "keyword", gettext_lazy("SEO spam")),
    ("t.me/", "link", gettext_lazy("link to a messaging channel")),
    ("bit.ly/", "link", gettext_lazy("shortened link")),
)

# More links than this in one submission is what SEO spam looks like.
MAX_LINKS = 3
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The form in which text and terms are compared: NFKC, case-folded, only letters and digits."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of `words`, shaped as a prefix tree."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(char) + render(child) for char, child in node.items() if char]
        if not branches:
            return ""
        if len(branches) == 1 and not ends:
            return branches[0]
        body = "|".join(sorted(branches))
        return f"(?:{body})" + ("?" if ends else "")

    return render(trie)


@dataclass(frozen=True)
class Hit:
    """Why a text was screened: the term as written in the lexicon, and its reason."""

    term: str
    reason: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.term}"


class Screen:
    """A compiled lexicon. `check(text)` returns the first hit, or None."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.reasons: dict[str, tuple[str, str]] = {}
        for term, reason in terms:
            folded = fold(term)
            if folded and folded not in self.reasons:
                self.reasons[folded] = (term, reason)
        # Longest first within the trie's alternatives: the most specific term is reported.
        pattern = _trie_pattern(self.reasons)
        self.regex = re.compile(pattern) if pattern else None

    def check(self, text: str) -> Hit | None:
        links = len(_LINK.findall(text))
        if links > MAX_LINKS:
            return Hit(term=str(links), reason=_("too many links (%(count)d)") % {"count": links})
        if self.regex is None:
            return None
        match = self.regex.search(fold(text))
        if match is None:
            return None
        term, reason = self.reasons[match.group(0)]
        return Hit(term=term, reason=str(reason))


_cache: dict[int | None, tuple[tuple[object, ...], Screen]] = {}
_lock = threading.Lock()


def _version(committee_id: int | None) -> tuple[object, ...]:
    """Changes whenever a term of this committee's lexicon is added, changed or removed."""
    found = ScreenTerm.objects.filter(
        Q(committee__isnull=True) | Q(committee_id=committee_id)
    ).aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return (found["n"], found["last"], found["top"])


def build(committee_id: int | None) -> Screen:
    """The screen of one committee: built-in terms, global terms and its own."""
    rows = ScreenTerm.objects.filter(
        Q(committee__isnull=True) | Q(committee_id=committee_id), is_active=True
    ).values_list("term", "reason")
    return Screen([(term, str(reason)) for term, _kind, reason in BUILTIN_TERMS] + list(rows))


def screen_for(committee_id: int | None) -> Screen:
    """The cached screen of a committee (one small query to see whether it is still current)."""
    version = _version(committee_id)
    cached = _cache.get(committee_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    built = build(committee_id)
    with _lock:
        _cache[committee_id] = (version, built)
    return built


def check(text: str, *, committee_id: int | None) -> Hit | None:
    """Screen `text` against the lexicon of `committee_id`: the first hit, or None."""
    return screen_for(committee_id).check(text)
