"""Statistics with known data: attendance rates per member, sector, kind, year and term; the
members over the repeated-absence thresholds; the scoring engine's one-query read."""

import datetime

import pytest
from django.utils import timezone

from lianluo.meetings import selectors
from lianluo.meetings.models import AttendanceRecord, Meeting, MeetingKind, MeetingKindPolicy
from tests.meetings.factories import MeetingFactory, invite, record

pytestmark = pytest.mark.django_db

R = AttendanceRecord.Status


def at(year, month, day=10):
    return datetime.datetime(year, month, day, 9, 0, tzinfo=timezone.get_current_timezone())


def closed(m, kind, when, statuses, **kwargs):
    """A closed meeting with one record per (person, status)."""
    meeting = MeetingFactory(
        committee=m.xiangtan, kind=kind, starts_at=when, status=Meeting.Status.CLOSED, **kwargs
    )
    for person, status in statuses.items():
        invitation = invite(meeting, person, status="offered" if status == R.NOT_EXPECTED else None)
        record(invitation, status)
    return meeting


@pytest.fixture
def year_2025(m):
    closed(
        m,
        MeetingKind.PLENARY,
        at(2025, 1),
        {m.liu: R.PRESENT, m.wang: R.LATE, m.ma: R.EXCUSED, m.zhao: R.ABSENT},
    )
    closed(
        m,
        MeetingKind.THEMATIC,
        at(2025, 6),
        {m.liu: R.NO_SHOW, m.wang: R.NOT_EXPECTED},
        participation="sign_up",
    )
    closed(m, MeetingKind.THEMATIC, at(2024, 6), {m.liu: R.PRESENT})
    return m


def by(rows, key):
    return {row[key]: (row["expected"], row["attended"], row["rate"]) for row in rows}


def test_rates_per_kind_member_and_sector_for_a_year(year_2025, django_assert_num_queries):
    m = year_2025
    with django_assert_num_queries(1):
        kinds = selectors.attendance_rates(m.xiangtan, by="kind", year=2025)
    assert by(kinds, "meeting__kind") == {"plenary": (4, 2, 50.0), "thematic": (1, 0, 0.0)}
    people = selectors.attendance_rates(m.xiangtan, by="person", year=2025)
    assert by(people, "person__name") == {
        "刘敬民": (2, 1, 50.0),
        "王勇峰": (1, 1, 100.0),
        "马继龙": (1, 0, 0.0),
        "赵一平": (1, 0, 0.0),
    }
    sectors = selectors.attendance_rates(m.xiangtan, by="sector", year=2025)
    assert by(sectors, "sector__name") == {"经济界": (3, 1, 33.3), "教育界": (2, 1, 50.0)}
    liu = next(row for row in people if row["person__name"] == "刘敬民")
    assert (liu["present"], liu["no_show"], liu["unexcused"]) == (1, 1, 1)


def test_rates_per_year_and_term(year_2025):
    m = year_2025
    years = selectors.attendance_rates(m.xiangtan, by="year")
    assert by(years, "year") == {2025: (5, 2, 40.0), 2024: (1, 1, 100.0)}
    terms = selectors.attendance_rates(m.xiangtan, by="term")
    assert by(terms, "meeting__term__number") == {13: (6, 3, 50.0)}
    term = m.world.terms["430300"]
    assert selectors.attendance_totals(m.xiangtan, term=term)["rate"] == 50.0


def test_a_members_rate_counts_only_their_records(year_2025):
    rows = selectors.person_rates(year_2025.liu, year=2025)
    assert [(r["committee__short_name"], r["rate"]) for r in rows] == [("湘潭市政协", 50.0)]


def test_repeated_absence_finds_exactly_the_members_over_the_thresholds(
    m, django_assert_max_num_queries
):
    """Plenary: 2 unexcused in a row within the term (default); standing committee: 3 in a
    year (default). An excused absence breaks a run; other committees do not count."""
    plan = {
        m.liu: [R.ABSENT, R.ABSENT, R.PRESENT, R.ABSENT],  # a run of 2 → flagged
        m.wang: [R.ABSENT, R.EXCUSED, R.ABSENT, R.PRESENT],  # runs of 1 → not
        m.ma: [R.PRESENT, R.ABSENT, R.PRESENT, R.ABSENT],  # not
        m.zhao: [R.ABSENT, R.ABSENT, R.ABSENT, R.PRESENT],  # a run of 3 → flagged
    }
    for index, year in enumerate((2023, 2024, 2025, 2026)):
        closed(
            m,
            MeetingKind.PLENARY,
            at(year, 1),
            {person: statuses[index] for person, statuses in plan.items()},
        )
    standing = {
        m.wang: [R.ABSENT, R.ABSENT, R.ABSENT, R.PRESENT],
        m.liu: [R.ABSENT, R.ABSENT, R.PRESENT, R.PRESENT],
    }
    for index, month in enumerate((3, 6, 9, 11)):
        closed(
            m,
            MeetingKind.STANDING,
            at(2025, month),
            {person: statuses[index] for person, statuses in standing.items()},
        )
    # 刘 is absent from Hunan's plenary sessions too: another committee, not counted here.
    from tests.meetings.factories import MeetingFactory as F

    for year in (2024, 2025):
        hunan = F(
            committee=m.world.hunan,
            kind=MeetingKind.PLENARY,
            starts_at=at(year, 2),
            status="closed",
        )
        record(invite(hunan, m.liu), R.ABSENT)
    with django_assert_max_num_queries(3):
        flags = selectors.repeated_absence(m.xiangtan, year=2025, term=m.world.terms["430300"])
    found = {(f.name, f.kind, f.rule, f.count, f.threshold) for f in flags}
    assert found == {
        ("刘敬民", "plenary", "consecutive", 2, 2),
        ("赵一平", "plenary", "consecutive", 3, 2),
        ("王勇峰", "standing", "yearly", 3, 3),
    }
    zhao = next(f for f in flags if f.name == "赵一平")
    assert len(zhao.meetings) == 3 and zhao.meetings[0].startswith("2023-01-10")


def test_the_thresholds_are_the_committees_settings(m):
    MeetingKindPolicy.objects.create(
        committee=m.xiangtan,
        kind=MeetingKind.PLENARY,
        approver_role="chair",
        consecutive_absence_threshold=3,
    )
    for year in (2024, 2025):
        closed(m, MeetingKind.PLENARY, at(year, 1), {m.liu: R.ABSENT})
    assert selectors.repeated_absence(m.xiangtan, year=2025, term=None) == []


def test_no_show_counts_as_absence_without_leave(m):
    MeetingKindPolicy.objects.create(
        committee=m.xiangtan,
        kind=MeetingKind.INSPECTION,
        approver_role="office",
        yearly_absence_threshold=2,
    )
    for month in (4, 5):
        closed(
            m, MeetingKind.INSPECTION, at(2025, month), {m.liu: R.NO_SHOW}, participation="sign_up"
        )
    flags = selectors.repeated_absence(m.xiangtan, year=2025, term=None)
    assert [(f.name, f.rule, f.count) for f in flags] == [("刘敬民", "yearly", 2)]


def test_the_scoring_read_is_one_query_with_everything_a_rule_needs(
    year_2025, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = list(selectors.attendance_for_scoring(committee=year_2025.xiangtan, year=2025))
    assert len(rows) == 6
    assert set(rows[0]) == {
        "id",
        "person_id",
        "meeting_id",
        "meeting__kind",
        "meeting__participation",
        "meeting__starts_at",
        "status",
        "left_early",
        "invitation__role",
        "sector_id",
    }


def test_the_provisional_sheet_shows_what_closing_would_record(m):
    meeting = MeetingFactory(committee=m.xiangtan, status="in_progress", starts_at=at(2025, 3))
    invite(meeting, m.liu, checked_in_at=at(2025, 3), checkin_method="qr")
    invite(meeting, m.wang)
    rows = selectors.attendance_sheet(meeting)
    assert [(r.name, r.status) for r in rows] == [("王勇峰", R.ABSENT), ("刘敬民", R.PRESENT)]
    assert [r.number for r in rows] == [1, 2]
