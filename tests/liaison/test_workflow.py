"""The liaison state machines, checked against a transition table written here by hand: every
(state, action, role) is tried on the real service, and only the designed steps succeed."""

import datetime
import itertools

import pytest
from django.utils import timezone

from lianluo.core.models import AuditEvent, Notification
from lianluo.core.workflow import InvalidTransition
from lianluo.liaison import workflow
from lianluo.liaison.models import ReceptionDay, Studio, StudioMember
from tests.factories import UserFactory
from tests.liaison.factories import StudioFactory, reception_day, seat

pytestmark = pytest.mark.django_db

# (state, action) → (next state, roles that may). Written by hand from the design, not read
# from lianluo.liaison.workflow.
STUDIO_TABLE = {
    ("draft", "publish"): ("published", {"office"}),
    ("published", "unpublish"): ("draft", {"office"}),
    ("published", "close"): ("closed", {"office"}),
    ("closed", "reopen"): ("published", {"office"}),
}
DAY_TABLE = {
    ("draft", "publish"): ("published", {"office"}),
    ("draft", "cancel"): ("cancelled", {"office"}),
    ("published", "cancel"): ("cancelled", {"office", "host"}),
    ("cancelled", "reinstate"): ("published", {"office"}),
}
ACTIONS = ("publish", "unpublish", "close", "reopen", "cancel", "reinstate", "delete")
ROLES = (
    "office",
    "host",
    "studio_member",
    "convener",
    "hunan_office",
    "auditor",
    "unit",
    "shenzhen_office",
)


@pytest.fixture
def cast(world):
    """A Xiangtan studio where 刘敬民 is the lead member and 王勇峰 a member; a user per role."""
    studio = StudioFactory(committee=world.xiangtan, status=Studio.Status.DRAFT)
    host_seat = seat(world.both, world.xiangtan)
    member_seat = seat(world.xiangtan_only, world.xiangtan)
    StudioMember.objects.create(studio=studio, membership=host_seat, role="host")
    StudioMember.objects.create(studio=studio, membership=member_seat, role="member")
    world.xiangtan_only.user = UserFactory(username="member_wang")
    world.xiangtan_only.save()
    users = {
        "office": world.users.xiangtan_office,
        "host": world.users.member,
        "studio_member": world.xiangtan_only.user,
        "convener": world.users.convener,
        "hunan_office": world.users.hunan_office,
        "auditor": world.users.xiangtan_auditor,
        "unit": world.users.unit,
        "shenzhen_office": world.users.shenzhen_office,
    }
    return studio, host_seat, member_seat, users


def test_every_studio_step_for_every_role(cast):
    """Only the steps of STUDIO_TABLE succeed, and only for their roles; each success is one
    timeline event with the old and new state; every refusal changes nothing."""
    studio, _host, _member, users = cast
    for state, action, role in itertools.product([s.value for s in Studio.Status], ACTIONS, ROLES):
        Studio.objects.filter(pk=studio.pk).update(status=state)
        studio.refresh_from_db()
        events = AuditEvent.objects.count()
        expected = STUDIO_TABLE.get((state, action))
        allowed = expected is not None and role in expected[1]
        if allowed:
            result = workflow.studio_transition(
                studio=studio, action=action, by=users[role], reason="因场地调整"
            )
            assert result.status == expected[0], (state, action, role)
            event = AuditEvent.objects.latest("id")
            assert event.action == "transition" and event.verb == action
            assert event.changes == {"status": [state, expected[0]]}
            assert AuditEvent.objects.count() == events + 1
        else:
            with pytest.raises(InvalidTransition):
                workflow.studio_transition(
                    studio=studio, action=action, by=users[role], reason="因场地调整"
                )
            studio.refresh_from_db()
            assert studio.status == state, (state, action, role)
            assert AuditEvent.objects.count() == events


def test_every_reception_day_step_for_every_role(cast):
    """Only the steps of DAY_TABLE succeed, and only for their roles."""
    studio, host_seat, member_seat, users = cast
    Studio.objects.filter(pk=studio.pk).update(status="published")
    day = reception_day(
        studio,
        date=timezone.localdate() + datetime.timedelta(days=3),
        members=[host_seat, member_seat],
        status="draft",
    )
    for state, action, role in itertools.product(
        [s.value for s in ReceptionDay.Status], ACTIONS, ROLES
    ):
        ReceptionDay.objects.filter(pk=day.pk).update(status=state)
        day.refresh_from_db()
        expected = DAY_TABLE.get((state, action))
        allowed = expected is not None and role in expected[1]
        if allowed:
            result = workflow.reception_day_transition(
                day=day, action=action, by=users[role], reason="委员临时出差"
            )
            assert result.status == expected[0], (state, action, role)
        else:
            with pytest.raises(InvalidTransition):
                workflow.reception_day_transition(
                    day=day, action=action, by=users[role], reason="委员临时出差"
                )
            day.refresh_from_db()
            assert day.status == state, (state, action, role)


def test_closing_a_studio_and_cancelling_a_published_day_need_a_reason(cast):
    studio, host_seat, _member, users = cast
    Studio.objects.filter(pk=studio.pk).update(status="published")
    with pytest.raises(InvalidTransition) as refused:
        workflow.studio_transition(studio=studio, action="close", by=users["office"])
    assert refused.value.code == "needs_reason"
    day = reception_day(studio, date=timezone.localdate(), members=[host_seat])
    with pytest.raises(InvalidTransition):
        workflow.reception_day_transition(day=day, action="cancel", by=users["host"], reason=" ")


def test_a_day_is_published_only_at_a_published_studio_with_someone_on_duty(cast):
    """Publishing is refused with a message while the studio is a draft, or nobody is on duty."""
    studio, host_seat, _member, users = cast
    day = reception_day(studio, date=timezone.localdate(), members=[host_seat], status="draft")
    with pytest.raises(InvalidTransition) as refused:
        workflow.reception_day_transition(day=day, action="publish", by=users["office"])
    assert refused.value.code == "studio_not_published"
    Studio.objects.filter(pk=studio.pk).update(status="published")
    empty = reception_day(
        studio,
        date=timezone.localdate(),
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 0),
        status="draft",
    )
    with pytest.raises(InvalidTransition) as refused:
        workflow.reception_day_transition(day=empty, action="publish", by=users["office"])
    assert refused.value.code == "nobody_on_duty"


def test_members_on_duty_are_told_when_their_day_is_published_and_when_it_is_cancelled(
    cast, django_capture_on_commit_callbacks
):
    studio, host_seat, _member, users = cast
    Studio.objects.filter(pk=studio.pk).update(status="published")
    day = reception_day(studio, date=timezone.localdate(), members=[host_seat], status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reception_day_transition(day=day, action="publish", by=users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reception_day_transition(
            day=day, action="cancel", by=users["office"], reason="暴雨"
        )
    titles = list(
        Notification.objects.filter(recipient=users["host"]).values_list("title", flat=True)
    )
    assert len(titles) == 2
    day.refresh_from_db()
    assert day.sequence == 2  # calendar clients see the change
