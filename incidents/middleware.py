"""Show and read times in each signed-in user's own zone."""
from django.utils import timezone

from .accounts import user_time_zone


class UserTimeZoneMiddleware:
    """Activates the user's zone for the request; needs AuthenticationMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(user_time_zone(getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            # Threads serve many users: the next request must not inherit this one's zone.
            timezone.deactivate()
