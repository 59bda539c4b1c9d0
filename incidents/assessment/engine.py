"""Facts in, assessment out: factors, severity, route, recall and the breach clock.

Pure functions over plain data; signals_from_settings and thresholds_from_settings are the
only places that read Django settings, so callers pass the result in.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from datetime import datetime, timedelta
from decimal import Decimal

from incidents.assessment.directory import Directory
from incidents.assessment.factors import RULES, Case
from incidents.assessment.types import (
    Assessment,
    Factor,
    IncidentFacts,
    Recall,
    RecipientRecall,
    Routing,
    Signals,
    Thresholds,
)
from incidents.vocabulary import RECALL_SYSTEMS, FactorCode, RecallVerdict, RecipientStatus, Severity

# Recall (in the RECALL_SYSTEMS) only reaches a message nobody has read yet.
RECALL_STATUSES = frozenset({RecipientStatus.UNKNOWN, RecipientStatus.UNREAD})

SeverityTest = Callable[[Set[str], Case], bool]


def _critical(codes: Set[str], case: Case) -> bool:
    exposed_secrets = FactorCode.COMPETITOR_EXPOSURE in codes and (case.pricing_content or case.internal_info)
    return exposed_secrets or (case.big_gap and FactorCode.LOW_QUOTE_ANSWERED in codes)


def _high(codes: Set[str], case: Case) -> bool:
    serious = {
        FactorCode.LEAKED_PRICING,
        FactorCode.INTERNAL_INFO_EXTERNAL,
        FactorCode.PERSONAL_DATA_EXTERNAL,
        FactorCode.COMPETITOR_EXPOSURE,
    }
    return bool(codes & serious) or case.big_gap or {FactorCode.LOW_QUOTE, FactorCode.FIRM_OFFER} <= codes


def _medium(codes: Set[str], case: Case) -> bool:
    # A harsh email that reached a client or anyone else outside can cost the relationship.
    harsh_outside = FactorCode.HARSH_TONE in codes and bool(case.external)
    return harsh_outside or bool(
        codes & {FactorCode.UNINTENDED_EXTERNAL, FactorCode.CONTENT_ERROR, FactorCode.LOW_QUOTE}
    )


# The first level whose test holds wins; low is what remains.
SEVERITY_LEVELS: tuple[tuple[Severity, SeverityTest], ...] = (
    (Severity.CRITICAL, _critical),
    (Severity.HIGH, _high),
    (Severity.MEDIUM, _medium),
)


def severity_of(codes: Set[str], case: Case) -> Severity:
    for level, test in SEVERITY_LEVELS:
        if test(codes, case):
            return level
    return Severity.LOW


def route_of(severity: str, codes: Set[str]) -> Routing:
    return Routing(
        manager=severity in (Severity.HIGH, Severity.CRITICAL),
        legal=severity == Severity.CRITICAL or bool(codes & {FactorCode.LOW_QUOTE, FactorCode.PERSONAL_DATA_EXTERNAL}),
    )


def regulatory_deadline_of(codes: Set[str], filed_at: datetime, thresholds: Thresholds) -> datetime | None:
    """The breach-notification clock (GDPR Art. 33) runs from when the report was filed."""
    if FactorCode.PERSONAL_DATA_EXTERNAL not in codes:
        return None
    return filed_at + timedelta(hours=thresholds.breach_notification_hours)


def recall_of(case: Case) -> Recall:
    can_recall = case.mail_system in RECALL_SYSTEMS and case.status in RECALL_STATUSES
    recipients = tuple(
        RecipientRecall(
            address,
            RecallVerdict.MAYBE if can_recall and case.directory.is_internal(address) else RecallVerdict.NO,
        )
        for address in case.recipients
    )
    maybes = sum(r.verdict == RecallVerdict.MAYBE for r in recipients)
    if maybes and maybes == len(recipients):
        verdict = RecallVerdict.MAYBE
    elif maybes:
        verdict = RecallVerdict.PARTIAL
    else:
        verdict = RecallVerdict.NO
    return Recall(verdict=verdict, mail_system=case.mail_system, recipients=recipients)


def assess(facts: IncidentFacts, directory: Directory, *, signals: Signals, thresholds: Thresholds) -> Assessment:
    """Every factor rule run on the incident, and what follows from the factors found."""
    case = Case(facts, directory, signals=signals, thresholds=thresholds)
    factors: tuple[Factor, ...] = tuple(f for f in (rule.check(case) for rule in RULES) if f is not None)
    codes = frozenset(f.code for f in factors)
    severity = severity_of(codes, case)
    return Assessment(
        severity=severity,
        factors=factors,
        route=route_of(severity, codes),
        recall=recall_of(case),
        regulatory_deadline=regulatory_deadline_of(codes, facts.filed_at, thresholds),
        pricing_content=case.pricing_content,
        internal_info=case.internal_info,
        gap=case.gap,
    )


def signals_from_settings() -> Signals:
    from incidents.conf import missend

    return Signals(
        pricing_words=tuple(missend.PRICING_WORDS),
        currency_markers=tuple(missend.CURRENCY_MARKERS),
        internal_words=tuple(missend.INTERNAL_WORDS),
        personal_data_words=tuple(missend.PERSONAL_DATA_WORDS),
    )


def thresholds_from_settings() -> Thresholds:
    from incidents.conf import missend

    return Thresholds(
        low_quote_high_gap=Decimal(str(missend.LOW_QUOTE_HIGH_GAP)),
        breach_notification_hours=int(missend.BREACH_NOTIFICATION_HOURS),
    )
