"""Providers: each turns one app's rows of one committee and period into engine Records.

A provider reads one query (rows of one kind from one app; attendance reads the period's
meetings first, then their records) and returns `Record`s with the field
values declared in `kinds.py`. Providers of an app that is not installed are never registered
(`registry()` imports `providers/<app>.py` only for installed apps), so the engine runs with
whatever apps a deployment has. A new record kind = a declaration in `kinds.py` + a provider in
the module of its app, listed in that module's `PROVIDERS`.

A provider's queryset of a committee and period is built once per process (`built_once`) and
narrowed to the people asked for at each call: for one member, building a queryset of a dozen
joined columns takes Django longer than the database takes to answer it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lianluo.assessment.engine import Record

# app label → module of its providers
MODULES = {
    "directory": "lianluo.assessment.providers.directory",
    "meetings": "lianluo.assessment.providers.meetings",
    "proposals": "lianluo.assessment.providers.proposals",
    "liaison": "lianluo.assessment.providers.liaison",
    "casework": "lianluo.assessment.providers.casework",
    "assessment": "lianluo.assessment.providers.adjustments",
}


@dataclass(frozen=True)
class Query:
    """What to read: one committee's records dated from `start` to `end` (inclusive), of all
    members or only of `person_ids`. `assessment_id` lets the adjustment provider find its rows."""

    committee_id: int
    committee_level: str
    start: datetime.date
    end: datetime.date
    person_ids: frozenset[int] | None = None
    assessment_id: int | None = None

    def aware_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, the day after end 00:00) in the current time zone, for datetimes."""
        tz = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        return first, after


Fetch = Callable[[Query], list[Record]]


def built_once(build: Callable[..., QuerySet[Any]]) -> Callable[..., QuerySet[Any]]:
    """Keep the querysets `build` makes, by its (hashable) arguments: a committee and a period.
    A kept queryset is never evaluated (it holds no rows, only the SQL to come); each call
    returns a copy of it, to narrow and to evaluate."""
    kept = lru_cache(maxsize=256)(build)

    @wraps(build)
    def copy(*args: Any) -> QuerySet[Any]:
        return kept(*args).all()

    return copy


@dataclass(frozen=True)
class Provider:
    """Reads the records of `kind` from the app `app_label`, one query per call."""

    kind: str
    app_label: str
    fetch: Fetch
    name: str = ""


@cache
def registry() -> dict[str, tuple[Provider, ...]]:
    """The providers of the installed apps, by record kind (a kind may have several sources)."""
    found: dict[str, list[Provider]] = {}
    for app_label, module_name in MODULES.items():
        if not apps.is_installed(f"lianluo.{app_label}"):
            continue
        module = import_module(module_name)
        for provider in module.PROVIDERS:
            found.setdefault(provider.kind, []).append(provider)
    return {kind: tuple(items) for kind, items in found.items()}


def fetch(kinds: Collection[str], query: Query) -> list[Record]:
    """The records of `kinds` (those that have a provider), one query per provider."""
    records: list[Record] = []
    providers = registry()
    for kind in sorted(kinds):
        for provider in providers.get(kind, ()):
            records.extend(provider.fetch(query))
    return records


def url_maker(name: str) -> Callable[[Any], str]:
    """A fast `pk → URL` for the URL pattern `name`, which takes one pk (reversed once, not
    once per row)."""
    marker = 987654321
    head, _, tail = reverse(name, args=[marker]).partition(str(marker))

    def make(pk: Any) -> str:
        return f"{head}{pk}{tail}"

    return make


def local_dates() -> Callable[[datetime.datetime | datetime.date], datetime.date]:
    """A function giving the local date of a datetime (the site's time zone, looked up once:
    a provider calls it for every row)."""
    zone = timezone.get_current_timezone()

    def local_date(value: datetime.datetime | datetime.date) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.astimezone(zone).date()
        return value

    return local_date


def labels(choices: Any) -> dict[str, str]:
    """A TextChoices' labels as plain strings, translated once (not once per row)."""
    return {str(value): str(label) for value, label in choices}


def positions(rows: list[tuple[Any, int, int]]) -> dict[tuple[Any, int], tuple[int, int]]:
    """(item, person, order key) rows → {(item, person): (1-based position, number of authors)}."""
    by_item: dict[Any, list[tuple[int, int]]] = {}
    for item, person, order in rows:
        by_item.setdefault(item, []).append((order, person))
    result: dict[tuple[Any, int], tuple[int, int]] = {}
    for item, authors in by_item.items():
        ordered = sorted(set(authors))
        seen: list[int] = []
        for _order, person in ordered:
            if person not in seen:
                seen.append(person)
        for index, person in enumerate(seen, start=1):
            result[(item, person)] = (index, len(seen))
    return result
