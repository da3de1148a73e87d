"""An OPD as the API shows it."""

from __future__ import annotations

from rest_framework import serializers

from opd.models import (
    Opd,
)


class OpdSerializer(serializers.ModelSerializer[Opd]):
    class Meta:
        model = Opd
        fields = ["id", "code", "name", "short_name", "kind", "region"]
