#!/usr/bin/env python
"""Lianluo benchmarks (not tests). `make bench` runs them all; each runs alone too:

    .venv/bin/python bench/run.py               # seed, registry, generate, then BENCHMARKS.md
    .venv/bin/python bench/run.py seed          # `seed --scale national --fraction 0.1` into a
                                                # fresh SQLite file and a fresh PostgreSQL database
    .venv/bin/python bench/run.py registry      # pages and API lists on those databases
    .venv/bin/python bench/run.py generate      # the whole national registry (~650,000 people),
                                                # generated in memory with every derived field
    .venv/bin/python bench/run.py report        # rewrite BENCHMARKS.md from bench/results/*.json

Options: --backends sqlite,postgres  --fraction 0.1  --requests 50  --warmup 5
         --pg-url postgres://postgres@127.0.0.1:5432/lianluo_bench  (dropped and created afresh)

Requests are served in-process by the Django test Client: the whole middleware stack, sessions,
templates and the ORM, without a network or an application server in between. Each child
process's peak memory is its maximum resident set size as reported by wait4().
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCHMARKS = ROOT / "BENCHMARKS.md"
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/lianluo_bench"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sqlite_path(options: argparse.Namespace) -> Path:
    return RESULTS / f"national-{options.fraction}.sqlite3"


def database_url(backend: str, options: argparse.Namespace) -> str:
    if backend == "sqlite":
        return f"sqlite:///{sqlite_path(options)}"
    return str(options.pg_url)


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        AXES_ENABLED="0",
        MANIFEST_STATIC="0",  # no collectstatic needed
        PYTHONUNBUFFERED="1",
    )
    return env


def run_child(command: list[str], env: dict[str, str], capture: bool = False) -> dict[str, Any]:
    """Run a child process; its wall time, exit status, peak memory (and output if captured)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if capture else None,
        text=True,
    )
    output = process.stdout.read() if capture and process.stdout else ""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "exit_code": process.returncode,
        "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "output": output,
    }


def fresh_database(backend: str, url: str) -> None:
    if backend == "sqlite":
        path = Path(urlsplit(url).path.replace("//", "/", 1))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "test"):
        raise SystemExit(f"refusing to drop the database {name!r}: use a bench database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = round(int(memory) / 1024 / 1024, 1)
    except OSError:
        memory_gib = 0.0
    import sqlite3

    import django

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
        # Other processes share the 2 cores: the load average says how much they took.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def save(name: str, data: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


# --- seed ------------------------------------------------------------------------------------


def bench_seed(options: argparse.Namespace) -> None:
    for backend in options.backends:
        url = database_url(backend, options)
        env = child_env(url)
        log(f"seed / {backend}: fresh database")
        fresh_database(backend, url)
        migrate = run_child([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        if migrate["exit_code"]:
            raise SystemExit(f"migrate failed on {backend}")
        command = [
            "manage.py",
            "seed",
            "--scale",
            "national",
            "--fraction",
            str(options.fraction),
        ]
        log(f"seed / {backend}: {' '.join(command)}")
        result = run_child([sys.executable, *command], env, capture=True)
        print(result["output"], end="", flush=True)
        if result["exit_code"]:
            raise SystemExit(f"seed failed on {backend}")
        done = re.search(r"Done in .*", result["output"])
        save(
            f"seed-{backend}-{options.fraction}",
            {
                "machine": machine(),
                "backend": backend,
                "command": f"DATABASE_URL={url} .venv/bin/python {' '.join(command)}",
                "migrate_seconds": migrate["seconds"],
                "seconds": result["seconds"],
                "max_rss_mb": result["max_rss_mb"],
                "summary": done.group(0) if done else "",
            },
        )
        log(f"seed / {backend}: {result['seconds']} s, peak {result['max_rss_mb']} MB")


# --- registry: pages and API lists ------------------------------------------------------------


def bench_registry(options: argparse.Namespace) -> None:
    for backend in options.backends:
        url = database_url(backend, options)
        if backend == "sqlite" and not sqlite_path(options).exists():
            raise SystemExit(
                f"{sqlite_path(options)} does not exist: run `bench/run.py seed` first"
            )
        log(f"registry / {backend}")
        out = RESULTS / f"registry-{backend}-{options.fraction}.json"
        result = run_child(
            [
                sys.executable,
                "bench/run.py",
                "registry-worker",
                "--out",
                str(out),
                "--requests",
                str(options.requests),
                "--warmup",
                str(options.warmup),
            ],
            child_env(url),
        )
        if result["exit_code"]:
            raise SystemExit(f"registry benchmark failed on {backend}")
        data = json.loads(out.read_text())
        data.update(machine=machine(), backend=backend, max_rss_mb=result["max_rss_mb"])
        save(f"registry-{backend}-{options.fraction}", data)


def registry_worker(options: argparse.Namespace) -> None:
    """In the child: time pages and API lists as the office staff of two committees."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve, reverse

    from lianluo.accounts.models import User
    from lianluo.directory import views as directory_views
    from lianluo.directory.models import Committee, Grant, Membership, Person
    from lianluo.directory.seeding import AS_OF

    def size(committee: Committee) -> int:
        term = committee.terms.order_by("-number").first()
        return Membership.objects.filter(
            committee=committee, term=term, organization__isnull=True, status="serving"
        ).count()

    sized = Committee.objects.annotate(
        seats=Count(
            "memberships",
            filter=Q(memberships__organization__isnull=True, memberships__status="serving")
            & Q(memberships__term__end_date__isnull=True),
        )
    )
    biggest = sized.order_by("-seats", "code").first()
    municipal = list(sized.filter(level="municipal").order_by("seats", "code"))
    if biggest is None or not municipal:
        raise SystemExit("the database holds no seeded registry: run `bench/run.py seed` first")
    targets = [biggest, municipal[len(municipal) // 2]]

    def page_size(path: str) -> tuple[Any, str, Any] | None:
        """Where the page size of the view behind `path` is set, and its value (None: a page
        whose length is not a page size, e.g. a report)."""
        view = resolve(path.split("?")[0]).func
        cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
        pagination = getattr(cls, "pagination_class", None)
        if pagination is not None:
            return pagination, "page_size", pagination.page_size
        if getattr(cls, "__module__", "") == directory_views.__name__:
            return directory_views, "PAGE_SIZE", directory_views.PAGE_SIZE
        return None

    results: list[dict[str, Any]] = []
    for committee in targets:
        user, _ = User.objects.get_or_create(username=f"bench_office_{committee.code}")
        Grant.objects.get_or_create(user=user, committee=committee, role=Grant.Role.OFFICE)
        client = Client()
        client.force_login(user)
        code, year = committee.code, AS_OF.year
        pages: dict[str, tuple[Any, str]] = {
            label: (client, path)
            for label, path in {
                "member list page": reverse("directory:members", args=[code]),
                "committee page": reverse("directory:committee", args=[code]),
                "API people": f"/api/people/?committee={code}",
                "API memberships": f"/api/memberships/?committee={code}",
                "liaison coverage": reverse("liaison:coverage", args=[code]),
                "meetings statistics": f"{reverse('meetings:statistics', args=[code])}?year={year}",
                "concerns inbox": reverse("casework:inbox", args=[code]),
                "proposal list": reverse("proposals:proposal_list", args=[code]),
                "proposal statistics": reverse("proposals:statistics", args=[code]),
            }.items()
        }
        # A member of the committee (the seeded people have no log-in: one is given one).
        seat = (
            Membership.objects.filter(
                committee=committee, organization__isnull=True, status="serving"
            )
            .order_by("person_id")
            .select_related("person")
            .first()
        )
        if seat is not None:
            member_user, _ = User.objects.get_or_create(username=f"bench_member_{code}")
            Person.objects.filter(user=member_user).exclude(pk=seat.person_id).update(user=None)
            seat.person.user = member_user
            seat.person.save(update_fields=["user"])
            member = Client()
            member.force_login(member_user)
            for label, path in {
                "member: my page": reverse("portal:me"),
                "member: my liaison": reverse("liaison:my"),
                "member: my meetings": reverse("meetings:mine"),
                "member: my proposals": reverse("proposals:mine"),
            }.items():
                pages[label] = (member, path)
        for label, (client, path) in pages.items():
            entry: dict[str, Any] = {
                "committee": committee.short_name,
                "code": committee.code,
                "level": committee.level,
                "members": size(committee),
                "page": label,
                "path": path,
            }
            try:
                status = client.get(path).status_code
            except Exception as error:  # a page that breaks is reported, not fatal
                status = 500
                entry["error"] = repr(error)[:300]
            entry["status"] = status
            if status != 200:
                results.append(entry)
                print(f"  {committee.code} {label}: HTTP {status}", flush=True)
                continue
            queries: dict[str, int] = {}
            slowest: list[dict[str, Any]] = []
            for n in (10, 50):
                where = page_size(path)
                if where is not None:
                    setattr(where[0], where[1], n)
                try:
                    with CaptureQueriesContext(connection) as captured:
                        client.get(path)
                finally:
                    if where is not None:
                        setattr(where[0], where[1], where[2])
                queries[str(n)] = len(captured.captured_queries)
                if n == 50:
                    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
            for _ in range(options.warmup):
                client.get(path)
            timings = []
            for _ in range(options.requests):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            entry.update(
                queries=queries,
                requests=options.requests,
                median_ms=round(statistics.median(timings), 1),
                p95_ms=round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                max_ms=round(timings[-1], 1),
                slowest_queries=[
                    {"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:1500]}
                    for q in slowest
                ],
            )
            if connection.vendor == "postgresql" and slowest:
                sql = slowest[0]["sql"]
                if sql.lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                        entry["explain_slowest"] = [row[0] for row in cursor.fetchall()]
            results.append(entry)
            print(
                f"  {committee.code} {label}: median {entry['median_ms']} ms, "
                f"p95 {entry['p95_ms']} ms, queries {queries}",
                flush=True,
            )
    counts = {
        "committees": Committee.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
    }
    Path(options.out).write_text(
        json.dumps(
            {
                "server": "in-process Django test Client",
                "vendor": connection.vendor,
                "database_version": ".".join(map(str, connection.Database.sqlite_version_info))
                if connection.vendor == "sqlite"
                else f"{connection.pg_version // 10000}.{connection.pg_version % 10000}",
                "counts": counts,
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


# --- generate: the whole national registry in memory ------------------------------------------


def bench_generate(options: argparse.Namespace) -> None:
    log("generate: the whole national registry, in memory, with every derived field")
    out = RESULTS / "generate.json"
    result = run_child(
        [sys.executable, "bench/run.py", "generate-worker", "--out", str(out)],
        child_env(f"sqlite:///{RESULTS / 'unused.sqlite3'}"),
    )
    if result["exit_code"]:
        raise SystemExit("generate benchmark failed")
    data = json.loads(out.read_text())
    data.update(machine=machine(), seconds_wall=result["seconds"], max_rss_mb=result["max_rss_mb"])
    save("generate", data)
    log(f"generate: {data['people']} people in {result['seconds']} s, peak {data['max_rss_mb']} MB")


def generate_worker(options: argparse.Namespace) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from lianluo.directory import seeding

    report = seeding.SeedReport()
    started = time.perf_counter()
    plan = seeding.build_plan("national")
    people = memberships = committees = 0
    generating = 0.0
    rows_iter = seeding.generate(plan)
    while True:
        mark = time.perf_counter()
        rows = next(rows_iter, None)
        generating += time.perf_counter() - mark
        if rows is None:
            break
        committees += 1
        people += len(rows.people)
        memberships += len(rows.memberships)
        for person in rows.people:
            seeding._person(person, report)  # the Person row as write() builds it
        if committees % 200 == 0:
            print(f"  {committees}/{len(plan.committees)} committees, {people} people", flush=True)
    Path(options.out).write_text(
        json.dumps(
            {
                "command": "seeding.generate(build_plan('national')) + the Person rows",
                "committees": committees,
                "people": people,
                "memberships": memberships,
                "seconds": round(time.perf_counter() - started, 1),
                "generate_seconds": round(generating, 1),
                "name_keys_seconds": round(report.name_keys_seconds, 1),
                "encrypt_seconds": round(report.encrypt_seconds, 1),
            }
        )
    )


# --- report -------------------------------------------------------------------------------------


def render_fraction(fraction: str) -> list[str]:
    """The seeding and registry tables of the databases seeded with this fraction."""
    seeds = {b: load(f"seed-{b}-{fraction}") for b in ("sqlite", "postgres")}
    registries = {b: load(f"registry-{b}-{fraction}") for b in ("sqlite", "postgres")}
    lines: list[str] = []
    if any(seeds.values()):
        lines += [
            f"### Seeding: `seed --scale national --fraction {fraction}`",
            "",
            "| | SQLite | PostgreSQL |",
            "|---|---|---|",
        ]

        def cell(backend: str, key: str, unit: str = "") -> str:
            data = seeds.get(backend)
            return f"{data[key]}{unit}" if data else "—"

        for label, key, unit in (
            ("wall time", "seconds", " s"),
            ("peak memory (max RSS)", "max_rss_mb", " MB"),
            ("migrate before it", "migrate_seconds", " s"),
        ):
            lines.append(
                f"| {label} | {cell('sqlite', key, unit)} | {cell('postgres', key, unit)} |"
            )
        lines.append("")
        for backend, data in seeds.items():
            if data:
                lines.append(
                    f"- {backend} ({data['machine']['date']}, load average "
                    f"{data['machine'].get('load_average', ['?'])[0]}): `{data['command']}` — "
                    f"{data['summary']}"
                )
        lines.append("")
    if any(registries.values()):
        sample_data = next(d for d in registries.values() if d)
        requests = next((e["requests"] for e in sample_data["results"] if "requests" in e), 50)
        lines += [
            f"### Pages and API lists (fraction {fraction}), as the committee's office staff "
            "and as one of its members",
            "",
            f"In-process Django test Client, {requests} requests after warm-up; median / p95 in "
            "ms; SQL queries per request with 10 and with 50 rows per page (equal counts: a "
            "longer list costs no extra query; a report page is counted twice as it is). The "
            "same count on the National Committee as on the municipal one: the number of "
            "queries does not grow with the committee.",
            "",
            "| committee (serving members) | page | SQLite median / p95 | PostgreSQL median / p95 "
            "| queries 10 / 50 rows, SQLite · PostgreSQL |",
            "|---|---|---|---|---|",
        ]
        keys: list[tuple[str, str]] = []
        for data in registries.values():
            for entry in data["results"] if data else []:
                if (entry["code"], entry["page"]) not in keys:
                    keys.append((entry["code"], entry["page"]))

        def find(backend: str, key: tuple[str, str]) -> dict[str, Any] | None:
            data = registries.get(backend)
            for entry in data["results"] if data else []:
                if (entry["code"], entry["page"]) == key:
                    return entry
            return None

        def timing(entry: dict[str, Any] | None) -> str:
            if entry is None:
                return "—"
            if entry.get("status") != 200:
                return f"HTTP {entry.get('status')}"
            return f"{entry['median_ms']} / {entry['p95_ms']}"

        def queries(entry: dict[str, Any] | None) -> str:
            if entry is None or "queries" not in entry:
                return "—"
            return f"{entry['queries']['10']} / {entry['queries']['50']}"

        for key in keys:
            entries = {b: find(b, key) for b in ("sqlite", "postgres")}
            sample = next(e for e in entries.values() if e)
            lines.append(
                f"| {sample['committee']} ({sample['members']}) | {sample['page']} "
                f"| {timing(entries['sqlite'])} | {timing(entries['postgres'])} "
                f"| {queries(entries['sqlite'])} · {queries(entries['postgres'])} |"
            )
        lines.append("")
        for backend, data in registries.items():
            if data:
                c = data["counts"]
                lines.append(
                    f"- {backend} {data['database_version']} ({data['machine']['date']}, load "
                    f"average {data['machine'].get('load_average', ['?'])[0]}): "
                    f"{c['committees']} committees, {c['people']} people, "
                    f"{c['memberships']} memberships."
                )
        lines.append("")
    return lines


def render() -> str:
    fractions = sorted(
        {p.stem.rsplit("-", 1)[1] for p in RESULTS.glob("seed-*-*.json")}
        | {p.stem.rsplit("-", 1)[1] for p in RESULTS.glob("registry-*-*.json")},
        key=lambda f: (f != "0.1", float(f)),
    )
    lines: list[str] = []
    ours = [*RESULTS.glob("seed-*-*.json"), *RESULTS.glob("registry-*-*.json")]
    any_data = next(
        (
            json.loads(p.read_text())
            for p in [*sorted(ours), RESULTS / "generate.json"]
            if p.exists()
        ),
        None,
    )
    if any_data and "machine" in any_data:
        m = any_data["machine"]
        lines += [
            f"Machine: {m['cpus']} cores ({m['cpu'] or 'unknown CPU'}), {m['memory_gib']} GiB, "
            f"{m['os']}; Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}. "
            "Other work may have run on the machine at the same time: take the figures as "
            "orders of magnitude.",
            "",
        ]
    for fraction in fractions:
        lines += render_fraction(fraction)
    generated = load("generate")
    if generated:
        lines += [
            "### The whole national registry, generated in memory (no database)",
            "",
            f"`.venv/bin/python bench/run.py generate` ({generated['machine']['date']}): "
            f"{generated['committees']} committees, {generated['people']} people, "
            f"{generated['memberships']} memberships in {generated['seconds']} s "
            f"(generating {generated['generate_seconds']} s, name sort keys and pinyin "
            f"{generated['name_keys_seconds']} s, Fernet encryption of the ID numbers "
            f"{generated['encrypt_seconds']} s); peak memory {generated['max_rss_mb']} MB.",
            "",
        ]
    return "\n".join(lines)


def report(options: argparse.Namespace) -> None:
    body = render()
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    BENCHMARKS.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}")
    log(f"wrote {BENCHMARKS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "benchmark",
        nargs="?",
        default="all",
        choices=[
            "all",
            "seed",
            "registry",
            "generate",
            "report",
            "registry-worker",
            "generate-worker",
        ],
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--out", default="")
    options = parser.parse_args()
    options.backends = [b.strip() for b in options.backends.split(",") if b.strip()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if options.benchmark == "registry-worker":
        registry_worker(options)
        return
    if options.benchmark == "generate-worker":
        generate_worker(options)
        return
    if options.benchmark in ("all", "seed"):
        bench_seed(options)
    if options.benchmark in ("all", "registry"):
        bench_registry(options)
    if options.benchmark in ("all", "generate"):
        bench_generate(options)
    report(options)
    log(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
