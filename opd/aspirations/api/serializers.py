"""An aspiration as the API shows it."""

from __future__ import annotations

from rest_framework import serializers

from opd.models import (
    Aspiration,
)


class AspirationSerializer(serializers.ModelSerializer[Aspiration]):
    class Meta:
        model = Aspiration
        fields = [
            "id",
            "reference",
            "region",
            "forum",
            "year",
            "kelurahan",
            "title",
            "description",
            "proposer",
            "received_on",
            "status",
            "rejection_reason",
            "activity",
        ]
