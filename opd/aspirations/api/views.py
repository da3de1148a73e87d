"""Community aspirations: read-only; who proposed one is shown only to a signed-in reviewer or
the staff of its place (``serializers.sees_proposer``), never to a token."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from rest_framework import viewsets

from magelang.api.etags import ETagRetrieveMixin
from opd.agencies import roles
from opd.aspirations.api import filters, serializers
from opd.models import (
    Aspiration,
    Opd,
)


class AspirationViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Aspiration]):
    """Community aspirations (usulan) of the regions whose OPDs the caller belongs to, and of
    the kelurahan the caller serves as area staff. The proposer's name and contact are null
    unless the caller, signed in (not by token), is a Bappeda reviewer or staff of the place."""

    serializer_class = serializers.AspirationSerializer
    filterset_class = filters.AspirationFilter
    ordering_fields = ["received_on", "reference", "year"]
    ordering = ["-received_on", "reference"]

    def get_queryset(self) -> QuerySet[Aspiration]:
        user = self.request.user
        opds = Opd.objects.visible_to(user)
        return Aspiration.objects.filter(
            Q(region__in=opds.values("region")) | Q(kelurahan__in=roles.area_kelurahan_ids(user))
        )
