"""manage.py import_roster FILE.xlsx --committee CODE [--term N] [--dry-run]

Imports a committee's Excel roster 委员名册 as the system (no user): the same checks as the staff
page, all or nothing. Every problem is printed as "row, column: message" and the command fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from lianluo.core.audit import SYSTEM
from lianluo.directory import roster, services
from lianluo.directory.models import Committee, Term

T = TypeVar("T")


class Command(BaseCommand):
    help = (
        "Import a committee's Excel roster (.xlsx, in the layout of the roster template). "
        "Nothing is written if any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the roster file (.xlsx)")
        parser.add_argument("--committee", required=True, help="the committee's division code")
        parser.add_argument("--term", type=int, help="the term's number (default: the newest term)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count the changes, but write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        committee = Committee.objects.filter(code=options["committee"]).first()
        if committee is None:
            raise CommandError(
                _("No committee has the code %(code)s.") % {"code": options["committee"]}
            )
        term = self.term(committee, options["term"])
        show_progress = options["verbosity"] > 0

        def track(items: Sequence[T], label: str) -> Iterable[T]:
            return tqdm(items, desc=label, unit="row", disable=not show_progress, leave=False)

        try:
            with path.open("rb") as file:
                result = roster.roster_import(
                    file,
                    committee=committee,
                    term=term,
                    by=SYSTEM,
                    dry_run=options["dry_run"],
                    filename=path.name,
                    track=track,
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except roster.RosterRefused as refused:
            raise CommandError(str(refused)) from refused
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(
                ngettext(
                    "%(count)d problem: nothing was written.",
                    "%(count)d problems: nothing was written.",
                    count,
                )
                % {"count": count}
            )
        if result.dry_run:
            self.stdout.write(_("Check only: nothing was written."))
        self.stdout.write(result.summary())

    def term(self, committee: Committee, number: int | None) -> Term:
        if number is None:
            term = services.current_term(committee)
            if term is None:
                raise CommandError(_("The committee has no term yet."))
            return term
        found = Term.objects.filter(committee=committee, number=number).first()
        if found is None:
            raise CommandError(_("The committee has no term %(number)d.") % {"number": number})
        return found
