"""Prevention: checking a message before it is sent (the pre-send check) and holding it for a while."""

from incidents.precheck.amounts import Price, read_price
from incidents.precheck.check import WARNING_CODES, CheckContext, Draft, PriceFloor, Warning, check_draft
from incidents.precheck.overview import Addressee, Overview, draft_overview
from incidents.precheck.sentences import describe_warning

__all__ = [
    "WARNING_CODES",
    "Addressee",
    "CheckContext",
    "Draft",
    "Overview",
    "Price",
    "PriceFloor",
    "Warning",
    "check_draft",
    "describe_warning",
    "draft_overview",
    "read_price",
]
