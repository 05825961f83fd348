"""manage.py assessment_recompute CODE YEAR [--person ID ...] [--enqueue]

Recompute a committee-year (or some members) of an open assessment, at once or as background
tasks. A frozen year is refused (re-open it in the results page, with a reason).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lianluo.assessment import services, tasks
from lianluo.assessment.models import Assessment
from lianluo.core.workflow import InvalidTransition


class Command(BaseCommand):
    help = "Recompute the scores of a committee-year (or of some members)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the committee's division code, e.g. 430300")
        parser.add_argument("year", type=int)
        parser.add_argument("--person", type=int, action="append", default=[])
        parser.add_argument("--enqueue", action="store_true", help="run as background tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        assessment = (
            Assessment.objects.filter(committee__code=options["code"], year=options["year"])
            .select_related("committee")
            .first()
        )
        if assessment is None:
            raise CommandError(_("No assessment of this committee and year."))
        people: list[int] = options["person"]
        try:
            if options["enqueue"]:
                if people:
                    for person_id in people:
                        tasks.recompute_member.enqueue(assessment.pk, person_id)
                else:
                    tasks.recompute_assessment.enqueue(assessment.pk)
                self.stdout.write(_("Queued."))
                return
            if people:
                for person_id in people:
                    services.assessment_recompute_member(assessment=assessment, person_id=person_id)
                self.stdout.write(_("%(count)s members recomputed.") % {"count": len(people)})
                return
            done = services.assessment_recompute(assessment=assessment)
        except InvalidTransition as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            _("%(members)s members, %(lines)s lines.")
            % {"members": done.members, "lines": done.lines}
        )
