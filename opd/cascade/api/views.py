"""``GET /api/v1/cascade/``: the cascade as one nested read, scoped as the API's other reads.

Anyone reads the approved Renstras and work plans; an OPD member (or their OPD's token) their
own at any status besides; Bappeda the region's all (``opd.cascade.scope.api_scope``). One
region's plan: ``?wilayah=`` names any, by default the caller's own (``shown_region``). Eleven
queries for an anonymous caller (twelve when an indicator reads the poverty record), the
caller's authentication and roles besides, whatever the number of Renstra programs and
activities. An ETag as the other reads, a 304 for an unchanged one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from magelang.api.etags import etag_for, not_modified
from magelang.api.schema import ApiSchema
from opd.agencies import roles
from opd.agencies.models import Opd
from opd.cascade import selectors
from opd.cascade.api.serializers import CascadeQuerySerializer, CascadeSerializer, cascade_data
from opd.cascade.scope import api_scope
from targets.models import Region

PARAMETERS = [
    OpenApiParameter(
        "year",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description=CascadeQuerySerializer().fields["year"].help_text,
        examples=[
            OpenApiExample("Year 2018", value=2018, description="The demo data's Renja year.")
        ],
    ),
    OpenApiParameter(
        "indicator",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description=CascadeQuerySerializer().fields["indicator"].help_text,
        examples=[OpenApiExample("Poverty", value="KEMISKINAN", description="The poverty rate.")],
    ),
    OpenApiParameter(
        "wilayah",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description=CascadeQuerySerializer().fields["wilayah"].help_text,
        examples=[OpenApiExample("Kota Magelang", value="33.71", description="The demo region.")],
    ),
]


def read_query(request: Request) -> dict[str, Any]:
    """The validated parameters; a parameter given twice or empty, or invalid, is a 400
    naming it."""
    errors = {
        name: [_("Give this parameter one non-empty value.")]
        for name in CascadeQuerySerializer().fields
        if len(values := request.query_params.getlist(name)) > 1 or values == [""]
    }
    if errors:
        raise exceptions.ValidationError(errors)
    query = CascadeQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def shown_region(request: Request, code: str | None) -> Region | int | None:
    """The region whose cascade the caller reads: ``?wilayah=`` names any region (the cascade
    is public: its approved part is anyone's; the scope decides the rest), a 400 for an unknown
    code; else the caller's own: a Bappeda user's region (no query of its own), an OPD
    member's (or OPD token's) OPDs' first region by code (one query), else the deployment's
    (None)."""
    if code is not None:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise exceptions.ValidationError(
                {"wilayah": [_("No region you may see has the code %(code)s.") % {"code": code}]}
            )
        return region
    user = request.user
    if user is None or not user.is_authenticated:
        return None
    scope = roles.bappeda_scope(user)
    if scope is not None:
        return scope.region_id
    opd_ids = roles.member_opd_ids(user)
    if opd_ids:
        first = Opd.objects.filter(pk__in=opd_ids).order_by("region__code", "pk")
        return first.values_list("region_id", flat=True).first()
    return None


class CascadeSchema(ApiSchema):
    """The router calls the read ``list``; it answers one object, not a page of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class CascadeViewSet(viewsets.ViewSet):
    """The performance cascade of one region's RPJMD plan (``?wilayah=``, default the
    caller's own region) for one Renja year:
    missions → goals → objectives → indicators (target, actual, achievement rate) → the
    Renstra programs serving each (the year's target and indicative budget, the budget spent
    against it) → the year's Renja activities carrying them out (target, realisation, rates);
    besides them, the activities claiming a contribution that no Renstra program serving the
    indicator carries. Approved Renstras and work plans for anyone; an OPD's own at any status
    for its members and tokens; all of the region for Bappeda."""

    public = True
    schema = CascadeSchema()

    @extend_schema(
        operation_id="cascade_retrieve", parameters=PARAMETERS, responses=CascadeSerializer
    )
    def list(self, request: Request) -> Response:
        query = read_query(request)
        try:
            cascade = selectors.cascade(
                scope=api_scope(request.user),
                year=query.get("year"),
                indicator_code=query.get("indicator"),
                strict=True,
                region=shown_region(request, query.get("wilayah")),
            )
        except selectors.CascadeQueryError as error:
            raise exceptions.ValidationError({error.parameter: [error.message]}) from error
        data = CascadeSerializer(cascade_data(cascade, only=query.get("indicator"))).data
        response = Response(data)
        response["ETag"] = etag_for(None, data)
        return response

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        return not_modified(request, super().finalize_response(request, response, *args, **kwargs))
