"""Reads of the registry that are worth a name. Each list is one query, whatever its size."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from lianluo.directory.models import Committee, Membership, Organization, Person, Term


def committees_for(user: Any) -> QuerySet[Committee]:
    """The committees `user` may open, national first, then by division code."""
    return Committee.objects.visible_to(user).select_related("parent").order_by("path")


def committee_seats(committee: Committee, *, term: Term | None = None) -> QuerySet[Membership]:
    """The seats 委员 of a committee (one term, or all), in the official order 按姓氏笔画."""
    seats = Membership.objects.filter(committee=committee, organization__isnull=True)
    if term is not None:
        seats = seats.filter(term=term)
    return seats.select_related("person", "sector", "term").order_by(
        "person__name_sort_key", "person_id", "-term__number"
    )


def sector_counts(committee: Committee, *, term: Term | None) -> QuerySet[Organization]:
    """The committee's sectors, each with its number of serving seats in `term`."""
    serving = Q(seats__status=Membership.Status.SERVING)
    if term is not None:
        serving &= Q(seats__term=term)
    return (
        Organization.objects.filter(committee=committee, classification="sector")
        .annotate(serving=Count("seats", filter=serving))
        .order_by("position", "id")
    )


def person_memberships(person: Person) -> QuerySet[Membership]:
    """Every membership of a person, in every committee, newest term first.

    Memberships in CPPCC committees are public facts (member lists are published), so a person's
    page shows all of them together; only the owning committee's office may change one.
    """
    return (
        Membership.objects.filter(person=person)
        .select_related("committee", "term", "organization", "sector")
        .order_by("committee__path", "-term__number", "organization_id")
    )


def search_people(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Filter by name, pinyin ("zhangsan", "zhangs") or pinyin initials ("zs")."""
    text = text.strip()
    if not text:
        return queryset
    if text.isascii():
        key = "".join(text.lower().split())
        return queryset.filter(Q(name_pinyin__startswith=key) | Q(name_initials__startswith=key))
    return queryset.filter(name__contains=text)
