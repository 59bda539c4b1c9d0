"""How times, durations, amounts and lists read on pages, in list rows and in emails: the reader's
zone and language, one set of rules for all of them."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache, partial
from operator import attrgetter

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, timezone, translation
from django.utils.formats import FORMAT_SETTINGS, get_format, reset_format_cache

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


# The formats pages use, by Django's names: what the reader's language writes (Django's locale formats,
# or the site's own where it writes a language differently, in project/formats/). "Y-m-d H:i" in
# English, "Y年n月j日 H:i" in Chinese.
PAGE_FORMAT = "SHORT_DATETIME_FORMAT"
ISO_DATE = "Y-m-d"
_NAMED_FORMATS = frozenset(name for name in FORMAT_SETTINGS if name.endswith("_FORMAT"))


def localised_format(format_string: str, language: str | None = None) -> str:
    """A format as the language writes it: a Django format name ("SHORT_DATETIME_FORMAT", "TIME_FORMAT")
    is the language's; a format string written with the ISO day ("Y-m-d H:i:s", which has no Django
    name) takes the language's short date in its place ("Y年n月j日 H:i:s" in Chinese)."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    if format_string in _NAMED_FORMATS:
        return get_format(format_string, language)
    return format_string.replace(ISO_DATE, get_format("SHORT_DATE_FORMAT", language))


# dateformat.format() reads its format string anew on each call, and lists call it on every row. A
# format made only of numbers (every format the pages use, in each language) is read once instead,
# into a printf template and the fields it fills, which write what dateformat writes.
_NUMBERS = {
    "Y": ("%04d", "year"),
    "m": ("%02d", "month"),
    "n": ("%d", "month"),
    "d": ("%02d", "day"),
    "j": ("%d", "day"),
    "H": ("%02d", "hour"),
    "G": ("%d", "hour"),
    "i": ("%02d", "minute"),
    "s": ("%02d", "second"),
}
_DATEFORMAT_LETTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")


@lru_cache(maxsize=256)
def quick_format(format_string: str):
    """A function writing ``moment`` as ``dateformat.format(moment, format_string)`` does, or None when
    the format needs dateformat: names of months or days, a.m./p.m., zones, or escapes."""
    if "\\" in format_string:
        return None
    template, fields = [], []
    for char in format_string:
        if char in _NUMBERS:
            template.append(_NUMBERS[char][0])
            fields.append(_NUMBERS[char][1])
        elif char in _DATEFORMAT_LETTERS:
            return None
        else:
            template.append("%%" if char == "%" else char)
    template = "".join(template)
    if not fields:
        return lambda moment: format_string
    values = attrgetter(*fields)  # one field gives one number, more give a tuple: % takes either
    return lambda moment: template % values(moment)


class _QuickFormats(Mapping):
    """The quick functions by format string (the one Django's formats give). Listing it gives the
    formats the pages use in each of the site's languages: each must have its quick function."""

    PAGE_FORMATS = (PAGE_FORMAT, "SHORT_DATE_FORMAT", "TIME_FORMAT", "Y-m-d H:i:s", "H:i:s")

    def __getitem__(self, format_string: str):
        quick = quick_format(format_string)
        if quick is None:
            raise KeyError(format_string)
        return quick

    def __iter__(self):
        used = {localised_format(name, code) for code, _name in settings.LANGUAGES for name in self.PAGE_FORMATS}
        return iter(sorted(used))

    def __len__(self) -> int:
        return sum(1 for _format_string in self)


QUICK_FORMATS = _QuickFormats()


def _dateformat(format_string: str, moment: datetime) -> str:
    return dateformat.format(moment, format_string)


# What writes a format in a language, looked up once: a list asks for the same one on every row.
_WRITERS: dict = {}
_WRITERS_KEPT = 512


@receiver(setting_changed)
def _forget_writers(setting, **kwargs) -> None:
    if setting == "FORMAT_MODULE_PATH":
        reset_format_cache()  # Django forgets its formats when one of them changes, not their modules
    if setting in FORMAT_SETTINGS or setting in {"FORMAT_MODULE_PATH", "LANGUAGES", "LANGUAGE_CODE"}:
        _WRITERS.clear()


def _writer(format_string: str):
    key = (format_string, translation.get_language())
    writer = _WRITERS.get(key)
    if writer is None:
        if len(_WRITERS) >= _WRITERS_KEPT:
            _WRITERS.clear()
        localised = localised_format(format_string, key[1])
        writer = _WRITERS[key] = quick_format(localised) or partial(_dateformat, localised)
    return writer


def format_when(value: datetime, format_string: str = PAGE_FORMAT, zone=None) -> str:
    """A stored time in the given zone (else the active one), localised and naming the zone."""
    write = _writer(format_string)
    if timezone.is_naive(value):
        return write(value)  # no zone known, so none claimed
    local = timezone.localtime(value, zone)
    return f"{write(local)} {zone_label(local)}"


def when(value, format_string: str = PAGE_FORMAT) -> str:
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
