"""The factor rules: small objects with a stable code, every one run on every incident.

Like django.contrib.auth.password_validation, each rule answers on its own and the engine
collects all findings in RULES order, so stored factor lists are stable and comparable.
Factor params hold only JSON-ready strings, lists of strings and lists of small dicts of strings:
the app keeps them in a JSONField and re-renders the explanation later, in the reader's language.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from functools import cached_property
from typing import Protocol

from incidents.assessment.directory import Directory, normalise_address
from incidents.assessment.personal_data import Finding, find_personal_data, findings_params
from incidents.assessment.signals import Finder, Found, internal_signals, pricing_signals, scannable_text
from incidents.assessment.types import Factor, IncidentFacts, Signals, Thresholds
from incidents.core.money import amount_text
from incidents.vocabulary import ANSWERED_STATUSES, FactorCode, MailSystem, Problem, RecipientStatus

CONTENT_PROBLEMS = (Problem.WRONG_ATTACHMENT, Problem.WRONG_CONTENT, Problem.WRONG_PRICE)


def _unique(addresses) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for address in addresses:
        address = normalise_address(address)
        if address:
            seen.setdefault(address, None)
    return tuple(seen)


def _plain(number: Decimal) -> str:
    return amount_text(number)


class Case:
    """One incident's facts read against the directory and signal lists, each derivation once."""

    def __init__(self, facts: IncidentFacts, directory: Directory, *, signals: Signals, thresholds: Thresholds):
        self.facts = facts
        self.directory = directory
        self.signals = signals
        self.thresholds = thresholds
        self.problems = frozenset(p.strip().lower() for p in facts.problems)
        self.status = (facts.recipient_status or RecipientStatus.UNKNOWN).strip().lower()
        self.mail_system = (facts.mail_system or MailSystem.OTHER).strip().lower()
        self.recipients = _unique(party.address for party in facts.recipients)
        self.intended = _unique(facts.intended)

    def reported(self, *problems: Problem) -> list[str]:
        """Which of these problems the reporter named, as stored (plain codes, sorted)."""
        return sorted(p for p in self.problems if p in problems)

    @cached_property
    def external(self) -> tuple[str, ...]:
        return tuple(a for a in self.recipients if self.directory.is_external(a))

    @cached_property
    def unintended(self) -> tuple[str, ...]:
        if self.intended:
            intended = set(self.intended)
            return tuple(a for a in self.recipients if a not in intended)
        # Without a list of who should have got it, only "wrong recipient" lets us infer:
        # the reporter would not have mis-sent to a colleague, so every outsider is suspect.
        return self.external if Problem.WRONG_RECIPIENT in self.problems else ()

    @cached_property
    def unintended_external(self) -> tuple[str, ...]:
        return tuple(a for a in self.unintended if self.directory.is_external(a))

    @cached_property
    def intended_organisations(self) -> frozenset:
        return frozenset(self.directory.organisation_of(a) for a in self.intended)

    @cached_property
    def wrong_clients(self) -> tuple[str, ...]:
        if not self.intended:
            return self.unintended_external
        return tuple(
            a for a in self.unintended_external if self.directory.organisation_of(a) not in self.intended_organisations
        )

    @cached_property
    def competitors(self) -> tuple[str, ...]:
        return tuple(a for a in self.unintended if self.directory.is_competitor(a))

    @cached_property
    def body_text(self) -> str:
        return scannable_text(self.facts.body)

    def _scan(self, finder: Finder) -> Found:
        # The subject and the file names are read by the recipient first, so they count as much
        # as the body; none of them has a signature or a disclaimer to skip.
        signals = finder(self.body_text, self.signals)
        in_subject = finder(self.facts.subject or "", self.signals)
        signals += [s for s in in_subject if s not in signals]
        attachments = []
        for name in self.facts.attachments:
            in_name = finder(name, self.signals)
            if in_name:
                attachments.append(name)
                signals += [s for s in in_name if s not in signals]
        return Found(signals, in_subject, attachments)

    @cached_property
    def pricing_found(self) -> Found:
        return self._scan(pricing_signals)

    @cached_property
    def internal_found(self) -> Found:
        return self._scan(internal_signals)

    @cached_property
    def pricing_content(self) -> bool:
        return (
            Problem.WRONG_PRICE in self.problems
            or self.facts.quoted_price is not None
            or bool(self.pricing_found.signals)
        )

    @cached_property
    def internal_info(self) -> bool:
        return Problem.INTERNAL_INFO in self.problems or bool(self.internal_found.signals)

    @cached_property
    def personal_found(self) -> tuple[Finding, ...]:
        return find_personal_data(
            body=self.body_text,
            subject=self.facts.subject or "",
            attachments=self.facts.attachments,
            words=self.signals.personal_data_words,
        )

    @cached_property
    def personal_data_dismissal(self) -> str:
        # A box ticked by the reporter outranks any dismissal: nobody can both report and dismiss it.
        return "" if Problem.PERSONAL_DATA in self.problems else (self.facts.personal_data_dismissal or "").strip()

    @cached_property
    def personal_data(self) -> bool:
        """Reported by the reporter, or found in the email and not dismissed by them."""
        detected = bool(self.personal_found) and not self.personal_data_dismissal
        return Problem.PERSONAL_DATA in self.problems or detected

    @cached_property
    def gap(self) -> Decimal | None:
        quoted, correct = self.facts.quoted_price, self.facts.correct_price
        if quoted is None or correct is None or correct <= 0:
            return None
        return (Decimal(correct) - Decimal(quoted)) / Decimal(correct)

    @cached_property
    def low_quote(self) -> bool:
        return self.gap is not None and self.gap > 0 and bool(self.external)

    @cached_property
    def big_gap(self) -> bool:
        return self.low_quote and self.gap >= self.thresholds.low_quote_high_gap

    def people(self, addresses) -> dict[str, list[str]]:
        """Parallel lists naming each address, its organisation and the organisation's kind."""
        addresses = list(addresses)
        return {
            "recipients": addresses,
            "organisations": [self.directory.organisation_name(a) for a in addresses],
            "kinds": [self.directory.kind_of(a) for a in addresses],
        }

    def figures(self) -> dict[str, str]:
        """The quote figures as strings; the gap is cut (not rounded) to 4 places."""
        facts = self.facts
        figures = {"currency": facts.currency or ""}
        if facts.quoted_price is not None:
            figures["quoted"] = _plain(facts.quoted_price)
        if facts.correct_price is not None:
            figures["correct"] = _plain(facts.correct_price)
        if self.gap is not None:
            figures["gap"] = format(self.gap.quantize(Decimal("0.0001"), rounding=ROUND_DOWN), "f")
        return figures


class FactorRule(Protocol):
    code: str

    def check(self, case: Case) -> Factor | None: ...


class InternalOnly:
    code = FactorCode.INTERNAL_ONLY

    def check(self, case: Case) -> Factor | None:
        if case.recipients and not case.external:
            return Factor(self.code, case.people(case.recipients))
        return None


class UnintendedExternal:
    code = FactorCode.UNINTENDED_EXTERNAL

    def check(self, case: Case) -> Factor | None:
        if case.unintended_external:
            return Factor(self.code, case.people(case.unintended_external))
        return None


class WrongClient:
    code = FactorCode.WRONG_CLIENT

    def check(self, case: Case) -> Factor | None:
        if not case.wrong_clients:
            return None
        intended = sorted({case.directory.organisation_name(a) for a in case.intended})
        return Factor(self.code, {**case.people(case.wrong_clients), "intended_organisations": intended})


class CompetitorExposure:
    code = FactorCode.COMPETITOR_EXPOSURE

    def check(self, case: Case) -> Factor | None:
        if case.competitors:
            return Factor(self.code, case.people(case.competitors))
        return None


class LeakedPricing:
    code = FactorCode.LEAKED_PRICING

    def check(self, case: Case) -> Factor | None:
        if not (case.pricing_content and case.wrong_clients):
            return None
        params = {**case.people(case.wrong_clients), **case.figures(), **case.pricing_found.params()}
        params["problems"] = case.reported(Problem.WRONG_PRICE)
        return Factor(self.code, params)


class InternalInfoExternal:
    code = FactorCode.INTERNAL_INFO_EXTERNAL

    def check(self, case: Case) -> Factor | None:
        if not (case.internal_info and case.external):
            return None
        params = {**case.people(case.external), **case.internal_found.params()}
        params["problems"] = case.reported(Problem.INTERNAL_INFO)
        return Factor(self.code, params)


class LowQuote:
    code = FactorCode.LOW_QUOTE

    def check(self, case: Case) -> Factor | None:
        if case.low_quote:
            return Factor(self.code, {**case.people(case.external), **case.figures()})
        return None


class LowQuoteAnswered:
    code = FactorCode.LOW_QUOTE_ANSWERED

    def check(self, case: Case) -> Factor | None:
        if case.low_quote and case.status in ANSWERED_STATUSES:
            return Factor(self.code, {**case.people(case.external), **case.figures(), "status": case.status})
        return None


class FirmOffer:
    code = FactorCode.FIRM_OFFER

    def check(self, case: Case) -> Factor | None:
        if case.low_quote and case.facts.firm_offer:
            return Factor(self.code, {**case.people(case.external), **case.figures()})
        return None


class PersonalDataExternal:
    code = FactorCode.PERSONAL_DATA_EXTERNAL

    def check(self, case: Case) -> Factor | None:
        if not (case.personal_data and case.unintended_external):
            return None
        params = {
            **case.people(case.unintended_external),
            "hours": str(case.thresholds.breach_notification_hours),
            "problems": case.reported(Problem.PERSONAL_DATA),
            **findings_params(case.personal_found),
        }
        return Factor(self.code, params)


class PersonalDataDismissed:
    """A note, of no weight: what was found and the reporter's reason, so legal can judge it."""

    code = FactorCode.PERSONAL_DATA_DISMISSED

    def check(self, case: Case) -> Factor | None:
        if case.personal_found and case.personal_data_dismissal:
            return Factor(self.code, {"reason": case.personal_data_dismissal, **findings_params(case.personal_found)})
        return None


class ContentError:
    code = FactorCode.CONTENT_ERROR

    def check(self, case: Case) -> Factor | None:
        problems = [p.value for p in CONTENT_PROBLEMS if p in case.problems]
        if problems and case.external:
            return Factor(self.code, {**case.people(case.external), "problems": problems})
        return None


class HarshTone:
    code = FactorCode.HARSH_TONE

    def check(self, case: Case) -> Factor | None:
        # Everyone who read it is named: each of them is owed the apology, colleagues included.
        if Problem.TONE in case.problems and case.recipients:
            return Factor(self.code, case.people(case.recipients))
        return None


RULES: tuple[FactorRule, ...] = (
    InternalOnly(),
    UnintendedExternal(),
    WrongClient(),
    CompetitorExposure(),
    LeakedPricing(),
    InternalInfoExternal(),
    LowQuote(),
    LowQuoteAnswered(),
    FirmOffer(),
    PersonalDataExternal(),
    PersonalDataDismissed(),
    ContentError(),
    HarshTone(),
)
FACTOR_CODES: tuple[FactorCode, ...] = tuple(rule.code for rule in RULES)
