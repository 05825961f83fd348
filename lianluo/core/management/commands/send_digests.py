from typing import Any

from django.core.management.base import BaseCommand

from lianluo.core.notifications import retry_failed, send_digests


class Command(BaseCommand):
    help = "Send the daily e-mail digests, and retry outside messages that failed."

    def handle(self, *args: Any, **options: Any) -> None:
        digests = send_digests()
        retried = retry_failed()
        self.stdout.write(f"digests: {digests}, retried: {retried}")
