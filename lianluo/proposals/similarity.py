"""Finding the same idea twice 相似件: character n-gram shingles, MinHash, LSH banding.

Pure Python and deterministic (no model, no service, no download):

* a text is normalised (CJK characters, Latin letters and digits; punctuation and spaces
  dropped) and cut into character 2-grams and 3-grams — Chinese needs no word segmentation
  for this, and n-grams survive the edits people make to a copied text;
* each shingle is a 64-bit integer built from its code points and mixed with splitmix64, so
  hashing needs no hashlib call per shingle and gives the same value in every process;
* the signature is a one-permutation MinHash (Li, Owen & Zhang 2012) with `SLOTS` bins,
  densified by rotation (Shrivastava & Li 2014): one pass over the shingles instead of one
  pass per permutation; two texts agree in a bin with probability ≈ their Jaccard similarity;
* LSH banding: `BANDS` bands of `ROWS` bins each are hashed to one 63-bit integer per band and
  stored in an indexed table (SimilarityBand), so a query is an indexed lookup of its band
  hashes; the candidates are ranked by the signature estimate, and the best are scored with
  the exact Jaccard similarity of their shingle sets.

With ROWS = 3 and BANDS = 42, a pair with Jaccard 0.3 becomes a candidate with probability
0.68, 0.4 → 0.94, 0.5 → 0.996; unrelated texts on the same subject (J ≈ 0.05–0.1) rarely do.
"""

from __future__ import annotations

import itertools
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SLOTS = 128
ROWS = 3
BANDS = 42
MASK64 = (1 << 64) - 1
_BIN_SHIFT = 64 - 7  # the top 7 bits choose one of the 128 bins
assert 1 << (64 - _BIN_SHIFT) == SLOTS
_VALUE_MASK = (1 << _BIN_SHIFT) - 1
_EMPTY = _VALUE_MASK + 1
_SIGNATURE = struct.Struct(f"<{SLOTS}Q")

# Kept characters: CJK ideographs (incl. extension A and compatibility), Latin letters, digits.
_DROP = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, keep only ideographs, letters and digits."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).lower())


def _mix(value: int) -> int:
    """splitmix64's finaliser: a fast, well-spread, deterministic 64-bit hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def shingle_keys(text: str) -> set[int]:
    """The character 2-grams and 3-grams of `text` (normalised), each packed into one integer:
    21 bits per code point, and a marker bit above them for a 3-gram, so no two collide. The
    exact Jaccard similarity is computed on these keys; the MinHash on their hashes. A text of
    one character gives that character."""
    chars = [ord(c) for c in normalize(text)]
    if len(chars) == 1:
        return {chars[0]}
    pairs = {(a << 21) | b for a, b in itertools.pairwise(chars)}
    triples = {
        (1 << 63) | (a << 42) | (b << 21) | c
        for a, b, c in zip(chars, chars[1:], chars[2:], strict=False)
    }
    return pairs | triples


def hashes_of(keys: Iterable[int]) -> set[int]:
    """The 64-bit hashes (splitmix64) of shingle keys: the same in every process."""
    return {_mix(key) for key in keys}


def shingle_hashes(text: str) -> set[int]:
    """The hashes of the shingles of `text` (see shingle_keys)."""
    return hashes_of(shingle_keys(text))


def signature(hashes: Iterable[int]) -> list[int]:
    """One-permutation MinHash: the least value per bin, empty bins filled by rotation."""
    bins = [_EMPTY] * SLOTS
    shift, mask = _BIN_SHIFT, _VALUE_MASK
    for h in hashes:
        slot = h >> shift
        value = h & mask
        if value < bins[slot]:
            bins[slot] = value
    if _EMPTY in bins:
        if all(v == _EMPTY for v in bins):
            return [0] * SLOTS
        # Densify: an empty bin takes the next filled bin to its right (circularly), mixed with
        # the distance so that two texts agree there only if they agree in the borrowed bin.
        filled = bins[:]
        for slot in range(SLOTS):
            if bins[slot] != _EMPTY:
                continue
            distance = 1
            while bins[(slot + distance) % SLOTS] == _EMPTY:
                distance += 1
            filled[slot] = _mix(bins[(slot + distance) % SLOTS] + distance) & mask
        bins = filled
    return bins


def band_hashes(sig: list[int]) -> list[int]:
    """One signed 63-bit integer per band (fits a BigIntegerField on every database)."""
    result = []
    for band in range(BANDS):
        start = band * ROWS
        h = band + 1
        for value in sig[start : start + ROWS]:
            h = _mix(h ^ value)
        result.append((h >> 1) - (1 << 62))
    return result


def pack(sig: list[int]) -> bytes:
    return _SIGNATURE.pack(*sig)


def unpack(data: bytes | memoryview) -> tuple[int, ...]:
    return _SIGNATURE.unpack(bytes(data))


def estimate(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """The signature estimate of the Jaccard similarity: the share of equal bins."""
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / SLOTS


def jaccard(a: set[int], b: set[int]) -> float:
    """The exact Jaccard similarity |a ∩ b| / |a ∪ b| of two shingle sets."""
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass(frozen=True)
class Fingerprint:
    """What the index keeps of one text: its signature and its band hashes."""

    signature: list[int]
    bands: list[int]

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        sig = signature(shingle_hashes(text))
        return cls(signature=sig, bands=band_hashes(sig))


def text_of(title: str, body: str) -> str:
    """The text that is compared: the title and the body."""
    return f"{title}\n{body}"


# --------------------------------------------------------------------------------------------
# The index (SimilarityDoc + SimilarityBand) and its queries. Imported lazily by the functions
# below so that the algorithm above stays importable without Django (benchmarks, tests).

CANDIDATES = 100  # candidates ranked by matching bands, then by the signature estimate
EXACT = 8  # the best candidates by estimate get the exact Jaccard similarity
MIN_SCORE = 0.08  # below this, two texts only share the usual words


@dataclass(frozen=True)
class Entry:
    """One text to index: what it is, where it belongs, its title and text."""

    kind: str
    object_id: int
    committee_id: int
    session_id: int | None
    year: int
    text: str


@dataclass(frozen=True)
class Match:
    """A similar item: kind and id, and the exact Jaccard similarity of the two texts."""

    kind: str
    object_id: int
    score: float


def index(entries: Iterable[Entry]) -> int:
    """Write (replace) the signatures and band hashes of `entries`; returns how many."""
    from django.db import transaction

    from lianluo.proposals.models import SimilarityBand, SimilarityDoc

    entries = list(entries)
    if not entries:
        return 0
    with transaction.atomic():
        for kind in {e.kind for e in entries}:
            ids = [e.object_id for e in entries if e.kind == kind]
            for start in range(0, len(ids), 500):
                SimilarityDoc.objects.filter(
                    kind=kind, object_id__in=ids[start : start + 500]
                ).delete()
        prints = [(e, Fingerprint.of(e.text)) for e in entries]
        prints = [(e, f) for e, f in prints if any(f.signature)]
        docs = SimilarityDoc.objects.bulk_create(
            [
                SimilarityDoc(
                    committee_id=e.committee_id,
                    kind=e.kind,
                    object_id=e.object_id,
                    session_id=e.session_id,
                    year=e.year,
                    signature=pack(f.signature),
                )
                for e, f in prints
            ],
            batch_size=500,
        )
        if docs and docs[0].pk is None:  # databases that do not return ids from bulk inserts
            found = dict(
                SimilarityDoc.objects.filter(
                    kind__in={e.kind for e in entries},
                    object_id__in=[e.object_id for e, _ in prints],
                ).values_list("object_id", "pk")
            )
            for doc in docs:
                doc.pk = found[doc.object_id]
        SimilarityBand.objects.bulk_create(
            [
                SimilarityBand(committee_id=e.committee_id, doc_id=doc.pk, band_hash=h, year=e.year)
                for (e, f), doc in zip(prints, docs, strict=True)
                for h in f.bands
            ],
            batch_size=2000,
        )
    return len(prints)


def unindex(*, kind: str, object_ids: Iterable[int]) -> None:
    from lianluo.proposals.models import SimilarityDoc

    SimilarityDoc.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def _candidates(
    *, committee_id: int, bands: list[int], since_year: int | None, kinds: Iterable[str]
) -> list[tuple[int, str, int, bytes]]:
    """(doc id, kind, object id, signature) of the docs sharing most bands: one query."""
    from django.db import connection

    kinds = list(kinds)
    marks = ", ".join(["%s"] * len(bands))
    kind_marks = ", ".join(["%s"] * len(kinds))
    year_sql = "AND year >= %s " if since_year else ""
    # The inner lookup reads only the index (committee, band_hash, year, doc).
    sql = (
        "SELECT d.id, d.kind, d.object_id, d.signature FROM proposals_similaritydoc d JOIN ("
        "SELECT doc_id, COUNT(*) AS shared FROM proposals_similarityband "
        f"WHERE committee_id = %s AND band_hash IN ({marks}) {year_sql}"
        "GROUP BY doc_id ORDER BY shared DESC LIMIT %s) c ON c.doc_id = d.id "
        f"WHERE d.kind IN ({kind_marks})"
    )
    params: list[Any] = [committee_id, *bands]
    if since_year:
        params.append(since_year)
    params += [CANDIDATES, *kinds]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1], int(row[2]), bytes(row[3])) for row in cursor.fetchall()]


def similar_to(
    text: str,
    *,
    committee_id: int,
    since_year: int | None = None,
    kinds: Iterable[str] = ("proposal", "report"),
    exclude: Iterable[tuple[str, int]] = (),
    limit: int = 5,
    texts_of: Any = None,
) -> list[Match]:
    """The items of a committee most similar to `text`, best first, with their exact score.

    `texts_of(pairs)` returns {(kind, id): text} for the candidates to score exactly (the
    default reads proposals and reports from the database).
    """
    keys = shingle_keys(text)
    if not keys:
        return []
    sig = signature(hashes_of(keys))
    excluded = set(exclude)
    found = [
        (kind, object_id, estimate(sig, unpack(data)))
        for _, kind, object_id, data in _candidates(
            committee_id=committee_id, bands=band_hashes(sig), since_year=since_year, kinds=kinds
        )
        if (kind, object_id) not in excluded
    ]
    found.sort(key=lambda item: -item[2])
    best = found[: max(EXACT, limit)]
    if not best:
        return []
    texts = (texts_of or load_texts)([(kind, object_id) for kind, object_id, _ in best])
    scored = [
        Match(kind, object_id, round(jaccard(keys, shingle_keys(texts[(kind, object_id)])), 3))
        for kind, object_id, _ in best
        if (kind, object_id) in texts
    ]
    scored.sort(key=lambda m: (-m.score, m.kind, -m.object_id))
    return [m for m in scored if m.score >= MIN_SCORE][:limit]


def load_texts(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The compared text (title and body) of some proposals and reports: one query per kind."""
    from lianluo.proposals.models import OpinionReport, Proposal

    result: dict[tuple[str, int], str] = {}
    proposal_ids = [i for k, i in pairs if k == "proposal"]
    report_ids = [i for k, i in pairs if k == "report"]
    if proposal_ids:
        for pk, title, body in Proposal.objects.filter(pk__in=proposal_ids).values_list(
            "pk", "title", "body"
        ):
            result[("proposal", pk)] = text_of(title, body)
    if report_ids:
        for pk, title, body in OpinionReport.objects.filter(pk__in=report_ids).values_list(
            "pk", "title", "body"
        ):
            result[("report", pk)] = text_of(title, body)
    return result


def similar_many(
    items: list[tuple[str, int, str]],
    *,
    committee_id: int,
    since_year: int | None = None,
    kinds: Iterable[str] = ("proposal", "report"),
    limit: int = 3,
) -> dict[tuple[str, int], list[Match]]:
    """`similar_to` for a page of items at once ((kind, id, text) each), in a constant number
    of queries: one for the shared bands, one for the candidates' signatures, one per kind for
    the texts scored exactly."""
    from collections import Counter

    from django.db import connection

    kinds = list(kinds)
    prepared = []
    for kind, object_id, text in items:
        keys = shingle_keys(text)
        if keys:
            sig = signature(hashes_of(keys))
            prepared.append(((kind, object_id), keys, sig, band_hashes(sig)))
    if not prepared:
        return {}
    wanted = sorted({h for *_, bands in prepared for h in bands})
    by_band: dict[int, list[int]] = {}
    docs: dict[int, tuple[str, int]] = {}
    kind_marks = ", ".join(["%s"] * len(kinds))
    year_sql = "AND b.year >= %s" if since_year else ""
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            params: list[Any] = [committee_id, *chunk, *kinds]
            if since_year:
                params.append(since_year)
            cursor.execute(
                "SELECT b.band_hash, d.id, d.kind, d.object_id FROM proposals_similarityband b "
                "JOIN proposals_similaritydoc d ON d.id = b.doc_id "
                f"WHERE b.committee_id = %s AND b.band_hash IN ({marks}) "
                f"AND d.kind IN ({kind_marks}) {year_sql}",
                params,
            )
            for band, doc_id, kind, object_id in cursor.fetchall():
                by_band.setdefault(band, []).append(doc_id)
                docs[doc_id] = (kind, int(object_id))
    shortlist: dict[tuple[str, int], list[int]] = {}
    for key, _, _, bands in prepared:
        counts = Counter(doc for h in bands for doc in by_band.get(h, ()) if docs[doc] != key)
        shortlist[key] = [doc for doc, _ in counts.most_common(CANDIDATES)]
    needed = sorted({doc for ids in shortlist.values() for doc in ids})
    signatures: dict[int, tuple[int, ...]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(needed), 500):
            chunk = needed[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT id, signature FROM proposals_similaritydoc WHERE id IN ({marks})", chunk
            )
            for doc_id, data in cursor.fetchall():
                signatures[doc_id] = unpack(bytes(data))
    best: dict[tuple[str, int], list[int]] = {}
    for key, _, sig, _ in prepared:
        ranked = sorted(shortlist[key], key=lambda doc: -estimate(sig, signatures[doc]))
        best[key] = ranked[: max(EXACT, limit)]
    texts = load_texts(sorted({docs[doc] for ids in best.values() for doc in ids}))
    shingles = {pair: shingle_keys(text) for pair, text in texts.items()}
    result: dict[tuple[str, int], list[Match]] = {}
    for key, keys, _, _ in prepared:
        scored = [
            Match(docs[doc][0], docs[doc][1], round(jaccard(keys, shingles[docs[doc]]), 3))
            for doc in best[key]
            if docs[doc] in shingles
        ]
        scored.sort(key=lambda m: (-m.score, m.kind, -m.object_id))
        result[key] = [m for m in scored if m.score >= MIN_SCORE][:limit]
    return result
