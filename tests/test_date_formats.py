"""How a time reads, pinned as tables through the public functions: the pages' and emails' times
(incidents/platform/formats.py) and the drafts' (incidents/correspondence/dates.py), in English and
Chinese, in named zones, zones without an abbreviation, and for naive datetimes."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from incidents.correspondence.dates import format_date, format_datetime, zone_name
from incidents.platform.formats import format_when, localised_format, when

# 01:05 UTC on Monday 30 November 2026, and 12:05 UTC on Wednesday 1 July 2026 (summer time in Europe).
WINTER = datetime(2026, 11, 30, 1, 5, 9, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 12, 5, tzinfo=UTC)
NAIVE = datetime(2026, 3, 4, 5, 6, 7)

PAGE_TIMES = [
    # language, zone, moment, format (None: the default), what the page shows
    ("en", "Asia/Shanghai", WINTER, None, "2026-11-30 09:05 CST"),
    ("en", "UTC", WINTER, None, "2026-11-30 01:05 UTC"),
    ("en", "Europe/Berlin", SUMMER, None, "2026-07-01 14:05 CEST"),
    ("en", "Europe/Berlin", WINTER, None, "2026-11-30 02:05 CET"),
    ("en", "America/New_York", WINTER, None, "2026-11-29 20:05 EST"),
    ("en", "Asia/Dubai", WINTER, None, "2026-11-30 05:05 UTC+04:00"),
    ("en", "Asia/Kolkata", WINTER, None, "2026-11-30 06:35 IST"),
    ("en", "Asia/Kathmandu", WINTER, None, "2026-11-30 06:50 UTC+05:45"),
    ("en", "America/Sao_Paulo", WINTER, None, "2026-11-29 22:05 UTC-03:00"),
    ("en", "Asia/Shanghai", WINTER, "Y-m-d H:i", "2026-11-30 09:05 CST"),
    ("en", "Asia/Shanghai", WINTER, "Y-m-d H:i:s", "2026-11-30 09:05:09 CST"),
    ("en", "Asia/Shanghai", WINTER, "Y-m-d", "2026-11-30 CST"),
    ("en", "Asia/Shanghai", WINTER, "H:i", "09:05 CST"),
    ("en", "UTC", WINTER, "D, j M Y", "Mon, 30 Nov 2026 UTC"),
    ("zh-hans", "Asia/Shanghai", WINTER, None, "2026年11月30日 09:05 CST"),
    ("zh-hans", "UTC", WINTER, None, "2026年11月30日 01:05 UTC"),
    ("zh-hans", "Europe/Berlin", SUMMER, None, "2026年7月1日 14:05 CEST"),
    ("zh-hans", "America/New_York", WINTER, None, "2026年11月29日 20:05 EST"),
    ("zh-hans", "Asia/Dubai", WINTER, None, "2026年11月30日 05:05 UTC+04:00"),
    ("zh-hans", "America/Sao_Paulo", WINTER, None, "2026年11月29日 22:05 UTC-03:00"),
    ("zh-hans", "Asia/Shanghai", WINTER, "Y-m-d H:i", "2026年11月30日 09:05 CST"),
    ("zh-hans", "Asia/Shanghai", WINTER, "Y-m-d H:i:s", "2026年11月30日 09:05:09 CST"),
    ("zh-hans", "Asia/Shanghai", WINTER, "Y-m-d", "2026年11月30日 CST"),
    ("zh-hans", "Asia/Shanghai", WINTER, "H:i", "09:05 CST"),
    ("zh-hans", "Asia/Shanghai", WINTER, "H:i:s", "09:05:09 CST"),
    # Naive: no zone is known, so none is named and the time is not moved.
    ("en", "Asia/Shanghai", NAIVE, None, "2026-03-04 05:06"),
    ("en", "Asia/Shanghai", NAIVE, "Y-m-d H:i:s", "2026-03-04 05:06:07"),
    ("en", "Asia/Shanghai", datetime(999, 2, 3, 4, 5), None, "0999-02-03 04:05"),
    ("zh-hans", "Asia/Shanghai", NAIVE, None, "2026年3月4日 05:06"),
    ("zh-hans", "Asia/Shanghai", NAIVE, "Y-m-d H:i:s", "2026年3月4日 05:06:07"),
    ("zh-hans", "UTC", datetime(2026, 12, 31, 23, 59), None, "2026年12月31日 23:59"),
]


@pytest.mark.parametrize("language, zone, moment, format_string, shown", PAGE_TIMES)
def test_a_time_on_a_page_reads_in_the_readers_zone_and_language(language, zone, moment, format_string, shown):
    arguments = (moment,) if format_string is None else (moment, format_string)
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        assert when(*arguments) == shown
        assert format_when(*arguments) == shown


@pytest.mark.parametrize(
    "language, zone, format_string, shown",
    [
        ("en", "Asia/Shanghai", None, "2026-11-30 09:05 CST"),
        ("en", "America/New_York", "Y-m-d H:i:s", "2026-11-29 20:05:09 EST"),
        ("zh-hans", "Asia/Shanghai", None, "2026年11月30日 09:05 CST"),
        ("zh-hans", "Asia/Dubai", "Y-m-d H:i:s", "2026年11月30日 05:05:09 UTC+04:00"),
    ],
)
def test_an_email_names_the_recipients_zone_not_the_active_one(language, zone, format_string, shown):
    arguments = {} if format_string is None else {"format_string": format_string}
    with translation.override(language), timezone.override(ZoneInfo("Europe/London")):
        assert format_when(WINTER, zone=ZoneInfo(zone), **arguments) == shown


@pytest.mark.parametrize("value", [None, "", "2026-11-30 01:05", 0])
def test_a_missing_time_reads_as_nothing(value):
    assert when(value) == ""


@pytest.mark.parametrize(
    "format_string, language, localised",
    [
        ("Y-m-d H:i", "en", "Y-m-d H:i"),
        ("Y-m-d H:i:s", "en", "Y-m-d H:i:s"),
        ("H:i", "en", "H:i"),
        ("Y-m-d H:i", "zh-hans", "Y年n月j日 H:i"),
        ("Y-m-d H:i:s", "zh-hans", "Y年n月j日 H:i:s"),
        ("Y-m-d", "zh-hans", "Y年n月j日"),
        ("H:i", "zh-hans", "H:i"),
        ("Y-m-d H:i", "ZH-HANS", "Y年n月j日 H:i"),
    ],
)
def test_a_format_with_the_iso_day_takes_the_languages_day(format_string, language, localised):
    assert localised_format(format_string, language) == localised
    with translation.override(language):
        assert localised_format(format_string) == localised


MONDAY = datetime(2026, 11, 30, 14, 5)  # naive: the drafts write the datetime's own zone, here none
DRAFT_TIMES = [
    # language, moment, the day, the moment
    ("en", MONDAY.replace(tzinfo=UTC), "30 November 2026", "30 November 2026, 14:05 UTC"),
    ("en", MONDAY.replace(tzinfo=ZoneInfo("Asia/Shanghai")), "30 November 2026", "30 November 2026, 14:05 CST"),
    ("en", MONDAY.replace(tzinfo=ZoneInfo("Asia/Dubai")), "30 November 2026", "30 November 2026, 14:05 +04"),
    ("en", datetime(2026, 1, 2, 3, 4), "2 January 2026", "2 January 2026, 03:04"),
    (
        "zh-hans",
        MONDAY.replace(tzinfo=ZoneInfo("Asia/Shanghai")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（北京时间）",
    ),
    ("zh-hans", MONDAY.replace(tzinfo=ZoneInfo("PRC")), "2026年11月30日", "2026年11月30日 星期一 14:05（北京时间）"),
    (
        "zh-hans",
        MONDAY.replace(tzinfo=ZoneInfo("Asia/Macau")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（澳门时间）",
    ),
    ("zh-hans", MONDAY.replace(tzinfo=UTC), "2026年11月30日", "2026年11月30日 星期一 14:05（UTC）"),
    (
        "zh-hans",
        MONDAY.replace(tzinfo=ZoneInfo("America/St_Johns")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（UTC-3:30）",
    ),
    ("zh-hans", MONDAY, "2026年11月30日", "2026年11月30日 星期一 14:05"),
    ("zh-hans", datetime(2026, 12, 1, 9, 0), "2026年12月1日", "2026年12月1日 星期二 09:00"),
    ("zh-hans", datetime(2026, 12, 2, 9, 0), "2026年12月2日", "2026年12月2日 星期三 09:00"),
    ("zh-hans", datetime(2026, 12, 3, 9, 0), "2026年12月3日", "2026年12月3日 星期四 09:00"),
    ("zh-hans", datetime(2026, 12, 4, 9, 0), "2026年12月4日", "2026年12月4日 星期五 09:00"),
    ("zh-hans", datetime(2026, 12, 5, 9, 0), "2026年12月5日", "2026年12月5日 星期六 09:00"),
    ("zh-hans", datetime(2026, 12, 6, 9, 0), "2026年12月6日", "2026年12月6日 星期日 09:00"),
    (
        "zh-hant",
        MONDAY.replace(tzinfo=ZoneInfo("Asia/Taipei")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（台北時間）",
    ),
    (
        "zh-hant",
        MONDAY.replace(tzinfo=ZoneInfo("Asia/Hong_Kong")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（香港時間）",
    ),
    (
        "zh-hant",
        MONDAY.replace(tzinfo=ZoneInfo("Asia/Shanghai")),
        "2026年11月30日",
        "2026年11月30日 星期一 14:05（北京時間）",
    ),
    (
        "zh-hant",
        datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        "2026年7月1日",
        "2026年7月1日 星期三 08:00（UTC+2）",
    ),
    ("zh-hant", datetime(2026, 7, 1, 8, 0), "2026年7月1日", "2026年7月1日 星期三 08:00"),
]


@pytest.mark.parametrize("active", ["en", "zh-hans"])
@pytest.mark.parametrize("language, moment, day, written", DRAFT_TIMES)
def test_a_draft_writes_its_own_languages_dates_whatever_the_page_speaks(active, language, moment, day, written):
    with translation.override(active):
        assert format_date(moment, language) == day
        assert format_datetime(moment, language) == written
        assert translation.get_language() == active


@pytest.mark.parametrize(
    "language, zone, moment, name",
    [
        ("en", "Asia/Shanghai", WINTER, "CST"),
        ("en", "Europe/Berlin", SUMMER, "CEST"),
        ("en", "Asia/Dubai", WINTER, "+04"),
        ("zh-hans", "Asia/Shanghai", WINTER, "北京时间"),
        ("zh-hans", "Asia/Chongqing", WINTER, "北京时间"),
        ("zh-hans", "ROC", WINTER, "台北时间"),
        ("zh-hans", "Hongkong", WINTER, "香港时间"),
        ("zh-hans", "Europe/Berlin", WINTER, "UTC+1"),
        ("zh-hans", "America/New_York", WINTER, "UTC-5"),
        ("zh-hans", "Asia/Kathmandu", WINTER, "UTC+5:45"),
        ("zh-hans", "UTC", WINTER, "UTC"),
        ("zh-hant", "Asia/Macao", WINTER, "澳門時間"),
        ("zh-hant", "Asia/Harbin", WINTER, "北京時間"),
        ("zh-hant", "America/Sao_Paulo", WINTER, "UTC-3"),
    ],
)
def test_a_draft_names_the_zone_as_its_reader_does(language, zone, moment, name):
    assert zone_name(moment.astimezone(ZoneInfo(zone)), language) == name


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_naive_time_in_a_draft_names_no_zone(language):
    assert zone_name(NAIVE, language) == ""


@pytest.mark.parametrize(
    "name, language, format_string",
    [
        ("SHORT_DATETIME_FORMAT", "en", "Y-m-d H:i"),
        ("SHORT_DATE_FORMAT", "en", "Y-m-d"),
        ("TIME_FORMAT", "en", "H:i"),
        ("DATE_FORMAT", "en", "j F Y"),
        ("SHORT_DATETIME_FORMAT", "zh-hans", "Y年n月j日 H:i"),
        ("SHORT_DATE_FORMAT", "zh-hans", "Y年n月j日"),
        ("TIME_FORMAT", "zh-hans", "H:i"),
        ("DATE_FORMAT", "zh-hant", "Y年n月j日"),
    ],
)
def test_a_format_named_as_django_names_it_is_the_languages(name, language, format_string):
    assert localised_format(name, language) == format_string


@pytest.mark.parametrize(
    "language, name, shown",
    [
        ("en", "TIME_FORMAT", "09:05 CST"),
        ("en", "SHORT_DATE_FORMAT", "2026-11-30 CST"),
        ("en", "SHORT_DATETIME_FORMAT", "2026-11-30 09:05 CST"),
        ("zh-hans", "TIME_FORMAT", "09:05 CST"),
        ("zh-hans", "SHORT_DATE_FORMAT", "2026年11月30日 CST"),
        ("zh-hans", "SHORT_DATETIME_FORMAT", "2026年11月30日 09:05 CST"),
    ],
)
def test_a_page_asks_for_a_format_by_its_django_name(language, name, shown):
    with translation.override(language), timezone.override(ZoneInfo("Asia/Shanghai")):
        assert when(WINTER, name) == shown


def test_english_pages_read_iso_because_the_site_says_so_and_chinese_ones_follow_django(settings):
    settings.FORMAT_MODULE_PATH = None  # Django's own formats only
    with timezone.override(ZoneInfo("Asia/Shanghai")):
        with translation.override("en"):
            assert when(WINTER) == "11/30/2026 9:05 a.m. CST"
            assert format_date(WINTER, "en") == "Nov. 30, 2026"
        with translation.override("zh-hans"):
            assert when(WINTER) == "2026年11月30日 09:05 CST"
    settings.FORMAT_MODULE_PATH = ["project.formats"]
    with translation.override("en"), timezone.override(ZoneInfo("Asia/Shanghai")):
        assert when(WINTER) == "2026-11-30 09:05 CST"
