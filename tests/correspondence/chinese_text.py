"""What a careful Chinese business writer would not let through: ASCII punctuation inside Chinese text,
English words (other than codes, trade terms and names), dates not written the Chinese way, and the
other script's characters (a Traditional Chinese draft with 发 or 报 in it was converted, not written).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# Abbreviations Chinese trade and legal mail writes in Latin letters.
ALLOWED_WORDS = frozenset(
    {
        "UTC",
        "GDPR",
        "FOB",
        "CIF",
        "CFR",
        "EXW",
        "DDP",
        "DAP",
        "FCA",
        "CNF",
        "USD",
        "CNY",
        "RMB",
        "EUR",
        "HKD",
        "TWD",
        "MOP",
        "JPY",
        "GBP",
        # names of mail systems, which recall advice names as they are written
        "Gmail",
        "Microsoft",
        "Exchange",
        "Outlook",
        "QQ",
        "NetEase",
        "Aliyun",
        "Lotus",
        "Notes",
    }
)
ASCII_PUNCTUATION = set(",.:;!?()\"'/<>-")
_ADDRESS = re.compile(r"(?:https?://\S+|[\w.+-]+@[\w.-]+\.[A-Za-z]{2,})")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_TIME = re.compile(r"\d{1,2}:\d{2}")
_CHINESE_DATETIME = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 星期[一二三四五六日] \d{2}:\d{2}（[^（）]+）")
_OTHER_DATES = re.compile(r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})(?!\d)")
# Characters of one script that the other writes differently, among those our drafts use.
_PAIRS = [
    "发發",
    "邮郵",
    "报報",
    "价價",
    "这這",
    "们們",
    "为為",
    "应應",
    "请請",
    "删刪",
    "说說",
    "谢謝",
    "与與",
    "务務",
    "话話",
    "还還",
    "误誤",
    "贵貴",
    "见見",
    "阅閱",
    "录錄",
    "单單",
    "确確",
    "认認",
    "销銷",
    "时時",
    "间間",
    "经經",
    "电電",
    "给給",
    "让讓",
    "对對",
    "无無",
    "门門",
    "书書",
    "于於",
    "后後",
    "个個",
    "关關",
    "开開",
    "联聯",
    "络絡",
    "备備",
    "实實",
    "盘盤",
    "进進",
    "题題",
    "该該",
    "签簽",
    "处處",
    "据據",
    "动動",
    "诚誠",
    "礼禮",
    "复復",
    "内內",
    "录錄",
    "节節",
    "烦煩",
    "带帶",
    "件件",
]
SIMPLIFIED_ONLY = {pair[0] for pair in _PAIRS if pair[0] != pair[1]}
TRADITIONAL_ONLY = {pair[1] for pair in _PAIRS if pair[0] != pair[1]}
PLACEHOLDER = "〇"  # what a user-typed value is replaced by: it reads as part of the Chinese sentence


def visible_text(part: str, *, is_html: bool) -> str:
    if not is_html:
        return part
    return html.unescape(re.sub(r"<[^>]+>", "\n", part))


def without_values(text: str, values: Iterable[str]) -> str:
    """text with every user-typed value (subject, names, addresses, prices) and every code taken out."""
    for value in sorted({v for v in values if v and v.strip()}, key=len, reverse=True):
        text = text.replace(value, PLACEHOLDER)
    text = _ADDRESS.sub(PLACEHOLDER, text)
    return text


def problems_in(text: str, *, language: str, values: Iterable[str] = ()) -> list[str]:
    """Everything in text a Chinese reader would trip over; [] when it reads as Chinese."""
    found = []
    for match in _OTHER_DATES.finditer(text):
        found.append(f"a date not written the Chinese way: {match.group()!r}")
    for match in _TIME.finditer(text):
        around = text[max(0, match.start() - 20) : match.end() + 12]
        if not _CHINESE_DATETIME.search(around):
            found.append(f"a time without its Chinese date, weekday and zone: {around!r}")
    cleaned = without_values(text, values)
    for line in cleaned.splitlines():
        # Codes carry a digit: Q-77, DN50, Q-2026-118.pdf.
        words = _CODE.sub(lambda m: PLACEHOLDER if re.search(r"\d", m.group()) else m.group(), line)
        for word in _WORD.findall(words):
            if word not in ALLOWED_WORDS:
                found.append(f"an English word {word!r} in {line!r}")
        for position, char in enumerate(line):
            if char not in ASCII_PUNCTUATION:
                continue
            before, after = line[position - 1 : position], line[position + 1 : position + 2]
            if char in ",.:" and before.isdigit() and after.isdigit():
                continue  # 12.50, 1,000, 14:05
            if char == "-" and (
                not line[:position].strip() or ((before + after).isascii() and (before + after).isalnum())
            ):
                continue  # a "- " list bullet, or inside a code
            found.append(f"ASCII {char!r} in Chinese text: {line!r}")
    other_script = SIMPLIFIED_ONLY if language == "zh-hant" else TRADITIONAL_ONLY
    strays = sorted({char for char in cleaned if char in other_script})
    if strays:
        found.append(f"characters of the other script in {language}: {''.join(strays)}")
    return found


def user_values(context: dict) -> list[str]:
    """Every string in a draft's context that came from the report or the directory, not from us."""
    generated = {
        "kind",
        "language",
        "tone",
        "recipient_status",
        "severity",
        "gap_direction",
        "gap_percent",
        "sent_date",
        "sent_at",
        "regulatory_deadline",
        "factor_details",
        "recall_advice",
        "factor_codes",
        "problems",
        "purposes",
    }
    values: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("kind", "language"):
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for key, value in context.items():
        if key not in generated:
            walk(value)
    return values


__all__ = ["problems_in", "user_values", "visible_text"]
