"""An aspiration as the API shows it.

The proposer's name and contact are private: they are ``null`` unless the caller is signed in
(a session, never a token) as a Bappeda reviewer or as staff of the aspiration's kelurahan or
its kecamatan (:func:`sees_proposer`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opd.agencies import roles
from opd.models import (
    Aspiration,
)

#: The fields only the reviewers and the staff of the place see.
PRIVATE_FIELDS = ("proposer", "proposer_contact")


def sees_proposer(request: Any, aspiration: Aspiration) -> bool:
    """Whether ``request``'s caller may see who proposed ``aspiration``.

    Tokens (``request.auth`` set) never do: an integration has no need for a citizen's name.
    """
    if request is None or request.auth is not None or not request.user.is_authenticated:
        return False
    return roles.is_reviewer(request.user) or roles.acts_for_kelurahan(
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
