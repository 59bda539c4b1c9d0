"""Pricing and internal-only signals in Simplified and Traditional Chinese and in trade vocabulary."""

import pytest

from incidents.assessment import signals_from_settings
from incidents.assessment.signals import internal_signals, pricing_signals
from tests.assessment.builders import AMY, BOB, facts, run
from tests.assessment.emails import (
    COST_NOTE,
    COST_NOTE_SUBJECT,
    COST_NOTE_TW,
    QUOTATION,
    QUOTATION_SUBJECT,
    QUOTATION_TW,
    QUOTATION_TW_SUBJECT,
)

P = pytest.param
SIGNALS = signals_from_settings()


@pytest.mark.parametrize(
    "text, found",
    [
        P("请查收报价", ["报价"], id="zh-quotation"),
        P("請查收報價", ["報價"], id="tw-quotation"),
        P("单价见附件", ["单价"], id="zh-unit-price"),
        P("單價見附件", ["單價"], id="tw-unit-price"),
        P("出厂价另计", ["出厂价"], id="zh-ex-works-price"),
        P("出廠價另計", ["出廠價"], id="tw-ex-works-price"),
        P("總價含稅", ["總價", "含稅"], id="tw-total-tax-included"),
        P("离岸价和到岸价", ["离岸价", "到岸价"], id="zh-fob-cif-prices"),
        P("附形式发票一份", ["形式发票"], id="zh-proforma"),
        P("FOB Shanghai", ["FOB"], id="fob-port"),
        P("CFR Hamburg", ["CFR"], id="cfr-port"),
        P("C&F Rotterdam", ["C&F"], id="c-and-f"),
        P("DDP 洛杉矶", ["DDP"], id="ddp-chinese-place"),
        P("ＦＯＢ 宁波", ["FOB"], id="full-width-fob"),
        P("Ex-works Ningbo", ["ex works"], id="ex-works-hyphen"),
        P("单价：USD 9.50", ["单价", "USD 9.50"], id="unit-price-in-usd"),
        P("9.5美金/个", ["9.5美金"], id="usd-colloquial-after-number"),
        P("每件 9.5 美金", ["9.5 美金"], id="usd-colloquial-spaced"),
        P("合计12,800元", ["12,800元"], id="yuan"),
        P("共3万元", ["3万元"], id="ten-thousand-yuan"),
        P("预付5千美金", ["5千美金"], id="thousands-of-usd"),
        P("人民幣 3,000", ["人民幣 3,000"], id="tw-rmb-before-amount"),
        P("￥300/件", ["¥300"], id="full-width-yen"),
        P("１２.５０ＵＳＤ", ["12.50USD"], id="full-width-amount"),
        P("US$9.50", ["US$9.50"], id="us-dollar-once"),
        P("5,000港幣", ["5,000港幣"], id="hkd"),
    ],
)
def test_chinese_pricing_signals(text, found):
    assert pricing_signals(text, SIGNALS) == found


@pytest.mark.parametrize(
    "text",
    [
        P("请以人民币付款", id="bare-rmb-name"),
        P("我们只收美金", id="bare-usd-name"),
        P("3块钢板", id="kuai-is-also-a-measure-word"),
        P("2025年元旦放假", id="new-year-day"),
        P("FCA 发布的新规定", id="fca-regulator-left-out"),
        P("请确认交货期", id="delivery-date"),
    ],
)
def test_no_pricing_signal_in_everyday_chinese(text):
    assert pricing_signals(text, SIGNALS) == []


@pytest.mark.parametrize(
    "text, found",
    [
        P("底价30元", ["底价"], id="zh-floor-price"),
        P("底價30元", ["底價"], id="tw-floor-price"),
        P("成本上涨", ["成本"], id="cost"),
        P("利润很薄", ["利润"], id="zh-profit"),
        P("利潤很薄", ["利潤"], id="tw-profit"),
        P("毛利率18%", ["毛利"], id="gross-margin"),
        P("代理佣金3%", ["佣金"], id="commission"),
        P("返点另算", ["返点"], id="zh-rebate"),
        P("返點另算", ["返點"], id="tw-rebate"),
        P("仅供内部参考", ["仅供内部"], id="zh-internal-only-once"),
        P("僅供內部參考", ["僅供內部"], id="tw-internal-only-once"),
        P("内部讨论", ["内部"], id="zh-internal"),
        P("內部討論", ["內部"], id="tw-internal"),
        P("请勿外传", ["请勿外传"], id="zh-do-not-pass-on"),
        P("請勿外傳", ["請勿外傳"], id="tw-do-not-pass-on"),
        P("機密文件", ["機密"], id="tw-secret"),
        P("成本核算.xlsx", ["成本"], id="cost-sheet-file-name"),
        P("我们将在周五前完成本批货物的生产", [], id="finish-this-batch-is-not-cost"),
        P("完成本周订单", [], id="finish-this-week-is-not-cost"),
        P("双方签订保密协议", [], id="nda-left-out"),
        P("我们给您最低价", [], id="lowest-price-pitch-left-out"),
    ],
)
def test_chinese_internal_signals(text, found):
    assert internal_signals(text, SIGNALS) == found


@pytest.mark.parametrize(
    "incident, code, signals, attachments",
    [
        P(
            facts(BOB, intended=[AMY], subject=QUOTATION_SUBJECT, body=QUOTATION, attachments=("报价单_v2.xlsx",)),
            "leaked_pricing",
            ["FOB", "报价", "单价", "出厂价", "USD 9.50", "12.80美金"],
            ["报价单_v2.xlsx"],
            id="zh-quotation-to-another-client",
        ),
        P(
            facts(
                BOB,
                intended=[AMY],
                subject=QUOTATION_TW_SUBJECT,
                body=QUOTATION_TW,
                attachments=("報價單_2025.pdf", "spec.pdf"),
            ),
            "leaked_pricing",
            ["CIF", "報價", "單價", "含稅", "出廠價", "9.5 美金"],
            ["報價單_2025.pdf"],
            id="tw-quotation-to-another-client",
        ),
        P(
            facts(AMY, intended=[AMY], subject=COST_NOTE_SUBJECT, body=COST_NOTE, attachments=("成本核算.xlsx",)),
            "internal_info_external",
            ["底价", "成本", "毛利", "佣金", "返点", "仅供内部", "请勿外传", "内部"],
            ["成本核算.xlsx"],
            id="zh-cost-note-to-the-client",
        ),
        P(
            facts(AMY, intended=[AMY], body=COST_NOTE_TW),
            "internal_info_external",
            ["底價", "利潤", "佣金", "返點", "僅供內部", "請勿外傳"],
            [],
            id="tw-cost-note-to-the-client",
        ),
    ],
)
def test_chinese_emails_raise_their_factors_with_the_evidence(incident, code, signals, attachments):
    assessment = run(incident)
    factor = next(f for f in assessment.factors if f.code == code)
    assert factor.params["signals"] == signals
    assert factor.params["attachments"] == attachments
    assert assessment.severity == "high"


def test_quotation_sender_signature_phone_is_not_personal_data():
    assessment = run(facts(BOB, intended=[AMY], subject=QUOTATION_SUBJECT, body=QUOTATION))
    assert "personal_data_external" not in assessment.factor_codes


def test_word_lists_are_settings(settings):
    settings.MISSEND_PRICING_WORDS = ["angebot"]
    settings.MISSEND_INTERNAL_WORDS = ["intern"]
    custom = signals_from_settings()
    assert pricing_signals("Angebot 2025", custom) == ["angebot"]
    assert pricing_signals("报价单", custom) == []
    assert internal_signals("nur intern", custom) == ["intern"]
