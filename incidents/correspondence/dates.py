"""Dates and times as each draft language writes them: "27 November 2026, 14:05 UTC" in English,
"2026年11月27日 星期五 22:05（北京时间）" in Chinese, always in the datetime's own zone, which is named.

The day and the clock are the language's DATE_FORMAT and TIME_FORMAT (Django's locale formats for
Simplified and Traditional Chinese, the site's own for English), and the names of months and
weekdays Django's catalogue in the draft's language, whatever language the page that asks speaks.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat, translation
from django.utils.formats import get_format

from incidents.vocabulary import DraftLanguage

CHINESE = (DraftLanguage.ZH_HANS, DraftLanguage.ZH_HANT)
# Zones a Chinese reader names by their city; any other zone reads as its offset from UTC.
_BEIJING = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC")
CHINESE_ZONES = {
    DraftLanguage.ZH_HANS: {
        **dict.fromkeys(_BEIJING, "北京时间"),
        "Asia/Taipei": "台北时间",
        "ROC": "台北时间",
        "Asia/Hong_Kong": "香港时间",
        "Hongkong": "香港时间",
        "Asia/Macau": "澳门时间",
        "Asia/Macao": "澳门时间",
    },
    DraftLanguage.ZH_HANT: {
        **dict.fromkeys(_BEIJING, "北京時間"),
        "Asia/Taipei": "台北時間",
        "ROC": "台北時間",
        "Asia/Hong_Kong": "香港時間",
        "Hongkong": "香港時間",
        "Asia/Macau": "澳門時間",
        "Asia/Macao": "澳門時間",
    },
}


def _written(value: datetime, language: str, shape: str) -> str:
    """``shape`` with {date} and {time} replaced by the language's formats, written in that language;
    any language but Chinese writes English, as the drafts' templates do."""
    language = language if language in CHINESE else DraftLanguage.EN
    format_string = shape.format(date=get_format("DATE_FORMAT", language), time=get_format("TIME_FORMAT", language))
    with translation.override(language):
        return dateformat.format(value, format_string)


def format_date(value: datetime, language: str) -> str:
    return _written(value, language, "{date}")


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
    """In the datetime's own time zone, which is named: the caller localises (the active zone is not read).
    A Chinese letter names the weekday between the day and the time ("l", 星期五), and the zone in
    brackets after it."""
    zone = zone_name(value, language)
    if language in CHINESE:
        return _written(value, language, "{date} l {time}") + (f"（{zone}）" if zone else "")
    return _written(value, language, "{date}, {time}") + (f" {zone}" if zone else "")


__all__ = ["CHINESE", "format_date", "format_datetime", "zone_name"]
