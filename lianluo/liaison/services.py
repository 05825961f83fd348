"""Writes of the liaison app. Each function checks who may, validates, saves and audits in one
transaction; notifications leave after it commits. State changes are in `workflow.py`."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core import audit
from lianluo.core.chinese import is_valid_mobile, normalize_mobile
from lianluo.core.notifications import notify
from lianluo.directory.models import Committee, FocusArea, Membership, Organization, Person
from lianluo.directory.scoping import scope_for
from lianluo.liaison.models import (
    ActivityGroup,
    ActivityParticipant,
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    LiaisonPlan,
    MemberCalendar,
    PlanTask,
    ReceptionDay,
    ReceptionDuty,
    Studio,
    StudioMember,
)
from lianluo.liaison.uploads import CheckedFile, check_attachments

GROUP_FIELDS = (
    "name",
    "kind",
    "sector",
    "area_name",
    "area_code",
    "town",
    "contact_name",
    "contact_phone",
    "note",
    "is_active",
)
STUDIO_FIELDS = (
    "name",
    "host_organization",
    "sector",
    "area_name",
    "area_code",
    "town",
    "address",
    "latitude",
    "longitude",
    "phone",
    "online_url",
    "description",
    "reception_note",
)
ACTIVITY_FIELDS = (
    "kind",
    "date",
    "place",
    "studio",
    "sector",
    "focus_area",
    "headcount",
    "summary",
    "follow_ups",
)
CONTACT_FIELDS = (
    "name",
    "phone",
    "group",
    "membership",
    "studio",
    "consent_given",
    "consent_date",
    "consent_method",
    "notes",
)
_AREA_CODE = re.compile(r"^[0-9]{6}$")
_PHONE = re.compile(r"^[0-9][0-9-]{6,19}$")


# ---------------------------------------------------------------------------------------------
# Shared checks


def _check_office(by: Any, committee_id: int) -> None:
    if not scope_for(by).can_edit_committee(committee_id):
        raise PermissionDenied(_("Only this committee's office may do this."))


def _clean_area(obj: ConstituentGroup | Studio, errors: dict[str, str]) -> None:
    obj.area_name = obj.area_name.strip()
    obj.area_code = obj.area_code.strip()
    if obj.area_code and not _AREA_CODE.match(obj.area_code):
        errors["area_code"] = _("A division code has six digits, e.g. 430302.")


def _clean_sector(
    sector: Organization | None, committee_id: int, errors: dict[str, str], field: str = "sector"
) -> None:
    if sector is not None and (
        sector.committee_id != committee_id
        or sector.classification != Organization.Classification.SECTOR
    ):
        errors[field] = _("Choose one of this committee's sectors.")


def _clean_phone(value: str, field: str, errors: dict[str, str]) -> str:
    value = value.strip()
    if not value:
        return ""
    if is_valid_mobile(value):
        return normalize_mobile(value)
    if not _PHONE.match(value):
        errors[field] = _("Enter a mobile number (11 digits) or a landline such as 0731-5822 1234.")
    return value


def _serving_seat_error(membership: Membership, committee_id: int) -> str | None:
    if (
        membership.committee_id != committee_id
        or membership.organization_id is not None
        or membership.status != Membership.Status.SERVING
    ):
        return _("%(name)s holds no serving seat in this committee.") % {
            "name": membership.person.name
        }
    return None


def serving_seat(person_id: int | None, committee_id: int) -> Membership | None:
    """The person's serving seat in the committee, if any."""
    if person_id is None:
        return None
    return (
        Membership.objects.filter(
            person_id=person_id,
            committee_id=committee_id,
            organization__isnull=True,
            status=Membership.Status.SERVING,
        )
        .select_related("person", "sector")
        .order_by("-term__number")
        .first()
    )


def _users_of(memberships: Iterable[Membership], *, besides: Any = None) -> list[Any]:
    besides_id = getattr(besides, "pk", None)
    return [
        m.person.user
        for m in memberships
        if m.person.user_id is not None and m.person.user_id != besides_id
    ]


# ---------------------------------------------------------------------------------------------
# Constituent groups and assignments


def _clean_group(group: ConstituentGroup) -> None:
    errors: dict[str, str] = {}
    group.name = group.name.strip()
    if not group.name:
        errors["name"] = _("The name is required.")
    elif (
        ConstituentGroup.objects.filter(committee_id=group.committee_id, name=group.name)
        .exclude(pk=group.pk)
        .exists()
    ):
        errors["name"] = _("This committee already has a group of this name.")
    _clean_sector(group.sector, group.committee_id, errors)
    _clean_area(group, errors)
    group.contact_phone = _clean_phone(group.contact_phone, "contact_phone", errors)
    if errors:
        raise ValidationError(errors)


def group_create(*, committee: Committee, by: Any, data: dict[str, Any]) -> ConstituentGroup:
    """Add a constituent group 联系对象 to a committee."""
    _check_office(by, committee.pk)
    with transaction.atomic():
        group = ConstituentGroup(committee=committee, **data)
        _clean_group(group)
        group.save()
        audit.record(
            actor=by,
            action="create",
            obj=group,
            committee_id=committee.pk,
            changes=audit.diff({}, audit.snapshot(group, GROUP_FIELDS, redact=("contact_phone",))),
        )
    return group


def group_update(*, group: ConstituentGroup, by: Any, data: dict[str, Any]) -> ConstituentGroup:
    """Change a constituent group."""
    _check_office(by, group.committee_id)
    with transaction.atomic():
        locked = ConstituentGroup.objects.select_for_update().get(pk=group.pk)
        before = audit.snapshot(locked, GROUP_FIELDS, redact=("contact_phone",))
        for key, value in data.items():
            if key in GROUP_FIELDS:
                setattr(locked, key, value)
        _clean_group(locked)
        locked.save()
        changes = audit.diff(
            before, audit.snapshot(locked, GROUP_FIELDS, redact=("contact_phone",))
        )
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                committee_id=locked.committee_id,
                changes=changes,
            )
    return locked


def group_reveal_contact(*, group: ConstituentGroup, by: Any) -> str:
    """The group's contact phone in full, for its committee's office; the access is logged."""
    _check_office(by, group.committee_id)
    if group.contact_phone:
        audit.log_personal_data_access(
            user=by,
            kind="view",
            model=group,
            object_id=group.pk,
            fields=["contact_phone"],
            purpose="constituent group page",
        )
    return group.contact_phone


def assignment_create(
    *,
    group: ConstituentGroup,
    membership: Membership,
    by: Any,
    role: str = LiaisonAssignment.Role.MEMBER,
    start_date: datetime.date | None = None,
    note: str = "",
) -> LiaisonAssignment:
    """Assign a member (their serving seat in the group's committee) to serve a group."""
    _check_office(by, group.committee_id)
    errors: dict[str, str] = {}
    seat_error = _serving_seat_error(membership, group.committee_id)
    if seat_error:
        errors["membership"] = seat_error
    if role not in LiaisonAssignment.Role.values:
        errors["role"] = _("Choose a role.")
    if not group.is_active:
        errors["group"] = _("This group is no longer active.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if LiaisonAssignment.objects.active().filter(group=group, membership=membership).exists():
            raise ValidationError(
                {
                    "membership": _("%(name)s already serves this group.")
                    % {"name": membership.person.name}
                }
            )
        assignment = LiaisonAssignment.objects.create(
            committee_id=group.committee_id,
            group=group,
            membership=membership,
            role=role,
            start_date=start_date or timezone.localdate(),
            note=note.strip()[:200],
        )
        audit.record(
            actor=by,
            action="create",
            obj=assignment,
            committee_id=group.committee_id,
            changes=audit.diff(
                {},
                audit.snapshot(assignment, ("group", "membership", "role", "start_date", "note")),
            ),
        )
        users = _users_of([membership])
        if users:
            notify(
                recipients=users,
                title=_("You now serve the constituent group %(group)s") % {"group": group.name},
                url=reverse("liaison:my"),
                obj=assignment,
                kind="liaison.assignment",
            )
    return assignment


def assignment_end(
    *,
    assignment: LiaisonAssignment,
    by: Any,
    end_date: datetime.date | None = None,
    reason: str = "",
) -> LiaisonAssignment:
    """End an assignment (it stays on record, with its dates)."""
    _check_office(by, assignment.committee_id)
    with transaction.atomic():
        locked = LiaisonAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.end_date is not None:
            raise ValidationError({"end_date": _("This assignment has already ended.")})
        end = end_date or timezone.localdate()
        if end < locked.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        locked.end_date = end
        locked.save(update_fields=["end_date", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            verb="end",
            obj=locked,
            committee_id=locked.committee_id,
            changes={"end_date": [None, end.isoformat()]},
            reason=reason,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Studios and reception days


def _clean_studio(studio: Studio) -> None:
    errors: dict[str, str] = {}
    studio.name = studio.name.strip()
    if not studio.name:
        errors["name"] = _("The name is required.")
    elif (
        Studio.objects.filter(committee_id=studio.committee_id, name=studio.name)
        .exclude(pk=studio.pk)
        .exists()
    ):
        errors["name"] = _("This committee already has a studio of this name.")
    if not studio.address.strip():
        errors["address"] = _("The address is required: constituents must find the studio.")
    _clean_sector(studio.sector, studio.committee_id, errors)
    _clean_area(studio, errors)
    studio.phone = _clean_phone(studio.phone, "phone", errors)
    if (studio.latitude is None) != (studio.longitude is None):
        errors["longitude"] = _("Give both coordinates, or neither.")
    if studio.latitude is not None and not -90 <= studio.latitude <= 90:
        errors["latitude"] = _("A latitude lies between -90 and 90.")
    if studio.longitude is not None and not -180 <= studio.longitude <= 180:
        errors["longitude"] = _("A longitude lies between -180 and 180.")
    if errors:
        raise ValidationError(errors)


def studio_create(*, committee: Committee, by: Any, data: dict[str, Any]) -> Studio:
    """Open a studio 委员工作室 (as a draft: publish it when it is ready)."""
    _check_office(by, committee.pk)
    with transaction.atomic():
        studio = Studio(committee=committee, **data)
        _clean_studio(studio)
        studio.save()
        audit.record(
            actor=by,
            action="create",
            obj=studio,
            committee_id=committee.pk,
            changes=audit.diff({}, audit.snapshot(studio, STUDIO_FIELDS)),
        )
    return studio


def studio_update(*, studio: Studio, by: Any, data: dict[str, Any]) -> Studio:
    """Change a studio's details."""
    _check_office(by, studio.committee_id)
    with transaction.atomic():
        locked = Studio.objects.select_for_update().get(pk=studio.pk)
        before = audit.snapshot(locked, STUDIO_FIELDS)
        for key, value in data.items():
            if key in STUDIO_FIELDS:
                setattr(locked, key, value)
        _clean_studio(locked)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, STUDIO_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                committee_id=locked.committee_id,
                changes=changes,
            )
    return locked


def studio_member_add(
    *,
    studio: Studio,
    membership: Membership,
    by: Any,
    role: str = StudioMember.Role.MEMBER,
    since: datetime.date | None = None,
) -> StudioMember:
    """Name a member (their serving seat in the studio's committee) to serve at the studio."""
    _check_office(by, studio.committee_id)
    errors: dict[str, str] = {}
    seat_error = _serving_seat_error(membership, studio.committee_id)
    if seat_error:
        errors["membership"] = seat_error
    if role not in StudioMember.Role.values:
        errors["role"] = _("Choose a role.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Studio.objects.select_for_update().get(pk=studio.pk)
        if StudioMember.objects.filter(studio=studio, membership=membership).exists():
            raise ValidationError(
                {
                    "membership": _("%(name)s already serves at this studio.")
                    % {"name": membership.person.name}
                }
            )
        row = StudioMember.objects.create(
            studio=studio, membership=membership, role=role, since=since or timezone.localdate()
        )
        audit.record(
            actor=by,
            action="update",
            verb="member_added",
            obj=studio,
            committee_id=studio.committee_id,
            changes={"members": [None, membership.person.name], "role": [None, role]},
        )
    return row


def studio_member_remove(*, row: StudioMember, by: Any, reason: str = "") -> None:
    """A member stops serving at a studio (their past duty days stay on record)."""
    studio = row.studio
    _check_office(by, studio.committee_id)
    with transaction.atomic():
        Studio.objects.select_for_update().get(pk=studio.pk)
        name = row.membership.person.name
        row.delete()
        audit.record(
            actor=by,
            action="update",
            verb="member_removed",
            obj=studio,
            committee_id=studio.committee_id,
            changes={"members": [name, None]},
            reason=reason,
        )


def _clean_reception_day(
    day: ReceptionDay, members: Sequence[Membership], errors: dict[str, str]
) -> None:
    if day.date is None:
        errors["date"] = _("The date is required.")
    if day.start_time is None:
        errors["start_time"] = _("The starting time is required.")
    if day.end_time is None:
        errors["end_time"] = _("The closing time is required.")
    elif day.start_time is not None and day.end_time <= day.start_time:
        errors["end_time"] = _("The closing time must be after the starting time.")
    serving_here = set(
        StudioMember.objects.filter(studio_id=day.studio_id).values_list("membership_id", flat=True)
    )
    strangers = [m.person.name for m in members if m.pk not in serving_here]
    if strangers:
        errors["members"] = _("Not serving at this studio: %(names)s.") % {
            "names": "、".join(strangers)
        }
    if (
        day.date is not None
        and day.start_time is not None
        and ReceptionDay.objects.filter(
            studio_id=day.studio_id, date=day.date, start_time=day.start_time
        )
        .exclude(pk=day.pk)
        .exists()
    ):
        errors["date"] = _("The studio already has a reception day at this date and time.")


def reception_day_create(
    *,
    studio: Studio,
    by: Any,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    members: Sequence[Membership] = (),
    topic: str = "",
) -> ReceptionDay:
    """Plan a reception day 接待日 (a draft until published) with its members on duty."""
    _check_office(by, studio.committee_id)
    day = ReceptionDay(
        committee_id=studio.committee_id,
        studio=studio,
        date=date,  # type: ignore[misc]
        start_time=start_time,
        end_time=end_time,
        topic=topic.strip()[:100],
    )
    errors: dict[str, str] = {}
    _clean_reception_day(day, members, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        day.save()
        ReceptionDuty.objects.bulk_create(
            ReceptionDuty(reception_day=day, membership=m) for m in members
        )
        audit.record(
            actor=by,
            action="create",
            obj=day,
            committee_id=day.committee_id,
            changes={
                "date": [None, day.date.isoformat()],
                "hours": [None, f"{day.start_time:%H:%M}-{day.end_time:%H:%M}"],
                "members": [None, sorted(m.person.name for m in members)],
            },
        )
    return day


def reception_day_update(
    *,
    day: ReceptionDay,
    by: Any,
    date: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    members: Sequence[Membership],
    topic: str = "",
) -> ReceptionDay:
    """Change a reception day's date, hours or members on duty (a published day too: its
    calendar entries follow, and the members on duty are told)."""
    _check_office(by, day.committee_id)
    with transaction.atomic():
        locked = ReceptionDay.objects.select_for_update().select_related("studio").get(pk=day.pk)
        if locked.status == ReceptionDay.Status.CANCELLED:
            raise ValidationError(
                {"date": _("A cancelled day cannot be changed; reinstate it first.")}
            )
        before_members = list(locked.members_on_duty.select_related("person"))
        before = {
            "date": locked.date.isoformat(),
            "hours": f"{locked.start_time:%H:%M}-{locked.end_time:%H:%M}",
            "topic": locked.topic,
            "members": sorted(m.person.name for m in before_members),
        }
        locked.date = date  # type: ignore[assignment]
        locked.start_time = start_time  # type: ignore[assignment]
        locked.end_time = end_time  # type: ignore[assignment]
        locked.topic = topic.strip()[:100]
        errors: dict[str, str] = {}
        _clean_reception_day(locked, members, errors)
        if locked.status == ReceptionDay.Status.PUBLISHED and not members:
            errors["members"] = _("A published day needs at least one member on duty.")
        if errors:
            raise ValidationError(errors)
        after = {
            "date": locked.date.isoformat(),
            "hours": f"{locked.start_time:%H:%M}-{locked.end_time:%H:%M}",
            "topic": locked.topic,
            "members": sorted(m.person.name for m in members),
        }
        changes = audit.diff(before, after)
        if not changes:
            return locked
        locked.sequence += 1
        locked.save()
        ReceptionDuty.objects.filter(reception_day=locked).exclude(
            membership__in=[m.pk for m in members]
        ).delete()
        known = {m.pk for m in before_members}
        ReceptionDuty.objects.bulk_create(
            ReceptionDuty(reception_day=locked, membership=m) for m in members if m.pk not in known
        )
        audit.record(
            actor=by,
            action="update",
            obj=locked,
            committee_id=locked.committee_id,
            changes=changes,
        )
        if locked.status == ReceptionDay.Status.PUBLISHED:
            affected = {m.pk: m for m in [*before_members, *members]}.values()
            users = _users_of(affected, besides=by)
            if users:
                notify(
                    recipients=users,
                    title=_("Reception day changed: %(studio)s, %(date)s")
                    % {"studio": locked.studio.name, "date": f"{locked.date:%Y-%m-%d}"},
                    url=reverse("liaison:my"),
                    obj=locked,
                    kind="liaison.reception_day.update",
                )
    return locked


def nth_weekdays(
    *, first: datetime.date, last: datetime.date, weekday: int, nth: int
) -> list[datetime.date]:
    """The `nth` (1–4, or -1 for the last) `weekday` (0 = Monday) of each month in a range."""
    dates: list[datetime.date] = []
    month = first.replace(day=1)
    while month <= last:
        following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        days = [
            month + datetime.timedelta(days=i)
            for i in range((following - month).days)
            if (month + datetime.timedelta(days=i)).weekday() == weekday
        ]
        chosen = days[nth - 1] if nth > 0 else days[-1]
        if first <= chosen <= last:
            dates.append(chosen)
        month = following
    return dates


def monthly_days(
    *, first: datetime.date, last: datetime.date, days: Sequence[int]
) -> list[datetime.date]:
    """The given days of each month (e.g. the 10th and 20th) in a range; a day a month lacks
    (the 31st in April) is skipped."""
    dates: list[datetime.date] = []
    month = first.replace(day=1)
    while month <= last:
        for day in sorted(set(days)):
            try:
                chosen = month.replace(day=day)
            except ValueError:
                continue
            if first <= chosen <= last:
                dates.append(chosen)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return dates


def reception_days_generate(
    *,
    studio: Studio,
    by: Any,
    dates: Sequence[datetime.date],
    start_time: datetime.time,
    end_time: datetime.time,
    members: Sequence[Membership] = (),
) -> list[ReceptionDay]:
    """Plan many reception days at once (drafts), skipping dates the studio already has at that
    hour. Dates come from `monthly_days` or `nth_weekdays`."""
    _check_office(by, studio.committee_id)
    if len(dates) > 400:
        raise ValidationError({"last": _("At most 400 days at once.")})
    errors: dict[str, str] = {}
    probe = ReceptionDay(
        committee_id=studio.committee_id, studio=studio, start_time=start_time, end_time=end_time
    )
    probe.date = datetime.date(1900, 1, 1)
    _clean_reception_day(probe, members, errors)
    errors.pop("date", None)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Studio.objects.select_for_update().get(pk=studio.pk)
        taken = set(
            ReceptionDay.objects.filter(
                studio=studio, date__in=list(dates), start_time=start_time
            ).values_list("date", flat=True)
        )
        days = ReceptionDay.objects.bulk_create(
            ReceptionDay(
                committee_id=studio.committee_id,
                studio=studio,
                date=d,
                start_time=start_time,
                end_time=end_time,
            )
            for d in sorted(set(dates))
            if d not in taken
        )
        if not days:
            return []
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; fetch them to be sure.
        days = list(
            ReceptionDay.objects.filter(
                studio=studio, start_time=start_time, date__in=[d.date for d in days]
            ).order_by("date")
        )
        ReceptionDuty.objects.bulk_create(
            ReceptionDuty(reception_day=day, membership=m) for day in days for m in members
        )
        audit.record(
            actor=by,
            action="update",
            verb="reception_days_planned",
            obj=studio,
            committee_id=studio.committee_id,
            changes={"reception_days": [None, [f"{d.date:%Y-%m-%d}" for d in days]]},
        )
    return days


def calendar_for(*, person: Person) -> MemberCalendar:
    """The member's private calendar feed, created on first use."""
    calendar = MemberCalendar.objects.filter(person=person).first()
    if calendar is not None:
        return calendar
    try:
        with transaction.atomic():
            return MemberCalendar.objects.create(
                person=person, token=secrets.token_urlsafe(32), created_at=timezone.now()
            )
    except IntegrityError:
        return MemberCalendar.objects.get(person=person)


def calendar_token_regenerate(*, person: Person, by: Any) -> MemberCalendar:
    """A new secret address for the member's feed; the old one stops working at once."""
    if scope_for(by).person_id != person.pk:
        raise PermissionDenied(_("Only the member may renew their calendar address."))
    with transaction.atomic():
        calendar = calendar_for(person=person)
        locked = MemberCalendar.objects.select_for_update().get(pk=calendar.pk)
        locked.token = secrets.token_urlsafe(32)
        locked.created_at = timezone.now()
        locked.save(update_fields=["token", "created_at"])
        audit.record(actor=by, action="update", verb="token_renewed", obj=locked)
    return locked


# ---------------------------------------------------------------------------------------------
# Liaison activities


def may_record_for(by: Any, committee: Committee) -> bool:
    """Office staff record on members' behalf; a member records for a committee where they hold
    a serving seat."""
    scope = scope_for(by)
    if scope.can_edit_committee(committee.pk):
        return True
    return scope.person_id is not None and committee.pk in scope.member_committee_ids


def activity_create(
    *,
    committee: Committee,
    by: Any,
    kind: str,
    date: datetime.date | None,
    summary: str,
    participants: Sequence[Membership] = (),
    groups: Sequence[ConstituentGroup] = (),
    place: str = "",
    headcount: int = 0,
    focus_area: FocusArea | None = None,
    sector: Organization | None = None,
    studio: Studio | None = None,
    follow_ups: str = "",
    files: Sequence[Any] = (),
) -> LiaisonActivity:
    """Record a liaison activity 联系活动 with its attachments, all or nothing.

    A member recording for themselves is always among the participants; office staff record on
    members' behalf. Nothing is written (no row, no file) unless everything is valid.
    """
    if not may_record_for(by, committee):
        raise PermissionDenied(_("You may not record activities for this committee."))
    scope = scope_for(by)
    errors: dict[str, Any] = {}
    participants = list(participants)
    own_seat = None
    if not scope.can_edit_committee(committee.pk):
        own_seat = serving_seat(scope.person_id, committee.pk)
        if own_seat is None:
            raise PermissionDenied(_("You may not record activities for this committee."))
        if own_seat.pk not in {m.pk for m in participants}:
            participants.insert(0, own_seat)
    if kind not in LiaisonActivity.Kind.values:
        errors["kind"] = _("Choose the kind of activity.")
    today = timezone.localdate()
    if date is None:
        errors["date"] = _("The date is required.")
    elif date > today:
        errors["date"] = _("The date cannot be in the future: record an activity once it happened.")
    elif date < today - datetime.timedelta(days=366 * 2):
        errors["date"] = _("The date is more than two years ago.")
    if not summary.strip():
        errors["summary"] = _("Say in a few words what was discussed.")
    if not participants:
        errors["participants"] = _("Name at least one participating member.")
    for membership in participants:
        seat_error = _serving_seat_error(membership, committee.pk)
        if seat_error:
            errors["participants"] = seat_error
            break
    if any(g.committee_id != committee.pk for g in groups):
        errors["groups"] = _("Choose groups of this committee.")
    if headcount is None or headcount < 0:
        errors["headcount"] = _("The head-count cannot be negative.")
    if focus_area is not None and focus_area.committee_id != committee.pk:
        errors["focus_area"] = _("Choose one of this committee's focus areas.")
    _clean_sector(sector, committee.pk, errors)
    if studio is not None and studio.committee_id != committee.pk:
        errors["studio"] = _("Choose one of this committee's studios.")
    checked: list[CheckedFile] = []
    try:
        checked = check_attachments(list(files))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    sector_id = sector.pk if sector is not None else _default_sector(participants, groups, own_seat)
    activity = LiaisonActivity(
        committee=committee,
        kind=kind,
        date=date,  # type: ignore[misc]
        place=place.strip()[:200],
        studio=studio,
        sector_id=sector_id,
        focus_area=focus_area,
        headcount=headcount,
        summary=summary.strip(),
        follow_ups=follow_ups.strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            activity.save()
            unique_participants = list({m.pk: m for m in participants}.values())
            ActivityParticipant.objects.bulk_create(
                ActivityParticipant(activity=activity, membership=m) for m in unique_participants
            )
            ActivityGroup.objects.bulk_create(
                ActivityGroup(activity=activity, group=g)
                for g in {g.pk: g for g in groups}.values()
            )
            attachments = _save_attachments(activity, checked, by, saved_files)
            audit.record(
                actor=by,
                action="create",
                obj=activity,
                committee_id=committee.pk,
                changes={
                    **audit.diff({}, audit.snapshot(activity, ACTIVITY_FIELDS)),
                    "participants": [None, sorted(m.pk for m in unique_participants)],
                    "groups": [None, sorted(g.pk for g in groups)],
                    "attachments": [None, [a.original_name for a in attachments]],
                },
            )
            others = _users_of(unique_participants, besides=by)
            if others:
                notify(
                    recipients=others,
                    title=_("You were recorded as taking part in: %(activity)s")
                    % {"activity": str(activity)},
                    url=reverse("liaison:activity", args=[activity.pk]),
                    obj=activity,
                    kind="liaison.activity",
                )
    except BaseException:
        for name in saved_files:
            default_storage.delete(name)
        raise
    return activity


def _default_sector(
    participants: Sequence[Membership],
    groups: Sequence[ConstituentGroup],
    own_seat: Membership | None,
) -> int | None:
    """The sector an activity served when none is given: the one sector of the groups reached;
    without groups, the one sector of the participants; else the recording member's own."""
    group_sectors = {g.sector_id for g in groups if g.sector_id}
    member_sectors = {m.sector_id for m in participants if m.sector_id}
    if len(group_sectors) == 1:
        return group_sectors.pop()
    if not group_sectors and len(member_sectors) == 1:
        return member_sectors.pop()
    return own_seat.sector_id if own_seat is not None else None


def _save_attachments(
    activity: LiaisonActivity, checked: Sequence[CheckedFile], by: Any, saved: list[str]
) -> list[LiaisonAttachment]:
    now = timezone.now()
    rows: list[LiaisonAttachment] = []
    for item in checked:
        attachment = LiaisonAttachment(
            committee_id=activity.committee_id,
            activity=activity,
            kind=item.kind,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
            created_at=now,
        )
        item.upload.seek(0)
        attachment.file.save(item.name, item.upload, save=False)
        saved.append(attachment.file.name)
        attachment.save()
        rows.append(attachment)
    return rows


def attachments_add(
    *, activity: LiaisonActivity, by: Any, files: Sequence[Any]
) -> list[LiaisonAttachment]:
    """Add photos or documents to an activity later (its recorder or the office)."""
    scope = scope_for(by)
    if not (
        scope.can_edit_committee(activity.committee_id) or activity.recorded_by_id == scope.user_id
    ):
        raise PermissionDenied(_("Only the activity's recorder or the office may add files."))
    saved: list[str] = []
    try:
        with transaction.atomic():
            LiaisonActivity.objects.select_for_update().get(pk=activity.pk)
            checked = check_attachments(list(files), already=activity.attachments.count())
            rows = _save_attachments(activity, checked, by, saved)
            audit.record(
                actor=by,
                action="update",
                verb="attachments_added",
                obj=activity,
                committee_id=activity.committee_id,
                changes={"attachments": [None, [a.original_name for a in rows]]},
            )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return rows


# ---------------------------------------------------------------------------------------------
# Constituents in touch


def may_keep_contacts(by: Any, committee: Committee) -> bool:
    """The office, or a member with a serving seat in the committee."""
    return may_record_for(by, committee)


def contact_create(*, committee: Committee, by: Any, data: dict[str, Any]) -> ConstituentContact:
    """Note a constituent in touch with a member or a studio. Consent is required (PIPL)."""
    if not may_keep_contacts(by, committee):
        raise PermissionDenied(_("You may not keep contacts for this committee."))
    scope = scope_for(by)
    contact = ConstituentContact(committee=committee, **data)
    errors: dict[str, str] = {}
    contact.name = contact.name.strip()
    if not contact.name:
        errors["name"] = _("The name is required.")
    if contact.phone:
        if not is_valid_mobile(contact.phone):
            errors["phone"] = _("A mobile number has 11 digits and starts with 13 to 19.")
        else:
            contact.phone = normalize_mobile(contact.phone)
    if not contact.consent_given:
        errors["consent_given"] = _(
            "Keep a constituent's data only with their consent: note how and when they gave it."
        )
    if contact.consent_date is None:
        errors["consent_date"] = _("The date of consent is required.")
    elif contact.consent_date > timezone.localdate():
        errors["consent_date"] = _("The date of consent cannot be in the future.")
    if contact.consent_method not in ConstituentContact.ConsentMethod.values:
        errors["consent_method"] = _("Say how consent was given.")
    if not scope.can_edit_committee(committee.pk):
        # A member keeps contacts for themselves or for a studio where they serve.
        own = serving_seat(scope.person_id, committee.pk)
        if contact.studio_id is None:
            contact.membership = own
        elif (
            scope.person_id is None
            or not StudioMember.objects.filter(
                studio_id=contact.studio_id, membership__person_id=scope.person_id
            ).exists()
        ):
            errors["studio"] = _("You do not serve at this studio.")
    if contact.membership_id is None and contact.studio_id is None:
        errors["membership"] = _("Choose the member or the studio in touch.")
    if contact.membership_id is not None and contact.studio_id is not None:
        errors["studio"] = _("Choose either a member or a studio, not both.")
    if contact.membership is not None:
        seat_error = _serving_seat_error(contact.membership, committee.pk)
        if seat_error:
            errors["membership"] = seat_error
    if contact.studio is not None and contact.studio.committee_id != committee.pk:
        errors["studio"] = _("Choose one of this committee's studios.")
    if contact.group is not None and contact.group.committee_id != committee.pk:
        errors["group"] = _("Choose groups of this committee.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact.save()
        audit.record(
            actor=by,
            action="create",
            obj=contact,
            committee_id=committee.pk,
            changes=audit.diff(
                {}, audit.snapshot(contact, CONTACT_FIELDS, redact=("phone", "name"))
            ),
        )
    return contact


def contact_reveal(*, contact: ConstituentContact, by: Any, purpose: str = "") -> str:
    """The contact's phone in full, for those who may see the contact; the access is logged."""
    if not ConstituentContact.objects.visible_to(by).filter(pk=contact.pk).exists():
        raise PermissionDenied(_("You may not see this contact."))
    if contact.phone:
        audit.log_personal_data_access(
            user=by,
            kind="view",
            model=contact,
            object_id=contact.pk,
            fields=["phone"],
            purpose=purpose or "constituent contact page",
        )
    return contact.phone


# ---------------------------------------------------------------------------------------------
# The annual plan


def plan_create(
    *, committee: Committee, by: Any, year: int, title: str, note: str = ""
) -> LiaisonPlan:
    """Start a committee's liaison plan for a year (a draft until published)."""
    _check_office(by, committee.pk)
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    elif LiaisonPlan.objects.filter(committee=committee, year=year).exists():
        errors["year"] = _("This committee already has a plan for that year.")
    if not title.strip():
        errors["title"] = _("The title is required.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = LiaisonPlan.objects.create(
            committee=committee, year=year, title=title.strip()[:100], note=note.strip()
        )
        audit.record(
            actor=by,
            action="create",
            obj=plan,
            committee_id=committee.pk,
            changes={"year": [None, year], "title": [None, plan.title]},
        )
    return plan


def plan_publish(*, plan: LiaisonPlan, by: Any) -> LiaisonPlan:
    """Publish a plan: members and conveners see it and their progress against it."""
    _check_office(by, plan.committee_id)
    with transaction.atomic():
        locked = LiaisonPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.published:
            raise ValidationError({"published": _("This plan is already published.")})
        if not locked.tasks.exists():
            raise ValidationError({"published": _("Add at least one task before publishing.")})
        locked.published = True
        locked.published_at = timezone.now()
        locked.save(update_fields=["published", "published_at", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            verb="publish",
            obj=locked,
            committee_id=locked.committee_id,
            changes={"published": [False, True]},
        )
    return locked


def plan_task_create(*, plan: LiaisonPlan, by: Any, data: dict[str, Any]) -> PlanTask:
    """Add a task to a plan, e.g. “each member: at least 4 contacts a year”."""
    _check_office(by, plan.committee_id)
    task = PlanTask(plan=plan, committee_id=plan.committee_id, **data)
    errors: dict[str, str] = {}
    if task.applies_to == PlanTask.AppliesTo.ALL:
        task.sector = None
        task.sector_group = None
    elif task.applies_to == PlanTask.AppliesTo.SECTOR:
        task.sector_group = None
        if task.sector is None:
            errors["sector"] = _("Choose the sector.")
        else:
            _clean_sector(task.sector, plan.committee_id, errors)
    elif task.applies_to == PlanTask.AppliesTo.SECTOR_GROUP:
        task.sector = None
        group = task.sector_group
        if group is None:
            errors["sector_group"] = _("Choose the sector group.")
        elif (
            group.committee_id != plan.committee_id
            or group.classification != Organization.Classification.SECTOR_GROUP
        ):
            errors["sector_group"] = _("Choose one of this committee's sector groups.")
    else:
        errors["applies_to"] = _("Choose whom the task applies to.")
    if task.metric not in PlanTask.Metric.values:
        errors["metric"] = _("Choose what is counted.")
    elif task.metric == PlanTask.Metric.ACTIVITIES_OF_KIND:
        if task.activity_kind not in LiaisonActivity.Kind.values:
            errors["activity_kind"] = _("Choose the kind of activity that is counted.")
    else:
        task.activity_kind = ""
    if task.period not in PlanTask.Period.values:
        errors["period"] = _("Choose the period.")
    if not task.target or task.target < 1:
        errors["target"] = _("The target is at least 1.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        LiaisonPlan.objects.select_for_update().get(pk=plan.pk)
        task.save()
        audit.record(
            actor=by,
            action="update",
            verb="task_added",
            obj=plan,
            committee_id=plan.committee_id,
            changes={"tasks": [None, task.label]},
        )
    return task


def plan_task_delete(*, task: PlanTask, by: Any) -> None:
    """Remove a task from a plan that is not yet published."""
    _check_office(by, task.committee_id)
    with transaction.atomic():
        plan = LiaisonPlan.objects.select_for_update().get(pk=task.plan_id)
        if plan.published:
            raise ValidationError(
                {"published": _("A published plan's tasks stay as they were published.")}
            )
        label = task.label
        task.delete()
        audit.record(
            actor=by,
            action="update",
            verb="task_removed",
            obj=plan,
            committee_id=plan.committee_id,
            changes={"tasks": [label, None]},
        )
