"""The pure assessment engine: incident facts in, severity, factors, route and recall out."""

from incidents.assessment.directory import Directory, UnknownOrganisation, domain_of
from incidents.assessment.engine import assess, signals_from_settings, thresholds_from_settings
from incidents.assessment.explanations import describe_factor, recall_advice
from incidents.assessment.factors import FACTOR_CODES
from incidents.assessment.personal_data import Finding, find_personal_data
from incidents.assessment.signals import has_internal_signal, has_pricing_signal, scannable_text
from incidents.assessment.types import (
    EXTERNAL_KINDS,
    Assessment,
    DirectoryEntry,
    Factor,
    IncidentFacts,
    Party,
    Recall,
    RecipientRecall,
    Routing,
    Signals,
    Thresholds,
)

__all__ = [
    "EXTERNAL_KINDS",
    "FACTOR_CODES",
    "Assessment",
    "Directory",
    "DirectoryEntry",
    "Factor",
    "Finding",
    "IncidentFacts",
    "Party",
    "Recall",
    "RecipientRecall",
    "Routing",
    "Signals",
    "Thresholds",
    "UnknownOrganisation",
    "assess",
    "describe_factor",
    "domain_of",
    "find_personal_data",
    "has_internal_signal",
    "has_pricing_signal",
    "recall_advice",
    "scannable_text",
    "signals_from_settings",
    "thresholds_from_settings",
]
