"""Finding personal data in an email without the reporter saying so: Chinese ID, mobile and bank card
numbers, and words such as 身份证号 or payroll.

Numbers are recognised by their structure, not by any run of digits: a resident ID must pass its
check digit and name a real birth place and date (python-stdnum's cn.ric), a bank card must pass
Luhn and either be grouped like a card or follow a card/account word (a bare 16-digit order number
passes Luhn one time in ten). Only the last four characters of a number are ever kept, so the
stored assessment does not copy the personal data it warns about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn
from stdnum.cn import ric

from incidents.assessment.signals import find_words_at, normalised

ID_NUMBER = "id_number"
MOBILE_NUMBER = "mobile_number"
BANK_CARD = "bank_card"
WORD = "word"

BODY = "body"
SUBJECT = "subject"
ATTACHMENT = "attachment"

# Kept in the factor's params; the explanation says "and N more" for the rest.
MAX_KEPT = 20

# A number glued to letters or digits is part of something else (an order code, a longer run).
_BEFORE = r"(?<![0-9A-Za-z])"
_AFTER = r"(?![0-9A-Za-z])"
# 6 (place) + 8 (birth date) + 3 (order) + check character, optionally written in those groups.
_ID = re.compile(rf"{_BEFORE}\d{{6}}([ -]?)\d{{8}}\1\d{{3}}[0-9Xx]{_AFTER}")
# 11 digits from 13x to 19x, written whole or 3-4-4, optionally with the country code.
_MOBILE = re.compile(rf"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d([ -]?)\d{{4}}\1\d{{4}}{_AFTER}")
# Grouped in fours like a printed card ("6222 0212 3456 7890"), 16 to 19 digits.
_CARD_GROUPED = re.compile(rf"{_BEFORE}\d{{4}}([ -])\d{{4}}\1\d{{4}}\1\d{{4}}(?:\1\d{{1,3}})?{_AFTER}")
_CARD_RUN = re.compile(rf"{_BEFORE}\d{{16,19}}{_AFTER}")
# A run of 16-19 digits is a card only right after one of these (labels come before values).
_CARD_WORD = re.compile(
    r"卡号|卡號|银行卡|銀行卡|账号|賬號|帳號|账户|賬戶|帳戶|\bcard\b|\baccount\b|\ba/c\b|\bacct\b",
    re.IGNORECASE,
)
CARD_WORD_WINDOW = 30
# Every number above is written with these characters only, and is at least 11 long (a mobile number):
# the patterns need only run over such stretches of a long body, not over all of it.
_NUMBER_STRETCH = re.compile(r"[\d(+][\d()+\- Xx]{10,}")

# Without a "-- " line, a signature follows the closing: its phone numbers are the sender's own
# business contacts, in nearly every Chinese email, and no breach. The signature runs to the next
# quoted message, whose text went to the wrong recipient too and is scanned again.
_SIGN_OFF = re.compile(
    r"^[\W_]*(?:best regards|kind regards|warm regards|regards|best wishes|yours sincerely|sincerely"
    r"|yours faithfully|yours truly|此致敬礼|此致敬禮|此致|顺祝商祺|順祝商祺|顺颂商祺|順頌商祺|顺颂时祺|順頌時祺"
    r"|祝商祺|商祺|祝好|敬上)(?:[\W_]*|[,，]\s*[^\d\n]{0,40})$",
    re.IGNORECASE,
)
_QUOTE_HEADER = re.compile(
    r"^\s*(?:-{2,}.*(?:original message|forwarded message|原始邮件|原始郵件|转发邮件|轉寄郵件).*"
    r"|(?:from|发件人|發件人|寄件者|寄件人)\s*[:：].*|on\b.{0,200}\bwrote:\s*|在.{0,100}(?:写道|寫道)[:：]?\s*|>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind, the last four characters (or the word), where it was."""

    kind: str
    value: str
    where: str = BODY
    name: str = ""  # the attachment's file name, when found in one

    def params(self) -> dict[str, str]:
        item = {"kind": self.kind, "value": self.value, "where": self.where}
        if self.name:
            item["name"] = self.name
        return item


def without_signatures(text: str) -> str:
    """The text less each signature that follows a closing line ("Best regards", "此致"), up to
    the next quoted message."""
    lines = text.split("\n")
    return "\n".join(line for line, signature in zip(lines, _in_signature(lines)) if not signature)


def _in_signature(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a signature."""
    flags = []
    in_signature = False
    for line in lines:
        if _QUOTE_HEADER.match(line):
            in_signature = False
        elif _SIGN_OFF.match(line):
            in_signature = True
        flags.append(in_signature)
    return flags


def _normalised_without_signatures(body: str) -> str:
    """normalised(without_signatures(body)), from the body as normalised for the other signals: NFKC keeps
    each line to itself (it never joins characters across a line break, nor makes or removes one), so the
    signature lines, still told from the text as written, are the same lines of the normalised body."""
    flags = _in_signature(body.split("\n"))
    lines = normalised(body).split("\n")
    return "\n".join(line for line, signature in zip(lines, flags) if not signature)


def _ending(number: str) -> str:
    return re.sub(r"[^0-9X]", "", number.upper())[-4:]


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


@lru_cache(maxsize=1024)
def _is_resident_id(number: str) -> bool:
    return ric.is_valid(number)


@lru_cache(maxsize=1024)
def _passes_luhn(number: str) -> bool:
    return luhn.is_valid(number)


def _matches(pattern: re.Pattern[str], text: str, stretches: list[tuple[int, int]]):
    """pattern.finditer(text), run over the stretches only. Each stretch is searched with the character
    after it, so the pattern's look-ahead sees what follows, as it would in the whole text (its look-behind
    sees the text before the stretch anyway)."""
    for start, end in stretches:
        yield from pattern.finditer(text, start, end + 1)


def _numbers(text: str) -> list[tuple[int, str, str]]:
    """(position, kind, last four) of every ID, bank card and mobile number, each span read once."""
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    stretches = [match.span() for match in _NUMBER_STRETCH.finditer(text)]

    def keep(match: re.Match, kind: str) -> None:
        taken.append(match.span())
        found.append((match.start(), kind, _ending(match.group(0))))

    for match in _matches(_ID, text, stretches):
        if _is_resident_id(re.sub(r"[ -]", "", match.group(0))):
            keep(match, ID_NUMBER)
    for match in _matches(_CARD_GROUPED, text, stretches):
        if not _overlaps(match.span(), taken) and _passes_luhn(re.sub(r"[ -]", "", match.group(0))):
            keep(match, BANK_CARD)
    for match in _matches(_CARD_RUN, text, stretches):
        before = text[max(0, match.start() - CARD_WORD_WINDOW) : match.start()]
        if not _overlaps(match.span(), taken) and _CARD_WORD.search(before) and _passes_luhn(match.group(0)):
            keep(match, BANK_CARD)
    for match in _matches(_MOBILE, text, stretches):
        if not _overlaps(match.span(), taken):
            keep(match, MOBILE_NUMBER)
    return found


def personal_data_in(text: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """(kind, value) of the personal data in one text, each once: numbers first, as they say the
    most ("ID number ending 0013" rather than the 身份证号 before it), then words, in text order."""
    text = normalised(text)  # full-width digits: １３８…
    unique: dict[tuple[str, str], None] = {}
    for _position, kind, value in sorted(_numbers(text)):
        unique.setdefault((kind, value), None)
    for _position, word in sorted(find_words_at(text, words)):
        unique.setdefault((WORD, word), None)
    return list(unique)


def find_personal_data(
    *, body: str, subject: str = "", attachments: Iterable[str] = (), words: tuple[str, ...] = ()
) -> tuple[Finding, ...]:
    """Personal data in the body (after signatures), the subject and the attachment names.

    body: the text as scanned for other signals (scannable_text), so disclaimers are already gone.
    """
    body = _normalised_without_signatures(body)
    findings = [Finding(kind, value, BODY) for kind, value in personal_data_in(body, words)]
    findings += [Finding(kind, value, SUBJECT) for kind, value in personal_data_in(subject, words)]
    for name in attachments:
        findings += [Finding(kind, value, ATTACHMENT, name) for kind, value in personal_data_in(name, words)]
    return tuple(findings)


def findings_params(findings: tuple[Finding, ...]) -> dict:
    """What a factor keeps of the findings: the first MAX_KEPT, masked, and how many there were."""
    if not findings:
        return {}
    return {"found": [f.params() for f in findings[:MAX_KEPT]], "found_total": str(len(findings))}


__all__ = ["Finding", "find_personal_data", "findings_params", "personal_data_in", "without_signatures"]
