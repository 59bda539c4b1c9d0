"""Reading the prices a draft writes ("USD 12.50", "1.200,50 €", "¥300", "3万元") as a currency and a number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Each marker of MISSEND_CURRENCY_MARKERS and the ISO code it stands for. "¥" and "￥" are read as
# yuan: the company trades from China, and a yen price is written "JPY" or "日元" there.
CURRENCY_OF_MARKER = {
    "USD": "USD",
    "US$": "USD",
    "$": "USD",
    "美元": "USD",
    "美金": "USD",
    "EUR": "EUR",
    "€": "EUR",
    "欧元": "EUR",
    "歐元": "EUR",
    "GBP": "GBP",
    "£": "GBP",
    "英镑": "GBP",
    "英鎊": "GBP",
    "CNY": "CNY",
    "RMB": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "人民幣": "CNY",
    "JPY": "JPY",
    "日元": "JPY",
    "日圓": "JPY",
    "HKD": "HKD",
    "HK$": "HKD",
    "港币": "HKD",
    "港幣": "HKD",
    "港元": "HKD",
}
_MULTIPLIERS = {
    "万": 10_000,
    "萬": 10_000,
    "千": 1_000,
    "仟": 1_000,
    "百": 100,
    "佰": 100,
    "亿": 100_000_000,
    "億": 100_000_000,
}
_NUMBER = re.compile(r"\d(?:[\d.,'\u00a0\u202f ]*\d)?")


@dataclass(frozen=True)
class Price:
    """A written price: the text as written, its currency code and its value."""

    text: str
    currency: str
    value: Decimal


def _number(digits: str) -> Decimal | None:
    """ "1,200.50", "1.200,50", "1 200", "12.5": with both separators the last is the decimal point;
    with one kind, it is the decimal point unless exactly three digits follow ("1,200", "EUR 1.200")."""
    digits = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0:
        tail = digits[last + 1 :]
        if ("." in digits and "," in digits) or len(tail) != 3:
            whole, fraction = digits[:last], tail
        else:
            whole, fraction = digits, ""
        digits = re.sub(r"[.,]", "", whole) + ("." + fraction if fraction else "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def read_price(snippet: str, markers: tuple[str, ...]) -> Price | None:
    """The price a snippet found by signals.find_amounts writes, or None if its marker has no known currency."""
    marker = next((m for m in sorted(markers, key=len, reverse=True) if m in snippet), None)
    currency = CURRENCY_OF_MARKER.get(marker or "", "")
    found = _NUMBER.search(snippet)
    if not currency or not found:
        return None
    value = _number(found.group(0))
    if value is None:
        return None
    after = snippet[found.end() :].lstrip(" \t\u00a0")
    if after[:1] in _MULTIPLIERS:
        value *= _MULTIPLIERS[after[:1]]
    return Price(snippet, currency, value)
