"""Writes of meetings and attendance. Each function validates, saves, audits and schedules its
notifications inside one transaction, with the row whose state changes locked.

State changes go through the three `*_transition` services and the tables of
`meetings.workflow`; an illegal step raises InvalidTransition, bad input a ValidationError with
a message per field, a user without the right a PermissionDenied.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core import audit
from lianluo.core.notifications import notify
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import (
    Committee,
    FocusArea,
    Grant,
    Membership,
    Organization,
    Person,
)
from lianluo.directory.scoping import scope_for
from lianluo.meetings import selectors, workflow
from lianluo.meetings.models import (
    AdoptionEvent,
    ApproverRole,
    AttendanceCorrection,
    AttendanceRecord,
    CalendarFeed,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingKindPolicy,
    ResearchReport,
    Speech,
    approver_grip,
)
from lianluo.meetings.uploads import check_upload

MEETING_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "place",
    "organizer",
    "studio_name",
    "focus_area",
    "agenda",
    "participation",
    "signup_deadline",
    "capacity",
)
CHECKIN_FIELDS = ("checked_in_at", "checkin_method", "arrived_late", "left_early", "left_at")
ORGANIZER_KINDS = (
    Organization.Classification.SPECIAL_COMMITTEE,
    Organization.Classification.SECTOR_GROUP,
    Organization.Classification.SECTOR,
    Organization.Classification.OFFICE,
)
STANDING_ROLES = (
    Membership.Role.CHAIR,
    Membership.Role.VICE_CHAIR,
    Membership.Role.SECRETARY_GENERAL,
    Membership.Role.STANDING_MEMBER,
)
HEAD_ROLES = (
    Membership.Role.DIRECTOR,
    Membership.Role.DEPUTY_DIRECTOR,
    Membership.Role.CONVENER,
    Membership.Role.DEPUTY_CONVENER,
)
OPEN_STATES = (Meeting.Status.PUBLISHED, Meeting.Status.IN_PROGRESS)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _check_office(by: Any, committee_id: int) -> None:
    if not scope_for(by).can_edit_committee(committee_id):
        raise PermissionDenied(_("Only this committee's office may do this."))


def _users(people: Iterable[Person]) -> list[Any]:
    return [person.user for person in people if person.user_id is not None]


# ----------------------------------------------------------------------------------------------
# Meetings
# ----------------------------------------------------------------------------------------------


def _clean_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if not meeting.title.strip():
        errors["title"] = _("The title is required.")
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    organizer = meeting.organizer
    if organizer is not None and (
        organizer.committee_id != meeting.committee_id
        or organizer.classification not in ORGANIZER_KINDS
    ):
        errors["organizer"] = _(
            "Choose the office, a special committee, a sector or a sector group of this committee."
        )
    if meeting.focus_area is not None and meeting.focus_area.committee_id != meeting.committee_id:
        errors["focus_area"] = _("Choose one of this committee's focus areas.")
    if meeting.participation == Meeting.Participation.SIGN_UP:
        deadline = meeting.signup_deadline
        if deadline is not None and meeting.starts_at and deadline > meeting.starts_at:
            errors["signup_deadline"] = _("The sign-up deadline must be before the start.")
        if meeting.capacity is not None and meeting.capacity < 1:
            errors["capacity"] = _("The capacity is at least one place.")
    else:
        if meeting.capacity is not None:
            errors["capacity"] = _("Only a sign-up activity has a capacity.")
        if meeting.signup_deadline is not None:
            errors["signup_deadline"] = _("Only a sign-up activity has a sign-up deadline.")
    if meeting.kind == MeetingKind.STUDIO and not meeting.studio_name.strip():
        errors["studio_name"] = _("Name the studio that organises this activity.")
    if errors:
        raise ValidationError(errors)


def meeting_create(*, committee: Committee, data: dict[str, Any], by: Any) -> Meeting:
    """Plan a meeting (a draft) in the committee's current term."""
    _check_office(by, committee.pk)
    term = committee.terms.order_by("-number").first()
    if term is None:
        raise ValidationError({"__all__": _("The committee has no term yet: add one first.")})
    with transaction.atomic():
        meeting = Meeting(
            committee=committee,
            term=term,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            checkin_token=new_token(),
            **{key: value for key, value in data.items() if key in MEETING_FIELDS},
        )
        _clean_meeting(meeting)
        meeting.save()
        audit.record(
            actor=by,
            action="create",
            obj=meeting,
            committee_id=committee.pk,
            changes=audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)),
        )
    return meeting


def meeting_update(*, meeting: Meeting, data: dict[str, Any], by: Any, reason: str = "") -> Meeting:
    """Change a meeting that has not started; those invited hear of a new time or place. A
    larger capacity moves people up from the waiting list."""
    _check_office(by, meeting.committee_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
            raise ValidationError(
                {
                    "__all__": _(
                        "A meeting that is under way, closed or cancelled cannot be changed."
                    )
                }
            )
        before = audit.snapshot(locked, MEETING_FIELDS)
        for key, value in data.items():
            if key in MEETING_FIELDS:
                setattr(locked, key, value)
        if (
            locked.status == Meeting.Status.PUBLISHED
            and locked.participation != before["participation"]
        ):
            raise ValidationError(
                {"participation": _("The way of taking part cannot change after publication.")}
            )
        _clean_meeting(locked)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, MEETING_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                committee_id=locked.committee_id,
                changes=changes,
                reason=reason,
            )
        if locked.status == Meeting.Status.PUBLISHED:
            if {"starts_at", "ends_at", "place"} & set(changes):
                invited = Invitation.objects.filter(meeting=locked).exclude(
                    status__in=(Invitation.Status.CANCELLED, Invitation.Status.WITHDRAWN)
                )
                notify(
                    recipients=_users(Person.objects.filter(invitations__in=invited)),
                    title=_("Changed: %(title)s, %(when)s, %(place)s")
                    % {
                        "title": locked.title,
                        "when": _local(locked.starts_at),
                        "place": locked.place,
                    },
                    url=_url(locked),
                    obj=locked,
                    kind="meeting_changed",
                )
            if "capacity" in changes:
                _promote_waitlisted(locked)
    return locked


def _meeting_roles(by: Any, meeting: Meeting) -> set[str]:
    if by is None:
        return {workflow.SYSTEM}
    return {workflow.OFFICE} if scope_for(by).can_edit_committee(meeting.committee_id) else set()


def meeting_actions(*, meeting: Meeting, by: Any) -> list[str]:
    """The steps `by` may take on the meeting now (for buttons)."""
    return [
        t.action for t in workflow.MEETING.available(meeting.status, _meeting_roles(by, meeting))
    ]


def meeting_transition(*, meeting: Meeting, action: str, by: Any, reason: str = "") -> Meeting:
    """Publish (invitations go out), start, close (attendance is recorded) or cancel."""
    now = timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        step = workflow.MEETING.check(
            state=locked.status, action=action, roles=_meeting_roles(by, locked), reason=reason
        )
        invitations = Invitation.objects.filter(meeting=locked)
        extra: dict[str, Any] = {}
        if action == "publish":
            if not invitations.exclude(status=Invitation.Status.CANCELLED).exists():
                raise InvalidTransition(
                    _("Invite the participants before publishing."), code="no_invitations"
                )
            locked.published_at = now
        elif action == "close":
            if now < locked.starts_at:
                raise InvalidTransition(
                    _("The meeting has not started yet: it can be closed from %(when)s.")
                    % {"when": _local(locked.starts_at)},
                    code="not_started",
                )
            pending = LeaveRequest.objects.filter(
                meeting=locked, status=LeaveRequest.Status.REQUESTED
            ).count()
            if pending:
                raise InvalidTransition(
                    _("Decide the %(count)d pending leave requests before closing.")
                    % {"count": pending},
                    code="pending_leave",
                )
            locked.closed_at = now
        old = locked.status
        locked.status = step.target
        locked.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
        if action == "close":
            extra["attendance"] = [None, _record_attendance(locked, now)]
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            committee_id=locked.committee_id,
            changes={"status": [old, step.target], **extra},
            reason=reason,
        )
        if action == "publish":
            people = Person.objects.filter(
                invitations__meeting=locked,
                invitations__status__in=(Invitation.Status.INVITED, Invitation.Status.OFFERED),
            )
            _notify_invited(locked, people)
        elif action == "cancel" and old == Meeting.Status.PUBLISHED:
            people = Person.objects.filter(
                invitations__meeting=locked,
                invitations__status__in=(
                    Invitation.Status.INVITED,
                    Invitation.Status.OFFERED,
                    Invitation.Status.SIGNED_UP,
                    Invitation.Status.WAITLISTED,
                ),
            )
            notify(
                recipients=_users(people),
                title=_("Cancelled: %(title)s (%(when)s)")
                % {"title": locked.title, "when": _local(locked.starts_at)},
                body=reason,
                url=_url(locked),
                obj=locked,
                kind="meeting_cancelled",
            )
    return locked


def _record_attendance(meeting: Meeting, now: datetime.datetime) -> dict[str, int]:
    """Write one attendance record per invitation of a meeting being closed."""
    approved = dict(
        LeaveRequest.objects.filter(
            meeting=meeting, status=LeaveRequest.Status.APPROVED
        ).values_list("invitation_id", "id")
    )
    records = []
    counts: dict[str, int] = {}
    for invitation in Invitation.objects.filter(meeting=meeting).select_for_update():
        status = selectors.provisional_status(
            invitation, approved_leave=invitation.pk in approved, sign_up=meeting.is_sign_up
        )
        counts[status] = counts.get(status, 0) + 1
        records.append(
            AttendanceRecord(
                committee_id=meeting.committee_id,
                meeting=meeting,
                invitation=invitation,
                person_id=invitation.person_id,
                sector_id=invitation.sector_id,
                status=status,
                checked_in_at=invitation.checked_in_at,
                checkin_method=invitation.checkin_method,
                left_early=invitation.left_early,
                leave_request_id=approved.get(invitation.pk)
                if status == AttendanceRecord.Status.EXCUSED
                else None,
                recorded_at=now,
            )
        )
    AttendanceRecord.objects.bulk_create(records, batch_size=1000)
    return dict(sorted(counts.items()))


def meeting_reset_checkin_token(*, meeting: Meeting, by: Any) -> Meeting:
    """A new check-in QR code (the old one stops working), e.g. after a photo of it leaked."""
    _check_office(by, meeting.committee_id)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        locked.checkin_token = new_token()
        locked.save(update_fields=["checkin_token", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            verb="new_qr_code",
            obj=locked,
            committee_id=locked.committee_id,
        )
    return locked


def attachment_add(*, meeting: Meeting, upload: Any, title: str, by: Any) -> MeetingAttachment:
    """Attach a file (checked: type, content, size) to a meeting."""
    _check_office(by, meeting.committee_id)
    check_upload(upload)
    title = (title or upload.name or "").strip()[:200]
    with transaction.atomic():
        attachment = MeetingAttachment(
            committee_id=meeting.committee_id,
            meeting=meeting,
            title=title,
            size=upload.size,
            uploaded_by=by,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(
            f"attachment.{upload.name.rsplit('.', 1)[-1].lower()}", upload, save=False
        )
        attachment.save()
        audit.record(
            actor=by,
            action="update",
            verb="attach",
            obj=meeting,
            committee_id=meeting.committee_id,
            changes={"attachment": [None, title]},
        )
    return attachment


# ----------------------------------------------------------------------------------------------
# Invitations and sign-up
# ----------------------------------------------------------------------------------------------


def _notify_invited(meeting: Meeting, people: Iterable[Person]) -> None:
    notify(
        recipients=_users(people),
        title=_("Invitation: %(title)s, %(when)s, %(place)s")
        % {"title": meeting.title, "when": _local(meeting.starts_at), "place": meeting.place},
        body=meeting.agenda,
        url=_url(meeting),
        obj=meeting,
        kind="meeting_invitation",
    )


def split_names(text: str) -> list[str]:
    """Names separated by commas, 、, semicolons, spaces or new lines, in order, once each."""
    for separator in ",，、;；\n\r\t":
        text = text.replace(separator, " ")
    return list(dict.fromkeys(name for name in text.split(" ") if name))


def _seats_for_rule(
    meeting: Meeting,
    source: str,
    *,
    sector: Organization | None,
    organization: Organization | None,
    names: str,
) -> list[Membership]:
    seats = Membership.objects.filter(
        committee_id=meeting.committee_id,
        term_id=meeting.term_id,
        organization__isnull=True,
        status=Membership.Status.SERVING,
    ).select_related("person")
    S = Invitation.Source
    if source == S.ALL_MEMBERS:
        return list(seats)
    if source == S.STANDING:
        return list(seats.filter(role__in=STANDING_ROLES))
    if source == S.SECTOR:
        if (
            sector is None
            or sector.committee_id != meeting.committee_id
            or sector.classification != Organization.Classification.SECTOR
        ):
            raise ValidationError({"sector": _("Choose one of this committee's sectors.")})
        return list(seats.filter(sector=sector))
    if source == S.ORGANIZATION:
        if (
            organization is None
            or organization.committee_id != meeting.committee_id
            or organization.classification == Organization.Classification.HANDLING_UNIT
        ):
            raise ValidationError(
                {"organization": _("Choose a special committee or group of this committee.")}
            )
        people = Membership.objects.filter(
            organization=organization, status=Membership.Status.SERVING
        ).values("person_id")
        return list(seats.filter(person_id__in=people))
    if source == S.NAMES:
        wanted = split_names(names)
        if not wanted:
            raise ValidationError({"names": _("Write the names of the members to invite.")})
        found: dict[str, list[Membership]] = {}
        for seat in seats.filter(person__name__in=wanted):
            found.setdefault(seat.person.name, []).append(seat)
        unknown = [name for name in wanted if name not in found]
        twice = [name for name in wanted if len(found.get(name, [])) > 1]
        problems = []
        if unknown:
            problems.append(
                _("Not a serving member of this committee: %(names)s.")
                % {"names": "、".join(unknown)}
            )
        if twice:
            problems.append(
                _("Several members share the name %(names)s: invite them by sector or group.")
                % {"names": "、".join(twice)}
            )
        if problems:
            raise ValidationError({"names": " ".join(problems)})
        return [found[name][0] for name in wanted]
    raise ValidationError({"source": _("Choose who to invite.")})


def invitations_generate(
    *,
    meeting: Meeting,
    source: str,
    by: Any,
    sector: Organization | None = None,
    organization: Organization | None = None,
    names: str = "",
) -> list[Invitation]:
    """Put people on a meeting's list by a rule: all serving members of the term, the standing
    committee, a sector, a special committee or group, or by name. One invitation per person:
    people already on the list are skipped (someone taken off it is put back). On a published
    meeting the new invitees are notified at once."""
    _check_office(by, meeting.committee_id)
    now = timezone.now()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status not in (Meeting.Status.DRAFT, *OPEN_STATES):
            raise ValidationError(
                {"__all__": _("People cannot be invited to a closed or cancelled meeting.")}
            )
        seats = _seats_for_rule(
            locked, source, sector=sector, organization=organization, names=names
        )
        status = Invitation.Status.OFFERED if locked.is_sign_up else Invitation.Status.INVITED
        existing = {
            inv.person_id: inv
            for inv in Invitation.objects.filter(
                meeting=locked, person_id__in=[s.person_id for s in seats]
            ).select_for_update()
        }
        new: list[Invitation] = []
        returned: list[Invitation] = []
        for seat in seats:
            current = existing.get(seat.person_id)
            if current is None:
                new.append(
                    Invitation(
                        committee_id=locked.committee_id,
                        meeting=locked,
                        person_id=seat.person_id,
                        membership=seat,
                        sector_id=seat.sector_id,
                        role=seat.role,
                        source=source,
                        status=status,
                        invited_at=now,
                    )
                )
            elif current.status == Invitation.Status.CANCELLED:
                current.status = status
                current.invited_at = now
                current.signed_up_at = None
                current.save(update_fields=["status", "invited_at", "signed_up_at"])
                audit.record(
                    actor=by,
                    action="transition",
                    verb="reinvite",
                    obj=current,
                    committee_id=locked.committee_id,
                    changes={"status": [Invitation.Status.CANCELLED, status]},
                )
                returned.append(current)
        created = Invitation.objects.bulk_create(new, batch_size=1000)
        added = [*created, *returned]
        if added:
            audit.record(
                actor=by,
                action="update",
                verb="invite",
                obj=locked,
                committee_id=locked.committee_id,
                changes={
                    "invited": [None, len(added)],
                    "rule": [None, source],
                    "people": [None, sorted(inv.person_id for inv in added)],
                },
            )
        if locked.status in OPEN_STATES and added:
            _notify_invited(locked, Person.objects.filter(pk__in=[i.person_id for i in added]))
    return added


def _invitation_roles(by: Any, invitation: Invitation) -> set[str]:
    if by is None:
        return {workflow.SYSTEM}
    scope = scope_for(by)
    roles: set[str] = set()
    if scope.person_id is not None and scope.person_id == invitation.person_id:
        roles.add(workflow.INVITEE)
    if scope.can_edit_committee(invitation.committee_id):
        roles.add(workflow.OFFICE)
    return roles


def _has_room(meeting: Meeting) -> bool:
    if meeting.capacity is None:
        return True
    return selectors.signed_up_count(meeting) < meeting.capacity


def invitation_transition(
    *, invitation: Invitation, action: str, by: Any, reason: str = ""
) -> Invitation:
    """One step of a sign-up (sign up, join the waiting list, withdraw, be moved up) or take
    someone off the list. When a place frees up, the first on the waiting list moves up."""
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        step = workflow.INVITATION.check(
            state=locked.status, action=action, roles=_invitation_roles(by, locked), reason=reason
        )
        if action == "cancel":
            if meeting.status not in (Meeting.Status.DRAFT, *OPEN_STATES):
                raise InvalidTransition(
                    _("The list of a closed or cancelled meeting cannot change."), code="closed"
                )
        else:
            if meeting.status not in OPEN_STATES:
                raise InvalidTransition(_("This meeting is not open for sign-up."), code="not_open")
            if now >= meeting.starts_at:
                raise InvalidTransition(_("The meeting has already started."), code="started")
        if (
            action in ("sign_up", "join_waitlist")
            and meeting.signup_deadline is not None
            and now > meeting.signup_deadline
        ):
            raise InvalidTransition(
                _("The sign-up deadline (%(when)s) has passed.")
                % {"when": _local(meeting.signup_deadline)},
                code="deadline",
            )
        room = _has_room(meeting)
        if action in ("sign_up", "promote") and not room:
            raise InvalidTransition(_("The activity is full: join the waiting list."), code="full")
        if action == "join_waitlist" and room:
            raise InvalidTransition(_("There is still a place: sign up."), code="not_full")
        old = locked.status
        locked.status = step.target
        if action in ("sign_up", "join_waitlist"):
            locked.signed_up_at = now
        locked.save(update_fields=["status", "signed_up_at"])
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            committee_id=locked.committee_id,
            changes={"status": [old, step.target]},
            reason=reason,
        )
        if action == "promote":
            notify(
                recipients=_users([locked.person]),
                title=_("A place is free: you are now signed up for %(title)s (%(when)s).")
                % {"title": meeting.title, "when": _local(meeting.starts_at)},
                url=_url(meeting),
                obj=meeting,
                kind="meeting_promoted",
            )
        if old == Invitation.Status.SIGNED_UP and step.target != Invitation.Status.SIGNED_UP:
            _promote_waitlisted(meeting)
    return locked


def _promote_waitlisted(meeting: Meeting) -> list[Invitation]:
    """Move people up from the waiting list, first come first served, while there is room."""
    promoted: list[Invitation] = []
    if meeting.status not in OPEN_STATES or timezone.now() >= meeting.starts_at:
        return promoted
    while _has_room(meeting):
        following = (
            Invitation.objects.select_for_update()
            .filter(meeting=meeting, status=Invitation.Status.WAITLISTED)
            .order_by("signed_up_at", "id")
            .first()
        )
        if following is None:
            break
        promoted.append(invitation_transition(invitation=following, action="promote", by=None))
    return promoted


def invitation_sign_up(*, invitation: Invitation, by: Any) -> Invitation:
    """Sign up, or join the waiting list when the activity is full."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=invitation.meeting_id)
        action = "sign_up" if _has_room(meeting) else "join_waitlist"
        return invitation_transition(invitation=invitation, action=action, by=by)


# ----------------------------------------------------------------------------------------------
# Leave
# ----------------------------------------------------------------------------------------------


def effective_approver(meeting: Meeting, policy: selectors.Policy) -> str:
    """The approver the committee names for the meeting's kind; the office when the named
    approver is the organiser's head but the office organises the meeting."""
    if policy.approver_role == ApproverRole.ORGANIZER_HEAD and meeting.organizer_id is None:
        return ApproverRole.OFFICE
    return policy.approver_role


def approver_users(meeting: Meeting, approver_role: str) -> list[Any]:
    """The accounts that decide leave for this meeting: the people in the named role, or the
    office's accounts when it is the office."""
    if approver_role == ApproverRole.OFFICE:
        return list(
            get_user_model().objects.filter(
                grants__committee_id=meeting.committee_id,
                grants__role=Grant.Role.OFFICE,
                is_active=True,
            )
        )
    seats = Membership.objects.filter(status=Membership.Status.SERVING)
    if approver_role == ApproverRole.CHAIR:
        seats = seats.filter(
            committee_id=meeting.committee_id,
            organization__isnull=True,
            role=Membership.Role.CHAIR,
        )
    elif approver_role == ApproverRole.VICE_CHAIR:
        seats = seats.filter(
            committee_id=meeting.committee_id,
            organization__isnull=True,
            role__in=(Membership.Role.CHAIR, Membership.Role.VICE_CHAIR),
        )
    else:
        seats = seats.filter(organization_id=meeting.organizer_id or 0, role__in=HEAD_ROLES)
    return list(
        get_user_model().objects.filter(person__memberships__in=seats, is_active=True).distinct()
    )


def leave_request_create(*, invitation: Invitation, reason: str, by: Any) -> LeaveRequest:
    """Ask for leave 请假 from a meeting, before it starts, with a reason. The member asks for
    themself (the office may record a request on a member's behalf). Refused beyond the
    committee's limits; marked late after the committee's cut-off."""
    scope = scope_for(by)
    own = scope.person_id is not None and scope.person_id == invitation.person_id
    if not own and not scope.can_edit_committee(invitation.committee_id):
        raise PermissionDenied(_("You may ask for leave only for yourself."))
    now = timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
        )
        meeting = locked.meeting
        policy = selectors.policy_for(meeting.committee_id, meeting.kind)
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = _("Give the reason for the leave request.")
        elif len(reason) > 1000:
            errors["reason"] = _("The reason is at most 1,000 characters.")
        if meeting.status not in OPEN_STATES:
            errors["__all__"] = _("Leave can only be requested from a published meeting.")
        elif now >= meeting.starts_at:
            errors["__all__"] = _("The meeting has started: leave must be requested before it.")
        elif locked.status not in Invitation.EXPECTED:
            errors["__all__"] = _("You are not expected at this meeting, so you need no leave.")
        elif locked.checked_in_at is not None:
            errors["__all__"] = _("You have already checked in at this meeting.")
        elif LeaveRequest.objects.filter(invitation=locked, status__in=LeaveRequest.OPEN).exists():
            errors["__all__"] = _("A leave request for this meeting is already open.")
        elif (
            LeaveRequest.objects.filter(invitation=locked).count()
            >= policy.max_leave_requests_per_meeting
        ):
            errors["__all__"] = _(
                "You may ask for leave from this meeting at most %(count)d times."
            ) % {"count": policy.max_leave_requests_per_meeting}
        elif policy.max_leave_requests_per_year is not None:
            year = timezone.localtime(meeting.starts_at).year
            used = (
                LeaveRequest.objects.filter(
                    person_id=locked.person_id,
                    committee_id=meeting.committee_id,
                    meeting__kind=meeting.kind,
                    meeting__starts_at__year=year,
                )
                .exclude(status=LeaveRequest.Status.WITHDRAWN)
                .count()
            )
            if used >= policy.max_leave_requests_per_year:
                errors["__all__"] = _(
                    "The committee allows at most %(count)d leave requests a year for "
                    "meetings of this kind."
                ) % {"count": policy.max_leave_requests_per_year}
        if errors:
            raise ValidationError(errors)
        approver = effective_approver(meeting, policy)
        leave = LeaveRequest.objects.create(
            committee_id=meeting.committee_id,
            meeting=meeting,
            invitation=locked,
            person_id=locked.person_id,
            reason=reason,
            is_late=now > policy.leave_cutoff(meeting.starts_at),
            approver_role=approver,
            requested_at=now,
            requested_by=by,
        )
        audit.record(
            actor=by,
            action="create",
            obj=leave,
            committee_id=meeting.committee_id,
            changes={
                "status": [None, leave.status],
                "is_late": [None, leave.is_late],
                "approver_role": [None, approver],
            },
            reason=reason,
        )
        notify(
            recipients=approver_users(meeting, approver),
            title=_("Leave requested by %(name)s from %(title)s")
            % {"name": locked.person.name, "title": meeting.title},
            body=reason,
            url=reverse("meetings:approvals"),
            obj=leave,
            kind="leave_requested",
        )
    return leave


def leave_roles(by: Any, leave: LeaveRequest) -> set[str]:
    if by is None:
        return {workflow.SYSTEM}
    scope = scope_for(by)
    roles: set[str] = set()
    if scope.person_id is not None and scope.person_id == leave.person_id:
        roles.add(workflow.REQUESTER)
    if scope.can_edit_committee(leave.committee_id):
        roles.add(workflow.OFFICE)
    grip = approver_grip(by)
    if (
        (leave.approver_role == ApproverRole.CHAIR and leave.committee_id in grip["chair"])
        or (
            leave.approver_role == ApproverRole.VICE_CHAIR
            and leave.committee_id in grip["vice_chair"]
        )
        or (
            leave.approver_role == ApproverRole.ORGANIZER_HEAD
            and leave.meeting.organizer_id in grip["organizations"]
        )
    ):
        roles.add(workflow.APPROVER)
    return roles


def leave_transition(
    *, leave: LeaveRequest, action: str, by: Any, reason: str = ""
) -> LeaveRequest:
    """Approve, refuse (with a reason) or withdraw a leave request, while its meeting is open."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            LeaveRequest.objects.select_for_update()
            .select_related("meeting", "person")
            .get(pk=leave.pk)
        )
        step = workflow.LEAVE.check(
            state=locked.status, action=action, roles=leave_roles(by, locked), reason=reason
        )
        if locked.meeting.status not in OPEN_STATES:
            raise InvalidTransition(
                _("The meeting is closed or cancelled: correct its attendance record instead."),
                code="meeting_closed",
            )
        old = locked.status
        locked.status = step.target
        if action in ("approve", "refuse"):
            locked.decided_at = now
            locked.decided_by = by
            locked.decision_note = reason.strip()
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            committee_id=locked.committee_id,
            changes={"status": [old, step.target]},
            reason=reason,
        )
        if action in ("approve", "refuse"):
            title = (
                _("Your leave from %(title)s was approved.")
                if action == "approve"
                else _("Your leave from %(title)s was refused.")
            )
            notify(
                recipients=_users([locked.person]),
                title=title % {"title": locked.meeting.title},
                body=reason,
                url=_url(locked.meeting),
                obj=locked,
                kind=f"leave_{action}",
            )
    return locked


# ----------------------------------------------------------------------------------------------
# Check-in and attendance
# ----------------------------------------------------------------------------------------------


class CheckinRefused(Exception):
    """A refused check-in, with a message for the member and an HTTP status for the page."""

    def __init__(self, message: str, *, code: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def checkin_target(
    *, meeting_id: int, token: str, by: Any, now: datetime.datetime | None = None
) -> tuple[Meeting, Invitation]:
    """The meeting and the invitation a QR check-in would record, or CheckinRefused. The token
    names the meeting only; the logged-in session names the member."""
    now = now or timezone.now()
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("committee").first()
    if meeting is None or not secrets.compare_digest(meeting.checkin_token, token or ""):
        raise CheckinRefused(
            _("This check-in code is not valid. Scan the code shown at the venue again."),
            code="bad_token",
            status=404,
        )
    if meeting.status not in OPEN_STATES:
        raise CheckinRefused(
            _("Check-in for this meeting is closed (the meeting is %(status)s).")
            % {"status": meeting.get_status_display()},
            code="not_open",
        )
    person_id = scope_for(by).person_id
    invitation = (
        Invitation.objects.filter(meeting=meeting, person_id=person_id).first()
        if person_id is not None
        else None
    )
    if invitation is None or invitation.status not in Invitation.EXPECTED:
        raise CheckinRefused(
            _(
                "You are not on the list of this meeting, so you cannot check in. Please see the "
                "staff at the venue."
            ),
            code="not_invited",
        )
    policy = selectors.policy_for(meeting.committee_id, meeting.kind)
    opens, closes = policy.checkin_window(meeting.starts_at)
    if now < opens:
        raise CheckinRefused(
            _("Check-in opens at %(when)s.") % {"when": _local(opens)}, code="too_early"
        )
    if now > closes:
        raise CheckinRefused(
            _("Check-in closed at %(when)s. Please see the staff at the venue.")
            % {"when": _local(closes)},
            code="too_late",
        )
    if invitation.checked_in_at is not None:
        raise CheckinRefused(
            _("You already checked in at %(when)s.") % {"when": _local(invitation.checked_in_at)},
            code="twice",
            status=409,
        )
    return meeting, invitation


def checkin(*, meeting_id: int, token: str, by: Any) -> Invitation:
    """Check the logged-in member in by the meeting's QR code, within the check-in window."""
    now = timezone.now()
    with transaction.atomic():
        meeting, invitation = checkin_target(meeting_id=meeting_id, token=token, by=by, now=now)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.checked_in_at is not None:
            raise CheckinRefused(
                _("You already checked in at %(when)s.") % {"when": _local(locked.checked_in_at)},
                code="twice",
                status=409,
            )
        policy = selectors.policy_for(meeting.committee_id, meeting.kind)
        before = audit.snapshot(locked, CHECKIN_FIELDS)
        locked.checked_in_at = now
        locked.checkin_method = Invitation.CheckinMethod.QR
        locked.arrived_late = now > policy.late_after(meeting.starts_at)
        locked.save(update_fields=["checked_in_at", "checkin_method", "arrived_late"])
        audit.record(
            actor=by,
            action="update",
            verb="check_in",
            obj=locked,
            committee_id=locked.committee_id,
            changes=audit.diff(before, audit.snapshot(locked, CHECKIN_FIELDS)),
        )
    return locked


MARKS = ("present", "late", "left_early", "clear")


def attendance_mark(
    *,
    invitation: Invitation,
    mark: str,
    by: Any,
    at: datetime.datetime | None = None,
    reason: str = "",
) -> Invitation:
    """Staff mark one person on the list before the meeting is closed: present, late (arrival
    time), left early (leaving time), or clear a mistaken mark. Every change is on the
    invitation's timeline."""
    _check_office(by, invitation.committee_id)
    if mark not in MARKS:
        raise ValidationError({"mark": _("Choose present, late, left early or clear.")})
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
        )
        meeting = locked.meeting
        if meeting.status == Meeting.Status.CLOSED:
            raise ValidationError(
                {"__all__": _("The meeting is closed: correct its attendance record instead.")}
            )
        if meeting.status not in OPEN_STATES:
            raise ValidationError(
                {"__all__": _("Attendance is marked once the meeting is published.")}
            )
        if locked.status == Invitation.Status.CANCELLED:
            raise ValidationError({"__all__": _("This person was taken off the list.")})
        before = audit.snapshot(locked, CHECKIN_FIELDS)
        moment = at or now
        if mark in ("present", "late"):
            locked.checked_in_at = (
                moment if at or locked.checked_in_at is None else locked.checked_in_at
            )
            if locked.checkin_method == "" or at is not None:
                locked.checkin_method = Invitation.CheckinMethod.STAFF
            locked.arrived_late = mark == "late"
        elif mark == "left_early":
            if locked.checked_in_at is None:
                raise ValidationError({"mark": _("Mark the person present first.")})
            locked.left_early = True
            locked.left_at = moment
        else:
            locked.checked_in_at = None
            locked.checkin_method = ""
            locked.arrived_late = False
            locked.left_early = False
            locked.left_at = None
        locked.save(update_fields=list(CHECKIN_FIELDS))
        changes = audit.diff(before, audit.snapshot(locked, CHECKIN_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="update",
                verb=f"mark_{mark}",
                obj=locked,
                committee_id=locked.committee_id,
                changes=changes,
                reason=reason,
            )
    return locked


def attendance_apply_sheet(
    *, meeting: Meeting, rows: Sequence[dict[str, Any]], by: Any, filename: str = ""
) -> int:
    """Write the checked rows of a sign-in sheet (see `meetings.sheets`) in one transaction:
    each row sets an invitation's check-in time, late arrival and early leave. Returns the
    number of invitations changed."""
    _check_office(by, meeting.committee_id)
    changed = 0
    with transaction.atomic():
        locked_meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked_meeting.status not in OPEN_STATES:
            raise ValidationError(
                {"file": _("A sign-in sheet is imported while the meeting is open.")}
            )
        by_id = {
            inv.pk: inv
            for inv in Invitation.objects.select_for_update().filter(
                pk__in=[row["invitation_id"] for row in rows]
            )
        }
        for row in rows:
            invitation = by_id[row["invitation_id"]]
            before = audit.snapshot(invitation, CHECKIN_FIELDS)
            invitation.checked_in_at = row["checked_in_at"]
            invitation.checkin_method = Invitation.CheckinMethod.IMPORT
            invitation.arrived_late = row["late"]
            invitation.left_early = row["left_early"]
            invitation.left_at = row.get("left_at")
            changes = audit.diff(before, audit.snapshot(invitation, CHECKIN_FIELDS))
            if not changes:
                continue
            invitation.save(update_fields=list(CHECKIN_FIELDS))
            audit.record(
                actor=by,
                action="import",
                verb="sign_in_sheet",
                obj=invitation,
                committee_id=invitation.committee_id,
                changes=changes,
                reason=filename,
            )
            changed += 1
        audit.record(
            actor=by,
            action="import",
            verb="sign_in_sheet",
            obj=locked_meeting,
            committee_id=locked_meeting.committee_id,
            changes={"rows": [None, len(rows)], "changed": [None, changed]},
            reason=filename,
        )
    return changed


def attendance_correct(
    *, record: AttendanceRecord, status: str, left_early: bool, reason: str, by: Any
) -> AttendanceRecord:
    """Correct a closed meeting's attendance record: the earlier value is kept in an
    AttendanceCorrection row (who, when, why) and on the record's timeline."""
    _check_office(by, record.committee_id)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if status not in AttendanceRecord.Status.values:
        errors["status"] = _("Choose an attendance status.")
    if not reason:
        errors["reason"] = _("Say why the record is corrected.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = AttendanceRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status == status and locked.left_early == left_early:
            raise ValidationError({"status": _("This is already the recorded attendance.")})
        correction = AttendanceCorrection.objects.create(
            committee_id=locked.committee_id,
            record=locked,
            old_status=locked.status,
            new_status=status,
            old_left_early=locked.left_early,
            new_left_early=left_early,
            reason=reason,
            corrected_by=by,
            corrected_at=timezone.now(),
        )
        changes = audit.diff(
            {"status": locked.status, "left_early": locked.left_early},
            {"status": status, "left_early": left_early},
        )
        locked.status = status
        locked.left_early = left_early
        locked.save(update_fields=["status", "left_early"])
        audit.record(
            actor=by,
            action="update",
            verb="correct",
            obj=locked,
            committee_id=locked.committee_id,
            changes={**changes, "correction": [None, correction.pk]},
            reason=reason,
        )
    return locked


# ----------------------------------------------------------------------------------------------
# Speeches and research reports
# ----------------------------------------------------------------------------------------------


def members_by_names(*, committee_id: int, names: str, field: str) -> list[Person]:
    """The committee's members named in `names` (any term), in the order written. Refused with
    a message on `field` for a name that is nobody's, or several members'."""
    wanted = split_names(names)
    if not wanted:
        return []
    found: dict[str, set[int]] = {}
    people: dict[int, Person] = {}
    for person in Person.objects.filter(
        name__in=wanted, memberships__committee_id=committee_id, memberships__organization=None
    ):
        found.setdefault(person.name, set()).add(person.pk)
        people[person.pk] = person
    unknown = [name for name in wanted if name not in found]
    twice = [name for name in wanted if len(found.get(name, ())) > 1]
    problems = []
    if unknown:
        problems.append(
            _("Not a member of this committee: %(names)s.") % {"names": "、".join(unknown)}
        )
    if twice:
        problems.append(
            _("Several members share the name %(names)s.") % {"names": "、".join(twice)}
        )
    if problems:
        raise ValidationError({field: " ".join(problems)})
    return [people[next(iter(found[name]))] for name in wanted]


def _check_people(committee_id: int, people: Iterable[Person], field: str) -> list[Person]:
    people = list(people)
    if not people:
        raise ValidationError({field: _("Name at least one member.")})
    seated = set(
        Membership.objects.filter(
            committee_id=committee_id, person__in=people, organization__isnull=True
        ).values_list("person_id", flat=True)
    )
    strangers = [p.name for p in people if p.pk not in seated]
    if strangers:
        raise ValidationError(
            {
                field: _("Not a member of this committee: %(names)s.")
                % {"names": "、".join(strangers)}
            }
        )
    return people


def speech_create(
    *, meeting: Meeting, data: dict[str, Any], speakers: Iterable[Person], by: Any
) -> Speech:
    """Record a speech 发言 at a meeting by one or more members."""
    _check_office(by, meeting.committee_id)
    speakers = _check_people(meeting.committee_id, speakers, "speakers")
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("The title is required.")
    if data.get("mode") not in Speech.Mode.values:
        errors["mode"] = _("Choose oral or written.")
    if meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        errors["__all__"] = _("Speeches are recorded for published meetings.")
    attachment = data.get("attachment")
    if attachment:
        check_upload(attachment, field="attachment")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        speech = Speech(
            committee_id=meeting.committee_id,
            meeting=meeting,
            title=data["title"].strip(),
            mode=data["mode"],
            selected_for_plenary=bool(data.get("selected_for_plenary")),
            text=data.get("text") or "",
            created_by=by,
        )
        if attachment:
            speech.attachment.save(
                f"speech.{attachment.name.rsplit('.', 1)[-1].lower()}", attachment, save=False
            )
        speech.save()
        speech.speakers.set(speakers)
        audit.record(
            actor=by,
            action="create",
            obj=speech,
            committee_id=meeting.committee_id,
            changes={
                "meeting": [None, meeting.pk],
                "speakers": [None, sorted(p.pk for p in speakers)],
                "mode": [None, speech.mode],
                "selected_for_plenary": [None, speech.selected_for_plenary],
            },
        )
    return speech


def report_create(
    *,
    committee: Committee,
    data: dict[str, Any],
    people: Iterable[Person],
    organizations: Iterable[Organization],
    surveys: Iterable[Meeting],
    by: Any,
) -> ResearchReport:
    """Record a research report 调研报告 by members and/or groups, from survey activities."""
    _check_office(by, committee.pk)
    people = list(people)
    organizations = list(organizations)
    surveys = list(surveys)
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("The title is required.")
    if not people and not organizations:
        errors["author_people"] = _("Name the authors: members, groups or both.")
    if people:
        try:
            _check_people(committee.pk, people, "author_people")
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if any(o.committee_id != committee.pk for o in organizations):
        errors["author_organizations"] = _("Choose groups of this committee.")
    if any(m.committee_id != committee.pk for m in surveys):
        errors["surveys"] = _("Choose activities of this committee.")
    focus: FocusArea | None = data.get("focus_area")
    if focus is not None and focus.committee_id != committee.pk:
        errors["focus_area"] = _("Choose one of this committee's focus areas.")
    if not data.get("submitted_on"):
        errors["submitted_on"] = _("The date is required.")
    attachment = data.get("attachment")
    if attachment:
        try:
            check_upload(attachment, field="attachment")
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ResearchReport(
            committee=committee,
            title=data["title"].strip(),
            topic=(data.get("topic") or "").strip(),
            focus_area=focus,
            summary=data.get("summary") or "",
            submitted_on=data["submitted_on"],
            created_by=by,
        )
        if attachment:
            report.attachment.save(
                f"report.{attachment.name.rsplit('.', 1)[-1].lower()}", attachment, save=False
            )
        report.save()
        report.author_people.set(people)
        report.author_organizations.set(organizations)
        report.surveys.set(surveys)
        audit.record(
            actor=by,
            action="create",
            obj=report,
            committee_id=committee.pk,
            changes={
                "title": [None, report.title],
                "author_people": [None, sorted(p.pk for p in people)],
                "author_organizations": [None, sorted(o.pk for o in organizations)],
                "surveys": [None, sorted(m.pk for m in surveys)],
            },
        )
    return report


def adoption_record(*, report: ResearchReport, data: dict[str, Any], by: Any) -> AdoptionEvent:
    """Record that a report was adopted, or received a leader's instruction 批示, at a level."""
    _check_office(by, report.committee_id)
    errors: dict[str, str] = {}
    if data.get("level") not in AdoptionEvent.Level.values:
        errors["level"] = _("Choose a level.")
    if data.get("kind") not in AdoptionEvent.Kind.values:
        errors["kind"] = _("Choose adopted or instruction.")
    if not (data.get("by_whom") or "").strip():
        errors["by_whom"] = _("Say who adopted it or gave the instruction.")
    when: datetime.date | None = data.get("date")
    if not when:
        errors["date"] = _("The date is required.")
    elif when > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        event = AdoptionEvent.objects.create(
            committee_id=report.committee_id,
            report=report,
            level=data["level"],
            kind=data["kind"],
            by_whom=data["by_whom"].strip(),
            date=data["date"],
            note=data.get("note") or "",
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        audit.record(
            actor=by,
            action="update",
            verb=f"adoption_{event.kind}",
            obj=report,
            committee_id=report.committee_id,
            changes={"adoption": [None, f"{event.level} · {event.kind} · {event.by_whom}"]},
        )
    return event


# ----------------------------------------------------------------------------------------------
# Settings and calendar feeds
# ----------------------------------------------------------------------------------------------


def policy_save(
    *, committee: Committee, kind: str, data: dict[str, Any], by: Any
) -> MeetingKindPolicy:
    """Set the committee's rules for one meeting kind (creating its row the first time)."""
    _check_office(by, committee.pk)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose a kind of meeting.")})
    errors: dict[str, str] = {}
    if data.get("approver_role") not in ApproverRole.values:
        errors["approver_role"] = _("Choose who approves leave.")
    if not data.get("max_leave_requests_per_meeting"):
        errors["max_leave_requests_per_meeting"] = _("At least one leave request per meeting.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = (
            MeetingKindPolicy.objects.select_for_update()
            .filter(committee=committee, kind=kind)
            .first()
        )
        created = row is None
        if row is None:
            defaults = selectors.default_policy(kind)
            row = MeetingKindPolicy(
                committee=committee,
                kind=kind,
                **{name: getattr(defaults, name) for name in selectors.POLICY_FIELDS},
            )
        before = {} if created else audit.snapshot(row, selectors.POLICY_FIELDS)
        for name in selectors.POLICY_FIELDS:
            if name in data:
                setattr(row, name, data[name])
        row.save()
        changes = audit.diff(before, audit.snapshot(row, selectors.POLICY_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="create" if created else "update",
                obj=row,
                committee_id=committee.pk,
                changes=changes,
            )
    return row


def calendar_feed_for(*, person: Person) -> CalendarFeed:
    """The person's calendar feed, created with a secret token the first time."""
    feed, _created = CalendarFeed.objects.get_or_create(
        person=person, defaults={"token": new_token(), "created_at": timezone.now()}
    )
    return feed


def calendar_feed_reset(*, person: Person, by: Any) -> CalendarFeed:
    """A new secret address for the person's calendar (the old one stops working)."""
    if scope_for(by).person_id != person.pk:
        raise PermissionDenied(_("Only the member may reset their calendar address."))
    with transaction.atomic():
        feed = calendar_feed_for(person=person)
        feed.token = new_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
        audit.record(actor=by, action="update", verb="new_calendar_address", obj=feed)
    return feed
