"""The registry 委员名册, Popolo-shaped: committees, organizations, people, memberships.

A committee is the body everything belongs to. Sectors, special committees, parties and groups,
sector groups and handling units are organizations of one committee. A person holds memberships:
a seat 委员 in a committee for a term (with its sector), and roles in the committee's
organizations. One person may hold memberships in several committees at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lianluo.core.chinese import mask_mobile, name_search_keys, name_sort_key
from lianluo.core.models import TimeStampedModel

if TYPE_CHECKING:
    from lianluo.directory.scoping import Scope


def _scope(user: Any) -> Scope:
    from lianluo.directory.scoping import scope_for

    return scope_for(user)


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def visible_to(self, user: Any) -> CommitteeQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            scope.readable_committee_q()
            | Q(pk__in=scope.member_committee_ids)
            | Q(pk__in=scope.unit_committee_ids)
        )

    def editable_by(self, user: Any) -> CommitteeQuerySet:
        scope = _scope(user)
        return self if scope.is_superuser else self.filter(pk__in=scope.office_committee_ids)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def visible_to(self, user: Any) -> OrganizationQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            scope.readable_committee_q("committee__")
            | Q(committee_id__in=scope.member_committee_ids)
            | Q(pk__in=scope.unit_ids)
        )


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: Any) -> PersonQuerySet:
        """Staff: people with a membership in a committee they read; a member: themselves;
        a convener: also the members seated in their sector."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        if scope.readable_paths:
            q |= Q(
                Exists(
                    Membership.objects.filter(person=OuterRef("pk")).filter(
                        scope.readable_committee_q("committee__")
                    )
                )
            )
        if scope.convened_sector_ids:
            q |= Q(
                Exists(
                    Membership.objects.filter(
                        person=OuterRef("pk"), sector_id__in=scope.convened_sector_ids
                    )
                )
            )
        return self.filter(q)

    def editable_by(self, user: Any) -> PersonQuerySet:
        """Office staff change the people who hold (or held) a membership in their committee."""
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(
            Exists(
                Membership.objects.filter(
                    person=OuterRef("pk"), committee_id__in=scope.office_committee_ids
                )
            )
        )


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        q = scope.readable_committee_q("committee__")
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
        if scope.convened_sector_ids:
            q |= Q(sector_id__in=scope.convened_sector_ids)
        return self.filter(q)

    def editable_by(self, user: Any) -> MembershipQuerySet:
        scope = _scope(user)
        if scope.is_superuser:
            return self
        return self.filter(committee_id__in=scope.office_committee_ids)

    def seats(self) -> MembershipQuerySet:
        return self.filter(organization__isnull=True)

    def serving(self) -> MembershipQuerySet:
        return self.filter(status=Membership.Status.SERVING)


class Committee(TimeStampedModel):
    """A CPPCC committee 政协委员会 at one level, identified by its administrative-division code."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")
        COUNTY = "county", _("county / district")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        help_text=_("Administrative-division code (GB/T 2260), six digits, e.g. 430300."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=64, editable=False, db_index=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Synthetic data for demonstration only.")
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ("path",)
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6}$"), name="directory_committee_code_six_digits"
            ),
        ]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args: object, **kwargs: object) -> None:
        # path: the codes from the national committee down, so "this and below" is one prefix.
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Term(models.Model):
    """A term 届 of a committee (usually five years), e.g. the 14th."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ("committee", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "number"), name="directory_term_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="directory_term_end_after_start",
            ),
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return _("Term %(number)s") % {"number": self.number}


class Session(models.Model):
    """An annual plenary session 次会议 of a term, e.g. the 2nd session of the 14th term."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ("term", "number")
        constraints = [
            models.UniqueConstraint(fields=("term", "number"), name="directory_session_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="directory_session_closes_after_opening",
            ),
        ]
        verbose_name = _("plenary session")
        verbose_name_plural = _("plenary sessions")

    def __str__(self) -> str:
        return _("Term %(term)s, session %(number)s") % {
            "term": self.term.number,
            "number": self.number,
        }


class Organization(TimeStampedModel):
    """A body inside a committee: sector 界别, special committee 专门委员会, party or group
    党派团体, sector group 界别小组, the office 机关, or a handling unit 承办单位 (a government
    department that answers proposals and concerns)."""

    class Classification(models.TextChoices):
        SECTOR = "sector", _("sector")
        SPECIAL_COMMITTEE = "special_committee", _("special committee")
        PARTY_GROUP = "party_group", _("party or group")
        SECTOR_GROUP = "sector_group", _("sector group")
        OFFICE = "office", _("office")
        HANDLING_UNIT = "handling_unit", _("handling unit")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification.choices
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "classification", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "classification", "name"),
                name="directory_organization_unique_name",
            ),
        ]
        indexes = [
            models.Index(
                fields=["committee", "classification", "position"],
                name="directory_org_list_idx",
            )
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.short_name or self.name


class Person(TimeStampedModel):
    """A person 人员 in the registry. The resident ID number identifies them: one ID, one person."""

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class Affiliation(models.TextChoices):
        """Political affiliation 政治面貌 (the fixed list used in CPPCC rosters)."""

        CPC = "cpc", _("CPC member")
        CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
        CYL = "cyl", _("Communist Youth League member")
        RCCK = "rcck", _("China Revolutionary Committee of the Kuomintang")
        CDL = "cdl", _("China Democratic League")
        CNDCA = "cndca", _("China National Democratic Construction Association")
        CAPD = "capd", _("China Association for Promoting Democracy")
        CPWDP = "cpwdp", _("Chinese Peasants and Workers Democratic Party")
        ZGZGD = "zgzgd", _("China Zhi Gong Party")
        JIUSAN = "jiusan", _("Jiusan Society")
        TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
        NON_PARTY = "non_party", _("without party affiliation")
        MASSES = "masses", _("general public")

    family_name = models.CharField(_("surname"), max_length=20)
    given_name = models.CharField(_("given name"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=60, db_index=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    mobile = models.CharField(_("mobile phone"), max_length=11, blank=True)
    affiliation = models.CharField(
        _("political affiliation"), max_length=20, choices=Affiliation.choices, blank=True
    )
    workplace = models.CharField(_("workplace and title"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/%Y/", blank=True)
    biography = models.TextField(_("short biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("log-in account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    # Derived from the name on save: official order and pinyin search.
    name_sort_key = models.TextField(editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=200, editable=False, db_index=True)
    name_initials = models.CharField(max_length=20, editable=False, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("name_sort_key", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("id_number_digest",),
                condition=Q(id_number_digest__isnull=False),
                name="directory_person_unique_id_number",
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = f"{self.family_name}{self.given_name}".strip()
        self.name_sort_key = name_sort_key(self.name)
        self.name_pinyin, self.name_initials = name_search_keys(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class Membership(TimeStampedModel):
    """A person's membership 任职: a seat in a committee for a term (organization empty, with the
    seat's sector), or a role in one of the committee's organizations."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        SECRETARY_GENERAL = "secretary_general", _("secretary-general")
        STANDING_MEMBER = "standing_member", _("standing committee member")
        MEMBER = "member", _("member")
        DIRECTOR = "director", _("director")
        DEPUTY_DIRECTOR = "deputy_director", _("deputy director")
        CONVENER = "convener", _("convener")
        DEPUTY_CONVENER = "deputy_convener", _("deputy convener")
        LIAISON = "liaison", _("liaison officer")

    class Status(models.TextChoices):
        SERVING = "serving", _("serving")
        RESIGNED = "resigned", _("resigned")
        REMOVED = "removed", _("removed")
        DECEASED = "deceased", _("deceased")
        ENDED = "ended", _("term ended")

    SEAT_ROLES = (
        Role.CHAIR,
        Role.VICE_CHAIR,
        Role.SECRETARY_GENERAL,
        Role.STANDING_MEMBER,
        Role.MEMBER,
    )

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="memberships"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Empty for a seat in the committee itself."),
    )
    sector = models.ForeignKey(
        Organization,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seats",
        limit_choices_to={"classification": Organization.Classification.SECTOR},
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SERVING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ("committee", "term", "organization", "person__name_sort_key")
        constraints = [
            models.UniqueConstraint(
                fields=("person", "term"),
                condition=Q(organization__isnull=True),
                name="directory_membership_one_seat_per_term",
            ),
            models.UniqueConstraint(
                fields=("person", "term", "organization"),
                condition=Q(organization__isnull=False),
                name="directory_membership_one_role_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="directory_membership_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | Q(sector__isnull=True),
                name="directory_membership_sector_only_on_seats",
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "term", "status"], name="directory_ms_list_idx"),
            models.Index(
                fields=["committee", "term", "status"],
                condition=Q(organization__isnull=True),
                name="directory_ms_seat_list_idx",
            ),
            models.Index(fields=["committee", "sector", "status"], name="directory_ms_sector_idx"),
            models.Index(fields=["person", "status"], name="directory_ms_person_idx"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        where = self.organization or self.committee
        return f"{self.person} · {where} · {self.get_role_display()}"

    @property
    def is_seat(self) -> bool:
        return self.organization_id is None


class Grant(models.Model):
    """What an account may do in a committee 授权: run its office, audit it (read-only), or
    answer for one of its handling units. Members need no grant: their Person.user link is it."""

    class Role(models.TextChoices):
        OFFICE = "office", _("office staff")
        AUDITOR = "auditor", _("auditor / leader (read-only)")
        UNIT = "unit", _("handling-unit user")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    unit = models.ForeignKey(
        Organization,
        verbose_name=_("handling unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
        limit_choices_to={"classification": Organization.Classification.HANDLING_UNIT},
    )

    class Meta:
        ordering = ("user", "committee", "role")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "committee", "role"),
                condition=Q(unit__isnull=True),
                name="directory_grant_unique_role",
            ),
            models.UniqueConstraint(
                fields=("user", "unit"),
                condition=Q(unit__isnull=False),
                name="directory_grant_unique_unit",
            ),
            models.CheckConstraint(
                condition=(Q(role="unit") & Q(unit__isnull=False))
                | (~Q(role="unit") & Q(unit__isnull=True)),
                name="directory_grant_unit_only_for_unit_role",
            ),
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return f"{self.user} · {self.committee} · {self.get_role_display()}"


class FocusArea(models.Model):
    """A focus area 聚焦领域 of a committee's work (the source article's 五聚焦), a taxonomy the
    committee edits; liaison activities, meetings, concerns and proposals are tagged with one."""

    DEFAULTS = (
        ("development", _("High-quality development")),
        ("livelihood", _("People's livelihood")),
        ("ecology", _("Ecological protection")),
        ("culture_tourism", _("Culture and tourism")),
        ("rural", _("Agriculture, rural areas and farmers (rural revitalisation)")),
    )

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    slug = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("committee", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("committee", "slug"), name="directory_focusarea_unique_slug"
            ),
        ]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.name
