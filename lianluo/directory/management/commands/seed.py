"""manage.py seed --scale city|province|national [--fraction F] [--seed N] [--force]

Fills the database with a synthetic registry (lianluo.directory.seeding): deterministic, realistic
and fast enough for the national scale. Refuses to run twice over the same committees.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianluo.directory import seeding


def fraction(value: str) -> float:
    """A number in (0, 1]; argparse names this function in its error message."""
    number = float(value)
    if not 0 < number <= 1:
        raise ValueError(value)
    return number


class TranslatedHelpMixin(BaseCommand):
    """Help texts are English msgids marked with gettext_noop and translated when the parser is
    built (argparse cannot format gettext_lazy's proxies)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = _(self.help)
        for action in parser._actions:
            if action.help:
                action.help = _(action.help)
        return parser


class Command(TranslatedHelpMixin, BaseCommand):
    help = gettext_noop(
        "Fill the database with a synthetic registry of CPPCC committees: "
        "city = the Xiangtan municipal committee (400 members) under Hunan; "
        "province = Hunan, its 14 municipal and 123 county committees (~30,000 people); "
        "national = the National Committee (2,172 members), 31 provincial, 333 municipal and "
        "2,844 county committees (~650,000 people). The same arguments always give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=seeding.SCALES,
            default="city",
            help=gettext_noop("how much to generate (default: city)"),
        )
        parser.add_argument(
            "--fraction",
            type=fraction,
            default=1.0,
            metavar="F",
            help=gettext_noop(
                "0 < F <= 1: keep the top committee (national, the province, the city) whole "
                "and, at each level below it, round(F x n) of the n committees (at least one): "
                "provinces spread evenly over the list, municipal and county committees allotted "
                "to the kept provinces and prefectures in proportion to their real numbers, "
                "never more than a prefecture has. Kept committees keep their usual sizes, so "
                "the number of people scales by about F (national 0.1: 321 committees, ~67,000 "
                "people). At the city scale, where nothing is below the top, F scales the "
                "municipal committee's size instead (at least 20 members)."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            metavar="N",
            help=gettext_noop("seed of the random generator (default: 1)"),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_noop(
                "if some of these committees exist already, delete them, the committees below "
                "them and everything they hold (and the people left without a membership), "
                "then seed again"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = seeding.build_plan(
            options["scale"], fraction=options["fraction"], seed=options["seed"]
        )
        try:
            existing = seeding.existing_codes(plan)
        except DatabaseError as error:
            raise CommandError(
                _("The database is not ready (%(error)s). Run `manage.py migrate` first.")
                % {"error": error}
            ) from error
        if existing and not options["force"]:
            raise CommandError(
                _(
                    "The database already holds %(count)d of the committees to seed "
                    "(%(codes)s): it has been seeded at this scale. Nothing was written. "
                    "Use --force to delete them, with everything below them, and seed again."
                )
                % {"count": len(existing), "codes": ", ".join(existing[:5])}
            )
        verbose = options["verbosity"] > 0
        if existing:
            try:
                counts = seeding.delete_committees(existing)
            except (ProtectedError, RestrictedError) as error:
                raise CommandError(
                    _(
                        "Cannot delete the seeded committees: other records refer to them "
                        "(%(error)s). Nothing was deleted."
                    )
                    % {"error": error.args[0]}
                ) from error
            if verbose:
                self.stdout.write(
                    _("Deleted: %(counts)s")
                    % {"counts": ", ".join(f"{n} {label}" for label, n in counts.items())}
                )
        if verbose:
            self.stdout.write(
                _(
                    "Seeding %(committees)d committees, %(seats)d seats "
                    "(scale %(scale)s, fraction %(fraction)s, seed %(seed)s) into %(vendor)s…"
                )
                % {
                    "committees": len(plan.committees),
                    "seats": plan.seats,
                    "scale": plan.scale,
                    "fraction": plan.fraction,
                    "seed": plan.seed,
                    "vendor": connection.vendor,
                }
            )
        report = seeding.write(plan, progress=verbose)
        records = seeding.seed_app_records(
            codes=[c.code for c in plan.committees],
            seed=plan.seed,
            year=seeding.AS_OF.year,
            as_of=seeding.AS_OF,
            progress=verbose,
        )
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Done in %(seconds).1f s: %(committees)d committees, %(people)d people, "
                        "%(memberships)d memberships, %(organizations)d organizations. "
                        "Generating %(generate).1f s, name keys %(names).1f s, "
                        "encrypting ID numbers %(encrypt).1f s, ANALYZE %(analyze).1f s."
                    )
                    % {
                        "seconds": report.seconds,
                        "committees": report.committees,
                        "people": report.people,
                        "memberships": report.memberships,
                        "organizations": report.organizations,
                        "generate": report.generate_seconds,
                        "names": report.name_keys_seconds,
                        "encrypt": report.encrypt_seconds,
                        "analyze": report.analyze_seconds,
                    }
                )
            )
            for app, counts in records.items():
                self.stdout.write(
                    f"{app}: " + ", ".join(f"{n} {label}" for label, n in counts.items())
                )
