"""Background work with a frozen clock: reminders before the deadline, escalation after it,
webhook deliveries to units' own systems with retries and back-off."""

import datetime
import hashlib
import hmac
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from lianluo.casework import services, webhooks
from lianluo.casework.models import CaseworkPolicy, Concern, WebhookDelivery
from lianluo.core import crypto
from lianluo.core.models import AuditEvent, Notification
from tests.casework.factories import bring_to, step

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _events(concern, verb):
    return AuditEvent.objects.filter(object_id=str(concern.pk), verb=verb)


def test_the_worker_reminds_before_the_deadline_and_escalates_after_it(cw):
    """The roads category gives ten days. On day 8 (two days before) the unit is reminded; on
    day 11 the concern is overdue and the office gets the escalation — once each, whatever
    how often the sweep runs."""
    with time_machine.travel(START, tick=False):
        concern = bring_to(cw, "forwarded")
    assert concern.deadline == START + datetime.timedelta(days=10)

    with time_machine.travel(START + datetime.timedelta(days=5), tick=False):
        call_command("casework_sweep")
    assert not _events(concern, "remind").exists()

    with time_machine.travel(START + datetime.timedelta(days=8, hours=1), tick=False):
        call_command("casework_sweep")
        call_command("casework_sweep")
    assert _events(concern, "remind").count() == 1
    assert (
        Notification.objects.filter(recipient=cw.users.unit, kind="casework.reminder").count() == 1
    )

    with time_machine.travel(START + datetime.timedelta(days=11), tick=False):
        concern.refresh_from_db()
        assert concern.is_overdue
        call_command("casework_sweep")
        call_command("casework_sweep")
    concern.refresh_from_db()
    assert concern.escalated_at == START + datetime.timedelta(days=11)
    assert concern.status == "forwarded"  # escalation is on the timeline, the state stays
    assert _events(concern, "escalate").count() == 1
    escalations = Notification.objects.filter(kind="casework.overdue")
    assert set(escalations.values_list("recipient__username", flat=True)) == {"xiangtan_office"}


def test_a_reply_or_a_new_deadline_stops_the_escalation(cw):
    with time_machine.travel(START, tick=False):
        answered = bring_to(cw, "replied")
        reassigned = bring_to(cw, "forwarded")
    with time_machine.travel(START + datetime.timedelta(days=9), tick=False):
        step(reassigned, "reassign", cw.users.xiangtan_office, unit=cw.housing_unit)
    with time_machine.travel(START + datetime.timedelta(days=12), tick=False):
        result = services.concerns_sweep()
    assert result["escalated"] == 0
    assert not AuditEvent.objects.filter(verb="escalate").exists()
    assert answered.status == "replied"


def test_the_reminder_lead_time_is_the_committees(cw):
    CaseworkPolicy.objects.filter(committee=cw.xiangtan).update(reminder_days=5)
    with time_machine.travel(START, tick=False):
        concern = bring_to(cw, "handling")
    with time_machine.travel(START + datetime.timedelta(days=5, hours=1), tick=False):
        assert services.concerns_sweep()["reminded"] == 1
    assert _events(concern, "remind").exists()


def test_the_sweep_command_enqueues_a_task_for_the_worker(cw, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("casework_sweep")
    assert "sweep enqueued" in capsys.readouterr().out


# ---------------------------------------------------------------- webhooks


@pytest.fixture
def endpoint(cw):
    return services.endpoint_save(
        committee=cw.xiangtan,
        by=cw.users.xiangtan_office,
        unit=cw.unit,
        url="https://unit.example/hooks/lianluo",
        secret="s3cret-s3cret-s3cret",
    )


class FakeUnitSystem:
    """Stands in for the unit's server: records what arrives, answers as told."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, url, body, headers):
        self.calls.append((url, body, headers))
        answer = self.answers.pop(0) if self.answers else (200, b"{}", {})
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_forwarding_to_a_unit_with_its_own_system_posts_a_signed_message(
    cw, endpoint, monkeypatch, django_capture_on_commit_callbacks
):
    system = FakeUnitSystem([(201, json.dumps({"reference": "JY-2026-0042"}).encode(), {})])
    monkeypatch.setattr(webhooks, "post", system)
    with django_capture_on_commit_callbacks(execute=True):
        concern = bring_to(cw, "forwarded", name="王先生", mobile="13912345678", consent=True)
    delivery = WebhookDelivery.objects.get(concern=concern)
    assert delivery.state == "sent" and delivery.external_ref == "JY-2026-0042"
    url, body, headers = system.calls[0]
    assert url == "https://unit.example/hooks/lianluo"
    expected = hmac.new(
        b"s3cret-s3cret-s3cret",
        headers["X-Lianluo-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Lianluo-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "forwarded" and payload["concern"]["code"] == concern.code
    assert "13912345678" not in body.decode() and "王先生" not in body.decode()


def test_a_failed_delivery_is_retried_with_back_off_and_then_abandoned(
    cw, endpoint, monkeypatch, django_capture_on_commit_callbacks
):
    system = FakeUnitSystem([OSError("connection refused")] * 20)
    monkeypatch.setattr(webhooks, "post", system)
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            concern = bring_to(cw, "forwarded")
        delivery = WebhookDelivery.objects.get(concern=concern)
        assert delivery.state == "failed" and delivery.attempts == 1
        assert delivery.next_attempt_at == START + datetime.timedelta(minutes=1)
        assert "connection refused" in delivery.last_error
    waits = []
    moment = START
    for _ in range(webhooks.MAX_ATTEMPTS - 1):
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - moment)
        moment = delivery.next_attempt_at
        with time_machine.travel(moment, tick=False):
            services.concerns_sweep()
    delivery.refresh_from_db()
    assert waits[:4] == [datetime.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delivery.state == "abandoned" and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert len(system.calls) == webhooks.MAX_ATTEMPTS


def test_staff_see_failures_and_can_retry(cw, endpoint, monkeypatch, client):
    system = FakeUnitSystem([(500, b"oops", {}), (200, b"", {"X-Reference": "R-1"})])
    monkeypatch.setattr(webhooks, "post", system)
    concern = bring_to(cw, "forwarded")  # on_commit never runs in this test's transaction
    webhooks.deliver(concern.deliveries.get().pk)
    client.force_login(cw.users.xiangtan_office)
    page = client.get(f"/casework/concerns/{concern.pk}/")
    assert "HTTP 500" in page.content.decode()
    failures = client.get("/casework/c/430300/deliveries/?state=failed")
    assert concern.display_code in failures.content.decode()
    delivery = concern.deliveries.get()
    response = client.post(f"/casework/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.external_ref == "R-1"


def test_a_unit_without_its_own_system_gets_no_delivery(cw):
    concern = bring_to(cw, "forwarded")
    assert not WebhookDelivery.objects.filter(concern=concern).exists()


def test_the_secret_is_stored_encrypted(cw, endpoint):
    assert "s3cret" not in endpoint.secret_encrypted
    assert crypto.decrypt(endpoint.secret_encrypted) == "s3cret-s3cret-s3cret"


def test_concerns_overdue_by_the_clock_are_listed_as_overdue(cw, client):
    with time_machine.travel(START, tick=False):
        concern = bring_to(cw, "forwarded")
    with time_machine.travel(START + datetime.timedelta(days=20), tick=False):
        client.force_login(cw.users.xiangtan_office)
        page = client.get("/casework/c/430300/?overdue=true")
        assert concern.display_code in page.content.decode()
        assert Concern.objects.filter(deadline__lt=timezone.now()).count() == 1
