"""How API lists come in pages.

- Small lists (regions, indicators, OPDs, work plans, programs, aspirations, Renstra):
  :class:`ApiPagination`, numbered pages (``?page=``) with the ``count`` of rows on every page.
- Large lists (activities, realisations, contribution figures): :class:`ScalingPagination`,
  either numbered pages as before, whose ``count`` comes on the first page only (later pages
  answer ``count: null``, so walking them never counts the whole table again), or a keyset
  cursor (``?cursor=``, empty for the first page, then each page's ``next``): the rows by id
  after the last one seen, found through the primary key's index however deep the walk, with
  no count at all.

Both: 50 rows a page by default, at most 200 with ``page_size``. A ``page`` or ``page_size``
that is not a whole number in range is a 400 with a field error, not silently replaced by the
default; a page past the end, and a cursor this API did not give, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE = 10**6
MAX_ID = 2**63 - 1


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


def _integer_schema(name: str) -> dict[str, Any]:
    maximum = {"page": MAX_PAGE, "page_size": ApiPagination.max_page_size}[name]
    return {"type": "integer", "minimum": 1, "maximum": maximum}


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
        for parameter in parameters:
            parameter["schema"] = _integer_schema(parameter["name"])
        return parameters


class KeysetPagination(pagination.CursorPagination):
    """The rows in id order after the cursor's: a unique, unchanging order the primary key's
    index serves, so a page never repeats or skips a row and costs the same at any depth."""

    cursor_query_param = "cursor"
    ordering = ("pk",)
    page_size = ApiPagination.page_size
    max_page_size = ApiPagination.max_page_size
    invalid_cursor_message = _("This cursor is not one this list gave; start again with ?cursor=.")

    def get_page_size(self, request: Request) -> int:
        return _whole_number(request, "page_size", self.max_page_size) or self.page_size

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        return self.ordering

    def decode_cursor(self, request: Request) -> Any:
        cursor = super().decode_cursor(request)
        # A position is an id this API wrote; anything else would reach the query.
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not (position.isascii() and position.isdigit() and int(position) <= MAX_ID):
                raise NotFound(self.invalid_cursor_message)
        return cursor


class ScalingPagination(ApiPagination):
    """Numbered pages with the count on the first page only, or a keyset cursor
    (``?cursor=``); see the module's docstring."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.request = request
        self.keyset: KeysetPagination | None = None
        if KeysetPagination.cursor_query_param in request.query_params:
            return self._paginate_by_cursor(queryset, request, view)
        number = _whole_number(request, "page", MAX_PAGE) or 1
        size = self.get_page_size(request)
        first = (number - 1) * size
        rows = list(queryset[first : first + size + 1])
        if number > 1 and not rows:
            raise NotFound(_("Invalid page."))
        self.number, self.has_next, self.rows = number, len(rows) > size, rows[:size]
        self.count: int | None = None
        if number == 1:
            self.count = queryset.count()
        return self.rows

    def _paginate_by_cursor(self, queryset: Any, request: Request, view: Any) -> Any:
        for name in ("page", "ordering"):
            if name in request.query_params:
                raise serializers.ValidationError(
                    {
                        name: [
                            _(
                                "A cursor walks the rows in id order: give ?cursor= without "
                                "?page= or ?ordering=, or numbered pages without ?cursor=."
                            )
                        ]
                    }
                )
        if len(request.query_params.getlist(KeysetPagination.cursor_query_param)) > 1:
            raise NotFound(KeysetPagination.invalid_cursor_message)
        self.keyset = KeysetPagination()
        return self.keyset.paginate_queryset(queryset, request, view)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)  # type: ignore[no-any-return]
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data: Any) -> Response:
        keyset = self.keyset
        return Response(
            {
                "count": None if keyset else self.count,
                "next": keyset.get_next_link() if keyset else self.get_next_link(),
                "previous": keyset.get_previous_link() if keyset else self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "description": "How many rows the list holds: on the first numbered page only; "
            "null on the later pages and with a cursor.",
            "example": 123,
        }
        return answer

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": KeysetPagination.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Walk the list by keyset instead of page numbers: empty for the "
                "first page, then the cursor in each page's `next`. The rows come in id order "
                "(not with `page` or `ordering`, a 400), with no count; a cursor this list did "
                "not give is a 404.",
                "schema": {"type": "string", "maxLength": 200},
            }
        )
        return parameters
