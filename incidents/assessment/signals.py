"""Finding pricing and internal-only wording in an email's subject, body and attachment names.

Text is read in NFKC form, so the full-width letters and digits Chinese input methods type
(ＦＯＢ, １２.５０) match like plain ones. (Personal data is found in personal_data.py.)

Signature blocks and legal disclaimers are boilerplate the sender did not write for this
message ("confidential", "intended only for the addressee"), so they are never scanned.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from incidents.assessment.terms import Term, folded, one_after_another, scanner_for, term_pattern
from incidents.assessment.types import Signals

_SIGNATURE_LINE = re.compile(r"^--[ \t]*$", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")

# Each pattern is one way a disclaimer says who the message is for or what a wrong reader must do.
_RECIPIENT = r"(?:addressee|recipient|individual|person|entity|party)"
_MESSAGE = r"(?:e-?mail|message|communication|transmission|mail)"
_ZH_WHICH = r"的?(?:指定|预期|預期|目标|目標|授权|授權|原定|上述|所列)?的?"
_DISCLAIMER_PATTERNS = (
    # "intended only for the addressee", "intended solely for the use of the individual"
    rf"\bintended (?:only |solely |exclusively )?for (?:the )?(?:sole |exclusive |personal )?(?:use of )?"
    rf"(?:the )?(?:named |intended |designated |above |above-named )?{_RECIPIENT}",
    # "for the sole use of the intended recipient", "for the addressee only"
    rf"\bfor the (?:sole |exclusive |personal )?use of the (?:named |intended |designated )?{_RECIPIENT}",
    r"\bfor the (?:named |intended )?(?:addressee|recipient)s? only\b",
    r"\bto (?:whom|which) (?:it|they|this \w+) (?:is|are) addressed\b",
    # "if you are not the intended recipient", "not an authorised recipient"
    r"\bnot (?:the|an) (?:intended |named |designated |addressed |authori[sz]ed )?(?:addressee|recipient)\b",
    rf"\breceived this {_MESSAGE}(?: and any attachments?)? (?:in error|by mistake|by error|erroneously|mistakenly)",
    r"\bnotify the sender\b.{0,60}\bdelete\b",
    # 本邮件仅供指定收件人使用 / 僅限收件人閱讀; phrases are tight because 仅 and 非 are everyday words.
    rf"(?:仅|僅|只)(?:供|限|发给|發給|发送给|發送給|适用于|適用於)?{_ZH_WHICH}(?:收件人|收信人|收件者|收件方)",
    r"(?:本|此|该|該)(?:邮件|郵件|电邮|電郵|信息|訊息).{0,20}?(?:仅|僅|只)(?:供|限|发给|發給|发送给|發送給)",
    # 如果您不是指定的收件人 / 若您并非本邮件收件人
    rf"(?:不是|并非|並非|非)(?:本邮件|本郵件|此邮件|此郵件)?{_ZH_WHICH}(?:收件人|收信人|收件者)",
    r"(?:误收|誤收|错收|錯收|错误地?收到|錯誤地?收到)",
    r"(?:通知发件人|通知發件人|通知寄件人).{0,15}(?:删除|刪除)",
)
_DISCLAIMER = re.compile("|".join(f"(?:{p})" for p in _DISCLAIMER_PATTERNS), re.IGNORECASE | re.DOTALL)
# A heading on its own paragraph just above a disclaimer belongs to it ("CONFIDENTIALITY NOTICE:").
_DISCLAIMER_HEADING = re.compile(
    r"^\W*(?:confidential(?:ity)?(?: notice| note| statement| disclaimer)?|(?:e-?mail |legal )?disclaimer"
    r"|legal notice|免责声明|免責聲明|保密声明|保密聲明|保密提示|保密条款)\W*$",
    re.IGNORECASE,
)
# Every disclaimer pattern holds one of these, so a paragraph without any needs no closer look. In a
# lower-cased text (see terms.folded) they are found without IGNORECASE, which is several times faster.
_DISCLAIMER_WORDS = (
    r"intended|addresse|recipient|individual|person|entity|party|received|notify"
    r"|仅|僅|只|收件|收信|误收|誤收|错收|錯收|错误|錯誤|通知"
)
_DISCLAIMER_WORD = re.compile(_DISCLAIMER_WORDS, re.IGNORECASE)
_DISCLAIMER_WORD_FOLDED = re.compile(_DISCLAIMER_WORDS)

_NUMBER = r"\d(?:[\d.,'\u00a0\u202f]*\d)?"
# "3万元", "5千美金": Chinese writes large amounts with a multiplier before the currency.
_MULTIPLIER = r"(?:[万萬千仟百佰亿億][ \t\u00a0]?)?"
# What may stand between the start of an amount and the marker written after it (_NUMBER, spaces, _MULTIPLIER).
_AMOUNT_CHAR = re.compile(r"[\d.,'\u00a0\u202f \t万萬千仟百佰亿億]")
_DIGIT = re.compile(r"\d")


def normalised(text: str) -> str:
    """Full-width forms as their plain ones (１２.５０ＵＳＤ, ＦＯＢ, ：), as Chinese input methods often type them."""
    return _nfkc(text or "")


@lru_cache(maxsize=16)
def _nfkc(text: str) -> str:
    # An assessment reads the same body for pricing words, amounts and internal words: normalise it once.
    return unicodedata.normalize("NFKC", text)


def scannable_text(body: str) -> str:
    """The part of a body its author wrote for this message: no signature, no disclaimers."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    signature = _SIGNATURE_LINE.search(text)
    if signature:
        text = text[: signature.start()]
    paragraphs = _PARAGRAPH_BREAK.split(text)
    suspects = _paragraphs_with_disclaimer_words(text)
    disclaimers = {index for index in suspects if _is_disclaimer(paragraphs[index])}
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index in disclaimers:
            continue
        if index + 1 in disclaimers and _DISCLAIMER_HEADING.match(paragraph.strip()):
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)


def _paragraphs_with_disclaimer_words(text: str) -> set[int]:
    """The indexes (in _PARAGRAPH_BREAK.split order) of the paragraphs holding a disclaimer word: one pass
    over the body instead of the whole disclaimer pattern run on each of hundreds of paragraphs."""
    starts = [0] + [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
    lowered = folded(text)
    words = _DISCLAIMER_WORD.finditer(text) if lowered is None else _DISCLAIMER_WORD_FOLDED.finditer(lowered)
    return {bisect_right(starts, match.start()) - 1 for match in words}


def _is_disclaimer(paragraph: str) -> bool:
    # Disclaimers are often hard-wrapped, so line breaks must not split their key phrases.
    return bool(_DISCLAIMER.search(" ".join(paragraph.split())))


def _is_letter(char: str) -> bool:
    """A letter of a space-separated script; CJK characters count as boundaries."""
    return char.isalpha() and ord(char) < 0x2E80


def _starts_word(text: str, index: int) -> bool:
    if index == 0 or not _is_letter(text[index]):
        return True
    before, first = text[index - 1], text[index]
    if not _is_letter(before):
        return True
    if before.islower() and first.isupper():  # clientQuotation
        return True
    # An acronym run into a capitalised word: "ABCQuote" starts a word at "Q".
    following = text[index + 1] if index + 1 < len(text) else ""
    return before.isupper() and first.isupper() and following.islower()


def _ends_word(text: str, end: int) -> bool:
    if end == len(text) or not _is_letter(text[end - 1]):
        return True
    last, after = text[end - 1], text[end]
    if not _is_letter(after):
        return True
    if last.islower() and after.isupper():  # quotationClientA
        return True
    following = text[end + 1] if end + 1 < len(text) else ""
    return last.isupper() and after.isupper() and following.islower()  # FOBShanghai


def _is_bounded(text: str, start: int, end: int) -> bool:
    return _starts_word(text, start) and _ends_word(text, end)


@lru_cache(maxsize=64)
def _word_patterns(words: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str], Term], ...]:
    """Each word as the list writes it ("FOB", whatever case the email used), its pattern, and its parts
    lower-cased (as a TermScanner looks for it)."""
    patterns = []
    for word in words:
        parts = normalised(word).strip().split()
        if parts:
            # "unit price" also matches unit_price, unit-price and UnitPrice in file names.
            pattern = re.compile(term_pattern(tuple(parts)), re.IGNORECASE)
            patterns.append((" ".join(parts), pattern, tuple(part.lower() for part in parts)))
    return tuple(patterns)


@lru_cache(maxsize=16)
def _amount_patterns(markers: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each marker (lower-cased, to look for it first) and the pattern of an amount written with it."""
    patterns = []
    for marker in dict.fromkeys(normalised(m).strip() for m in markers):
        if marker:
            escaped = re.escape(marker)
            patterns.append(
                (
                    marker.lower(),
                    re.compile(
                        rf"(?P<before>{escaped})[ \t\u00a0:]{{0,3}}-?{_NUMBER}"
                        rf"|{_NUMBER}[ \t\u00a0]{{0,3}}{_MULTIPLIER}(?P<after>{escaped})",
                        re.IGNORECASE,
                    ),
                )
            )
    return tuple(patterns)


# Chinese has no spaces, so a listed word can straddle two words: 完成|本周 ("finish this week")
# holds 成本 (cost). The character after such a match shows the straddle, and it does not count.
_STRADDLES = {"成本": "周週月次年季批单單项項期轮輪份届屆"}


def _each_match(text: str, words: tuple[str, ...]):
    """(word, spans) for each listed word in the text: where its pattern's finditer matches."""
    patterns = _word_patterns(tuple(words))
    scanner = scanner_for(tuple(term for _word, _pattern, term in patterns))
    lowered = folded(text) if scanner is not None else None
    if lowered is None:
        for word, pattern, _term in patterns:
            spans = [m.span() for m in pattern.finditer(text)]
            if spans:
                yield word, spans
        return
    matches = scanner.matches(lowered)
    for word, _pattern, term in patterns:
        if term in matches:
            yield word, one_after_another(matches[term])


def _word_matches(text: str, words: tuple[str, ...]):
    """(word, spans) for each listed word in the text, of its matches that are words: bounded, not straddling
    two Chinese words."""
    for word, spans in _each_match(text, words):
        straddles = _STRADDLES.get(word) or ()
        found = [
            (start, end)
            for start, end in spans
            if _is_bounded(text, start, end) and not (end < len(text) and text[end] in straddles)
        ]
        yield word, found


def find_words_at(text: str, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """(first position, word) of each listed word present in the text as a word.

    A word found only inside a longer listed word is left out: "内部" within "仅供内部", "price"
    within "unit price" say nothing the longer one does not.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for word, found in _word_matches(text, words):
        if found:
            spans[word] = found
    inside = _Containment([span for found in spans.values() for span in found])
    result = []
    for word, found in spans.items():
        first_alone = next((span for span in found if not inside(span)), None)
        if first_alone is not None:
            result.append((first_alone[0], word))
    return result


class _Containment:
    """Whether a span lies inside a longer one of the given spans (a bisection, not a scan: bodies are long)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _end in self.spans]
        self.max_end: list[int] = []
        for _start, end in self.spans:
            self.max_end.append(max(end, self.max_end[-1] if self.max_end else end))

    def __call__(self, span: tuple[int, int]) -> bool:
        start, end = span
        earlier = bisect_left(self.starts, start)
        if earlier and self.max_end[earlier - 1] >= end:
            return True
        same_start = self.spans[earlier : bisect_right(self.starts, start)]
        return any(other_end > end for _s, other_end in same_start)


def find_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed words present in the text as words (CJK words as plain substrings)."""
    return [word for _position, word in find_words_at(normalised(text), words)]


def amount_spans(text: str, markers: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, snippet as written) of every amount with a currency marker in a normalised text, by
    marker (the order find_amounts reports them in)."""
    matches: list[tuple[tuple[int, int], str]] = []
    patterns = _amount_patterns(tuple(markers))
    scanner = scanner_for(tuple((marker,) for marker, _pattern in patterns))
    lowered = folded(text) if scanner is not None else None
    occurrences = scanner.matches(lowered) if lowered is not None else None
    lowered = lowered if lowered is not None else text.lower()
    for marker, pattern in patterns:
        # A pattern cannot match without its marker; each scan of a long body costs.
        if occurrences is None:
            found = pattern.finditer(text) if marker in lowered else ()
        else:
            found = _amounts_at(text, pattern, occurrences.get((marker,), []))
        for match in found:
            group = "before" if match.group("before") is not None else "after"
            # The marker itself must stand alone: "USDT 5" or "5 EURO" are not these currencies.
            if _is_bounded(text, match.start(group), match.end(group)):
                matches.append((match.span(), " ".join(match.group(0).split())))
    inside = _Containment([span for span, _snippet in matches])  # "$9.50" within "US$9.50"
    return [(span[0], span[1], snippet) for span, snippet in matches if not inside(span)]


def _amounts_at(text: str, pattern: re.Pattern[str], markers: list[tuple[int, int]]):
    """What pattern.finditer(text) finds, tried only where an amount can start: at its marker or at a digit
    in the run of digits, separators and spaces just before it.

    Between a match's start and its marker stand only such characters; so when no match starts
    between `position` and one occurrence of the marker, the next can only start after it."""
    position = 0
    for marker_start, _marker_end in markers:
        if marker_start < position:
            continue
        start = marker_start
        while start > position and _AMOUNT_CHAR.match(text, start - 1):
            start -= 1
        for at in range(start, marker_start + 1):
            if at < marker_start and not _DIGIT.match(text, at):  # an amount before its marker starts with a digit
                continue
            match = pattern.match(text, at)
            if match:
                yield match
                position = match.end()
                break


def find_amounts(text: str, markers: tuple[str, ...]) -> list[str]:
    """Amounts written with a currency marker ("USD 12.50", "1.200,50 €", "¥300"), as written."""
    found: list[str] = []
    for _start, _end, snippet in amount_spans(normalised(text), markers):
        if snippet not in found:
            found.append(snippet)
    return found


def word_spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(start, end, word) of every occurrence of the listed words in a normalised text, in order,
    with the same rules as find_words_at (bounded, no straddle, not inside a longer listed word)."""
    spans: list[tuple[int, int, str]] = []
    for word, found in _word_matches(text, words):
        spans += [(start, end, word) for start, end in found]
    inside = _Containment([(start, end) for start, end, _word in spans])
    return sorted(span for span in spans if not inside(span[:2]))


def pricing_signals(text: str, signals: Signals) -> list[str]:
    """Pricing words and currency amounts found in the text, words first."""
    return find_words(text, signals.pricing_words) + find_amounts(text, signals.currency_markers)


def internal_signals(text: str, signals: Signals) -> list[str]:
    return find_words(text, signals.internal_words)


def has_pricing_signal(text: str, signals: Signals) -> bool:
    return bool(pricing_signals(text, signals))


def has_internal_signal(text: str, signals: Signals) -> bool:
    return bool(internal_signals(text, signals))


@dataclass(frozen=True)
class Found:
    """Signals found anywhere, the ones found in the subject, and the file names that carry any."""

    signals: list[str]
    in_subject: list[str]
    attachments: list[str]

    def params(self) -> dict[str, list[str]]:
        return {"signals": self.signals, "subject_signals": self.in_subject, "attachments": self.attachments}


Finder = Callable[[str, Signals], list[str]]
