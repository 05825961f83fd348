"""Chinese full-text search over 100,000 items, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_search.py [--items 100000] [--backends sqlite,postgresql]

For each database: a fresh database (SQLite: a temporary file; PostgreSQL: the database
`lianluo_bench_search` on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, created and
dropped by this script), the app's migrations (FTS5 table / GIN index), then `--items` search
entries — proposals, replies and opinion reports in the proportions 2:1:1, synthetic texts of
lianluo.proposals.textgen, all in ONE committee (the worst case: the committee filter selects
nothing away) — and then 40 queries (common and rare words, 1–6 characters, two-word queries,
absent words), each run 3 times through lianluo.proposals.search.search (newest 50 first).

Writes bench/results/search.json. Goal: median query < 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "lianluo_bench_search"
QUERIES = (
    "停车", "养老", "加装电梯", "充电桩建设", "湘江", "智慧停车平台", "义务教育", "垃圾分类",
    "家庭医生签约", "建议", "社区", "雨湖区", "电梯", "专项资金", "营商环境", "红色旅游",
    "高标准农田", "数据共享", "夜间经济", "长期护理保险", "河长制", "充电", "城中村改造",
    "学位供给", "停车难", "食品安全", "快速检测", "乡村振兴 人才", "养老 护理", "教育 师资",
    "公租房", "零工市场", "扬尘治理", "文物保护", "农村公路", "医联体", "5G", "区块链",
    "无人机物流", "城",
)  # fmt: skip


def run_backend(backend: str, items: int, seed: int) -> dict[str, object]:
    """In a child process: load `items` entries into a fresh database and time the queries."""
    import random

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lianluo.directory.models import Committee
    from lianluo.proposals import search, textgen
    from lianluo.proposals.models import SearchEntry

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    committee = Committee.objects.create(
        code="430300", name="政协湘潭市委员会", short_name="湘潭市政协", level="municipal"
    )
    rng = random.Random(seed)
    batch: list[SearchEntry] = []
    kinds = ("proposal", "proposal", "reply", "report")
    load_started = time.perf_counter()
    for number in range(items):
        kind = kinds[number % 4]
        text = textgen.report_text(rng) if kind == "report" else textgen.proposal_text(rng)
        batch.append(
            search.entry_for(
                committee_id=committee.pk,
                kind=kind,
                object_id=number + 1,
                year=2020 + number * 7 // items,
                title=text.title,
                texts=[text.body],
            )
        )
        if len(batch) == 2000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    load_seconds = time.perf_counter() - load_started
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE proposals_searchentry"
        )
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    hits: dict[str, int] = {}
    for _ in range(3):
        for query in QUERIES:
            begun = time.perf_counter()
            found = search.search(committee, query)
            timings[query].append((time.perf_counter() - begun) * 1000)
            hits[query] = len(found)
    every = [t for values in timings.values() for t in values]
    per_query = {q: round(statistics.median(v), 2) for q, v in timings.items()}
    return {
        "database": connection.vendor,
        "server_version": connection.pg_version  # type: ignore[attr-defined]
        if connection.vendor == "postgresql"
        else __import__("sqlite3").sqlite_version,
        "items": items,
        "load_seconds": round(load_seconds, 1),
        "setup_seconds": round(time.perf_counter() - started, 1),
        "queries": len(QUERIES),
        "runs_per_query": 3,
        "median_ms": round(statistics.median(every), 2),
        "p95_ms": round(sorted(every)[int(len(every) * 0.95)], 2),
        "max_ms": round(max(every), 2),
        "slowest_queries": sorted(per_query.items(), key=lambda item: -item[1])[:5],
        "hits": hits,
    }


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as admin:
        admin.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(args.child, args.items, args.seed), ensure_ascii=False))
        return

    results = []
    for backend in args.backends.split(","):
        env = dict(os.environ)
        workdir = None
        if backend == "sqlite":
            workdir = tempfile.mkdtemp(prefix="bench-search-")
            env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        else:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            pg_admin(f"CREATE DATABASE {PG_DATABASE}")
            env["DATABASE_URL"] = f"{PG_URL}/{PG_DATABASE}"
        try:
            child = subprocess.run(
                [sys.executable, __file__, "--child", backend, "--items", str(args.items),
                 "--seed", str(args.seed)],
                env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        except subprocess.CalledProcessError as failed:
            sys.stderr.write(failed.stderr)
            raise
        finally:
            if backend == "sqlite" and workdir:
                import shutil

                shutil.rmtree(workdir, ignore_errors=True)
            elif backend != "sqlite":
                pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
    report = {
        "benchmark": "Chinese full-text search (character bigrams; FTS5 / GIN)",
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "results": results,
        "goal": "median < 50 ms",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
