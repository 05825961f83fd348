"""A proposal's whole life in a real browser, as in the issue's acceptance:

a member drafts a proposal with a co-signer → the co-signer confirms → the member submits →
staff see the two most similar earlier proposals, accept it and assign a lead and a
co-handling unit → both answer (the co-handling unit its opinion, the lead unit its reply) →
the author rates the lead reply unsatisfied → it returns for handling → a second reply is
rated satisfied → closed, with the whole timeline shown.
"""

import pytest

from lianluo.proposals import services
from lianluo.proposals.models import Proposal
from tests.conftest import PASSWORD
from tests.proposals.conftest import pw  # noqa: F401  (the proposals world fixture)
from tests.proposals.factories import proposal_data

pytestmark = pytest.mark.django_db(transaction=True)

EARLIER = (
    (
        "关于加快老旧小区加装电梯的建议",
        "近年来，我市老旧小区改造取得明显成效，但加装电梯工作推进缓慢。调研发现，加装电梯的"
        "资金筹措渠道单一，主要依靠居民自筹和财政补贴，部分小区因低层住户反对而无法实施。"
        "建议：一是设立加装电梯专项资金；二是简化审批流程，推行一站式服务；三是建立协商机制，"
        "化解邻里矛盾。",
    ),
    (
        "关于推进既有住宅加装电梯的提案",
        "我市老旧小区加装电梯工作推进缓慢，资金筹措渠道单一，审批流程繁琐，低层住户与高层住户"
        "意见分歧较大。建议设立加装电梯专项资金，简化审批流程推行一站式服务，建立社区协商机制"
        "化解邻里矛盾，并将加装电梯纳入老旧小区改造统筹推进。",
    ),
    (
        "关于加强农村饮水安全保障的建议",
        "部分农村地区集中供水覆盖不足，水源保护和水质检测工作薄弱。建议加大投入，推进管网延伸，"
        "建立长效管护机制。",
    ),
)
NEW_TITLE = "关于破解老旧小区加装电梯难题的建议"
NEW_BODY = (
    "老旧小区加装电梯是群众关心的民生实事。目前我市加装电梯工作推进缓慢，资金筹措渠道单一，"
    "主要依靠居民自筹，审批流程繁琐，部分小区因低层住户反对而无法实施。建议：一是设立加装电梯"
    "专项资金；二是简化审批流程，推行一站式服务；三是建立社区协商机制，化解邻里矛盾。"
)


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")
    journey.page.wait_for_load_state()


def log_out(journey):
    journey.page.click("header form[action$='/logout/'] button")
    journey.page.wait_for_load_state()


def press(page, action):
    """Click the button of a step form (action=…) on the page."""
    page.click(f"form:has(input[name=action][value={action}]) button[type=submit]")
    page.wait_for_load_state()


def earlier_proposals(world):  # the proposals world `pw`
    """Two earlier accepted proposals on the same matter, and one on another."""
    made = []
    for title, body in EARLIER:
        proposal = services.proposal_create(
            committee=world.committee,
            by=world.other_member,
            data=proposal_data(world.committee, title=title, body=body),
        )
        proposal = services.proposal_transition(
            proposal=proposal, action="submit", by=world.other_member
        )
        made.append(
            services.proposal_transition(proposal=proposal, action="accept", by=world.office)
        )
    return made


def test_a_proposal_from_draft_to_closed_in_the_browser(pw, journey):  # noqa: F811
    """A proposal from draft to closed in the browser."""
    similar_one, similar_two, _other = earlier_proposals(pw)
    page = journey.page

    # The member drafts a joint proposal; similar earlier proposals appear as they type.
    log_in(journey, "member_liu")
    journey.goto("/proposals/c/430300/new/")
    journey.check_accessibility()
    page.check("input[name=kind][value=joint]")
    page.select_option("#id_cosigners", label="王勇峰")
    page.fill("#id_title", NEW_TITLE)
    page.fill("#id_body", NEW_BODY)
    page.locator("#id_body").press("End")
    page.wait_for_selector("#similar-panel .similar li")
    assert similar_one.title in page.inner_text("#similar-panel")
    journey.check_accessibility()
    page.select_option("#id_category", index=1)
    page.check("#id_no_secret_declared")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/proposals/*/")
    journey.check_accessibility()
    proposal = Proposal.objects.get(title=NEW_TITLE)
    assert proposal.status == "draft"
    press(page, "invite")
    assert Proposal.objects.get(pk=proposal.pk).status == "cosigning"
    log_out(journey)

    # The co-signer finds the request on their page and confirms.
    log_in(journey, "member_wang")
    journey.goto("/proposals/mine/")
    journey.check_accessibility()
    page.click(f".cosign-requests a[href='/proposals/{proposal.pk}/']")
    page.wait_for_url(f"**/proposals/{proposal.pk}/")
    journey.check_accessibility()
    page.click("#cosign button[value=confirm]")
    page.wait_for_load_state()
    assert proposal.authors.get(role="cosigner").state == "confirmed"
    log_out(journey)

    # The member submits: a reference number is given.
    log_in(journey, "member_liu")
    journey.goto(f"/proposals/{proposal.pk}/")
    press(page, "submit")
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.reference
    log_out(journey)

    # The office sees the two most similar earlier proposals, accepts and assigns.
    log_in(journey, "xiangtan_office")
    journey.goto("/proposals/c/430300/review/")
    journey.check_accessibility()
    item = page.locator(f"section.queue-item:has(a[href='/proposals/{proposal.pk}/'])")
    similar = item.locator(".similar li").all_inner_texts()[:2]
    assert any(similar_one.title in s for s in similar)
    assert any(similar_two.title in s for s in similar)
    item.locator(f"a[href='/proposals/{proposal.pk}/review/']").click()
    page.wait_for_url("**/review/")
    journey.check_accessibility()
    shown = page.locator("aside .similar li").all_inner_texts()[:2]
    assert any(similar_one.title in s for s in shown)
    assert any(similar_two.title in s for s in shown)
    page.check("input[name=decision][value=accept]")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/proposals/{proposal.pk}/")
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.number == 4
    page.click(f"a[href='/proposals/{proposal.pk}/assign/']")
    page.wait_for_url("**/assign/")
    journey.check_accessibility()
    page.select_option("#id_lead", label="市住建局")
    page.select_option("#id_cohandling", label="市财政局")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/proposals/{proposal.pk}/")
    journey.check_accessibility()
    assert Proposal.objects.get(pk=proposal.pk).status == "handling"
    log_out(journey)

    lead = proposal.assignments.get(role="lead")
    helper = proposal.assignments.get(role="cohandling")

    # The co-handling unit sends its opinion to the lead unit.
    log_in(journey, "unit_finance")
    journey.goto("/proposals/units/")
    journey.check_accessibility()
    page.click(f"a[href='/proposals/assignments/{helper.pk}/']")
    page.wait_for_url(f"**/assignments/{helper.pk}/")
    journey.check_accessibility()
    page.fill("#opinion-form textarea", "我局同意安排加装电梯补助资金。")
    page.click("#opinion-form button[type=submit]")
    page.wait_for_load_state()
    log_out(journey)

    # The lead unit reads the opinion and replies.
    log_in(journey, "unit_housing")
    journey.goto(f"/proposals/assignments/{lead.pk}/")
    journey.check_accessibility()
    assert "我局同意安排加装电梯补助资金" in page.inner_text(".opinion")
    page.fill("#reply-form textarea", "我局将加装电梯纳入年度计划，简化审批。")
    page.select_option("#reply-form select[name=answer_class]", "B")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state()
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"
    log_out(journey)

    # The author is not satisfied with the result: it goes back for handling.
    log_in(journey, "member_liu")
    journey.goto(f"/proposals/{proposal.pk}/")
    journey.check_accessibility()
    form = page.locator("form.evaluate")
    form.locator("input[name=attitude][value=satisfied]").check()
    form.locator("input[name=result][value=unsatisfied]").check()
    form.locator("input[name=rehandle]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Proposal.objects.get(pk=proposal.pk).status == "handling"
    log_out(journey)

    # A second reply.
    log_in(journey, "unit_housing")
    journey.goto(f"/proposals/assignments/{lead.pk}/")
    page.fill("#reply-form textarea", "已设立专项资金，首批 30 台电梯开工。")
    page.select_option("#reply-form select[name=answer_class]", "A")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state()
    log_out(journey)

    # Rated satisfied: closed, with the whole timeline on the page.
    log_in(journey, "member_liu")
    journey.goto(f"/proposals/{proposal.pk}/")
    form = page.locator("form.evaluate")
    form.locator("input[name=attitude][value=satisfied]").check()
    form.locator("input[name=result][value=satisfied]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    journey.check_accessibility()
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"
    timeline = page.locator("ol.timeline li")
    text = "\n".join(timeline.all_inner_texts())
    verbs = timeline.evaluate_all("items => items.map(item => item.dataset.verb)")
    for verb in (
        "invite",
        "cosign_confirmed",
        "submit",
        "accept",
        "assign",
        "assignment_send_opinion",
        "assignment_reply",
        "answer",
        "assignment_rehandle",
        "rehandle",
        "assignment_evaluate",
        "close",
    ):
        assert verb in verbs, verb
        assert f"({verb})" not in text, verb  # shown in words, not as a code
    assert page.locator("section.assignment[data-unit='市住建局'] .reply").count() == 2
    journey.check_clean()


def test_staff_and_public_pages_pass_the_accessibility_checks(pw, journey):  # noqa: F811
    """The other pages in a browser: lists with filters, statistics with charts, key proposals,
    reports with their check and adoption chain, the bulletin, search, rules, print, public."""
    closed = pw.build.closed()
    services.key_proposal_select(proposal=closed, leader=pw.world.convener, by=pw.office)
    report = pw.build.report_in("accepted")
    pw.build.adopted(report)
    services.policy_update(committee=pw.committee, by=pw.office, data={"publication_enabled": True})
    services.proposal_publish(proposal=closed, by=pw.office)
    services.reply_publish(reply=closed.replies.get(), by=pw.office)
    page = journey.page

    log_in(journey, "xiangtan_office")
    for path in (
        "/proposals/c/430300/",
        "/proposals/c/430300/list/",
        "/proposals/c/430300/stats/",
        "/proposals/c/430300/key/",
        "/proposals/c/430300/reports/",
        f"/proposals/reports/{report.pk}/",
        f"/proposals/reports/{report.pk}/check/",
        "/proposals/c/430300/reports/stats/",
        "/proposals/c/430300/bulletins/",
        "/proposals/c/430300/search/?q=加装电梯",
        "/proposals/c/430300/rules/",
        f"/proposals/{closed.pk}/",
        f"/proposals/{closed.pk}/print/",
    ):
        journey.goto(path)
        journey.check_accessibility()
    journey.goto("/proposals/c/430300/stats/")
    page.wait_for_selector(".chart svg")
    journey.goto("/proposals/c/430300/list/")
    page.select_option("select[name=status]", "closed")
    page.wait_for_function(
        "() => document.querySelectorAll('#proposal-results tbody tr.proposal-row').length === 1"
    )
    journey.check_accessibility()
    log_out(journey)

    log_in(journey, "member_liu")
    for path in (
        "/proposals/mine/",
        "/proposals/c/430300/reports/new/",
        f"/proposals/reports/{report.pk}/",
    ):
        journey.goto(path)
        journey.check_accessibility()
    log_out(journey)

    for path in ("/proposals/public/430300/", f"/proposals/public/430300/{closed.pk}/"):
        journey.goto(path)
        journey.check_accessibility()
    assert closed.title in page.inner_text("main")
    journey.check_clean()
