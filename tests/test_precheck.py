"""The pre-send check (incidents/prevention): each warning fires where it should and stays quiet where it
should not, for English and Chinese drafts. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from incidents.assessment import Directory, Party
from incidents.assessment.engine import signals_from_settings
from incidents.assessment.types import DirectoryEntry
from incidents.precheck import CheckContext, FloorPrice, OutgoingDraft, Warning, check_draft
from incidents.vocabulary import WarningCode
from tests.assessment.emails import CARD, ID_NUMBER

DIRECTORY = Directory(
    {
        "ourco.com": DirectoryEntry("OurCo", "internal"),
        "acme-trading.com": DirectoryEntry("Acme Trading", "client"),
        "globex.com.cn": DirectoryEntry("Globex China", "client"),
        "huaxin.com.cn": DirectoryEntry("华信贸易", "client"),
        "rival-exports.com": DirectoryEntry("Rival Exports", "competitor"),
    }
)
# The names a draft may call a client by: the organisation's and its contacts'.
CLIENT_NAMES = {
    "Acme Trading": "Acme Trading",
    "Jane Smith": "Acme Trading",
    "Globex China": "Globex China",
    "王伟": "Globex China",
    "华信贸易": "华信贸易",
    "李伟": "华信贸易",
}
PVC = FloorPrice("USD", Decimal("2.00"), "PVC pipe", ("PVC pipe", "PVC管"))
VALVE_CNY = FloorPrice("CNY", Decimal("10"), "阀门", ("阀门", "球阀"))
USD_ANYTHING = FloorPrice("USD", Decimal("1.00"))

GLOBEX, ACME, HUAXIN = "li@globex.com.cn", "buyer@acme-trading.com", "wang@huaxin.com.cn"
RIVAL, COLLEAGUE = "sales@rival-exports.com", "erin@ourco.com"


def context(floors=(PVC, VALVE_CNY, USD_ANYTHING)) -> CheckContext:
    return CheckContext(
        DIRECTORY, signals_from_settings(), CLIENT_NAMES, tuple(floors), tuple(settings.MISSEND_ATTACHMENT_WORDS)
    )


@dataclass(frozen=True)
class Case:
    name: str
    to: tuple[str, ...]
    subject: str = ""
    body: str = ""
    attachments: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    floors: tuple[FloorPrice, ...] = (PVC, VALVE_CNY, USD_ANYTHING)

    def check(self) -> tuple[Warning, ...]:
        recipients = tuple(Party(a, "to") for a in self.to) + tuple(Party(a, "cc") for a in self.cc)
        return check_draft(OutgoingDraft(recipients, self.subject, self.body, self.attachments), context(self.floors))


# (code, case, the params the warning must carry): the warning fires.
FIRES = [
    (
        "competitor_recipient",
        Case("a competitor in To", (ACME, RIVAL), "Quotation"),
        {"address": RIVAL, "organisation": "Rival Exports"},
    ),
    (
        "competitor_recipient",
        Case("a competitor in Cc of a Chinese draft", (HUAXIN,), "报价单", cc=(RIVAL,)),
        {"address": RIVAL},
    ),
    (
        "other_client_recipient",
        Case("the subject names another client", (GLOBEX,), "Quotation for Acme Trading"),
        {"address": GLOBEX, "organisation": "Globex China", "named": ["Acme Trading"]},
    ),
    (
        "other_client_recipient",
        Case("the body greets another client's contact", (GLOBEX,), "Quote", "Dear Jane Smith,\nour offer follows."),
        {"organisation": "Globex China", "named": ["Acme Trading"]},
    ),
    (
        "other_client_recipient",
        Case("a Chinese client name in the body", (GLOBEX,), "报价", "华信贸易采购部：\n现报价如下。"),
        {"address": GLOBEX, "named": ["华信贸易"]},
    ),
    (
        "other_client_recipient",
        Case("a Chinese contact name in the body", (GLOBEX,), "报价", "李伟经理您好：\n报价如下。"),
        {"named": ["华信贸易"]},
    ),
    (
        "other_client_recipient",
        Case("an attachment named for another client", (GLOBEX,), "Quote", "", ("Quotation Acme Trading.pdf",)),
        {"named": ["Acme Trading"]},
    ),
    (
        "internal_words_outside",
        Case("English internal words", (ACME,), "Quote", "Internal only: do not forward."),
        {"words": ["internal only", "do not forward"], "recipients": [ACME]},
    ),
    (
        "internal_words_outside",
        Case("Chinese internal words", (HUAXIN,), "报价", "请勿外传，本报价仅供参考。"),
        {"words": ["请勿外传"]},
    ),
    (
        "internal_words_outside",
        Case("an internal word in an attachment's name", (ACME,), "Quote", "", ("margin calculation.xlsx",)),
        {"attachments": ["margin calculation.xlsx"]},
    ),
    (
        "internal_words_outside",
        Case("only the outside addresses are named", (COLLEAGUE,), "Quote", "our cost", cc=(ACME,)),
        {"recipients": [ACME]},
    ),
    (
        "cost_figures_outside",
        Case("成本 next to an amount", (HUAXIN,), "报价", "我们的成本是 3.2 美元，请注意。"),
        {"figures": ["3.2 美元"], "words": ["成本"]},
    ),
    (
        "cost_figures_outside",
        Case("our cost next to an amount", (ACME,), "Quote", "Our cost is USD 2.90 a metre."),
        {"figures": ["USD 2.90"], "words": ["our cost"]},
    ),
    (
        "price_below_floor",
        Case("a product's price under its floor", (ACME,), "Quote", "PVC pipe: USD 1.50 per metre"),
        {"figure": "USD 1.50", "product": "PVC pipe", "floor": "USD 2.00"},
    ),
    (
        "price_below_floor",
        Case("the product by another of its names", (HUAXIN,), "报价", "PVC管 USD 1.80/米"),
        {"product": "PVC pipe", "figure": "USD 1.80"},
    ),
    (
        "price_below_floor",
        Case("a Chinese price in yuan", (HUAXIN,), "报价", "不锈钢球阀单价 5 元"),
        {"product": "阀门", "figure": "5 元", "currency": "CNY", "floor": "CNY 10.00"},
    ),
    (
        "price_below_floor",
        Case("a price of no product under the currency-wide floor", (ACME,), "Quote", "valve USD 0.50"),
        {"figure": "USD 0.50", "product": "", "currency": "USD", "floor": "USD 1.00"},
    ),
    (
        "price_below_floor",
        Case("the subject names the only product", (ACME,), "PVC pipe quotation", "Unit price USD 1.50 FOB Ningbo."),
        {"product": "PVC pipe"},
    ),
    (
        "price_below_floor",
        Case("a quoted price on a cost line's other clause", (HUAXIN,), "报价", "成本 USD 0.90，报价 USD 0.95"),
        {"figure": "USD 0.95", "product": ""},
    ),
    (
        "attachment_missing",
        Case("attached with nothing attached", (ACME,), "Quote", "Please see the quote attached."),
        {"words": ["attached"]},
    ),
    (
        "attachment_missing",
        Case("附件 with nothing attached", (HUAXIN,), "报价", "王经理您好，附件是报价单。"),
        {"words": ["附件"]},
    ),
    ("attachment_missing", Case("even to a colleague", (COLLEAGUE,), "Note", "附上成本表。"), {"words": ["附上"]}),
    (
        "personal_data_outside",
        Case("a Chinese ID number to an outside address", (HUAXIN,), "资料", f"身份证号码 {ID_NUMBER}"),
        {"recipients": [HUAXIN]},
    ),
    ("personal_data_outside", Case("a bank card number", (ACME,), "Refund", f"Card {CARD}"), {}),
    ("personal_data_outside", Case("personal-data words", (ACME,), "Staff", "The payroll for March follows."), {}),
]

# (code, case): the warning does not fire.
QUIET = [
    ("competitor_recipient", Case("clients and colleagues only", (ACME, COLLEAGUE), "Quotation")),
    ("other_client_recipient", Case("the draft names its own recipient", (ACME,), "Quotation for Acme Trading")),
    (
        "other_client_recipient",
        Case("a Chinese draft names its recipient's contact", (GLOBEX,), "报价", "王伟您好：\n报价如下。"),
    ),
    (
        "other_client_recipient",
        Case(
            "a client named only in a quoted earlier message",
            (GLOBEX,),
            "Quote",
            "Thanks.\n> From Acme Trading: please quote.",
        ),
    ),
    ("other_client_recipient", Case("a name inside a longer word", (GLOBEX,), "Quote", "Acme Tradingco")),
    ("internal_words_outside", Case("internal words to colleagues only", (COLLEAGUE,), "Quote", "成本 USD 2.90")),
    ("internal_words_outside", Case("an internal word in a quoted line", (ACME,), "Quote", "Fine.\n> our cost?")),
    (
        "cost_figures_outside",
        Case(
            "an amount on a line without internal words", (ACME,), "Quote", "Our cost is rising.\nUnit price USD 3.20."
        ),
    ),
    ("cost_figures_outside", Case("a cost figure only in a quoted line", (HUAXIN,), "报价", "好的。\n> 成本 USD 2.90")),
    ("price_below_floor", Case("a price at or above its floor", (ACME,), "Quote", "PVC pipe USD 2.00, valve USD 1.10")),
    (
        "price_below_floor",
        Case(
            "the valve priced on its own line belongs to no product",
            (ACME,),
            "Quote",
            "PVC pipe USD 2.50\nvalve USD 1.50",
            floors=(PVC,),
        ),
    ),
    (
        "price_below_floor",
        Case("another currency than the floor's", (ACME,), "Quote", "PVC pipe EUR 1.50", floors=(PVC,)),
    ),
    ("price_below_floor", Case("a cost is not a quoted price", (HUAXIN,), "报价", "成本 USD 0.50")),
    ("price_below_floor", Case("a price in a quoted line", (ACME,), "Quote", "OK.\n> PVC pipe USD 0.10")),
    ("price_below_floor", Case("prices to colleagues", (COLLEAGUE,), "Quote", "PVC pipe USD 1.50")),
    ("attachment_missing", Case("attached with a file", (ACME,), "Quote", "Please find it attached.", ("q.pdf",))),
    ("attachment_missing", Case("附件 with a file", (HUAXIN,), "报价", "附件是报价单。", ("报价单.pdf",))),
    ("attachment_missing", Case("attached only in a quoted line", (ACME,), "Re: Quote", "Thanks.\n> see attached")),
    ("personal_data_outside", Case("an ID number to a colleague", (COLLEAGUE,), "资料", f"身份证号码 {ID_NUMBER}")),
    (
        "personal_data_outside",
        Case("an ID number with a wrong check digit", (HUAXIN,), "订单", "客户编号 110101199003190014 的货已到港。"),
    ),
]


def _codes(warnings) -> list[str]:
    return [w.code for w in warnings]


@pytest.mark.parametrize("code, case, params", FIRES, ids=[f"{c}: {case.name}" for c, case, _p in FIRES])
def test_the_warning_fires(code, case, params):
    warnings = [w for w in case.check() if w.code == code]
    assert warnings, f"no {code} in {_codes(case.check())}"
    assert any(all(w.params.get(k) == v for k, v in params.items()) for w in warnings), [w.params for w in warnings]


@pytest.mark.parametrize("code, case", QUIET, ids=[f"{c}: {case.name}" for c, case in QUIET])
def test_the_warning_stays_quiet(code, case):
    assert code not in _codes(case.check())


def test_every_code_is_exercised_both_ways():
    assert {c for c, _case, _p in FIRES} == set(WarningCode) == {c for c, _case in QUIET}


def test_a_clean_draft_gets_no_warnings():
    assert (
        Case(
            "clean", (ACME,), "Quotation for Acme Trading", "Unit price USD 2.50 FOB Ningbo.", ("Quotation.pdf",)
        ).check()
        == ()
    )


def test_a_cost_line_does_not_make_the_quoted_price_beside_it_a_cost():
    """Found by this suite: a line with an internal word made every figure on it a cost, so the quoted
    price after it was called a cost and escaped the floor."""
    (cost,) = [
        w
        for w in Case("", (HUAXIN,), "报价", "成本 USD 3.20，报价 USD 4.00").check()
        if w.code == "cost_figures_outside"
    ]
    assert cost.params["figures"] == ["USD 3.20"]


def test_warnings_are_in_reading_order_and_json_plain():
    import json

    warnings = Case(
        "many", (RIVAL, GLOBEX), "Quotation for Acme Trading", "Our cost is USD 0.50, see attached.\nPVC pipe USD 1.00"
    ).check()
    assert _codes(warnings) == [
        "competitor_recipient",
        "other_client_recipient",
        "internal_words_outside",
        "cost_figures_outside",
        "price_below_floor",
        "attachment_missing",
    ]
    json.dumps([w.params for w in warnings])


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "sales@rival-exports.com is at Rival Exports, a competitor."),
        ("zh-hans", "sales@rival-exports.com"),
    ],
)
def test_each_sentence_names_the_address_in_the_readers_language(language, expected, zh_catalogue):
    (warning,) = Case("", (RIVAL,), "Hello").check()
    with translation.override(language):
        sentence = warning.sentence
    assert expected in sentence
    if language == "zh-hans":
        assert "竞争" in sentence


def test_every_code_has_a_sentence_in_both_languages(zh_catalogue):
    cases = {code: case for code, case, _p in FIRES}
    for code, case in cases.items():
        (warning,) = [w for w in case.check() if w.code == code][:1]
        with translation.override("en"):
            english = warning.sentence
        with translation.override("zh-hans"):
            chinese = warning.sentence
        assert english != code and chinese != english, code


def test_among_thousands_of_client_and_contact_names_the_ones_the_draft_uses_are_found():
    names = dict(CLIENT_NAMES)
    for number in range(3000):
        names[f"Client {number:04d} Trading"] = f"Client {number:04d} Trading"
        names[f"李明{number:04d}"] = f"Client {number:04d} Trading"
    crowded = CheckContext(DIRECTORY, signals_from_settings(), names, (), tuple(settings.MISSEND_ATTACHMENT_WORDS))
    draft = OutgoingDraft((Party(GLOBEX, "to"),), "QUOTATION FOR ACME TRADING", "李明0042您好：\nClient 0007 Tradingx")
    (warning,) = [w for w in check_draft(draft, crowded) if w.code == "other_client_recipient"]
    assert warning.params["named"] == ["Acme Trading", "Client 0042 Trading"]
