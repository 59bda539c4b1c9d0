"""API pagination with a ceiling and strict parameters: ?limit=10**9 asks for a page, not the whole
table, and ?offset=abc is an error to fix, not something to guess about.

The count stops at the lists' cap (incidents/web/paging.py), a search's at the end of the page asked
for: ``count`` is exact up to it, else the cap with ``count_is_capped: true``. ``next`` is there
whenever another row exists, whatever the count.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from incidents.web.paging import capped_count, search_cap


class IncidentPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200

    def _number(self, request, name: str, default: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationError({name: [_("A whole number of 0 or more.")]})
        return int(raw)

    def get_limit(self, request):
        limit = self._number(request, self.limit_query_param, self.default_limit)
        return max(1, min(limit, self.max_limit))

    def get_offset(self, request):
        return self._number(request, self.offset_query_param, 0)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        cap = search_cap(request.query_params, self.offset + self.limit)
        self.count, self.count_is_capped = capped_count(queryset, cap, in_order=cap is not None)
        rows = list(queryset[self.offset : self.offset + self.limit + 1]) if self.count else []
        self.has_more = len(rows) > self.limit
        if self.template is not None and (self.has_more or self.offset):
            self.display_page_controls = True
        return rows[: self.limit]

    def get_next_link(self):
        return self._link(self.offset + self.limit) if self.has_more else None

    def _link(self, offset: int) -> str:
        from rest_framework.utils.urls import replace_query_param

        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, offset)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_is_capped": self.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"]["count"]["description"] = (
            "Rows matching, counted up to a cap (MISSEND_LIST_COUNT_CAP, 1,000): past it, the cap."
        )
        properties = dict(answer["properties"])
        ordered = {
            "count": properties.pop("count"),
            "count_is_capped": {
                "type": "boolean",
                "example": False,
                "description": "true when more rows match than the count says (it stopped at the cap).",
            },
        }
        ordered.update(properties)
        answer["properties"] = ordered
        answer["required"] = ["count", "count_is_capped", "results"]
        return answer

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update({"minimum": 0, "maximum": 10**18 - 1})
        return parameters
