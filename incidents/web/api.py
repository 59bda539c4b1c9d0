"""What every API view shares: credentials before format, the documented error answers, and one mapping
from the services' refusals to HTTP (403 may see but may not do, 409 not in this state, 400 bad input).

400: field errors; 401: not logged in; 403: you may see it but not do that; 404: you may not see
it; 409: nobody may do that now (a withdrawal waiting for legal, a resolved incident).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from incidents.errors import StateConflict


class CredentialsFirst:
    """Without credentials the answer is 401 whatever else is wrong with the request.

    DRF negotiates the answer's format before it authenticates, so an anonymous ?format=xyz got a
    404 and an Accept it cannot serve a 406; an anonymous caller is now answered in the first format.
    """

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=force or not request.user.is_authenticated)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def errors(*codes: int) -> dict:
    """Documented error answers, so the schema lists every status an endpoint can give."""
    described = {
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: {field: [message, ...]}."),
        401: OpenApiResponse(DetailSerializer, description="Not authenticated."),
        403: OpenApiResponse(DetailSerializer, description="You may see this incident but not do this."),
        404: OpenApiResponse(DetailSerializer, description="No such incident or draft, or not visible to you."),
        409: OpenApiResponse(
            DetailSerializer, description="Refused in the current state (e.g. legal approval pending)."
        ),
    }
    return {code: described[code] for code in (401, 404, *codes)}


def exception_handler(exc, context):
    """The API's one mapping of refusals to answers, on top of DRF's own (Http404 -> 404, PermissionDenied ->
    403): nobody may do that now (StateConflict) -> 409 with the reason; a body over DATA_UPLOAD_MAX_MEMORY_SIZE
    -> a JSON 413 instead of Django's bare 400 page."""
    if isinstance(exc, StateConflict):
        exc = Conflict(exc.message)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {
                "detail": _("The request body is over %(limit)s bytes.")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
            },
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return drf_exception_handler(exc, context)


def act(service, **kwargs):
    """Call a service, answering its refusals as HTTP: 409 for the state, 403 for the person, 400 for the input
    a service refuses with ValueError (a missing note, an unknown channel)."""
    try:
        return service(**kwargs)
    except StateConflict as error:
        raise Conflict(error.message) from None
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    except ValueError as error:
        raise ValidationError({"non_field_errors": [str(error)]}) from None
