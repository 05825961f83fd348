"""Recomputation (batch and incremental), freezing, rulebook saving, adjustments, objections,
warnings and nominations, against the real database and the other apps' real rows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lianluo.assessment import services, tasks
from lianluo.assessment.models import (
    Adjustment,
    Assessment,
    MemberResult,
    MemberWarning,
    Objection,
    RulebookVersion,
    ScoreLine,
)
from lianluo.assessment.services import AssessmentFrozen
from lianluo.core.models import AuditEvent, Notification
from lianluo.core.workflow import InvalidTransition
from tests.assessment import records as r
from tests.assessment.records import points

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (r.installed("meetings") and r.installed("proposals") and r.installed("liaison")),
        reason="needs the meetings, proposals and liaison apps",
    ),
]


def totals(assessment):
    return dict(
        MemberResult.objects.filter(assessment=assessment)
        .values_list("person__name", "total")
        .order_by("person__name")
    )


def test_batch_recompute_scores_every_member_from_their_records(xt):
    """The fixture's hand-computed totals: 刘敬民 72 (合格), 王勇峰 25, 马继龙 40 (不合格)."""
    summary = services.assessment_recompute(assessment=xt.assessment, by=xt.office)
    assert summary.members == 3
    assert totals(xt.assessment) == {
        "刘敬民": points(72),
        "王勇峰": points(25),
        "马继龙": points(40),
    }
    liu = MemberResult.objects.get(assessment=xt.assessment, person=xt.world.both)
    assert (liu.grade_label, liu.parts) == ("合格", {"attendance": "40.00", "performance": "32.00"})
    assert (liu.next_grade_label, liu.to_next_grade) == ("优秀", points(18))
    lines = list(ScoreLine.objects.filter(assessment=xt.assessment, person=xt.world.both))
    assert [(ln.rule_id, ln.kind, ln.record_id, ln.points) for ln in lines] == [
        ("proposal", "proposal", str(xt.proposal_a.pk), points(10)),
        ("proposal_accepted", "proposal", str(xt.proposal_a.pk), points(10)),
        ("opinion", "opinion_report", str(xt.report.pk), points(5)),
        ("opinion_adopted", "adoption", str(xt.adoption.pk), points(5)),
        ("activity", "liaison_activity", str(xt.visit.pk), points(2)),
    ]
    assert all(line.record_label for line in lines)
    assert lines[-1].record_url.endswith(f"/activities/{xt.visit.pk}/")
    wang = [
        (ln.rule_id, ln.points)
        for ln in ScoreLine.objects.filter(assessment=xt.assessment, person=xt.world.xiangtan_only)
    ]
    assert wang == [("plenary_absent", points(-20)), ("proposal", points(5))]
    event = AuditEvent.objects.filter(verb="recomputed").get()
    assert event.actor == xt.office


def test_batch_recompute_reads_one_query_per_kind(xt, django_assert_max_num_queries):
    """Records: 1 seat query + 1 per provider (attendance, proposal, opinion report, two adoption
    sources, liaison, adjustments); writes in bulk. Bounded whatever the number of members."""
    with django_assert_max_num_queries(30):
        services.assessment_recompute(assessment=xt.assessment)


def test_one_member_incrementally_equals_the_batch(xt):
    """Change one record; rescoring only that member gives what a full batch gives."""
    services.assessment_recompute(assessment=xt.assessment)
    record = xt.att["wang"]
    record.status = "present"
    record.save()
    tasks.recompute_member.enqueue(xt.assessment.pk, xt.world.xiangtan_only.pk)
    incremental = totals(xt.assessment)
    incremental_lines = list(
        ScoreLine.objects.filter(assessment=xt.assessment)
        .order_by("person_id", "seq")
        .values_list("person_id", "rule_id", "record_id", "points")
    )
    assert incremental["王勇峰"] == points(45)
    services.assessment_recompute(assessment=xt.assessment)
    assert totals(xt.assessment) == incremental
    assert (
        list(
            ScoreLine.objects.filter(assessment=xt.assessment)
            .order_by("person_id", "seq")
            .values_list("person_id", "rule_id", "record_id", "points")
        )
        == incremental_lines
    )


def test_rows_written_by_copy_equal_rows_written_one_by_one(xt, monkeypatch):
    """On PostgreSQL a big write goes through COPY, a small one through INSERT: both store the
    same lines and results (with every type: dates, decimals, JSON, NULLs)."""

    def stored():
        lines = ScoreLine.objects.filter(assessment=xt.assessment).order_by("person_id", "seq")
        results = MemberResult.objects.filter(assessment=xt.assessment).order_by("person_id")
        return (
            list(lines.values_list(*services.LINE_COLUMNS)),
            list(results.values_list(*services.RESULT_COLUMNS[:-1])),  # not computed_at
        )

    services.assessment_recompute(assessment=xt.assessment)
    one_by_one = stored()
    assert one_by_one[0] and one_by_one[1]
    ScoreLine.objects.filter(assessment=xt.assessment).delete()
    MemberResult.objects.filter(assessment=xt.assessment).delete()
    monkeypatch.setattr(services, "COPY_FROM_ROWS", 0)
    services.assessment_recompute(assessment=xt.assessment)
    assert stored() == one_by_one


def test_a_frozen_year_is_never_changed_until_it_is_reopened_with_a_reason(xt):
    services.assessment_recompute(assessment=xt.assessment)
    services.assessment_freeze(assessment=xt.assessment, by=xt.office)
    before = totals(xt.assessment)
    xt.att["wang"].status = "present"
    xt.att["wang"].save()
    with pytest.raises(AssessmentFrozen):
        services.assessment_recompute(assessment=xt.assessment)
    assert tasks.recompute_member.enqueue(xt.assessment.pk, xt.world.xiangtan_only.pk)
    assert totals(xt.assessment) == before
    with pytest.raises(InvalidTransition):
        services.assessment_reopen(assessment=xt.assessment, by=xt.office, reason=" ")
    services.assessment_reopen(assessment=xt.assessment, by=xt.office, reason="考勤更正")
    services.assessment_recompute(assessment=xt.assessment)
    assert totals(xt.assessment)["王勇峰"] == points(45)
    verbs = list(
        AuditEvent.objects.filter(object_id=str(xt.assessment.pk), verb__in=["frozen", "reopened"])
        .order_by("id")
        .values_list("verb", "reason")
    )
    assert verbs == [("frozen", ""), ("reopened", "考勤更正")]


def test_an_invalid_rulebook_is_refused_and_nothing_is_saved(xt):
    text = r.SMALL_RULEBOOK.replace("status: excused}, points: -5}", "status: gone}, points: -5}")
    with pytest.raises(ValidationError) as refused:
        services.rulebook_save(committee=xt.world.xiangtan, year=2024, text=text, by=xt.office)
    assert "12" in refused.value.messages[0] and "gone" in refused.value.messages[0]
    wrong_year = r.SMALL_RULEBOOK.replace("year: 2024", "year: 2023")
    with pytest.raises(ValidationError) as refused:
        services.rulebook_save(
            committee=xt.world.xiangtan, year=2024, text=wrong_year, by=xt.office
        )
    assert "3" in refused.value.messages[0]
    assert RulebookVersion.objects.filter(rulebook__committee=xt.world.xiangtan).count() == 1


def test_saving_a_rulebook_adds_a_version_and_keeps_one_active(xt):
    text = r.SMALL_RULEBOOK.replace("points: -20", "points: -15")
    version = services.rulebook_save(
        committee=xt.world.xiangtan, year=2024, text=text, by=xt.office, note="缺席扣15分"
    )
    assert version.number == 2
    assert list(
        RulebookVersion.objects.filter(rulebook__committee=xt.world.xiangtan)
        .order_by("number")
        .values_list("number", "is_active")
    ) == [(1, False), (2, True)]


# Objection workflow, written again by hand: (state, action, role) → the state after, or None.
OBJECTION_TABLE = [
    ("submitted", "accept", "office", "accepted"),
    ("submitted", "accept", "member", None),
    ("submitted", "reject", "office", "rejected"),
    ("submitted", "reject", "member", None),
    ("submitted", "withdraw", "member", "withdrawn"),
    ("submitted", "withdraw", "office", None),
    ("accepted", "reject", "office", None),
    ("accepted", "withdraw", "member", None),
    ("rejected", "accept", "office", None),
    ("withdrawn", "accept", "office", None),
    ("rejected", "withdraw", "member", None),
]


@pytest.mark.parametrize(("state", "action", "role", "after"), OBJECTION_TABLE)
def test_objection_transitions(xt, state, action, role, after):
    services.assessment_recompute(assessment=xt.assessment)
    line = ScoreLine.objects.filter(assessment=xt.assessment, person=xt.world.both).first()
    objection = services.objection_submit(
        assessment=xt.assessment,
        person=xt.world.both,
        by=xt.world.users.member,
        text="这条记录有误",
        line=line,
    )
    Objection.objects.filter(pk=objection.pk).update(status=state, decision_reason="理由")
    user = xt.office if role == "office" else xt.world.users.member
    if after is None:
        with pytest.raises(InvalidTransition):
            services.objection_transition(
                objection=objection, action=action, by=user, reason="理由"
            )
        assert Objection.objects.get(pk=objection.pk).status == state
    else:
        done = services.objection_transition(
            objection=objection, action=action, by=user, reason="理由"
        )
        assert done.status == after


def test_accepting_an_objection_adds_an_adjustment_rescores_and_tells_the_member(xt):
    """王勇峰 reports a missing activity; the office accepts with +2 in 考绩: 25 → 27."""
    services.assessment_recompute(assessment=xt.assessment)
    member_user = xt.world.users.member
    # 王勇峰 has no log-in in `world`: give him one.
    from tests.factories import UserFactory

    wang_user = UserFactory.create(username="wang")
    xt.world.xiangtan_only.user = wang_user
    xt.world.xiangtan_only.save()
    objection = services.objection_submit(
        assessment=xt.assessment,
        person=xt.world.xiangtan_only,
        by=wang_user,
        text="6月参加的视察活动没有记录",
    )
    assert objection.kind == "missing"
    assert Notification.objects.filter(recipient=xt.office, kind="assessment.objection").exists()
    with pytest.raises(InvalidTransition):  # another member may not object for him
        services.objection_submit(
            assessment=xt.assessment, person=xt.world.xiangtan_only, by=member_user, text="x"
        )
    services.objection_transition(
        objection=objection,
        action="accept",
        by=xt.office,
        reason="补录视察活动",
        points=points(2),
        part="performance",
    )
    assert totals(xt.assessment)["王勇峰"] == points(27)
    adjustment = Adjustment.objects.get()
    assert (adjustment.approved_by, adjustment.reason) == (xt.office, "补录视察活动")
    line = ScoreLine.objects.get(assessment=xt.assessment, kind="adjustment")
    assert (line.points, line.record_url) == (points(2), f"/assessment/objections/{objection.pk}/")
    note = Notification.objects.get(recipient=wang_user)
    assert "27" in note.body


def test_rejection_needs_a_reason_and_objections_close_with_the_window(xt):
    services.assessment_recompute(assessment=xt.assessment)
    objection = services.objection_submit(
        assessment=xt.assessment, person=xt.world.both, by=xt.world.users.member, text="少算了"
    )
    with pytest.raises(InvalidTransition):
        services.objection_transition(objection=objection, action="reject", by=xt.office)
    services.assessment_set_window(
        assessment=xt.assessment, by=xt.office, objections_until=datetime.date(2000, 1, 1)
    )
    xt.assessment.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.objection_submit(
            assessment=xt.assessment, person=xt.world.both, by=xt.world.users.member, text="再议"
        )


def test_two_plenary_absences_in_a_row_raise_a_warning_with_follow_up(xt):
    """王勇峰 misses a second plenary: the rulebook's warning opens; a reminder talk is recorded;
    when the absence is corrected the warning lapses but keeps its steps."""
    second = r.meeting(
        xt.world.xiangtan, xt.world.terms["430300"], kind="plenary", day="2024-09-01"
    )
    absence = r.attendance(second, xt.seats["wang"], "absent")
    services.assessment_recompute(assessment=xt.assessment)
    warning = MemberWarning.objects.get()
    assert (warning.person, warning.rule_id, warning.action) == (
        xt.world.xiangtan_only,
        "absent_twice",
        "reminder_talk",
    )
    assert warning.record_ids == [str(xt.att["wang"].pk), str(absence.pk)]
    services.warning_step_add(
        warning=warning,
        kind="reminder_talk",
        happened_on=datetime.date(2024, 9, 10),
        note="主席会议成员谈话",
        by=xt.office,
    )
    warning.refresh_from_db()
    assert warning.status == "followed_up"
    absence.status = "excused"
    absence.save()
    services.assessment_recompute(assessment=xt.assessment)
    warning.refresh_from_db()
    assert (warning.status, warning.steps.count()) == ("lapsed", 1)


def test_nominations_are_refused_over_the_quotas(xt):
    services.assessment_recompute(assessment=xt.assessment)
    services.quota_set(assessment=xt.assessment, sector=None, quota=2, by=xt.office)
    sector = xt.world.sector[("430300", "经济界")]
    services.quota_set(assessment=xt.assessment, sector=sector, quota=1, by=xt.office)
    services.nomination_create(
        assessment=xt.assessment, person=xt.world.xiangtan_only, reason="履职积极", by=xt.office
    )
    with pytest.raises(ValidationError) as refused:  # 马继龙 is in 经济界 too
        services.nomination_create(
            assessment=xt.assessment, person=xt.world.convener, reason="履职积极", by=xt.office
        )
    assert refused.value.code == "over_quota"
    services.nomination_create(
        assessment=xt.assessment, person=xt.world.both, reason="提案质量高", by=xt.office
    )
    services.quota_set(assessment=xt.assessment, sector=None, quota=2, by=xt.office)
    with pytest.raises(ValidationError):
        services.nomination_create(
            assessment=xt.assessment, person=xt.world.convener, reason="x", by=xt.office
        )


def test_members_who_left_during_the_year_are_pro_rated_by_the_rulebook(xt):
    """With `prorate: {by: months, scale: [base, caps]}`, 王勇峰 leaving on 2024-06-30 (6 of 12
    months): 考勤 base and cap 40 × 0.5 = 20; −20 for the absence → 0 (floor 0); 考绩 5."""
    text = r.SMALL_RULEBOOK + "prorate: {by: months, scale: [base, caps]}\n"
    services.rulebook_save(committee=xt.world.xiangtan, year=2024, text=text, by=xt.office)
    seat = xt.seats["wang"]
    seat.end_date = datetime.date(2024, 6, 30)
    seat.status = "resigned"
    seat.save()
    services.assessment_recompute(assessment=xt.assessment)
    wang = MemberResult.objects.get(assessment=xt.assessment, person=xt.world.xiangtan_only)
    assert (wang.share, wang.parts, wang.total) == (
        points("0.50"),
        {"attendance": "0.00", "performance": "5.00"},
        points(5),
    )


def test_same_result_when_recomputed_twice(xt):
    services.assessment_recompute(assessment=xt.assessment)
    first = list(
        ScoreLine.objects.filter(assessment=xt.assessment).values_list(
            "person_id", "seq", "rule_id", "record_id", "points", "note"
        )
    )
    services.assessment_recompute(assessment=xt.assessment)
    assert first == list(
        ScoreLine.objects.filter(assessment=xt.assessment).values_list(
            "person_id", "seq", "rule_id", "record_id", "points", "note"
        )
    )
    assert Assessment.objects.get(pk=xt.assessment.pk).rulebook_version == xt.version


def test_changed_records_queue_a_recompute_of_their_members_only_while_open(
    xt, django_capture_on_commit_callbacks
):
    """The hook the other apps call when a member's record changes: the member is rescored in
    the background (immediately in tests); nothing is queued for a frozen year or another year."""
    services.assessment_recompute(assessment=xt.assessment)
    xt.att["wang"].status = "present"
    xt.att["wang"].save()
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.records_changed(
            committee_id=xt.world.xiangtan.pk,
            person_ids=[xt.world.xiangtan_only.pk],
            on=datetime.date(2024, 1, 10),
        )
    assert queued == 1
    assert totals(xt.assessment)["王勇峰"] == points(45)
    assert (
        services.records_changed(
            committee_id=xt.world.xiangtan.pk, person_ids=[1], on=datetime.date(2023, 5, 1)
        )
        == 0
    )
    services.assessment_freeze(assessment=xt.assessment, by=xt.office)
    assert (
        services.records_changed(
            committee_id=xt.world.xiangtan.pk, person_ids=[1], on=datetime.date(2024, 5, 1)
        )
        == 0
    )


def test_the_recompute_command(xt):
    """`manage.py assessment_recompute 430300 2024` rescores the year; a frozen year is refused."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("assessment_recompute", "430300", "2024", stdout=out)
    assert "3" in out.getvalue()
    assert MemberResult.objects.filter(assessment=xt.assessment).count() == 3
    services.assessment_freeze(assessment=xt.assessment, by=xt.office)
    with pytest.raises(CommandError):
        call_command("assessment_recompute", "430300", "2024", stdout=out)
