"""Read-only representations of the registry for the API.

Personal data leaves only masked: a person carries `id_number_masked` and `mobile_masked`, never
the ID number, the mobile number or the birth date (which the ID number holds).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianluo.directory.models import Committee, Membership, Organization, Person


class ErrorSerializer(serializers.Serializer):
    # The body of an error answer: {"detail": "..."}. (A comment, not a docstring: docstrings
    # of serializers become untranslated descriptions in the API schema.)

    detail = serializers.CharField(help_text=_("What went wrong, in the user's language."))


# The viewsets are read-only, so no field needs `read_only`; leaving model fields as they are keeps
# blank choices ("" for an unknown gender) in the schema.


class CommitteeSerializer(serializers.ModelSerializer[Committee]):
    # `parent` and `label` name fields here, not DRF's Field attributes of the same names.
    parent: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text=_("Division code of the higher committee, if any."),
    )

    class Meta:
        model = Committee
        fields = ("code", "name", "short_name", "level", "parent")


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    committee: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Division code of the committee.")
    )

    class Meta:
        model = Organization
        fields = (
            "id",
            "committee",
            "classification",
            "name",
            "short_name",
            "parent",
            "position",
            "is_active",
        )


class PersonSerializer(serializers.ModelSerializer[Person]):
    # A person with masked personal data only.

    mobile_masked = serializers.CharField(
        read_only=True, help_text=_("The mobile number with its middle digits hidden.")
    )

    class Meta:
        model = Person
        fields = (
            "id",
            "name",
            "family_name",
            "given_name",
            "name_pinyin",
            "gender",
            "ethnicity",
            "affiliation",
            "workplace",
            "id_number_masked",
            "mobile_masked",
        )
        extra_kwargs = {
            "name_pinyin": {"help_text": _("The name in pinyin, without tones or spaces.")},
            "id_number_masked": {
                "help_text": _(
                    "The ID number with all but its first and last four characters hidden."
                )
            },
        }


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    committee: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("Division code of the committee.")
    )
    term = serializers.IntegerField(
        source="term.number", read_only=True, help_text=_("Number of the term, e.g. 13.")
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    organization_name = serializers.CharField(
        source="organization.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Empty for a seat in the committee itself."),
    )
    sector_name = serializers.CharField(
        source="sector.name", read_only=True, allow_null=True, default=None
    )
    is_seat = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "A seat in the committee itself rather than a role in one of its organizations."
        ),
    )

    class Meta:
        model = Membership
        fields = (
            "id",
            "person",
            "person_name",
            "committee",
            "term",
            "organization",
            "organization_name",
            "sector",
            "sector_name",
            "is_seat",
            "role",
            "status",
            "start_date",
            "end_date",
        )


class PopoloCommitteeLinkSerializer(serializers.ModelSerializer[Committee]):
    # A committee in the public list of Popolo exports.
    url = serializers.SerializerMethodField(
        help_text=_("Absolute address of this committee's Popolo export.")
    )

    class Meta:
        model = Committee
        fields = ("code", "name", "short_name", "url")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, committee: Committee) -> str:
        path = reverse("api:popolo-committee", kwargs={"code": committee.code})
        return self.context["request"].build_absolute_uri(path)


# The serializers below only describe the Popolo export in the API schema; the export itself is
# built by lianluo.api.popolo, and tests check both against the official Popolo JSON schemas.


class PopoloIdentifierSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    scheme = serializers.CharField()


class PopoloOtherNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    note = serializers.CharField(required=False)


class PopoloPersonSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_('Stable identifier, e.g. "person/123".'))
    name = serializers.CharField()
    family_name = serializers.CharField()
    given_name = serializers.CharField(required=False)
    sort_name = serializers.CharField(help_text=_("The name in pinyin, for sorting."))
    gender = serializers.ChoiceField(choices=Person.Gender.choices, required=False)
    other_names = PopoloOtherNameSerializer(many=True)


class PopoloOrganizationSerializer(serializers.Serializer):
    id = serializers.CharField(
        help_text=_(
            'Stable identifier: "organization/<code>" for the committee, '
            '"organization/<code>/<number>" for its organizations.'
        )
    )
    name = serializers.CharField()
    classification = serializers.CharField(
        help_text=_("committee, sector, special_committee, party_group or sector_group.")
    )
    parent_id = serializers.CharField(required=False)
    identifiers = PopoloIdentifierSerializer(many=True, required=False)
    other_names = PopoloOtherNameSerializer(many=True, required=False)


class PopoloPostSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    role = serializers.CharField()
    organization_id = serializers.CharField()


class PopoloMembershipSerializer(serializers.Serializer):
    id = serializers.CharField()
    person_id = serializers.CharField()
    organization_id = serializers.CharField()
    post_id = serializers.CharField(required=False)
    role = serializers.CharField()
    label = serializers.CharField(help_text=_("The term of the membership."))  # type: ignore[assignment]
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False)


class PopoloExportSerializer(serializers.Serializer):
    # One committee as Popolo JSON (popoloproject.com).

    persons = PopoloPersonSerializer(many=True)
    organizations = PopoloOrganizationSerializer(many=True)
    memberships = PopoloMembershipSerializer(many=True)
    posts = PopoloPostSerializer(many=True)
