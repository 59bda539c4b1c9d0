"""The fast signal scan finds exactly what a plain scan finds: a regex per listed word or currency marker over
the whole text, the number patterns over the whole text, the disclaimer pattern on every paragraph.

The plain scans are kept here as the reference; hypothesis mixes listed words (in any case, one inside
another, Chinese next to English), amounts, ID, card and mobile numbers, letters whose case folding is
unusual (İ ı ſ Σ K) and characters that NFKC composes, and every result must be the same, in the same order.
"""

import re
import unicodedata

from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from incidents.assessment import personal_data, signals, terms

WORD_LISTS = (
    tuple(settings.MISSEND_PRICING_WORDS),
    tuple(settings.MISSEND_INTERNAL_WORDS),
    tuple(settings.MISSEND_PERSONAL_DATA_WORDS),
    tuple(settings.MISSEND_ATTACHMENT_WORDS),
)
MARKERS = tuple(settings.MISSEND_CURRENCY_MARKERS)
EXAMPLES = hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The plain scans.


def each_match(text, words):
    patterns = signals._word_patterns(words)
    found = [(word, [m.span() for m in pattern.finditer(text)]) for word, pattern, _term in patterns]
    return [(word, spans) for word, spans in found if spans]


def amount_spans(text, markers):
    matches = []
    for marker, pattern in signals._amount_patterns(markers):
        for match in pattern.finditer(text) if marker in text.lower() else ():
            group = "before" if match.group("before") is not None else "after"
            if signals._is_bounded(text, match.start(group), match.end(group)):
                matches.append((match.span(), " ".join(match.group(0).split())))
    inside = signals._Containment([span for span, _snippet in matches])
    return [(span[0], span[1], snippet) for span, snippet in matches if not inside(span)]


def numbers(text):
    """personal_data._numbers with each pattern run over the whole text."""
    found, taken = [], []
    for match in personal_data._ID.finditer(text):
        if ric.is_valid(re.sub(r"[ -]", "", match.group(0))):
            taken.append(match.span())
            found.append((match.start(), personal_data.ID_NUMBER, personal_data._ending(match.group(0))))
    runs = [(personal_data._CARD_GROUPED, True), (personal_data._CARD_RUN, False)]
    for pattern, grouped in runs:
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - personal_data.CARD_WORD_WINDOW) : match.start()]
            near_word = grouped or personal_data._CARD_WORD.search(before)
            if (
                not personal_data._overlaps(match.span(), taken)
                and near_word
                and luhn.is_valid(re.sub(r"[ -]", "", match.group(0)))
            ):
                taken.append(match.span())
                found.append((match.start(), personal_data.BANK_CARD, personal_data._ending(match.group(0))))
    for match in personal_data._MOBILE.finditer(text):
        if not personal_data._overlaps(match.span(), taken):
            taken.append(match.span())
            found.append((match.start(), personal_data.MOBILE_NUMBER, personal_data._ending(match.group(0))))
    return found


def scannable_text(body):
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    signature = signals._SIGNATURE_LINE.search(text)
    paragraphs = signals._PARAGRAPH_BREAK.split(text[: signature.start()] if signature else text)
    return "\n\n".join(
        paragraph
        for index, paragraph in enumerate(paragraphs)
        if not signals._is_disclaimer(paragraph)
        and not (
            signals._DISCLAIMER_HEADING.match(paragraph.strip())
            and signals._is_disclaimer(paragraphs[index + 1] if index + 1 < len(paragraphs) else "")
        )
    )


# What hypothesis writes.

ALL_WORDS = sorted({word for words in WORD_LISTS for word in words} | set(MARKERS))
spellings = st.sampled_from(ALL_WORDS).flatmap(
    lambda word: st.sampled_from(
        [word, word.upper(), word.title(), word.swapcase(), word.replace(" ", "_"), word.replace(" ", "")]
    )
)
pieces = st.one_of(
    spellings,
    spellings,
    st.from_regex(r"\d{1,19}", fullmatch=True),
    st.sampled_from(
        [
            "USD 12.50",
            "1.200,50 €",
            "3万元",
            "9.5美金",
            "¥300",
            "US$9.50",
            "USDT 5",
            "12 usd",
            "5千美金",
            "１２.５０ＵＳＤ",
            "1\u00a0000 €",
            "1 2 USD",
            "110101199003190013",
            "110101 19900319 0013",
            "6222 0212 3456 7894",
            "卡号6222021234567894",
            "+86 138 1234 5678",
            "(+86)13812345678",
        ]
    ),
    st.sampled_from(
        [
            " ",
            "\n",
            "\n\n",
            "，",
            "。",
            "：",
            "_",
            "-",
            ".",
            "> ",
            "Best regards,\n",
            "If you are not the intended recipient, delete it.",
            "本邮件仅供指定收件人使用",
            "完成本周",
            "仅供内部",
            "报价单",
        ]
    ),
    st.sampled_from([*list("éİıſΣςKµßǅ"), "́", "ｶ", "ﾞ", "ᄀ", "ᅡ", "Ｆ"]),
    st.text(alphabet="abcpqrsuxBCFOPQUS", min_size=1, max_size=5),
)
texts = st.lists(pieces, max_size=30).map("".join)


@st.composite
def overlapping_words(draw):
    """Words made of a few Chinese characters, one inside or across another, and a text made of them."""
    words = tuple(draw(st.lists(st.text(alphabet="万元万元a", min_size=1, max_size=5), min_size=1, max_size=5)))
    markers = tuple(draw(st.lists(st.text(alphabet="万元$1", min_size=1, max_size=3), min_size=1, max_size=4)))
    text = "".join(
        draw(st.lists(st.sampled_from(words + markers + ("万", "元", "a", "A", " ", "1", "$")), max_size=12))
    )
    return text, words, markers


@EXAMPLES
@given(texts)
@example("报价 FOB Ningbo, USD 12.50; 内部 底价 USD 9.80，仅供内部 身份证号 110101199003190013")
def test_words_are_found_as_a_regex_per_word_finds_them(text):
    for words in WORD_LISTS:
        for scanned in (text, signals.normalised(text)):
            assert list(signals._each_match(scanned, words)) == each_match(scanned, words)


@EXAMPLES
@given(overlapping_words())
@example(("万元万元万", ("万元万", "万元万元"), ("$",)))
@example(("万元万元", ("万元", "元万元"), ("万元",)))
def test_words_inside_and_across_other_words_are_found_as_a_regex_per_word_finds_them(case):
    text, words, markers = case
    assert list(signals._each_match(text, words)) == each_match(text, words)
    assert signals.amount_spans(text, markers) == amount_spans(text, markers)


@EXAMPLES
@given(texts)
def test_amounts_are_found_as_a_regex_per_marker_finds_them(text):
    for scanned in (text, signals.normalised(text)):
        assert signals.amount_spans(scanned, MARKERS) == amount_spans(scanned, MARKERS)


@EXAMPLES
@given(texts)
def test_numbers_and_disclaimers_are_found_as_a_scan_of_the_whole_text_finds_them(text):
    normalised = unicodedata.normalize("NFKC", text)
    assert personal_data._numbers(normalised) == numbers(normalised)
    assert signals.scannable_text(text) == scannable_text(text)
    assert personal_data._normalised_without_signatures(text) == signals.normalised(
        personal_data.without_signatures(text)
    )


def test_a_list_with_a_cased_letter_outside_ascii_is_scanned_a_regex_per_word():
    assert terms.scanner_for((("café",),)) is None
    assert signals.find_words("Café prices", ("café", "price")) == ["café"]


def test_a_text_with_a_dotted_capital_i_is_scanned_a_regex_per_word():
    # "İ".lower() is two characters: positions in the lower-cased text would drift.
    assert terms.folded("İ price") is None
    assert signals.find_words_at("İ price", ("price",)) == [(2, "price")]
