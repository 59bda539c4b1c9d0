"""Additions to the OpenAPI schema that hold for every operation alike (drf-spectacular postprocessing)."""

from __future__ import annotations

BODY_REFUSALS = {
    "413": 'The body is over the size limit (DATA_UPLOAD_MAX_MEMORY_SIZE): {"detail": message}.',
    "415": 'The body is not in a media type this operation takes (see its request body): {"detail": message}.',
}


def document_body_refusals(result, generator, request, public):
    """Every operation that takes a body may refuse it as too large (413) or of the wrong media type (415);
    DRF answers both before the view runs, so no view's own schema says so."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                responses = operation.setdefault("responses", {})
                for code, description in BODY_REFUSALS.items():
                    responses.setdefault(code, {"description": description})
    return result
