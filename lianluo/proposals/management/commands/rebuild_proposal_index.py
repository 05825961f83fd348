"""Rebuild the near-duplicate (MinHash/LSH) and full-text indexes of proposals and reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from lianluo.directory.models import Committee
from lianluo.proposals import search
from lianluo.proposals.models import OpinionReport, Proposal, Reply
from lianluo.proposals.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the similarity and full-text search indexes of proposals, replies and reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", help="Only this committee (division code).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        committee = None
        if options["committee"]:
            committee = Committee.objects.filter(code=options["committee"]).first()
            if committee is None:
                raise CommandError(f"No committee with the code {options['committee']}.")
        scope: dict[str, Any] = {"committee": committee} if committee else {}
        total = (
            Proposal.objects.filter(**scope).count()
            + OpinionReport.objects.filter(**scope).count()
            + Reply.objects.filter(**scope).count()
        )
        with tqdm(total=total, disable=options["no_progress"], unit="items") as bar:
            counts = index_rebuild(committee=committee, progress=bar.update)
        search.rebuild_fts()
        self.stdout.write(
            "Indexed {proposals} proposals, {reports} reports, {replies} replies.".format(**counts)
        )
