"""Pagination of REST lists: ``?page=N&page_size=M`` (at most 200); a malformed value is a 400."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """The asked page size, at most ``max_page_size``; ``null``, ``0``, ``-1`` or ``abc`` is a 400, not ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if raw.isascii() and raw.isdigit() and len(raw) > 9:
            return self.max_page_size  # a bigger page than we give is asked: the largest we give, as documented
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("page_size must be a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        well_formed = raw in (None, "", "last") or (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1)
        if not well_formed:
            raise exceptions.ValidationError({self.page_query_param: [_("page must be a whole number of at least 1.")]})
        return super().paginate_queryset(queryset, request, view)
