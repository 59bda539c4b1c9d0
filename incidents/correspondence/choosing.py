"""Which drafts fit an incident, to whom and in which language: rules over DraftFacts only.

Every external draft goes to exactly one organisation, so no client ever sees another
client's name or address; the internal note is the only draft that lists everybody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from incidents.correspondence.facts import DraftFacts, DraftSpec, Mailbox
from incidents.vocabulary import (
    ANSWERED_STATUSES,
    DRAFT_ORDER,
    INTERNAL_NOTE_LANGUAGES,
    DraftKind,
    DraftLanguage,
    FactorCode,
    Severity,
    Tone,
)

# The domain of a country-code TLD the app writes Chinese to, and the big consumer
# services whose users are almost all Chinese speakers (a qq.com buyer reads Chinese).
CHINESE_SUFFIXES = (".cn", ".xn--fiqs8s", ".xn--fiqz9s", ".中国", ".中國")
CHINESE_MAIL_DOMAINS = frozenset(
    {"qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sohu.com", "aliyun.com", "139.com"}
)
# Taiwan, Hong Kong and Macao write Traditional Chinese; HiNet and Netvigator are their big ISP mailboxes.
TRADITIONAL_SUFFIXES = (".tw", ".hk", ".mo", ".xn--kpry57d", ".xn--kprw13d", ".xn--j6w193g", ".台灣", ".台湾", ".香港")
TRADITIONAL_MAIL_DOMAINS = frozenset({"hinet.net", "netvigator.com"})
CORRECTION_CODES = frozenset({FactorCode.CONTENT_ERROR, FactorCode.INTERNAL_INFO_EXTERNAL})
LEGAL_APPROVAL_CODES = frozenset({FactorCode.FIRM_OFFER, FactorCode.LOW_QUOTE_ANSWERED})
CALL_SEVERITIES = frozenset({Severity.HIGH, Severity.CRITICAL})
# The order drafts are shown in: a call first when one is due, the internal note last.
KIND_ORDER = {kind: position for position, kind in enumerate(DRAFT_ORDER)}


def normalise_language(code: str | None) -> str | None:
    """A supported language for a preference such as "zh-CN", "zh_TW" or "en_GB"; None if unsupported."""
    code = (code or "").strip().lower().replace("_", "-")
    if not code:
        return None
    if code in (DraftLanguage.ZH_HANT, "zh-tw", "zh-hk", "zh-mo") or code.startswith(DraftLanguage.ZH_HANT):
        return DraftLanguage.ZH_HANT
    if code in ("zh", DraftLanguage.ZH_HANS, "zh-cn", "zh-sg") or code.startswith(DraftLanguage.ZH_HANS):
        return DraftLanguage.ZH_HANS
    if code == DraftLanguage.EN or code.startswith("en-"):
        return DraftLanguage.EN
    return None


def _in(domain: str, suffixes: tuple[str, ...], services: frozenset[str]) -> bool:
    return domain.endswith(suffixes) or domain in services or any(domain.endswith("." + s) for s in services)


def domain_language(domain: str) -> str:
    """zh-hant for Taiwan, Hong Kong and Macao, zh-hans for mainland China and its mail services, else en."""
    if _in(domain, TRADITIONAL_SUFFIXES, TRADITIONAL_MAIL_DOMAINS):
        return DraftLanguage.ZH_HANT
    if _in(domain, CHINESE_SUFFIXES, CHINESE_MAIL_DOMAINS):
        return DraftLanguage.ZH_HANS
    return DraftLanguage.EN


def language_for(contact: Mailbox) -> str:
    """The reader's own preference, else their organisation's, else the domain's language."""
    return (
        normalise_language(contact.person_language)
        or normalise_language(contact.language)
        or domain_language(contact.domain)
    )


def internal_language(language: str) -> str:
    """The internal note's language for a preference: our staff read English or Simplified Chinese."""
    if language in INTERNAL_NOTE_LANGUAGES:
        return language
    return DraftLanguage.ZH_HANS if language.startswith("zh") else DraftLanguage.EN


@dataclass(frozen=True)
class OrganisationGroup:
    """The contacts of one organisation: named ones by name, unknown ones by domain."""

    name: str
    domain: str  # the smallest domain among its contacts, for a stable key
    contacts: tuple[Mailbox, ...]

    @property
    def language(self) -> str:
        """A person's own preference first, then the organisation's, then the first mailbox's domain."""
        for preference in ("person_language", "language"):
            for contact in self.contacts:
                preferred = normalise_language(getattr(contact, preference))
                if preferred:
                    return preferred
        return language_for(self.contacts[0])


def _group_id(contact: Mailbox) -> str:
    return contact.organisation.strip().casefold() or contact.domain


def group_by_organisation(contacts: Iterable[Mailbox]) -> list[OrganisationGroup]:
    """One group per organisation, contacts de-duplicated by address, in first-seen order."""
    grouped: dict[str, dict[str, Mailbox]] = {}
    for contact in contacts:
        grouped.setdefault(_group_id(contact), {}).setdefault(contact.key, contact)
    groups = []
    for members in grouped.values():
        people = tuple(members.values())
        name = next((c.organisation.strip() for c in people if c.organisation.strip()), "") or people[0].domain
        groups.append(OrganisationGroup(name=name, domain=min(c.domain for c in people), contacts=people))
    return groups


def _unique(contacts: Iterable[Mailbox], *, without: Iterable[Mailbox] = ()) -> tuple[Mailbox, ...]:
    skip = {c.key for c in without}
    seen: dict[str, Mailbox] = {}
    for contact in contacts:
        if contact.key not in skip:
            seen.setdefault(contact.key, contact)
    return tuple(seen.values())


def needs_legal_approval(facts: DraftFacts) -> bool:
    """A firm offer or an answered low quote makes a withdrawal a legal act: legal signs it off."""
    return bool(
        facts.factor_codes & LEGAL_APPROVAL_CODES
        or facts.firm_offer
        or facts.recipient_status.strip().lower() in ANSWERED_STATUSES
    )


def _check_choice(tone: str, language: str | None) -> None:
    if tone not in Tone:
        raise ValueError(f"Unknown tone {tone!r}; expected one of {', '.join(Tone)}.")
    if language is not None and language not in DraftLanguage:
        raise ValueError(f"Unknown language {language!r}; expected one of {', '.join(DraftLanguage)}.")


def choose_drafts(facts: DraftFacts, *, tone: str = Tone.POLITE, language: str | None = None) -> list[DraftSpec]:
    """The drafts that fit the incident's factors, one per organisation, most urgent first.

    language forces every draft into one language; without it each organisation gets its own.
    """
    _check_choice(tone, language)
    codes = facts.factor_codes
    # "Received and meant to": the people whose copy needs fixing rather than deleting.
    received = _unique(facts.actual, without=facts.unintended)
    external_received = tuple(c for c in received if c.is_external)
    colleagues = tuple(c for c in received if c.is_internal and c.key != facts.sender.key)

    # A low quote's withdrawal already carries the corrected price to the offeree, so it
    # replaces the correction there: one clear message, not two that could cross.
    offerees = external_received if FactorCode.LOW_QUOTE in codes else ()
    correction_targets = external_received if codes & CORRECTION_CODES and not offerees else ()
    deletion_targets = (
        tuple(c for c in _unique(facts.unintended) if c.is_external) if FactorCode.UNINTENDED_EXTERNAL in codes else ()
    )
    # A harsh email is apologised for to those who were meant to read it (the others are asked
    # to delete it); colleagues are the addressees only when nobody outside got it.
    apology_targets = (external_received or colleagues) if FactorCode.HARSH_TONE in codes else ()
    apology_cc = colleagues if external_received else ()
    legal = needs_legal_approval(facts)
    # A firm or answered low quote that reached another organisation is an offer that
    # organisation could accept as well: it is withdrawn there too, besides being deleted.
    intended_organisations = {_group_id(c) for c in facts.intended}
    wrong_offerees = (
        tuple(c for c in _unique(facts.unintended) if c.is_external and _group_id(c) not in intended_organisations)
        if FactorCode.LOW_QUOTE in codes and legal
        else ()
    )

    specs: list[DraftSpec] = []

    def add(kind: str, group: OrganisationGroup, *, cc=(), approval=False, purposes=()) -> None:
        specs.append(
            DraftSpec(
                kind=kind,
                key=f"{kind}:{group.domain}",
                language=language or group.language,
                tone=tone,
                to=group.contacts,
                cc=tuple(cc),
                organisation=group.name,
                needs_legal_approval=approval,
                purposes=tuple(purposes),
            )
        )

    purposes_by_org: dict[str, list[str]] = {}
    for kind, targets, cc, approval in (
        (DraftKind.OFFER_WITHDRAWAL, offerees, colleagues, legal),
        (DraftKind.OFFER_WITHDRAWAL, wrong_offerees, (), legal),
        (DraftKind.DELETION_REQUEST, deletion_targets, (), False),
        (DraftKind.CORRECTION, correction_targets, colleagues, False),
        (DraftKind.APOLOGY, apology_targets, apology_cc, False),
    ):
        for group in group_by_organisation(targets):
            add(kind, group, cc=cc, approval=approval)
            purposes_by_org.setdefault(_group_id(group.contacts[0]), []).append(kind)

    if facts.severity.strip().lower() in CALL_SEVERITIES:
        # A correction is worth a call only when the content itself was sensitive; the
        # unintended organisations and the offeree always are.
        call_targets = offerees + wrong_offerees + deletion_targets
        if FactorCode.INTERNAL_INFO_EXTERNAL in codes:
            call_targets += correction_targets
        for group in group_by_organisation(call_targets):
            purposes = tuple(purposes_by_org.get(_group_id(group.contacts[0]), ()))
            # A call is not an email: nothing gates it. What it may say about a withdrawal
            # still waiting for legal is up to the script (needs_legal_approval, legal_approved).
            add(DraftKind.CALL_SCRIPT, group, purposes=purposes)

    if facts.route_manager or facts.route_legal:
        specs.append(_internal_summary(facts, tone=tone, language=language))

    specs.sort(key=lambda spec: (KIND_ORDER[spec.kind], spec.key))
    return _deduplicate_keys(specs)


def _internal_summary(facts: DraftFacts, *, tone: str, language: str | None) -> DraftSpec:
    readers = _unique(facts.internal_recipients)
    # Forcing Traditional Chinese is for clients; our own people get Simplified Chinese then.
    return DraftSpec(
        kind=DraftKind.INTERNAL_SUMMARY,
        key=DraftKind.INTERNAL_SUMMARY.value,
        language=internal_language(language or language_for(readers[0] if readers else facts.sender)),
        tone=tone,
        to=readers,
        organisation=facts.company_name,
    )


def _deduplicate_keys(specs: list[DraftSpec]) -> list[DraftSpec]:
    """Two organisations sharing a smallest domain (bad directory data) still get distinct keys."""
    seen: dict[str, int] = {}
    result = []
    for spec in specs:
        count = seen.get(spec.key, 0) + 1
        seen[spec.key] = count
        result.append(spec if count == 1 else replace(spec, key=f"{spec.key}:{count}"))
    return result


__all__ = [
    "choose_drafts",
    "domain_language",
    "group_by_organisation",
    "internal_language",
    "language_for",
    "needs_legal_approval",
    "normalise_language",
]
