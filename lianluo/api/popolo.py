"""A committee's registry as Popolo JSON (https://www.popoloproject.com/).

What the export holds, and why:

* **organizations**: the committee itself (classification ``committee``, id
  ``organization/<code>``) and its members' organizations — sectors 界别, special committees
  专门委员会, parties and groups 党派团体, sector groups 界别小组 — each with ``parent_id`` its
  parent organization or else the committee (id ``organization/<code>/<number>``). The office
  机关 and the handling units 承办单位 are not bodies members belong to: they are left out, and so
  are any memberships in them.
* **memberships**: every membership of the committee, serving or historical. A seat 委员 becomes a
  membership in the committee with the ``post_id`` of its role, plus a membership in its sector
  (id ``membership/<number>/sector``). A role in an organization becomes a membership in that
  organization with the ``post_id`` of its role.
* **posts**: one per (organization, role) actually held, e.g. "湘潭市政协 常委".
* **persons**: everyone with one of those memberships; only their name, its parts, its pinyin
  (``sort_name``) and gender. The ID number (not even masked), mobile number, birth date and every
  other personal detail are never part of it.

Labels (roles, posts, terms) are in the request's language; ids are stable. One query per kind.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianluo.directory.models import Committee, Membership, Organization, Person

#: Organizations that members belong to; the office and handling units are not exported.
MEMBER_CLASSIFICATIONS = (
    Organization.Classification.SECTOR,
    Organization.Classification.SPECIAL_COMMITTEE,
    Organization.Classification.PARTY_GROUP,
    Organization.Classification.SECTOR_GROUP,
)
CODE_SCHEME = "GB/T 2260"

PopoloObject = dict[str, Any]


def committee_id(committee: Committee) -> str:
    return f"organization/{committee.code}"


def organization_id(committee: Committee, organization_pk: int) -> str:
    return f"organization/{committee.code}/{organization_pk}"


def person_id(person_pk: int) -> str:
    return f"person/{person_pk}"


def post_id(committee: Committee, organization_pk: int | None, role: str) -> str:
    if organization_pk is None:
        return f"post/{committee.code}/{role}"
    return f"post/{committee.code}/{organization_pk}/{role}"


def exported_organizations(committee: Committee) -> QuerySet[Organization]:
    """The committee's members' organizations (no office, no handling units)."""
    return (
        Organization.objects.filter(committee=committee, classification__in=MEMBER_CLASSIFICATIONS)
        .order_by("classification", "position", "id")
        .only("id", "name", "short_name", "classification", "parent_id")
    )


def exported_memberships(committee: Committee) -> QuerySet[Membership]:
    """Seats and roles in the members' organizations, serving or historical."""
    return (
        Membership.objects.filter(committee=committee)
        .filter(
            Q(organization__isnull=True)
            | Q(
                organization__committee=committee,
                organization__classification__in=MEMBER_CLASSIFICATIONS,
            )
        )
        .select_related("term")
        .only("person", "organization", "sector", "role", "start_date", "end_date", "term__number")
        .order_by("term__number", "organization_id", "person_id", "id")
    )


def exported_persons(committee: Committee) -> QuerySet[Person]:
    """People with an exported membership. Only public fields are loaded at all."""
    holders = exported_memberships(committee).values("person_id")
    return (
        Person.objects.filter(pk__in=holders)
        .order_by("name_sort_key", "id")
        .only("id", "name", "family_name", "given_name", "name_pinyin", "gender")
    )


def _person(person: Person) -> PopoloObject:
    data: PopoloObject = {
        "id": person_id(person.pk),
        "name": person.name,
        "family_name": person.family_name,
        "sort_name": person.name_pinyin,
        "other_names": [],
    }
    if person.given_name:
        data["given_name"] = person.given_name
    if person.gender:
        data["gender"] = person.gender
    if person.name_pinyin:
        data["other_names"].append({"name": person.name_pinyin, "note": _("pinyin")})
    return data


def _committee_organization(committee: Committee) -> PopoloObject:
    data: PopoloObject = {
        "id": committee_id(committee),
        "name": committee.name,
        "classification": "committee",
        "identifiers": [{"identifier": committee.code, "scheme": CODE_SCHEME}],
        "other_names": [],
    }
    if committee.short_name and committee.short_name != committee.name:
        data["other_names"].append({"name": committee.short_name, "note": _("short name")})
    return data


def _organization(committee: Committee, org: Organization, exported: set[int]) -> PopoloObject:
    parent = (
        organization_id(committee, org.parent_id)
        if org.parent_id is not None and org.parent_id in exported
        else committee_id(committee)
    )
    data: PopoloObject = {
        "id": organization_id(committee, org.pk),
        "name": org.name,
        "classification": str(org.classification),
        "parent_id": parent,
        "other_names": [],
    }
    if org.short_name and org.short_name != org.name:
        data["other_names"].append({"name": org.short_name, "note": _("short name")})
    return data


def _label(name: str, role: str) -> str:
    return f"{name} {Membership.Role(role).label}"


def _term_label(number: int) -> str:
    return _("Term %(number)s") % {"number": number}


def _dates(membership: Membership) -> PopoloObject:
    dates: PopoloObject = {"start_date": membership.start_date.isoformat()}
    if membership.end_date is not None:
        dates["end_date"] = membership.end_date.isoformat()
    return dates


def committee_popolo(committee: Committee) -> PopoloObject:
    """The Popolo export of one committee: persons, organizations, memberships and posts."""
    orgs = list(exported_organizations(committee))
    exported = {org.pk for org in orgs}
    names = {org.pk: (org.short_name or org.name) for org in orgs}
    organizations = [_committee_organization(committee)]
    organizations += [_organization(committee, org, exported) for org in orgs]

    memberships: list[PopoloObject] = []
    posts: dict[str, PopoloObject] = {}
    for membership in exported_memberships(committee):
        org_pk = membership.organization_id
        role = membership.role
        holder = person_id(membership.person_id)
        term = _term_label(membership.term.number)
        where = committee_id(committee) if org_pk is None else organization_id(committee, org_pk)
        post = post_id(committee, org_pk, role)
        if post not in posts:
            name = committee.short_name if org_pk is None else names[org_pk]
            posts[post] = {
                "id": post,
                "label": _label(name, role),
                "role": str(Membership.Role(role).label),
                "organization_id": where,
            }
        memberships.append(
            {
                "id": f"membership/{membership.pk}",
                "person_id": holder,
                "organization_id": where,
                "post_id": post,
                "role": str(Membership.Role(role).label),
                "label": term,
                **_dates(membership),
            }
        )
        if org_pk is None and membership.sector_id in exported:
            memberships.append(
                {
                    "id": f"membership/{membership.pk}/sector",
                    "person_id": holder,
                    "organization_id": organization_id(committee, membership.sector_id),
                    "role": str(Membership.Role.MEMBER.label),
                    "label": term,
                    **_dates(membership),
                }
            )

    return {
        "persons": [_person(person) for person in exported_persons(committee)],
        "organizations": organizations,
        "memberships": memberships,
        "posts": sorted(posts.values(), key=lambda post: post["id"]),
    }
