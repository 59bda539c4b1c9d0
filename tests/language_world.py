"""A small company's desk, with its people's data in one language: what the language tests render.

Every page of the site is opened on it; its incidents reach every route, draft, timeline event and
notice a page can show (escalated and acknowledged, a low firm quote waiting for legal, a data breach
with its clock, a resolved one, a kept message, a pending forwarded report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from incidents.core.addresses import Address
from incidents.drafts.selectors import incident_drafts
from incidents.drafts.services import draft_decide, draft_edit, draft_mark_sent
from incidents.escalation.services import incident_acknowledge, incident_resolve, incident_take_over
from incidents.evidence.services import evidence_keep
from incidents.models import MailDomain, Notification, Organisation, PendingReport, Profile, Team
from incidents.notifications import services as notifications
from incidents.notifications.links import acknowledge_token
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report
from tests.factories import UserFactory

# The people's own data, in each language: names, organisations, subjects, notes.
DATA = {
    "zh-hans": {
        # Written whole in first_name: Django's get_full_name() puts the given name first.
        "people": {"employee": ("王芳", ""), "manager": ("李强", ""), "legal": ("张敏", "")},
        "organisations": [
            ("傲科贸易", "internal", "ourco.com"),
            ("华信贸易", "client", "huaxin.com.cn"),
            ("远东实业", "client", "yuandong.com.cn"),
            ("宏达出口", "competitor", "hongda.com.cn"),
        ],
        "team": "出口销售部",
        "zone": "Asia/Shanghai",
        "subjects": [
            "华信贸易报价单：不锈钢球阀两万件",
            "五千台水泵报价，月底前有效",
            "员工工资单与身份证复印件",
            "团队午餐改到周五",
        ],
        "body": "尊敬的客户：\n附件是我们的报价单，单价 12.50 美元，FOB 宁波。\n内部：底价 11 美元，利润很薄。",
        "attachment": "报价单.pdf",
        "note": "已致电客户并发出更正邮件。",
        "reason": "客户已确认删除",
        "wording": "更正：请以附件为准。",
        "comment": "同意撤回。",
    },
    "en": {
        "people": {"employee": ("Erin", "Walsh"), "manager": ("Max", "Meyer"), "legal": ("Lena", "Lang")},
        "organisations": [
            ("OurCo", "internal", "ourco.com"),
            ("Acme Trading", "client", "acme-trading.com"),
            ("Globex", "client", "globex.com"),
            ("Rival Exports", "competitor", "rival-exports.com"),
        ],
        "team": "Export Sales",
        "zone": "Europe/Berlin",
        "subjects": [
            "Quotation for Acme: 20,000 valves",
            "Offer for 5,000 pumps, valid until month end",
            "Payroll and passport copies",
            "Team lunch moved to Friday",
        ],
        "body": "Dear buyer,\nplease find our quotation: unit price USD 12.50 FOB Ningbo.\nInternal only: our cost is USD 11.",
        "attachment": "Quotation.pdf",
        "note": "Called the client and sent the correction.",
        "reason": "The client confirmed the deletion",
        "wording": "Correction: please use the attached version.",
        "comment": "Agreed.",
    },
}


@dataclass
class World:
    language: str
    users: dict
    incidents: list
    pending: PendingReport
    ack_token: str
    pages: dict = field(default_factory=dict)

    def client(self, who: str | None, **headers) -> Client:
        client = Client(**headers)
        if who:
            client.force_login(self.users[who])
        return client


def _person(role: str, first: str, last: str, group: str | None, language: str, zone: str):
    user = UserFactory(username=role, first_name=first, last_name=last, is_staff=False)
    if group:
        user.groups.add(Group.objects.get(name=group))
    Profile.objects.update_or_create(user=user, defaults={"language": language, "time_zone": zone})
    return user


def _report(data: dict, number: int, to: str, intended: str, **facts) -> IncidentReport:
    values = {
        "subject": data["subjects"][number],
        "sent_at": timezone.now() - timedelta(minutes=30 + number),
        "mail_system": "microsoft365",
        "sender": "employee@ourco.com",
        "recipients": [(Address(to), "to"), (Address("manager@ourco.com"), "cc")],
        "intended": [Address(intended)],
        "problems": ["wrong_recipient"],
    }
    values.update(facts)
    return IncidentReport(**values)


def _sent_message(subject: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "employee@ourco.com", "buyer@example.com", subject
    message["Date"] = "Tue, 04 Mar 2025 09:30:00 +0800"
    message.set_content(subject)
    return message.as_bytes()


def build_world(language: str) -> World:
    data = DATA[language]
    groups = {"employee": "Employee", "manager": "Manager", "legal": "Legal"}
    users = {
        role: _person(role, *names, groups[role], language, data["zone"]) for role, names in data["people"].items()
    }
    for name, kind, domain in data["organisations"]:
        MailDomain.objects.create(organisation=Organisation.objects.create(name=name, kind=kind), domain=domain)
    team = Team.objects.create(name=data["team"])
    team.members.add(users["employee"])
    team.managers.add(users["manager"])
    domains = [o[2] for o in data["organisations"]]
    employee, manager, legal = users["employee"], users["manager"], users["legal"]

    to_competitor = incident_report(
        reporter=employee,
        report=_report(
            data,
            0,
            f"sales@{domains[3]}",
            f"buyer@{domains[1]}",
            body=data["body"],
            attachments=[data["attachment"]],
            problems=["wrong_recipient", "internal_info"],
        ),
    )
    low_quote = incident_report(
        reporter=employee,
        report=_report(
            data,
            1,
            f"buyer@{domains[1]}",
            f"buyer@{domains[1]}",
            problems=["wrong_price"],
            quoted_price=Decimal("82.00"),
            correct_price=Decimal("100.00"),
            currency="USD",
            firm_offer=True,
            recipient_status="accepted",
        ),
    )
    breach = incident_report(
        reporter=employee,
        report=_report(data, 2, f"hr@{domains[2]}", f"hr@{domains[0]}", problems=["wrong_recipient", "personal_data"]),
    )
    internal = incident_report(
        reporter=employee,
        report=_report(
            data, 3, f"sales@{domains[0]}", f"team@{domains[0]}", problems=["wrong_content"], recipient_status="unread"
        ),
    )

    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notifications.deliver(pk)
    # A link to an escalation still waiting: the page with the one button.
    ack_claim = Notification.objects.filter(recipient=manager, channel="email").exclude(incident=to_competitor).first()
    assert ack_claim is not None, "the manager was told of nothing but the incident they acknowledge below"
    incident_acknowledge(incident=to_competitor, actor=manager)
    incident_take_over(incident=to_competitor, actor=manager)
    [first_draft, *_] = incident_drafts(to_competitor)
    draft_edit(
        incident=to_competitor,
        item=first_draft,
        actor=employee,
        subject=first_draft.draft.subject,
        text=data["wording"],
    )
    sendable = [
        i for i in incident_drafts(to_competitor) if i.draft.kind != "call_script" and not i.draft.needs_legal_approval
    ]
    if sendable:
        draft_mark_sent(incident=to_competitor, item=sendable[0], actor=employee, via="eml")
    for item in incident_drafts(low_quote):
        if item.draft.needs_legal_approval:
            draft_decide(incident=low_quote, item=item, actor=legal, approve=True, comment=data["comment"])
            break
    evidence_keep(
        data=_sent_message(data["subjects"][0]),
        filename=data["attachment"] + ".eml",
        user=employee,
        source="incident",
        incident=to_competitor,
    )
    incident_resolve(incident=internal, actor=employee, note=data["note"])
    pending = PendingReport.objects.create(
        owner=employee,
        fields={"subject": data["subjects"][0], "to_recipients": [f"sales@{domains[3]}"]},
        warnings=[],
    )
    world = World(language, users, [to_competitor, low_quote, breach, internal], pending, acknowledge_token(ack_claim))
    world.pages = pages_of(world)
    return world


INCIDENT_NAMES = ("escalated", "low quote", "data breach", "resolved")
PAGES = [
    "login",
    "list",
    "report",
    "report with errors",
    "edit",
    "triage",
    "legal",
    "inbox",
    "account",
    "pending report",
    "evidence page",
    "acknowledge link",
    *(f"detail: {name}" for name in INCIDENT_NAMES),
    *(f"drafts: {name}" for name in INCIDENT_NAMES),
]
PAGES += ["before you send", "kept check"]


def pages_of(world: World) -> dict[str, list[tuple[str | None, str, dict | None]]]:
    """Every page, as [(who opens it, URL, POST data or None)]; "drafts: ..." is each draft of an incident."""
    a = world.incidents[0]
    pages = {
        "login": [(None, reverse("login"), None)],
        "list": [("manager", reverse("incidents:list"), None)],
        "report": [("employee", reverse("incidents:report"), None)],
        "report with errors": [("employee", reverse("incidents:report"), {"subject": "", "quoted_price": "x"})],
        "edit": [("employee", reverse("incidents:edit", args=[a.pk]), None)],
        "triage": [("manager", reverse("incidents:triage"), None)],
        "legal": [("legal", reverse("incidents:legal"), None)],
        "inbox": [("manager", reverse("incidents:inbox"), None)],
        "account": [("employee", reverse("incidents:account"), None)],
        "pending report": [("employee", reverse("incidents:pending", args=[world.pending.pk]), None)],
        "evidence page": [("employee", reverse("incidents:evidence_add", args=[a.pk]), None)],
        "acknowledge link": [("manager", reverse("acknowledge_link", args=[world.ack_token]), None)],
    }
    for name, incident in zip(INCIDENT_NAMES, world.incidents):
        pages[f"detail: {name}"] = [("manager", incident.get_absolute_url(), None)]
        pages[f"drafts: {name}"] = [
            (
                "legal" if item.draft.needs_legal_approval else "employee",
                reverse("incidents:draft", args=[incident.pk, item.draft.key]),
                None,
            )
            for item in incident_drafts(incident)
        ]
    pages.update(_precheck_pages(world))
    return pages


def _precheck_pages(world: World) -> dict:
    """Before you send: the empty page, a draft to a competitor with internal words, a low price and a missing
    attachment checked, and one such check kept."""
    from incidents.assessment import Party
    from incidents.precheck import OutgoingDraft
    from incidents.prevention import services as prechecks

    data, (_ours, _client, other, rival) = DATA[world.language], [o[2] for o in DATA[world.language]["organisations"]]
    draft = {
        "to": f"sales@{rival}",
        "cc": f"buyer@{other}",
        "bcc": "",
        "subject": data["subjects"][0],
        "body": data["body"],
        "attachments": "",
        "mail_system": "qq",
        "action": "check",
    }
    kept = prechecks.kept_check_create(
        owner=world.users["employee"],
        draft=OutgoingDraft((Party(draft["to"], "to"), Party(draft["cc"], "cc")), draft["subject"], draft["body"]),
        warnings=prechecks.draft_check(
            draft=OutgoingDraft((Party(draft["to"], "to"),), draft["subject"], draft["body"])
        ),
    )
    url = reverse("incidents:precheck")
    return {
        "before you send": [("employee", url, None), ("employee", url, draft)],
        "kept check": [("employee", reverse("incidents:kept_check", args=[kept.pk]), None)],
    }


def open_page(world: World, name: str, **headers) -> list[str]:
    """The HTML of the page (each of them, for "drafts: ..."), as its user sees it."""
    html = []
    for who, url, post in world.pages[name]:
        client = world.client(who, **headers)
        response = client.post(url, post) if post is not None else client.get(url)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        html.append(response.content.decode())
    return html
