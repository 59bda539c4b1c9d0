"""A kept message as a download, for the page and the API alike: its bytes as kept, with their SHA-256."""

from __future__ import annotations

import base64
import logging

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from incidents.models import Evidence

log = logging.getLogger(__name__)


def evidence_response(evidence: Evidence) -> FileResponse:
    """The kept file as a download, with its SHA-256 so the receiver can check the bytes."""
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError:
        log.error(
            "evidence %s of incident %s: file %s is missing from storage",
            evidence.pk,
            evidence.incident_id,
            evidence.file.name,
        )
        raise Http404(_("The kept file is missing from storage; tell your administrator.")) from None
    response = FileResponse(
        stream, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # RFC 9530 digest of the whole file.
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(evidence.sha256)).decode()}:"
    return response
