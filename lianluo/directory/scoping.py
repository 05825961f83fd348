"""Who may see and change what: the one place where visibility is decided.

Every queryset that a page or an API returns goes through `visible_to(user)` of its model's
QuerySet, which asks the user's Scope:

* office staff 机关 see their committee and, read-only, the committees under it, and change
  only their own committee's records;
* auditors / leaders see the same, read-only;
* a member sees their own record (and the committees where they hold a membership);
* a sector convener also sees the members of the sector they convene;
* a handling unit sees only what is assigned to it (nothing of the registry beyond its own
  organization).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from lianluo.core.audit import SYSTEM
from lianluo.directory.models import Committee, Grant, Membership

_CACHE_ATTR = "_lianluo_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may see and change, computed once per request."""

    user_id: int | None = None
    is_superuser: bool = False
    office_committee_ids: frozenset[int] = frozenset()
    auditor_committee_ids: frozenset[int] = frozenset()
    readable_paths: tuple[str, ...] = ()
    person_id: int | None = None
    member_committee_ids: frozenset[int] = frozenset()
    convened_sector_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    unit_committee_ids: frozenset[int] = frozenset()
    home_committee_codes: tuple[str, ...] = field(default=())

    @property
    def is_office(self) -> bool:
        return bool(self.office_committee_ids)

    @property
    def is_auditor(self) -> bool:
        return bool(self.auditor_committee_ids)

    @property
    def is_member(self) -> bool:
        return self.person_id is not None and bool(self.member_committee_ids)

    @property
    def is_convener(self) -> bool:
        return bool(self.convened_sector_ids)

    @property
    def is_unit(self) -> bool:
        return bool(self.unit_ids)

    @property
    def sees_registry(self) -> bool:
        """Staff, auditors and superusers work with registry lists; others only with their own."""
        return self.is_superuser or bool(self.readable_paths)

    def readable_committee_q(self, prefix: str = "") -> Q:
        """Q over a committee's `path` (via `prefix`) for the committees this user may read."""
        if self.is_superuser:
            return Q()
        q = Q(pk__in=[])
        for path in self.readable_paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def can_edit_committee(self, committee_id: int | None) -> bool:
        return self.is_superuser or committee_id in self.office_committee_ids

    def can_read_committee(self, committee: Committee) -> bool:
        if self.is_superuser:
            return True
        return any(committee.path.startswith(path) for path in self.readable_paths)


ANONYMOUS = Scope()
SYSTEM_SCOPE = Scope(is_superuser=True)


def scope_for(user: Any) -> Scope:
    """The Scope of `user`, cached on the user object for the rest of the request."""
    if user is SYSTEM:
        return SYSTEM_SCOPE
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = list(
        Grant.objects.filter(user=user).select_related("committee").order_by("committee__path")
    )
    office = {g.committee_id for g in grants if g.role == Grant.Role.OFFICE}
    auditor = {g.committee_id for g in grants if g.role == Grant.Role.AUDITOR}
    paths = sorted(
        {g.committee.path for g in grants if g.role in (Grant.Role.OFFICE, Grant.Role.AUDITOR)}
    )
    # A path under another readable path adds nothing.
    readable = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    person_id: int | None = getattr(getattr(user, "person", None), "pk", None)
    member_committees: set[int] = set()
    convened: set[int] = set()
    if person_id is not None:
        serving = Membership.objects.filter(
            person_id=person_id, status=Membership.Status.SERVING
        ).values_list("committee_id", "organization_id", "organization__classification", "role")
        for committee_id, org_id, classification, role in serving:
            member_committees.add(committee_id)
            if classification == "sector" and role in (
                Membership.Role.CONVENER,
                Membership.Role.DEPUTY_CONVENER,
            ):
                convened.add(org_id)
    homes = tuple(
        dict.fromkeys(g.committee.code for g in grants if g.role != Grant.Role.UNIT).keys()
    )
    scope = Scope(
        user_id=user.pk,
        is_superuser=bool(user.is_superuser),
        office_committee_ids=frozenset(office),
        auditor_committee_ids=frozenset(auditor),
        readable_paths=readable,
        person_id=person_id,
        member_committee_ids=frozenset(member_committees),
        convened_sector_ids=frozenset(convened),
        unit_ids=frozenset(g.unit_id for g in grants if g.unit_id is not None),
        unit_committee_ids=frozenset(g.committee_id for g in grants if g.role == Grant.Role.UNIT),
        home_committee_codes=homes,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached Scope (after grants or memberships of `user` changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
