"""Finding every place where any of a list of terms matches in a long text, in one pass of one regex.

The signal lists hold some 150 words and 30 currency markers; a regex per term over a 50 KB body
made an assessment take tens of milliseconds. Here one alternation of all the terms runs over the
lower-cased text, and the few places where a term could start inside another's match ("内部" in
"仅供内部", "$" in "US$") are tried one by one, so every match of every term is found, overlapping
ones included, as a regex per term would find them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby

# Between the parts of a term of several words: "unit price" is also unit_price, unit-price, UnitPrice.
SEPARATOR = r"[\s_.\-]*"

Term = tuple[str, ...]  # a term's lower-cased parts


def term_pattern(parts: Term) -> str:
    return SEPARATOR.join(re.escape(part) for part in parts)


def _after_first(parts: Term) -> str:
    """The term's pattern after its first character, with an empty group at the end of a term of several parts."""
    return term_pattern((parts[0][1:], *parts[1:])) + ("()" if len(parts) > 1 else "")


def is_case_safe(text: str) -> bool:
    """Whether lower-casing the text keeps every character in place and IGNORECASE matching the same.

    So it is when no character outside ASCII has a case (CJK, digits and punctuation have none): the
    few that match a letter they do not lower-case to (ı, ſ, ς, K) or lower-case to two characters
    (İ) are all letters with a case. bytes.lower() changes ASCII letters only, so the two encodings
    agree exactly when lower() and upper() leave every other character alone."""
    encoded = text.encode("utf-8", "surrogatepass")
    return (
        text.lower().encode("utf-8", "surrogatepass") == encoded.lower()
        and text.upper().encode("utf-8", "surrogatepass") == encoded.upper()
    )


@lru_cache(maxsize=8)
def folded(text: str) -> str | None:
    """The text lower-cased, where that lines up with IGNORECASE matching (else None); each long body is
    folded once for all the lists scanned in it."""
    return text.lower() if is_case_safe(text) else None


class TermScanner:
    """Where each of the terms matches in a lower-cased text: every start, overlapping matches included."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        # Grouped by first character, longest first within a group, so the alternation reports "unit price"
        # rather than the "unit" it starts with, and tries only the terms that begin with the character found.
        self.terms = tuple(sorted(dict.fromkeys(terms), key=lambda parts: (parts[0][0], -len(" ".join(parts)))))
        # A term of one part is told by the text matched; one of several parts (whose text varies with the
        # separators) by an empty group at its end. Groups at the start would cost the regex its quick skip
        # to the characters that begin a term.
        self.literals = {parts[0]: index for index, parts in enumerate(self.terms) if len(parts) == 1}
        self.by_group = [index for index, parts in enumerate(self.terms) if len(parts) > 1]
        self.alternation = re.compile(
            "|".join(
                re.escape(first) + "(?:" + "|".join(_after_first(parts) for parts in group) + ")"
                for first, group in groupby(self.terms, key=lambda parts: parts[0][0])
            )
        )
        self.patterns = tuple(re.compile(term_pattern(parts)) for parts in self.terms)
        self.inside = tuple(self._may_start_inside(index) for index in range(len(self.terms)))
        self.starting_with: dict[str, list[int]] = {}
        for index, parts in enumerate(self.terms):
            self.starting_with.setdefault(parts[0][0], []).append(index)

    def _may_start_inside(self, index: int) -> tuple[tuple[int, int, int | None], ...] | None:
        """(offset, term, end) of each other term that could match at that offset of a match of this one, with
        the offset its match ends at when it certainly matches there (a word within this one) or None; None
        for a term of several parts, whose matches vary with the separators."""
        parts = self.terms[index]
        if len(parts) > 1:
            return None
        pairs = []
        for offset in range(len(parts[0])):
            rest = parts[0][offset:]
            for other, other_parts in enumerate(self.terms):
                # At the same start, the alternation tried every earlier term first (the terms with the same
                # first character come in this order), and none matched.
                if offset == 0 and other <= index:
                    continue
                if len(other_parts) == 1 and rest.startswith(other_parts[0]):
                    pairs.append((offset, other, offset + len(other_parts[0])))
                elif rest.startswith(other_parts[0]) or other_parts[0].startswith(rest):
                    pairs.append((offset, other, None))
        return tuple(pairs)

    def _candidates(self, index: int, lowered: str, start: int, end: int):
        if self.inside[index] is not None:
            return self.inside[index]
        return (
            (offset, other, None)
            for offset in range(end - start)
            for other in self.starting_with.get(lowered[start + offset], ())
            if not (offset == 0 and other <= index) and lowered.startswith(self.terms[other][0], start + offset)
        )

    def matches(self, lowered: str) -> dict[Term, list[tuple[int, int]]]:
        """Each term found: its (start, end) at every position where its pattern matches, in order.

        Every such position is found: one outside all the alternation's matches would have been the
        alternation's next match; one inside a match is among the candidates tried there."""
        found: list[list[tuple[int, int]]] = [[] for _term in self.terms]
        for match in self.alternation.finditer(lowered):
            start = match.start()
            index = self.literals[match.group()] if match.lastindex is None else self.by_group[match.lastindex - 1]
            found[index].append(match.span())
            for offset, other, end in self._candidates(index, lowered, start, match.end()):
                if end is not None:
                    found[other].append((start + offset, start + end))
                    continue
                inner = self.patterns[other].match(lowered, start + offset)
                if inner:
                    found[other].append(inner.span())
        return {parts: sorted(spans) for parts, spans in zip(self.terms, found) if spans}


def one_after_another(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches finditer would report among all of a term's matches: each starts where the last ended, or later."""
    kept, end = [], 0
    for span in spans:
        if span[0] >= end:
            kept.append(span)
            end = span[1]
    return kept


@lru_cache(maxsize=64)
def scanner_for(terms: tuple[Term, ...]) -> TermScanner | None:
    """A scanner for the terms, None when a term has a letter with a case outside ASCII (such lists are
    searched a regex per term)."""
    if not terms or not all(is_case_safe(part) for parts in terms for part in parts):
        return None
    return TermScanner(terms)
