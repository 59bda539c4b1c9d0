"""What was mis-sent: a realistic mix of reports, in English and Chinese, as the report form takes them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from incidents.core.addresses import Address
from incidents.reports.report import IncidentReport
from incidents.seeding.volume.people import Client, World
from incidents.vocabulary import MailSystem, Problem, RecipientField, RecipientStatus

MAIL_SYSTEMS = [
    (MailSystem.MICROSOFT365, 35),
    (MailSystem.EXCHANGE, 12),
    (MailSystem.GMAIL, 15),
    (MailSystem.QQ, 10),
    (MailSystem.NETEASE, 8),
    (MailSystem.ALIYUN, 7),
    (MailSystem.LOTUS_NOTES, 3),
    (MailSystem.OTHER, 10),
]
RECIPIENT_STATUSES = [
    (RecipientStatus.UNKNOWN, 30),
    (RecipientStatus.UNREAD, 25),
    (RecipientStatus.READ, 30),
    (RecipientStatus.REPLIED, 10),
    (RecipientStatus.ACCEPTED, 5),
]
CURRENCIES = ["USD", "USD", "USD", "EUR", "CNY", "HKD"]
PRODUCTS_EN = ["valves", "pumps", "LED panels", "steel pipes", "cotton fabric", "PCB boards", "bearings", "solar cells"]
PRODUCTS_ZH = ["阀门", "水泵", "LED面板", "钢管", "棉布", "电路板", "轴承", "太阳能电池片"]
PORTS = ["Ningbo", "Shanghai", "Shenzhen", "Qingdao", "Xiamen"]


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _client_address(rng: random.Random, client: Client) -> Address:
    if client.contacts and rng.random() < 0.7:
        name, address = rng.choice(client.contacts)
        return Address(address, name)
    return Address(f"{rng.choice(['sales', 'buyer', 'info', 'purchasing', 'service'])}@{client.domains[0]}")


def _colleague(rng: random.Random, world: World, reporter) -> Address:
    other = rng.choice(world.employees + world.managers)
    return (
        Address(other.email, other.get_full_name())
        if other.pk != reporter.pk
        else Address(f"team@{world.internal_domain}")
    )


def _quote_text(rng: random.Random, chinese: bool, number: int, price: Decimal, currency: str) -> tuple[str, str]:
    port = rng.choice(PORTS)
    if chinese:
        product = rng.choice(PRODUCTS_ZH)
        return (
            f"报价单 Q-{number}：{product} {rng.randint(1, 50) * 1000}件",
            f"您好，\n附件是我们的报价，单价 {price}{'美金' if currency == 'USD' else '元'}，FOB {port}。\n谢谢！",
        )
    product = rng.choice(PRODUCTS_EN)
    return (
        f"Quotation Q-{number}: {rng.randint(1, 50) * 1000:,} {product}",
        f"Dear buyer,\nplease find our quotation: unit price {currency} {price} FOB {port}.\nBest regards",
    )


def _prices(rng: random.Random) -> tuple[Decimal, Decimal]:
    correct = Decimal(rng.randint(200, 50_000)) / 100
    gap = rng.choice(
        [Decimal("0.02"), Decimal("0.05"), Decimal("0.08"), Decimal("0.15"), Decimal("0.3"), Decimal("0.5")]
    )
    return (correct * (1 - gap)).quantize(Decimal("0.01")), correct


# Each scenario: (name, weight). The builder for each is below.
SCENARIOS = [
    ("quote_to_other_client", 24),
    ("quote_to_competitor", 4),
    ("low_price", 14),
    ("wrong_attachment", 12),
    ("internal_info", 8),
    ("personal_data", 5),
    ("internal_content", 15),
    ("harsh_tone", 5),
    ("internal_wrong_recipient", 13),
]


def report_for(rng: random.Random, world: World, reporter, sent_at: datetime, number: int) -> IncidentReport:
    """One mis-sent email; `number` makes subjects unique-looking (Q-number, order number)."""
    scenario = _weighted(rng, SCENARIOS)
    chinese = rng.random() < 0.4
    client = rng.choice(world.clients)
    report = IncidentReport(
        subject="",
        sent_at=sent_at,
        mail_system=_weighted(rng, MAIL_SYSTEMS),
        sender=reporter.email if rng.random() < 0.9 else f"sales@{world.internal_domain}",
        recipients=[],
        recipient_status=_weighted(rng, RECIPIENT_STATUSES),
        message_id=f"<{number}.{rng.getrandbits(40):x}@mail.{world.internal_domain}>" if rng.random() < 0.8 else "",
    )
    BUILDERS[scenario](rng, world, reporter, report, client, chinese, number)
    for _extra in range(rng.choices([0, 1, 2], weights=[70, 22, 8])[0]):
        report.recipients.append(
            (_colleague(rng, world, reporter), rng.choice([RecipientField.CC, RecipientField.CC, RecipientField.BCC]))
        )
    return report


def _quote_to_other_client(rng, world, reporter, report, client, chinese, number, *, competitor=False):
    wrong = rng.choice(world.competitors if competitor and world.competitors else world.clients)
    price, _correct = _prices(rng)
    report.currency = rng.choice(CURRENCIES)
    report.subject, report.body = _quote_text(rng, chinese, number, price, report.currency)
    report.recipients = [(_client_address(rng, wrong), RecipientField.TO)]
    if rng.random() < 0.3:
        report.recipients.append((_client_address(rng, rng.choice(world.clients)), RecipientField.TO))
    report.intended = [_client_address(rng, client)]
    report.problems = [Problem.WRONG_RECIPIENT]
    report.attachments = [f"Quotation_Q-{number}.pdf"] if rng.random() < 0.7 else []
    report.firm_offer = rng.random() < 0.25


def _quote_to_competitor(rng, world, reporter, report, client, chinese, number):
    _quote_to_other_client(rng, world, reporter, report, client, chinese, number, competitor=True)


def _low_price(rng, world, reporter, report, client, chinese, number):
    report.quoted_price, report.correct_price = _prices(rng)
    report.currency = rng.choice(CURRENCIES)
    report.subject, report.body = _quote_text(rng, chinese, number, report.quoted_price, report.currency)
    if rng.random() < 0.3:
        report.subject += "（有效期至月底）" if chinese else ", valid until month end"
    report.recipients = [(_client_address(rng, client), RecipientField.TO)]
    report.intended = [a for a, _f in report.recipients]
    report.problems = [Problem.WRONG_PRICE]
    report.firm_offer = rng.random() < 0.4


def _wrong_attachment(rng, world, reporter, report, client, chinese, number):
    report.subject = f"订单 PO-{number} 合同" if chinese else f"Contract for order PO-{number}"
    report.body = "请查收附件中的合同。" if chinese else "Please find the contract attached."
    report.attachments = [f"Contract_PO-{number}_v{rng.randint(1, 3)}.pdf", f"Packing_list_{number}.xlsx"][
        : rng.randint(1, 2)
    ]
    report.recipients = [(_client_address(rng, client), RecipientField.TO)]
    report.intended = [a for a, _f in report.recipients]
    report.problems = [Problem.WRONG_ATTACHMENT]


def _internal_info(rng, world, reporter, report, client, chinese, number):
    price, correct = _prices(rng)
    report.subject = f"回复：订单 {number} 价格" if chinese else f"RE: order {number} pricing"
    report.body = (
        f"内部：我们的成本是 {price}，底价 {correct}，请勿外传。"
        if chinese
        else f"Internal only: our cost is USD {price}, floor price USD {correct}. Do not forward."
    )
    report.recipients = [(_client_address(rng, client), RecipientField.TO)]
    report.intended = [_colleague(rng, world, reporter)]
    report.problems = [Problem.INTERNAL_INFO] + ([Problem.WRONG_RECIPIENT] if rng.random() < 0.5 else [])


def _personal_data(rng, world, reporter, report, client, chinese, number):
    external = rng.random() < 0.6
    report.subject = (
        f"{rng.choice(['3月', '6月', '9月', '12月'])}工资单" if chinese else f"Payroll {number % 12 + 1:02d}"
    )
    report.body = "附件是工资表和身份证号，仅供内部。" if chinese else "Attached the payroll with passport numbers."
    report.attachments = ["payroll.xlsx"]
    target = _client_address(rng, client) if external else _colleague(rng, world, reporter)
    report.recipients = [(target, RecipientField.TO)]
    report.intended = [Address(f"hr@{world.internal_domain}")]
    report.problems = [Problem.PERSONAL_DATA, Problem.WRONG_RECIPIENT]


def _internal_content(rng, world, reporter, report, client, chinese, number):
    report.subject = (
        f"会议改到周{rng.choice('一二三四五')}" if chinese else f"Meeting moved to {rng.choice(['Monday', 'Friday'])}"
    )
    report.body = "请注意时间变更。" if chinese else "Please note the new time."
    report.recipients = [(_colleague(rng, world, reporter), RecipientField.TO)]
    report.intended = [Address(f"team@{world.internal_domain}")]
    report.problems = [Problem.WRONG_CONTENT]


def _harsh_tone(rng, world, reporter, report, client, chinese, number):
    report.subject = f"回复：订单 {number} 又延误" if chinese else f"RE: order {number} late again"
    report.body = "你们到底会不会做事？" if chinese else "This is the third time. Frankly unacceptable."
    external = rng.random() < 0.6
    report.recipients = [
        ((_client_address(rng, client) if external else _colleague(rng, world, reporter)), RecipientField.TO)
    ]
    report.intended = [a for a, _f in report.recipients]
    report.problems = [Problem.TONE]


def _internal_wrong_recipient(rng, world, reporter, report, client, chinese, number):
    report.subject = f"报销单 {number}" if chinese else f"Expense claim {number}"
    report.body = "请审批。" if chinese else "Please approve."
    report.recipients = [(_colleague(rng, world, reporter), RecipientField.TO)]
    report.intended = [Address(f"finance@{world.internal_domain}")]
    report.problems = [Problem.WRONG_RECIPIENT]


BUILDERS = {
    "quote_to_other_client": _quote_to_other_client,
    "quote_to_competitor": _quote_to_competitor,
    "low_price": _low_price,
    "wrong_attachment": _wrong_attachment,
    "internal_info": _internal_info,
    "personal_data": _personal_data,
    "internal_content": _internal_content,
    "harsh_tone": _harsh_tone,
    "internal_wrong_recipient": _internal_wrong_recipient,
}


def delay_before_report(rng: random.Random) -> timedelta:
    """Most reports come minutes after the mis-send, some hours, a few days later."""
    return timedelta(minutes=min(rng.lognormvariate(2.5, 1.5), 60 * 24 * 5))
