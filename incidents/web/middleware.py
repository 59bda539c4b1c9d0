"""Show and read times in each signed-in user's own zone, and pages in their own language; the actor of audit
entries; and the pages' answer to a refusal by the state (409)."""

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from incidents.accounts.selectors import user_language, user_time_zone
from incidents.audit import services as audit
from incidents.errors import StateConflict
from incidents.platform.requests import client_address


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


def set_language_cookie(response, language: str) -> None:
    """The cookie Django's LocaleMiddleware and set_language view use, with the same settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the cookie and the browser (LocaleMiddleware's guess).

    Needs AuthenticationMiddleware before it. The response carries the chosen language in the
    language cookie too, so signing in switches to it and the sign-in page after logging out
    stays in it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = user_language(getattr(request, "user", None))
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        # The user may have signed in (or changed their choice) during this request.
        chosen = user_language(getattr(request, "user", None))
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            set_language_cookie(response, chosen)
        return response


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware: the signed-in user as the actor of every audit entry the request writes.

    The actor is read when an entry is written, not when the request arrives: the API authenticates
    its tokens in the view, and DRF then sets that user on this request. The address is the client's
    as the lockout and the throttles see it (behind MISSEND_PROXY_COUNT proxies), not an
    X-Forwarded-For any client can write, and no port a header claims. The request is also kept for
    the entries written without signals (incidents/audit/services.py).
    """

    def __call__(self, request):
        token = audit.current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            audit.current_request.reset(token)

    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return None

    @staticmethod
    def _get_actor(request):
        def signed_in():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        return SimpleLazyObject(signed_in)


class RefusalMiddleware:
    """The pages' one mapping of a refusal no view turned into a message: nobody may do that now
    (StateConflict) answers 409 with the reason, in the reader's language. May not see (Http404) and may not do
    (PermissionDenied) are Django's own 404 and 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, StateConflict):
            return render(request, "incidents/refused.html", {"message": exception.message}, status=409)
        return None
