from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from . import drafting, selectors, services
from .views.drafts import draft_choice
from .escalation import flow
from .models.escalation import Route
from .serializers import IncidentInSerializer, IncidentOutSerializer


DRAFT_LANGUAGE = OpenApiParameter("language", str, enum=["en", "zh-hans"], description="Force one language.")
DRAFT_TONE = OpenApiParameter("tone", str, enum=["polite", "formal"], description="Default: polite.")


class ContactSerializer(serializers.Serializer):
    address = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)


class DraftOutSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["correction", "deletion_request", "offer_withdrawal", "internal_summary", "call_script"]
    )
    language = serializers.ChoiceField(choices=["en", "zh-hans"])
    tone = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    to = ContactSerializer(many=True)
    cc = ContactSerializer(many=True)
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField(allow_null=True)
    needs_legal_approval = serializers.BooleanField()
    approval = serializers.CharField()
    edited = serializers.BooleanField()
    sent_at = serializers.DateTimeField(allow_null=True)
    eml_url = serializers.URLField(allow_null=True)


def draft_payload(request, incident, item, language, tone) -> dict:
    draft = item.draft
    eml_url = None
    if draft.kind != "call_script":
        path = reverse("api-incident-draft-eml", args=[incident.pk, draft.key])
        query = "&".join(f"{k}={v}" for k, v in (("language", language), ("tone", tone)) if v)
        eml_url = request.build_absolute_uri(path + (f"?{query}" if query else ""))
    contacts = lambda people: [{"address": c.address, "name": c.name} for c in people]  # noqa: E731
    return {
        "key": draft.key, "kind": draft.kind, "language": draft.language, "tone": draft.tone,
        "organisation": draft.organisation, "to": contacts(draft.to), "cc": contacts(draft.cc),
        "subject": draft.subject, "text": draft.text, "html": draft.html,
        "needs_legal_approval": draft.needs_legal_approval, "approval": item.approval, "edited": item.edited,
        "sent_at": item.record.sent_at if item.record else None, "eml_url": eml_url,
    }


class AcknowledgeSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices, required=False, help_text="Only this route; default: all yours.")


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.ListField(child=serializers.CharField(), help_text="Routes acknowledged by this call.")
    incident = IncidentOutSerializer()


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents the caller may see; POST files a new report and answers with its assessment."""

    serializer_class = IncidentOutSerializer

    def get_queryset(self):
        return selectors.incident_list(self.request.user).prefetch_related("recipients")

    @extend_schema(request=IncidentInSerializer, responses={201: IncidentOutSerializer})
    def create(self, request, *args, **kwargs):
        intake = IncidentInSerializer(data=request.data)
        intake.is_valid(raise_exception=True)
        incident = services.incident_report(reporter=request.user, report=intake.to_report(intake.validated_data))
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AcknowledgeSerializer, responses={200: AcknowledgedSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Stop further escalation levels for the routes you are responsible for."""
        incident = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        routes = selectors.responsible_routes(request.user, incident)
        wanted = body.validated_data.get("route")
        if wanted:
            if wanted not in routes:
                raise PermissionDenied(_("You are not among those this route was escalated to."))
            routes = {wanted}
        if not routes:
            raise PermissionDenied(_("Only the managers or legal reviewers it was escalated to can acknowledge it."))
        done = [e.route for r in sorted(routes) for e in flow.escalation_acknowledge(incident=incident, actor=request.user, route=r, via="api")]
        incident = self.get_queryset().get(pk=incident.pk)
        return Response({"acknowledged": done, "incident": self.get_serializer(incident).data})

    @extend_schema(parameters=[DRAFT_LANGUAGE, DRAFT_TONE], responses={200: DraftOutSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def drafts(self, request, pk=None):
        """The correspondence drafts that fit the incident, in each recipient's language unless one is forced."""
        incident = self.get_object()
        language, tone = draft_choice(request)
        items = drafting.incident_drafts(incident, language=language, tone=tone)
        data = [draft_payload(request, incident, item, language, tone) for item in items]
        return Response(DraftOutSerializer(data, many=True).data)

    @extend_schema(parameters=[DRAFT_LANGUAGE, DRAFT_TONE], responses={(200, "message/rfc822"): bytes})
    @action(detail=True, methods=["get"], url_path=r"drafts/(?P<key>[^/]+)/eml")
    def draft_eml(self, request, pk=None, key=None):
        """The draft as an .eml file that opens as a ready-to-send draft in Outlook and Thunderbird."""
        incident = self.get_object()
        language, tone = draft_choice(request)
        try:
            item = drafting.incident_draft(incident, key, language=language, tone=tone)
            payload = drafting.draft_eml(incident, item)
        except LookupError:
            raise NotFound(_("This incident has no such draft.")) from None
        except ValueError as error:
            raise ValidationError({"key": [str(error)]}) from None
        response = HttpResponse(payload, content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-{item.draft.kind}.eml"'
        return response
