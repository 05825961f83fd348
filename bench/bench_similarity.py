"""Near-duplicate detection on 10,000 proposals with planted near-duplicate pairs.

    .venv/bin/python bench/bench_similarity.py [--docs 10000] [--pairs 500] [--seed 1]

Generates `--docs` synthetic proposals (lianluo.proposals.textgen) of which `--pairs` are
edited copies of another one (sentences inserted, deleted and reordered, words replaced by
synonyms, characters substituted: lianluo.proposals.textgen.edited_copy, strength 0.1–0.5),
loads them into a fresh SQLite database, and in the same run measures:

* the time to build the index (signatures and LSH bands of every proposal, bulk-inserted);
* recall: for each planted copy, is its original among the top 5 similar items returned by
  the indexed query (lianluo.proposals.similarity.similar_to, database included)?
* one query's time (median and 95th percentile over the planted copies), against
* a brute-force query: the exact Jaccard similarity of the query with every proposal, with
  all shingle sets already in memory (the best case for brute force).

Writes bench/results/similarity.json. Goals: recall ≥ 0.95, query < 20 ms.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def setup_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--brute-queries", type=int, default=100)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-similarity-")
    setup_django(f"sqlite:///{workdir}/bench.sqlite3")

    from lianluo.directory.models import Committee, Person, Session, Term
    from lianluo.proposals import similarity, textgen
    from lianluo.proposals.models import Proposal, ProposalCategory

    rng = random.Random(args.seed)
    committee = Committee.objects.create(
        code="430300", name="政协湘潭市委员会", short_name="湘潭市政协", level="municipal"
    )
    term = Term.objects.create(committee=committee, number=13, start_date=datetime.date(2022, 1, 1))
    session = Session.objects.create(
        term=term,
        number=5,
        opens_on=datetime.date(2026, 1, 8),
        closes_on=datetime.date(2026, 1, 12),
    )
    author = Person.objects.create(family_name="刘", given_name="敬民")
    category = ProposalCategory.objects.create(committee=committee, slug="society", name="社会建设")

    # The corpus: originals, their planted edited copies, and everything else.
    texts: list[textgen.Text] = [textgen.proposal_text(rng) for _ in range(args.docs - args.pairs)]
    originals = rng.sample(range(len(texts)), args.pairs)
    pairs: list[tuple[int, int]] = []
    for index in originals:
        texts.append(textgen.edited_copy(rng, texts[index]))
        pairs.append((index, len(texts) - 1))
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                committee=committee,
                session=session,
                timing="plenary",
                kind="individual",
                author=author,
                title=t.title,
                body=t.body,
                category=category,
                no_secret_declared=True,
                status="submitted",
                year=2026,
            )
            for t in texts
        ],
        batch_size=1000,
    )
    ids = [p.pk for p in proposals]
    entries = [
        similarity.Entry(
            kind="proposal",
            object_id=p.pk,
            committee_id=committee.pk,
            session_id=session.pk,
            year=2026,
            text=similarity.text_of(p.title, p.body),
        )
        for p in proposals
    ]

    started = time.perf_counter()
    similarity.index(entries)
    build_seconds = time.perf_counter() - started

    texts_by_id = {p.pk: similarity.text_of(p.title, p.body) for p in proposals}

    # Indexed queries, one per planted copy: band lookup, candidates' signatures and the texts
    # of the best candidates all read from the database, as the pages do.
    found = 0
    query_times: list[float] = []
    for original, copy in pairs:
        text = texts_by_id[ids[copy]]
        started = time.perf_counter()
        matches = similarity.similar_to(
            text,
            committee_id=committee.pk,
            exclude=[("proposal", ids[copy])],
            limit=5,
        )
        query_times.append(time.perf_counter() - started)
        if ids[original] in [m.object_id for m in matches]:
            found += 1

    # Brute force: exact Jaccard against every proposal, shingle sets precomputed in memory.
    started = time.perf_counter()
    all_shingles = [similarity.shingle_keys(texts_by_id[i]) for i in ids]
    shingling_seconds = time.perf_counter() - started
    brute_times: list[float] = []
    brute_found = 0
    for original, copy in pairs[: args.brute_queries]:
        started = time.perf_counter()
        query = similarity.shingle_keys(texts_by_id[ids[copy]])
        scores = sorted(
            (
                (similarity.jaccard(query, other), position)
                for position, other in enumerate(all_shingles)
                if position != copy
            ),
            reverse=True,
        )[:5]
        brute_times.append(time.perf_counter() - started)
        brute_found += original in [position for _, position in scores]

    recall = found / len(pairs)
    median_ms = statistics.median(query_times) * 1000
    brute_ms = statistics.median(brute_times) * 1000
    result: dict[str, object] = {
        "benchmark": "near-duplicate detection (MinHash + LSH band index)",
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "database": "SQLite (file)",
        "documents": len(ids),
        "planted_pairs": len(pairs),
        "mean_characters": round(statistics.mean(len(t.body) + len(t.title) for t in texts)),
        "parameters": {
            "shingles": "character 2- and 3-grams",
            "minhash_slots": similarity.SLOTS,
            "bands": similarity.BANDS,
            "rows_per_band": similarity.ROWS,
            "candidates": similarity.CANDIDATES,
            "exact_jaccard_on": similarity.EXACT,
        },
        "recall_at_5": round(recall, 4),
        "index_build_seconds": round(build_seconds, 2),
        "index_build_ms_per_document": round(build_seconds * 1000 / len(ids), 3),
        "query_ms_median": round(median_ms, 2),
        "query_ms_p95": round(sorted(query_times)[int(len(query_times) * 0.95)] * 1000, 2),
        "brute_force_query_ms_median": round(brute_ms, 1),
        "brute_force_recall_at_5": round(brute_found / len(brute_times), 4),
        "brute_force_shingling_all_seconds": round(shingling_seconds, 2),
        "speedup": round(brute_ms / median_ms, 1),
        "goals": {"recall_at_5": ">= 0.95", "query_ms": "< 20"},
    }
    shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "similarity.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


if __name__ == "__main__":
    main()
