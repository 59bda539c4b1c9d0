"""Notes for the sender's eyes only, kept apart from the draft so none can reach a client.

Plain strings per draft language (like the .eml's shortened-text note): the draft's language
is the sender's choice for that client, and templates edited by an admin cannot drop them.
"""

from __future__ import annotations

from incidents.correspondence.context import approval_needed, legal_approved
from incidents.correspondence.facts import DraftFacts, DraftSpec
from incidents.vocabulary import ANSWERED_STATUSES, DraftKind, DraftLanguage, RecipientStatus

TEXTS = {
    DraftLanguage.EN: {
        "firm": "the quotation was a firm offer",
        RecipientStatus.REPLIED: "the recipient has already replied to it",
        RecipientStatus.ACCEPTED: "the recipient has already accepted it",
        "because": ", because ",
        "and": " and ",
        "withdrawal": "Legal must approve this withdrawal before it is sent{because}: withdrawing an offer "
        "can have legal effect. Do not send it until they have.",
        "call": "Legal has not approved the withdrawal yet. On the call, say only that the quotation contains an "
        "error and that you will confirm in writing; do not say it is withdrawn.",
        "call_approved": "Legal has approved the withdrawal: you may say on the call that the quotation is withdrawn.",
    },
    DraftLanguage.ZH_HANS: {
        "firm": "该报价为实盘（确定的报价）",
        RecipientStatus.REPLIED: "对方已回复该报价",
        RecipientStatus.ACCEPTED: "对方已接受该报价",
        "because": "，原因：",
        "and": "；",
        "withdrawal": "此撤回函须经法务批准后方可发送{because}。撤回报价可能产生法律后果，批准前请勿发送。",
        "call": "法务尚未批准撤回报价。通话时只说明报价有误、会尽快书面确认，不要说报价已撤回。",
        "call_approved": "法务已批准撤回报价，通话时可以告知对方该报价已撤回。",
    },
    DraftLanguage.ZH_HANT: {
        "firm": "該報價為實盤（確定報價）",
        RecipientStatus.REPLIED: "對方已回覆該報價",
        RecipientStatus.ACCEPTED: "對方已接受該報價",
        "because": "，原因：",
        "and": "；",
        "withdrawal": "此撤回函須經法務核准後方可寄出{because}。撤回報價可能產生法律效果，核准前請勿寄出。",
        "call": "法務尚未核准撤回報價。通話時只說明報價有誤、會盡快以書面確認，不要說報價已撤回。",
        "call_approved": "法務已核准撤回報價，通話時可以告知對方該報價已撤回。",
    },
}


def _reasons(facts: DraftFacts, texts: dict[str, str]) -> str:
    status = facts.recipient_status.strip().lower()
    reasons = [texts["firm"]] if facts.firm_offer else []
    if status in ANSWERED_STATUSES:
        reasons.append(texts[status])
    return texts["because"] + texts["and"].join(reasons) if reasons else ""


def notes_for(spec: DraftSpec, facts: DraftFacts) -> tuple[str, ...]:
    """What the sender must know before sending or calling, in the draft's language."""
    texts = TEXTS.get(spec.language, TEXTS[DraftLanguage.EN])
    if not approval_needed(spec, facts):
        return ()
    approved = legal_approved(spec, facts)
    if spec.kind == DraftKind.OFFER_WITHDRAWAL and not approved:
        return (texts["withdrawal"].format(because=_reasons(facts, texts)),)
    if spec.kind == DraftKind.CALL_SCRIPT:
        return (texts["call_approved"] if approved else texts["call"],)
    return ()


__all__ = ["notes_for"]
