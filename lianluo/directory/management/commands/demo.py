"""manage.py demo [--base-url URL]

Loads the demo committee — the municipal committee of Xiangtan 湘潭市政协 (430300, ~400 members)
under the committee of Hunan 湖南省政协 (430000), both marked as demo data — and one log-in per
role, then prints the log-ins. Running it again changes nothing and prints them again.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianluo.accounts.models import User
from lianluo.directory import seeding
from lianluo.directory.data.regions import DEMO_CITY_CODE, DEMO_PROVINCE_CODE
from lianluo.directory.management.commands.seed import TranslatedHelpMixin
from lianluo.directory.models import Committee, Grant, Membership, Organization, Person

DEMO_SEED = 2026
UNIT_NAME = "市教育局"


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: its role, credentials and the page to open first."""

    key: str
    username: str
    password: str
    label: str
    path: str


def demo_logins() -> list[DemoLogin]:
    """The demo accounts, one per role (the passwords meet the staff password policy)."""
    xiangtan = reverse("directory:committee", args=[DEMO_CITY_CODE])
    return [
        DemoLogin(
            "office", "xt_office", "Demo-Office-2026!", _("Office staff, Xiangtan"), xiangtan
        ),
        DemoLogin(
            "province_office",
            "hn_office",
            "Demo-Province-2026!",
            _("Office staff, Hunan"),
            reverse("directory:committee", args=[DEMO_PROVINCE_CODE]),
        ),
        DemoLogin("auditor", "xt_auditor", "Demo-Auditor-2026!", _("Auditor, Xiangtan"), xiangtan),
        DemoLogin(
            "member",
            "xt_member",
            "Demo-Member-2026!",
            _("Member (Xiangtan and Hunan)"),
            reverse("portal:me"),
        ),
        DemoLogin(
            "convener",
            "xt_convener",
            "Demo-Convener-2026!",
            _("Sector convener, Xiangtan"),
            reverse("portal:me"),
        ),
        DemoLogin(
            "unit",
            "xt_unit",
            "Demo-Unit-2026!",
            _("Handling unit (%(unit)s)") % {"unit": UNIT_NAME},
            # The unit's queue of concerns, when that app is installed.
            reverse("casework:unit_queue" if apps.is_installed("lianluo.casework") else "home"),
        ),
        DemoLogin(
            "admin",
            "demo_admin",
            "Demo-Superuser-2026!",
            _("Administrator"),
            reverse("admin:index"),
        ),
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: list[str]) -> str:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


class Command(TranslatedHelpMixin, BaseCommand):
    help = gettext_noop(
        "Load the demo committee (Xiangtan 430300 under Hunan 430000, ~400 synthetic members, "
        "marked as demo data) and one log-in per role, and print the log-ins. Running it again "
        "adds nothing and prints the log-ins again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help=gettext_noop("where the site runs, for the printed links"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = seeding.build_plan("city", seed=DEMO_SEED, is_demo=True)
        codes = [c.code for c in plan.committees]
        existing = {c.code: c for c in Committee.objects.filter(code__in=codes)}
        foreign = [code for code, c in existing.items() if not c.is_demo]
        if foreign:
            raise CommandError(
                _(
                    "Committee %(codes)s exists and is not demo data: the demo cannot be loaded "
                    "into this database."
                )
                % {"codes": ", ".join(sorted(foreign))}
            )
        if len(existing) < len(codes):
            if existing:  # an interrupted load: start again
                seeding.delete_committees(list(existing))
            report = seeding.write(plan, progress=options["verbosity"] > 0)
            seeding.seed_app_records(
                codes=[c.code for c in plan.committees],
                seed=DEMO_SEED,
                year=seeding.AS_OF.year,
                as_of=seeding.AS_OF,
                progress=options["verbosity"] > 0,
            )
            self.stdout.write(
                _("Loaded the demo: %(people)d people in %(committees)d committees.")
                % {"people": report.people, "committees": report.committees}
            )
        else:
            self.stdout.write(_("The demo committee is loaded already."))
        logins = self.ensure_logins(plan)
        base = options["base_url"].rstrip("/")
        rows = [[_("Role"), _("User name"), _("Password"), _("Open")]]
        rows += [[x.label, x.username, x.password, f"{base}{x.path}"] for x in logins]
        self.stdout.write(_table(rows))

    @transaction.atomic
    def ensure_logins(self, plan: seeding.Plan) -> list[DemoLogin]:
        """Create the demo accounts, grants and person links that are missing."""
        city = Committee.objects.get(code=DEMO_CITY_CODE)
        province = Committee.objects.get(code=DEMO_PROVINCE_CODE)
        logins = demo_logins()
        users: dict[str, User] = {}
        for login in logins:
            user, _created = User.objects.get_or_create(username=login.username)
            if login.key == "admin" and not (user.is_superuser and user.is_staff):
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
            users[login.key] = user
        grants = [
            ("office", city, Grant.Role.OFFICE, None),
            ("province_office", province, Grant.Role.OFFICE, None),
            ("auditor", city, Grant.Role.AUDITOR, None),
            (
                "unit",
                city,
                Grant.Role.UNIT,
                Organization.objects.get(
                    committee=city, classification="handling_unit", name=UNIT_NAME
                ),
            ),
        ]
        for key, committee, role, unit in grants:
            Grant.objects.get_or_create(user=users[key], committee=committee, role=role, unit=unit)
        self.link_person(users["member"], seeding.person_with_two_seats(plan))
        # A convener who holds a plain seat, so the role is what the account shows.
        plain_seats = Membership.objects.filter(
            committee=city,
            organization__isnull=True,
            status=Membership.Status.SERVING,
            role__in=(Membership.Role.MEMBER, Membership.Role.STANDING_MEMBER),
            term__end_date__isnull=True,
        ).values("person_id")
        convener = (
            Membership.objects.filter(
                committee=city,
                organization__classification="sector",
                role=Membership.Role.CONVENER,
                status=Membership.Status.SERVING,
                person_id__in=plain_seats,
                person__user__isnull=True,
            )
            .order_by("organization__position", "person_id")
            .values_list("person_id", flat=True)
            .first()
        )
        self.link_person(users["convener"], convener)
        # Passwords last: the staff policy applies once the grants exist.
        for login in logins:
            user = users[login.key]
            if not user.check_password(login.password):
                validate_password(login.password, user)
                user.set_password(login.password)
                user.save(update_fields=["password"])
        return logins

    def link_person(self, user: User, person_id: int | None) -> None:
        if Person.objects.filter(user=user).exists():
            return
        if person_id is None:
            raise CommandError(
                _("The demo data hold no person for the account %(user)s.")
                % {"user": user.username}
            )
        person = Person.objects.get(pk=person_id)
        person.user = user
        person.save()
        if not user.first_name:
            user.last_name, user.first_name = person.family_name, person.given_name
            user.save(update_fields=["first_name", "last_name"])
