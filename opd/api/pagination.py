"""Page-numbered lists: 50 rows a page by default, at most 200 with ``page_size``."""

from rest_framework import pagination


class ApiPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
