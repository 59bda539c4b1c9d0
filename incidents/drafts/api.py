"""The drafts of an incident in the API: read them, keep your wording, legal's decision, mark sent, send, .eml."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from incidents import access
from incidents.drafts import selectors as drafting
from incidents.drafts.forms import draft_choice
from incidents.drafts.serializers import (
    DecisionSerializer,
    DraftEditSerializer,
    DraftOutSerializer,
    SendSerializer,
    SentSerializer,
    draft_payload,
)
from incidents.drafts.services import draft_decide, draft_edit, draft_mark_sent, draft_send
from incidents.errors import StateConflict
from incidents.vocabulary import DraftDecision, DraftLanguage, Tone
from incidents.web.api import Conflict, errors

DRAFT_LANGUAGE = OpenApiParameter(
    "language",
    str,
    enum=DraftLanguage.values,
    description="Force one language (the internal summary stays in en or zh-hans: zh-hant gives zh-hans).",
)


DRAFT_TONE = OpenApiParameter("tone", str, enum=Tone.values, description=f"Default: {Tone.POLITE}.")


DRAFT_KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description='e.g. "offer_withdrawal:acme.com"')


class DraftActions:
    """The correspondence drafts of an incident."""

    # Drafts.
    def _draft(self, request, incident, key):
        language, tone = draft_choice(request)
        try:
            return drafting.incident_draft(incident, key, language=language, tone=tone)
        except LookupError:
            raise NotFound(_("This incident has no such draft.")) from None

    def _draft_answer(self, request, incident, key) -> Response:
        language, tone = draft_choice(request)
        item = self._draft(request, incident, key)
        return Response(DraftOutSerializer(draft_payload(request, incident, item, language, tone)).data)

    @extend_schema(parameters=[DRAFT_LANGUAGE, DRAFT_TONE], responses={200: DraftOutSerializer(many=True), **errors()})
    @action(detail=True, methods=["get"], pagination_class=None)
    def drafts(self, request, pk=None):
        """The correspondence drafts that fit the incident, in each recipient's language unless one is forced."""
        incident = self.get_object()
        language, tone = draft_choice(request)
        items = drafting.incident_drafts(incident, language=language, tone=tone)
        return Response(
            DraftOutSerializer([draft_payload(request, incident, i, language, tone) for i in items], many=True).data
        )

    @extend_schema(
        methods=["GET"],
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        responses={200: DraftOutSerializer, **errors()},
    )
    @extend_schema(
        methods=["PATCH"],
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=DraftEditSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403)},
    )
    @action(detail=True, methods=["get", "patch"], url_path=r"drafts/(?P<key>[^/]+)")
    def draft(self, request, pk=None, key=None):
        """One draft; PATCH keeps your wording (an approval given for the old wording no longer holds)."""
        incident = self.get_object()
        if request.method == "PATCH":
            access.require_edit(request.user, incident, _("Only the reporter and their managers can edit drafts."))
            body = DraftEditSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            item = self._draft(request, incident, key)
            draft_edit(incident=incident, item=item, actor=request.user, **body.validated_data)
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=DecisionSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/decision")
    def draft_decision(self, request, pk=None, key=None):
        """Legal approve (exactly the text as shown) or reject (with a comment); this acknowledges the legal route."""
        incident = self.get_object()
        access.require_decide_drafts(request.user)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self._draft(request, incident, key)
        try:
            draft_decide(
                incident=incident,
                item=item,
                actor=request.user,
                approve=body.validated_data["decision"] == DraftDecision.APPROVE,
                comment=body.validated_data["comment"],
            )
        except ValueError as error:
            raise ValidationError({"comment": [str(error)]}) from None
        except StateConflict as error:
            raise Conflict(error.message) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=SentSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/sent")
    def draft_sent(self, request, pk=None, key=None):
        """Record that the draft went out (refused while legal's approval is missing)."""
        incident = self.get_object()
        access.require_edit(request.user, incident, _("Only the reporter and their managers can mark drafts sent."))
        body = SentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = self._draft(request, incident, key)
        try:
            draft_mark_sent(incident=incident, item=item, actor=request.user, via=body.validated_data["channel"])
        except ValueError as error:
            raise ValidationError({"channel": [str(error)]}) from None
        except StateConflict as error:
            raise Conflict(error.message) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        request=SendSerializer,
        responses={200: DraftOutSerializer, **errors(400, 403, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"drafts/(?P<key>[^/]+)/send")
    def draft_send(self, request, pk=None, key=None):
        """Send from Missend Desk, from your own address (where sending is set up)."""
        incident = self.get_object()
        access.require_edit(request.user, incident, _("Only the reporter and their managers can send drafts."))
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not body.validated_data["confirm"]:
            raise ValidationError({"confirm": [_("Set confirm to true to send it now.")]})
        item = self._draft(request, incident, key)
        try:
            draft_send(incident=incident, item=item, actor=request.user)
        except StateConflict as error:
            raise Conflict(error.message) from None
        except (OSError, ValueError) as error:
            raise Conflict(_("Not sent: %(error)s. Nothing was recorded.") % {"error": error}) from None
        return self._draft_answer(request, incident, key)

    @extend_schema(
        parameters=[DRAFT_KEY, DRAFT_LANGUAGE, DRAFT_TONE],
        responses={(200, "message/rfc822"): OpenApiTypes.BINARY, **errors(409)},
    )
    @action(detail=True, methods=["get"], url_path=r"drafts/(?P<key>[^/]+)/eml")
    def draft_eml(self, request, pk=None, key=None):
        """The draft as an .eml file that opens as a ready-to-send draft in Outlook and Thunderbird."""
        incident = self.get_object()
        item = self._draft(request, incident, key)
        try:
            payload = drafting.draft_eml(incident, item, user=request.user)
        except StateConflict as error:
            raise Conflict(error.message) from None
        response = HttpResponse(payload, content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-{item.draft.kind}.eml"'
        return response
