"""The OPDs of every region: public, read-only."""

from __future__ import annotations

from rest_framework import viewsets

from magelang.api.etags import ETagRetrieveMixin
from opd.agencies.api import filters, serializers
from opd.models import (
    Opd,
)


class OpdViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Opd]):
    """The agencies (OPD) of every region: public."""

    public = True
    queryset = Opd.objects.all()
    serializer_class = serializers.OpdSerializer
    filterset_class = filters.OpdFilter
    region_field = "region"
    ordering_fields = ["code", "name"]
    ordering = ["code"]
