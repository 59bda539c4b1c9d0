"""Personal data found without the reporter saying so: Chinese ID, mobile and bank card numbers, and words."""

import json

import pytest

from incidents.assessment import Factor, describe_factor, find_personal_data, signals_from_settings
from tests.assessment.builders import AMY, BOB, COLLEAGUE, FILED_AT, facts, run
from tests.assessment.emails import (
    CARD,
    HR_EMAIL,
    HR_EMAIL_TW,
    HR_SUBJECT,
    ID_NUMBER,
    ID_NUMBER_TW,
    ID_WITH_WRONG_CHECK_DIGIT,
    ORDER_NUMBER_LIKE_A_CARD,
    PHONE_IN_A_LONGER_RUN,
    QUOTATION,
)

P = pytest.param
WORDS = signals_from_settings().personal_data_words


def found(body="", subject="", attachments=()):
    return [
        (f.kind, f.value, f.where, f.name)
        for f in find_personal_data(body=body, subject=subject, attachments=attachments, words=WORDS)
    ]


@pytest.mark.parametrize(
    "body, expected",
    [
        P(f"身份证号：{ID_NUMBER}", [("id_number", "0013"), ("word", "身份证号")], id="id-with-its-word"),
        P(f"ID {ID_NUMBER}", [("id_number", "0013")], id="id-alone"),
        P("110101 19900319 0013", [("id_number", "0013")], id="id-grouped"),
        P("11010519491231002x", [("id_number", "002X")], id="id-ending-in-x"),
        P(
            "身份證號：１１０１０１１９９００３１９００１３",
            [("id_number", "0013"), ("word", "身份證號")],
            id="id-full-width-digits",
        ),
        P("电话 13800138000", [("mobile_number", "8000")], id="mobile"),
        P("Tel: +86 138 0013 8000", [("mobile_number", "8000")], id="mobile-with-plus-86"),
        P("0086-138-0013-8000", [("mobile_number", "8000")], id="mobile-with-0086"),
        P("(+86)13800138000", [("mobile_number", "8000")], id="mobile-bracketed-country-code"),
        P(f"工资卡号：{CARD}", [("bank_card", "7894"), ("word", "工资卡")], id="card-grouped-with-word"),
        P(CARD, [("bank_card", "7894")], id="card-grouped-alone"),
        P("银行卡 6222021234567894", [("bank_card", "7894")], id="card-run-after-card-word"),
        P("帳號 6222021234567894", [("bank_card", "7894")], id="card-run-after-traditional-account-word"),
        P("Card no. 6217001234567890122", [("bank_card", "0122")], id="card-19-digits-after-card"),
        P("payroll for March", [("word", "payroll")], id="payroll"),
        P("passport number below", [("word", "passport number")], id="passport-number"),
        P("请发护照号给我", [("word", "护照号")], id="zh-passport-number"),
        P("附工資單", [("word", "工資單")], id="tw-payslip"),
        # Not personal data, though it looks like it.
        P(ORDER_NUMBER_LIKE_A_CARD, [], id="order-number-passing-luhn-without-card-word"),
        P("银行卡 6222021234567895", [], id="card-word-but-luhn-fails"),
        P(ID_WITH_WRONG_CHECK_DIGIT, [], id="id-with-wrong-check-digit"),
        P("110101199013190015", [], id="id-with-impossible-birth-date"),
        P(PHONE_IN_A_LONGER_RUN, [], id="phone-inside-a-longer-digit-run"),
        P("PO13800138000", [], id="phone-glued-to-an-order-prefix"),
        P("12800138000", [], id="eleven-digits-not-a-mobile-prefix"),
        P("请带身份证和护照参加展会", [], id="bring-your-passport-names-nobody"),
        P("收款银行账号见形式发票", [], id="company-bank-details-left-out"),
        P("Please bring your ID card", [], id="id-card-alone-left-out"),
    ],
)
def test_personal_data_in_text(body, expected):
    assert [(kind, value) for kind, value, _where, _name in found(body)] == expected


def test_numbers_are_never_kept_whole():
    assert found(f"{ID_NUMBER} {CARD} 13800138000") == [
        ("id_number", "0013", "body", ""),
        ("bank_card", "7894", "body", ""),
        ("mobile_number", "8000", "body", ""),
    ]


def test_where_it_was_found_is_kept():
    assert found(body="见附件", subject="工资单 3月", attachments=("张伟_身份证号.pdf", f"{ID_NUMBER}.jpg")) == [
        ("word", "工资单", "subject", ""),
        ("word", "身份证号", "attachment", "张伟_身份证号.pdf"),
        ("id_number", "0013", "attachment", f"{ID_NUMBER}.jpg"),
    ]


@pytest.mark.parametrize(
    "body, expected",
    [
        P("请看附件。\n\nBest regards,\nJane Li\nMobile: +86 139 1234 5678", [], id="en-signature"),
        P("请看附件。\n\n此致\n敬礼\n李明\n手机：13912345678", [], id="zh-signature"),
        P("请看附件。\n\n顺祝商祺！\n李明 13912345678", [], id="zh-signature-closing-with-punctuation"),
        P(
            f"Please see below.\n\nRegards\nJane\n13912345678\n\n-----Original Message-----\nFrom: hr@ourco.com\n"
            f"身份证号：{ID_NUMBER}",
            [("id_number", "0013"), ("word", "身份证号")],
            id="quoted-message-after-signature",
        ),
        P(f"Regards to all: ID {ID_NUMBER}", [("id_number", "0013")], id="regards-in-a-sentence-is-no-closing"),
        P("手机：13912345678\n\n谢谢", [("mobile_number", "5678")], id="number-before-the-closing"),
    ],
)
def test_a_signature_after_the_closing_is_not_read_for_personal_data(body, expected):
    assert [(kind, value) for kind, value, _where, _name in found(body)] == expected


HR = facts(BOB, intended=[COLLEAGUE], subject=HR_SUBJECT, body=HR_EMAIL)
HR_TW = facts(BOB, intended=[COLLEAGUE], body=HR_EMAIL_TW, attachments=("陳大文_工資單.pdf",))
ORDER = facts(BOB, intended=[COLLEAGUE], body=f"订单号 {ID_NUMBER}")


@pytest.mark.parametrize(
    "incident, codes, severity, legal",
    [
        P(HR, {"personal_data_external"}, "high", True, id="zh-hr-email-to-a-client"),
        P(HR_TW, {"personal_data_external"}, "high", True, id="tw-hr-email-to-a-client"),
        P(facts(AMY, intended=[AMY], body=HR_EMAIL), set(), "low", False, id="to-the-intended-recipient-only"),
        P(
            facts(BOB, intended=[COLLEAGUE], body=ORDER_NUMBER_LIKE_A_CARD),
            set(),
            "medium",
            False,
            id="order-number-like-a-card",
        ),
        P(
            facts(BOB, intended=[COLLEAGUE], body=QUOTATION),
            set(),
            "high",
            False,
            id="quotation-with-a-signature-mobile-is-pricing-only",
        ),
        P(
            facts(BOB, intended=[COLLEAGUE], body=HR_EMAIL, personal_data_dismissal="test data, not a person"),
            {"personal_data_dismissed"},
            "medium",
            False,
            id="dismissed-by-the-reporter",
        ),
        P(
            facts(
                BOB, intended=[COLLEAGUE], body=HR_EMAIL, problems=["personal_data"], personal_data_dismissal="ignored"
            ),
            {"personal_data_external"},
            "high",
            True,
            id="ticked-outranks-a-dismissal",
        ),
    ],
)
def test_detected_personal_data_makes_the_factor_without_the_box_ticked(incident, codes, severity, legal):
    assessment = run(incident)
    assert assessment.factor_codes & {"personal_data_external", "personal_data_dismissed"} == codes
    assert (assessment.severity, assessment.route.legal) == (severity, legal)
    assert (assessment.regulatory_deadline is not None) is ("personal_data_external" in codes)


def test_the_factor_says_what_was_found_masked_and_where():
    factor = next(f for f in run(HR).factors if f.code == "personal_data_external")
    assert factor.params["problems"] == []
    assert factor.params["found"] == [
        {"kind": "id_number", "value": "0013", "where": "body"},
        {"kind": "mobile_number", "value": "8000", "where": "body"},
        {"kind": "bank_card", "value": "7894", "where": "body"},
        {"kind": "word", "value": "身份证号", "where": "body"},
        {"kind": "word", "value": "手机号", "where": "body"},
        {"kind": "word", "value": "工资卡", "where": "body"},
    ]
    stored = json.dumps(factor.params, ensure_ascii=False)
    assert ID_NUMBER not in stored and "13800138000" not in stored and "6222" not in stored
    assert factor.detected_only is True


@pytest.mark.parametrize(
    "incident, code, text",
    [
        P(
            HR,
            "personal_data_external",
            "Personal data (ID number ending 0013, mobile number ending 8000, bank card number ending 7894, "
            "身份证号, 手机号, and 1 more) reached bob@clientb.com (Client B, a client), outside the company and not "
            "intended: a personal-data breach. The notification clock (72 hours) runs from the report.",
            id="hr-email",
        ),
        P(
            facts(BOB, intended=[COLLEAGUE], subject="工资单 3月", attachments=("张伟_身份证号.pdf",)),
            "personal_data_external",
            "Personal data (工资单 in the subject, 身份证号 in the attachment name 张伟_身份证号.pdf) reached "
            "bob@clientb.com (Client B, a client), outside the company and not intended: a personal-data breach. "
            "The notification clock (72 hours) runs from the report.",
            id="subject-and-attachment-name",
        ),
        P(
            facts(BOB, intended=[COLLEAGUE], problems=["personal_data"]),
            "personal_data_external",
            "Personal data reached bob@clientb.com (Client B, a client), outside the company and not intended: "
            "a personal-data breach. The notification clock (72 hours) runs from the report.",
            id="ticked-nothing-found-reads-as-before",
        ),
        P(
            facts(
                BOB, intended=[COLLEAGUE], body=f"订单号 {ID_NUMBER}", personal_data_dismissal="it is an order number"
            ),
            "personal_data_dismissed",
            "Personal data detected (ID number ending 0013) but dismissed by the reporter: it is an order number",
            id="dismissed-note",
        ),
    ],
)
def test_personal_data_explanations(incident, code, text):
    factor = next(f for f in run(incident).factors if f.code == code)
    assert factor.detail == text
    assert describe_factor(Factor(code, json.loads(json.dumps(factor.params)))) == text


@pytest.mark.parametrize(
    "incident, detected_only",
    [
        P(HR, True, id="found-not-ticked"),
        P(facts(BOB, intended=[COLLEAGUE], body=HR_EMAIL, problems=["personal_data"]), False, id="found-and-ticked"),
        P(facts(BOB, intended=[COLLEAGUE], problems=["personal_data"]), False, id="ticked-only"),
    ],
)
def test_only_a_detected_factor_can_be_dismissed(incident, detected_only):
    factor = next(f for f in run(incident).factors if f.code == "personal_data_external")
    assert factor.detected_only is detected_only


def test_factors_stored_before_detection_cannot_be_dismissed():
    assert Factor("personal_data_external", {"recipients": [BOB], "hours": "72"}).detected_only is False


def test_many_numbers_are_counted_not_all_kept():
    body = "\n".join(f"员工{i}：+86 138 0013 {1000 + i}" for i in range(30))
    factor = next(
        f for f in run(facts(BOB, intended=[COLLEAGUE], body=body)).factors if f.code == "personal_data_external"
    )
    assert len(factor.params["found"]) == 20
    assert factor.params["found_total"] == "30"
    assert factor.detail.startswith(
        "Personal data (mobile number ending 1000, mobile number ending 1001, "
        "mobile number ending 1002, mobile number ending 1003, mobile number ending "
        "1004, and 25 more) reached"
    )


def test_personal_data_words_are_a_setting(settings):
    settings.MISSEND_PERSONAL_DATA_WORDS = ["personalakte"]
    custom = signals_from_settings()
    assert find_personal_data(body="die Personalakte von Herrn Li", words=custom.personal_data_words)
    assert not find_personal_data(body="payroll", words=custom.personal_data_words)
    assert find_personal_data(body=f"payroll {ID_NUMBER_TW}", words=custom.personal_data_words)


def test_the_breach_clock_runs_from_filing_for_detected_data_too():
    assert run(HR).regulatory_deadline == FILED_AT.replace(day=6)
