"""Synthetic proposals and opinion reports for `manage.py seed` and `demo` (deterministic).

For each committee: its policy and categories, a plenary session last year and this year (when
its newest term has none), handling units when it has too few, then per session about 0.8
proposals per member in every state of the workflow — with co-signers, groups, reference
numbers, session numbers, assignments (lead + co-handling or separate units), opinions,
replies with their classes, evaluations, rehandling, merges, key proposals with progress notes
— and per year about 0.5 opinion reports per member with their checked versions, adoption
chains and bulletin issues. About one proposal in sixteen is an edited copy of another
(near-duplicates for the similar-items panel). Everything is written with bulk_create; the
similarity and search indexes and a timeline per record are filled the same way.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from lianluo.core.models import AuditEvent
from lianluo.directory.models import Committee, Membership, Organization, Person, Session
from lianluo.proposals import search, similarity, textgen
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    Evaluation,
    IndexKind,
    KeySupervision,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    ProposalCategory,
    ProposalPolicy,
    Reply,
    ReportAuthor,
    SearchEntry,
    SimilarityDoc,
    SupervisionNote,
)
from lianluo.proposals.services import add_working_days, categories_ensure_defaults, policy_ensure

UNIT_NAMES = (
    "发展和改革委员会",
    "教育局",
    "财政局",
    "住房和城乡建设局",
    "卫生健康委员会",
    "民政局",
    "人力资源和社会保障局",
    "生态环境局",
    "交通运输局",
    "农业农村局",
    "文化旅游广电体育局",
    "市场监督管理局",
    "自然资源和规划局",
    "城市管理和综合执法局",
    "工业和信息化局",
    "水利局",
)
PROPOSAL_STATES = (  # (status, weight)
    ("draft", 3),
    ("cosigning", 3),
    ("submitted", 8),
    ("returned", 2),
    ("withdrawn", 2),
    ("rejected", 4),
    ("merged", 3),
    ("suggestion", 5),
    ("to_report", 3),
    ("accepted", 5),
    ("handling", 25),
    ("answered", 14),
    ("closed", 25),
)
REPORT_STATES = (
    ("draft", 3),
    ("submitted", 15),
    ("returned", 2),
    ("accepted", 55),
    ("kept", 20),
    ("withdrawn", 5),
)
LEADERS = ("市委书记", "市长", "常务副市长", "分管副市长", "省委书记", "省长", "副省长")
GROUND_CODES = ("vague", "personal", "litigation", "academic", "promotion")
RATINGS = ("satisfied", "basic", "unsatisfied")
NEAR_DUPLICATE_SHARE = 1 / 16


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(moment)


def _aware_at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


class _Events:
    """Timeline events collected for one bulk insert."""

    def __init__(self) -> None:
        self.rows: list[AuditEvent] = []
        self._types: dict[type, ContentType] = {}

    def add(
        self,
        obj: Any,
        when: datetime.datetime,
        action: str,
        verb: str = "",
        changes: dict[str, Any] | None = None,
        actor: str = "",
        reason: str = "",
    ) -> None:
        model = type(obj)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        self.rows.append(
            AuditEvent(
                created_at=when,
                actor_label=actor,
                action=action,
                verb=verb,
                content_type=self._types[model],
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                committee_id=obj.committee_id,
                changes=changes or {},
                reason=reason,
            )
        )

    def transition(
        self, obj: Any, when: datetime.datetime, verb: str, old: str, new: str, actor: str = ""
    ) -> None:
        self.add(obj, when, "transition", verb, {"status": [old, new]}, actor)


def _sessions(
    committee: Committee, year: int, rng: random.Random, as_of: datetime.date
) -> list[Session]:
    """The last two plenary sessions held by `as_of`; when the committee has none, sessions in
    January of last year and this year of its newest term are made."""
    held = list(
        Session.objects.filter(term__committee=committee, opens_on__lte=as_of)
        .select_related("term")
        .order_by("opens_on")
    )
    if held:
        return held[-2:]
    term = committee.terms.order_by("-number").first()
    if term is None:
        return []
    made = []
    for session_year in (year - 1, year):
        opens = datetime.date(session_year, 1, 6 + rng.randrange(14))
        if term.start_date > opens or opens > as_of:
            continue
        number = (
            term.sessions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        made.append(
            Session.objects.create(
                term=term,
                number=number,
                opens_on=opens,
                closes_on=opens + datetime.timedelta(days=4),
            )
        )
    return made


def _units(committee: Committee) -> list[Organization]:
    units = list(
        Organization.objects.filter(
            committee=committee, classification=Organization.Classification.HANDLING_UNIT
        )
    )
    if len(units) >= 6:
        return units
    prefix = committee.short_name.replace("政协", "") or committee.name[:3]
    existing = {u.name for u in units}
    new = [
        Organization(
            committee=committee,
            classification=Organization.Classification.HANDLING_UNIT,
            name=f"{prefix}{name}",
            position=index,
        )
        for index, name in enumerate(UNIT_NAMES)
        if f"{prefix}{name}" not in existing
    ]
    Organization.objects.bulk_create(new)
    return list(
        Organization.objects.filter(
            committee=committee, classification=Organization.Classification.HANDLING_UNIT
        )
    )


def seed(
    *,
    committees: list[Committee],
    rng: random.Random,
    year: int,
    progress: bool,
    as_of: datetime.date | None = None,
) -> dict[str, int]:
    """Proposals and opinion reports for `committees`, nothing dated after `as_of` (default:
    the end of `year`); returns the counts of what was made."""
    as_of = as_of or datetime.date(year, 12, 31)
    counts: dict[str, int] = defaultdict(int)
    for committee in tqdm(committees, disable=not progress, desc="proposals", unit="committee"):
        with transaction.atomic():
            made = _seed_committee(committee, rng, year, as_of)
        for key, value in made.items():
            counts[key] += value
    return dict(counts)


def _seed_committee(
    committee: Committee, rng: random.Random, year: int, as_of: datetime.date
) -> dict[str, int]:
    policy = policy_ensure(committee=committee)
    categories = {c.slug: c for c in categories_ensure_defaults(committee=committee)}
    categories.update({c.slug: c for c in ProposalCategory.objects.filter(committee=committee)})
    sessions = _sessions(committee, year, rng, as_of)
    members = list(
        Person.objects.filter(
            memberships__committee=committee,
            memberships__organization__isnull=True,
            memberships__status=Membership.Status.SERVING,
        )
        .distinct()
        .order_by("pk")
    )
    if not sessions or len(members) < 4:
        return {}
    if committee.is_demo and not policy.publication_enabled:
        policy.publication_enabled = True
        policy.save(update_fields=["publication_enabled"])
    units = _units(committee)
    groups = list(
        Organization.objects.filter(
            committee=committee,
            classification__in=(
                Organization.Classification.PARTY_GROUP,
                Organization.Classification.SECTOR,
                Organization.Classification.SPECIAL_COMMITTEE,
            ),
        )
    )
    leaders = [
        m.person
        for m in Membership.objects.filter(
            committee=committee,
            organization__isnull=True,
            status=Membership.Status.SERVING,
            role__in=(Membership.Role.CHAIR, Membership.Role.VICE_CHAIR),
        )
        .select_related("person")
        .order_by("id")
    ] or members[:3]
    seeder = _Seeder(committee, policy, rng, members, units, groups, leaders, categories, as_of)
    for index, session in enumerate(sessions):
        until = sessions[index + 1].opens_on if index + 1 < len(sessions) else as_of
        seeder.proposals_for(session, until=min(until, as_of))
    seeder.reports_for(year)
    return seeder.finish()


class _Seeder:
    def __init__(
        self,
        committee: Committee,
        policy: Any,
        rng: random.Random,
        members: list[Person],
        units: list[Organization],
        groups: list[Organization],
        leaders: list[Person],
        categories: dict[str, ProposalCategory],
        as_of: datetime.date,
    ) -> None:
        self.as_of = as_of
        self.last_moment = _aware_at(as_of, 17, 0)
        self.committee = committee
        self.policy = policy
        self.rng = rng
        self.members = members
        self.units = units
        self.groups = groups
        self.leaders = leaders
        self.categories = categories
        self.fallback = next(iter(categories.values()))
        self.events = _Events()
        self.counts: dict[str, int] = defaultdict(int)
        self.reference_seq: dict[tuple[str, int], int] = defaultdict(int)
        for model, key in ((Proposal, "p"), (OpinionReport, "r")):
            for year_value, top in model.objects.filter(committee=committee).values_list(
                "year", "reference_seq"
            ):
                if top and year_value:
                    self.reference_seq[(key, year_value)] = max(
                        self.reference_seq[(key, year_value)], top
                    )
        self.proposals_made: list[Proposal] = []
        self.reports_made: list[OpinionReport] = []
        self.replies_made: list[Reply] = []

    # ---------------------------------------------------------------------------------
    def cap(self, moment: datetime.datetime) -> datetime.datetime:
        """Nothing happens after `as_of`."""
        return min(moment, self.last_moment)

    def cap_day(self, day: datetime.date) -> datetime.date:
        return min(day, self.as_of)

    def _reference(self, key: str, year: int) -> tuple[int, str]:
        self.reference_seq[(key, year)] += 1
        seq = self.reference_seq[(key, year)]
        return seq, f"{year}-{'S' if key == 'r' else ''}{seq:04d}"

    def proposals_for(self, session: Session, *, until: datetime.date) -> None:
        """About 0.8 proposals per member for a session: session proposals in the two months
        before it opens, proposals between sessions after it closes and before `until`."""
        rng = self.rng
        count = max(12, min(6000, int(len(self.members) * rng.uniform(0.7, 0.9))))
        texts: list[textgen.Text] = []
        rows: list[tuple[Proposal, str, textgen.Text]] = []
        top_number = (
            Proposal.objects.filter(session=session)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        )
        for _ in range(count):
            if texts and rng.random() < NEAR_DUPLICATE_SHARE:
                text = textgen.edited_copy(rng, rng.choice(texts))
            else:
                text = textgen.proposal_text(rng, target_chars=rng.randint(400, 1300))
            texts.append(text)
            status = _pick(rng, PROPOSAL_STATES)
            kind = _pick(rng, (("individual", 70), ("joint", 20), ("collective", 10)))
            if kind == "collective" and not self.groups:
                kind = "individual"
            timing = "plenary" if rng.random() < 0.85 else "between"
            if timing == "plenary":
                day = session.opens_on - datetime.timedelta(days=rng.randrange(0, 60))
            else:
                room = max(11, min(200, (until - session.closes_on).days - 30))
                day = session.closes_on + datetime.timedelta(days=rng.randrange(10, room))
            created = _aware(day - datetime.timedelta(days=rng.randrange(1, 10)), rng)
            submitted = _aware(day, rng) if status not in ("draft", "cosigning") else None
            proposal = Proposal(
                committee=self.committee,
                session=session if submitted else None,
                timing=timing if submitted else "",
                kind=kind,
                group=rng.choice(self.groups) if kind == "collective" else None,
                author=rng.choice(self.members),
                title=text.title,
                body=text.body[: self.policy.body_max_chars],
                category=self.categories.get(text.category, self.fallback),
                no_secret_declared=True,
                consent_publication=rng.random() < 0.9,
                status=status,
                year=day.year,
                submitted_at=submitted,
            )
            if not proposal.consent_publication:
                proposal.publication_refusal_reason = "涉及个人信息"
            proposal.created_at = created
            proposal.seed_created = created  # type: ignore[attr-defined]
            if submitted:
                proposal.reference_seq, proposal.reference = self._reference("p", day.year)
            if status in Proposal.ACCEPTED_STATUSES:
                top_number += 1
                proposal.number = top_number
            if (
                status not in ("draft", "cosigning", "submitted", "returned", "withdrawn")
                and submitted
            ):
                proposal.decided_at = self.cap(
                    submitted + datetime.timedelta(days=rng.randrange(3, 20))
                )
            if status == "rejected":
                proposal.rejection_ground = rng.choice(GROUND_CODES)
            if status == "returned":
                proposal.review_note = "请补充具体建议和数据来源。"
            rows.append((proposal, status, text))
        proposals = Proposal.objects.bulk_create([p for p, _, _ in rows], batch_size=500)
        self._fix_created(proposals)
        self._authors(proposals)
        self._after_review(proposals, session)
        self.proposals_made += proposals
        self.counts["proposals"] += len(proposals)

    def _fix_created(self, objs: Iterable[Any]) -> None:
        """bulk_create set created_at to now (auto_now_add): put the synthetic dates back."""
        objs = list(objs)
        model = type(objs[0]) if objs else None
        if model is None:
            return
        for obj in objs:
            obj.created_at = getattr(obj, "seed_created", obj.created_at)
            obj.updated_at = obj.submitted_at or obj.created_at
        model.objects.bulk_update(objs, ["created_at", "updated_at"], batch_size=500)

    def _authors(self, proposals: list[Proposal]) -> None:
        rng = self.rng
        rows: list[ProposalAuthor] = []
        for p in proposals:
            rows.append(
                ProposalAuthor(
                    committee=self.committee, proposal=p, person=p.author, role="first", position=0
                )
            )
            when = p.submitted_at or p.created_at
            self.events.add(p, p.created_at, "create", changes={"title": [None, p.title]})
            if p.kind != "joint":
                if p.submitted_at:
                    self.events.transition(p, when, "submit", "draft", "submitted")
                continue
            others = [
                m for m in rng.sample(self.members, k=min(4, len(self.members))) if m != p.author
            ]
            for index, person in enumerate(others[: rng.randint(1, 3)]):
                if p.status == "draft":
                    state = "invited"
                elif p.status == "cosigning":
                    state = rng.choice(("invited", "confirmed"))
                else:
                    state = "confirmed" if index == 0 or rng.random() < 0.8 else "lapsed"
                rows.append(
                    ProposalAuthor(
                        committee=self.committee,
                        proposal=p,
                        person=person,
                        role="cosigner",
                        state=state,
                        position=index + 1,
                        deadline=p.created_at + datetime.timedelta(days=self.policy.cosign_days),
                        responded_at=p.created_at + datetime.timedelta(days=1)
                        if state == "confirmed"
                        else None,
                    )
                )
            if p.status != "draft":
                self.events.transition(p, p.created_at, "invite", "draft", "cosigning")
            if p.submitted_at:
                self.events.transition(p, when, "submit", "cosigning", "submitted")
        ProposalAuthor.objects.bulk_create(rows, batch_size=1000)

    def _after_review(self, proposals: list[Proposal], session: Session) -> None:
        rng = self.rng
        accepted = [p for p in proposals if p.status in Proposal.ACCEPTED_STATUSES]
        merged_updates: list[Proposal] = []
        credits: list[ProposalAuthor] = []
        reports: list[tuple[Proposal, OpinionReport]] = []
        for p in proposals:
            if p.decided_at is None:
                continue
            verb = {
                "rejected": "reject",
                "merged": "merge",
                "suggestion": "suggest",
                "to_report": "to_report",
            }.get(p.status, "accept")
            target_status = p.status if verb != "accept" else "accepted"
            self.events.transition(p, p.decided_at, verb, "submitted", target_status, "office")
            if p.status == "merged" and accepted:
                target = rng.choice(accepted)
                p.merged_into = target
                merged_updates.append(p)
                credits.append(
                    ProposalAuthor(
                        committee=self.committee,
                        proposal=target,
                        person=p.author,
                        role="merged",
                        position=50 + len(credits),
                        via=p,
                    )
                )
            if p.status == "to_report":
                seq, ref = self._reference("r", p.decided_at.year)
                reports.append(
                    (
                        p,
                        OpinionReport(
                            committee=self.committee,
                            year=p.decided_at.year,
                            kind="individual",
                            author=p.author,
                            title=p.title,
                            body=p.body[: self.policy.report_body_max_chars],
                            category=p.category,
                            status="submitted",
                            reference_seq=seq,
                            reference=ref,
                            submitted_at=p.decided_at,
                            source_proposal=p,
                        ),
                    )
                )
        Proposal.objects.bulk_update(merged_updates, ["merged_into"], batch_size=500)
        existing = set(
            ProposalAuthor.objects.filter(proposal__in=[c.proposal for c in credits]).values_list(
                "proposal_id", "person_id"
            )
        )
        ProposalAuthor.objects.bulk_create(
            [c for c in credits if (c.proposal_id, c.person_id) not in existing],
            batch_size=500,
            ignore_conflicts=True,
        )
        for source, report in reports:
            report.seed_created = source.decided_at  # type: ignore[attr-defined]
        made = OpinionReport.objects.bulk_create([r for _, r in reports], batch_size=500)
        self._fix_created(made)
        ReportAuthor.objects.bulk_create(
            [
                ReportAuthor(committee=self.committee, report=r, person=r.author, role="first")
                for r in made
            ]
        )
        self.reports_made += made
        self.counts["reports"] += len(made)
        self._assign(accepted)

    def _assign(self, accepted: list[Proposal]) -> None:
        rng = self.rng
        assignments: list[Assignment] = []
        plan: list[tuple[Proposal, list[Assignment]]] = []
        for p in accepted:
            if p.status == "accepted":
                continue
            start = self.cap(
                (p.decided_at or p.submitted_at or p.created_at)
                + datetime.timedelta(days=rng.randrange(5, 25))
            )
            picked = rng.sample(self.units, k=min(3, len(self.units)))
            roles = (
                ["separate", "separate"]
                if rng.random() < 0.1
                else ["lead"] + ["cohandling"] * rng.randrange(0, 3)
            )
            own = []
            for unit, role in zip(picked, roles, strict=False):
                due_days = (
                    self.policy.cohandling_days if role == "cohandling" else self.policy.answer_days
                )
                due = start.date() + datetime.timedelta(days=due_days)
                own.append(
                    Assignment(
                        committee=self.committee,
                        proposal=p,
                        unit=unit,
                        role=role,
                        assigned_at=start,
                        due_on=due,
                        return_by=min(
                            add_working_days(start.date(), self.policy.return_window_days), due
                        ),
                    )
                )
            plan.append((p, own))
            assignments += own
            self.events.transition(p, start, "assign", "accepted", "handling", "office")
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        self.counts["assignments"] += len(assignments)
        self._replies(plan)

    def _replies(self, plan: list[tuple[Proposal, list[Assignment]]]) -> None:
        rng = self.rng
        classes = [c["code"] for c in self.policy.answer_classes]
        labels = {c["code"]: c["label"] for c in self.policy.answer_classes}
        replies: list[Reply] = []
        evaluations: list[tuple[Reply, Evaluation]] = []
        changed: list[Assignment] = []
        supervisions: list[KeySupervision] = []
        for p, own in plan:
            answering = p.status in ("answered", "closed")
            when = latest = own[0].assigned_at
            for a in own:
                if a.role == "cohandling":
                    if answering or rng.random() < 0.5:
                        when = self.cap(
                            a.assigned_at + datetime.timedelta(days=rng.randrange(5, 30))
                        )
                        replies.append(self._reply(a, "opinion", 1, when, "", "", True))
                        a.status = "opinion_sent"
                        changed.append(a)
                    continue
                if not answering:
                    continue
                rounds = 2 if p.status == "closed" and rng.random() < 0.08 else 1
                when = a.assigned_at
                for round_no in range(1, rounds + 1):
                    when = self.cap(when + datetime.timedelta(days=rng.randrange(20, 110)))
                    code = rng.choices(classes, weights=[5, 3, 2, 1][: len(classes)])[0]
                    reply = self._reply(
                        a, "reply", round_no, when, code, labels[code], when.date() <= a.due_on
                    )
                    replies.append(reply)
                    if p.status == "closed":
                        last = round_no == rounds
                        result = (
                            "unsatisfied"
                            if not last
                            else rng.choices(RATINGS, weights=[80, 17, 3])[0]
                        )
                        evaluations.append(
                            (
                                reply,
                                Evaluation(
                                    committee=self.committee,
                                    person=p.author,
                                    attitude=rng.choices(RATINGS, weights=[88, 11, 1])[0],
                                    result=result,
                                    rehandle_requested=not last,
                                    created_at=self.cap(
                                        when + datetime.timedelta(days=rng.randrange(3, 15))
                                    ),
                                ),
                            )
                        )
                a.round = rounds
                a.status = "evaluated" if p.status == "closed" else "replied"
                changed.append(a)
                latest = max(latest, when)
                self.events.add(
                    p, when, "update", "assignment_reply", {"unit": [None, str(a.unit)]}
                )
            if answering:
                self.events.transition(p, latest, "answer", "handling", "answered")
            if p.status == "closed":
                p.closed_at = self.cap(latest + datetime.timedelta(days=20))
                self.events.transition(p, p.closed_at, "close", "answered", "closed")
            if rng.random() < 0.04:
                p.is_key = True
                supervisions.append(
                    KeySupervision(
                        committee=self.committee,
                        proposal=p,
                        leader=rng.choice(self.leaders),
                        selected_at=self.cap(
                            (p.decided_at or p.created_at) + datetime.timedelta(days=10)
                        ),
                        note="涉及面广、群众关注度高",
                    )
                )
        Assignment.objects.bulk_update(changed, ["status", "round"], batch_size=1000)
        made = Reply.objects.bulk_create(replies, batch_size=1000)
        self.replies_made += made
        for reply, evaluation in evaluations:
            evaluation.reply = reply
        Evaluation.objects.bulk_create([e for _, e in evaluations], batch_size=1000)
        Proposal.objects.bulk_update([p for p, _ in plan], ["closed_at", "is_key"], batch_size=500)
        KeySupervision.objects.bulk_create(supervisions)
        SupervisionNote.objects.bulk_create(
            SupervisionNote(
                committee=self.committee,
                supervision=s,
                happened_on=self.cap(s.selected_at + datetime.timedelta(days=30 * (i + 1))).date(),
                text=text,
                created_at=self.cap(s.selected_at + datetime.timedelta(days=30 * (i + 1))),
            )
            for s in supervisions
            for i, text in enumerate(("召开督办协商会，听取承办单位汇报", "实地视察办理进展"))
        )
        if self.committee.is_demo:
            now = timezone.now()
            published = [p for p, _ in plan if p.status == "closed" and p.consent_publication]
            for p in published[::3]:
                p.published_at = now
            Proposal.objects.bulk_update(published[::3], ["published_at"], batch_size=500)
            ids = {p.pk for p in published[::3]}
            shown = [r for r in made if r.proposal_id in ids and r.kind == "reply"]
            for r in shown:
                r.published_at = now
            Reply.objects.bulk_update(shown, ["published_at"], batch_size=500)
        self.counts["replies"] += len(made)
        self.counts["evaluations"] += len(evaluations)
        self.counts["key_proposals"] += len(supervisions)

    def _reply(
        self,
        a: Assignment,
        kind: str,
        round_no: int,
        when: datetime.datetime,
        code: str,
        label: str,
        on_time: bool,
    ) -> Reply:
        what = "答复" if kind == "reply" else "会办意见"
        text = (
            f"{a.unit}关于《{a.proposal.title}》的{what}：经认真研究，我单位高度重视，"
            "已将相关工作纳入年度计划，下一步将加强协调、落实资金、加快推进。"
        )
        return Reply(
            committee=self.committee,
            proposal=a.proposal,
            assignment=a,
            kind=kind,
            round=round_no,
            text=text,
            answer_class=code,
            answer_class_label=label,
            replied_at=when,
            on_time=on_time,
        )

    # ---------------------------------------------------------------------------------
    def reports_for(self, year: int) -> None:
        rng = self.rng
        count = max(8, min(3000, int(len(self.members) * rng.uniform(0.4, 0.6))))
        rows: list[OpinionReport] = []
        for _ in range(count):
            text = textgen.report_text(rng)
            status = _pick(rng, REPORT_STATES)
            room = max(30, min(240, (self.as_of - datetime.date(year, 1, 1)).days - 20))
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, room))
            kind = _pick(rng, (("individual", 80), ("joint", 12), ("collective", 8)))
            if kind == "collective" and not self.groups:
                kind = "individual"
            report = OpinionReport(
                committee=self.committee,
                year=year,
                kind=kind,
                group=rng.choice(self.groups) if kind == "collective" else None,
                author=rng.choice(self.members),
                title=text.title,
                body=text.body,
                category=self.categories.get(text.category, self.fallback),
                status=status,
            )
            report.created_at = _aware(day, rng)
            report.seed_created = report.created_at  # type: ignore[attr-defined]
            submitted = self.cap(_aware(day + datetime.timedelta(days=1), rng))
            if status != "draft":
                report.submitted_at = submitted
                report.reference_seq, report.reference = self._reference("r", year)
            if status in ("accepted", "kept"):
                report.decided_at = self.cap(
                    submitted + datetime.timedelta(days=rng.randrange(2, 15))
                )
            if status == "accepted":
                report.edited_title = text.title.replace("有关情况的反映", "问题亟待重视")
                report.edited_body = text.body.replace("为此建议：", "建议：")
                report.edited_at = report.decided_at
            rows.append(report)
        made = OpinionReport.objects.bulk_create(rows, batch_size=500)
        self._fix_created(made)
        authors = []
        for r in made:
            authors.append(
                ReportAuthor(committee=self.committee, report=r, person=r.author, role="first")
            )
            if r.kind == "joint":
                other = rng.choice(self.members)
                if other != r.author:
                    authors.append(
                        ReportAuthor(
                            committee=self.committee,
                            report=r,
                            person=other,
                            role="joint",
                            position=1,
                        )
                    )
            self.events.add(r, r.created_at, "create", changes={"title": [None, r.title]})
            if r.submitted_at:
                self.events.transition(r, r.submitted_at, "submit", "draft", "submitted")
            if r.decided_at:
                self.events.transition(
                    r,
                    r.decided_at,
                    "accept" if r.status == "accepted" else "keep",
                    "submitted",
                    r.status,
                    "office",
                )
        ReportAuthor.objects.bulk_create(authors, batch_size=1000)
        self.reports_made += made
        self.counts["reports"] += len(made)
        self._adoptions([r for r in made if r.status == "accepted"], year)

    def _adoptions(self, accepted: list[OpinionReport], year: int) -> None:
        rng = self.rng
        level = self.committee.level
        higher = [
            lv
            for lv in ("county", "municipal", "provincial", "national")
            if AdoptionEvent.LEVEL_ORDER[lv] > AdoptionEvent.LEVEL_ORDER[level]
        ]
        events: list[AdoptionEvent] = []
        for r in accepted:
            when = (r.decided_at or r.created_at).date()

            def add(
                lv: str,
                body: str,
                kind: str,
                scope: str = "single",
                by: str = "",
                text: str = "",
                r: OpinionReport = r,
            ) -> None:
                nonlocal when
                when = self.cap_day(when + datetime.timedelta(days=rng.randrange(3, 30)))
                events.append(
                    AdoptionEvent(
                        committee=self.committee,
                        report=r,
                        level=lv,
                        body=body,
                        scope=scope,
                        kind=kind,
                        by_whom=by,
                        occurred_on=when,
                        text=text,
                        recorded_at=_aware(when, rng),
                        fed_back_at=_aware(when, rng),
                    )
                )

            if rng.random() < 0.7:
                add(level, "cppcc", "adopted")
            if rng.random() < 0.25:
                add(level, "government", "forwarded", by="政府办公室")
            if rng.random() < 0.12:
                add(
                    level,
                    "party",
                    "instruction",
                    by=rng.choice(LEADERS),
                    text="请有关部门研究办理。",
                )
            if rng.random() < 0.06:
                add(level, "department", "department_adopted", by="有关职能部门")
            for lv in higher:
                if rng.random() < 0.3:
                    add(lv, "cppcc", "reported")
                    if rng.random() < 0.35:
                        add(lv, "cppcc", "adopted", scope=rng.choice(("single", "combined")))
                        if rng.random() < 0.15:
                            add(
                                lv,
                                "party",
                                "instruction",
                                by=rng.choice(LEADERS),
                                text="阅。请研究。",
                            )
                else:
                    break
        AdoptionEvent.objects.bulk_create(events, batch_size=1000)
        self.counts["adoption_events"] += len(events)
        # One bulletin issue a month with that month's accepted reports.
        by_month: dict[int, list[OpinionReport]] = defaultdict(list)
        for r in accepted:
            by_month[(r.decided_at or r.created_at).month].append(r)
        top = (
            BulletinIssue.objects.filter(committee=self.committee, year=year)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        )
        issues = []
        for index, month in enumerate(sorted(by_month), start=top + 1):
            issues.append(
                BulletinIssue(
                    committee=self.committee,
                    year=year,
                    number=index,
                    title="社情民意",
                    published_on=self.cap_day(datetime.date(year, month, 25)),
                )
            )
        made = BulletinIssue.objects.bulk_create(issues)
        BulletinEntry.objects.bulk_create(
            BulletinEntry(committee=self.committee, issue=issue, report=r, position=position)
            for issue, month in zip(made, sorted(by_month), strict=True)
            for position, r in enumerate(by_month[month][:12], start=1)
        )
        self.counts["bulletin_issues"] += len(made)

    # ---------------------------------------------------------------------------------
    def finish(self) -> dict[str, int]:
        """Index what was made (similar items, full text) and write the timelines."""
        similarity.index(
            similarity.Entry(
                kind=IndexKind.PROPOSAL,
                object_id=p.pk,
                committee_id=p.committee_id,
                session_id=p.session_id,
                year=p.year or p.created_at.year,
                text=similarity.text_of(p.title, p.body),
            )
            for p in self.proposals_made
        )
        similarity.index(
            similarity.Entry(
                kind=IndexKind.REPORT,
                object_id=r.pk,
                committee_id=r.committee_id,
                session_id=None,
                year=r.year,
                text=similarity.text_of(r.title, r.body),
            )
            for r in self.reports_made
        )
        search.index(
            [
                *(
                    search.entry_for(
                        committee_id=p.committee_id,
                        kind=IndexKind.PROPOSAL,
                        object_id=p.pk,
                        year=p.year or p.created_at.year,
                        title=p.title,
                        texts=[p.body],
                    )
                    for p in self.proposals_made
                    if not p.is_private
                ),
                *(
                    search.entry_for(
                        committee_id=r.committee_id,
                        kind=IndexKind.REPORT,
                        object_id=r.pk,
                        year=r.year,
                        title=r.shown_title,
                        texts=[r.title, r.body, r.edited_body],
                    )
                    for r in self.reports_made
                    if r.status != "draft"
                ),
                *(
                    search.entry_for(
                        committee_id=r.committee_id,
                        kind=IndexKind.REPLY,
                        object_id=r.pk,
                        year=r.replied_at.year,
                        title=r.proposal.title,
                        texts=[r.text],
                    )
                    for r in self.replies_made
                ),
            ]
        )
        AuditEvent.objects.bulk_create(self.events.rows, batch_size=2000)
        self.counts["timeline_events"] += len(self.events.rows)
        return dict(self.counts)


def delete(*, committee_ids: list[int]) -> dict[str, int]:
    """Delete this app's records of these committees (for `seed --reset`), children first."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        Proposal.objects.filter(committee_id__in=committee_ids).update(merged_into=None)
        for model in (
            SupervisionNote,
            KeySupervision,
            Evaluation,
            Attachment,
            Reply,
            Assignment,
            BulletinEntry,
            BulletinIssue,
            AdoptionEvent,
            ReportAuthor,
            OpinionReport,
            ProposalAuthor,
            SimilarityDoc,
            SearchEntry,
            Proposal,
            ProposalCategory,
            ProposalPolicy,
        ):
            _, deleted = model.objects.filter(committee_id__in=committee_ids).delete()
            for label, n in deleted.items():
                counts[label] = counts.get(label, 0) + n
    return counts
