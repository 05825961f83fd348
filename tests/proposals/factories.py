"""Builders for proposals and reports. A record in a given state is made through the real
services, step by step, as users would make it (never by writing the status field)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from lianluo.directory.models import Grant, Organization, Session
from lianluo.proposals import services
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    OpinionReport,
    Proposal,
    ProposalCategory,
)
from lianluo.proposals.services import AdoptionData, ProposalData, ReportData, UnitChoice
from tests.factories import GrantFactory, OrganizationFactory, UserFactory

LONG_TEXT = (
    "近年来，我市老旧小区改造取得明显成效，但加装电梯工作推进缓慢。"
    "调研发现，加装电梯的资金筹措渠道单一，主要依靠居民自筹和财政补贴，"
    "部分老旧小区因低层住户反对而无法实施。建议：一是设立加装电梯专项资金；"
    "二是简化审批流程，推行一站式服务；三是建立协商机制，化解邻里矛盾。"
)


def session_around(committee: Any, *, opens: int, closes: int, number: int = 1) -> Session:
    """A plenary session of the committee's newest term, `opens`/`closes` days from today."""
    term = committee.terms.order_by("-number").first()
    today = timezone.localdate()
    return Session.objects.create(
        term=term,
        number=number,
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
    )


def unit_with_user(committee: Any, name: str, username: str) -> SimpleNamespace:
    unit = OrganizationFactory(
        committee=committee, classification=Organization.Classification.HANDLING_UNIT, name=name
    )
    user = GrantFactory(
        user=UserFactory(username=username), committee=committee, role=Grant.Role.UNIT, unit=unit
    ).user
    return SimpleNamespace(unit=unit, user=user)


def category(committee: Any) -> ProposalCategory:
    services.policy_ensure(committee=committee)
    return ProposalCategory.objects.filter(committee=committee).order_by("position")[0]


def proposal_data(committee: Any, **overrides: Any) -> ProposalData:
    values: dict[str, Any] = {
        "title": "关于加快老旧小区加装电梯的建议",
        "body": LONG_TEXT,
        "category": category(committee),
        "kind": Proposal.Kind.INDIVIDUAL,
        "no_secret_declared": True,
    }
    values.update(overrides)
    return ProposalData(**values)


class Builder:
    """Makes proposals, assignments and reports in any state for the test world `pw`."""

    def __init__(self, pw: Any) -> None:
        self.pw = pw

    # proposals ---------------------------------------------------------------------------
    def draft(self, *, joint: bool = False, **overrides: Any) -> Proposal:
        pw = self.pw
        if joint:
            overrides.setdefault("kind", Proposal.Kind.JOINT)
            overrides.setdefault("cosigners", [pw.cosigner])
        return services.proposal_create(
            committee=pw.committee, by=pw.author_user, data=proposal_data(pw.committee, **overrides)
        )

    def cosigning(self, *, confirmed: bool = True, **overrides: Any) -> Proposal:
        proposal = self.draft(joint=True, **overrides)
        services.proposal_transition(proposal=proposal, action="invite", by=self.pw.author_user)
        if confirmed:
            services.proposal_cosign(proposal=proposal, by=self.pw.cosigner_user, confirm=True)
        return Proposal.objects.get(pk=proposal.pk)

    def submitted(self, **overrides: Any) -> Proposal:
        proposal = self.draft(**overrides)
        return services.proposal_transition(
            proposal=proposal, action="submit", by=self.pw.author_user
        )

    def step(self, proposal: Proposal, action: str, **kwargs: Any) -> Proposal:
        by = kwargs.pop("by", None) or self.pw.office
        return services.proposal_transition(proposal=proposal, action=action, by=by, **kwargs)

    def returned(self) -> Proposal:
        return self.step(self.submitted(), "return", reason="请补充具体建议")

    def withdrawn(self) -> Proposal:
        return self.step(self.draft(), "withdraw", by=self.pw.author_user)

    def accepted(self, **overrides: Any) -> Proposal:
        return self.step(self.submitted(**overrides), "accept")

    def rejected(self) -> Proposal:
        return self.step(self.submitted(), "reject", ground="vague")

    def merged(self) -> Proposal:
        target = self.submitted(title="关于老旧小区加装电梯的另一件提案")
        return self.step(self.submitted(), "merge", target=target)

    def suggestion(self) -> Proposal:
        return self.step(self.submitted(), "suggest")

    def to_report(self) -> Proposal:
        return self.step(self.submitted(), "to_report")

    def handling(self, *, cohandling: bool = False, separate: bool = False) -> Proposal:
        pw = self.pw
        if separate:
            units = [
                UnitChoice(pw.lead.unit, Assignment.Role.SEPARATE),
                UnitChoice(pw.helper.unit, Assignment.Role.SEPARATE),
            ]
        else:
            units = [UnitChoice(pw.lead.unit, Assignment.Role.LEAD)]
            if cohandling:
                units.append(UnitChoice(pw.helper.unit, Assignment.Role.COHANDLING))
        return self.step(self.accepted(), "assign", units=units)

    def lead_of(self, proposal: Proposal) -> Assignment:
        return proposal.assignments.get(unit=self.pw.lead.unit)

    def reply(self, assignment: Assignment, *, answer_class: str = "A") -> Assignment:
        return services.assignment_transition(
            assignment=assignment,
            action="reply",
            by=self.pw.lead.user
            if assignment.unit_id == self.pw.lead.unit.pk
            else self.pw.helper.user,
            text="经研究，我局已将加装电梯纳入年度计划，并设立专项资金。",
            answer_class=answer_class,
        )

    def answered(self) -> Proposal:
        proposal = self.handling()
        self.reply(self.lead_of(proposal))
        return Proposal.objects.get(pk=proposal.pk)

    def evaluate(
        self, assignment: Assignment, *, result: str = "satisfied", action: str = "evaluate"
    ) -> Assignment:
        return services.assignment_transition(
            assignment=assignment,
            action=action,
            by=self.pw.author_user,
            attitude="satisfied",
            result=result,
        )

    def closed(self) -> Proposal:
        proposal = self.answered()
        self.evaluate(self.lead_of(proposal))
        return Proposal.objects.get(pk=proposal.pk)

    def in_state(self, state: str, *, action: str = "") -> Proposal:
        """A proposal in `state`, fit for `action` (a joint draft to invite co-signers)."""
        if state == "draft":
            return self.draft(joint=action == "invite")
        if state == "cosigning":
            return self.cosigning()
        makers: dict[str, Any] = {
            "submitted": self.submitted,
            "returned": self.returned,
            "withdrawn": self.withdrawn,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "merged": self.merged,
            "suggestion": self.suggestion,
            "to_report": self.to_report,
            "handling": self.handling,
            "answered": self.answered,
            "closed": self.closed,
        }
        return makers[state]()

    # assignments -------------------------------------------------------------------------
    def assignment_in(self, state: str, *, action: str = "") -> Assignment:
        """An assignment in `state`; for send_opinion a co-handling one."""
        pw = self.pw
        if state == "assigned":
            proposal = self.handling(cohandling=action == "send_opinion")
            unit = pw.helper.unit if action == "send_opinion" else pw.lead.unit
            return proposal.assignments.get(unit=unit)
        if state == "opinion_sent":
            proposal = self.handling(cohandling=True)
            helper = proposal.assignments.get(unit=pw.helper.unit)
            return services.assignment_transition(
                assignment=helper, action="send_opinion", by=pw.helper.user, text="同意主办意见。"
            )
        if state == "replied":
            return self.reply(self.lead_of(self.handling()))
        if state == "evaluated":
            return self.evaluate(self.reply(self.lead_of(self.handling())))
        if state == "returned":
            return services.assignment_transition(
                assignment=self.lead_of(self.handling()),
                action="return",
                by=pw.lead.user,
                reason="不属于我局职责",
            )
        if state == "withdrawn":
            return services.assignment_transition(
                assignment=self.lead_of(self.handling()),
                action="withdraw",
                by=pw.office,
                reason="交办有误",
            )
        if state == "closed":
            # The office closes an answered proposal whose reply was never evaluated.
            proposal = self.answered()
            self.step(proposal, "close")
            return self.lead_of(proposal)
        raise ValueError(state)

    # reports -----------------------------------------------------------------------------
    def report_draft(self, **overrides: Any) -> OpinionReport:
        pw = self.pw
        values: dict[str, Any] = {
            "title": "关于农贸市场食品安全的情况反映",
            "body": "近期群众反映农贸市场快速检测覆盖不足。建议加强快速检测和追溯体系建设。",
            "category": category(pw.committee),
        }
        values.update(overrides)
        return services.report_create(
            committee=pw.committee, by=pw.author_user, data=ReportData(**values)
        )

    def report_in(self, state: str) -> OpinionReport:
        pw = self.pw
        report = self.report_draft()
        if state == "draft":
            return report
        if state == "withdrawn":
            return services.report_transition(report=report, action="withdraw", by=pw.author_user)
        report = services.report_transition(report=report, action="submit", by=pw.author_user)
        if state == "submitted":
            return report
        if state == "returned":
            return services.report_transition(
                report=report, action="return", by=pw.office, reason="请核实数据"
            )
        if state == "accepted":
            return services.report_transition(report=report, action="accept", by=pw.office)
        if state == "kept":
            return services.report_transition(report=report, action="keep", by=pw.office)
        raise ValueError(state)

    def adopted(self, report: OpinionReport, **overrides: Any) -> AdoptionEvent:
        values: dict[str, Any] = {
            "level": "municipal",
            "body": "party",
            "scope": "single",
            "kind": "instruction",
            "occurred_on": timezone.localdate(),
            "by_whom": "市委书记",
            "text": "请市场监管局研究落实。",
        }
        values.update(overrides)
        return services.adoption_record(
            report=report, by=self.pw.office, data=AdoptionData(**values)
        )


def shenzhen_records(world: Any) -> dict[str, int]:
    """One record of each kind in Shenzhen (440300), for tests/test_url_permissions.py: the
    URL walk maps a `pk` by the model word in the URL name (proposal, assignment, reply,
    report, bulletin, attachment, adoption)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lianluo.directory.models import Membership

    shenzhen = world.shenzhen
    session_around(shenzhen, opens=-40, closes=-35)
    author = world.shenzhen_only
    if author.user_id is None:
        author.user = UserFactory(username="member_yao")
        author.save()
    office = world.users.shenzhen_office
    unit = unit_with_user(shenzhen, "深圳市教育局", "unit_shenzhen")
    assert Membership.objects.filter(person=author, committee=shenzhen).exists()
    proposal = services.proposal_create(
        committee=shenzhen,
        by=author.user,
        data=proposal_data(shenzhen),
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
    )
    proposal = services.proposal_transition(proposal=proposal, action="submit", by=author.user)
    proposal = services.proposal_transition(proposal=proposal, action="accept", by=office)
    proposal = services.proposal_transition(
        proposal=proposal,
        action="assign",
        by=office,
        units=[UnitChoice(unit.unit, Assignment.Role.LEAD)],
    )
    assignment = proposal.assignments.get()
    services.assignment_transition(
        assignment=assignment, action="reply", by=unit.user, text="已办理。", answer_class="A"
    )
    report = services.report_create(
        committee=shenzhen,
        by=author.user,
        data=ReportData(title="关于深圳停车难的反映", body="停车泊位不足。建议建设智慧停车平台。"),
    )
    report = services.report_transition(report=report, action="submit", by=author.user)
    report = services.report_transition(report=report, action="accept", by=office)
    event = services.adoption_record(
        report=report,
        by=office,
        data=AdoptionData(
            level="municipal",
            body="cppcc",
            scope="single",
            kind="adopted",
            occurred_on=timezone.localdate(),
        ),
    )
    issue = services.bulletin_create(
        committee=shenzhen, by=office, title="社情民意", published_on=timezone.localdate()
    )
    return {
        "proposal": proposal.pk,
        "assignment": assignment.pk,
        "reply": assignment.replies.get().pk,
        "report": report.pk,
        "bulletin": issue.pk,
        "attachment": proposal.attachments.get().pk,
        "adoption": event.pk,
    }


WORDS = ("proposal", "assignment", "reply", "report", "bulletin", "attachment", "adoption")


def shenzhen_url_values(world: Any) -> dict[str, Any]:
    """Values for the URL walk (tests/test_url_permissions.py) pointing at Shenzhen's proposal
    records: every `pk` of the proposals pages (by URL name) and API routes (by basename), and
    the pages of one's own. Made once per `world`."""
    cached = getattr(world, "_proposals_values", None)
    if cached is not None:
        return cached
    from lianluo.proposals import urls

    records = shenzhen_records(world)
    pk_by_name = {}
    for pattern in urls.urlpatterns:
        if "<int:pk>" in str(pattern.pattern):
            word = next(w for w in WORDS if w in str(pattern.name))
            pk_by_name[f"proposals:{pattern.name}"] = records[word]
    values = {
        "code": "440300",
        "pk_by_name": pk_by_name,
        "own": {"proposals:index", "proposals:mine", "proposals:units"},
        "public": {"proposals:public_index"},
        "api": {
            "proposal": records["proposal"],
            "proposal-assignment": records["assignment"],
            "proposal-reply": records["reply"],
            "opinion-report": records["report"],
            "adoption-event": records["adoption"],
            "bulletin-issue": records["bulletin"],
        },
    }
    world._proposals_values = values
    return values
