"""What an approval covers: a digest of the exact draft and the offer facts it was written from.

Legal approve a withdrawal as they read it, for the client, price and offer status they were
shown. If any of that differs later (an edit, a corrected price, another recipient, a new
recipient status, a template change), the digest differs and the approval no longer holds.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from incidents.correspondence.facts import Draft, DraftFacts


def _amount(value: Decimal | None) -> str:
    # 82, 82.00 and 82.0000 are the same price: compare the number, not how it was stored.
    return "" if value is None else format(Decimal(value).normalize(), "f")


def approval_digest(draft: Draft, facts: DraftFacts) -> str:
    """A stable digest of the draft's text and recipients and the incident's offer facts."""
    payload = {
        "kind": draft.kind,
        "key": draft.key,
        "language": draft.language,
        "subject": draft.subject,
        "text": draft.text,
        "html": draft.html or "",
        "to": sorted(c.key for c in draft.to),
        "cc": sorted(c.key for c in draft.cc),
        "quoted_price": _amount(facts.quoted_price),
        "correct_price": _amount(facts.correct_price),
        "currency": facts.currency.strip().upper(),
        "firm_offer": bool(facts.firm_offer),
        "recipient_status": facts.recipient_status.strip().lower(),
        "actual": sorted(c.key for c in facts.actual),
        "intended": sorted(c.key for c in facts.intended),
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


__all__ = ["approval_digest"]
