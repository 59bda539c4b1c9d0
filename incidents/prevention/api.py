"""POST /api/precheck/: the pre-send check for a mail add-in or gateway. Stores nothing unless keep=true."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.accounts.selectors import user_language
from incidents.prevention import services as prechecks
from incidents.prevention.serializers import PrecheckInSerializer, PrecheckOutSerializer
from incidents.vocabulary import WarningCode
from incidents.web.api import CredentialsFirst
from incidents.web.json_limits import BoundedJSONParser

CODES = {
    WarningCode.COMPETITOR_RECIPIENT: "a recipient is at a competitor (params: address, organisation)",
    WarningCode.OTHER_CLIENT_RECIPIENT: "a client's address, but the draft names another client (address, organisation, named)",
    WarningCode.INTERNAL_WORDS_OUTSIDE: "internal-only words going outside (words, attachments, recipients)",
    WarningCode.COST_FIGURES_OUTSIDE: "figures next to internal words, such as costs or margins, going outside "
    "(figures, words, recipients)",
    WarningCode.PRICE_BELOW_FLOOR: "a price under the floor set for its product or currency (figure, product, currency, floor)",
    WarningCode.ATTACHMENT_MISSING: "the text mentions an attachment and none is attached (words)",
    WarningCode.PERSONAL_DATA_OUTSIDE: "personal data going outside: ID, mobile or bank card numbers, or words such as "
    "payroll (found, found_total, recipients)",
}
assert tuple(CODES) == tuple(WarningCode)  # the schema lists every code, in the order warnings come

DESCRIPTION = (
    "The pre-send check of a draft against the directory, the word lists and the price floors, for a mail "
    'add-in or gateway: the same as the "Before you send" page. Nothing is stored unless keep is true.\n\n'
    "Warnings come in reading order (who it goes to, what it says, what it carries); `message` is in the "
    "caller's chosen language, else the Accept-Language header's. Codes are stable:\n\n"
    + "\n".join(f"- `{code}`: {text}" for code, text in CODES.items())
    + "\n\nLimits: 500 addresses a field (MISSEND_MAX_ADDRESSES_PER_FIELD), at least one recipient, a subject "
    "of 998 characters, a body of 1,000,000 characters, 200 attachment names of 255 characters."
)


class PrecheckView(CredentialsFirst, APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        operation_id="precheck",
        request=PrecheckInSerializer,
        description=DESCRIPTION,
        responses={
            200: PrecheckOutSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: {field: [message, ...]}."),
            401: OpenApiResponse(OpenApiTypes.OBJECT, description="Not authenticated."),
        },
        examples=[
            OpenApiExample(
                "A quote for one client going to another",
                request_only=True,
                value={
                    "to": ["li.wei@globex.com.cn"],
                    "cc": [],
                    "bcc": [],
                    "subject": "Quotation for Acme Trading",
                    "body": "Please find our quotation attached.",
                    "attachments": [],
                    "keep": False,
                },
            )
        ],
    )
    def post(self, request):
        intake = PrecheckInSerializer(data=request.data)
        intake.is_valid(raise_exception=True)
        draft = intake.draft(intake.validated_data)
        warnings = prechecks.draft_check(draft=draft)
        kept = None
        if intake.validated_data["keep"]:
            kept = prechecks.kept_check_create(owner=request.user, draft=draft, warnings=warnings).pk
        # Token callers are authenticated here, after the middleware that applies a user's language.
        with translation.override(user_language(request.user) or translation.get_language()):
            answer = [{"code": w.code, "message": w.sentence, "params": w.params} for w in warnings]
        return Response(PrecheckOutSerializer({"warnings": answer, "kept": kept}).data)
