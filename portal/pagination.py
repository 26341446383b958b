"""Pagination of REST lists: ``?page=N&page_size=M`` (at most 200)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
