"""A change to a record of another app rescores the members it concerns, in the background,
while the year is open; a frozen year stays as published."""

import pytest

from lianluo.assessment import services, watch
from lianluo.assessment.models import MemberResult
from lianluo.core import audit
from tests.assessment import records as r

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (r.installed("meetings") and r.installed("proposals") and r.installed("liaison")),
        reason="needs the meetings, proposals and liaison apps",
    ),
]


def total(assessment, person):
    return MemberResult.objects.get(assessment=assessment, person=person).total


def accept_proposal_b(xt):
    """What the proposals workflow does when it accepts: the state, and its audit event."""
    xt.proposal_b.status = "accepted"
    xt.proposal_b.save(update_fields=["status"])
    audit.record(actor=xt.office, action="update", verb="accept", obj=xt.proposal_b)


def test_accepting_a_proposal_rescores_its_authors_and_no_one_else(
    xt, django_capture_on_commit_callbacks
):
    services.assessment_recompute(assessment=xt.assessment)
    wang, liu = xt.world.xiangtan_only, xt.world.both
    before = {p.pk: total(xt.assessment, p) for p in (wang, liu)}
    assert watch.members_concerned("proposals", "proposal", str(xt.proposal_b.pk)) == {
        (xt.world.xiangtan.pk, 2024): {wang.pk, xt.proposal_b.author_id}
    }

    with django_capture_on_commit_callbacks(execute=True) as queued:
        accept_proposal_b(xt)

    assert len(queued) == 1  # one callback enqueues one task per author
    assert total(xt.assessment, wang) > before[wang.pk]
    assert total(xt.assessment, liu) == before[liu.pk]
    incremental = dict(MemberResult.objects.values_list("person_id", "total"))
    services.assessment_recompute(assessment=xt.assessment)
    assert dict(MemberResult.objects.values_list("person_id", "total")) == incremental


def test_a_frozen_year_is_not_rescored(xt, django_capture_on_commit_callbacks):
    services.assessment_recompute(assessment=xt.assessment)
    services.assessment_freeze(assessment=xt.assessment, by=xt.office)
    wang = xt.world.xiangtan_only
    before = total(xt.assessment, wang)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        accept_proposal_b(xt)
    assert queued == [] and total(xt.assessment, wang) == before


def test_records_no_rule_can_score_are_not_watched(xt):
    assert watch.members_concerned("directory", "committee", str(xt.world.xiangtan.pk)) == {}
