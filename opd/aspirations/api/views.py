"""Community aspirations: read-only (anonymous callers and read tokens never see proposer data)."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from magelang.api.etags import ETagRetrieveMixin
from opd.aspirations.api import filters, serializers
from opd.models import (
    Aspiration,
    Opd,
)


class AspirationViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Aspiration]):
    """Community aspirations (usulan) of the regions whose OPDs the caller belongs to."""

    serializer_class = serializers.AspirationSerializer
    filterset_class = filters.AspirationFilter
    ordering_fields = ["received_on", "reference", "year"]
    ordering = ["-received_on", "reference"]

    def get_queryset(self) -> QuerySet[Aspiration]:
        opds = Opd.objects.visible_to(self.request.user)
        return Aspiration.objects.filter(region__in=opds.values("region"))
