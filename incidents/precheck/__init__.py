"""Prevention: checking a message before it is sent (the pre-send check) and holding it for a while."""

from incidents.precheck.amounts import Price, read_price
from incidents.precheck.check import CheckContext, FloorPrice, OutgoingDraft, Warning, check_draft
from incidents.precheck.overview import Addressee, Overview, draft_overview
from incidents.precheck.sentences import describe_warning

__all__ = [
    "Addressee",
    "CheckContext",
    "FloorPrice",
    "OutgoingDraft",
    "Overview",
    "Price",
    "Warning",
    "check_draft",
    "describe_warning",
    "draft_overview",
    "read_price",
]
