"""Factories and small builders for liaison tests, on top of tests/factories.py and `world`."""

import datetime
import io
from typing import Any

import factory
from django.utils import timezone
from PIL import Image

from lianluo.directory.models import Membership
from lianluo.liaison.models import (
    ActivityGroup,
    ActivityParticipant,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonPlan,
    PlanTask,
    ReceptionDay,
    ReceptionDuty,
    Studio,
    StudioMember,
)
from tests.factories import CommitteeFactory


class ConstituentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConstituentGroup

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"联系群体{n}")
    kind = ConstituentGroup.Kind.ASSOCIATION
    area_name = "雨湖区"
    area_code = "430302"


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委员工作室{n}")
    host_organization = "雨湖区政协联络组"
    address = "湘潭市雨湖区建设路1号"
    area_name = "雨湖区"
    area_code = "430302"
    phone = "0731-58221234"
    status = Studio.Status.PUBLISHED


def seat(person, committee) -> Membership:
    """The person's seat in a committee."""
    return Membership.objects.get(person=person, committee=committee, organization__isnull=True)


def assign(group, membership, **kwargs) -> LiaisonAssignment:
    return LiaisonAssignment.objects.create(
        committee=group.committee,
        group=group,
        membership=membership,
        start_date=kwargs.pop("start_date", datetime.date(2024, 1, 1)),
        **kwargs,
    )


def record(committee, *, members=(), groups=(), date=None, kind="visit", **fields):
    """An activity written directly (the service is tested on its own)."""
    activity = LiaisonActivity.objects.create(
        committee=committee,
        kind=kind,
        date=date or timezone.localdate(),
        summary=fields.pop("summary", "走访座谈"),
        **fields,
    )
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(activity=activity, membership=m) for m in members
    )
    ActivityGroup.objects.bulk_create(ActivityGroup(activity=activity, group=g) for g in groups)
    return activity


def reception_day(studio, *, date, members=(), status=ReceptionDay.Status.PUBLISHED, **fields):
    day = ReceptionDay.objects.create(
        committee=studio.committee,
        studio=studio,
        date=date,
        start_time=fields.pop("start_time", datetime.time(9, 0)),
        end_time=fields.pop("end_time", datetime.time(11, 30)),
        status=status,
        **fields,
    )
    for membership in members:
        StudioMember.objects.get_or_create(studio=studio, membership=membership)
        ReceptionDuty.objects.create(reception_day=day, membership=membership)
    return day


def plan(committee, *, year, tasks=(), published=True) -> LiaisonPlan:
    result = LiaisonPlan.objects.create(
        committee=committee, year=year, title=f"{year}年联系计划", published=published
    )
    for task in tasks:
        PlanTask.objects.create(plan=result, committee=committee, **task)
    return result


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


# URL name → whose pk fills its <pk> (see shenzhen_liaison_records).
PK_OF = {
    "group": "group", "group_edit": "group", "group_reveal": "group", "group_assign": "group",
    "assignment_end": "assignment",
    "activity": "activity", "activity_attachments": "activity", "attachment": "attachment",
    "studio": "studio", "studio_edit": "studio", "studio_transition": "studio",
    "studio_member_add": "studio", "studio_calendar": "studio", "studio_day_new": "studio",
    "studio_days_generate": "studio", "studiomember_remove": "studiomember",
    "receptionday": "receptionday", "receptionday_transition": "receptionday",
    "contact": "contact", "contact_reveal": "contact",
    "plan": "plan", "plan_tasks": "plan", "plan_publish": "plan", "plantask_delete": "plantask",
    "public_studio": "studio", "public_studio_ics": "studio",
}  # fmt: skip


def shenzhen_liaison_records(world) -> dict[str, str]:
    """One liaison record of each kind in Shenzhen (440300), by kind: {kind: pk}. Made once
    per `world`."""
    cached = getattr(world, "_liaison_records", None)
    if cached is not None:
        return cached
    shenzhen = world.shenzhen
    shenzhen_seat = seat(world.shenzhen_only, shenzhen)
    group: Any = ConstituentGroupFactory(
        committee=shenzhen, name="深圳市某行业协会", area_code="440304"
    )
    assignment = assign(group, shenzhen_seat)
    studio: Any = StudioFactory(committee=shenzhen, name="福田区委员工作室", area_code="440304")
    row = StudioMember.objects.create(studio=studio, membership=shenzhen_seat)
    day = reception_day(studio, date=timezone.localdate(), members=[shenzhen_seat])
    activity = record(shenzhen, members=[shenzhen_seat], groups=[group])
    from lianluo.liaison.models import ConstituentContact, LiaisonAttachment

    attachment = LiaisonAttachment.objects.create(
        committee=shenzhen,
        activity=activity,
        kind="image",
        file="liaison/2025/01/missing.png",
        original_name="a.png",
        content_type="image/png",
        size=10,
        created_at=activity.created_at,
    )
    contact = ConstituentContact.objects.create(
        committee=shenzhen,
        name="赵群众",
        phone="13912345678",
        membership=shenzhen_seat,
        consent_given=True,
        consent_date=timezone.localdate(),
        consent_method="verbal",
    )
    liaison_plan = plan(
        shenzhen, year=timezone.localdate().year, tasks=[{"metric": "contacts", "target": 4}]
    )
    world._liaison_records = {
        "studiomember": str(row.pk),
        "plantask": str(liaison_plan.tasks.get().pk),
        "assignment": str(assignment.pk),
        "attachment": str(attachment.pk),
        "activity": str(activity.pk),
        "receptionday": str(day.pk),
        "studio": str(studio.pk),
        "group": str(group.pk),
        "contact": str(contact.pk),
        "plan": str(liaison_plan.pk),
    }
    return world._liaison_records


def shenzhen_url_values(world):
    """Values for the URL walk (tests/test_url_permissions.py) pointing at Shenzhen's liaison
    records: every kwarg of the liaison URLs and API routes."""
    pks = shenzhen_liaison_records(world)
    return {
        "code": "440300",
        "token": "not-a-real-calendar-token-0000000000000000",
        "pk_by_name": {f"liaison:{name}": pks[kind] for name, kind in PK_OF.items()},
        "api": {
            "liaison-activity": pks["activity"],
            "liaison-assignment": pks["assignment"],
            "liaison-studio": pks["studio"],
        },
        # Pages of one's own; the activity list's POST creates (a 400 without a body).
        "own": {"liaison:index", "liaison:my", "liaison:my_calendar", "api:liaison-activity-list"},
        # Public: published studios, whoever asks.
        "public": {
            "liaison:public_studios",
            "liaison:public_studio",
            "liaison:public_studio_ics",
            "api:liaison-studio-list",
            "api:liaison-studio-detail",
        },
    }
