"""The notification service: in-app always, e-mail at once or in a digest, outside channels."""

import pytest
from django.core import mail

from lianluo.core import notifications
from lianluo.core.models import Notification, NotificationPreference, OutboundMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_recipient_gets_an_in_app_notification_and_an_email(
    django_capture_on_commit_callbacks,
):
    alice = UserFactory(email="alice@example.org")
    bob = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            recipients=[alice, bob, alice], title="会议通知", body="明天开会", url="/m/1/"
        )
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert Notification.objects.filter(recipient=bob).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    assert OutboundMessage.objects.get().state == OutboundMessage.State.SENT


def test_nothing_leaves_before_the_transaction_commits(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify(recipients=[alice], title="x")
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_digest_users_get_one_grouped_email_newest_first(django_capture_on_commit_callbacks):
    carol = UserFactory(email="carol@example.org")
    NotificationPreference.objects.create(user=carol, email_mode="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[carol], title="第一条", obj=carol)
        notifications.notify(recipients=[carol], title="第二条", obj=carol)
        notifications.notify(recipients=[carol], title="另一件事")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.index("■ 第二条") < body.index("第一条")
    assert "■ 另一件事" in body
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests() == 0  # nothing is sent twice


class BrokenSMS:
    def send(self, address, text):
        raise ConnectionError("gateway down")


def test_a_failed_sms_is_kept_with_its_error_and_retried(
    settings, django_capture_on_commit_callbacks
):
    settings.LIANLUO_SMS_BACKEND = "tests.core.test_notifications.BrokenSMS"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_outside(channel="sms", address="13800138000", body="您的诉求已回复")
    message = OutboundMessage.objects.get()
    assert message.state == "failed" and "gateway down" in message.last_error
    settings.LIANLUO_SMS_BACKEND = ""
    assert notifications.retry_failed() == 1
    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 2
