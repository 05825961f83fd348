"""Providers of the proposals app: proposals, opinion reports and each link of their adoption
chain, one record per (item, credited author)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lianluo.assessment.engine import Record
from lianluo.assessment.providers import (
    Provider,
    Query,
    built_once,
    labels,
    local_dates,
    positions,
    url_maker,
)

if TYPE_CHECKING:
    pass

# Proposal workflow state → the review outcome a rulebook prices (kinds.py); drafts and
# proposals still collecting co-signatures are not submitted yet and give no record.
OUTCOME = {
    "submitted": "pending",
    "returned": "pending",
    "withdrawn": "withdrawn",
    "accepted": "accepted",
    "handling": "accepted",
    "answered": "accepted",
    "closed": "accepted",
    "rejected": "rejected",
    "merged": "merged",
    "suggestion": "converted_suggestion",
    "to_report": "converted_opinion",
}
REPORT_STATES = ("submitted", "returned", "accepted", "kept")


def _author_value(kind: str, position: int) -> str:
    if kind == "collective":
        return "collective_main"
    return "first" if position == 1 else "co_signer"


@built_once
def _proposal_rows(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.proposals.models import ProposalAuthor

    return (
        ProposalAuthor.objects.filter(
            committee_id=committee_id,
            proposal__submitted_at__gte=first,
            proposal__submitted_at__lt=after,
            proposal__status__in=OUTCOME,
        )
        .exclude(role=ProposalAuthor.Role.MERGED)
        .filter(Q(role=ProposalAuthor.Role.FIRST) | Q(state=ProposalAuthor.State.CONFIRMED))
        .values_list(
            "proposal_id",
            "person_id",
            "role",
            "position",
            "id",
            "proposal__kind",
            "proposal__status",
            "proposal__is_key",
            "proposal__timing",
            "proposal__submitted_at",
            "proposal__title",
            "proposal__reference",
        )
        .order_by("proposal_id", "id")
    )


def proposals(query: Query) -> list[Record]:
    """Submitted proposals of the period (by submission date), one record per credited author:
    the first proposer and the co-signers who confirmed. Authors of a proposal merged into
    another are credited on their own (merged) proposal, not again on the one it joined."""
    local_date = local_dates()
    from lianluo.proposals.models import ProposalAuthor

    first, after = query.aware_bounds()
    rows = _proposal_rows(query.committee_id, first, after)
    if query.person_ids is not None:
        mine = ProposalAuthor.objects.filter(person_id__in=query.person_ids).values("proposal_id")
        rows = rows.filter(proposal_id__in=mine)
    data = list(rows)
    order = positions(
        [(row[0], row[1], (0 if row[2] == "first" else 1, row[3], row[4])) for row in data]  # type: ignore[misc]
    )
    url = url_maker("proposals:proposal_detail")
    records = []
    for (
        proposal_id,
        person_id,
        _role,
        _position,
        _pk,
        kind,
        status,
        is_key,
        timing,
        submitted_at,
        title,
        reference,
    ) in data:
        if query.person_ids is not None and person_id not in query.person_ids:
            continue
        position, authors = order[(proposal_id, person_id)]
        records.append(
            Record(
                kind="proposal",
                record_id=str(proposal_id),
                person_id=person_id,
                date=local_date(submitted_at or first),
                fields={
                    "outcome": OUTCOME[status],
                    "form": kind,
                    "author": _author_value(kind, position),
                    "timing": timing or "between",
                    "key": bool(is_key),
                    "excellent": False,  # the proposals app has no 优秀提案 flag yet
                    "forwarded_to": "none",  # nor a record of forwarding upwards
                },
                position=position,
                authors=authors,
                url=url(proposal_id),
                label=f"{reference} {title}".strip(),
            )
        )
    return records


def _of_authors(rows: Any, query: Query) -> Any:
    """The rows of the reports an asked-for person wrote, with all their authors (positions)."""
    if query.person_ids is None:
        return rows
    from lianluo.proposals.models import ReportAuthor

    mine = ReportAuthor.objects.filter(person_id__in=query.person_ids).values("report_id")
    return rows.filter(report_id__in=mine)


@built_once
def _report_rows(committee_id: int, first: datetime.datetime, after: datetime.datetime) -> Any:
    from lianluo.proposals.models import ReportAuthor

    return (
        ReportAuthor.objects.filter(
            committee_id=committee_id,
            report__status__in=REPORT_STATES,
            report__submitted_at__gte=first,
            report__submitted_at__lt=after,
        )
        .values_list(
            "report_id",
            "person_id",
            "role",
            "position",
            "id",
            "report__kind",
            "report__status",
            "report__source_proposal_id",
            "report__submitted_at",
            "report__title",
        )
        .order_by("report_id", "id")
    )


@built_once
def _adoption_rows(committee_id: int, start: datetime.date, end: datetime.date) -> Any:
    from lianluo.proposals.models import ReportAuthor

    return (
        ReportAuthor.objects.filter(
            committee_id=committee_id,
            report__status__in=REPORT_STATES,
            report__adoption_events__occurred_on__range=(start, end),
        )
        .values_list(
            "report_id",
            "person_id",
            "role",
            "position",
            "id",
            "report__kind",
            "report__adoption_events__id",
            "report__adoption_events__level",
            "report__adoption_events__body",
            "report__adoption_events__scope",
            "report__adoption_events__kind",
            "report__adoption_events__occurred_on",
            "report__title",
        )
        .order_by("report_id", "id", "report__adoption_events__id")
    )


def _report_url() -> Callable[[Any], str]:
    return url_maker("proposals:report_detail")


def opinion_reports(query: Query) -> list[Record]:
    """Submitted opinion reports 社情民意 of the period, one record per author."""
    local_date = local_dates()
    first, after = query.aware_bounds()
    data = list(_of_authors(_report_rows(query.committee_id, first, after), query))
    order = positions(
        [(row[0], row[1], (0 if row[2] == "first" else 1, row[3], row[4])) for row in data]  # type: ignore[misc]
    )
    url = _report_url()
    records = []
    for report_id, person_id, _r, _p, _pk, kind, status, source, submitted_at, title in data:
        if query.person_ids is not None and person_id not in query.person_ids:
            continue
        position, authors = order[(report_id, person_id)]
        records.append(
            Record(
                kind="opinion_report",
                record_id=str(report_id),
                person_id=person_id,
                date=local_date(submitted_at or first),
                fields={
                    "state": status,
                    "form": kind,
                    "author": _author_value(kind, position),
                    "excellent": False,  # no 优秀社情民意 flag in the proposals app yet
                    "from_proposal": source is not None,
                },
                position=position,
                authors=authors,
                url=url(report_id),
                label=title,
            )
        )
    return records


def opinion_adoptions(query: Query) -> list[Record]:
    """Each link of an opinion report's adoption chain in the period (adopted, forwarded,
    reported upwards, a leader's instruction …), one record per (link, author)."""
    from lianluo.proposals.models import AdoptionEvent

    data = list(_of_authors(_adoption_rows(query.committee_id, query.start, query.end), query))
    order = positions(
        [(row[0], row[1], (0 if row[2] == "first" else 1, row[3], row[4])) for row in data]  # type: ignore[misc]
    )
    url = _report_url()
    kinds = labels(AdoptionEvent.Kind.choices)
    event_label = _("%(title)s: %(event)s")
    records = []
    for (
        report_id,
        person_id,
        _r,
        _p,
        _pk,
        form,
        event_id,
        level,
        body,
        scope,
        kind,
        occurred_on,
        title,
    ) in data:
        if query.person_ids is not None and person_id not in query.person_ids:
            continue
        position, authors = order[(report_id, person_id)]
        records.append(
            Record(
                kind="adoption",
                record_id=str(event_id),
                person_id=person_id,
                date=occurred_on,
                fields={
                    "of": "opinion_report",
                    "level": level,
                    "body": body,
                    "mode": scope,
                    "action": kind,
                    "author": _author_value(form, position),
                },
                position=position,
                authors=authors,
                item=f"opinion_report:{report_id}",
                url=url(report_id),
                label=event_label % {"title": title, "event": kinds.get(kind, kind)},
            )
        )
    return records


PROVIDERS = [
    Provider(kind="proposal", app_label="proposals", fetch=proposals, name="proposals"),
    Provider(kind="opinion_report", app_label="proposals", fetch=opinion_reports, name="reports"),
    Provider(kind="adoption", app_label="proposals", fetch=opinion_adoptions, name="adoptions"),
]
