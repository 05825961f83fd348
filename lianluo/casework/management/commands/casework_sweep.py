"""Enqueue the deadline sweep: reminders before the deadline, escalation after it, due webhook
retries. Run it from cron (e.g. every 15 minutes); `manage.py db_worker` executes it. With
--now it runs here and prints what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lianluo.casework import services
from lianluo.casework.tasks import sweep_overdue


class Command(BaseCommand):
    help = "Enqueue (or with --now, run) the concerns' deadline sweep."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run the sweep in this process instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            result = services.concerns_sweep()
            self.stdout.write(
                "reminded {reminded}, escalated {escalated}, deliveries {deliveries}".format(
                    **result
                )
            )
            return
        queued = sweep_overdue.enqueue()
        self.stdout.write(f"sweep enqueued: {queued.id} ({queued.status})")
