"""The proposal and report services: what they check, what they record, whom they tell."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lianluo.core import links
from lianluo.core.models import AuditEvent, Notification
from lianluo.core.workflow import InvalidTransition
from lianluo.proposals import services
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    Evaluation,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    Reply,
)
from lianluo.proposals.services import UnitChoice
from tests.proposals.factories import proposal_data, session_around

pytestmark = pytest.mark.django_db


def pdf(name="a.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


# --------------------------------------------------------------------------------------------
# Drafts


def test_a_draft_keeps_what_the_member_wrote_and_is_on_its_timeline(pw):
    """A draft keeps what the member wrote and is on its timeline."""
    proposal = pw.build.draft()
    assert proposal.status == "draft"
    assert proposal.author == pw.author
    assert proposal.authors.get().role == "first"
    assert AuditEvent.objects.filter(object_id=str(proposal.pk), action="create").exists()


def test_a_text_longer_than_the_committees_limit_is_refused(pw):
    """A text longer than the committee's limit is refused."""
    policy = services.policy_ensure(committee=pw.committee)
    policy.body_max_chars = 100
    policy.save()
    with pytest.raises(ValidationError) as refused:
        pw.build.draft(body="字" * 101)
    assert "body" in refused.value.message_dict


def test_a_proposal_declared_secret_is_refused(pw):
    """Without the declaration 'contains no state secret', nothing is stored."""
    with pytest.raises(ValidationError) as refused:
        pw.build.draft(no_secret_declared=False)
    assert "no_secret_declared" in refused.value.message_dict
    assert not Proposal.objects.exists()


def test_refusing_publication_needs_a_reason(pw):
    """Refusing publication needs a reason."""
    with pytest.raises(ValidationError) as refused:
        pw.build.draft(consent_publication=False)
    assert "publication_refusal_reason" in refused.value.message_dict
    proposal = pw.build.draft(consent_publication=False, publication_refusal_reason="涉及个人隐私")
    assert not proposal.consent_publication


def test_at_most_the_committees_number_of_suggested_lead_units(pw):
    """At most the committee's number of suggested lead units."""
    units = [pw.lead.unit, pw.helper.unit, pw.education.unit]
    with pytest.raises(ValidationError) as refused:
        pw.build.draft(suggested_units=units)
    assert "suggested_units" in refused.value.message_dict
    assert pw.build.draft(suggested_units=units[:2]).suggested_units.count() == 2


def test_only_members_of_the_committee_write_proposals_in_it(pw):
    """Only members of the committee write proposals in it."""
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            committee=pw.world.shenzhen, by=pw.author_user, data=proposal_data(pw.world.shenzhen)
        )
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            committee=pw.committee, by=pw.office, data=proposal_data(pw.committee)
        )


def test_co_signers_must_be_members_of_the_committee(pw):
    """Co signers must be members of the committee."""
    with pytest.raises(ValidationError) as refused:
        pw.build.draft(joint=True, cosigners=[pw.world.shenzhen_only])
    assert "cosigners" in refused.value.message_dict


def test_a_collective_proposal_is_written_by_a_member_of_its_group(pw):
    """A collective proposal is written by a member of its group."""
    sector = pw.world.sector[("430300", "经济界")]
    with pytest.raises(ValidationError):  # 刘敬民 holds no role in the 经济界 group
        pw.build.draft(kind="collective", group=sector)
    proposal = services.proposal_create(
        committee=pw.committee,
        by=pw.other_member,  # 马继龙 convenes 经济界
        data=proposal_data(pw.committee, kind="collective", group=sector),
    )
    assert proposal.group == sector


def test_only_the_author_changes_a_draft_and_only_a_draft(pw):
    """Only the author changes a draft and only a draft."""
    proposal = pw.build.draft()
    data = proposal_data(pw.committee, title="新的标题")
    with pytest.raises(PermissionDenied):
        services.proposal_update(proposal=proposal, by=pw.cosigner_user, data=data)
    services.proposal_update(proposal=proposal, by=pw.author_user, data=data)
    assert Proposal.objects.get(pk=proposal.pk).title == "新的标题"
    submitted = pw.build.submitted()
    with pytest.raises(InvalidTransition):
        services.proposal_update(proposal=submitted, by=pw.author_user, data=data)


# --------------------------------------------------------------------------------------------
# Co-signing and submission


def test_a_joint_proposal_is_submitted_once_a_co_signer_confirmed(pw):
    """A joint proposal is submitted once a co-signer confirmed."""
    proposal = pw.build.cosigning(confirmed=False)
    with pytest.raises(InvalidTransition):
        pw.build.step(proposal, "submit", by=pw.author_user)
    services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=True)
    submitted = pw.build.step(proposal, "submit", by=pw.author_user)
    assert submitted.status == "submitted"


def test_a_co_signer_who_did_not_confirm_by_the_deadline_drops_out(pw):
    """A co-signer who did not confirm by the deadline drops out."""
    third = pw.world.convener
    proposal = pw.build.draft(joint=True, cosigners=[pw.cosigner, third])
    pw.build.step(proposal, "invite", by=pw.author_user)
    ProposalAuthor.objects.filter(proposal=proposal, person=third).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(InvalidTransition):
        services.proposal_cosign(proposal=proposal, by=pw.other_member, confirm=True)
    assert ProposalAuthor.objects.get(proposal=proposal, person=third).is_lapsed
    services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=True)
    pw.build.step(proposal, "submit", by=pw.author_user)
    states = dict(proposal.authors.values_list("person__name", "state"))
    assert states == {"刘敬民": "confirmed", "王勇峰": "confirmed", "马继龙": "lapsed"}


def test_co_signers_are_asked_by_notification(pw, django_capture_on_commit_callbacks):
    """Co signers are asked by notification."""
    proposal = pw.build.draft(joint=True)
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(proposal, "invite", by=pw.author_user)
    assert Notification.objects.filter(recipient=pw.cosigner_user).count() == 1


def test_only_an_invited_co_signer_confirms(pw):
    """Only an invited co-signer confirms."""
    proposal = pw.build.cosigning(confirmed=False)
    with pytest.raises(PermissionDenied):
        services.proposal_cosign(proposal=proposal, by=pw.other_member, confirm=True)
    services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=False)
    with pytest.raises(InvalidTransition):
        services.proposal_cosign(proposal=proposal, by=pw.cosigner_user, confirm=True)


def test_recalling_a_joint_proposal_asks_the_co_signers_again(pw):
    """Recalling a joint proposal asks the co-signers again."""
    proposal = pw.build.cosigning()
    pw.build.step(proposal, "recall", by=pw.author_user)
    assert proposal.authors.get(role="cosigner").state == "invited"


def test_submission_gives_a_reference_number_per_committee_and_year(pw):
    """Submission gives a reference number per committee and year."""
    first = pw.build.submitted()
    second = pw.build.submitted()
    year = timezone.localdate().year
    assert first.reference == f"{year}-0001"
    assert second.reference == f"{year}-0002"
    assert first.session == pw.session and first.timing == "between"


def test_a_proposal_during_the_plenary_window_is_a_session_proposal(pw):
    """A proposal during the plenary window is a session proposal."""
    session = session_around(pw.committee, opens=20, closes=25, number=2)
    proposal = pw.build.submitted()
    assert proposal.session == session
    assert proposal.timing == "plenary"


def test_without_any_plenary_session_a_proposal_cannot_be_submitted(pw):
    """Without any plenary session a proposal cannot be submitted."""
    pw.session.delete()
    with pytest.raises(InvalidTransition):
        pw.build.submitted()


def test_a_returned_proposal_keeps_its_reference_when_submitted_again(pw):
    """A returned proposal keeps its reference when submitted again."""
    proposal = pw.build.returned()
    again = pw.build.step(proposal, "resubmit", by=pw.author_user)
    assert again.reference == proposal.reference
    assert again.status == "submitted"


# --------------------------------------------------------------------------------------------
# Review


def test_accepted_proposals_are_numbered_per_session(pw):
    """Accepted proposals are numbered per session."""
    a = pw.build.accepted()
    b = pw.build.accepted()
    assert (a.number, b.number) == (1, 2)
    assert a.number_label == "0001"


def test_not_accepting_cites_one_of_the_committees_grounds(pw):
    """Not accepting cites one of the committee's grounds."""
    proposal = pw.build.submitted()
    with pytest.raises(ValidationError) as refused:
        pw.build.step(proposal, "reject", ground="made-up")
    assert "ground" in refused.value.message_dict
    rejected = pw.build.step(proposal, "reject", ground="personal")
    assert rejected.rejection_ground == "personal"


def test_returning_needs_a_reason(pw):
    """Returning needs a reason."""
    with pytest.raises(InvalidTransition):
        pw.build.step(pw.build.submitted(), "return", reason=" ")


def test_merged_proposals_keep_their_authors_credit_on_the_target(pw):
    """Merged proposals keep their authors credit on the target."""
    target = services.proposal_transition(
        proposal=services.proposal_create(
            committee=pw.committee, by=pw.other_member, data=proposal_data(pw.committee)
        ),
        action="submit",
        by=pw.other_member,
    )
    joint = pw.build.cosigning()
    joint = pw.build.step(joint, "submit", by=pw.author_user)
    merged = pw.build.step(joint, "merge", target=target)
    assert merged.merged_into == target
    credited = {a.person.name: a.role for a in target.authors.all()}
    assert credited == {"马继龙": "first", "刘敬民": "merged", "王勇峰": "merged"}
    assert ("out", "merged_into", target) in links.links_of(merged)
    # The merged authors see the target proposal.
    assert Proposal.objects.visible_to(pw.cosigner_user).filter(pk=target.pk).exists()


def test_a_proposal_is_not_merged_into_itself_or_another_committees(pw):
    """A proposal is merged into an open proposal of its committee, not into itself."""
    proposal = pw.build.submitted()
    with pytest.raises(ValidationError):
        pw.build.step(proposal, "merge", target=proposal)
    with pytest.raises(ValidationError):
        pw.build.step(proposal, "merge", target=None)


def test_turning_into_an_opinion_report_creates_it_linked_both_ways(pw):
    """Turning into an opinion report creates it linked both ways."""
    proposal = pw.build.to_report()
    report = OpinionReport.objects.get(source_proposal=proposal)
    assert report.status == "submitted" and report.title == proposal.title
    assert report.reference.startswith(f"{timezone.localdate().year}-S")
    assert ("out", "became", report) in links.links_of(proposal)
    assert ("in", "became", proposal) in links.links_of(report)


def test_review_decisions_tell_the_authors(pw, django_capture_on_commit_callbacks):
    """Review decisions tell the authors."""
    proposal = pw.build.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(proposal, "accept")
    assert Notification.objects.filter(recipient=pw.author_user, object_id=str(proposal.pk))


def test_every_step_is_on_the_timeline_with_its_reason(pw):
    """Every step is on the timeline with its reason."""
    proposal = pw.build.returned()
    events = AuditEvent.objects.filter(object_id=str(proposal.pk), action="transition")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["submit", "return"]
    assert events.get(verb="return").reason == "请补充具体建议"
    assert events.get(verb="return").changes == {"status": ["submitted", "returned"]}


# --------------------------------------------------------------------------------------------
# Assignment, replies, evaluation


def test_a_proposal_has_one_lead_unit_or_separate_units(pw):
    """A proposal has one lead unit or separate units."""
    accepted = pw.build.accepted()
    with pytest.raises(ValidationError):
        pw.build.step(
            accepted,
            "assign",
            units=[
                UnitChoice(pw.lead.unit, Assignment.Role.LEAD),
                UnitChoice(pw.helper.unit, Assignment.Role.LEAD),
            ],
        )
    with pytest.raises(ValidationError):
        pw.build.step(
            accepted,
            "assign",
            units=[
                UnitChoice(pw.lead.unit, Assignment.Role.LEAD),
                UnitChoice(pw.helper.unit, Assignment.Role.SEPARATE),
            ],
        )
    with pytest.raises(ValidationError):
        pw.build.step(
            accepted, "assign", units=[UnitChoice(pw.helper.unit, Assignment.Role.COHANDLING)]
        )
    with pytest.raises(ValidationError):
        pw.build.step(
            accepted,
            "assign",
            units=[UnitChoice(pw.world.shenzhen.organizations.first(), Assignment.Role.LEAD)],
        )


def test_assignments_get_their_deadlines_from_the_policy(pw):
    """Assignments get their deadlines from the policy."""
    proposal = pw.build.handling(cohandling=True)
    today = timezone.localdate()
    lead = proposal.assignments.get(role="lead")
    helper = proposal.assignments.get(role="cohandling")
    assert lead.due_on == today + datetime.timedelta(days=90)
    assert helper.due_on == today + datetime.timedelta(days=30)
    assert lead.return_by == services.add_working_days(today, 10)


def test_working_days_skip_weekends():
    """Working days skip weekends."""
    friday = datetime.date(2026, 3, 6)
    assert services.add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert services.add_working_days(friday, 10) == datetime.date(2026, 3, 20)


def test_the_lead_unit_replies_after_the_co_handling_opinions(pw):
    """The lead unit replies after the co-handling opinions."""
    proposal = pw.build.handling(cohandling=True)
    lead = pw.build.lead_of(proposal)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    with pytest.raises(InvalidTransition) as refused:
        pw.build.reply(lead)
    assert "市财政局" in refused.value.message
    services.assignment_transition(
        assignment=helper, action="send_opinion", by=pw.helper.user, text="同意。"
    )
    assert pw.build.reply(lead).status == "replied"


def test_an_overdue_co_handling_opinion_does_not_block_the_lead_unit(pw):
    """An overdue co-handling opinion does not block the lead unit."""
    proposal = pw.build.handling(cohandling=True)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    Assignment.objects.filter(pk=helper.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        return_by=timezone.localdate() - datetime.timedelta(days=2),
    )
    assert pw.build.reply(pw.build.lead_of(proposal)).status == "replied"


def test_the_lead_unit_sees_the_co_handling_opinion_and_the_member_does_not(pw):
    """The lead unit sees the co-handling opinion and the member does not."""
    proposal = pw.build.handling(cohandling=True)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    services.assignment_transition(
        assignment=helper, action="send_opinion", by=pw.helper.user, text="同意。"
    )
    opinion = Reply.objects.get(kind="opinion")
    assert Reply.objects.visible_to(pw.lead.user).filter(pk=opinion.pk).exists()
    assert not Reply.objects.visible_to(pw.author_user).filter(pk=opinion.pk).exists()
    assert not Reply.objects.visible_to(pw.education.user).filter(pk=opinion.pk).exists()


def test_a_reply_needs_one_of_the_committees_answer_classes(pw):
    """A reply needs one of the committee's answer classes."""
    lead = pw.build.lead_of(pw.build.handling())
    with pytest.raises(ValidationError) as refused:
        pw.build.reply(lead, answer_class="Z")
    assert "answer_class" in refused.value.message_dict


def test_a_unit_returns_a_wrongly_assigned_proposal_only_within_the_window(pw):
    """A unit returns a wrongly assigned proposal only within the window."""
    lead = pw.build.lead_of(pw.build.handling())
    Assignment.objects.filter(pk=lead.pk).update(
        return_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(InvalidTransition):
        services.assignment_transition(
            assignment=lead, action="return", by=pw.lead.user, reason="不归我们管"
        )


def test_after_a_return_the_office_assigns_another_lead_unit(pw):
    """After a return the office assigns another lead unit."""
    proposal = pw.build.handling()
    services.assignment_transition(
        assignment=pw.build.lead_of(proposal), action="return", by=pw.lead.user, reason="错交"
    )
    again = pw.build.step(
        proposal, "assign", units=[UnitChoice(pw.education.unit, Assignment.Role.LEAD)]
    )
    assert again.assignments.filter(role="lead").exclude(status="returned").get().unit == (
        pw.education.unit
    )


def test_a_reply_is_recorded_on_time_or_late(pw):
    """A reply is recorded on time or late."""
    lead = pw.build.lead_of(pw.build.handling())
    Assignment.objects.filter(pk=lead.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        return_by=timezone.localdate() - datetime.timedelta(days=5),
    )
    pw.build.reply(lead)
    assert Reply.objects.get(assignment=lead).on_time is False


def test_an_unsatisfied_result_sends_the_reply_back_once(pw):
    """Unsatisfied → handled again (round 2) → a second reply → evaluated → closed."""
    proposal = pw.build.answered()
    lead = pw.build.lead_of(proposal)
    with pytest.raises(ValidationError):  # only an unsatisfied result goes back
        pw.build.evaluate(lead, result="basic", action="rehandle")
    pw.build.evaluate(lead, result="unsatisfied", action="rehandle")
    lead.refresh_from_db()
    assert (lead.status, lead.round) == ("assigned", 2)
    assert Proposal.objects.get(pk=proposal.pk).status == "handling"
    pw.build.reply(lead)
    with pytest.raises(InvalidTransition):  # the second answer stands
        pw.build.evaluate(lead, result="unsatisfied", action="rehandle")
    pw.build.evaluate(lead, result="satisfied")
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    assert Evaluation.objects.filter(reply__assignment=lead).count() == 2


def test_with_separate_units_the_proposal_is_answered_when_both_replied(pw):
    """With separate units the proposal is answered when both replied."""
    proposal = pw.build.handling(separate=True)
    first, second = proposal.assignments.order_by("id")
    pw.build.reply(first)
    assert Proposal.objects.get(pk=proposal.pk).status == "handling"
    pw.build.reply(second)
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"
    pw.build.evaluate(first)
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"
    pw.build.evaluate(second)
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"


def test_assignment_steps_are_on_the_proposals_timeline(pw):
    """Assignment steps are on the proposals timeline."""
    proposal = pw.build.closed()
    verbs = list(
        AuditEvent.objects.filter(object_id=str(proposal.pk), content_type__model="proposal")
        .order_by("created_at", "id")
        .values_list("verb", flat=True)
    )
    assert verbs[-4:] == ["assignment_reply", "answer", "assignment_evaluate", "close"]


# --------------------------------------------------------------------------------------------
# Key proposals and publication


def test_a_key_proposal_is_supervised_by_a_leader_with_progress_notes(pw):
    """A key proposal is supervised by a leader with progress notes."""
    proposal = pw.build.handling()
    supervision = services.key_proposal_select(
        proposal=proposal, leader=pw.world.convener, by=pw.office, note="群众关注度高"
    )
    assert Proposal.objects.get(pk=proposal.pk).is_key
    services.supervision_note_add(
        supervision=supervision,
        by=pw.other_member,  # the leader himself
        text="召开督办协商会",
        happened_on=timezone.localdate(),
    )
    assert supervision.notes.count() == 1
    with pytest.raises(PermissionDenied):
        services.supervision_note_add(
            supervision=supervision, by=pw.cosigner_user, text="x", happened_on=timezone.localdate()
        )
    assert Proposal.objects.visible_to(pw.other_member).filter(pk=proposal.pk).exists()


def test_only_accepted_proposals_become_key_proposals(pw):
    """Only accepted proposals become key proposals."""
    with pytest.raises(InvalidTransition):
        services.key_proposal_select(
            proposal=pw.build.submitted(), leader=pw.world.convener, by=pw.office
        )


def test_publication_needs_the_committees_switch_and_the_proposers_consent(pw):
    """Publication needs the committee's switch and the proposer's consent."""
    proposal = pw.build.answered()
    with pytest.raises(InvalidTransition):
        services.proposal_publish(proposal=proposal, by=pw.office)
    services.policy_update(committee=pw.committee, by=pw.office, data={"publication_enabled": True})
    reply = Reply.objects.get(proposal=proposal)
    with pytest.raises(InvalidTransition):  # the proposal first
        services.reply_publish(reply=reply, by=pw.office)
    services.proposal_publish(proposal=proposal, by=pw.office)
    services.reply_publish(reply=reply, by=pw.office)
    refused = pw.build.accepted(consent_publication=False, publication_refusal_reason="隐私")
    with pytest.raises(InvalidTransition):
        services.proposal_publish(proposal=refused, by=pw.office)
    with pytest.raises(PermissionDenied):
        services.proposal_publish(proposal=proposal, by=pw.parent_office)


# --------------------------------------------------------------------------------------------
# Links from other records


def test_a_record_of_another_app_becomes_a_linked_draft(pw):
    """A concern of the casework app becomes a proposal or a report: the draft is prefilled and
    the link is kept both ways (any model with a title and a text will do here)."""
    source = pw.build.report_in("submitted")
    proposal = services.proposal_create_from(
        source=source, by=pw.author_user, committee=pw.committee
    )
    assert proposal.status == "draft" and proposal.title == source.title
    assert proposal.body == source.body
    assert ("in", "became", source) in links.links_of(proposal)
    report = services.report_create_from(source=proposal, by=pw.author_user, committee=pw.committee)
    assert ("out", "became", report) in links.links_of(proposal)
    # The prefilled draft is submitted only once the member declared it free of secrets.
    with pytest.raises(ValidationError):
        pw.build.step(proposal, "submit", by=pw.author_user)


# --------------------------------------------------------------------------------------------
# Attachments


def test_attachments_are_checked_by_type_content_size_and_number(pw):
    """Attachments are checked by type content size and number."""
    proposal = services.proposal_create(
        committee=pw.committee,
        by=pw.author_user,
        data=proposal_data(pw.committee),
        files=[pdf()],
    )
    assert proposal.attachments.get().content_type == "application/pdf"
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    exe = SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    big = SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="x")
    for bad in ([fake], [exe], [big], [pdf(f"{i}.pdf") for i in range(6)]):
        with pytest.raises(ValidationError) as refused:
            services.validate_files(bad)
        assert "attachments" in refused.value.message_dict
    with pytest.raises(ValidationError):  # five in all
        services.validate_files([pdf(f"{i}.pdf") for i in range(5)], existing=1)
    text = SimpleUploadedFile("note.txt", "说明".encode(), content_type="text/plain")
    services.validate_files([text])


def test_attachments_are_stored_under_a_random_name(pw):
    """Attachments are stored under a random name."""
    proposal = services.proposal_create(
        committee=pw.committee,
        by=pw.author_user,
        data=proposal_data(pw.committee),
        files=[pdf("我的提案.pdf")],
    )
    attachment = proposal.attachments.get()
    assert attachment.name == "我的提案.pdf"
    assert attachment.file.name.startswith("proposals/430300/")
    assert "我的提案" not in attachment.file.name


# --------------------------------------------------------------------------------------------
# Opinion reports


def test_staff_edit_is_kept_apart_from_the_original(pw):
    """Staff edit is kept apart from the original."""
    report = pw.build.report_in("submitted")
    services.report_check(
        report=report,
        by=pw.office,
        edited_title="关于加强农贸市场快检的建议",
        edited_body="编辑后的正文",
    )
    report.refresh_from_db()
    assert report.title == "关于农贸市场食品安全的情况反映"
    assert report.shown_title == "关于加强农贸市场快检的建议"
    with pytest.raises(PermissionDenied):
        services.report_check(report=report, by=pw.author_user, edited_title="x", edited_body="y")


def test_adoption_is_a_chain_of_events_per_level(pw, django_capture_on_commit_callbacks):
    """Adoption is a chain of events per level."""
    report = pw.build.report_in("accepted")
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.adopted(report, kind="adopted", body="cppcc", by_whom="")
        pw.build.adopted(report, level="provincial", kind="reported", body="cppcc", by_whom="")
        pw.build.adopted(
            report, level="national", kind="adopted", body="cppcc", scope="combined", by_whom=""
        )
        pw.build.adopted(
            report, level="provincial", kind="instruction", body="party", by_whom="省委书记"
        )
    chain = list(report.adoption_events.order_by("id").values_list("level", "kind"))
    assert chain == [
        ("municipal", "adopted"),
        ("provincial", "reported"),
        ("national", "adopted"),
        ("provincial", "instruction"),
    ]
    assert (
        Notification.objects.filter(recipient=pw.author_user, object_id=str(report.pk)).count() == 4
    )


def test_adoption_events_are_checked(pw):
    """Adoption events are checked."""
    report = pw.build.report_in("accepted")
    with pytest.raises(ValidationError) as refused:
        pw.build.adopted(report, level="county")  # below a municipal committee
    assert "level" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        pw.build.adopted(report, kind="instruction", by_whom="")
    assert "by_whom" in refused.value.message_dict
    with pytest.raises(ValidationError):
        pw.build.adopted(report, occurred_on=timezone.localdate() + datetime.timedelta(days=2))
    with pytest.raises(InvalidTransition):
        pw.build.adopted(pw.build.report_in("kept"))
    assert not AdoptionEvent.objects.exists()


def test_bulletin_issues_are_numbered_per_year_and_print_accepted_reports(pw):
    """Bulletin issues are numbered per year and print accepted reports."""
    today = timezone.localdate()
    first = services.bulletin_create(
        committee=pw.committee, by=pw.office, title="社情民意", published_on=today
    )
    second = services.bulletin_create(
        committee=pw.committee, by=pw.office, title="社情民意", published_on=today
    )
    assert (first.number, second.number) == (1, 2)
    report = pw.build.report_in("accepted")
    services.bulletin_add(issue=first, report=report, by=pw.office)
    with pytest.raises(ValidationError):
        services.bulletin_add(issue=first, report=report, by=pw.office)
    with pytest.raises(ValidationError):
        services.bulletin_add(issue=first, report=pw.build.report_in("submitted"), by=pw.office)
    with pytest.raises(PermissionDenied):
        services.bulletin_create(
            committee=pw.committee, by=pw.auditor, title="x", published_on=today
        )


def test_a_joint_report_names_its_authors_who_see_it(pw):
    """A joint report names its authors who see it."""
    report = pw.build.report_draft(kind="joint", coauthors=[pw.cosigner])
    assert set(report.authors.values_list("role", flat=True)) == {"first", "joint"}
    assert OpinionReport.objects.visible_to(pw.cosigner_user).filter(pk=report.pk).exists()


# --------------------------------------------------------------------------------------------
# Policy


def test_the_policy_checks_its_lists_and_windows(pw):
    """The policy checks its lists and windows."""
    with pytest.raises(ValidationError):
        services.policy_update(committee=pw.committee, by=pw.office, data={"answer_classes": []})
    with pytest.raises(ValidationError):
        services.policy_update(
            committee=pw.committee,
            by=pw.office,
            data={"answer_classes": [{"code": "A", "label": "x"}, {"code": "A", "label": "y"}]},
        )
    with pytest.raises(ValidationError):
        services.policy_update(committee=pw.committee, by=pw.office, data={"cohandling_days": 200})
    with pytest.raises(PermissionDenied):
        services.policy_update(committee=pw.committee, by=pw.parent_office, data={})
    policy = services.policy_update(
        committee=pw.committee,
        by=pw.office,
        data={
            "answer_classes": [
                {"code": "A", "label": "已经解决或基本解决"},
                {"code": "B", "label": "正在解决或列入规划逐步解决"},
                {"code": "C", "label": "因目前条件限制需以后解决"},
                {"code": "D", "label": "留作参考"},
            ]
        },
    )
    assert [c["code"] for c in policy.answer_classes] == ["A", "B", "C", "D"]


def test_the_default_policy_has_the_ten_national_grounds(pw):
    """The default policy has the ten national grounds."""
    policy = services.policy_ensure(committee=pw.committee)
    assert len(policy.rejection_grounds) == 10
    assert policy.body_max_chars == 1500 and policy.max_suggested_units == 2
    assert [c["code"] for c in policy.answer_classes] == ["A", "B", "C"]


# --------------------------------------------------------------------------------------------
# Closing: what is still open ends with the proposal


def _overdue(assignment):
    """Make an assignment's deadline yesterday (its window to return closed with it)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(pk=assignment.pk).update(due_on=yesterday, return_by=yesterday)


def test_closing_a_proposal_ends_the_assignments_still_open(pw, django_capture_on_commit_callbacks):
    """The office closes an answered proposal: the reply never evaluated and the co-handling
    opinion never sent end with it ("closed"), on the assignment's and the proposal's
    timeline, and their units are told; no evaluation is offered or taken afterwards."""
    from lianluo.proposals import selectors

    proposal = pw.build.handling(cohandling=True)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    _overdue(helper)
    lead = pw.build.reply(pw.build.lead_of(proposal))
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"
    assert list(selectors.replies_to_evaluate(pw.author.pk)) == [lead]
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(proposal, "close")
    statuses = dict(proposal.assignments.values_list("unit__name", "status"))
    assert statuses == {"市住建局": "closed", "市财政局": "closed"}
    assert not selectors.replies_to_evaluate(pw.author.pk).exists()
    assert not selectors.unit_inbox(pw.helper.user).filter(status="assigned").exists()
    with pytest.raises(InvalidTransition):
        pw.build.evaluate(Assignment.objects.get(pk=lead.pk))
    on_proposal = AuditEvent.objects.filter(
        verb="assignment_close", object_id=str(proposal.pk)
    ).count()
    assert on_proposal == 2
    assert AuditEvent.objects.filter(
        verb="close", action="transition", object_id=str(helper.pk)
    ).exists()
    for user in (pw.lead.user, pw.helper.user):
        assert Notification.objects.filter(recipient=user, title__contains="closed").exists()


def test_a_proposal_closed_by_its_evaluation_ends_an_opinion_never_sent(pw):
    """The last evaluation closes the proposal: an overdue co-handling assignment still
    waiting for its opinion ends with it, the evaluated one stays evaluated."""
    proposal = pw.build.handling(cohandling=True)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    _overdue(helper)
    pw.build.evaluate(pw.build.reply(pw.build.lead_of(proposal)))
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    assert Assignment.objects.get(pk=helper.pk).status == "closed"
    assert pw.build.lead_of(proposal).status == "evaluated"


def test_turning_into_a_report_takes_the_committees_numbering_lock(pw, monkeypatch):
    """The report that to_report makes gets its reference under the committee's lock (the
    policy row), like every other number."""
    calls = []
    lock, next_reference = services._lock_policy, services._next_reference

    def spy_lock(committee):
        calls.append("lock")
        return lock(committee)

    def spy_next(model, committee_id, year):
        calls.append(model.__name__)
        return next_reference(model, committee_id, year)

    proposal = pw.build.submitted()
    monkeypatch.setattr(services, "_lock_policy", spy_lock)
    monkeypatch.setattr(services, "_next_reference", spy_next)
    pw.build.step(proposal, "to_report")
    assert "OpinionReport" in calls
    assert "lock" in calls[: calls.index("OpinionReport")]


# --------------------------------------------------------------------------------------------
# Who is told


def titles_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_a_unit_returning_a_proposal_tells_the_office_and_the_proposers(
    pw, django_capture_on_commit_callbacks
):
    """A unit returns a wrongly assigned proposal: the office and the proposers are told."""
    proposal = pw.build.handling()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_transition(
            assignment=pw.build.lead_of(proposal),
            action="return",
            by=pw.lead.user,
            reason="不属于我局职责",
        )
    assert any("市住建局" in t for t in titles_of(pw.office))
    assert any("市住建局" in t and proposal.title in t for t in titles_of(pw.author_user))


def test_asking_for_handling_again_tells_the_unit_and_the_office(
    pw, django_capture_on_commit_callbacks
):
    """An evaluation that asks for handling again tells the unit and the office."""
    proposal = pw.build.answered()
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.evaluate(pw.build.lead_of(proposal), result="unsatisfied", action="rehandle")
    assert titles_of(pw.lead.user)
    assert any(proposal.title in t for t in titles_of(pw.office))


def test_withdrawing_a_submitted_proposal_tells_the_office(pw, django_capture_on_commit_callbacks):
    """The proposer withdraws a submitted proposal: its office is told (not for a draft,
    which the office never saw)."""
    draft = pw.build.draft()
    submitted = pw.build.submitted(title="关于社区养老服务的建议")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(draft, "withdraw", by=pw.author_user)
        pw.build.step(submitted, "withdraw", by=pw.author_user)
    assert titles_of(pw.office) == [f"A proposal was withdrawn by its proposer: {submitted.title}"]


def test_recalling_a_joint_proposal_tells_the_co_signers(pw, django_capture_on_commit_callbacks):
    """The proposer takes a joint proposal back to change it: the co-signers are told (with
    no link: the draft is the author's alone again)."""
    proposal = pw.build.cosigning()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(proposal, "recall", by=pw.author_user)
    told = Notification.objects.get(recipient=pw.cosigner_user)
    assert pw.author.name in told.title and told.url == ""


def test_merging_tells_the_target_proposers_they_share_the_credit(
    pw, django_capture_on_commit_callbacks
):
    """Merging tells the proposers of the target proposal that they now share the credit."""
    target = services.proposal_create(
        committee=pw.committee,
        by=pw.cosigner_user,
        data=proposal_data(pw.committee, title="关于老旧小区加装电梯的另一件提案"),
    )
    target = services.proposal_transition(proposal=target, action="submit", by=pw.cosigner_user)
    merged = pw.build.submitted()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        pw.build.step(merged, "merge", target=target)
    assert any(merged.reference in t for t in titles_of(pw.cosigner_user))
