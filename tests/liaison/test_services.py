"""Liaison services: who may, what is refused (with its field and message, nothing saved), what
is recorded on the timeline and who is told."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianluo.core.models import AuditEvent, Notification, PersonalDataAccess
from lianluo.directory.models import FocusArea, Membership
from lianluo.directory.services import focus_areas_ensure_defaults
from lianluo.liaison import services
from lianluo.liaison.models import (
    ActivityParticipant,
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    LiaisonPlan,
    MemberCalendar,
    ReceptionDay,
    Studio,
    StudioMember,
)
from lianluo.liaison.uploads import MAX_BYTES
from tests.liaison.factories import ConstituentGroupFactory, StudioFactory, png_bytes, seat

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def photo(name="visit.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def docx(name="minutes.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def record(world, by, **overrides):
    """Record a visit to Xiangtan through the service, with valid values unless overridden."""
    values = {
        "committee": world.xiangtan,
        "by": by,
        "kind": "visit",
        "date": TODAY,
        "summary": "走访雨湖区餐饮协会，了解用工情况",
        "participants": [seat(world.both, world.xiangtan)],
    }
    values.update(overrides)
    return services.activity_create(**values)


# --- Activities -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"date": None}, "date", "required"),
        ({"date": TODAY + datetime.timedelta(days=1)}, "date", "future"),
        ({"summary": "  "}, "summary", "what was discussed"),
        ({"kind": "party"}, "kind", "kind"),
        ({"headcount": -1}, "headcount", "negative"),
    ],
)
def test_an_activity_with_bad_fields_is_refused_and_nothing_is_saved(
    world, settings, overrides, field, words
):
    """Missing date, a date in the future, no summary, an unknown kind, a negative head-count:
    each is refused on its field with a clear message; no row and no file is written."""
    with pytest.raises(ValidationError) as refused:
        record(world, world.users.xiangtan_office, files=[photo()], **overrides)
    messages = refused.value.message_dict[field]
    assert any(words in message for message in messages), messages
    assert LiaisonActivity.objects.count() == 0
    assert LiaisonAttachment.objects.count() == 0
    assert files_under(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 100), "cannot be attached"),
        (SimpleUploadedFile("fake.png", b"<?php echo 1; ?>"), "cannot be attached"),
        (SimpleUploadedFile("report.pdf", b"not a pdf at all"), "cannot be attached"),
        (SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04garbage"), "cannot be attached"),
        (SimpleUploadedFile("photo.gif", b"GIF89a" + b"\x00" * 20), "cannot be attached"),
        (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_BYTES), "larger than 10 MB"),
    ],
)
def test_an_attachment_of_a_refused_type_or_size_refuses_the_whole_activity(
    world, settings, upload, words
):
    """A file whose type is not accepted (or whose content lies about it), or over 10 MB,
    refuses the activity on the attachments field; nothing is saved, no file stays on disk."""
    with pytest.raises(ValidationError) as refused:
        record(world, world.users.xiangtan_office, files=[photo(), upload])
    messages = refused.value.message_dict["attachments"]
    assert any(words in message for message in messages), messages
    assert upload.name in " ".join(messages)
    assert LiaisonActivity.objects.count() == 0
    assert LiaisonAttachment.objects.count() == 0
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_more_than_ten_attachments_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        record(world, world.users.xiangtan_office, files=[photo(f"{i}.png") for i in range(11)])
    assert "At most 10" in refused.value.message_dict["attachments"][0]
    assert LiaisonActivity.objects.count() == 0


def test_a_failure_while_saving_removes_the_files_already_written(world, settings, monkeypatch):
    """If saving breaks after a file was written, the transaction rolls back and the file goes."""

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        record(world, world.users.xiangtan_office, files=[photo()])
    assert LiaisonActivity.objects.count() == 0
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_an_activity_with_a_photo_and_a_document_is_saved_with_its_files(world, settings):
    """Files are stored under MEDIA_ROOT/liaison/YYYY/MM/ with random names; the types found by
    sniffing are recorded; the timeline has one create event."""
    activity = record(
        world, world.users.xiangtan_office, files=[photo("走访.png"), docx()], headcount=12
    )
    kinds = dict(activity.attachments.values_list("original_name", "kind"))
    assert kinds == {"走访.png": "image", "minutes.docx": "document"}
    for attachment in activity.attachments.all():
        assert attachment.file.name.startswith(f"liaison/{TODAY:%Y}/{TODAY:%m}/")
        assert "走访" not in attachment.file.name
        assert (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()
    png = activity.attachments.get(kind="image")
    assert png.content_type == "image/png"
    event = AuditEvent.objects.get(action="create", object_id=str(activity.pk))
    assert event.changes["attachments"] == [None, ["走访.png", "minutes.docx"]]


def test_a_member_records_for_their_committee_and_is_always_a_participant(world):
    """刘敬民 records a visit in Xiangtan without naming himself: his Xiangtan seat is added,
    and the sector defaults to his seat's (教育界)."""
    activity = record(world, world.users.member, participants=[])
    seats = list(activity.participants.all())
    assert seats == [seat(world.both, world.xiangtan)]
    assert activity.sector == world.sector[("430300", "教育界")]
    assert activity.recorded_by == world.users.member


def test_nobody_records_for_a_committee_where_they_have_no_seat_or_office(world):
    for user in (world.users.unit, world.users.hunan_office, world.users.xiangtan_auditor):
        with pytest.raises(PermissionDenied):
            record(world, user)
    with pytest.raises(PermissionDenied):
        record(world, world.users.member, committee=world.shenzhen, participants=[])
    assert LiaisonActivity.objects.count() == 0


def test_participants_groups_and_focus_area_must_belong_to_the_committee(world):
    shenzhen_group = ConstituentGroupFactory(committee=world.shenzhen)
    focus = focus_areas_ensure_defaults(committee=world.shenzhen)[0]
    with pytest.raises(ValidationError) as refused:
        record(
            world,
            world.users.xiangtan_office,
            participants=[seat(world.both, world.hunan)],
            groups=[shenzhen_group],
            focus_area=focus,
        )
    assert set(refused.value.message_dict) == {"participants", "groups", "focus_area"}


def test_other_participants_are_told_they_were_recorded(world, django_capture_on_commit_callbacks):
    world.xiangtan_only.user = world.users.convener.__class__.objects.create(username="wang")
    world.xiangtan_only.save()
    with django_capture_on_commit_callbacks(execute=True):
        record(
            world,
            world.users.member,
            participants=[seat(world.xiangtan_only, world.xiangtan)],
        )
    assert Notification.objects.filter(recipient__username="wang").count() == 1
    assert not Notification.objects.filter(recipient=world.users.member).exists()


def test_attachments_can_be_added_later_by_the_recorder_within_the_limit(world):
    activity = record(world, world.users.member, participants=[], files=[photo()])
    services.attachments_add(activity=activity, by=world.users.member, files=[docx()])
    assert activity.attachments.count() == 2
    with pytest.raises(PermissionDenied):
        services.attachments_add(activity=activity, by=world.users.convener, files=[photo()])
    with pytest.raises(ValidationError):
        services.attachments_add(
            activity=activity, by=world.users.member, files=[photo(f"{i}.png") for i in range(9)]
        )
    assert activity.attachments.count() == 2


# --- Groups and assignments -------------------------------------------------------------------


def test_a_group_is_created_by_its_office_with_valid_fields_only(world):
    data = {
        "name": "雨湖区餐饮行业协会",
        "kind": "association",
        "sector": world.sector[("430300", "经济界")],
        "area_name": "雨湖区",
        "area_code": "430302",
        "contact_phone": "138 0013 8000",
    }
    group = services.group_create(
        committee=world.xiangtan, by=world.users.xiangtan_office, data=data
    )
    assert group.contact_phone == "13800138000"
    assert group.contact_phone_masked == "138****8000"
    with pytest.raises(ValidationError) as refused:
        services.group_create(
            committee=world.xiangtan,
            by=world.users.xiangtan_office,
            data={
                **data,
                "sector": world.sector[("440300", "经济界")],
                "area_code": "4303",
                "contact_phone": "call me",
            },
        )
    assert set(refused.value.message_dict) == {"name", "sector", "area_code", "contact_phone"}
    with pytest.raises(PermissionDenied):
        services.group_create(committee=world.xiangtan, by=world.users.hunan_office, data=data)
    assert ConstituentGroup.objects.count() == 1


def test_a_member_is_assigned_through_their_seat_in_the_groups_committee(
    world, django_capture_on_commit_callbacks
):
    """A Xiangtan group takes 刘敬民's Xiangtan seat, not his Hunan one; twice is refused; the
    member is told."""
    group = ConstituentGroupFactory(committee=world.xiangtan)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assignment_create(
            group=group, membership=seat(world.both, world.xiangtan), by=world.users.xiangtan_office
        )
    assert assignment.committee == world.xiangtan
    assert Notification.objects.filter(recipient=world.users.member).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            group=group, membership=seat(world.both, world.hunan), by=world.users.xiangtan_office
        )
    assert "no serving seat" in refused.value.message_dict["membership"][0]
    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            group=group, membership=seat(world.both, world.xiangtan), by=world.users.xiangtan_office
        )
    assert "already serves" in refused.value.message_dict["membership"][0]


def test_ending_an_assignment_keeps_it_on_record_and_allows_a_new_one(world):
    group = ConstituentGroupFactory(committee=world.xiangtan)
    membership = seat(world.both, world.xiangtan)
    first = services.assignment_create(
        group=group,
        membership=membership,
        by=world.users.xiangtan_office,
        start_date=datetime.date(2024, 1, 1),
    )
    services.assignment_end(assignment=first, by=world.users.xiangtan_office, reason="工作调整")
    with pytest.raises(ValidationError):
        services.assignment_end(assignment=first, by=world.users.xiangtan_office)
    services.assignment_create(group=group, membership=membership, by=world.users.xiangtan_office)
    assert LiaisonAssignment.objects.filter(group=group).count() == 2
    assert LiaisonAssignment.objects.active().filter(group=group).count() == 1


# --- Studios and reception days ---------------------------------------------------------------


def test_a_studio_needs_an_address_and_coherent_coordinates(world):
    with pytest.raises(ValidationError) as refused:
        services.studio_create(
            committee=world.xiangtan,
            by=world.users.xiangtan_office,
            data={"name": "雨湖区委员工作室", "address": "", "latitude": 27.8},
        )
    assert set(refused.value.message_dict) == {"address", "longitude"}
    studio = services.studio_create(
        committee=world.xiangtan,
        by=world.users.xiangtan_office,
        data={"name": "雨湖区委员工作室", "address": "建设路1号", "phone": "0731-58221234"},
    )
    assert studio.status == Studio.Status.DRAFT


def test_reception_days_take_only_the_studios_members_and_sensible_hours(world):
    studio = StudioFactory(committee=world.xiangtan)
    here = seat(world.both, world.xiangtan)
    StudioMember.objects.create(studio=studio, membership=here)
    with pytest.raises(ValidationError) as refused:
        services.reception_day_create(
            studio=studio,
            by=world.users.xiangtan_office,
            date=TODAY,
            start_time=datetime.time(11),
            end_time=datetime.time(9),
            members=[seat(world.xiangtan_only, world.xiangtan)],
        )
    assert set(refused.value.message_dict) == {"end_time", "members"}
    day = services.reception_day_create(
        studio=studio,
        by=world.users.xiangtan_office,
        date=TODAY,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        members=[here],
    )
    assert list(day.members_on_duty.all()) == [here]
    with pytest.raises(ValidationError) as refused:
        services.reception_day_create(
            studio=studio,
            by=world.users.xiangtan_office,
            date=TODAY,
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        )
    assert "already has" in refused.value.message_dict["date"][0]


def test_changing_a_day_raises_its_revision_and_tells_the_members_on_duty(
    world, django_capture_on_commit_callbacks
):
    studio = StudioFactory(committee=world.xiangtan)
    here = seat(world.both, world.xiangtan)
    StudioMember.objects.create(studio=studio, membership=here)
    day = services.reception_day_create(
        studio=studio,
        by=world.users.xiangtan_office,
        date=TODAY,
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        members=[here],
    )
    ReceptionDay.objects.filter(pk=day.pk).update(status="published")
    with django_capture_on_commit_callbacks(execute=True):
        services.reception_day_update(
            day=day,
            by=world.users.xiangtan_office,
            date=TODAY + datetime.timedelta(days=1),
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            members=[here],
        )
    day.refresh_from_db()
    assert day.sequence == 1
    assert Notification.objects.filter(recipient=world.users.member).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.reception_day_update(
            day=day,
            by=world.users.xiangtan_office,
            date=day.date,
            start_time=datetime.time(9),
            end_time=datetime.time(11),
            members=[],
        )
    assert "at least one member" in refused.value.message_dict["members"][0]


def test_the_generator_plans_the_10th_and_20th_or_every_first_monday(world):
    studio = StudioFactory(committee=world.xiangtan)
    here = seat(world.both, world.xiangtan)
    StudioMember.objects.create(studio=studio, membership=here)
    dates = services.monthly_days(
        first=datetime.date(2025, 1, 1), last=datetime.date(2025, 3, 15), days=[20, 10, 31]
    )
    assert dates == [
        datetime.date(2025, 1, 10),
        datetime.date(2025, 1, 20),
        datetime.date(2025, 1, 31),
        datetime.date(2025, 2, 10),
        datetime.date(2025, 2, 20),
        datetime.date(2025, 3, 10),
    ]
    mondays = services.nth_weekdays(
        first=datetime.date(2025, 1, 1), last=datetime.date(2025, 3, 31), weekday=0, nth=1
    )
    assert mondays == [
        datetime.date(2025, 1, 6),
        datetime.date(2025, 2, 3),
        datetime.date(2025, 3, 3),
    ]
    assert services.nth_weekdays(
        first=datetime.date(2025, 5, 1), last=datetime.date(2025, 5, 31), weekday=4, nth=-1
    ) == [datetime.date(2025, 5, 30)]
    days = services.reception_days_generate(
        studio=studio,
        by=world.users.xiangtan_office,
        dates=dates,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        members=[here],
    )
    assert len(days) == 6
    assert all(d.status == "draft" for d in days)
    again = services.reception_days_generate(
        studio=studio,
        by=world.users.xiangtan_office,
        dates=dates,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
    )
    assert again == []  # the dates are taken


def test_the_calendar_token_is_renewed_only_by_the_member_and_the_old_one_dies(world):
    first = services.calendar_for(person=world.both).token
    renewed = services.calendar_token_regenerate(person=world.both, by=world.users.member)
    assert renewed.token != first
    assert not MemberCalendar.objects.filter(token=first).exists()
    with pytest.raises(PermissionDenied):
        services.calendar_token_regenerate(person=world.both, by=world.users.xiangtan_office)


# --- Contacts ---------------------------------------------------------------------------------


def test_a_contact_needs_consent_and_a_valid_phone(world):
    with pytest.raises(ValidationError) as refused:
        services.contact_create(
            committee=world.xiangtan,
            by=world.users.member,
            data={"name": "赵大妈", "phone": "12345", "consent_given": False},
        )
    assert {"phone", "consent_given", "consent_date", "consent_method"} <= set(
        refused.value.message_dict
    )
    assert ConstituentContact.objects.count() == 0
    contact = services.contact_create(
        committee=world.xiangtan,
        by=world.users.member,
        data={
            "name": "赵大妈",
            "phone": "13912345678",
            "consent_given": True,
            "consent_date": TODAY,
            "consent_method": "verbal",
        },
    )
    assert contact.membership == seat(world.both, world.xiangtan)  # the member's own
    assert contact.phone_masked == "139****5678"
    event = AuditEvent.objects.get(object_id=str(contact.pk), action="create")
    assert "13912345678" not in str(event.changes) and "赵大妈" not in str(event.changes)


def test_showing_a_contacts_phone_is_logged_and_only_for_those_who_see_it(world):
    contact = services.contact_create(
        committee=world.xiangtan,
        by=world.users.member,
        data={
            "name": "赵大妈",
            "phone": "13912345678",
            "consent_given": True,
            "consent_date": TODAY,
            "consent_method": "written",
        },
    )
    assert services.contact_reveal(contact=contact, by=world.users.member) == "13912345678"
    assert services.contact_reveal(contact=contact, by=world.users.xiangtan_office) == "13912345678"
    assert PersonalDataAccess.objects.filter(fields="phone", object_id=str(contact.pk)).count() == 2
    for outsider in (world.users.hunan_office, world.users.xiangtan_auditor, world.users.convener):
        with pytest.raises(PermissionDenied):
            services.contact_reveal(contact=contact, by=outsider)
    assert PersonalDataAccess.objects.count() == 2


# --- Plans ------------------------------------------------------------------------------------


def test_a_plan_is_published_once_and_only_with_tasks(world):
    plan = services.plan_create(
        committee=world.xiangtan, by=world.users.xiangtan_office, year=TODAY.year, title="计划"
    )
    with pytest.raises(ValidationError):
        services.plan_publish(plan=plan, by=world.users.xiangtan_office)
    with pytest.raises(ValidationError) as refused:
        services.plan_task_create(
            plan=plan,
            by=world.users.xiangtan_office,
            data={"applies_to": "sector", "metric": "activities_of_kind", "target": 0},
        )
    assert {"sector", "activity_kind", "target"} <= set(refused.value.message_dict)
    services.plan_task_create(
        plan=plan, by=world.users.xiangtan_office, data={"metric": "contacts", "target": 4}
    )
    services.plan_publish(plan=plan, by=world.users.xiangtan_office)
    assert LiaisonPlan.objects.get().published
    with pytest.raises(ValidationError):
        services.plan_publish(plan=plan, by=world.users.xiangtan_office)
    with pytest.raises(ValidationError):
        services.plan_task_delete(task=plan.tasks.get(), by=world.users.xiangtan_office)
    with pytest.raises(ValidationError):
        services.plan_create(
            committee=world.xiangtan,
            by=world.users.xiangtan_office,
            year=TODAY.year,
            title="又一个",
        )


def test_focus_areas_come_from_the_registry_defaults(world):
    """The activity form's focus areas are the committee's five defaults 五聚焦."""
    focus_areas_ensure_defaults(committee=world.xiangtan)
    assert FocusArea.objects.filter(committee=world.xiangtan).count() == 5
    area = FocusArea.objects.filter(committee=world.xiangtan, slug="rural").get()
    activity = record(world, world.users.member, participants=[], focus_area=area)
    assert activity.focus_area == area
    assert ActivityParticipant.objects.filter(activity=activity).count() == 1
    assert Membership.objects.filter(pk__in=activity.participants.all()).count() == 1


def test_the_sector_served_defaults_to_the_groups_then_the_members(world):
    """Without a sector given: the one sector of the groups reached; without groups, the one
    sector of the participants; else the recording member's own."""
    economy = world.sector[("430300", "经济界")]
    association = ConstituentGroupFactory(committee=world.xiangtan, sector=economy)
    visit = record(world, world.users.member, participants=[], groups=[association])
    assert visit.sector == economy  # 刘敬民 sits in 教育界, the group is 经济界's
    both = record(
        world,
        world.users.member,
        participants=[seat(world.xiangtan_only, world.xiangtan)],  # 经济界 and 教育界
    )
    assert both.sector == world.sector[("430300", "教育界")]  # the recorder's own
