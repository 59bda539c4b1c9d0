"""Dates and times as each draft language writes them: "27 November 2026, 14:05 UTC" in English,
"2026年11月27日 星期五 22:05（北京时间）" in Chinese, always in the datetime's own zone, which is named."""

from __future__ import annotations

from datetime import datetime

CHINESE = ("zh-hans", "zh-hant")
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
# Zones a Chinese reader names by their city; any other zone reads as its offset from UTC.
_BEIJING = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC")
CHINESE_ZONES = {
    "zh-hans": {
        **dict.fromkeys(_BEIJING, "北京时间"),
        "Asia/Taipei": "台北时间",
        "ROC": "台北时间",
        "Asia/Hong_Kong": "香港时间",
        "Hongkong": "香港时间",
        "Asia/Macau": "澳门时间",
        "Asia/Macao": "澳门时间",
    },
    "zh-hant": {
        **dict.fromkeys(_BEIJING, "北京時間"),
        "Asia/Taipei": "台北時間",
        "ROC": "台北時間",
        "Asia/Hong_Kong": "香港時間",
        "Hongkong": "香港時間",
        "Asia/Macau": "澳門時間",
        "Asia/Macao": "澳門時間",
    },
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: datetime, language: str) -> str:
    if language in CHINESE:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def zone_name(value: datetime, language: str) -> str:
    """The zone as a reader of language names it: "北京时间", "台北時間", "UTC", "UTC+1"; English keeps the
    zone's abbreviation ("CST"), as the pages do."""
    if value.tzinfo is None:
        return ""
    if language not in CHINESE:
        return value.tzname() or ""
    named = CHINESE_ZONES[language].get(getattr(value.tzinfo, "key", ""))
    if named:
        return named
    minutes = int(value.utcoffset().total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")


def format_datetime(value: datetime, language: str) -> str:
    """In the datetime's own time zone, which is named: the caller localises (we do not read settings)."""
    zone = zone_name(value, language)
    clock = f"{value:%H:%M}"
    if language in CHINESE:
        return f"{format_date(value, language)} {WEEKDAYS_ZH[value.weekday()]} {clock}" + (
            f"（{zone}）" if zone else ""
        )
    return f"{format_date(value, language)}, {clock}" + (f" {zone}" if zone else "")


__all__ = ["CHINESE", "format_date", "format_datetime", "zone_name"]
