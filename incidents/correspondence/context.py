"""The template context: a whitelisted dict of strings, numbers, booleans and plain dicts.

Templates (including admin-edited ones) never see DraftFacts, Mailbox or model objects, only
what is listed in TEMPLATE_VARIABLES, already formatted for the draft's language. Drafts to
outside organisations get no variable that names anyone else (see INTERNAL_VARIABLES).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

from incidents.core.money import amount_text
from incidents.correspondence.chinese_names import chinese_title_name
from incidents.correspondence.choosing import needs_legal_approval
from incidents.correspondence.dates import CHINESE, format_date, format_datetime
from incidents.correspondence.facts import DraftFacts, DraftSpec, Mailbox
from incidents.vocabulary import UNKNOWN_KIND, DraftKind, FactorCode, OrganisationKind, Problem, RecipientStatus

TEMPLATE_VARIABLES: dict[str, str] = {
    "kind": "The draft kind: correction, deletion_request, offer_withdrawal, apology, internal_summary or call_script.",
    "language": 'The draft language: "en", "zh-hans" (Simplified Chinese) or "zh-hant" (Traditional Chinese).',
    "tone": 'The tone chosen by the sender: "polite" or "formal".',
    "original_subject": "Subject of the mis-sent email, on one line.",
    "sent_date": 'Date the mis-sent email was sent, e.g. "27 November 2026" or "2026年11月27日".',
    "sent_at": 'Date and time it was sent, with the zone, e.g. "27 November 2026, 14:05 UTC" or '
    '"2026年11月27日 星期五 22:05（北京时间）".',
    "sender_name": "Name of the employee who sent it (may be empty).",
    "sender_address": "Mailbox of the employee who sent it.",
    "company_name": "Our company's name (may be empty).",
    "organisation": "The organisation this draft is for (our company for the internal note).",
    "recipients": "People this draft is addressed to: list of {name, address, display, organisation}.",
    "greeting_name": 'Name(s) for the greeting in the draft\'s language: the full name in English ("Wang Wei"); '
    'in Chinese surname and title when the directory knows the title ("王经理"), else the full name; empty when '
    "unknown or more than three.",
    "greeting_titled": 'True when greeting_name is surname and title ("王经理"), so "尊敬的" fits before it.',
    "recipient_is_client": "True when everyone this draft is addressed to is at a client in the directory.",
    "call_list": "Whom to ask for on the phone: list of {name, title, phone, email}; name, title and phone "
    "are empty when the directory does not know them.",
    "attachments": "File names attached to the mis-sent email (list of strings).",
    "problems": "What was wrong (list of codes: wrong_recipient, wrong_attachment, wrong_price, "
    "wrong_content, internal_info, personal_data, tone).",
    "quoted_price": 'The price as quoted, e.g. "USD 12.50"; empty when unknown.',
    "correct_price": 'The correct price, e.g. "USD 14.00"; empty when unknown.',
    "item": "What the quotation was for; empty when unknown.",
    "firm_offer": "True when the quotation fixed a time for acceptance or said it was firm.",
    "recipient_status": "What the recipient did: unknown, unread, read, replied or accepted.",
    "needs_legal_approval": "True when legal must approve the draft before it is sent; for a call script, True "
    "when a withdrawal among its purposes needs legal's approval.",
    "legal_approved": "True when legal has approved this draft; for a call script, True when legal has approved "
    "the withdrawal to the same organisation. Until then a call script must not say the quotation is withdrawn.",
    "sent_in_error": "True when the people this draft is for got the email by mistake (a deletion request, or a "
    "withdrawal to an organisation the quotation was not meant for).",
    "purposes": "For call scripts: the emails that go to the same organisation (list of kinds).",
    # Internal only: the note to managers and legal.
    "severity": "Severity: low, medium, high or critical.",
    "factor_codes": "Codes of the factors found by the assessment (list of strings).",
    "factor_details": "One sentence per factor explaining it, in the note's language (list of strings).",
    "recall_advice": "Whether recalling the email can work and what to do instead, in the note's language.",
    "route_manager": "True when the incident goes to a manager.",
    "route_legal": "True when the incident goes to legal.",
    "regulatory_deadline": "When a personal-data breach must be notified by; empty when none.",
    "gap_percent": 'How far the quote was from the correct price, always positive, e.g. "12.5%"; empty when '
    "unknown or none.",
    "gap_direction": '"low" when the quote was below the correct price, "high" when above; empty when unknown.',
    "reporter_name": "Name of the person who reported the incident.",
    "incident_url": "Link to the incident in Missend Desk.",
    "actual_recipients": "Everyone who got the email: list of {name, address, display, organisation, kind}.",
    "intended_recipients": "Who should have got it: list of {name, address, display, organisation, kind}.",
    "unintended_recipients": "Who got it by mistake: list of {name, address, display, organisation, kind}.",
    "planned_drafts": "The other drafts prepared: list of {kind, organisation, language}.",
}
INTERNAL_VARIABLES = frozenset(
    {
        "severity",
        "factor_codes",
        "factor_details",
        "recall_advice",
        "route_manager",
        "route_legal",
        "regulatory_deadline",
        "gap_percent",
        "gap_direction",
        "reporter_name",
        "incident_url",
        "actual_recipients",
        "intended_recipients",
        "unintended_recipients",
        "planned_drafts",
    }
)
INTERNAL_KINDS = frozenset({DraftKind.INTERNAL_SUMMARY})

FIELD_LIMIT = 250  # user-typed strings are capped so no field can blow up a draft
LIST_LIMIT = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def variables_for(kind: str | None) -> frozenset[str]:
    """The variable names a template of this kind may use (all of them when kind is None)."""
    if kind is None or kind in INTERNAL_KINDS:
        return frozenset(TEMPLATE_VARIABLES)
    return frozenset(TEMPLATE_VARIABLES) - INTERNAL_VARIABLES


def one_line(text: object, limit: int = FIELD_LIMIT) -> str:
    """Control characters (CR, LF, tab, NUL...) become single spaces; the result is capped."""
    return " ".join(_CONTROL.sub(" ", str(text or "")).split())[:limit]


def format_amount(amount: Decimal) -> str:
    return amount_text(amount, grouping=True)


def format_money(amount: Decimal | None, currency: str) -> str:
    """ "USD 12,500.00"; the code stays Latin in Chinese too, as in Chinese trade mail."""
    if amount is None:
        return ""
    currency = one_line(currency, 10)
    currency = currency.upper() if currency.isalpha() and len(currency) == 3 else currency
    return f"{currency} {format_amount(Decimal(amount))}".strip()


def gap_direction(gap: Decimal | None) -> str:
    """The gap is (correct - quoted) / correct: above zero the quote was too low, below it too high."""
    if not gap:
        return ""
    return "low" if gap > 0 else "high"


def gap_percent(gap: Decimal | None) -> str:
    # Cut, not rounded, like the assessment's explanations: 9.99% never shows as 10.0%. The sign
    # is gap_direction's business, so a quote 20% too high reads "20.0% too high", not "-20.0%".
    if not gap:
        return ""
    return format((abs(Decimal(gap)) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN), "f") + "%"


def withdrawal_key(spec: DraftSpec) -> str:
    """The key of the withdrawal a draft stands for: its own, or for a call script the one to its organisation."""
    if spec.kind == DraftKind.CALL_SCRIPT:
        return f"{DraftKind.OFFER_WITHDRAWAL}:{spec.key.partition(':')[2]}"
    return spec.key


def approval_needed(spec: DraftSpec, facts: DraftFacts) -> bool:
    """For an email, the gate itself; a call script is not sent, but what it may say depends on that gate."""
    if spec.kind == DraftKind.CALL_SCRIPT:
        return DraftKind.OFFER_WITHDRAWAL in spec.purposes and needs_legal_approval(facts)
    return bool(spec.needs_legal_approval)


def legal_approved(spec: DraftSpec, facts: DraftFacts) -> bool:
    approved = facts.approved_keys
    return spec.key in approved or (spec.kind == DraftKind.CALL_SCRIPT and withdrawal_key(spec) in approved)


def sent_in_error(spec: DraftSpec, facts: DraftFacts) -> bool:
    unintended = {c.key for c in facts.unintended}
    return bool(spec.to) and all(c.key in unintended for c in spec.to)


def person(contact: Mailbox, *, with_kind: bool = False) -> dict[str, str]:
    entry = {
        "name": one_line(contact.name),
        "address": one_line(contact.address),
        "display": one_line(contact.display),
        "organisation": one_line(contact.organisation or contact.domain),
    }
    if with_kind:
        entry["kind"] = one_line(contact.organisation_kind).lower() or UNKNOWN_KIND
    return entry


def greeting_name(contacts: tuple[Mailbox, ...], language: str) -> str:
    """Up to three known names joined naturally; "" so the template can greet generically."""
    return greeting(contacts, language)[0]


def greeting(contacts: tuple[Mailbox, ...], language: str) -> tuple[str, bool]:
    """The names to greet and whether every one is surname and title (王经理), so "尊敬的" fits.

    Without a known gender a Chinese greeting never adds 先生/女士, and an English one uses the
    full name ("Dear Wang Wei,"), never Mr or Ms.
    """
    addressees = list(dict.fromkeys(addressee(c, language) for c in contacts))
    if not addressees or len(addressees) > 3 or not all(name for name, _ in addressees):
        return "", False
    names = [name for name, _ in addressees]
    titled = all(titled for _, titled in addressees)
    if language in CHINESE:
        return "、".join(names), titled
    return (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]), titled


def addressee(contact: Mailbox, language: str) -> tuple[str, bool]:
    """How the draft names one reader: the directory's person, else the name given in the report."""
    person = contact.person
    name = one_line(person.name if person and person.name.strip() else contact.name, 80)
    if person and language in CHINESE:
        titled = chinese_title_name(name, one_line(person.title, 100))
        if titled:
            return titled, True
    return name, False


def _people_to_call(contacts: tuple[Mailbox, ...]) -> list[dict[str, str]]:
    people: dict[tuple[str, str], dict[str, str]] = {}
    for contact in contacts[:LIST_LIMIT]:
        person = contact.person
        entry = {
            "name": one_line(person.name if person else contact.name, 80),
            "title": one_line(person.title, 100) if person else "",
            "phone": one_line(person.phone, 50) if person else "",
            "email": one_line((person.email if person else "") or contact.address),
        }
        people.setdefault((entry["name"] or entry["email"], entry["phone"]), entry)
    return list(people.values())


def _safe_url(url: str) -> str:
    # The HTML note links to it: only web links and site paths, never javascript: and the like.
    url = one_line(url, 2000)
    return url if re.match(r"^(https?://|/(?!/))", url, re.IGNORECASE) else ""


def _problems(facts: DraftFacts) -> list[str]:
    problems = {one_line(p, 40).lower() for p in facts.problems}
    # The assessment may find internal notes in the body the reporter did not tick.
    if FactorCode.INTERNAL_INFO_EXTERNAL in facts.factor_codes:
        problems.add(Problem.INTERNAL_INFO.value)
    return sorted(problems)


def _people(contacts: tuple[Mailbox, ...]) -> list[dict[str, str]]:
    return [person(c, with_kind=True) for c in contacts[:LIST_LIMIT]]


def build_context(spec: DraftSpec, facts: DraftFacts) -> dict[str, object]:
    """The variables for one draft: the external set, plus the internal set for the internal note."""
    language = str(spec.language)  # members of the vocabulary as plain strings: templates see nothing else
    greeted, titled = greeting(spec.to, language)
    context: dict[str, object] = {
        "kind": str(spec.kind),
        "language": language,
        "tone": str(spec.tone),
        "original_subject": one_line(facts.subject),
        "sent_date": format_date(facts.sent_at, language),
        "sent_at": format_datetime(facts.sent_at, language),
        "sender_name": one_line(facts.sender.name) or one_line(facts.reporter_name),
        "sender_address": one_line(facts.sender.address),
        "company_name": one_line(facts.company_name),
        "organisation": one_line(spec.organisation),
        "recipients": [person(c) for c in spec.to[:LIST_LIMIT]],
        "greeting_name": greeted,
        "greeting_titled": titled,
        "recipient_is_client": bool(spec.to)
        and all(c.organisation_kind.strip().lower() == OrganisationKind.CLIENT for c in spec.to),
        "call_list": _people_to_call(spec.to),
        "attachments": [one_line(name) for name in facts.attachments[:LIST_LIMIT]],
        "problems": _problems(facts),
        "quoted_price": format_money(facts.quoted_price, facts.currency),
        "correct_price": format_money(facts.correct_price, facts.currency),
        "item": one_line(facts.item),
        "firm_offer": bool(facts.firm_offer),
        "recipient_status": one_line(facts.recipient_status, 20).lower() or RecipientStatus.UNKNOWN.value,
        "needs_legal_approval": approval_needed(spec, facts),
        "legal_approved": legal_approved(spec, facts),
        "sent_in_error": sent_in_error(spec, facts),
        "purposes": [str(purpose) for purpose in spec.purposes],
    }
    if spec.kind in INTERNAL_KINDS:
        context.update(_internal_context(facts, language))
    return context


def _internal_context(facts: DraftFacts, language: str) -> dict[str, object]:
    from incidents.correspondence.choosing import choose_drafts

    unintended = {c.key for c in facts.unintended}
    planned = [
        {"kind": str(s.kind), "organisation": s.organisation, "language": str(s.language)}
        for s in choose_drafts(facts)
        if s.kind not in INTERNAL_KINDS
    ]
    deadline = facts.regulatory_deadline
    explained = facts.explained_in(language)
    return {
        "severity": one_line(facts.severity, 20).lower(),
        "factor_codes": sorted(one_line(code, 40) for code in facts.factor_codes),
        "factor_details": [one_line(d, 1000) for d in explained.factor_details[:LIST_LIMIT]],
        "recall_advice": one_line(explained.recall_advice, 2000),
        "route_manager": bool(facts.route_manager),
        "route_legal": bool(facts.route_legal),
        "regulatory_deadline": format_datetime(deadline, language) if deadline else "",
        "gap_percent": gap_percent(facts.gap),
        "gap_direction": gap_direction(facts.gap),
        "reporter_name": one_line(facts.reporter_name),
        "incident_url": _safe_url(facts.incident_url),
        "actual_recipients": _people(facts.actual),
        "intended_recipients": _people(facts.intended or tuple(c for c in facts.actual if c.key not in unintended)),
        "unintended_recipients": _people(facts.unintended),
        "planned_drafts": planned,
    }
