"""Bytes to text when the declared charset is missing, too narrow or wrong.

Mail programs label text loosely: "gb2312" bodies hold GBK or GB18030 characters, Japanese
Windows mail says "shift_jis" but uses Microsoft's extensions, and some clients send GBK or
UTF-8 text labelled latin-1. The declared charset is tried strictly first; then UTF-8; then
charset-normalizer's guess; then the declared charset with replacement characters.
"""

from __future__ import annotations

import codecs
from email.header import decode_header

from charset_normalizer import from_bytes

# Declared names mapped to the superset that decodes everything the declared one does.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "unknown-8bit": "",
}
# Charsets in which every byte sequence decodes, so a strict decode proves nothing.
SINGLE_BYTE_WESTERN = {"cp1252", "latin_1", "iso8859-15", "iso8859_15"}
# Encodings that write non-ASCII text with ASCII bytes and escape sequences.
STATEFUL = ("iso2022", "utf_7", "utf-7", "hz")
# A guess is trusted over a single-byte label only for these multi-byte families.
MULTI_BYTE = ("gb", "big5", "shift_jis", "cp932", "euc", "iso2022", "cp949", "cp950", "utf_8", "utf-8", "johab")


def codec_for(declared: str | None) -> str:
    """A Python codec name for the declared charset, or "" when Python does not know it."""
    name = (declared or "").strip().strip('"').lower()
    name = SUPERSETS.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return ""


def _guess(data: bytes) -> str:
    try:
        best = from_bytes(data[:200_000]).best()
    except Exception:
        return ""
    return codec_for(best.encoding) if best is not None else ""


def decode_text(data: bytes, declared: str | None) -> tuple[str, bool]:
    """The text, and whether it had to be decoded with something other than the declared charset."""
    codec = codec_for(declared)
    if data.isascii() and not codec.startswith(STATEFUL):
        return data.decode("ascii"), False
    if codec and codec not in SINGLE_BYTE_WESTERN:
        try:
            return data.decode(codec), False
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        return text, codec not in ("utf-8", "")
    except UnicodeDecodeError:
        pass
    guess = _guess(data)
    if codec in SINGLE_BYTE_WESTERN:
        if guess and guess.startswith(MULTI_BYTE) and guess not in SINGLE_BYTE_WESTERN:
            try:
                return data.decode(guess), True
            except UnicodeDecodeError:
                pass
        return data.decode(codec, "replace"), False
    if guess:
        try:
            return data.decode(guess), bool(codec)
        except UnicodeDecodeError:
            pass
    return data.decode(codec or "utf-8", "replace"), True


def decode_header_text(raw: str, fallback_charset: str | None = None) -> str:
    """A raw header value as text: RFC 2047 words decoded, raw 8-bit bytes decoded by guessing."""
    raw = raw or ""
    try:
        pieces = decode_header(raw)
    except Exception:
        pieces = [(raw, None)]
    out = []
    for value, charset in pieces:
        if isinstance(value, str):
            value = value.encode("utf-8", "surrogateescape")
        out.append(decode_text(value, charset or fallback_charset)[0])
    return "".join(out)
