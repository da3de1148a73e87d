"""``GET /api/v1/cascade/``: the cascade as one nested read, scoped as the API's other reads.

Anyone reads the approved Renstras and work plans; an OPD member (or their OPD's token) their
own at any status besides; Bappeda the region's all (``opd.cascade.scope.api_scope``). Eleven
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
from opd.cascade import selectors
from opd.cascade.api.serializers import CascadeQuerySerializer, CascadeSerializer, cascade_data
from opd.cascade.scope import api_scope

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


class CascadeSchema(ApiSchema):
    """The router calls the read ``list``; it answers one object, not a page of them."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class CascadeViewSet(viewsets.ViewSet):
    """The performance cascade of the default region's RPJMD plan for one Renja year:
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
