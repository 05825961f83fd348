"""Proposal and report pages: who reaches what, forms with errors, lists in few queries."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from lianluo.casework.workflow import ACTION_LABELS as CONCERN_ACTIONS
from lianluo.proposals import selectors, services
from lianluo.proposals.forms import REVIEW_DECISIONS
from lianluo.proposals.models import Assignment, OpinionReport, Proposal
from lianluo.proposals.workflow import PROPOSAL_ACTIONS
from tests.proposals.factories import LONG_TEXT, proposal_data

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def test_a_member_drafts_a_proposal_through_the_form(pw, as_user):
    """A member drafts a proposal through the form."""
    client = as_user(pw.author_user)
    page = client.get(url("proposal_new", "430300"))
    assert page.status_code == 200
    category = page.context["form"].fields["category"].queryset.first()
    response = client.post(
        url("proposal_new", "430300"),
        {
            "kind": "joint",
            "cosigners": [pw.cosigner.pk],
            "title": "关于加快老旧小区加装电梯的建议",
            "body": LONG_TEXT,
            "category": category.pk,
            "no_secret_declared": "on",
            "consent_publication": "on",
            "attachments": [
                SimpleUploadedFile("说明.pdf", b"%PDF-1.4 x", content_type="application/pdf")
            ],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == url("proposal_detail", proposal.pk)
    assert proposal.kind == "joint" and proposal.attachments.count() == 1


def test_the_form_shows_field_errors_from_the_services(pw, as_user):
    """The form shows field errors from the services."""
    client = as_user(pw.author_user)
    policy = services.policy_ensure(committee=pw.committee)
    policy.body_max_chars = 100
    policy.save()
    category = services.categories_ensure_defaults(committee=pw.committee)[0]
    response = client.post(
        url("proposal_new", "430300"),
        {"kind": "individual", "title": "标题", "body": "字" * 120, "category": category.pk},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "no_secret_declared" in form.errors
    bad_file = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(
        url("proposal_new", "430300"),
        {
            "kind": "individual",
            "title": "标题",
            "body": "字" * 120,
            "category": category.pk,
            "no_secret_declared": "on",
            "attachments": [bad_file],
        },
    )
    assert set(response.context["form"].errors) >= {"body"} or "attachments" in (
        response.context["form"].errors
    )
    assert not Proposal.objects.exists()


def test_members_write_only_in_their_own_committees(pw, as_user):
    """Members write only in the committees where they hold a seat."""
    client = as_user(pw.author_user)
    assert client.get(url("proposal_new", "440300")).status_code == 404
    assert as_user(pw.office).get(url("proposal_new", "430300")).status_code == 404


def test_the_similar_panel_shows_earlier_items_as_one_writes(pw, as_user):
    """The similar panel shows earlier items as one writes."""
    earlier = pw.build.submitted()
    client = as_user(pw.author_user)
    response = client.post(
        url("similar_panel", "430300"),
        {"title": earlier.title, "body": earlier.body[:-10], "own_kind": "proposal"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert earlier.title in response.content.decode()
    # Another committee's member gets nothing, not even the page.
    other = as_user(pw.foreign_office)
    assert other.post(url("similar_panel", "430300"), {"title": "x"}).status_code == 404


def test_a_draft_is_seen_by_its_author_only(pw, as_user):
    """A draft is seen by its author only."""
    draft = pw.build.draft(joint=True)
    assert as_user(pw.author_user).get(url("proposal_detail", draft.pk)).status_code == 200
    for user in (pw.office, pw.cosigner_user, pw.lead.user, pw.auditor):
        assert as_user(user).get(url("proposal_detail", draft.pk)).status_code == 404


def test_the_detail_page_is_seen_by_proposers_staff_and_assigned_units(pw, as_user):
    """The detail page is seen by proposers, staff and assigned units."""
    proposal = pw.build.handling()
    for user in (pw.author_user, pw.office, pw.parent_office, pw.auditor, pw.lead.user):
        assert as_user(user).get(url("proposal_detail", proposal.pk)).status_code == 200, user
    for user in (pw.foreign_office, pw.education.user, pw.other_member):
        assert as_user(user).get(url("proposal_detail", proposal.pk)).status_code == 404, user


def test_a_refused_step_is_a_message_not_an_error(pw, as_user):
    """A refused step is a message not an error."""
    proposal = pw.build.rejected()
    client = as_user(pw.author_user)
    response = client.post(url("proposal_action", proposal.pk), {"action": "withdraw"}, follow=True)
    assert response.status_code == 200
    assert any(
        "not accepted" in str(m) or "不予立案" in str(m) for m in response.context["messages"]
    )


def test_the_review_page_shows_similar_proposals_and_decides(pw, as_user):
    """The review page shows similar proposals and decides."""
    earlier = pw.build.accepted()
    proposal = pw.build.submitted()
    client = as_user(pw.office)
    page = client.get(url("proposal_review", proposal.pk))
    assert [item.obj for item in page.context["similar"]][:1] == [earlier]
    # 立案 (filing a proposal), not the 签收 (signing for a concern) of the same English word
    assert 'value="accept"' in page.content.decode()
    with translation.override("zh-hans"):
        assert str(dict(REVIEW_DECISIONS)["accept"]) == "立案"
        assert str(PROPOSAL_ACTIONS["accept"]) == "立案"
        assert str(CONCERN_ACTIONS["accept"]) == "签收"
    response = client.post(
        url("proposal_review", proposal.pk),
        {"decision": "merge", "target": earlier.reference, "reason": "同一事项"},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).merged_into == earlier
    # Reviewing is the office's: the province reads but does not decide.
    assert as_user(pw.parent_office).get(url("proposal_review", earlier.pk)).status_code == 403


def test_rejecting_without_a_ground_shows_the_error(pw, as_user):
    """Rejecting without a ground shows the error."""
    proposal = pw.build.submitted()
    response = as_user(pw.office).post(url("proposal_review", proposal.pk), {"decision": "reject"})
    assert response.status_code == 200
    assert "ground" in response.context["form"].errors


def test_assignment_through_the_page(pw, as_user):
    """Assignment through the page."""
    proposal = pw.build.accepted()
    client = as_user(pw.office)
    assert client.get(url("proposal_assign", proposal.pk)).status_code == 200
    response = client.post(
        url("proposal_assign", proposal.pk),
        {"lead": pw.lead.unit.pk, "cohandling": [pw.helper.unit.pk]},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "handling"
    assert Assignment.objects.filter(proposal=proposal).count() == 2


def test_a_unit_replies_and_the_author_evaluates_through_the_pages(pw, as_user):
    """A unit replies and the author evaluates through the pages."""
    proposal = pw.build.handling()
    lead = pw.build.lead_of(proposal)
    unit = as_user(pw.lead.user)
    assert unit.get(url("assignment_detail", lead.pk)).status_code == 200
    response = unit.post(
        url("assignment_detail", lead.pk),
        {"action": "reply", "text": "已列入计划。", "answer_class": "B"},
    )
    assert response.status_code == 302
    author = as_user(pw.author_user)
    response = author.post(
        url("assignment_detail", lead.pk),
        {"action": "evaluate", "attitude": "satisfied", "result": "basic", "comment": "好"},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    # Another unit does not even see the assignment.
    assert as_user(pw.education.user).get(url("assignment_detail", lead.pk)).status_code == 404


def test_the_unit_inbox_lists_only_its_assignments_in_few_queries(
    pw, as_user, django_assert_max_num_queries
):
    """The unit inbox lists only its assignments in few queries."""
    for _ in range(3):
        pw.build.handling()
    client = as_user(pw.lead.user)
    with django_assert_max_num_queries(12):
        response = client.get(url("units"))
    assert len(response.context["page"].object_list) == 3
    for _ in range(6):
        pw.build.handling()
    with django_assert_max_num_queries(12):
        client.get(url("units"))
    assert as_user(pw.author_user).get(url("units")).status_code == 404


def test_the_list_filters_and_costs_the_same_queries_whatever_its_length(
    pw, as_user, django_assert_max_num_queries
):
    """The list filters and costs the same queries whatever its length."""
    pw.build.handling(cohandling=True)
    client = as_user(pw.office)
    client.get(url("proposal_list", "430300"))
    with django_assert_max_num_queries(25) as few:
        client.get(url("proposal_list", "430300"))
    for _ in range(8):
        pw.build.handling(cohandling=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("proposal_list", "430300"))
    assert response.context["page"].paginator.count == 9
    response = client.get(
        url("proposal_list", "430300"), {"unit": pw.helper.unit.pk, "status": "handling"}
    )
    assert response.context["page"].paginator.count == 9
    response = client.get(url("proposal_list", "430300"), {"q": "不存在的标题"})
    assert response.context["page"].paginator.count == 0


def test_the_review_queue_shows_similar_items_in_a_constant_number_of_queries(
    pw, as_user, django_assert_max_num_queries
):
    """The review queue shows similar items in a constant number of queries."""
    pw.build.submitted()
    pw.build.submitted()
    client = as_user(pw.office)
    client.get(url("review_queue", "430300"))
    with django_assert_max_num_queries(20) as few:
        client.get(url("review_queue", "430300"))
    for _ in range(6):
        pw.build.submitted()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("review_queue", "430300"))
    rows = response.context["rows"]
    assert len(rows) == 8
    assert all(similar for _, similar in rows)  # the same text seven times


def test_bulk_assignment_of_ticked_accepted_proposals(pw, as_user):
    """Bulk assignment of ticked accepted proposals."""
    accepted = [pw.build.accepted() for _ in range(3)]
    submitted = pw.build.submitted()
    client = as_user(pw.office)
    response = client.post(
        url("bulk_assign", "430300"),
        {
            "proposals": [p.pk for p in accepted] + [submitted.pk],
            "lead": pw.lead.unit.pk,
            "cohandling": [pw.helper.unit.pk],
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.filter(status="handling").count() == 3
    assert Proposal.objects.get(pk=submitted.pk).status == "submitted"
    assert as_user(pw.auditor).post(url("bulk_assign", "430300")).status_code == 403


def test_the_excel_export_has_the_usual_layout(pw, as_user):
    """The excel export has the usual layout."""
    proposal = pw.build.handling(cohandling=True)
    lead = pw.build.lead_of(proposal)
    helper = proposal.assignments.get(unit=pw.helper.unit)
    services.assignment_transition(
        assignment=helper, action="send_opinion", by=pw.helper.user, text="同意"
    )
    pw.build.reply(lead)
    pw.build.evaluate(lead)
    client = as_user(pw.office)
    response = client.get(url("proposal_export", "430300"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert rows[1] == tuple(str(h) for h in selectors.EXPORT_HEADERS)
    assert rows[1][:2] == ("序号", "提案号")
    assert rows[1][3:] == ("提案人", "类别", "主办单位", "会办单位", "状态", "答复类别", "满意度")
    assert sheet.title == "提案"
    assert rows[2][:4] == (1, "第0001号", proposal.title, "刘敬民")
    assert rows[2][5:7] == ("市住建局", "市财政局")
    assert rows[2][8] == "A"


def test_the_excel_export_speaks_the_readers_language(pw, as_user):
    """The export's title, sheet name and headers are in the reader's language (English
    here), not always Chinese."""
    proposal = pw.build.accepted()
    response = as_user(pw.office).get(url("proposal_export", "430300"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Proposals"
    assert rows[0][0].startswith("Summary of the proposals of 中国人民政治协商会议湘潭市委员会")
    assert rows[1][:3] == ("No.", "Proposal number", "Subject / title")
    assert rows[2][:3] == (1, "No. 0001", proposal.title)


def test_the_print_view_is_a_clean_sheet(pw, as_user):
    """The print view is a clean sheet."""
    proposal = pw.build.accepted()
    response = as_user(pw.author_user).get(url("proposal_print", proposal.pk))
    content = response.content.decode()
    assert "print.css" in content and proposal.title in content and "0001" in content


def test_attachments_are_served_only_to_who_sees_their_record(pw, as_user):
    """Attachments are served only to who sees their record."""
    proposal = services.proposal_create(
        committee=pw.committee,
        by=pw.author_user,
        data=proposal_data(pw.committee),
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    attachment = proposal.attachments.get()
    response = as_user(pw.author_user).get(url("attachment_download", attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert as_user(pw.office).get(url("attachment_download", attachment.pk)).status_code == 404


def test_statistics_of_a_session(pw, as_user):
    """Statistics of a session."""
    pw.build.closed()
    pw.build.rejected()
    response = as_user(pw.auditor).get(url("statistics", "430300"))
    stats = response.context["stats"]
    assert (stats.submitted, stats.accepted) == (2, 1)
    assert stats.on_time_rate == 100.0 and stats.result_rate == 100.0
    assert "chart-category" in response.content.decode()


def test_my_page_section_lists_what_waits_for_the_member(pw, as_user):
    """My page section lists what waits for the member."""
    pw.build.cosigning(confirmed=False)
    answered = pw.build.answered()
    response = as_user(pw.cosigner_user).get(url("mine"))
    assert len(response.context["proposals_cosign"]) == 1
    response = as_user(pw.author_user).get(url("mine"))
    assert [a.proposal for a in response.context["proposals_to_evaluate"]] == [answered]


def test_the_public_pages_show_only_published_proposals_of_publishing_committees(pw, client):
    """The public pages show only the published proposals of committees that publish."""
    proposal = pw.build.answered()
    assert client.get(url("public_list", "430300")).status_code == 404
    services.policy_update(committee=pw.committee, by=pw.office, data={"publication_enabled": True})
    assert client.get(url("public_list", "430300")).context["page"].paginator.count == 0
    assert client.get(url("public_proposal", "430300", proposal.pk)).status_code == 404
    services.proposal_publish(proposal=proposal, by=pw.office)
    assert client.get(url("public_list", "430300")).context["page"].paginator.count == 1
    detail = client.get(url("public_proposal", "430300", proposal.pk))
    assert detail.status_code == 200 and not list(detail.context["replies"])
    services.reply_publish(reply=proposal.replies.get(), by=pw.office)
    assert len(client.get(url("public_proposal", "430300", proposal.pk)).context["replies"]) == 1


def test_report_pages_check_adopt_and_print_in_the_bulletin(pw, as_user):
    """Report pages check adopt and print in the bulletin."""
    report = pw.build.report_in("submitted")
    office = as_user(pw.office)
    response = office.post(
        url("report_check", report.pk),
        {"edited_title": "关于加强快检的建议", "edited_body": "编辑稿"},
    )
    assert response.status_code == 302
    office.post(url("report_action", report.pk), {"action": "accept"})
    response = office.post(
        url("report_adoption", report.pk),
        {
            "level": "provincial",
            "body": "cppcc",
            "scope": "single",
            "kind": "adopted",
            "occurred_on": "2026-01-05",
            "feedback": "on",
        },
    )
    assert response.status_code == 302
    assert report.adoption_events.count() == 1
    office.post(url("bulletin_list", "430300"), {"title": "社情民意", "published_on": "2026-01-06"})
    issue = pw.committee.bulletins.get()
    office.post(url("bulletin_detail", issue.pk), {"reference": report.reference})
    assert issue.entries.count() == 1
    page = as_user(pw.author_user).get(url("report_detail", report.pk))
    assert page.status_code == 200 and "编辑稿" in page.content.decode()


def test_report_statistics_per_member_and_group(pw, as_user, django_assert_max_num_queries):
    """Report statistics per member and group."""
    report = pw.build.report_in("accepted")
    pw.build.adopted(report)
    pw.build.adopted(report, kind="adopted", body="cppcc", level="provincial", by_whom="")
    pw.build.report_in("kept")
    client = as_user(pw.office)
    with django_assert_max_num_queries(12):
        response = client.get(url("report_statistics", "430300"))
    rows = list(response.context["members"])
    assert rows[0]["person__name"] == "刘敬民"
    assert (rows[0]["submitted"], rows[0]["accepted"]) == (2, 1)
    assert (rows[0]["adopted_provincial"], rows[0]["instructions"]) == (1, 1)


def test_search_page_finds_proposals_replies_and_reports(pw, as_user):
    """Search page finds proposals replies and reports."""
    proposal = pw.build.answered()
    pw.build.report_in("submitted")
    response = as_user(pw.office).get(url("search", "430300"), {"q": "加装电梯"})
    kinds = {r.kind for r in response.context["results"]}
    assert "proposal" in kinds
    assert any(r.obj == proposal for r in response.context["results"])
    response = as_user(pw.office).get(url("search", "430300"), {"q": "专项资金"})
    assert {r.kind for r in response.context["results"]} >= {"reply"}
    response = as_user(pw.office).get(url("search", "430300"), {"q": "农贸市场"})
    assert [r.kind for r in response.context["results"]] == ["report"]


def test_staff_pages_are_for_staff_of_the_committee_or_above(pw, as_user):
    """Staff pages are for staff of the committee or above."""
    for name in (
        "committee_home",
        "review_queue",
        "proposal_list",
        "statistics",
        "key_list",
        "report_list",
        "report_statistics",
        "bulletin_list",
        "search",
    ):
        for user in (pw.office, pw.parent_office, pw.auditor):
            assert as_user(user).get(url(name, "430300")).status_code == 200, (name, user)
        for user in (pw.foreign_office, pw.author_user, pw.lead.user):
            assert as_user(user).get(url(name, "430300")).status_code == 404, (name, user)
    assert as_user(pw.office).get(url("policy", "430300")).status_code == 200
    assert as_user(pw.parent_office).get(url("policy", "430300")).status_code == 403


def test_the_rules_page_saves_answer_classes_and_grounds(pw, as_user):
    """The rules page saves answer classes and grounds."""
    client = as_user(pw.office)
    form = client.get(url("policy", "430300")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["answer_classes_text"] = "A 已解决\nB 正在解决\nC 列入计划\nD 留作参考"
    data["publication_enabled"] = "on"
    response = client.post(
        url("policy", "430300"), {k: v for k, v in data.items() if v is not None and v is not False}
    )
    assert response.status_code == 302
    policy = services.policy_ensure(committee=pw.committee)
    assert [c["code"] for c in policy.answer_classes] == ["A", "B", "C", "D"]
    assert policy.publication_enabled


def test_key_proposal_selection_and_progress_view(pw, as_user):
    """Key proposal selection and progress view."""
    proposal = pw.build.handling()
    client = as_user(pw.office)
    client.post(url("proposal_key", proposal.pk), {"leader": pw.world.convener.pk, "note": "重点"})
    client.post(
        url("proposal_key_note", proposal.pk), {"happened_on": "2026-01-02", "text": "督办会"}
    )
    response = client.get(url("key_list", "430300"))
    supervisions = list(response.context["supervisions"])
    assert [s.proposal for s in supervisions] == [proposal]
    assert supervisions[0].notes.count() == 1


def test_reports_similar_panel_and_new_report_form(pw, as_user):
    """Reports similar panel and new report form."""
    client = as_user(pw.author_user)
    assert client.get(url("report_new", "430300")).status_code == 200
    response = client.post(
        url("report_new", "430300"),
        {
            "kind": "individual",
            "title": "关于停车难的反映",
            "body": "停车位不足，建议建设智慧停车平台。",
        },
    )
    report = OpinionReport.objects.get()
    assert response.url == url("report_detail", report.pk)
    client.post(url("report_action", report.pk), {"action": "submit"})
    assert OpinionReport.objects.get().status == "submitted"


def test_a_unit_returns_an_assignment_through_its_page(pw, as_user):
    """A unit returns an assignment through its page."""
    proposal = pw.build.handling()
    lead = pw.build.lead_of(proposal)
    response = as_user(pw.lead.user).post(
        url("assignment_detail", lead.pk), {"action": "return", "reason": "不属于我局职责"}
    )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=lead.pk).status == "returned"
    # The office assigns again from the proposal's page.
    as_user(pw.office).post(url("proposal_assign", proposal.pk), {"lead": pw.education.unit.pk})
    assert proposal.assignments.filter(unit=pw.education.unit, role="lead").exists()
    assert services.proposal_roles(pw.office, proposal) == {"office"}


def test_own_pages_work_for_people_who_also_hold_other_grants(pw, as_user):
    """A member who is also an auditor or office user, a superuser linked to a person, and an
    office user who also answers for a unit open their own pages (no committee behind them)."""
    from lianluo.directory.models import Grant
    from tests.factories import GrantFactory, PersonFactory, UserFactory

    pw.build.answered()
    GrantFactory(user=pw.author_user, committee=pw.committee, role=Grant.Role.AUDITOR)
    GrantFactory(user=pw.cosigner_user, committee=pw.committee, role=Grant.Role.OFFICE)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    PersonFactory(family_name="赵", given_name="一", user=root)
    for user in (pw.author_user, pw.cosigner_user, root):
        response = as_user(user).get(url("mine"))
        assert response.status_code == 200, user
        assert response.context["proposals_committees"] is not None
    GrantFactory(user=pw.office, committee=pw.committee, role=Grant.Role.UNIT, unit=pw.lead.unit)
    response = as_user(pw.office).get(url("units"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 1


def test_the_evaluation_offers_handling_again_only_while_it_is_possible(pw, as_user):
    """Asking for handling again is offered (ticked) on the first reply; on the reply given
    the second time the box is gone and an unsatisfied result is simply recorded."""
    proposal = pw.build.answered()
    client = as_user(pw.author_user)
    page = client.get(url("proposal_detail", proposal.pk)).content.decode()
    assert 'name="rehandle"' in page
    assert " checked" in page.split('name="rehandle"')[1].split(">")[0]
    lead = pw.build.evaluate(pw.build.lead_of(proposal), result="unsatisfied", action="rehandle")
    pw.build.reply(lead)
    page = client.get(url("proposal_detail", proposal.pk)).content.decode()
    assert 'class="evaluate"' in page and 'name="result"' in page
    assert 'name="rehandle"' not in page
    response = client.post(
        url("assignment_detail", lead.pk),
        {"action": "evaluate", "attitude": "basic", "result": "unsatisfied", "rehandle": "on"},
    )
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    evaluation = lead.replies.get(round=2).evaluations.get()
    assert evaluation.result == "unsatisfied" and not evaluation.rehandle_requested


def test_no_evaluation_is_offered_once_the_office_closed_the_proposal(pw, as_user):
    """After the office closed an answered proposal, its proposer is no longer offered the
    evaluation form, nor asked for it on their own page."""
    proposal = pw.build.answered()
    pw.build.step(proposal, "close")
    client = as_user(pw.author_user)
    response = client.get(url("proposal_detail", proposal.pk))
    assert not any(row["can_evaluate"] for row in response.context["assignments"])
    assert 'class="evaluate"' not in response.content.decode()
    assert client.get(url("mine")).context["proposals_to_evaluate"] == []


def test_the_attachment_help_is_in_the_readers_language(pw):
    """The attachments' help text is translated when shown, not when the module loaded."""
    from lianluo.proposals.forms import OpinionForm

    with translation.override("en"):
        assert str(OpinionForm().fields["attachments"].help_text).startswith("At most 5 files")
    with translation.override("zh-hans"):
        assert not str(OpinionForm().fields["attachments"].help_text).startswith("At most")


def test_the_timeline_and_links_show_words_not_codes(pw, as_user):
    """The timeline says what happened in words (no verb codes such as cosign_confirmed or
    key_selected in brackets), and links say how records are linked."""
    proposal = pw.build.cosigning()
    pw.build.step(proposal, "submit", by=pw.author_user)
    target = pw.build.submitted(title="关于老旧小区加装电梯的另一件提案")
    target = pw.build.step(target, "accept")
    pw.build.step(proposal, "merge", target=target)
    services.key_proposal_select(proposal=target, leader=pw.world.convener, by=pw.office)
    client = as_user(pw.author_user)
    page = client.get(url("proposal_detail", proposal.pk)).content.decode()
    assert "(cosign_confirmed)" not in page and "Co-signed" in page
    assert "(merged_into)" not in page and "(merged into)" in page
    page = as_user(pw.office).get(url("proposal_detail", target.pk)).content.decode()
    assert "(key_selected)" not in page and "Made a key proposal" in page
    assert "Another proposal was merged into this one" in page
    assert 'data-verb="key_selected"' in page


def test_every_verb_on_a_timeline_has_a_label(pw):
    """Every verb the services record on proposals, assignments and reports has a label."""
    from django.contrib.contenttypes.models import ContentType

    from lianluo.core.models import AuditEvent
    from lianluo.proposals.templatetags.proposals_tags import verb_label

    pw.build.closed()
    pw.build.merged()
    pw.build.to_report()
    pw.build.assignment_in("withdrawn")
    pw.build.assignment_in("returned")
    pw.build.assignment_in("opinion_sent")
    pw.build.assignment_in("closed")
    answered = pw.build.answered()
    pw.build.evaluate(pw.build.lead_of(answered), result="unsatisfied", action="rehandle")
    recalled = pw.build.cosigning()
    pw.build.step(recalled, "recall", by=pw.author_user)
    key = pw.build.accepted(title="关于社区养老服务的建议")
    supervision = services.key_proposal_select(proposal=key, leader=pw.world.convener, by=pw.office)
    services.supervision_note_add(
        supervision=supervision,
        by=pw.office,
        text="督办会",
        happened_on=supervision.selected_at.date(),
    )
    services.policy_update(committee=pw.committee, by=pw.office, data={"publication_enabled": True})
    published = services.proposal_publish(proposal=pw.build.closed(), by=pw.office)
    reply = published.replies.get()
    services.reply_publish(reply=reply, by=pw.office)
    services.reply_publish(reply=reply, by=pw.office, publish=False)
    services.proposal_publish(proposal=published, by=pw.office, publish=False)
    report = pw.build.report_in("accepted")
    services.report_check(report=report, by=pw.office, edited_title="标题", edited_body="正文")
    pw.build.adopted(report)
    for kind in ("adopted", "forwarded", "reported", "department_adopted"):
        pw.build.adopted(report, kind=kind, by_whom="")
    issue = services.bulletin_create(
        committee=pw.committee, by=pw.office, title="社情民意", published_on=timezone.localdate()
    )
    services.bulletin_add(issue=issue, report=report, by=pw.office)
    pw.build.report_in("returned")
    pw.build.report_in("kept")
    pw.build.report_in("withdrawn")
    draft = services.proposal_create_from(source=report, by=pw.author_user, committee=pw.committee)
    services.report_create_from(source=draft, by=pw.author_user, committee=pw.committee)
    with_file = services.proposal_create(
        committee=pw.committee,
        by=pw.author_user,
        data=proposal_data(pw.committee),
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")],
    )
    services.attachment_delete(attachment=with_file.attachments.get(), by=pw.author_user)
    declined = pw.build.cosigning(confirmed=False)
    services.proposal_cosign(proposal=declined, by=pw.cosigner_user, confirm=False)
    pw.build.step(pw.build.submitted(), "reject", ground="vague")
    pw.build.suggestion()
    pw.build.returned()
    pw.build.withdrawn()
    kinds = {
        ContentType.objects.get_for_model(model).pk: kind
        for model, kind in (
            (Proposal, "proposal"),
            (OpinionReport, "report"),
            (Assignment, "assignment"),
        )
    }
    events = AuditEvent.objects.filter(content_type_id__in=kinds).exclude(verb="")
    recorded = {(kinds[e.content_type_id], e.verb, e.action) for e in events}
    assert len(recorded) > 30
    missing = [row for row in recorded if verb_label(row[1], row[0], row[2]) is None]
    assert missing == []


def test_the_detail_page_claims_no_similar_items_only_after_a_search(pw, as_user):
    """Staff see "no similar items" only where a search ran (a submitted proposal under
    review), not on an accepted one."""
    accepted = pw.build.accepted()
    response = as_user(pw.office).get(url("proposal_detail", accepted.pk))
    assert response.context["similar_checked"] is False
    assert "No similar items found." not in response.content.decode()
    submitted = pw.build.submitted(title="关于社区养老服务的建议", body="建议增加社区养老服务站。")
    response = as_user(pw.office).get(url("proposal_detail", submitted.pk))
    assert response.context["similar_checked"] is True


def test_the_office_checking_a_report_sees_similar_items(pw, as_user):
    """Office staff checking a submitted opinion report see the similar items panel (not its
    author, and not once the report is decided)."""
    earlier = pw.build.report_in("accepted")
    report = pw.build.report_in("submitted")
    response = as_user(pw.office).get(url("report_detail", report.pk))
    assert response.context["similar_checked"] is True
    assert [item.obj for item in response.context["similar"]][:1] == [earlier]
    assert 'id="similar-heading"' in response.content.decode()
    response = as_user(pw.author_user).get(url("report_detail", report.pk))
    assert response.context["similar_checked"] is False
    response = as_user(pw.office).get(url("report_detail", earlier.pk))
    assert response.context["similar_checked"] is False


def test_the_public_home_page_links_to_the_published_proposals(pw, client):
    """The public home page links to the published proposals: the committees that publish,
    each with its public list."""
    home = client.get(reverse("home")).content.decode()
    assert f'href="{url("public_index")}"' in home
    index = client.get(url("public_index"))
    assert index.status_code == 200
    assert url("public_list", "430300") not in index.content.decode()
    services.policy_update(committee=pw.committee, by=pw.office, data={"publication_enabled": True})
    index = client.get(url("public_index")).content.decode()
    assert f'href="{url("public_list", "430300")}"' in index


def test_a_supervising_leader_sees_the_progress_of_what_they_supervise(pw, as_user):
    """A leader who is only a member sees the key proposals view of the proposals they
    supervise (not the others), and finds them on their own page."""
    leader_user = pw.other_member
    client = as_user(leader_user)
    assert client.get(url("key_list", "430300")).status_code == 404
    supervised = pw.build.handling()
    other = pw.build.accepted(title="关于社区养老服务的建议")
    services.key_proposal_select(proposal=supervised, leader=pw.world.convener, by=pw.office)
    services.key_proposal_select(proposal=other, leader=pw.cosigner, by=pw.office)
    response = client.get(url("key_list", "430300"))
    assert response.status_code == 200
    assert [s.proposal for s in response.context["supervisions"]] == [supervised]
    assert client.get(url("key_list", "440300")).status_code == 404
    mine = client.get(url("mine"))
    assert [s.proposal for s in mine.context["proposals_supervised"]] == [supervised]
    assert url("key_list", "430300") in mine.content.decode()
    # Staff still see all of the committee's.
    response = as_user(pw.office).get(url("key_list", "430300"))
    assert len(response.context["supervisions"]) == 2
