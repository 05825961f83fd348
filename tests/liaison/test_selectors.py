"""Named reads: coverage with known data, plan progress, the dashboard, the public selectors —
each a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from lianluo.directory.services import focus_areas_ensure_defaults
from lianluo.liaison import selectors
from lianluo.liaison.models import LiaisonActivity, Studio
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.liaison.factories import (
    ConstituentGroupFactory,
    StudioFactory,
    plan,
    reception_day,
    record,
    seat,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def known(world):
    """Xiangtan with four groups in two areas and known contact dates:

    * 雨湖餐饮协会 (经济界, 雨湖区): reached 10 days ago
    * 岳塘第一中学 (教育界, 岳塘区): reached 100 days ago only
    * 雨湖某村 (no sector, 雨湖区): never reached
    * 岳塘某社区 (经济界, 岳塘区): reached 89 days ago (inside the 90 days)
    * an inactive group, never reached, is not counted.
    """
    economy = world.sector[("430300", "经济界")]
    education = world.sector[("430300", "教育界")]
    groups = {
        "catering": ConstituentGroupFactory(
            committee=world.xiangtan, name="雨湖餐饮协会", sector=economy
        ),
        "school": ConstituentGroupFactory(
            committee=world.xiangtan,
            name="岳塘第一中学",
            sector=education,
            area_name="岳塘区",
            area_code="430304",
        ),
        "village": ConstituentGroupFactory(committee=world.xiangtan, name="雨湖某村"),
        "community": ConstituentGroupFactory(
            committee=world.xiangtan,
            name="岳塘某社区",
            sector=economy,
            area_name="岳塘区",
            area_code="430304",
        ),
    }
    ConstituentGroupFactory(committee=world.xiangtan, name="已撤销的协会", is_active=False)
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    record(world.xiangtan, members=[wang], groups=[groups["catering"]], date=days_ago(10))
    record(world.xiangtan, members=[liu], groups=[groups["school"]], date=days_ago(100))
    record(world.xiangtan, members=[wang], groups=[groups["community"]], date=days_ago(89))
    # Another committee's activity reaching nothing of Xiangtan's.
    record(world.shenzhen, members=[seat(world.shenzhen_only, world.shenzhen)], date=TODAY)
    return groups


def test_coverage_lists_the_groups_not_contacted_in_90_days(world, known):
    result = selectors.coverage(world.xiangtan, days=90, today=TODAY)
    assert [g.name for g in result.groups] == ["雨湖某村", "岳塘第一中学"]  # never, then oldest
    assert [g.last_contact for g in result.groups] == [None, days_ago(100)]
    assert result.groups_total == 4
    assert result.since == days_ago(89)


def test_coverage_lists_sectors_areas_and_members_without_contact(world, known):
    result = selectors.coverage(world.xiangtan, days=90, today=TODAY)
    assert [s.name for s in result.sectors] == ["教育界"]
    assert result.sectors_total == 2
    # 岳塘区 was reached (the community), 雨湖区 too (the association): no area is quiet.
    assert result.areas == []
    assert result.areas_total == 2
    # 刘敬民's only activity is 100 days old; 马继龙 logged none; 王勇峰 is fine.
    assert sorted(m.person.name for m in result.members) == ["刘敬民", "马继龙"]
    assert result.members_total == 3


def test_a_shorter_window_finds_more_and_a_convener_sees_their_sector(world, known):
    result = selectors.coverage(world.xiangtan, days=30, today=TODAY)
    assert [g.name for g in result.groups] == ["雨湖某村", "岳塘第一中学", "岳塘某社区"]
    assert [(a.area_name, a.last_contact) for a in result.areas] == [("岳塘区", days_ago(89))]
    economy = world.sector[("430300", "经济界")]
    mine = selectors.coverage(world.xiangtan, days=30, today=TODAY, sector_ids=[economy.pk])
    assert [g.name for g in mine.groups] == ["岳塘某社区"]
    assert [m.person.name for m in mine.members] == ["马继龙"]
    assert mine.sectors_total == 1


def test_coverage_is_a_constant_number_of_queries(world, known, django_assert_num_queries):
    with django_assert_num_queries(8):
        selectors.coverage(world.xiangtan, days=90, today=TODAY)
    economy = world.sector[("430300", "经济界")]
    for i in range(30):
        group = ConstituentGroupFactory(committee=world.xiangtan, sector=economy)
        member = MembershipFactory(
            person=PersonFactory(),
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=economy,
        )
        if i % 2:
            record(world.xiangtan, members=[member], groups=[group], date=days_ago(i))
    with django_assert_num_queries(8):
        result = selectors.coverage(world.xiangtan, days=90, today=TODAY)
    assert result.groups_total == 34


def test_progress_counts_activities_and_duty_days_per_task(world):
    """At least 4 contacts a year; at least 1 reception day a quarter; for 经济界 one survey."""
    today = datetime.date(TODAY.year, 5, 15)  # the second quarter
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    economy = world.sector[("430300", "经济界")]
    year_plan = plan(
        world.xiangtan,
        year=today.year,
        tasks=[
            {"metric": "contacts", "target": 4, "period": "year"},
            {"metric": "duty_days", "target": 1, "period": "quarter"},
            {
                "applies_to": "sector",
                "sector": economy,
                "metric": "activities_of_kind",
                "activity_kind": "survey",
                "target": 1,
            },
        ],
    )
    for month in (1, 2, 4):
        record(world.xiangtan, members=[liu], date=datetime.date(today.year, month, 3))
    record(world.xiangtan, members=[wang], kind="survey", date=datetime.date(today.year, 4, 3))
    record(world.xiangtan, members=[liu], date=datetime.date(today.year - 1, 12, 3))  # last year
    record(world.xiangtan, members=[liu], date=datetime.date(today.year, 6, 1))  # after "today"
    studio = StudioFactory(committee=world.xiangtan)
    reception_day(studio, date=datetime.date(today.year, 2, 10), members=[liu])
    reception_day(studio, date=datetime.date(today.year, 5, 10), members=[liu])
    reception_day(studio, date=datetime.date(today.year, 5, 11), members=[wang], status="cancelled")
    rows = {
        row.seat.person.name: row
        for row in selectors.plan_progress({world.xiangtan.pk: year_plan}, [liu, wang], today=today)
    }
    liu_tasks = [(t.task.metric, t.count, t.quarters, t.met) for t in rows["刘敬民"].tasks]
    assert liu_tasks == [
        ("contacts", 3, [2, 1, 0, 0], False),
        ("duty_days", 1, [1, 1, 0, 0], True),
    ]  # 刘敬民 sits in 教育界: the 经济界 survey task does not apply
    wang_tasks = [(t.task.metric, t.count, t.met) for t in rows["王勇峰"].tasks]
    assert wang_tasks == [
        ("contacts", 1, False),
        ("duty_days", 0, False),  # a cancelled day does not count
        ("activities_of_kind", 1, True),
    ]


def test_progress_applies_sector_group_tasks_to_the_groups_members(world):
    group = OrganizationFactory(
        committee=world.xiangtan, classification="sector_group", name="第一界别活动组"
    )
    from lianluo.directory.models import Membership

    Membership.objects.create(
        person=world.xiangtan_only,
        committee=world.xiangtan,
        term=world.terms["430300"],
        organization=group,
        role="member",
        start_date=datetime.date(2022, 1, 1),
    )
    year_plan = plan(
        world.xiangtan,
        year=TODAY.year,
        tasks=[
            {"applies_to": "sector_group", "sector_group": group, "metric": "contacts", "target": 2}
        ],
    )
    rows = selectors.plan_progress(
        {world.xiangtan.pk: year_plan},
        [seat(world.both, world.xiangtan), seat(world.xiangtan_only, world.xiangtan)],
        today=TODAY,
    )
    assert [len(row.tasks) for row in rows] == [0, 1]


def test_progress_is_a_constant_number_of_queries(world, django_assert_num_queries):
    year_plan = plan(
        world.xiangtan,
        year=TODAY.year,
        tasks=[{"metric": "contacts", "target": 4}, {"metric": "duty_days", "target": 1}],
    )
    plans = selectors.published_plans([world.xiangtan.pk], TODAY.year)
    seats = list(selectors.serving_seats(world.xiangtan))
    with django_assert_num_queries(2):
        selectors.plan_progress(plans, seats, today=TODAY)
    for _ in range(20):
        MembershipFactory(
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=world.sector[("430300", "经济界")],
        )
    seats = list(selectors.serving_seats(world.xiangtan))
    with django_assert_num_queries(2):
        rows = selectors.plan_progress(plans, seats, today=TODAY)
    assert len(rows) == 23
    assert year_plan.tasks.count() == 2


def test_the_dashboard_counts_per_month_sector_and_focus_area(world, django_assert_num_queries):
    focus = focus_areas_ensure_defaults(committee=world.xiangtan)
    economy = world.sector[("430300", "经济界")]
    liu = seat(world.both, world.xiangtan)
    record(
        world.xiangtan, members=[liu], date=TODAY, sector=economy, focus_area=focus[0], headcount=7
    )
    record(world.xiangtan, members=[liu], date=TODAY, sector=economy, headcount=3)
    record(world.xiangtan, members=[liu], date=days_ago(400))  # older than twelve months
    activities = LiaisonActivity.objects.filter(committee=world.xiangtan)
    with django_assert_num_queries(3):
        figures = selectors.dashboard(activities, today=TODAY)
    assert figures["month_counts"][-1] == 2 and figures["total"] == 2
    assert figures["people"] == 10
    assert len(figures["month_labels"]) == 12 and figures["month_labels"][-1] == f"{TODAY:%Y-%m}"
    assert figures["per_sector"] == [{"sector__name": "经济界", "n": 2}]
    assert {row["focus_area__name"]: row["n"] for row in figures["per_focus"]} == {
        focus[0].name: 1,
        None: 1,
    }


def test_the_public_directory_shows_only_published_studios_with_their_next_day(
    world, django_assert_num_queries
):
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    shown = StudioFactory(committee=world.xiangtan, name="雨湖区委员工作室")
    StudioFactory(committee=world.xiangtan, name="草稿工作室", status=Studio.Status.DRAFT)
    reception_day(shown, date=days_ago(1), members=[liu])
    reception_day(shown, date=TODAY + datetime.timedelta(days=3), members=[wang], status="draft")
    upcoming = reception_day(shown, date=TODAY + datetime.timedelta(days=5), members=[liu, wang])
    studios = list(selectors.studios_public())
    assert [s.name for s in studios] == ["雨湖区委员工作室"]
    with django_assert_num_queries(3):
        selectors.with_next_days(studios, today=TODAY)
        names = [d.membership.person.name for d in studios[0].next_day.duties.all()]
    assert studios[0].next_day == upcoming
    assert names == ["王勇峰", "刘敬民"]  # official order: 王 (4 strokes) before 刘 (6)
