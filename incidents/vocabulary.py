"""The fixed words of the domain, as plain tuples: no Django, so the pure engines and the app share
one list. Django choices (with their translated labels) are built from these, and a test checks
that every list of choices matches its word list here.
"""

from __future__ import annotations

SEVERITIES = ("low", "medium", "high", "critical")
ROUTES = ("manager", "legal")
# In the order drafts are shown: a call first when one is due, the internal note last.
DRAFT_KINDS = ("call_script", "offer_withdrawal", "deletion_request", "correction", "apology", "internal_summary")
# Drafts to clients: English, Simplified Chinese (mainland), Traditional Chinese (Taiwan, Hong Kong, Macao).
DRAFT_LANGUAGES = ("en", "zh-hans", "zh-hant")
# The internal note is read by our own managers and legal, who read English or Simplified Chinese.
INTERNAL_NOTE_LANGUAGES = ("en", "zh-hans")
TONES = ("polite", "formal")
TEMPLATE_PARTS = ("subject", "text", "html")

__all__ = [
    "DRAFT_KINDS",
    "DRAFT_LANGUAGES",
    "INTERNAL_NOTE_LANGUAGES",
    "ROUTES",
    "SEVERITIES",
    "TEMPLATE_PARTS",
    "TONES",
]
