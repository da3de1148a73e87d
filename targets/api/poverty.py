"""``GET /api/v1/regions/{code}/poverty/``: the region's poverty record, public and read-only.

The record by year (only years with at least one figure), each measure of
``targets.poverty.PovertyMeasure`` a field holding the figure with its source and release date,
or null when no figure is recorded: a missing figure is never sent as 0. Two queries.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from magelang.api.etags import etag_for, not_modified
from targets.models import PovertyFigure, Region
from targets.poverty import PovertyMeasure


class PovertyFigureSerializer(serializers.Serializer[Any]):
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    source = serializers.CharField()
    released_on = serializers.DateField(
        allow_null=True, help_text="The day the source published the figure; null when unknown."
    )


def _measure(what: str) -> PovertyFigureSerializer:
    return PovertyFigureSerializer(allow_null=True, help_text=f"{what}; null when not recorded.")


class PovertyYearSerializer(serializers.Serializer[Any]):
    """One year of the record: a field per measure (the fields of ``PovertyMeasure``)."""

    year = serializers.IntegerField()
    p0 = _measure("Poverty rate (P0), % of the population")
    poor_persons = _measure("Poor persons")
    poverty_line = _measure("Poverty line, Rupiah per capita per month")
    p1 = _measure("Poverty depth index (P1)")
    p2 = _measure("Poverty severity index (P2)")
    extreme_rate = _measure("Extreme poverty rate, % of the population")
    extreme_persons = _measure("Extreme poor persons")


class PovertyRecordSerializer(serializers.Serializer[Any]):
    region = serializers.CharField(help_text="The region's Kemendagri code.")
    region_name = serializers.CharField()
    years = PovertyYearSerializer(many=True)


def record_data(region: Region) -> dict[str, Any]:
    """The region's record as the API sends it: one query."""
    years: dict[int, dict[str, Any]] = {}
    for row in PovertyFigure.objects.filter(region=region).order_by("year", "measure"):
        year = years.setdefault(
            row.year, {"year": row.year, **dict.fromkeys(PovertyMeasure.values)}
        )
        year[row.measure] = {
            "value": row.value,
            "source": row.source,
            "released_on": row.released_on,
        }
    return {"region": region.code, "region_name": region.name, "years": list(years.values())}


class RegionPovertyView(APIView):
    """The poverty record of the region with the Kemendagri ``code``, by year and measure."""

    public = True

    @extend_schema(
        operation_id="regions_poverty_retrieve",
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, description="The region's Kemendagri code."
            )
        ],
        responses=PovertyRecordSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        # A NUL byte cannot be in a code, and PostgreSQL refuses it in a query parameter.
        region = None if "\x00" in code else Region.objects.filter(code=code).first()
        if region is None:
            raise exceptions.NotFound()
        data = PovertyRecordSerializer(record_data(region)).data
        response = Response(data)
        response["ETag"] = etag_for(None, data)
        return response

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return not_modified(request, super().finalize_response(request, response, *args, **kwargs))
