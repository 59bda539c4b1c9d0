"""API pagination with a ceiling and strict parameters: ?limit=10**9 asks for a page, not the whole
table, and ?offset=abc is an error to fix, not something to guess about."""
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update({"minimum": 0, "maximum": 10**18 - 1})
        return parameters
