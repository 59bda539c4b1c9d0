"""The pre-send check: a draft in, warnings out, each naming the address, organisation or figure.

Pure: plain data in (the draft, the directory, the word lists, the price floors), plain data out.
The "Before you send" page, POST /api/precheck/ and the hold-and-check relay all call check_draft.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from operator import add

from incidents.assessment import Directory, Party, Signals, find_personal_data, scannable_text
from incidents.assessment.personal_data import findings_params
from incidents.assessment.signals import amount_spans, find_words, normalised, word_spans
from incidents.precheck.amounts import Price, read_price
from incidents.vocabulary import OrganisationKind, WarningCode


@dataclass(frozen=True)
class OutgoingDraft:
    """A message about to be sent: who it goes to, and what it says and carries."""

    recipients: tuple[Party, ...]
    subject: str = ""
    body: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class FloorPrice:
    """The lowest price the company quotes in a currency, for one product (named by any of its words)
    or, with no words, for anything priced in that currency."""

    currency: str
    floor: Decimal
    product: str = ""
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckContext:
    directory: Directory
    signals: Signals
    # Names a draft may call a client by (organisation names, their contacts' names) -> the organisation.
    client_names: Mapping[str, str] = field(default_factory=dict)
    floors: tuple[FloorPrice, ...] = ()
    attachment_words: tuple[str, ...] = ()

    @cached_property
    def name_pairs(self) -> tuple[tuple[str, str, frozenset[str]], ...]:
        """Each client name, case-folded, with the pairs of adjacent characters it holds (kept with the context,
        which lives as long as the directory does)."""
        return tuple((name, name.casefold(), frozenset(_pairs(name.casefold()))) for name in self.client_names)


@dataclass(frozen=True)
class Warning:
    """One reason to look again before sending: a stable code and the names and figures it concerns."""

    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def sentence(self) -> str:
        from incidents.precheck.sentences import describe_warning

        return describe_warning(self)


def _unquoted(body: str) -> str:
    """The body without the disclaimer and the quoted earlier messages ("> ..."): they are not this draft's words."""
    lines = [line for line in body.splitlines() if not line.lstrip().startswith(">")]
    return scannable_text("\n".join(lines))


def _pairs(text: str) -> set[str]:
    return set(map(add, text, text[1:]))


def _names_in(text: str, context: CheckContext) -> list[str]:
    """The organisations the text names, in the order of the names' first appearance.

    Cheap passes first: a name whose character pairs are not all in the text cannot be in it (set lookups
    instead of a search of the whole text per name: a directory has thousands of client and contact names),
    then the substring, then find_words' rules for a word."""
    folded = text.casefold()
    pairs = _pairs(folded)
    present = tuple(
        name for name, name_folded, name_pairs in context.name_pairs if name_pairs <= pairs and name_folded in folded
    )
    found: list[str] = []
    for name in find_words(text, present) if present else ():
        organisation = context.client_names[name]
        if organisation not in found:
            found.append(organisation)
    return found


def _floor_for(price: Price, product: str, floors: tuple[FloorPrice, ...]) -> FloorPrice | None:
    same = [f for f in floors if f.currency == price.currency]
    return next((f for f in same if product and f.product == product), None) or next(
        (f for f in same if not f.words), None
    )


class _Scan:
    """One pass over the draft's text: where its amounts, internal words and product names are, and the
    lines and clauses (split at , ; ， ； 、) they fall in."""

    CLAUSE_BREAK = re.compile(r"[\n,;，；、]")  # the text is NFKC-normalised: full-width ，； are , ;

    def __init__(self, text: str, context: CheckContext) -> None:
        self.text = normalised(text)
        markers = context.signals.currency_markers
        self.amounts = sorted(amount_spans(self.text, markers))
        self.internal = word_spans(self.text, context.signals.internal_words)
        words = {word: f.product for f in context.floors for word in f.words}
        self.products = [
            (start, end, words_product)
            for start, end, word in word_spans(self.text, tuple(words))
            for words_product in [_product_of(word, words)]
        ]
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        self.breaks = [match.start() for match in self.CLAUSE_BREAK.finditer(self.text)]

    def line_of(self, position: int) -> int:
        return bisect_right(self.line_starts, position) - 1

    def clause_start(self, position: int) -> int:
        index = bisect_left(self.breaks, position)
        return self.breaks[index - 1] + 1 if index else 0

    def clause_end(self, position: int) -> int:
        index = bisect_left(self.breaks, position)
        return self.breaks[index] if index < len(self.breaks) else len(self.text)

    def costs(self) -> list[tuple[int, str, list[str]]]:
        """(start, snippet, internal words) of each amount with an internal word in its clause ("成本 USD 3.20，
        报价 USD 4.00": the first is a cost, the second the price quoted)."""
        found = []
        for start, end, snippet in self.amounts:
            clause = (self.clause_start(start), self.clause_end(end))
            words = [word for at, _e, word in self.internal if clause[0] <= at < clause[1]]
            if words:
                found.append((start, snippet, words))
        return found

    def prices(self, context: CheckContext, skip: set[int]) -> list[tuple[str, Price]]:
        """Each price with the product it is for: the last product named before it in its clause, else the
        product named on its line when the line names one and prices one thing, else, on a line naming no
        product, the only product the whole text names unless that product has its own price elsewhere
        ("PVC pipe USD 2.50" then "valve USD 1.50": the valve's price is no PVC pipe's)."""
        everywhere = list(dict.fromkeys(product for _s, _e, product in self.products))
        products_on: dict[int, list[tuple[int, str]]] = {}
        for start, _end, product in self.products:
            products_on.setdefault(self.line_of(start), []).append((start, product))
        amounts_on: dict[int, int] = {}
        for start, _end, _snippet in self.amounts:
            amounts_on[self.line_of(start)] = amounts_on.get(self.line_of(start), 0) + 1
        found: list[tuple[str | None, Price]] = []
        for start, _end, snippet in self.amounts:
            price = read_price(snippet, context.signals.currency_markers)
            if price is None or start in skip:
                continue
            line = self.line_of(start)
            clause = self.clause_start(start)
            named = products_on.get(line, [])
            before = [product for at, product in named if clause <= at < start]
            on_line = list(dict.fromkeys(product for _at, product in named))
            if before:
                product = before[-1]
            elif len(on_line) == 1 and amounts_on[line] == 1:
                product = on_line[0]
            else:
                product = None if not on_line else ""  # None: decided below, once every line is read
            found.append((product, price))
        priced = {product for product, _price in found if product}
        only = everywhere[0] if len(everywhere) == 1 and everywhere[0] not in priced else ""
        return [(only if product is None else product, price) for product, price in found]


def _product_of(word: str, words: dict[str, str]) -> str:
    """The product a listed word names (word_spans reports words normalised, as the lists write them)."""
    if word in words:
        return words[word]
    folded = " ".join(word.split()).casefold()
    return next((p for w, p in words.items() if " ".join(w.split()).casefold() == folded), "")


def _money(value: Decimal, currency: str) -> str:
    return f"{currency} {value:,.2f}"


def check_draft(draft: OutgoingDraft, context: CheckContext) -> tuple[Warning, ...]:
    """Every warning the draft earns, in the order a reader should look at them: who it goes to, what it
    says, what it carries."""
    directory = context.directory
    addresses = [p.address for p in draft.recipients]
    external = [a for a in addresses if directory.is_external(a)]
    body = _unquoted(draft.body)
    text = f"{draft.subject}\n{body}"
    warnings: list[Warning] = []

    for address in addresses:
        if directory.is_competitor(address):
            warnings.append(
                Warning(
                    WarningCode.COMPETITOR_RECIPIENT,
                    {"address": address, "organisation": directory.organisation_name(address)},
                )
            )

    named = _names_in(text + "\n" + "\n".join(draft.attachments), context)
    if named:
        for address in addresses:
            entry = directory.entry_for(address)
            if entry is not None and entry.kind == OrganisationKind.CLIENT and entry.name not in named:
                warnings.append(
                    Warning(
                        WarningCode.OTHER_CLIENT_RECIPIENT,
                        {"address": address, "organisation": entry.name, "named": named},
                    )
                )

    if external:
        scan = _Scan(text, context)
        words = list(dict.fromkeys(word for _s, _e, word in scan.internal))
        in_names = [n for n in draft.attachments if find_words(n, context.signals.internal_words)]
        if words or in_names:
            warnings.append(
                Warning(
                    WarningCode.INTERNAL_WORDS_OUTSIDE,
                    {"words": words, "attachments": in_names, "recipients": external},
                )
            )
        # A figure in a clause with an internal word ("our cost is USD 2.90") is a cost, not a price quoted.
        figures, near, costs = [], [], set()
        for start, snippet, clause_words in scan.costs():
            costs.add(start)
            figures += [snippet] if snippet not in figures else []
            near += [w for w in clause_words if w not in near]
        if figures:
            warnings.append(
                Warning(WarningCode.COST_FIGURES_OUTSIDE, {"figures": figures, "words": near, "recipients": external})
            )
        seen = set()
        for product, price in scan.prices(context, costs):
            floor = _floor_for(price, product, context.floors)
            if floor is not None and price.value < floor.floor and (price.text, floor.product) not in seen:
                seen.add((price.text, floor.product))
                warnings.append(
                    Warning(
                        WarningCode.PRICE_BELOW_FLOOR,
                        {
                            "figure": price.text,
                            "product": floor.product,
                            "currency": floor.currency,
                            "floor": _money(floor.floor, floor.currency),
                        },
                    )
                )

    if not draft.attachments:
        mentioned = find_words(text, context.attachment_words)
        if mentioned:
            warnings.append(Warning(WarningCode.ATTACHMENT_MISSING, {"words": mentioned}))

    if external:
        findings = find_personal_data(
            body=body, subject=draft.subject, attachments=draft.attachments, words=context.signals.personal_data_words
        )
        if findings:
            warnings.append(
                Warning(WarningCode.PERSONAL_DATA_OUTSIDE, {**findings_params(findings), "recipients": external})
            )
    return tuple(warnings)
