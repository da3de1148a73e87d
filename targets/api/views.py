"""Public, read-only endpoints: regions with their kecamatan and kelurahan, and indicators."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from targets.models import Indicator, Kecamatan, Region

from .filters import IndicatorFilter
from .serializers import IndicatorSerializer, RegionSerializer


def etag_for(obj: Model, data: Any) -> str:
    """A record's ETag: its version where it has one, else a digest of what was sent."""
    version = getattr(obj, "version", None)
    if version is not None:
        return f'"{version}"'
    body = json.dumps(data, sort_keys=True, default=str).encode()
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


class ETagRetrieveMixin:
    """Detail answers carry an ETag."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()  # type: ignore[attr-defined]
        data = self.get_serializer(instance).data  # type: ignore[attr-defined]
        response = Response(data)
        response["ETag"] = etag_for(instance, data)
        return response


class RegionViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Region]):
    """Regions (kota), each with its kecamatan and their kelurahan."""

    public = True
    serializer_class = RegionSerializer
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Region]:
        return Region.objects.prefetch_related(
            Prefetch(
                "kecamatan_set",
                queryset=Kecamatan.objects.order_by("code").prefetch_related("kelurahan_set"),
            )
        )


class IndicatorViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Indicator]):
    """Indicators with their stated targets, target path, actuals and the region's population."""

    public = True
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["code", "name", "baseline_year"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("plan__region").prefetch_related(
            "targets", "actuals", "plan__region__population_figures"
        )
