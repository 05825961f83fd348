#!/usr/bin/env python
"""Benchmark of the "双考" assessment (not a test).

    .venv/bin/python bench/bench_assessment.py                 # SQLite and PostgreSQL
    .venv/bin/python bench/bench_assessment.py --backends sqlite --runs 3
    .venv/bin/python bench/bench_assessment.py --reuse         # keep the seeded databases

For each database: a fresh database, `migrate`, `manage.py seed --scale national --fraction 0.1`
(the registry and a year of every installed app's records, up to directory.seeding.AS_OF:
meetings, attendance, speeches, research reports, liaison activities, reception days, concerns,
proposals and opinion reports); an app without a seeder gets synthetic records here. The
committee-year assessed is the National Committee's (2,172 members) of AS_OF's year.

Then, in one run and on the same records:
  * the bare SQL aggregation: one GROUP BY query per record kind summing a price per member
    (what a hand-written report would do: no engine, no lines, nothing written);
  * the batch recompute of the committee-year (`assessment_recompute`): one query per kind,
    the engine in Python, every ScoreLine and MemberResult replaced in one transaction;
  * one member's incremental update (`assessment_recompute_member`), for 50 members.
Goals: the batch within 3× of the bare aggregation; one member under 50 ms.
The batch is timed cold (the first computation writes every line) and warm (later ones rewrite
only the members whose lines changed: none here).

Writes bench/results/assessment.json (with a checksum of the totals, equal on both databases).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
YEAR = 2025
APPS = ("lianluo.proposals", "lianluo.casework", "lianluo.assessment")
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/lianluo_bench_assessment"

RULEBOOK = """\
format: 1
name: 基准测试细则（桐城式百分制，加上联络、诉求、发言、调研）
year: 2025
scale: 100
parts:
  - {id: meetings, label: 参加会议, cap: 40, floor: 0}
  - {id: proposals, label: 提案, cap: 25, floor: 0}
  - {id: activities, label: 活动与联络, cap: 20, floor: 0}
  - {id: opinions, label: 社情民意与调研, cap: 15, floor: 0}
rules:
  - {id: plenary_present, kind: attendance, part: meetings, points: 40,
     when: {meeting_kind: plenary, status: present}}
  - {id: plenary_excused, kind: attendance, part: meetings, points: 25,
     when: {meeting_kind: plenary, status: [excused, late]}}
  - {id: plenary_absent, kind: attendance, part: meetings, points: -10,
     when: {meeting_kind: plenary, status: [absent, no_show]}}
  - {id: standing_absent, kind: attendance, part: meetings, points: -5, role: standing_member,
     when: {meeting_kind: standing, status: [absent, no_show]}}
  - {id: proposal, kind: proposal, part: proposals, points: 10, share: first_half,
     when: {outcome: {not: withdrawn}}}
  - {id: proposal_accepted, kind: proposal, part: proposals, points: 15, share: first_half,
     stack: true, when: {outcome: [accepted, merged]}}
  - {id: key_proposal, kind: proposal, part: proposals, points: 5, share: first_only,
     stack: true, when: {key: true}}
  - {id: activity, kind: attendance, part: activities, points: 2,
     when: {meeting_kind: [thematic, sector, grassroots, inspection, survey, supervision,
                           training, studio], status: [present, late]}}
  - {id: speech, kind: speech, part: activities, points: 3}
  - {id: liaison, kind: liaison_activity, part: activities, points: 1, cap: 10}
  - {id: reception, kind: reception_duty, part: activities, points: 2}
  - {id: concern, kind: concern, part: activities, points: 1,
     when: {status: [replied, closed, converted]}}
  - {id: opinion, kind: opinion_report, part: opinions, points: 5, share: halved_when_joint}
  - {id: adopted, kind: adoption, part: opinions, points: 5, once: item, share: halved_when_joint,
     when: {action: adopted}}
  - {id: instruction, kind: adoption, part: opinions, points: 10, share: halved_when_joint,
     when: {action: instruction}}
  - {id: research, kind: research_report, part: opinions, points: 4, share: equal}
grades:
  - {id: excellent, label: 优秀, from: 90}
  - {id: good, label: 良好, from: 80, below: 90}
  - {id: pass, label: 称职, from: 60, below: 80}
  - {id: fail, label: 不称职, below: 60}
warnings:
  - {id: absent_twice, label: 连续两次缺席全会, kind: attendance, among: {meeting_kind: plenary},
     match: {status: [absent, no_show]}, consecutive: 2, over: term, action: reminder_talk}
"""


def log(message: str) -> None:
    print(f"[bench assessment {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------- parent


def parent(options: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import run  # the lead's bench helpers: machine(), fresh_database()

    results: dict[str, Any] = {"machine": run.machine(), "backends": {}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    for backend in options.backends.split(","):
        url = (
            f"sqlite:///{RESULTS / 'assessment-national-0.1.sqlite3'}"
            if backend == "sqlite"
            else options.pg_url
        )
        if not options.reuse:
            run.fresh_database(backend, url)
        log(f"{backend}: child process")
        out = RESULTS / f".assessment-{backend}.json"
        command = [sys.executable, __file__, "--child", backend, "--url", url, "--out", str(out)]
        command += ["--runs", str(options.runs)] + (["--reuse"] if options.reuse else [])
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        results["backends"][backend] = json.loads(out.read_text())
        out.unlink()
    checksums = {b: r["checksum"] for b, r in results["backends"].items()}
    records = {b: r["records_checksum"] for b, r in results["backends"].items()}
    results["same_records_on_every_backend"] = len(set(records.values())) == 1
    results["same_totals_on_every_backend"] = len(set(checksums.values())) == 1
    results["note"] = (
        "Totals can only be equal where the seeded records are: the meetings, liaison and "
        "casework seeders do not write the same rows on SQLite and PostgreSQL. The same-result "
        "check across databases is the test suite (tests/assessment, both databases)."
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "assessment.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    )
    for backend, data in results["backends"].items():
        log(
            f"{backend}: batch {data['batch_recompute_s']['median']} s (cold, every line "
            f"written: {data['batch_recompute_cold_s']} s) vs bare SQL "
            f"{data['bare_sql_aggregation_s']['median']} s = {data['ratio']}×; one member "
            f"{data['incremental_member_ms']['median']} ms (p95 "
            f"{data['incremental_member_ms']['p95']} ms)"
        )
    log(
        f"same records on every backend: {results['same_records_on_every_backend']}; "
        f"same totals: {results['same_totals_on_every_backend']}"
    )


# --------------------------------------------------------------------------- child


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import config.settings as settings_module

    for app in APPS:  # until the lead installs them in config.settings
        if app not in settings_module.INSTALLED_APPS:
            settings_module.INSTALLED_APPS.append(app)
    urls = types.ModuleType("bench_assessment_urls")
    settings_module.ROOT_URLCONF = "bench_assessment_urls"
    sys.modules["bench_assessment_urls"] = urls
    import django

    django.setup()
    from django.urls import include, path

    from config.urls import urlpatterns

    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("assessment/", include("lianluo.assessment.urls")),
        *urlpatterns,
    ]


def _seed_missing(committee: Any) -> dict[str, Any]:
    """`seed` writes every installed app's records of the year; an app without a seeder (the
    proposals app, until it has one) gets synthetic records here, for this committee only."""
    from lianluo.proposals.models import ProposalAuthor

    counts: dict[str, Any] = {}
    if not ProposalAuthor.objects.filter(committee=committee).exists():
        counts["proposals (written by this benchmark)"] = _seed_proposals(
            committee, random.Random(2025)
        )
    return counts


def _seed_proposals(committee: Any, rng: random.Random) -> dict[str, int]:
    """Synthetic proposals and opinion reports of the year (the proposals app has no seeder)."""
    from django.db import transaction
    from django.utils import timezone

    from lianluo.directory.models import Membership
    from lianluo.proposals.models import (
        AdoptionEvent,
        OpinionReport,
        Proposal,
        ProposalAuthor,
        ProposalCategory,
        ReportAuthor,
    )

    people = list(
        Membership.objects.filter(committee=committee, organization__isnull=True, status="serving")
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )
    tz = timezone.get_current_timezone()
    statuses = ["accepted"] * 14 + ["rejected", "rejected", "merged", "to_report", "submitted"]
    with transaction.atomic():
        category, _ = ProposalCategory.objects.get_or_create(committee=committee, name="经济建设")
        proposals, authors = [], []
        for person in people:
            for _n in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                at = datetime.datetime.combine(day, datetime.time(10), tz)
                cosigners = rng.sample(people, rng.choice((0, 0, 0, 1, 2, 3)))
                proposals.append(
                    Proposal(
                        committee=committee,
                        kind="joint" if cosigners else "individual",
                        author_id=person,
                        title=f"关于{day:%m月%d日}议题的提案",
                        body="……",
                        category=category,
                        status=rng.choice(statuses),
                        year=YEAR,
                        submitted_at=at,
                        is_key=rng.random() < 0.05,
                        no_secret_declared=True,
                    )
                )
                authors.append([person, *[c for c in cosigners if c != person]])
        for proposal in proposals:
            if proposal.status == "merged":
                proposal.status = "rejected"  # merged_into is required with "merged"
        Proposal.objects.bulk_create(proposals, batch_size=1000)
        ProposalAuthor.objects.bulk_create(
            [
                ProposalAuthor(
                    committee=committee,
                    proposal=proposal,
                    person_id=person,
                    role="first" if index == 0 else "cosigner",
                    state="confirmed",
                    position=index,
                )
                for proposal, names in zip(proposals, authors, strict=True)
                for index, person in enumerate(names)
            ],
            batch_size=2000,
        )
        reports, report_authors = [], []
        for person in people:
            for _n in range(rng.choice((0, 0, 1, 1, 2, 3))):
                day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(330))
                joint = rng.sample(people, rng.choice((0, 0, 1)))
                reports.append(
                    OpinionReport(
                        committee=committee,
                        year=YEAR,
                        kind="joint" if joint else "individual",
                        author_id=person,
                        title=f"关于{day:%m月%d日}情况的社情民意",
                        body="……",
                        status=rng.choice(("submitted", "accepted", "accepted", "kept")),
                        submitted_at=datetime.datetime.combine(day, datetime.time(9), tz),
                    )
                )
                report_authors.append([person, *[j for j in joint if j != person]])
        OpinionReport.objects.bulk_create(reports, batch_size=1000)
        ReportAuthor.objects.bulk_create(
            [
                ReportAuthor(
                    committee=committee,
                    report=report,
                    person_id=person,
                    role="first" if index == 0 else "joint",
                    position=index,
                )
                for report, names in zip(reports, report_authors, strict=True)
                for index, person in enumerate(names)
            ],
            batch_size=2000,
        )
        events = []
        now = timezone.now()
        for report in reports:
            if report.status != "accepted":
                continue
            submitted = report.submitted_at or timezone.now()
            day = submitted.date() + datetime.timedelta(days=rng.randrange(1, 30))
            events.append(
                AdoptionEvent(
                    committee=committee, report=report, level="national", body="cppcc",
                    scope=rng.choice(("single", "combined")), kind="adopted",
                    occurred_on=min(day, datetime.date(YEAR, 12, 31)), recorded_at=now,
                )
            )  # fmt: skip
            if rng.random() < 0.1:
                events.append(
                    AdoptionEvent(
                        committee=committee, report=report, level="national", body="party",
                        scope="single", kind="instruction", by_whom="中央领导",
                        occurred_on=min(day + datetime.timedelta(days=10),
                                        datetime.date(YEAR, 12, 31)),
                        recorded_at=now,
                    )
                )  # fmt: skip
        AdoptionEvent.objects.bulk_create(events, batch_size=2000)
    return {
        "proposals": len(proposals),
        "proposal_authors": sum(len(a) for a in authors),
        "opinion_reports": len(reports),
        "adoption_events": len(events),
    }


def _bare_sql(committee: Any) -> int:
    """One GROUP BY per kind, pricing records per member in SQL: the reference to beat."""
    from django.db import connection

    from lianluo.casework.models import Concern
    from lianluo.liaison.models import (
        ActivityParticipant,
        LiaisonActivity,
        ReceptionDay,
        ReceptionDuty,
    )
    from lianluo.meetings.models import AttendanceRecord, Meeting, ResearchReport, Speech
    from lianluo.proposals.models import (
        AdoptionEvent,
        OpinionReport,
        Proposal,
        ProposalAuthor,
        ReportAuthor,
    )

    t = {model.__name__: model._meta.db_table for model in (
        AttendanceRecord, Meeting, Speech, ResearchReport, Proposal, ProposalAuthor,
        OpinionReport, ReportAuthor, AdoptionEvent, ActivityParticipant, LiaisonActivity,
        ReceptionDuty, ReceptionDay, Concern,
    )}  # fmt: skip
    speakers = Speech.speakers.through._meta.db_table
    authors = ResearchReport.author_people.through._meta.db_table
    first = datetime.datetime(YEAR, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
    after = datetime.datetime(YEAR + 1, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
    c = committee.pk
    queries = [
        (
            f"SELECT a.person_id, SUM(CASE WHEN m.kind = 'plenary' AND a.status = 'present' "
            f"THEN 40 WHEN m.kind = 'plenary' AND a.status IN ('excused', 'late') THEN 25 "
            f"WHEN m.kind = 'plenary' THEN -10 WHEN a.status IN ('present', 'late') THEN 2 "
            f"ELSE 0 END) FROM {t['AttendanceRecord']} a JOIN {t['Meeting']} m "
            f"ON m.id = a.meeting_id WHERE a.committee_id = %s AND m.starts_at >= %s "
            f"AND m.starts_at < %s AND a.status <> 'not_expected' GROUP BY a.person_id",
            [c, first, after],
        ),
        (
            f"SELECT sp.person_id, COUNT(*) * 3 FROM {speakers} sp JOIN {t['Speech']} s "
            f"ON s.id = sp.speech_id JOIN {t['Meeting']} m ON m.id = s.meeting_id "
            f"WHERE s.committee_id = %s AND m.starts_at >= %s AND m.starts_at < %s "
            f"GROUP BY sp.person_id",
            [c, first, after],
        ),
        (
            f"SELECT pa.person_id, SUM(CASE WHEN p.status IN ('accepted', 'handling', 'answered', "
            f"'closed', 'merged') THEN 25 WHEN p.status <> 'withdrawn' THEN 10 ELSE 0 END) "
            f"FROM {t['ProposalAuthor']} pa JOIN {t['Proposal']} p ON p.id = pa.proposal_id "
            f"WHERE pa.committee_id = %s AND p.submitted_at >= %s AND p.submitted_at < %s "
            f"AND pa.role <> 'merged' GROUP BY pa.person_id",
            [c, first, after],
        ),
        (
            f"SELECT ra.person_id, COUNT(*) * 5 FROM {t['ReportAuthor']} ra "
            f"JOIN {t['OpinionReport']} r ON r.id = ra.report_id WHERE ra.committee_id = %s "
            f"AND r.submitted_at >= %s AND r.submitted_at < %s GROUP BY ra.person_id",
            [c, first, after],
        ),
        (
            f"SELECT ra.person_id, SUM(CASE WHEN e.kind = 'instruction' THEN 10 ELSE 5 END) "
            f"FROM {t['ReportAuthor']} ra JOIN {t['AdoptionEvent']} e "
            f"ON e.report_id = ra.report_id WHERE ra.committee_id = %s "
            f"AND e.occurred_on BETWEEN %s AND %s GROUP BY ra.person_id",
            [c, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
        ),
        (
            f"SELECT ra.person_id, COUNT(*) * 4 FROM {authors} ra "
            f"JOIN {t['ResearchReport']} r ON r.id = ra.researchreport_id "
            f"WHERE r.committee_id = %s AND r.submitted_on BETWEEN %s AND %s "
            f"GROUP BY ra.person_id",
            [c, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
        ),
        (
            f"SELECT ms.person_id, COUNT(*) FROM {t['ActivityParticipant']} ap "
            f"JOIN {t['LiaisonActivity']} la ON la.id = ap.activity_id "
            f"JOIN directory_membership ms ON ms.id = ap.membership_id "
            f"WHERE la.committee_id = %s AND la.date BETWEEN %s AND %s GROUP BY ms.person_id",
            [c, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
        ),
        (
            f"SELECT ms.person_id, COUNT(*) * 2 FROM {t['ReceptionDuty']} rd "
            f"JOIN {t['ReceptionDay']} d ON d.id = rd.reception_day_id "
            f"JOIN directory_membership ms ON ms.id = rd.membership_id "
            f"WHERE d.committee_id = %s AND d.date BETWEEN %s AND %s AND d.status = 'published' "
            f"GROUP BY ms.person_id",
            [c, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)],
        ),
        (
            f"SELECT member_id, COUNT(*) FROM {t['Concern']} WHERE committee_id = %s "
            f"AND member_id IS NOT NULL AND received_at >= %s AND received_at < %s "
            f"AND status IN ('replied', 'closed', 'converted') GROUP BY member_id",
            [c, first, after],
        ),
        (
            "SELECT person_id, role FROM directory_membership WHERE committee_id = %s "
            "AND organization_id IS NULL AND start_date <= %s "
            "AND (end_date IS NULL OR end_date >= %s)",
            [c, datetime.date(YEAR, 12, 31), datetime.date(YEAR, 1, 1)],
        ),
    ]
    totals: dict[int, int] = {}
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            for person_id, value in cursor.fetchall():
                if isinstance(value, int):
                    totals[person_id] = totals.get(person_id, 0) + value
    return len(totals)


def _records_checksum(committee: Any, assessment: Any) -> str:
    """A checksum of the records the providers read (ids left out): equal only when both
    databases were seeded with the same records (the apps' seeders need not be)."""
    from lianluo.assessment import providers, services
    from lianluo.assessment.providers import Query

    query = Query(
        committee_id=committee.pk,
        committee_level=committee.level,
        start=datetime.date(YEAR, 1, 1),
        end=datetime.date(YEAR, 12, 31),
        assessment_id=assessment.pk,
    )
    _version, book = services._active(assessment)
    records = providers.fetch(book.kinds_used(), query)
    rows = sorted(
        (r.kind, r.date.isoformat(), r.position, r.authors, sorted(map(str, r.fields.items())))
        for r in records
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _stats(values: list[float], digits: int = 3) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), digits),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], digits),
        "min": round(ordered[0], digits),
        "max": round(ordered[-1], digits),
    }


def child(options: argparse.Namespace) -> None:
    global YEAR
    _setup_django()
    from lianluo.directory.seeding import AS_OF

    YEAR = AS_OF.year  # the year `seed` writes records for (up to AS_OF)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from lianluo.assessment import services
    from lianluo.assessment.models import MemberResult, ScoreLine
    from lianluo.directory.models import Committee

    data: dict[str, Any] = {"backend": options.child, "vendor": connection.vendor}
    if not options.reuse or not Committee.objects.filter(level="national").exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        data["migrate_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        call_command("seed", scale="national", fraction=0.1, verbosity=0)
        data["seed_s"] = round(time.perf_counter() - started, 1)
        committee = Committee.objects.get(level="national")
        data["seeded_here"] = _seed_missing(committee)
        with connection.cursor() as cursor:  # fresh statistics for the planner, as seed does
            cursor.execute("ANALYZE")
    committee = Committee.objects.get(level="national")
    text = RULEBOOK.replace("year: 2025", f"year: {YEAR}")
    services.rulebook_save(committee=committee, year=YEAR, text=text, by=None, note="bench")
    assessment = services.assessment_ensure(committee=committee, year=YEAR)
    ScoreLine.objects.filter(assessment=assessment).delete()  # start cold, even with --reuse
    MemberResult.objects.filter(assessment=assessment).delete()

    # The first computation writes every line (cold); the next ones rewrite only the members
    # whose lines changed (none here: warm). Both are reported.
    started = time.perf_counter()
    services.assessment_recompute(assessment=assessment)
    cold = time.perf_counter() - started
    bare, batch, batch_cpu = [], [], []
    for _run in range(options.runs):  # side by side, alternating, same records
        started = time.perf_counter()
        members = _bare_sql(committee)
        bare.append(time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        done = services.assessment_recompute(assessment=assessment)
        batch.append(time.perf_counter() - started)
        batch_cpu.append(time.process_time() - cpu)
    people = list(
        MemberResult.objects.filter(assessment=assessment).values_list("person_id", flat=True)
    )
    sample = random.Random(7).sample(people, min(50, len(people)))
    incremental, incremental_cpu = [], []
    for person_id in sample:
        # As if one of their records had changed: their lines are written again.
        MemberResult.objects.filter(assessment=assessment, person_id=person_id).update(
            fingerprint=""
        )
        started, cpu = time.perf_counter(), time.process_time()
        services.assessment_recompute_member(assessment=assessment, person_id=person_id)
        incremental.append((time.perf_counter() - started) * 1000)
        incremental_cpu.append((time.process_time() - cpu) * 1000)
    rows = sorted(
        MemberResult.objects.filter(assessment=assessment).values_list(
            "person__name", "person__birth_date", "total", "grade"
        )
    )
    data.update(
        committee=committee.name,
        year=YEAR,
        members=done.members,
        members_with_records_in_sql=members,
        lines=done.lines,
        records_by_kind=dict(
            ScoreLine.objects.filter(assessment=assessment)
            .values_list("kind")
            .order_by("kind")
            .annotate(n=Count("id"))
        ),
        bare_sql_aggregation_s=_stats(bare),
        batch_recompute_cold_s=round(cold, 3),
        batch_recompute_s=_stats(batch),
        batch_recompute_cpu_s=_stats(batch_cpu),
        ratio=round(statistics.median(batch) / statistics.median(bare), 2),
        ratio_cold=round(cold / statistics.median(bare), 2),
        incremental_member_ms=_stats(incremental, 1),
        incremental_member_cpu_ms=_stats(incremental_cpu, 1),
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        records_checksum=_records_checksum(committee, assessment),
        checksum=hashlib.sha256(
            repr([(n, str(b), str(t), g) for n, b, t, g in rows]).encode()
        ).hexdigest()[:16],
    )
    Path(options.out).write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded databases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options)
    else:
        parent(options)


if __name__ == "__main__":
    main()
