"""How times, durations, amounts and lists read on pages, in list rows and in emails: the reader's
zone and language, one set of rules for all of them."""

from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, timezone, translation

from incidents.core.money import amount_text


def amount(value) -> str:
    """9.5000 as stored reads "9.50"."""
    return "" if value is None else amount_text(value, grouping=True)


def price_gap_percent(incident) -> str:
    """How far the quote fell short of the correct price, e.g. "18.0%"; empty when not a low quote."""
    quoted, correct = incident.quoted_price, incident.correct_price
    if quoted is None or correct is None or correct <= 0 or quoted >= correct:
        return ""
    # Cut, not rounded, so 9.99% never shows as the 10.0% that would mean high severity.
    percent = ((correct - quoted) / correct * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{percent}%"


def zone_label(moment: datetime) -> str:
    """The zone's abbreviation ("CST", "CET"); its UTC offset where the zone has none ("UTC+04:00")."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


# The day in the reader's language; English keeps the unambiguous ISO form the README shows.
DATE_PARTS = {"zh-hans": "Y年n月j日"}
ISO_DATE = "Y-m-d"


def localised_format(format_string: str, language: str | None = None) -> str:
    """The format with its ISO date part written the language's way ("Y年n月j日 H:i" in Chinese)."""
    language = language or translation.get_language() or ""
    return format_string.replace(ISO_DATE, DATE_PARTS.get(language.lower(), ISO_DATE))


# The formats every list row shows, written directly: dateformat reads its format string anew on
# each call, and lists call it on every row.
QUICK_FORMATS = {
    "Y-m-d H:i": lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}",
    "Y年n月j日 H:i": lambda d: f"{d.year:04d}年{d.month}月{d.day}日 {d.hour:02d}:{d.minute:02d}",
}


def _format(moment: datetime, format_string: str) -> str:
    quick = QUICK_FORMATS.get(format_string)
    return quick(moment) if quick else dateformat.format(moment, format_string)


def format_when(value: datetime, format_string: str = "Y-m-d H:i", zone=None) -> str:
    """A stored time in the given zone (else the active one), localised and naming the zone."""
    format_string = localised_format(format_string)
    if timezone.is_naive(value):
        return _format(value, format_string)  # no zone known, so none claimed
    local = timezone.localtime(value, zone)
    return f"{_format(local, format_string)} {zone_label(local)}"


def when(value, format_string: str = "Y-m-d H:i") -> str:
    """A stored time in the reader's zone and language, saying which zone: "2026-11-30 14:05 CST",
    "2026年11月30日 14:05 CST"."""
    if not isinstance(value, datetime):
        return ""
    return format_when(value, format_string)


# timesince()'s words, kept. Triage writes one on each of its 50 rows and legal a deadline on each
# of its own, at 40 µs each; the same few words come back on every request.
# - Under four weeks timesince() is arithmetic on the whole minutes between the two moments, so its
#   words are kept per language and minute count.
# - Beyond that it counts calendar months, so the words are kept per earlier moment (in UTC, as
#   stored), the later moment's date and its whole days since: within one such key every later moment
#   gives the same words. Months turn when the later moment reaches the earlier one's time of day (or
#   its date changes), and weeks and days turn on whole days from the earlier moment with its
#   microseconds dropped; the key holds both counts of days.
_WEEKS_OF_ARITHMETIC = timedelta(weeks=4)
_DAY_US = 24 * 3600 * 1_000_000
_CALENDAR_WORDS: dict = {}
_CALENDAR_WORDS_KEPT = 8192


@lru_cache(maxsize=4096)
def _minutes_words(minutes: int, language: str | None) -> str:
    from django.utils.timesince import timesince

    now = datetime(2000, 1, 1, tzinfo=UTC)  # any moment: only the difference counts here
    return timesince(now - timedelta(minutes=minutes), now)


@receiver(setting_changed)
def _forget_duration_words(setting, **kwargs) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:  # new catalogues, new words
        _minutes_words.cache_clear()
        _CALENDAR_WORDS.clear()


def duration_words(earlier: datetime, later: datetime) -> str:
    """What ``timesince(earlier, later)`` says ("3 hours, 5 minutes", "1 year, 2 months"), without
    working it out again for moments it has already seen."""
    from django.utils.timesince import timesince

    if timezone.is_naive(earlier) or timezone.is_naive(later):
        return timesince(earlier, later)
    delta = later - earlier
    if timedelta(0) < delta < _WEEKS_OF_ARITHMETIC:
        return _minutes_words(delta // timedelta(minutes=1), translation.get_language())
    if earlier.tzinfo is not UTC or delta <= timedelta(0):
        return timesince(earlier, later)  # a zone with summer time: its days are not all 24 hours
    micros = delta // timedelta(microseconds=1)
    key = (
        earlier,
        later.astimezone(UTC).date(),
        micros // _DAY_US,
        (micros + earlier.microsecond) // _DAY_US,
        translation.get_language(),
    )
    words = _CALENDAR_WORDS.get(key)
    if words is None:
        if len(_CALENDAR_WORDS) >= _CALENDAR_WORDS_KEPT:
            _CALENDAR_WORDS.clear()
        words = _CALENDAR_WORDS[key] = timesince(earlier, later)
    return words


def ago(moment, now: datetime | None = None) -> str:
    """ "5 minutes ago", or "just now" under a minute (not "0 minutes ago")."""
    from django.utils.translation import gettext

    if not isinstance(moment, datetime):
        return ""
    now = now or timezone.now()
    if (now - moment).total_seconds() < 60:
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": duration_words(moment, now)}


def addresses_of(contacts) -> list[str]:
    """The addresses of a draft's recipients, for listing."""
    return [contact.address for contact in contacts or ()]


def listing(items) -> str:
    """Items joined the reader's way: "a, b" in English, "a、b" in Chinese (escaped like any value)."""
    from django.utils.translation import gettext

    return gettext(", ").join(str(item) for item in items or () if str(item))


def html_lang(code: str) -> str:
    """A Django language code as a BCP 47 tag for <html lang>: "zh-hans" reads "zh-Hans"."""
    return translation.to_locale(code or "").replace("_", "-")
