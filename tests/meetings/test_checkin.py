"""QR check-in 扫码签到: the token names the meeting, the logged-in session names the member.
Every refusal says why: outside the window, not invited, twice, a wrong token, and a member's
session can never check another member in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lianluo.meetings import services
from lianluo.meetings.models import Invitation, Meeting, MeetingKindPolicy
from tests.meetings.factories import MeetingFactory, invite

pytestmark = pytest.mark.django_db


def open_meeting(m, minutes_from_now=10, **kwargs):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        status=Meeting.Status.PUBLISHED,
        starts_at=timezone.now() + datetime.timedelta(minutes=minutes_from_now),
        **kwargs,
    )
    return meeting, invite(meeting, m.liu)


def url(meeting, token=None):
    return reverse("meetings:checkin", args=[meeting.pk, token or meeting.checkin_token])


def test_an_invited_member_checks_in_within_the_window(m, client):
    meeting, invitation = open_meeting(m)
    client.force_login(m.liu_user)
    page = client.get(url(meeting))
    assert page.status_code == 200 and "刘敬民" in page.content.decode()
    done = client.post(url(meeting))
    assert done.status_code == 200
    invitation.refresh_from_db()
    assert invitation.checked_in_at is not None
    assert invitation.checkin_method == "qr" and not invitation.arrived_late


def test_an_arrival_after_the_late_threshold_is_late(m, client):
    meeting, invitation = open_meeting(m, minutes_from_now=-20)  # default: late after 15 min
    client.force_login(m.liu_user)
    client.post(url(meeting))
    invitation.refresh_from_db()
    assert invitation.arrived_late


def refused(response, code, status):
    assert response.status_code == status, response.status_code
    html = response.content.decode()
    assert f'data-code="{code}"' in html
    return html


def test_check_in_before_the_window_is_refused_with_its_opening_time(m, client):
    meeting, invitation = open_meeting(m, minutes_from_now=90)  # opens 60 min before
    client.force_login(m.liu_user)
    html = refused(client.post(url(meeting)), "too_early", 403)
    opens = timezone.localtime(meeting.starts_at - datetime.timedelta(minutes=60))
    assert f"{opens:%H:%M}" in html
    invitation.refresh_from_db()
    assert invitation.checked_in_at is None


def test_check_in_after_the_window_is_refused(m, client):
    meeting, invitation = open_meeting(m, minutes_from_now=-121)  # closes 120 min after
    client.force_login(m.liu_user)
    refused(client.post(url(meeting)), "too_late", 403)
    refused(client.get(url(meeting)), "too_late", 403)
    invitation.refresh_from_db()
    assert invitation.checked_in_at is None


def test_the_window_is_the_committees_setting(m, client):
    MeetingKindPolicy.objects.create(
        committee=m.xiangtan, kind="thematic", approver_role="office", checkin_opens_minutes=120
    )
    meeting, _invitation = open_meeting(m, minutes_from_now=90)
    client.force_login(m.liu_user)
    assert client.post(url(meeting)).status_code == 200


def test_a_member_not_invited_is_refused(m, client):
    meeting, _ = open_meeting(m)
    client.force_login(m.wang_user)
    html = refused(client.post(url(meeting)), "not_invited", 403)
    assert "not on the list" in html or "名单" in html
    assert not Invitation.objects.filter(meeting=meeting, person=m.wang).exists()


def test_a_withdrawn_or_waitlisted_member_is_refused(m, client):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        participation="sign_up",
        status="published",
        starts_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    invite(meeting, m.liu, status="waitlisted")
    client.force_login(m.liu_user)
    refused(client.post(url(meeting)), "not_invited", 403)


def test_checking_in_twice_is_refused_and_keeps_the_first_time(m, client):
    meeting, invitation = open_meeting(m)
    client.force_login(m.liu_user)
    client.post(url(meeting))
    invitation.refresh_from_db()
    first = invitation.checked_in_at
    html = refused(client.post(url(meeting)), "twice", 409)
    assert f"{timezone.localtime(first):%H:%M}" in html
    invitation.refresh_from_db()
    assert invitation.checked_in_at == first


def test_a_wrong_token_is_refused(m, client):
    meeting, invitation = open_meeting(m)
    other, _ = open_meeting(m)
    client.force_login(m.liu_user)
    refused(client.post(url(meeting, token="guessed-token-0000000000")), "bad_token", 404)
    # The token of another meeting does not open this one.
    refused(client.post(url(meeting, token=other.checkin_token)), "bad_token", 404)
    invitation.refresh_from_db()
    assert invitation.checked_in_at is None


def test_another_members_session_cannot_check_a_member_in(m, client):
    """Member B holds the QR link of a meeting where A is invited: B's session checks in B
    (if B is invited) and never A — the token does not identify a member."""
    meeting, liu_place = open_meeting(m)
    client.force_login(m.wang_user)  # 王 is not invited
    refused(client.post(url(meeting)), "not_invited", 403)
    liu_place.refresh_from_db()
    assert liu_place.checked_in_at is None
    wang_place = invite(meeting, m.wang)
    assert client.post(url(meeting)).status_code == 200
    wang_place.refresh_from_db()
    liu_place.refresh_from_db()
    assert wang_place.checked_in_at is not None
    assert liu_place.checked_in_at is None


def test_checking_in_to_a_closed_or_draft_meeting_is_refused(m, client):
    client.force_login(m.liu_user)
    for status in ("draft", "closed", "cancelled"):
        meeting, _ = open_meeting(m)
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        refused(client.post(url(meeting)), "not_open", 403)


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(m, client):
    meeting, _ = open_meeting(m)
    response = client.get(url(meeting))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url and str(meeting.pk) in response.url


def test_the_service_refuses_the_same_way(m):
    meeting, _ = open_meeting(m)
    with pytest.raises(services.CheckinRefused) as refusal:
        services.checkin(meeting_id=meeting.pk, token=meeting.checkin_token, by=m.wang_user)
    assert refusal.value.code == "not_invited"


def test_a_new_qr_code_stops_the_old_one(m, client):
    meeting, _ = open_meeting(m)
    old = meeting.checkin_token
    services.meeting_reset_checkin_token(meeting=meeting, by=m.office)
    client.force_login(m.liu_user)
    refused(client.post(url(meeting, token=old)), "bad_token", 404)
