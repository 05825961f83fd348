"""Who sees what (visible_to of every model), and what the database itself refuses."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from lianluo.proposals import services
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    BulletinIssue,
    Evaluation,
    KeySupervision,
    OpinionReport,
    Proposal,
    ProposalCategory,
    Reply,
)

pytestmark = pytest.mark.django_db


def visible(model, user, obj):
    return model.objects.visible_to(user).filter(pk=obj.pk).exists()


def test_proposals_are_seen_by_proposers_staff_of_the_committee_and_above_and_their_units(pw):
    """Proposals are seen by proposers, staff of the committee and above and their units."""
    proposal = pw.build.handling(cohandling=True)
    seen = {
        "author": True,
        "office": True,
        "parent_office": True,
        "auditor": True,
        "lead": True,
        "helper": True,
        "other_unit": False,
        "other_member": False,
        "cosigner": False,
        "foreign_office": False,
        "anonymous": False,
    }
    users = {
        "author": pw.author_user,
        "office": pw.office,
        "parent_office": pw.parent_office,
        "auditor": pw.auditor,
        "lead": pw.lead.user,
        "helper": pw.helper.user,
        "other_unit": pw.education.user,
        "other_member": pw.other_member,
        "cosigner": pw.cosigner_user,
        "foreign_office": pw.foreign_office,
        "anonymous": None,
    }
    for role, expected in seen.items():
        assert visible(Proposal, users[role], proposal) is expected, role


def test_drafts_are_private_and_co_signers_see_a_proposal_once_invited(pw):
    """Drafts are private and co-signers see a proposal once invited."""
    draft = pw.build.draft(joint=True)
    assert visible(Proposal, pw.author_user, draft)
    assert not visible(Proposal, pw.cosigner_user, draft)
    assert not visible(Proposal, pw.office, draft)
    invited = pw.build.cosigning(confirmed=False)
    assert visible(Proposal, pw.cosigner_user, invited)
    assert not visible(Proposal, pw.office, invited)


def test_a_co_signer_who_declined_no_longer_sees_the_proposal(pw):
    """A co-signer who declined no longer sees the proposal."""
    proposal = pw.build.cosigning(confirmed=False)
    services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=False)
    assert not visible(Proposal, pw.cosigner_user, proposal)


def test_units_see_their_assignments_and_the_lead_unit_its_co_handling_ones(pw):
    """Units see their assignments and the lead unit its co-handling ones."""
    proposal = pw.build.handling(cohandling=True)
    lead = proposal.assignments.get(role="lead")
    helper = proposal.assignments.get(role="cohandling")
    assert visible(Assignment, pw.lead.user, helper)
    assert not visible(Assignment, pw.helper.user, lead)
    assert not visible(Assignment, pw.education.user, lead)
    assert visible(Assignment, pw.author_user, lead)


def test_replies_and_evaluations_are_seen_by_the_proposer_staff_and_the_unit(pw):
    """Replies and evaluations are seen by the proposer, staff and the unit."""
    proposal = pw.build.closed()
    reply = Reply.objects.get(proposal=proposal)
    evaluation = Evaluation.objects.get(reply=reply)
    for user in (pw.author_user, pw.office, pw.auditor, pw.lead.user):
        assert visible(Reply, user, reply)
        assert visible(Evaluation, user, evaluation)
    for user in (pw.education.user, pw.foreign_office, pw.other_member, None):
        assert not visible(Reply, user, reply)
        assert not visible(Evaluation, user, evaluation)


def test_reports_adoptions_and_bulletins_are_for_authors_and_staff_never_units(pw):
    """Reports, adoptions and bulletins are for authors and staff, never units."""
    report = pw.build.report_in("accepted")
    event = pw.build.adopted(report)
    issue = services.bulletin_create(
        committee=pw.committee, by=pw.office, title="社情民意", published_on=event.occurred_on
    )
    for user in (pw.author_user, pw.office, pw.parent_office):
        assert visible(OpinionReport, user, report)
        assert visible(AdoptionEvent, user, event)
    for user in (pw.lead.user, pw.foreign_office, pw.cosigner_user, None):
        assert not visible(OpinionReport, user, report)
        assert not visible(AdoptionEvent, user, event)
    assert visible(BulletinIssue, pw.auditor, issue)
    assert not visible(BulletinIssue, pw.author_user, issue)
    draft = pw.build.report_draft()
    assert not visible(OpinionReport, pw.office, draft)


def test_key_supervision_is_seen_by_its_leader(pw):
    """Key supervision is seen by its leader."""
    proposal = pw.build.handling()
    supervision = services.key_proposal_select(
        proposal=proposal, leader=pw.world.convener, by=pw.office
    )
    assert visible(KeySupervision, pw.other_member, supervision)
    assert visible(KeySupervision, pw.lead.user, supervision)
    assert not visible(KeySupervision, pw.cosigner_user, supervision)


def test_categories_are_seen_by_members_and_staff_of_the_committee(pw):
    """Categories are seen by members and staff of the committee."""
    category = ProposalCategory.objects.filter(committee=pw.committee).first()
    assert visible(ProposalCategory, pw.author_user, category)
    assert visible(ProposalCategory, pw.parent_office, category)
    assert not visible(ProposalCategory, pw.foreign_office, category)


def test_the_database_refuses_a_second_number_in_a_session(pw):
    """The database refuses a second number in a session."""
    first = pw.build.accepted()
    second = pw.build.accepted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=second.pk).update(number=first.number)


def test_the_database_refuses_a_number_for_a_proposal_not_accepted(pw):
    """The database refuses a number for a proposal not accepted."""
    proposal = pw.build.submitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(number=99)


def test_the_database_refuses_two_active_lead_units(pw):
    """The database refuses two active lead units."""
    proposal = pw.build.handling()
    lead = proposal.assignments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            committee=pw.committee,
            proposal=proposal,
            unit=pw.education.unit,
            role="lead",
            assigned_at=lead.assigned_at,
            due_on=lead.due_on,
            return_by=lead.return_by,
        )


def test_the_database_refuses_a_submitted_proposal_without_the_secrecy_declaration(pw):
    """The database refuses a submitted proposal without the secrecy declaration."""
    proposal = pw.build.submitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(no_secret_declared=False)


def test_the_database_refuses_an_instruction_without_its_leader(pw):
    """The database refuses an instruction without its leader."""
    event = pw.build.adopted(pw.build.report_in("accepted"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionEvent.objects.filter(pk=event.pk).update(by_whom="")


def test_labels(pw):
    """A proposal shows its number in four digits, its reference first, and has a page."""
    proposal = pw.build.accepted()
    assert proposal.number_label == "0001"
    assert str(proposal).startswith(proposal.reference)
    assert proposal.get_absolute_url() == f"/proposals/{proposal.pk}/"


def test_a_co_signer_who_let_the_deadline_pass_no_longer_sees_the_proposal(pw, as_user):
    """A co-signer who did not confirm in time is not credited: they do not see the proposal,
    its assignments or replies, nor have it among their proposals — unless they are entitled
    otherwise (here: as its supervising leader)."""
    import datetime

    from django.utils import timezone

    from lianluo.proposals import selectors
    from lianluo.proposals.models import ProposalAuthor

    late = pw.world.convener
    proposal = pw.build.draft(joint=True, cosigners=[pw.cosigner, late])
    pw.build.step(proposal, "invite", by=pw.author_user)
    ProposalAuthor.objects.filter(proposal=proposal, person=late).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=True)
    pw.build.step(proposal, "submit", by=pw.author_user)
    pw.build.step(proposal, "accept")
    pw.build.step(
        proposal,
        "assign",
        units=[services.UnitChoice(pw.lead.unit, Assignment.Role.LEAD)],
    )
    lead = pw.build.reply(pw.build.lead_of(proposal))
    reply = lead.replies.get()
    assert ProposalAuthor.objects.get(proposal=proposal, person=late).state == "lapsed"
    user = pw.other_member
    assert not visible(Proposal, user, proposal)
    assert not visible(Assignment, user, lead)
    assert not visible(Reply, user, reply)
    assert not selectors.my_proposals(late.pk).exists()
    assert as_user(user).get(f"/proposals/{proposal.pk}/").status_code == 404
    # The confirmed co-signer still sees all of it.
    assert visible(Proposal, pw.cosigner_user, proposal)
    assert visible(Reply, pw.cosigner_user, reply)
    assert list(selectors.my_proposals(pw.cosigner.pk)) == [proposal]
    # As the leader who supervises it, the same person sees it again.
    services.key_proposal_select(
        proposal=Proposal.objects.get(pk=proposal.pk), leader=late, by=pw.office
    )
    assert visible(Proposal, user, proposal)


def test_a_unit_that_returned_its_lead_assignment_stops_seeing_the_co_handling_work(pw):
    """A lead unit sees the co-handling assignments and opinions only while it leads: once it
    returned its assignment (or the office withdrew it), only its own; the new lead unit sees
    them."""
    proposal = pw.build.handling(cohandling=True)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    services.assignment_transition(
        assignment=helper, action="send_opinion", by=pw.helper.user, text="同意主办意见。"
    )
    opinion = Reply.objects.get(assignment=helper)
    lead = pw.build.lead_of(proposal)
    assert visible(Reply, pw.lead.user, opinion) and visible(Assignment, pw.lead.user, helper)
    services.assignment_transition(
        assignment=lead, action="return", by=pw.lead.user, reason="不属于我局职责"
    )
    assert not visible(Reply, pw.lead.user, opinion)
    assert not visible(Assignment, pw.lead.user, helper)
    assert visible(Assignment, pw.lead.user, lead)
    pw.build.step(
        proposal,
        "assign",
        units=[services.UnitChoice(pw.education.unit, Assignment.Role.LEAD)],
    )
    assert visible(Reply, pw.education.user, opinion)
    assert visible(Assignment, pw.education.user, helper)
