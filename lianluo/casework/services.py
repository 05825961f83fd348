"""Writes to concerns. Each function validates, saves and audits in one transaction; messages to
people leave only when it commits (lianluo.core.notifications)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lianluo.casework import codes, screen, uploads, webhooks
from lianluo.casework.models import (
    Attachment,
    CaseworkPolicy,
    Category,
    Concern,
    ConcernReply,
    Open311Client,
    ScreenTerm,
    UnitEndpoint,
    WebhookDelivery,
)
from lianluo.casework.selectors import (
    office_users,
    policy_for,
    site_url,
    studio_ids_of,
    studio_users,
    unit_users,
)
from lianluo.casework.workflow import CONSTITUENT, MEMBER, OFFICE, SYSTEM, UNIT, machine
from lianluo.core import audit, crypto, links, notifications
from lianluo.core.chinese import is_valid_mobile, mask_mobile, normalize_mobile
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, FocusArea, Membership, Organization, Person
from lianluo.directory.scoping import scope_for

S = Concern.Status
MAX_TOPIC = 100
MAX_DESCRIPTION = 4000
MAX_REPLY = 4000
MAX_COMMENT = 1000
PUBLIC_SOURCES = (Concern.Source.WEB, Concern.Source.OPEN311)


# ---------------------------------------------------------------- intake


def _clean_text(value: str, *, field: str, limit: int, required: bool) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(limit)d characters, please.") % {"limit": limit}}
        )
    return text


def deadline_for(
    committee: Committee, category: Category | None, *, start: datetime.datetime
) -> datetime.datetime:
    """The handling deadline 办理时限 from `start`: the category's days, else the committee's."""
    days = (category.deadline_days if category else None) or policy_for(
        committee
    ).default_deadline_days
    return start + datetime.timedelta(days=days)


def _check_author(by: Any, committee: Committee) -> None:
    """Concerns heard in person are entered by the committee's office or its serving members."""
    scope = scope_for(by)
    if scope.can_edit_committee(committee.pk) or committee.pk in scope.member_committee_ids:
        return
    raise PermissionDenied(_("Only this committee's office and members may enter concerns."))


def concern_submit(
    *,
    committee: Committee,
    topic: str,
    description: str,
    source: str,
    by: Any = None,
    place: str = "",
    category: Category | None = None,
    sector: Organization | None = None,
    member: Person | None = None,
    studio: Any = None,
    name: str = "",
    mobile: str = "",
    consent: bool = False,
    files: Sequence[Any] = (),
    honeypot: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    open311_client: Open311Client | None = None,
) -> Concern:
    """Take in a concern from the public form, Open311, or a member's or the office's notes.

    Public submissions go through the spam screen: a hit (or a filled-in honeypot) holds the
    concern for moderation with the reason; it is never dropped. The concern is committed before
    this returns, so a code shown to anyone is in the database.
    """
    errors: dict[str, str] = {}
    if source not in Concern.Source.values:
        raise ValidationError({"source": _("Unknown source.")})
    public = source in PUBLIC_SOURCES
    if public and not policy_for(committee).public_intake:
        raise ValidationError(_("This committee does not take concerns online at present."))
    if not public:
        _check_author(by, committee)
        if member is None and getattr(by, "person", None) is not None:
            person = by.person
            if Membership.objects.filter(
                person=person, committee=committee, status=Membership.Status.SERVING
            ).exists():
                member = person
    try:
        topic = _clean_text(topic, field="topic", limit=MAX_TOPIC, required=True)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    try:
        description = _clean_text(
            description, field="description", limit=MAX_DESCRIPTION, required=True
        )
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    place = (place or "").strip()[:200]
    name = (name or "").strip()
    if len(name) > 40:
        errors["name"] = _("At most %(limit)d characters, please.") % {"limit": 40}
    mobile = normalize_mobile(mobile or "")
    if mobile and not is_valid_mobile(mobile):
        errors["mobile"] = _("A mobile number has 11 digits and starts with 13 to 19.")
    if (name or mobile) and not consent:
        errors["consent"] = _(
            "Please agree that we keep your name and number to answer you, or leave them out."
        )
    if category is not None and (category.committee_id != committee.pk or not category.is_active):
        errors["category"] = _("Choose one of this committee's categories.")
    if sector is not None and (
        sector.committee_id != committee.pk
        or sector.classification != Organization.Classification.SECTOR
    ):
        errors["sector"] = _("Choose one of this committee's sectors.")
    if studio is not None and studio.committee_id != committee.pk:
        errors["studio"] = _("This studio belongs to another committee.")
    if (
        member is not None
        and not Membership.objects.filter(
            person=member, committee=committee, status=Membership.Status.SERVING
        ).exists()
    ):
        errors["member"] = _("This person is not a serving member of the committee.")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif (
        latitude is not None
        and longitude is not None
        and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
    ):
        errors["latitude"] = _("The coordinates are out of range.")
    if errors:
        raise ValidationError(errors)
    checked = uploads.check_files(list(files))

    status = S.RECEIVED
    held_reason = ""
    if public:
        if honeypot:
            status, held_reason = S.HELD, _("a field meant to stay empty was filled in")
        else:
            hit = screen.check(
                "\n".join((topic, description, place, name)), committee_id=committee.pk
            )
            if hit is not None:
                status, held_reason = S.HELD, str(hit)[:200]
    now = timezone.now()
    concern = Concern(
        committee=committee,
        topic=topic,
        description=description,
        place=place,
        latitude=latitude,
        longitude=longitude,
        category=category,
        focus_area=category.focus_area if category else None,
        sector=sector,
        member=member,
        studio=studio,
        source=source,
        entered_by=by if getattr(by, "is_authenticated", False) else None,
        open311_client=open311_client,
        constituent_name=name,
        mobile_encrypted=crypto.encrypt(mobile) if mobile else "",
        mobile_masked=mask_mobile(mobile) if mobile else "",
        consent_at=now if (name or mobile) else None,
        status=status,
        held_reason=held_reason,
        received_at=now,
    )
    with transaction.atomic():
        for _attempt in range(5):
            concern.code = codes.new_code()
            try:
                with transaction.atomic():
                    concern.save()
                break
            except IntegrityError:
                concern.pk = None
                if Concern.objects.filter(code=concern.code).exists():
                    continue
                raise
        else:  # pragma: no cover - 32⁹ codes
            raise IntegrityError("no free tracking code")
        for item in checked:
            Attachment.objects.create(
                concern=concern,
                committee=committee,
                file=item.content,
                name=item.name,
                kind=item.kind,
                content_type=item.content_type,
                size=item.size,
                uploaded_by=concern.entered_by,
            )
        audit.record(
            actor=by,
            action="create",
            verb="submit",
            obj=concern,
            changes={"status": [None, status], "source": [None, source]},
            reason=held_reason,
            committee_id=committee.pk,
        )
        if status == S.RECEIVED:
            recipients = studio_users(studio.pk) if studio is not None else []
            if member is not None and member.user_id:
                recipients.append(member.user)
            _notify(
                recipients,
                _("A concern was addressed to you: %(topic)s") % {"topic": topic},
                concern,
                kind="casework.received",
                exclude=by,
            )
    return concern


def _person(user: Any) -> Person | None:
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


# ---------------------------------------------------------------- the workflow


def concern_roles(user: Any, concern: Concern) -> set[str]:
    """What `user` is to this concern: office, member, unit (see workflow)."""
    scope = scope_for(user)
    roles: set[str] = set()
    if scope.can_edit_committee(concern.committee_id):
        roles.add(OFFICE)
    if scope.person_id is not None and (
        concern.member_id == scope.person_id
        or (concern.studio_id is not None and concern.studio_id in studio_ids_of(scope.person_id))
    ):
        roles.add(MEMBER)
    if concern.handling_unit_id is not None and concern.handling_unit_id in scope.unit_ids:
        roles.add(UNIT)
    return roles


def available_actions(user: Any, concern: Concern) -> list[str]:
    """The steps `user` may take now, in the table's order."""
    roles = concern_roles(user, concern)
    return [t.action for t in machine.available(concern.status, roles)]


class _Step:
    """What one step needs while it is applied: the locked row, its data, the user, the time."""

    def __init__(
        self, concern: Concern, data: Mapping[str, Any], by: Any, reason: str, roles: set[str]
    ) -> None:
        self.concern = concern
        self.data = data
        self.by = by
        self.reason = reason
        self.roles = roles
        self.now = timezone.now()
        self.changes: dict[str, list[Any]] = {}
        self.after: list[Callable[[], None]] = []

    def change(self, field: str, old: Any, new: Any) -> None:
        if old != new:
            self.changes[field] = [audit._plain(old), audit._plain(new)]


def _unit(step: _Step, *, other_than_current: bool = False) -> Organization:
    unit = step.data.get("unit")
    concern = step.concern
    if (
        not isinstance(unit, Organization)
        or unit.committee_id != concern.committee_id
        or unit.classification != Organization.Classification.HANDLING_UNIT
        or not unit.is_active
    ):
        raise ValidationError({"unit": _("Choose one of this committee's handling units.")})
    if other_than_current and unit.pk == concern.handling_unit_id:
        raise ValidationError({"unit": _("Reassign to another unit than the current one.")})
    return unit


def _deadline(step: _Step) -> datetime.datetime:
    value = step.data.get("deadline")
    concern = step.concern
    if value in (None, ""):
        return deadline_for(concern.committee, concern.category, start=step.now)
    if isinstance(value, datetime.datetime):
        deadline = value
    elif isinstance(value, datetime.date):
        deadline = timezone.make_aware(datetime.datetime.combine(value, datetime.time(23, 59)))
    else:
        raise ValidationError({"deadline": _("Enter a valid date.")})
    if deadline <= step.now:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    return deadline


def _set_deadline(step: _Step, deadline: datetime.datetime) -> None:
    concern = step.concern
    step.change("deadline", concern.deadline, deadline)
    concern.deadline = deadline
    concern.reminded_at = None
    concern.escalated_at = None


def _assign(step: _Step, unit: Organization, event: str) -> None:
    concern = step.concern
    old = concern.handling_unit
    step.change("unit", str(old) if old else None, str(unit))
    concern.handling_unit = unit
    concern.forwarded_at = step.now
    _set_deadline(step, _deadline(step))
    webhooks.delivery_create(concern=concern, event=event)
    _notify(
        unit_users(unit.pk),
        _("Concern assigned to %(unit)s: %(topic)s") % {"unit": unit, "topic": concern.topic},
        concern,
        kind="casework.assigned",
    )


def _apply_triage(step: _Step) -> None:
    concern = step.concern
    category = step.data.get("category")
    if not isinstance(category, Category) or category.committee_id != concern.committee_id:
        raise ValidationError({"category": _("Choose one of this committee's categories.")})
    focus_area = step.data.get("focus_area") or category.focus_area
    if focus_area is not None and (
        not isinstance(focus_area, FocusArea) or focus_area.committee_id != concern.committee_id
    ):
        raise ValidationError({"focus_area": _("Choose one of this committee's focus areas.")})
    urgency = step.data.get("urgency") or concern.urgency
    if urgency not in Concern.Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency.")})
    step.change("category", concern.category.name if concern.category else None, category.name)
    step.change("urgency", concern.urgency, urgency)
    concern.category = category
    concern.focus_area = focus_area
    concern.urgency = urgency
    concern.triaged_at = step.now


def _apply_forward(step: _Step) -> None:
    _assign(step, _unit(step), "forwarded")


def _apply_reassign(step: _Step) -> None:
    _assign(step, _unit(step, other_than_current=True), "reassigned")


def _apply_handle_directly(step: _Step) -> None:
    concern = step.concern
    person = _person(step.by)
    if MEMBER in step.roles and OFFICE not in step.roles and person is not None:
        concern.member = person
    step.change("unit", str(concern.handling_unit) if concern.handling_unit else None, None)
    concern.handling_unit = None
    _set_deadline(step, _deadline(step))


def _apply_convert(step: _Step) -> None:
    concern = step.concern
    kind = step.data.get("converted_to")
    if kind not in Concern.ConvertedTo.values:
        raise ValidationError({"converted_to": _("Choose a proposal or an opinion report.")})
    step.change("converted_to", concern.converted_to or None, kind)
    concern.converted_to = kind
    item = step.data.get("item")
    if isinstance(item, models.Model):
        links.link(source=concern, target=item, kind="became", by=step.by)


def _constituent_sms(step: _Step, text: str) -> None:
    """An SMS to the constituent and to those whose concerns were merged into this one, when
    they left a number, consented, and the committee sends SMS."""
    concern = step.concern
    if not policy_for(concern.committee).sms_enabled:
        return
    followers = [concern, *Concern.objects.filter(merged_into=concern).exclude(mobile_encrypted="")]
    for item in followers:
        if item.mobile_encrypted and item.consent_at:
            notifications.send_outside(
                channel="sms", address=crypto.decrypt(item.mobile_encrypted), body=text
            )


def _rating_links(concern: Concern) -> str:
    token = codes.rating_token(concern.code)
    base = site_url() + reverse("casework:public_rate")
    return " ".join(
        f"{label} {base}?t={token}&r={value}"
        for value, label in (
            ("satisfied", _("Satisfied")),
            ("basically_satisfied", _("Basically satisfied")),
            ("unsatisfied", _("Unsatisfied")),
        )
    )


def _record_reply(step: _Step, text: str, outcome: str) -> ConcernReply:
    concern = step.concern
    reply = ConcernReply.objects.create(
        concern=concern,
        committee_id=concern.committee_id,
        text=text,
        outcome=outcome,
        unit=concern.handling_unit if UNIT in step.roles else None,
        by=step.by if getattr(step.by, "is_authenticated", False) else None,
        created_at=step.now,
    )
    step.change("outcome", concern.outcome or None, outcome)
    concern.reply_text = text
    concern.outcome = outcome
    concern.replied_at = step.now
    _constituent_sms(
        step,
        _("Your concern %(code)s has been answered: %(url)s Rate the answer: %(links)s")
        % {
            "code": concern.display_code,
            "url": site_url() + reverse("casework:public_track", args=[concern.code]),
            "links": _rating_links(concern),
        },
    )
    recipients = office_users(concern.committee_id)
    if concern.member is not None and concern.member.user_id:
        recipients.append(concern.member.user)
    _notify(
        recipients,
        _("Concern answered: %(topic)s") % {"topic": concern.topic},
        concern,
        kind="casework.replied",
        exclude=step.by,
    )
    return reply


def _apply_reply(step: _Step) -> None:
    text = _clean_text(
        str(step.data.get("text") or ""), field="text", limit=MAX_REPLY, required=True
    )
    outcome = step.data.get("outcome")
    answers = (
        Concern.Outcome.RESOLVED,
        Concern.Outcome.PARTLY_RESOLVED,
        Concern.Outcome.EXPLAINED,
    )
    if outcome not in answers:
        raise ValidationError({"outcome": _("Choose the outcome of the handling.")})
    checked = uploads.check_files(list(step.data.get("files") or ()))
    reply = _record_reply(step, text, str(outcome))
    for item in checked:
        Attachment.objects.create(
            concern=step.concern,
            committee_id=step.concern.committee_id,
            reply=reply,
            file=item.content,
            name=item.name,
            kind=item.kind,
            content_type=item.content_type,
            size=item.size,
            uploaded_by=reply.by,
        )


def _apply_decline(step: _Step) -> None:
    text = _clean_text(step.reason, field="reason", limit=MAX_REPLY, required=True)
    _record_reply(step, text, Concern.Outcome.DECLINED)


def _apply_rate(step: _Step) -> None:
    concern = step.concern
    rating = step.data.get("rating")
    if rating not in Concern.Rating.values:
        raise ValidationError({"rating": _("Choose how satisfied you are.")})
    comment = _clean_text(
        str(step.data.get("comment") or ""), field="comment", limit=MAX_COMMENT, required=False
    )
    step.change("rating", concern.rating or None, rating)
    concern.rating = rating
    concern.rating_comment = comment
    concern.rated_at = step.now
    concern.closed_at = step.now
    if rating == Concern.Rating.UNSATISFIED:
        recipients = office_users(concern.committee_id)
        if concern.handling_unit_id:
            recipients += unit_users(concern.handling_unit_id)
        _notify(
            recipients,
            _("The constituent is unsatisfied with the answer: %(topic)s")
            % {"topic": concern.topic},
            concern,
            kind="casework.unsatisfied",
        )


def _apply_close(step: _Step) -> None:
    step.concern.closed_at = step.now


def _apply_reopen(step: _Step) -> None:
    concern = step.concern
    window = datetime.timedelta(days=policy_for(concern.committee).reopen_window_days)
    if concern.closed_at is None or concern.closed_at + window < step.now:
        raise InvalidTransition(
            _("This concern was closed more than %(days)d days ago and can no longer be reopened.")
            % {"days": window.days},
            code="window_passed",
        )
    if step.roles == {CONSTITUENT} and concern.rating != Concern.Rating.UNSATISFIED:
        raise InvalidTransition(
            _("A concern can be reopened by its author only after an unsatisfied rating."),
            code="not_unsatisfied",
        )
    step.change("rating", concern.rating or None, None)
    step.change("outcome", concern.outcome or None, None)
    concern.outcome = ""
    concern.rating = ""
    concern.rated_at = None
    concern.closed_at = None
    concern.deadline = None
    concern.reopen_count += 1
    _notify(
        office_users(concern.committee_id),
        _("Concern reopened: %(topic)s") % {"topic": concern.topic},
        concern,
        kind="casework.reopened",
        exclude=step.by,
    )


def _apply_merge(step: _Step) -> None:
    concern = step.concern
    target = step.data.get("target")
    if (
        not isinstance(target, Concern)
        or target.pk == concern.pk
        or target.committee_id != concern.committee_id
    ):
        raise ValidationError({"target": _("Choose an earlier concern of this committee.")})
    target = Concern.objects.get(pk=target.pk)
    if target.status not in Concern.OPEN_STATES or target.received_at > concern.received_at:
        raise ValidationError({"target": _("Merge into an earlier concern that is still open.")})
    step.change("merged_into", None, target.code)
    concern.merged_into = target
    # Whoever followed this one now follows the earlier one too.
    Concern.objects.filter(merged_into=concern).update(merged_into=target)
    links.link(source=concern, target=target, kind="merged_into", by=step.by)


def _handlers(concern: Concern) -> list[Any]:
    """Who is working on it: the unit's users, else the member, else the office."""
    if concern.handling_unit_id:
        return unit_users(concern.handling_unit_id)
    if concern.member is not None and concern.member.user_id:
        return [concern.member.user]
    return office_users(concern.committee_id)


def _apply_supervise(step: _Step) -> None:
    _notify(
        _handlers(step.concern),
        _("Supervision 督办: %(topic)s") % {"topic": step.concern.topic},
        step.concern,
        kind="casework.supervised",
        body=step.reason,
    )
    webhooks.delivery_create(concern=step.concern, event="supervised")


def _apply_remind(step: _Step) -> None:
    concern = step.concern
    concern.reminded_at = step.now
    _notify(
        _handlers(concern),
        _("Deadline %(date)s approaching: %(topic)s")
        % {"date": timezone.localtime(concern.deadline).date(), "topic": concern.topic},
        concern,
        kind="casework.reminder",
    )


def _apply_escalate(step: _Step) -> None:
    concern = step.concern
    concern.escalated_at = step.now
    recipients = office_users(concern.committee_id)
    _notify(
        recipients,
        _("Overdue: %(topic)s") % {"topic": concern.topic},
        concern,
        kind="casework.overdue",
    )


def _apply_ask_clarification(step: _Step) -> None:
    _notify(
        office_users(step.concern.committee_id),
        _("Clarification asked: %(topic)s") % {"topic": step.concern.topic},
        step.concern,
        kind="casework.clarification",
        body=step.reason,
    )


def _apply_clarify(step: _Step) -> None:
    _notify(
        _handlers(step.concern),
        _("Clarification given: %(topic)s") % {"topic": step.concern.topic},
        step.concern,
        kind="casework.clarified",
        body=step.reason,
    )
    webhooks.delivery_create(concern=step.concern, event="clarified")


def _apply_return(step: _Step) -> None:
    _notify(
        office_users(step.concern.committee_id),
        _("Returned by %(unit)s: %(topic)s")
        % {"unit": step.concern.handling_unit, "topic": step.concern.topic},
        step.concern,
        kind="casework.returned",
        body=step.reason,
    )


def _nothing(step: _Step) -> None:
    return None


_APPLY: dict[str, Callable[[_Step], None]] = {
    "release": _nothing,
    "discard": _nothing,
    "triage": _apply_triage,
    "merge": _apply_merge,
    "decline": _apply_decline,
    "forward": _apply_forward,
    "handle_directly": _apply_handle_directly,
    "convert": _apply_convert,
    "accept": _nothing,
    "return": _apply_return,
    "reassign": _apply_reassign,
    "reply": _apply_reply,
    "ask_clarification": _apply_ask_clarification,
    "clarify": _apply_clarify,
    "rate": _apply_rate,
    "close": _apply_close,
    "reopen": _apply_reopen,
    "supervise": _apply_supervise,
    "remind": _apply_remind,
    "escalate": _apply_escalate,
}


def _notify(
    recipients: Sequence[Any],
    title: str,
    concern: Concern,
    *,
    kind: str,
    body: str = "",
    exclude: Any = None,
) -> None:
    exclude_pk = getattr(exclude, "pk", None)
    users = [user for user in recipients if user is not None and user.pk != exclude_pk]
    if users:
        notifications.notify(
            recipients=users,
            title=title,
            body=body,
            url=reverse("casework:concern", args=[concern.pk]),
            obj=concern,
            kind=kind,
        )


def concern_transition(
    *,
    concern: Concern,
    action: str,
    by: Any,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    acting_as: str | None = None,
) -> Concern:
    """Take one step of the workflow: check it against the table and the user's roles, apply it,
    record it on the concern's timeline and send its notifications.

    `acting_as` is for callers that proved who they are otherwise: "constituent" (the public
    pages, after checking the signed link) and "system" (the deadline sweep); `by` is then None.
    Raises InvalidTransition (a refused step) or ValidationError (bad data for an allowed step).
    """
    if acting_as is not None:
        if by is not None or acting_as not in (CONSTITUENT, SYSTEM):
            raise PermissionDenied("acting_as is only for the public pages and the sweep")
        roles = {acting_as}
    else:
        roles = concern_roles(by, concern)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Concern.objects.select_for_update(of=("self",))
            .select_related("committee", "category", "handling_unit", "member")
            .get(pk=concern.pk)
        )
        if acting_as is None:
            roles = concern_roles(by, locked)
        transition = machine.check(state=locked.status, action=action, roles=roles, reason=reason)
        step = _Step(locked, data or {}, by, reason, roles)
        old = locked.status
        _APPLY[action](step)
        locked.status = transition.target
        locked.save()
        audit.record(
            actor=by,
            action="transition",
            verb=action,
            obj=locked,
            changes={"status": [old, transition.target], **step.changes},
            reason=reason,
            committee_id=locked.committee_id,
        )
    return locked


def concern_comment(*, concern: Concern, rating: str, comment: str) -> Concern:
    """The constituent adds a comment after the one-click rating, and may change the rating
    while the concern is still closed by that rating."""
    if rating not in Concern.Rating.values:
        raise ValidationError({"rating": _("Choose how satisfied you are.")})
    comment = _clean_text(comment, field="comment", limit=MAX_COMMENT, required=False)
    with transaction.atomic():
        locked = Concern.objects.select_for_update().get(pk=concern.pk)
        if locked.status != S.CLOSED or not locked.rating:
            raise InvalidTransition(_("This concern has not been rated yet."), code="not_rated")
        changes = {}
        if locked.rating != rating:
            changes["rating"] = [locked.rating, rating]
        if comment != locked.rating_comment:
            changes["comment"] = ["", "…"] if comment else ["…", ""]
        locked.rating = rating
        locked.rating_comment = comment
        locked.save(update_fields=["rating", "rating_comment", "updated_at"])
        if changes:
            audit.record(
                actor=None,
                action="update",
                verb="comment",
                obj=locked,
                changes=changes,
                committee_id=locked.committee_id,
            )
    return locked


def concern_link_item(*, concern: Concern, item: models.Model, by: Any) -> None:
    """Keep the link from a concern to the proposal or opinion report made from it (the
    proposals app calls this); the concern's timeline then follows that item's states."""
    with transaction.atomic():
        links.link(source=concern, target=item, kind="became", by=by)
        audit.record(
            actor=by,
            action="update",
            verb="link",
            obj=concern,
            changes={"linked": [None, f"{item._meta.verbose_name} {item}"]},
            committee_id=concern.committee_id,
        )


# What a converted concern becomes, made by the app that owns it (found by name: casework never
# imports the proposals app): converted_to → (app, the draft maker).
DRAFT_MAKERS = {
    Concern.ConvertedTo.PROPOSAL: (
        "lianluo.proposals",
        "lianluo.proposals.services.proposal_create_from",
    ),
    Concern.ConvertedTo.OPINION_REPORT: (
        "lianluo.proposals",
        "lianluo.proposals.services.report_create_from",
    ),
}


def drafted_item(concern: Concern) -> models.Model | None:
    """The proposal or opinion report already made from a converted concern, if any."""
    for direction, kind, other in links.links_of(concern):
        if direction == "out" and kind == "became":
            return other
    return None


def concern_draft_item(*, concern: Concern, by: Any) -> models.Model:
    """Make the draft proposal or opinion report a converted concern became, written by `by` (a
    member of the concern's committee), prefilled with the concern's topic and text and linked
    both ways. Drafting twice returns the first draft."""
    if concern.status != S.CONVERTED or not concern.converted_to:
        raise ValidationError(
            _("Only a concern turned into a proposal or opinion report can be drafted from.")
        )
    if not concern_roles(by, concern):
        raise PermissionDenied(_("You may only read this concern."))
    existing = drafted_item(concern)
    if existing is not None:
        return existing
    app, maker = DRAFT_MAKERS[Concern.ConvertedTo(concern.converted_to)]
    if not apps.is_installed(app):
        raise ValidationError(_("Proposals and opinion reports are not enabled on this site."))
    with transaction.atomic():
        item = import_string(maker)(source=concern, by=by, committee=concern.committee)
        concern_link_item(concern=concern, item=item, by=by)
    return item


def concerns_bulk_forward(
    *,
    concerns: Sequence[Concern],
    unit: Organization,
    by: Any,
    deadline: datetime.date | None = None,
) -> tuple[list[Concern], dict[str, str]]:
    """Forward several concerns to one unit (each a step of its own, reassigning those that
    came back). Returns the forwarded concerns and, per code, why the others were refused."""
    done: list[Concern] = []
    refused: dict[str, str] = {}
    for concern in concerns:
        action = "reassign" if concern.status == S.RETURNED else "forward"
        try:
            done.append(
                concern_transition(
                    concern=concern,
                    action=action,
                    by=by,
                    data={"unit": unit, "deadline": deadline},
                )
            )
        except InvalidTransition as error:
            refused[concern.code] = error.message
        except ValidationError as error:
            refused[concern.code] = "; ".join(error.messages)
    return done, refused


def concern_reveal(*, concern: Concern, by: Any, purpose: str = "") -> dict[str, str]:
    """The constituent's name and full number, for the office or the assigned unit; logged."""
    roles = concern_roles(by, concern)
    if not roles & {OFFICE, UNIT}:
        raise PermissionDenied(_("You may not see this constituent's personal data."))
    values: dict[str, str] = {}
    if concern.constituent_name:
        values["name"] = concern.constituent_name
    if concern.mobile_encrypted:
        values["mobile"] = crypto.decrypt(concern.mobile_encrypted)
    if values:
        audit.log_personal_data_access(
            user=by,
            kind="view",
            model=concern,
            object_id=concern.pk,
            fields=values,
            purpose=purpose,
        )
    return values


# ---------------------------------------------------------------- the sweep


def concerns_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind before the deadline and escalate after it (each once per deadline); send due
    webhook deliveries. Run by the `sweep_overdue` task (`manage.py casework_sweep`)."""
    now = now or timezone.now()
    reminded = escalated = 0
    running = Concern.objects.filter(status__in=Concern.DEADLINE_STATES)
    overdue = running.filter(deadline__lt=now, escalated_at__isnull=True)
    for concern in overdue.only("pk").order_by("deadline")[:1000]:
        try:
            concern_transition(concern=concern, action="escalate", by=None, acting_as=SYSTEM)
            escalated += 1
        except InvalidTransition:
            continue
    policies = {
        p.committee_id: p.reminder_days
        for p in CaseworkPolicy.objects.filter(
            committee_id__in=running.values("committee_id")
        ).only("committee_id", "reminder_days")
    }
    default_days = CaseworkPolicy._meta.get_field("reminder_days").default
    horizon = now + datetime.timedelta(days=max([default_days, *policies.values()]))
    soon = running.filter(deadline__gte=now, deadline__lte=horizon, reminded_at__isnull=True).only(
        "pk", "committee_id", "deadline"
    )
    for concern in soon.order_by("deadline")[:1000]:
        days = policies.get(concern.committee_id, default_days)
        if concern.deadline and concern.deadline - datetime.timedelta(days=days) <= now:
            try:
                concern_transition(concern=concern, action="remind", by=None, acting_as=SYSTEM)
                reminded += 1
            except InvalidTransition:
                continue
    deliveries = webhooks.due_deliveries(now=now)
    for delivery_id in deliveries:
        webhooks.enqueue(delivery_id)
    return {"reminded": reminded, "escalated": escalated, "deliveries": len(deliveries)}


# ---------------------------------------------------------------- settings


def _check_office(by: Any, committee: Committee) -> None:
    if not scope_for(by).can_edit_committee(committee.pk):
        raise PermissionDenied(_("Only this committee's office may change this."))


def policy_update(*, committee: Committee, by: Any, data: Mapping[str, Any]) -> CaseworkPolicy:
    """Change a committee's casework policy (created on first change)."""
    _check_office(by, committee)
    fields = (
        "default_deadline_days",
        "reminder_days",
        "reopen_window_days",
        "rating_link_days",
        "sms_enabled",
        "public_intake",
    )
    with transaction.atomic():
        policy, _created = CaseworkPolicy.objects.select_for_update().get_or_create(
            committee=committee
        )
        before = audit.snapshot(policy, fields)
        for field in fields:
            if field in data:
                setattr(policy, field, data[field])
        if not 1 <= policy.default_deadline_days <= 365:
            raise ValidationError({"default_deadline_days": _("Between 1 and 365 days, please.")})
        if policy.rating_link_days < 1:
            raise ValidationError({"rating_link_days": _("At least one day, please.")})
        policy.save()
        changes = audit.diff(before, audit.snapshot(policy, fields))
        if changes:
            audit.record(
                actor=by, action="update", obj=policy, changes=changes, committee_id=committee.pk
            )
    return policy


CATEGORY_FIELDS = (
    "code",
    "name",
    "description",
    "group",
    "keywords",
    "deadline_days",
    "focus_area",
    "position",
    "is_active",
)


def category_save(
    *, committee: Committee, by: Any, data: Mapping[str, Any], category: Category | None = None
) -> Category:
    """Create or change one of the committee's categories."""
    _check_office(by, committee)
    with transaction.atomic():
        if category is None:
            target = Category(committee=committee)
            before: dict[str, Any] = {}
        else:
            target = Category.objects.select_for_update().get(pk=category.pk, committee=committee)
            before = audit.snapshot(target, CATEGORY_FIELDS)
        for field in CATEGORY_FIELDS:
            if field in data:
                setattr(target, field, data[field])
        focus_area = target.focus_area
        if focus_area is not None and focus_area.committee_id != committee.pk:
            raise ValidationError({"focus_area": _("Choose one of this committee's focus areas.")})
        duplicate = Category.objects.filter(committee=committee).exclude(pk=target.pk)
        if duplicate.filter(code=target.code).exists():
            raise ValidationError({"code": _("Another category has this code.")})
        if duplicate.filter(name=target.name).exists():
            raise ValidationError({"name": _("Another category has this name.")})
        target.save()
        changes = audit.diff(before, audit.snapshot(target, CATEGORY_FIELDS))
        audit.record(
            actor=by,
            action="update" if category else "create",
            obj=target,
            changes=changes,
            committee_id=committee.pk,
        )
    return target


def screen_term_save(
    *,
    by: Any,
    committee: Committee | None,
    term: str,
    kind: str,
    reason: str,
    instance: ScreenTerm | None = None,
    is_active: bool = True,
) -> ScreenTerm:
    """Add or change a term of the spam screen: a committee's own (its office), or a global one
    (superusers). The cached screens are rebuilt at their next use."""
    scope = scope_for(by)
    if committee is None and not scope.is_superuser:
        raise PermissionDenied(_("Only an administrator may change the global lexicon."))
    if committee is not None:
        _check_office(by, committee)
    term = (term or "").strip()
    if not screen.fold(term):
        raise ValidationError({"term": _("The term needs at least one letter or digit.")})
    if len(term) > 100:
        raise ValidationError({"term": _("At most %(limit)d characters, please.") % {"limit": 100}})
    if kind not in ScreenTerm.Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    reason = (reason or "").strip()[:200] or _("listed term")
    with transaction.atomic():
        target = instance or ScreenTerm(committee=committee, created_by=by)
        before = audit.snapshot(target, ("term", "kind", "reason", "is_active")) if instance else {}
        if ScreenTerm.objects.filter(committee=committee, term=term).exclude(pk=target.pk).exists():
            raise ValidationError({"term": _("This term is already in the lexicon.")})
        target.term, target.kind, target.reason, target.is_active = term, kind, reason, is_active
        target.updated_at = timezone.now()
        target.save()
        audit.record(
            actor=by,
            action="update" if instance else "create",
            obj=target,
            changes=audit.diff(
                before, audit.snapshot(target, ("term", "kind", "reason", "is_active"))
            ),
            committee_id=committee.pk if committee else None,
        )
    return target


def endpoint_save(
    *,
    committee: Committee,
    by: Any,
    unit: Organization,
    url: str,
    secret: str = "",
    is_active: bool = True,
) -> UnitEndpoint:
    """Set a unit's webhook: its URL and (when given) a new shared secret."""
    _check_office(by, committee)
    if unit.committee_id != committee.pk or unit.classification != "handling_unit":
        raise ValidationError({"unit": _("Choose one of this committee's handling units.")})
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": _("Enter a web address starting with https://.")})
    with transaction.atomic():
        endpoint = UnitEndpoint.objects.select_for_update().filter(unit=unit).first()
        created = endpoint is None
        if endpoint is None:
            if not secret:
                raise ValidationError({"secret": _("A new endpoint needs a shared secret.")})
            endpoint = UnitEndpoint(committee=committee, unit=unit)
        endpoint.url = url
        endpoint.is_active = is_active
        if secret:
            if len(secret) < 16:
                raise ValidationError({"secret": _("The secret needs at least 16 characters.")})
            endpoint.secret_encrypted = crypto.encrypt(secret)
        endpoint.save()
        audit.record(
            actor=by,
            action="create" if created else "update",
            obj=endpoint,
            changes={"url": [None, url], "secret": ["***", "***"] if secret else []},
            committee_id=committee.pk,
        )
    return endpoint


def open311_key_digest(key: str) -> str:
    return crypto.digest("open311:" + key)


def open311_client_create(
    *, committee: Committee, by: Any, name: str, key: str | None = None
) -> tuple[Open311Client, str]:
    """Issue an API key to a client application; the key is returned once, only its digest is
    kept."""
    if by is not None:
        _check_office(by, committee)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    key = key or secrets.token_urlsafe(24)
    with transaction.atomic():
        client = Open311Client.objects.create(
            committee=committee,
            name=name[:100],
            key_digest=open311_key_digest(key),
            key_prefix=key[:6],
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit.record(
            actor=by,
            action="create",
            obj=client,
            changes={"name": [None, client.name]},
            committee_id=committee.pk,
        )
    return client, key


def open311_client_revoke(*, client: Open311Client, by: Any) -> Open311Client:
    _check_office(by, client.committee)
    with transaction.atomic():
        client.is_active = False
        client.save(update_fields=["is_active"])
        audit.record(
            actor=by,
            action="update",
            obj=client,
            changes={"is_active": [True, False]},
            committee_id=client.committee_id,
        )
    return client


def delivery_retry(*, delivery: WebhookDelivery, by: Any) -> WebhookDelivery:
    """Staff send a failed delivery again now."""
    _check_office(by, delivery.committee)
    with transaction.atomic():
        retried = webhooks.delivery_retry(delivery=delivery)
        audit.record(
            actor=by,
            action="update",
            verb="retry",
            obj=delivery.concern,
            changes={"delivery": [delivery.state, retried.state]},
            committee_id=delivery.committee_id,
        )
    return retried


def open311_authenticate(key: str) -> Open311Client | None:
    """The active client holding `key`, or None."""
    if not key:
        return None
    client = (
        Open311Client.objects.filter(key_digest=open311_key_digest(key), is_active=True)
        .select_related("committee")
        .first()
    )
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
