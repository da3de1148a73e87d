"""Public, read-only endpoints: regions with their kecamatan and kelurahan, and indicators."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets

from magelang.api.etags import ETagRetrieveMixin
from targets.api.filters import IndicatorFilter
from targets.api.serializers import IndicatorSerializer, RegionSerializer
from targets.models import Indicator, Kecamatan, Region


class RegionViewSet(ETagRetrieveMixin, viewsets.ReadOnlyModelViewSet[Region]):
    """Regions (kota), each with its kecamatan and their kelurahan: every region, the
    directory the other lists' ``?wilayah=`` codes come from (so not scoped by region)."""

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
    region_field = "plan__region"
    ordering_fields = ["code", "name", "baseline_year"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("plan__region").prefetch_related(
            "targets", "actuals", "plan__region__population_figures"
        )
