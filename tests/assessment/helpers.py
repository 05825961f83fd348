"""Small builders for engine tests: records and members without a database."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianluo.assessment.engine import MemberPeriod, Record

RULEBOOKS = Path(__file__).resolve().parents[2] / "lianluo" / "assessment" / "rulebooks"


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def rec(
    kind: str,
    record_id: Any,
    person: int,
    date: str,
    *,
    position: int = 1,
    authors: int = 1,
    item: Any = "",
    **fields: Any,
) -> Record:
    if kind in ("proposal", "opinion_report", "adoption", "research_report"):
        fields.setdefault("author", "first" if position == 1 else "co_signer")
    return Record(
        kind=kind,
        record_id=str(record_id),
        person_id=person,
        date=day(date),
        fields=fields,
        position=position,
        authors=authors,
        item=str(item),
        url=f"/records/{kind}/{record_id}/",
        label=f"{kind} {record_id}",
    )


def member(
    person: int,
    *,
    start: str | None = None,
    end: str | None = None,
    role: str = "member",
    term_start: str | None = None,
) -> MemberPeriod:
    return MemberPeriod(
        person_id=person,
        start=day(start) if start else None,
        end=day(end) if end else None,
        role=role,
        term_start=day(term_start) if term_start else None,
    )


def rulebook_text(name: str) -> str:
    return (RULEBOOKS / name).read_text(encoding="utf-8")
