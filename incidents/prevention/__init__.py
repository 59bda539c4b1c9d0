"""Prevention: checking a message before it is sent (the pre-send check) and holding it for a while."""

from .amounts import Price, read_price
from .check import (
    WARNING_CODES,
    CheckContext,
    Draft,
    PriceFloor,
    Warning,
    check_draft,
)
from .overview import Addressee, Overview, draft_overview
from .sentences import describe_warning

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
