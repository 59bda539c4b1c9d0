"""Pricing and internal-only signals, found in words and file names, never in signatures or disclaimers."""

import pytest

from incidents.assessment import Signals, has_internal_signal, has_pricing_signal, scannable_text, signals_from_settings

P = pytest.param
SIGNALS = signals_from_settings()


@pytest.mark.parametrize(
    "text",
    [
        P("Total USD 12.50 per unit", id="code-before-amount"),
        P("only $12.50 each", id="dollar-sign"),
        P("12.50 EUR ex works", id="code-after-amount"),
        P("RMB 1,200 per carton", id="rmb-thousands"),
        P("¥300/件", id="yen-sign"),
        P("￥300", id="fullwidth-yen"),
        P("1.200,50 € netto", id="european-format"),
        P("usd12.5", id="lowercase-no-space"),
        P("单价45元", id="chinese-yuan-suffix"),
        P("人民币 3,000", id="chinese-currency-name"),
        P("Please find our price below", id="price"),
        P("PRICING for 2025", id="pricing-uppercase"),
        P("our Quotation no. 42", id="quotation"),
        P("as quoted yesterday", id="quoted"),
        P("unit  price: see sheet", id="unit-price-spaced"),
        P("FOB Ningbo", id="fob"),
        P("CIF Hamburg", id="cif"),
        P("EXW our plant", id="exw"),
        P("DDP Paris", id="ddp"),
        P("Proforma invoice", id="proforma"),
        P("pro forma invoice", id="pro-forma"),
        P("请查收报价", id="zh-quotation"),
        P("单价见附件", id="zh-unit-price"),
        P("价格不变", id="zh-price"),
        P("含税价", id="zh-tax-included"),
        P("请看quotation附件", id="latin-word-between-chinese"),
    ],
)
def test_pricing_signal_in_text(text):
    assert has_pricing_signal(text, SIGNALS)


@pytest.mark.parametrize(
    "name",
    [
        P("Quotation_ClientA.pdf", id="underscore"),
        P("price-list-v2.xlsx", id="hyphen"),
        P("ClientAQuotation.pdf", id="camel-after-acronym"),
        P("clientQuotation2025.pdf", id="camel-then-digits"),
        P("2025quote.docx", id="digits-before"),
        P("PI.proforma.pdf", id="dots"),
        P("unit_price.xlsx", id="multiword-underscore"),
        P("UnitPrice.xlsx", id="multiword-camel"),
        P("FOBShanghai.docx", id="acronym-into-word"),
        P("报价单-2025.xlsx", id="zh-file-name"),
        P("Offer_USD1200.pdf", id="amount-in-file-name"),
    ],
)
def test_pricing_signal_in_file_name(name):
    assert has_pricing_signal(name, SIGNALS)


@pytest.mark.parametrize(
    "text",
    [
        P("a priceless moment", id="priceless"),
        P("a misquotation", id="misquotation"),
        P("We will pay in RMB.", id="bare-rmb"),
        P("¥ and $ signs", id="bare-symbols"),
        P("Meeting at 10:30 in room 12", id="numbers-without-currency"),
        P("5 USDT tokens", id="other-code-containing-usd"),
        P("fobbed off", id="fob-inside-word"),
        P("SPRICE", id="inside-uppercase-word"),
        P("Minutes_Meeting.docx", id="plain-file-name"),
        P("", id="empty"),
    ],
)
def test_no_pricing_signal(text):
    assert not has_pricing_signal(text, SIGNALS)


@pytest.mark.parametrize(
    "text, expected",
    [
        P("the cost price is 7.20", True, id="cost-price"),
        P("Our cost went up", True, id="our-cost"),
        P("keep a 12% MARGIN", True, id="margin-uppercase"),
        P("profit per unit", True, id="profit"),
        P("floor_price.xlsx", True, id="floor-price-file-name"),
        P("Bottom price 6.90", True, id="bottom-price"),
        P("Internal only - do not forward", True, id="internal-only"),
        P("CONFIDENTIAL", True, id="confidential"),
        P("底价30元", True, id="zh-floor-price"),
        P("成本上涨", True, id="zh-cost"),
        P("利润很薄", True, id="zh-profit"),
        P("毛利率", True, id="zh-gross-margin"),
        P("内部讨论", True, id="zh-internal"),
        P("机密文件", True, id="zh-secret"),
        P("a profitable year", False, id="profitable"),
        P("marginal changes", False, id="marginal"),
        P("low costs", False, id="cost-alone"),
        P("Please forward to your team", False, id="forward-alone"),
    ],
)
def test_internal_signal(text, expected):
    assert has_internal_signal(text, SIGNALS) is expected


def test_signal_lists_come_from_the_given_signals():
    custom = Signals(pricing_words=("tarif",), currency_markers=("CHF",), internal_words=("geheim",))
    assert has_pricing_signal("Tarif_2025.pdf", custom)
    assert has_pricing_signal("CHF 40.-", custom)
    assert not has_pricing_signal("USD 12.50 quotation", custom)
    assert has_internal_signal("streng geheim", custom)


SIGNATURES = [
    P("Price below.\n-- \nJane | Quotation desk", id="dash-dash-space"),
    P("Price below.\n--\nJane | Quotation desk", id="dash-dash"),
    P("Price below.\r\n--   \r\nJane | Quotation desk", id="dash-dash-trailing-spaces-crlf"),
]


@pytest.mark.parametrize("body", SIGNATURES)
def test_signature_is_not_scanned(body):
    assert scannable_text(body).strip() == "Price below."


def test_only_a_bare_dash_dash_line_starts_a_signature():
    body = "Hello\n---\nthe quotation\n-- not a signature\nend"
    assert scannable_text(body) == body


DISCLAIMERS = [
    P("This email is intended only for the addressee. It may be confidential.", id="en-intended-only"),
    P(
        "This message and any attachments are confidential and intended solely for the use of the individual or "
        "entity to whom they are addressed.",
        id="en-intended-solely-for-use",
    ),
    P(
        "If you are not the intended recipient, please notify the sender and delete this message. "
        "Our price terms apply.",
        id="en-not-intended-recipient",
    ),
    P(
        "CONFIDENTIALITY: for the sole use of the\nintended recipient(s). Any profit or margin\nfigures are "
        "confidential.",
        id="en-hard-wrapped",
    ),
    P("If you have received this e-mail in error, please tell us at once. Margin data inside.", id="en-in-error"),
    P("Please notify the sender immediately by reply and delete the quotation.", id="en-notify-and-delete"),
    P("本邮件仅供指定收件人使用，其中的报价和成本信息属机密。", id="zh-only-for-addressee"),
    P("如果您不是指定的收件人，请立即通知发件人并删除本邮件。内部资料，禁止转发。", id="zh-not-the-recipient"),
    P("如您并非收件人，请勿使用本邮件中的价格信息。", id="zh-not-recipient-variant"),
    P("若您误收本邮件，请通知发件人并将其删除。", id="zh-received-in-error"),
    P("本郵件僅供指定收件人使用，如閣下並非指定收件人，請即刪除。機密", id="zh-traditional"),
]


@pytest.mark.parametrize("disclaimer", DISCLAIMERS)
def test_disclaimer_paragraph_is_not_scanned(disclaimer):
    body = f"Dear Amy,\n\nSee you on Monday.\n\n{disclaimer}"
    assert scannable_text(body).strip() == "Dear Amy,\n\nSee you on Monday."
    assert not has_pricing_signal(scannable_text(body), SIGNALS)
    assert not has_internal_signal(scannable_text(body), SIGNALS)


def test_disclaimer_heading_goes_with_its_disclaimer():
    body = "Hi.\n\nCONFIDENTIAL:\n\nThis email is intended only for the addressee."
    assert scannable_text(body).strip() == "Hi."


@pytest.mark.parametrize(
    "paragraph",
    [
        P("This price is intended only for orders above 1,000 pcs.", id="en-intended-for-orders"),
        P("Confidential: our floor price is 7.10", id="en-confidential-heading-with-content"),
        P("此报价仅对贵司有效，价格含税。", id="zh-only-valid-for-you"),
        P("非常感谢！收件人地址请核对，单价见附件。", id="zh-everyday-fei"),
    ],
)
def test_business_paragraphs_are_kept(paragraph):
    body = f"Dear Amy,\n\n{paragraph}\n\nThis email is intended only for the addressee."
    assert paragraph in scannable_text(body)
