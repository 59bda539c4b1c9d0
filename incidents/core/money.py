"""Amounts as people write them in trade mail."""

from decimal import Decimal


def amount_text(amount: Decimal, *, grouping: bool = False) -> str:
    """At least two decimals, no stored padding: 9.5000 is "9.50", 12.125 stays "12.125"."""
    exponent = amount.normalize().as_tuple().exponent
    places = min(max(2, -exponent), 6) if isinstance(exponent, int) else 2
    return f"{amount:,.{places}f}" if grouping else f"{amount:.{places}f}"
