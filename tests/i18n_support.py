"""Helpers for the language tests: a compiled catalogue, and the visible text of a page by language."""

from __future__ import annotations

import os
import re
import tempfile
import zoneinfo
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def read_catalogue(path: Path = CATALOGUE):
    with open(path, "rb") as stream:
        return read_po(stream, locale="zh_Hans")


def ensure_compiled(path: Path = CATALOGUE) -> None:
    """Build the .mo next to the .po when it is missing or older (as `make test` does), atomically."""
    mo = path.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime:
        return
    catalogue = read_catalogue(path)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    with os.fdopen(handle, "wb") as stream:
        write_mo(stream, catalogue)
    os.replace(temporary, mo)


# What a page shows a person: text, and the attributes browsers show or read aloud.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


def visible_text(html: str, *, page_language: str) -> list[str]:
    """Pieces of text shown on the page in its own language (elements marked with another lang= are left out)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "template", "code"]):
        element.decompose()
    for element in soup.find_all(attrs={"lang": True}):
        if element.name != "html" and not element["lang"].lower().startswith(page_language):
            element.decompose()
    pieces = [
        text.strip()
        for text in soup.find_all(string=True)
        if text.strip() and not isinstance(text, (Comment, Declaration, Doctype, ProcessingInstruction))
    ]
    for element in soup.find_all(True):
        pieces += [element[name] for name in SHOWN_ATTRIBUTES if element.get(name)]
        if element.name == "input" and element.get("type") in ("submit", "button") and element.get("value"):
            pieces.append(element["value"])
        if element.name == "option" and element.get("value") == "":
            pieces.append(element.get_text())
    return pieces


# Not English words, wherever they stand: addresses, links, file names, codes, hashes, zones and
# names of products, formats and protocols (written the same in every language).
NOT_WORDS = [
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+",  # email addresses
    r"https?://\S+",  # links
    r"(?<![\w/])/[\w./-]+",  # paths (/tmp/x/sent.eml)
    r"\b[\w-]+(\.[\w-]+)+\b",  # domains and file names (globex.com.cn, 报价单.pdf)
    r"\b[A-Za-z]+/[A-Za-z_]+\b",  # time zone names (Asia/Shanghai)
    r"\b[a-z]+(_[a-z]+)+(:[\w.:-]+)?",  # codes (wrong_recipient, correction:globex.com.cn)
    r"\b[0-9a-f]{16,}\b",  # hashes
    r"\b\w*\d\w*(-\w+)*\b",  # anything with a digit (Q-2041, UTC+08:00, DN50)
    r"<[^>]+@[^>]+>",  # Message-IDs
]
ALLOWED_WORDS = {
    # the product, and names that are never translated
    "Missend",
    "Desk",
    "SHA",
    "API",
    "JSON",
    "HTML",
    "CSV",
    "UTF",
    "PDF",
    "ZIP",
    "RTF",
    "SMTP",
    "LMTP",
    "Microsoft",
    "Exchange",
    "Outlook",
    "Gmail",
    "Google",
    "Workspace",
    "QQ",
    "NetEase",
    "Aliyun",
    "Lotus",
    "Notes",
    "HCL",
    "IBM",
    "Thunderbird",
    "Word",
    "Excel",
    "Office",
    "Webhook",
    "Jinja",
    "Message-ID",
    "Message",
    "ID",
    "eml",
    "msg",
    "winmail",
    "dat",
    "Ctrl",
    # the drafts' own languages, named in themselves
    "English",
    # trade terms and laws known by these names (Incoterms, GDPR, PIPL, CISG)
    "FOB",
    "fob",
    "CIF",
    "cif",
    "EXW",
    "exw",
    "DDP",
    "ddp",
    "GDPR",
    "PIPL",
    "CISG",
    # time zone abbreviations and currency codes
    "UTC",
    "GMT",
    "CST",
    "HKT",
    "JST",
    "KST",
    "SGT",
    "CET",
    "CEST",
    "EET",
    "BST",
    "EST",
    "EDT",
    "PST",
    "PDT",
    "USD",
    "EUR",
    "CNY",
    "RMB",
    "GBP",
    "JPY",
    "HKD",
}


def english_words(pieces: list[str], allowed: set[str] = frozenset()) -> list[str]:
    """Each piece still holding an English word once addresses, codes and names are taken out.

    allowed: the data's own words (user names, the codes a command takes); a piece that is a time
    zone's name (a choice on the account page) is an identifier, not a word.
    """
    found = []
    for piece in pieces:
        if piece in ZONE_NAMES:
            continue
        rest = piece
        for pattern in NOT_WORDS:
            rest = re.sub(pattern, " ", rest)
        words = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in ALLOWED_WORDS and w not in allowed]
        if words:
            found.append(f"{', '.join(words)}  ⟵  {piece[:160]!r}")
    return found


ZONE_NAMES = frozenset(zoneinfo.available_timezones())
HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def chinese_text(pieces: list[str], allowed: set[str] = frozenset()) -> list[str]:
    """Each piece holding Chinese characters or punctuation (other than the allowed strings)."""
    found = []
    for piece in pieces:
        rest = piece
        for text in allowed:
            rest = rest.replace(text, " ")
        if HAN.search(rest):
            found.append(repr(piece[:160]))
    return found
