"""The record kinds a rulebook may score, and the fields (with their allowed values) of each.

A record kind is a declaration, not code: its name, the fields a rule may test, and the values
each field may take. Rulebooks are validated against these declarations (unknown kind, unknown
field, unknown value are refused with their line). The providers (`providers/<app>.py`) turn one
app's rows into `engine.Record`s of a kind, with field values from these lists.

A new kind = one `register(Kind(...))` here (or in the provider module that brings it) + one
provider. The engine never changes.

Field values are the same everywhere, whatever the app calls them internally: the provider maps
the app's states to these values (for instance a proposal's review outcome, not its workflow
state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FieldType = Literal["choice", "bool", "number", "text"]


@dataclass(frozen=True)
class Field:
    """A field of a record kind. `values` lists the allowed values of a choice field."""

    type: FieldType = "choice"
    values: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Kind:
    """A record kind: what the records are, which app provides them, and their fields.

    `shared` kinds have co-authors: each author's record carries its position (1 = first
    proposer) and the number of authors, and the field `author`.
    """

    name: str
    label: str | Promise
    app: str
    fields: Mapping[str, Field] = field(default_factory=dict)
    shared: bool = False


AUTHOR = Field(
    values=("first", "co_signer", "collective_main"),
    help="first proposer / author, co-signer 联名人, main member of a collective item",
)
MEETING_KINDS = (
    "plenary",  # 全体会议
    "standing",  # 常委会议
    "chairs",  # 主席会议
    "thematic",  # 专题协商会
    "sector",  # 界别协商 / 界别活动
    "grassroots",  # 与基层群众协商
    "inspection",  # 视察
    "survey",  # 调研
    "supervision",  # 民主监督 / 民主评议
    "training",  # 学习培训
    "studio",  # 委员工作室活动
)
SEAT_ROLES = ("chair", "vice_chair", "secretary_general", "standing_member", "member")
LEVELS = ("county", "municipal", "provincial", "national")

KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a record kind (idempotent for the same declaration)."""
    KINDS[kind.name] = kind
    return kind


register(
    Kind(
        name="attendance",
        label=_("attendance at a meeting or activity"),
        app="meetings",
        fields={
            "meeting_kind": Field(values=MEETING_KINDS),
            "status": Field(values=("present", "late", "excused", "absent", "no_show")),
            "mandatory": Field(type="bool", help="必须参加 (not by invitation or sign-up)"),
            "left_early": Field(type="bool", help="早退"),
            "member_role": Field(values=SEAT_ROLES, help="the seat role when invited"),
            "half_days": Field(type="number", help="length of the meeting in half-days"),
        },
    )
)
register(
    Kind(
        name="speech",
        label=_("speech"),
        app="meetings",
        fields={
            "speech_kind": Field(values=("oral", "written")),
            "meeting_kind": Field(values=MEETING_KINDS),
            "selected": Field(type="bool", help="selected for the plenary 大会发言"),
        },
    )
)
register(
    Kind(
        name="research_report",
        label=_("research report"),
        app="meetings",
        shared=True,
        fields={"author": AUTHOR},
    )
)
register(
    Kind(
        name="proposal",
        label=_("proposal"),
        app="proposals",
        shared=True,
        fields={
            "outcome": Field(
                values=(
                    "pending",  # submitted, not reviewed yet
                    "accepted",  # 立案 (and every later handling state)
                    "rejected",  # 不予立案
                    "merged",  # 并案 into another proposal
                    "converted_opinion",  # 转社情民意信息
                    "converted_suggestion",  # 转意见建议
                    "withdrawn",  # 撤案
                )
            ),
            "form": Field(values=("individual", "joint", "collective")),
            "author": AUTHOR,
            "timing": Field(values=("plenary", "between"), help="大会提案 / 平时提案"),
            "key": Field(type="bool", help="重点提案"),
            "excellent": Field(type="bool", help="优秀提案"),
            "forwarded_to": Field(values=("none", "provincial", "national")),
        },
    )
)
register(
    Kind(
        name="opinion_report",
        label=_("opinion report"),
        app="proposals",
        shared=True,
        fields={
            "state": Field(values=("submitted", "returned", "accepted", "kept")),
            "form": Field(values=("individual", "joint", "collective")),
            "author": AUTHOR,
            "excellent": Field(type="bool", help="优秀社情民意"),
            "from_proposal": Field(type="bool", help="a proposal turned into 社情民意"),
        },
    )
)
register(
    Kind(
        name="adoption",
        label=_("adoption or instruction (one link of the chain)"),
        app="proposals",
        shared=True,
        fields={
            "of": Field(values=("opinion_report", "research_report"), help="what was adopted"),
            "level": Field(values=LEVELS),
            "body": Field(values=("cppcc", "party", "government", "department")),
            "mode": Field(values=("single", "combined"), help="单篇 / 综合"),
            "action": Field(
                values=("adopted", "forwarded", "reported", "instruction", "department_adopted")
            ),
            "author": AUTHOR,
        },
    )
)
register(
    Kind(
        name="liaison_activity",
        label=_("liaison activity"),
        app="liaison",
        fields={
            "activity_kind": Field(
                values=("visit", "reception", "forum", "survey", "online", "sector")
            ),
            "headcount": Field(type="number", help="constituents reached"),
        },
    )
)
register(
    Kind(
        name="reception_duty",
        label=_("reception day on duty"),
        app="liaison",
        fields={},
    )
)
register(
    Kind(
        name="concern",
        label=_("concern handled"),
        app="casework",
        fields={
            "status": Field(
                values=(
                    "received",
                    "triaged",
                    "forwarded",
                    "handling",
                    "clarification",
                    "returned",
                    "converted",
                    "replied",
                    "closed",
                    "merged",
                )
            ),
            "outcome": Field(
                values=("resolved", "partly_resolved", "explained", "declined", "none")
            ),
            "rating": Field(values=("satisfied", "basically_satisfied", "unsatisfied", "none")),
            "converted_to": Field(values=("proposal", "opinion_report", "none")),
            "source": Field(
                values=("web", "open311", "visit", "reception", "phone", "letter", "other")
            ),
        },
    )
)
register(
    Kind(
        name="role",
        label=_("role held in the year"),
        app="directory",
        fields={
            "role": Field(
                values=(
                    *SEAT_ROLES,
                    "director",
                    "deputy_director",
                    "convener",
                    "deputy_convener",
                    "liaison",
                )
            ),
            "organization": Field(
                values=("sector", "special_committee", "party_group", "sector_group", "office")
            ),
        },
    )
)
ADJUSTMENT = register(
    Kind(
        name="adjustment",
        label=_("manual adjustment (with a reason and an approver)"),
        app="assessment",
        fields={"part": Field(type="text"), "points": Field(type="number")},
    )
)


def kind_names() -> tuple[str, ...]:
    return tuple(sorted(KINDS))
