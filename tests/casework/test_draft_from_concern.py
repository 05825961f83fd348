"""A converted concern becomes a draft proposal or opinion report written by a member, and the
two stay linked both ways."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianluo.casework import services
from lianluo.core import links
from lianluo.proposals.models import OpinionReport, Proposal
from tests.casework.factories import bring_to, step

pytestmark = pytest.mark.django_db


def test_the_member_drafts_the_proposal_from_the_page_and_it_is_linked_both_ways(cw, client):
    concern = bring_to(cw, "converted")
    client.force_login(cw.users.member)
    page = client.get(reverse("casework:concern", args=[concern.pk]))
    assert reverse("casework:concern_draft", args=[concern.pk]) in page.content.decode()

    response = client.post(reverse("casework:concern_draft", args=[concern.pk]))

    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.status == Proposal.Status.DRAFT and proposal.author == cw.member
    assert proposal.title == concern.topic and concern.description in proposal.body
    assert ("out", "became", proposal) in links.links_of(concern)
    assert ("in", "became", concern) in links.links_of(proposal)
    assert concern.pk in [
        other.pk for _, _, other in links.links_of(proposal) if other._meta.model_name == "concern"
    ]
    # Drafting again opens the same draft, and the page no longer offers it.
    client.post(reverse("casework:concern_draft", args=[concern.pk]))
    assert Proposal.objects.count() == 1
    page = client.get(reverse("casework:concern", args=[concern.pk]))
    assert reverse("casework:concern_draft", args=[concern.pk]) not in page.content.decode()


def test_a_concern_converted_to_an_opinion_report_drafts_a_report(cw):
    concern = step(
        bring_to(cw, "triaged"), "convert", cw.users.xiangtan_office, converted_to="opinion_report"
    )
    report = services.concern_draft_item(concern=concern, by=cw.users.member)
    assert isinstance(report, OpinionReport) and report.author == cw.member
    assert report.status == OpinionReport.Status.DRAFT


def test_only_a_converted_concern_can_be_drafted_from(cw, client):
    concern = bring_to(cw, "triaged")
    with pytest.raises(ValidationError):
        services.concern_draft_item(concern=concern, by=cw.users.member)
    client.force_login(cw.users.member)
    response = client.post(reverse("casework:concern_draft", args=[concern.pk]), follow=True)
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert response.redirect_chain[-1][0] == reverse("casework:concern", args=[concern.pk])


def test_who_may_draft(cw, client):
    concern = bring_to(cw, "converted")
    # The office has no seat: it converts but cannot author; the button is not offered.
    client.force_login(cw.users.xiangtan_office)
    page = client.get(reverse("casework:concern", args=[concern.pk]))
    assert reverse("casework:concern_draft", args=[concern.pk]) not in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.concern_draft_item(concern=concern, by=cw.users.xiangtan_office)
    # A user with no role on the concern (another committee's office) cannot see it at all.
    client.force_login(cw.users.shenzhen_office)
    assert client.post(reverse("casework:concern_draft", args=[concern.pk])).status_code == 404
    # The unit handling other concerns has no role on this one.
    with pytest.raises(PermissionDenied):
        services.concern_draft_item(concern=concern, by=cw.users.unit)
    assert Proposal.objects.count() == 0
