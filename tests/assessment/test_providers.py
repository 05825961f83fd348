"""Providers: each reads one app's rows of a committee and period in one query and turns them
into Records with the field values declared in kinds.py."""

import datetime

import pytest
from django.utils import timezone

from lianluo.assessment import kinds, providers
from lianluo.assessment.providers import Query, directory, registry
from lianluo.directory.models import Membership
from tests.assessment import records as r

pytestmark = pytest.mark.django_db

YEAR = Query(
    committee_id=0,
    committee_level="municipal",
    start=datetime.date(2024, 1, 1),
    end=datetime.date(2024, 12, 31),
)


def query(world, **changes):
    return Query(**{**YEAR.__dict__, "committee_id": world.xiangtan.pk, **changes})


def fetch_one(kind, q, django_assert_num_queries, queries=1):
    with django_assert_num_queries(queries):
        found = providers.fetch({kind}, q)
    for record in found:
        declared = kinds.KINDS[record.kind].fields
        for name, value in record.fields.items():
            assert name in declared, (record.kind, name)
            if declared[name].type == "choice":
                assert value in declared[name].values, (record.kind, name, value)
    return found


def test_member_periods_merge_seats_and_keep_who_left(world, django_assert_num_queries):
    """Xiangtan's three members; 王勇峰 left on 2024-06-30; the Hunan seat is another
    committee's."""
    seat = world.xiangtan_only.memberships.get(organization__isnull=True)
    seat.end_date = datetime.date(2024, 6, 30)
    seat.status = Membership.Status.RESIGNED
    seat.save()
    with django_assert_num_queries(1):
        seats = directory.member_periods(query(world))
    periods = {s.name: s.period for s in seats}
    assert set(periods) == {"刘敬民", "王勇峰", "马继龙"}
    assert periods["王勇峰"].end == datetime.date(2024, 6, 30)
    assert periods["刘敬民"].term_start == datetime.date(2022, 1, 1)
    only_ma = directory.member_periods(query(world, person_ids=frozenset({world.convener.pk})))
    assert [s.name for s in only_ma] == ["马继龙"]


def test_roles_are_records_of_the_registry(world, django_assert_num_queries):
    found = fetch_one("role", query(world), django_assert_num_queries)
    assert [(rec.person_id, rec.fields) for rec in found] == [
        (world.convener.pk, {"role": "convener", "organization": "sector"})
    ]
    assert found[0].url == f"/registry/people/{world.convener.pk}/"


@pytest.mark.skipif(not r.installed("meetings"), reason="needs the meetings app")
def test_attendance_speeches_and_research_reports(world, django_assert_num_queries):
    from lianluo.meetings.models import AdoptionEvent, ResearchReport, Speech

    term = world.terms["430300"]
    seat = world.seat_xiangtan
    plenary = r.meeting(world.xiangtan, term, day="2024-01-10", hours=20)
    r.attendance(plenary, seat, "late")
    r.attendance(plenary, world.convener.memberships.get(organization__isnull=True), "not_expected")
    r.attendance(r.meeting(world.xiangtan, term, day="2023-12-30"), seat, "present")
    # two queries: the period's meetings, then their records without the meetings' columns
    found = fetch_one("attendance", query(world), django_assert_num_queries, queries=2)
    assert [(rec.person_id, rec.date, rec.fields) for rec in found] == [
        (
            world.both.pk,
            datetime.date(2024, 1, 10),
            {
                "meeting_kind": "plenary",
                "status": "late",
                "mandatory": True,
                "left_early": False,
                "member_role": "member",
                "half_days": 5,
            },
        )
    ]
    assert found[0].url == f"/meetings/{plenary.pk}/"

    speech = Speech.objects.create(
        committee=world.xiangtan, meeting=plenary, title="大会发言", mode="written",
        selected_for_plenary=True,
    )  # fmt: skip
    speech.speakers.set([world.both, world.convener])
    speeches = fetch_one("speech", query(world), django_assert_num_queries)
    assert {(rec.person_id, rec.fields["selected"]) for rec in speeches} == {
        (world.both.pk, True),
        (world.convener.pk, True),
    }

    report = ResearchReport.objects.create(
        committee=world.xiangtan, title="关于乡村振兴的调研报告",
        submitted_on=datetime.date(2024, 5, 1),
    )  # fmt: skip
    report.author_people.add(world.convener)
    report.author_people.add(world.both)
    AdoptionEvent.objects.create(
        committee=world.xiangtan, report=report, level="higher_committee", kind="instruction",
        by_whom="省领导", date=datetime.date(2024, 6, 1), recorded_at=timezone.now(),
    )  # fmt: skip
    reports = fetch_one("research_report", query(world), django_assert_num_queries)
    assert {(rec.person_id, rec.position, rec.authors) for rec in reports} == {
        (world.convener.pk, 1, 2),
        (world.both.pk, 2, 2),
    }
    mine = query(world, person_ids=frozenset({world.both.pk}))
    adoptions = list(fetch_one("adoption", mine, django_assert_num_queries, 2))
    research = [rec for rec in adoptions if rec.fields["of"] == "research_report"]
    assert [
        (rec.person_id, rec.position, rec.authors, rec.fields["level"]) for rec in research
    ] == [(world.both.pk, 2, 2, "provincial")]


@pytest.mark.skipif(not r.installed("proposals"), reason="needs the proposals app")
def test_proposals_reports_and_their_adoption_chain(world, django_assert_num_queries):
    """Credited authors only (a co-signer who has not confirmed is not); drafts are not
    submitted; workflow states become review outcomes; positions and author counts hold when
    only one member is read."""
    from lianluo.proposals.models import Proposal, ProposalAuthor

    joint = r.proposal(world.xiangtan, [world.convener, world.both], status="handling")
    ProposalAuthor.objects.create(
        committee=world.xiangtan, proposal=joint, person=world.xiangtan_only, role="cosigner",
        state="invited", position=2,
    )  # fmt: skip
    draft = r.proposal(world.xiangtan, [world.both], status="to_report")
    Proposal.objects.filter(pk=draft.pk).update(status="draft")
    converted = r.proposal(world.xiangtan, [world.both], status="to_report")
    found = fetch_one("proposal", query(world), django_assert_num_queries)
    assert sorted(
        (rec.record_id, rec.person_id, rec.position, rec.authors) for rec in found
    ) == sorted(
        [
            (str(joint.pk), world.both.pk, 2, 2),
            (str(joint.pk), world.convener.pk, 1, 2),
            (str(converted.pk), world.both.pk, 1, 1),
        ]
    )
    by_id = {(rec.record_id, rec.person_id): rec for rec in found}
    assert by_id[(str(joint.pk), world.both.pk)].fields["outcome"] == "accepted"
    assert by_id[(str(joint.pk), world.both.pk)].fields["author"] == "co_signer"
    assert by_id[(str(converted.pk), world.both.pk)].fields["outcome"] == "converted_opinion"
    mine = fetch_one(
        "proposal", query(world, person_ids=frozenset({world.both.pk})), django_assert_num_queries
    )
    assert {(rec.record_id, rec.position, rec.authors) for rec in mine} == {
        (str(joint.pk), 2, 2),
        (str(converted.pk), 1, 1),
    }

    report = r.opinion_report(world.xiangtan, [world.both, world.convener], day="2024-03-01")
    r.adoption(report, level="municipal", kind="adopted", day="2024-03-20")
    r.adoption(report, level="provincial", kind="instruction", day="2024-04-20")
    reports = fetch_one("opinion_report", query(world), django_assert_num_queries)
    assert {(rec.person_id, rec.fields["author"]) for rec in reports} == {
        (world.both.pk, "first"),
        (world.convener.pk, "co_signer"),
    }
    chain = [
        rec for rec in providers.fetch({"adoption"}, query(world)) if rec.person_id == world.both.pk
    ]
    assert [(rec.fields["level"], rec.fields["action"], rec.item) for rec in chain] == [
        ("municipal", "adopted", f"opinion_report:{report.pk}"),
        ("provincial", "instruction", f"opinion_report:{report.pk}"),
    ]


@pytest.mark.skipif(not r.installed("liaison"), reason="needs the liaison app")
def test_liaison_activities_and_reception_days(world, django_assert_num_queries):
    from lianluo.liaison.models import ReceptionDay, ReceptionDuty, Studio

    activity = r.activity(world.xiangtan, [world.seat_xiangtan], kind="forum", day="2024-06-01")
    r.activity(world.xiangtan, [world.seat_xiangtan], day="2025-01-02")
    found = fetch_one("liaison_activity", query(world), django_assert_num_queries)
    assert [(rec.record_id, rec.person_id, rec.fields["activity_kind"]) for rec in found] == [
        (str(activity.pk), world.both.pk, "forum")
    ]
    studio = Studio.objects.create(
        committee=world.xiangtan, name="教育界委员工作室", address="湘潭"
    )
    days = [
        ReceptionDay.objects.create(
            committee=world.xiangtan, studio=studio, date=datetime.date(2024, 3, day),
            start_time=datetime.time(9), end_time=datetime.time(11), status=status,
            sequence=day,
        )
        for day, status in ((10, "published"), (20, "cancelled"))
    ]  # fmt: skip
    for day in days:
        ReceptionDuty.objects.create(reception_day=day, membership=world.seat_xiangtan)
    duties = fetch_one("reception_duty", query(world), django_assert_num_queries)
    assert [(rec.record_id, rec.person_id) for rec in duties] == [(str(days[0].pk), world.both.pk)]
    assert "教育界委员工作室" in duties[0].label


@pytest.mark.skipif(not r.installed("casework"), reason="needs the casework app")
def test_concerns_handled_by_a_member(world, django_assert_num_queries):
    from lianluo.casework.codes import new_code
    from lianluo.casework.models import Concern

    def concern(status, member=world.both):
        return Concern.objects.create(
            committee=world.xiangtan, code=new_code(), topic="路灯不亮",
            description="……", member=member, source="reception", status=status,
            received_at=r.at("2024-05-05"),
            **({"outcome": "resolved", "reply_text": "已修复", "replied_at": r.at("2024-05-09")}
               if status in ("replied", "closed") else {}),
        )  # fmt: skip

    replied = concern("replied")
    concern("held")
    concern("discarded")
    concern("closed", member=None)
    found = fetch_one("concern", query(world), django_assert_num_queries)
    assert [(rec.record_id, rec.fields["status"], rec.fields["rating"]) for rec in found] == [
        (str(replied.pk), "replied", "none")
    ]


def test_providers_of_apps_that_are_not_installed_are_not_registered(monkeypatch):
    """A deployment without the casework app scores without concerns: no provider, no error."""
    from django.apps import apps

    registry.cache_clear()
    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "lianluo.casework" and real(name)
    )
    try:
        assert "concern" not in registry()
        assert "role" in registry()
    finally:
        registry.cache_clear()


@pytest.mark.skipif(not r.installed("proposals"), reason="needs the proposals app")
def test_an_opinion_report_adopted_twice_is_one_report_record_and_two_adoptions(world):
    """The chain's links are records of their own; the report itself counts once."""
    report = r.opinion_report(world.xiangtan, [world.both])
    r.adoption(report, level="municipal", day="2024-05-01")
    r.adoption(report, level="provincial", kind="forwarded", day="2024-06-01")
    found = providers.fetch({"opinion_report", "adoption"}, query(world))
    assert sorted(rec.kind for rec in found) == ["adoption", "adoption", "opinion_report"]


def test_a_kept_queryset_holds_the_sql_not_the_rows():
    """built_once keeps what a provider builds for a committee and period; what it returns is
    a copy: evaluating or narrowing it leaves the kept one empty, so later reads see new rows."""
    from lianluo.directory.models import Committee
    from tests.factories import CommitteeFactory

    built = []

    @providers.built_once
    def codes(prefix):
        built.append(prefix)
        return Committee.objects.filter(code__startswith=prefix).values_list("code", flat=True)

    CommitteeFactory(code="991100")
    assert list(codes("99")) == ["991100"]
    assert list(codes("99").filter(code="991100")) == ["991100"]
    CommitteeFactory(code="992200")
    assert sorted(codes("99")) == ["991100", "992200"]
    assert built == ["99"]  # built once, read three times
