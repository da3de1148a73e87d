"""Page-numbered lists: 50 rows a page by default, at most 200 with ``page_size``.

A ``page`` or ``page_size`` that is not a whole number in range is a 400 with a field
error, not silently replaced by the default; a page past the end is a 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination, serializers
from rest_framework.request import Request

MAX_PAGE = 10**6


def _whole_number(request: Request, name: str, maximum: int) -> int | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    value = values[-1]
    if (
        len(values) > 1
        or not (value.isascii() and value.isdigit())
        or not 1 <= int(value) <= maximum
    ):
        raise serializers.ValidationError(
            {name: [_("Give one whole number from 1 to %(max)d.") % {"max": maximum}]}
        )
    return int(value)


class ApiPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        return _whole_number(request, "page_size", self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        _whole_number(request, "page", MAX_PAGE)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        limits = {"page": MAX_PAGE, "page_size": self.max_page_size}
        for parameter in parameters:
            parameter["schema"] = {
                "type": "integer",
                "minimum": 1,
                "maximum": limits[parameter["name"]],
            }
        return parameters
