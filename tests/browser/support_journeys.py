"""The world of the browser journeys (three people, a directory, the escalation policies) in English and in
Simplified Chinese, and the checks and screenshots of a page in the run's language."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.translation import gettext

from incidents.core.addresses import Address
from incidents.models import (
    Contact,
    EscalationLevel,
    EscalationPolicy,
    Incident,
    MailDomain,
    Organisation,
    Profile,
    Team,
)
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report
from tests.factories import PASSWORD, UserFactory
from tests.i18n_support import HAN, chinese_text, english_words, visible_text

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
# The browser's locale for each page language: what a person in that language has set.
BROWSER_LOCALES = {"en": "en-GB", "zh-hans": "zh-CN"}
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans"}
# English words of the interface a Chinese page must never show (besides the general word check below).
ENGLISH_UI = [
    "Report a mis-sent email",
    "Severity",
    "Timeline",
    "Incidents",
    "Triage",
    "Legal review",
    "Inbox",
    "Account",
    "Log out",
    "Acknowledge",
    "What to send now",
    "Approve",
    "Download",
    "Copy",
    "Subject",
]

# The people's own data in each language: a quote for one client that went to another.
DATA = {
    "zh-hans": {
        "people": {"employee": ("王芳", ""), "manager": ("李强", ""), "legal": ("张敏", "")},
        "team": "出口销售部",
        "internal": ("傲科贸易", "ourco.com"),
        "intended": ("华信贸易", "huaxin.com.cn"),
        "wrong": ("远东实业", "yuandong.com.cn"),
        # name, title, email, phone; greeted by surname and title
        "contact": ("李伟", "采购经理", "li.wei@yuandong.com.cn", "+86 21 5555 0100"),
        "greeting": "李经理",
        "subject": "华信贸易报价单：不锈钢球阀两万件",
        "body": "华信贸易采购部：\n\n附件是我们的报价单，单价 12.50 美元，FOB 宁波。\n\n王芳\n出口销售部",
        "attachment": "报价单.pdf",
        "escalated_subject": "华信贸易报价：法兰三千件",
        "firm_subject": "五千台水泵报价，月底前有效",
        "comment": "同意撤回。",
    },
    "en": {
        "people": {"employee": ("Erin", "Walsh"), "manager": ("Max", "Meyer"), "legal": ("Lena", "Lang")},
        "team": "Export Sales",
        "internal": ("OurCo", "ourco.com"),
        "intended": ("Acme Trading", "acme-trading.com"),
        "wrong": ("Globex", "globex.com"),
        "contact": ("Jane Smith", "Purchasing Manager", "jane.smith@globex.com", "+44 20 5555 0100"),
        "greeting": "Dear Jane Smith",
        "subject": "Quotation for Acme Trading: 20,000 ball valves",
        "body": "Dear Acme Trading team,\n\nplease find our quotation: unit price USD 12.50 FOB Ningbo.\n\nErin Walsh\nExport Sales",
        "attachment": "Quotation.pdf",
        "escalated_subject": "Quotation for Acme Trading: 3,000 flanges",
        "firm_subject": "Offer for 5,000 pumps, valid until month end",
        "comment": "Agreed.",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh-hans"])


def t(language: str, message: str, **params) -> str:
    """The message as the catalogue has it in that language."""
    with translation.override(language):
        text = gettext(message)
    return text % params if params else text


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def lines(page, selector: str) -> dict[str, int]:
    """How many lines each element's text takes ({text: lines}), as laid out now."""
    return dict(
        page.eval_on_selector_all(
            selector,
            """elements => elements.map(element => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = new Set(Array.from(range.getClientRects(), rect => Math.round(rect.top)));
        return [element.innerText.trim(), tops.size];
    })""",
        )
    )


def readable_on_a_phone(page, language: str, name: str, *, subjects: str, buttons: str = "") -> None:
    """On a phone the table scrolls sideways rather than stacking a Chinese heading or button one character a line."""
    page.set_viewport_size(PHONE)
    try:
        headings = lines(page, "main thead th")
        assert all(n == 1 for n in headings.values()), f"headings wrap: {headings}"
        widths = page.eval_on_selector_all(
            subjects,
            """cells => cells.map(cell =>
            cell.getBoundingClientRect().width / parseFloat(getComputedStyle(cell).fontSize))""",
        )
        assert widths and min(widths) >= 10, f"subject column squeezed to {min(widths):.1f} characters"
        if buttons:
            pressed = lines(page, buttons)
            assert pressed and all(n == 1 for n in pressed.values()), f"buttons wrap: {pressed}"
        shot(page, language, name)
    finally:
        page.set_viewport_size(DESKTOP)


def shot(page, language: str, name: str) -> None:
    folder = SCREENS / language
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def speaks(page, language: str, allowed: frozenset = frozenset()) -> None:
    """The page is in that language: its <html lang>, and no word of the other language in what it shows.

    allowed: the people's own words that may stand on a page of the other language (their names).
    """
    assert page.get_attribute("html", "lang") == HTML_LANG[language]
    html = page.content()
    if language == "zh-hans":
        body = page.inner_text("body")
        assert HAN.search(page.inner_text("main")), "no Chinese on the page"
        leftovers = [word for word in ENGLISH_UI if word in body]
        assert not leftovers, f"English on a Chinese page: {leftovers}"
        found = english_words(visible_text(html, page_language="zh"), allowed)
        assert not found, f"English words on a Chinese page: {found}"
    else:
        found = chinese_text(visible_text(html, page_language="en"), allowed)
        assert not found, f"Chinese on an English page: {found}"


# The world: three people in a team, a directory with a contact, the escalation policies.
class World:
    def __init__(self, language: str):
        self.language, self.data = language, DATA[language]
        data = self.data
        for name in ("Employee", "Manager", "Legal"):
            Group.objects.get_or_create(name=name)
        self.users = {}
        for role, (first, last) in data["people"].items():
            # No Profile.language: the page language comes from the browser alone.
            user = UserFactory(username=role, email=f"{role}@ourco.com", first_name=first, last_name=last)
            user.groups.add(Group.objects.get(name=role.capitalize()))
            Profile.objects.update_or_create(user=user, defaults={"language": "", "time_zone": "Asia/Shanghai"})
            self.users[role] = user
        team = Team.objects.create(name=data["team"])
        team.members.add(self.users["employee"])
        team.managers.add(self.users["manager"])
        # Our company writes its own internal notes in the run's language.
        for (name, domain), kind, org_language in (
            (data["internal"], "internal", self.language),
            (data["intended"], "client", ""),
            (data["wrong"], "client", ""),
        ):
            organisation = Organisation.objects.create(name=name, kind=kind, language=org_language)
            MailDomain.objects.create(organisation=organisation, domain=domain)
            if kind == "client" and name == data["wrong"][0]:
                contact_name, title, email, phone = data["contact"]
                Contact.objects.create(
                    organisation=organisation, name=contact_name, title=title, email=email, phone=phone
                )
        _default_policies()

    @property
    def buyer(self) -> str:
        return f"buyer@{self.data['intended'][1]}"

    def file(self, subject: str, **facts) -> Incident:
        values = {
            "subject": subject,
            "sent_at": timezone.now() - timedelta(minutes=20),
            "mail_system": "microsoft365",
            "sender": "employee@ourco.com",
            "recipients": [(Address(self.data["contact"][2]), "to")],
            "intended": [Address(self.buyer)],
            "problems": ["wrong_recipient"],
        }
        values.update(facts)
        return incident_report(reporter=self.users["employee"], report=IncidentReport(**values))

    def sent_message(self) -> bytes:
        """The employee's own copy of the quote, as their mail program saves it."""
        data = self.data
        message = EmailMessage()
        message["From"] = f"{' '.join(filter(None, data['people']['employee']))} <employee@ourco.com>"
        message["To"] = f"{data['contact'][0]} <{data['contact'][2]}>"
        message["Subject"] = data["subject"]
        message["Date"] = format_datetime(timezone.now() - timedelta(minutes=20))
        message["Message-ID"] = "<q88.1@mail.ourco.com>"
        message["X-Mailer"] = "Microsoft Outlook 16.0"
        message.set_content(data["body"])
        message.add_attachment(b"%PDF-1.4 quote", maintype="application", subtype="pdf", filename=data["attachment"])
        return message.as_bytes()


def _default_policies() -> None:
    """The policies migration 0004 creates, when a transactional test's flush removed them."""
    managers, legal = Group.objects.get(name="Manager"), Group.objects.get(name="Legal")
    if not EscalationPolicy.objects.filter(route="manager").exists():
        policy_ = EscalationPolicy.objects.create(name="Managers", route="manager", repeat=1)
        EscalationLevel.objects.create(
            policy=policy_, position=0, delay_minutes=Decimal(15), notify_reporter_team_managers=True
        )
        EscalationLevel.objects.create(policy=policy_, position=1, delay_minutes=Decimal(15)).groups.add(managers)
    if not EscalationPolicy.objects.filter(route="legal").exists():
        policy_ = EscalationPolicy.objects.create(name="Legal", route="legal", repeat=1)
        EscalationLevel.objects.create(policy=policy_, position=0, delay_minutes=Decimal(30)).groups.add(legal)
        EscalationLevel.objects.create(
            policy=policy_, position=1, delay_minutes=Decimal(30), notify_reporter_team_managers=True
        ).groups.add(legal, managers)


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/$"))


def directory_words() -> frozenset:
    from incidents.models import Organisation, Team

    names = [*Organisation.objects.values_list("name", flat=True), *Team.objects.values_list("name", flat=True)]
    return frozenset(word for name in names for word in re.findall(r"[A-Za-z]{2,}", name))
