"""API pagination with a ceiling, so ?limit=10**9 asks for a page, not the whole table."""
from rest_framework.pagination import LimitOffsetPagination


class IncidentPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200
