"""Writes to the registry. Each function validates, saves and audits in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core import audit, crypto
from lianluo.core.chinese import (
    InvalidIdNumber,
    is_valid_mobile,
    mask_id_number,
    normalize_id_number,
    normalize_mobile,
    parse_id_number,
)
from lianluo.directory.models import Committee, FocusArea, Membership, Organization, Person, Term
from lianluo.directory.scoping import scope_for

PERSON_AUDIT_FIELDS = (
    "family_name",
    "given_name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_masked",
    "mobile",
    "affiliation",
    "workplace",
    "photo",
    "biography",
    "user",
)
PERSON_REDACTED = ("mobile",)
MEMBERSHIP_AUDIT_FIELDS = (
    "person",
    "committee",
    "term",
    "organization",
    "sector",
    "role",
    "start_date",
    "end_date",
    "status",
    "note",
)


def id_number_error(value: str) -> str | None:
    """A translated message saying why `value` is not a valid ID number, or None if it is."""
    try:
        parse_id_number(value)
    except InvalidIdNumber as exc:
        reasons = {
            "must be 18 characters: 17 digits and a digit or X": _(
                "An ID number has 18 characters: 17 digits and a final digit or X."
            ),
            "holds an impossible birth date": _("The ID number holds an impossible birth date."),
            "check character does not match (GB 11643 checksum)": _(
                "The ID number's last character does not match its check digit (GB 11643)."
            ),
        }
        return reasons.get(str(exc), str(exc))
    return None


def person_by_id_number(id_number: str) -> Person | None:
    """The person registered with this ID number, if any."""
    return Person.objects.filter(
        id_number_digest=crypto.digest(normalize_id_number(id_number))
    ).first()


def _set_id_number(person: Person, id_number: str) -> None:
    number = normalize_id_number(id_number)
    if not number:
        person.id_number_digest = None
        person.id_number_encrypted = ""
        person.id_number_masked = ""
        return
    error = id_number_error(number)
    if error:
        raise ValidationError({"id_number": error})
    other = person_by_id_number(number)
    if other is not None and other.pk != person.pk:
        raise ValidationError(
            {"id_number": _("Another person is already registered with this ID number.")}
        )
    person.id_number_digest = crypto.digest(number)
    person.id_number_encrypted = crypto.encrypt(number)
    person.id_number_masked = mask_id_number(number)
    if person.birth_date is None:
        person.birth_date = parse_id_number(number)


def _clean_person(person: Person) -> None:
    errors: dict[str, str] = {}
    if not person.family_name.strip():
        errors["family_name"] = _("The surname is required.")
    if person.mobile:
        if not is_valid_mobile(person.mobile):
            errors["mobile"] = _("A mobile number has 11 digits and starts with 13 to 19.")
        else:
            person.mobile = normalize_mobile(person.mobile)
    if person.birth_date and person.birth_date > timezone.localdate():
        errors["birth_date"] = _("The birth date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def person_create(*, by: Any, data: dict[str, Any], id_number: str = "") -> Person:
    """Register a new person. `data` holds Person field values; the ID number is set apart."""
    with transaction.atomic():
        person = Person(**data)
        _clean_person(person)
        _set_id_number(person, id_number)
        person.save()
        audit.record(
            actor=by,
            action="create",
            obj=person,
            changes=audit.diff(
                {}, audit.snapshot(person, PERSON_AUDIT_FIELDS, redact=PERSON_REDACTED)
            ),
        )
    return person


def person_update(
    *, person: Person, by: Any, data: dict[str, Any], id_number: str | None = None
) -> Person:
    """Change a person's record. Only office staff of a committee they belong to may."""
    if not Person.objects.editable_by(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You may not change this person's record."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        before = audit.snapshot(locked, PERSON_AUDIT_FIELDS, redact=PERSON_REDACTED)
        for key, value in data.items():
            setattr(locked, key, value)
        _clean_person(locked)
        if id_number is not None:
            _set_id_number(locked, id_number)
        locked.save()
        changes = audit.diff(
            before, audit.snapshot(locked, PERSON_AUDIT_FIELDS, redact=PERSON_REDACTED)
        )
        if changes:
            audit.record(actor=by, action="update", obj=locked, changes=changes)
    return locked


def person_reveal(
    *, person: Person, by: Any, fields: tuple[str, ...], purpose: str = ""
) -> dict[str, str]:
    """Show personal data in full (ID number, mobile) to office staff, and log the access."""
    scope = scope_for(by)
    if not (scope.is_superuser or Person.objects.editable_by(by).filter(pk=person.pk).exists()):
        raise PermissionDenied(_("You may not see this person's personal data."))
    values: dict[str, str] = {}
    if "id_number" in fields and person.id_number_encrypted:
        values["id_number"] = crypto.decrypt(person.id_number_encrypted)
    if "mobile" in fields and person.mobile:
        values["mobile"] = person.mobile
    if values:
        audit.log_personal_data_access(
            user=by, kind="view", model=person, object_id=person.pk, fields=values, purpose=purpose
        )
    return values


def _clean_membership(membership: Membership) -> None:
    errors: dict[str, str] = {}
    committee_id = membership.committee_id
    if membership.term_id and membership.term.committee_id != committee_id:
        errors["term"] = _("This term belongs to another committee.")
    org = membership.organization
    if org is not None:
        if org.committee_id != committee_id:
            errors["organization"] = _("This organization belongs to another committee.")
        elif org.classification == Organization.Classification.HANDLING_UNIT:
            errors["organization"] = _("Members do not hold roles in handling units.")
        membership.sector = None
    else:
        if membership.role not in Membership.SEAT_ROLES:
            errors["role"] = _(
                "A seat in the committee takes the role of member, standing "
                "committee member, secretary-general, vice chair or chair."
            )
        sector = membership.sector
        if sector is None:
            errors["sector"] = _("A seat in the committee needs a sector.")
        elif (
            sector.committee_id != committee_id
            or sector.classification != Organization.Classification.SECTOR
        ):
            errors["sector"] = _("Choose one of this committee's sectors.")
    if (
        membership.end_date
        and membership.start_date
        and membership.end_date < membership.start_date
    ):
        errors["end_date"] = _("The end date cannot be before the start date.")
    if membership.status != Membership.Status.SERVING and not membership.end_date:
        errors["end_date"] = _("A membership that has ended needs its end date.")
    duplicate = Membership.objects.filter(
        person_id=membership.person_id,
        term_id=membership.term_id,
        organization__isnull=membership.organization_id is None,
    ).exclude(pk=membership.pk)
    if membership.organization_id is not None:
        duplicate = duplicate.filter(organization_id=membership.organization_id)
    if membership.term_id and duplicate.exists():
        errors["__all__"] = (
            _("This person already holds a seat in this term.")
            if org is None
            else _("This person already holds a role in this organization for this term.")
        )
    if errors:
        raise ValidationError(errors)


def _check_office(by: Any, committee: Committee) -> None:
    if not scope_for(by).can_edit_committee(committee.pk):
        raise PermissionDenied(_("Only this committee's office may change its memberships."))


def membership_create(
    *, by: Any, person: Person, committee: Committee, data: dict[str, Any]
) -> Membership:
    """Give `person` a seat or a role in `committee`."""
    _check_office(by, committee)
    with transaction.atomic():
        membership = Membership(person=person, committee=committee, **data)
        _clean_membership(membership)
        membership.save()
        audit.record(
            actor=by,
            action="create",
            obj=membership,
            committee_id=committee.pk,
            changes=audit.diff({}, audit.snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)),
        )
    return membership


def membership_update(
    *, membership: Membership, by: Any, data: dict[str, Any], reason: str = ""
) -> Membership:
    """Change a membership (role, dates, status). Only its committee's office may."""
    _check_office(by, membership.committee)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        before = audit.snapshot(locked, MEMBERSHIP_AUDIT_FIELDS)
        for key, value in data.items():
            if key in ("person", "person_id", "committee", "committee_id"):
                continue
            setattr(locked, key, value)
        _clean_membership(locked)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, MEMBERSHIP_AUDIT_FIELDS))
        if changes:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                committee_id=locked.committee_id,
                changes=changes,
                reason=reason,
            )
    return locked


def current_term(committee: Committee) -> Term | None:
    """The committee's newest term."""
    return committee.terms.order_by("-number").first()


def focus_areas_ensure_defaults(*, committee: Committee) -> list[FocusArea]:
    """Give a committee the five default focus areas 五聚焦 if it has none yet."""
    from django.utils import translation

    existing = list(committee.focus_areas.all())
    if existing:
        return existing
    with translation.override("zh-hans"):
        return FocusArea.objects.bulk_create(
            FocusArea(committee=committee, slug=slug, name=str(label), position=index)
            for index, (slug, label) in enumerate(FocusArea.DEFAULTS)
        )
