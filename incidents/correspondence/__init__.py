"""Correspondence for an incident: which drafts fit, rendering them safely, and .eml/mailto output.

Pure: plain facts in, plain drafts out; no ORM, no request. The app maps its models to
DraftFacts and stores edits by DraftSpec.key and template overrides by (kind, language, part).
"""

from incidents.correspondence.choosing import (
    choose_drafts,
    group_by_organisation,
    language_for,
    needs_legal_approval,
    normalise_language,
)
from incidents.correspondence.context import TEMPLATE_VARIABLES, build_context, variables_for
from incidents.correspondence.eml import build_eml, check_address, mailto_url, message_id
from incidents.correspondence.facts import (
    Draft,
    DraftFacts,
    DraftSpec,
    Explanations,
    Mailbox,
    Person,
)
from incidents.correspondence.limits import MAX_OUTPUT_CHARS, MAX_RANGE, MAX_SOURCE_CHARS, TemplateProblem
from incidents.correspondence.rendering import (
    default_source,
    parts_of,
    render_draft,
    template_name,
    validate_template_source,
)
from incidents.correspondence.samples import sample_context, sample_facts

__all__ = [
    "MAX_OUTPUT_CHARS",
    "MAX_RANGE",
    "MAX_SOURCE_CHARS",
    "TEMPLATE_VARIABLES",
    "Draft",
    "DraftFacts",
    "DraftSpec",
    "Explanations",
    "Mailbox",
    "Person",
    "TemplateProblem",
    "build_context",
    "build_eml",
    "check_address",
    "choose_drafts",
    "default_source",
    "group_by_organisation",
    "language_for",
    "mailto_url",
    "message_id",
    "needs_legal_approval",
    "normalise_language",
    "parts_of",
    "render_draft",
    "sample_context",
    "sample_facts",
    "template_name",
    "validate_template_source",
    "variables_for",
]
