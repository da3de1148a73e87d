"""An aspiration as the API shows it, and what its writes accept.

The proposer's name and contact are private: they are ``null`` unless the caller is signed in
(a session, never a token) as a Bappeda reviewer or as staff of the aspiration's kelurahan or
its kecamatan (:func:`sees_proposer`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opd.agencies import roles
from opd.aspirations import services
from opd.models import (
    Activity,
    Aspiration,
    Opd,
    RejectionCode,
)
from opd.workplans.api.visibility import visible_activities
from targets.models import MAX_YEAR, MIN_YEAR, Indicator, Kelurahan, Region

#: The fields only the reviewers and the staff of the place see.
PRIVATE_FIELDS = ("proposer", "proposer_contact")


def sees_proposer(request: Any, aspiration: Aspiration) -> bool:
    """Whether ``request``'s caller may see who proposed ``aspiration``.

    Tokens (``request.auth`` set) never do: an integration has no need for a citizen's name.
    """
    if request is None or request.auth is not None or not request.user.is_authenticated:
        return False
    return roles.reviews_region(request.user, aspiration.region_id) or roles.acts_for_kelurahan(
        request.user, aspiration.kelurahan_id
    )


class AspirationSerializer(serializers.ModelSerializer[Aspiration]):
    proposer = serializers.CharField(
        read_only=True, allow_null=True, help_text="Null unless the caller may see it."
    )
    proposer_contact = serializers.CharField(
        read_only=True, allow_null=True, help_text="Null unless the caller may see it."
    )

    class Meta:
        model = Aspiration
        fields = [
            "id",
            "reference",
            "region",
            "forum",
            "year",
            "first_year",
            "kelurahan",
            "title",
            "description",
            "category",
            "indicator",
            "priority",
            "proposer_kind",
            "proposer",
            "proposer_contact",
            "received_on",
            "status",
            "recommended_opd",
            "rejection_code",
            "rejection_reason",
            "activity",
            "version",
        ]
        read_only_fields = ["version"]

    def to_representation(self, instance: Aspiration) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not sees_proposer(self.context.get("request"), instance):
            for name in PRIVATE_FIELDS:
                data[name] = None
        return data


# --- writes ------------------------------------------------------------------------------

#: Fields an edit cannot change: the reference carries the forum and the year, and the region
#: follows the kelurahan. Sent unchanged (a PUT of what was read) they are accepted.
FIXED_FIELDS = ("forum", "year", "region")


def _kelurahan_field() -> serializers.PrimaryKeyRelatedField[Kelurahan]:
    return serializers.PrimaryKeyRelatedField(
        queryset=Kelurahan.objects.all(), required=False, allow_null=True
    )


def _indicator_field() -> serializers.PrimaryKeyRelatedField[Indicator]:
    return serializers.PrimaryKeyRelatedField(
        queryset=Indicator.objects.all(),
        required=False,
        allow_null=True,
        help_text="An indicator of the region's plan covering the aspiration's year.",
    )


def _priority_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=32767, required=False, allow_null=True)


class AspirationCreateSerializer(serializers.ModelSerializer[Aspiration]):
    """What a forum gave: the reference, status and version are set by the portal. The region
    follows the kelurahan; name it only for a city forum without a kelurahan."""

    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only without a kelurahan (a city forum); otherwise the kelurahan's region.",
    )
    kelurahan = _kelurahan_field()
    indicator = _indicator_field()
    priority = _priority_field()
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)

    class Meta:
        model = Aspiration
        fields = list(services.INTAKE_FIELDS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("kelurahan") is None and attrs.get("region") is None:
            raise serializers.ValidationError(
                {
                    "kelurahan": [
                        _(
                            "Name the kelurahan of the aspiration (or, for a city forum, the region)."
                        )
                    ]
                }
            )
        if attrs.get("region") is None:
            attrs.pop("region", None)
        return attrs


class AspirationUpdateSerializer(serializers.ModelSerializer[Aspiration]):
    """The details that may still be corrected while the aspiration is received or verified.
    The forum, year and region stay as they are (sent unchanged, they are accepted)."""

    kelurahan = _kelurahan_field()
    indicator = _indicator_field()
    priority = _priority_field()

    class Meta:
        model = Aspiration
        fields = list(services.UPDATE_FIELDS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance
        errors = {
            name: [_("This cannot be changed: the reference number carries it.")]
            for name in FIXED_FIELDS
            if current is not None
            and name in self.initial_data
            and str(self.initial_data[name]) != str(_stored(current, name))
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _stored(aspiration: Aspiration, name: str) -> Any:
    """A field's stored value as the API shows it: a foreign key as its id."""
    return aspiration.region_id if name == "region" else getattr(aspiration, name)


class StageSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class RecommendSerializer(StageSerializer):
    opd = serializers.PrimaryKeyRelatedField(
        queryset=Opd.objects.all(), help_text="An OPD of the aspiration's region."
    )


class AcceptSerializer(StageSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.none(),
        help_text="An activity of the recommended OPD's work plan for the aspiration's year.",
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # Another OPD's activity is an unknown one (400), as everywhere in the API.
        activities = visible_activities(self.context.get("request"))
        fields["activity"].queryset = activities  # type: ignore[attr-defined]
        return fields


@extend_schema_field({"$ref": "#/components/schemas/RejectionCodeEnum"})
class RejectionCodeField(serializers.ChoiceField):
    """The schema names the choice set as the representation's ``rejection_code`` does (one
    enum, RejectionCodeEnum), not as a second enum named after this field."""


class RejectSerializer(serializers.Serializer[Any]):
    code = RejectionCodeField(choices=RejectionCode.choices)
    text = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The reason in words; required for the code 'other'.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["text"] = attrs["text"].strip()
        if attrs["code"] == RejectionCode.OTHER and not attrs["text"]:
            raise serializers.ValidationError(
                {"text": [_("Say why the aspiration is rejected: the reason 'other' needs text.")]}
            )
        return attrs
