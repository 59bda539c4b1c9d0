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
from .sentences import describe_warning

__all__ = ["WARNING_CODES", "CheckContext", "Draft", "Price", "PriceFloor", "Warning", "check_draft",
           "describe_warning", "read_price"]
