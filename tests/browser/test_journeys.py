"""Three people's journeys in a real browser, in English and in Simplified Chinese.

The employee reports a mis-sent quotation and takes the client's draft; the manager acknowledges the
employee's incident from the triage queue; legal approve a withdrawal of a firm quote so it can be sent.
A Chinese run is a browser set to zh-CN whose users chose no language: the pages must be Chinese
without anyone asking. Expected words come from the catalogue (gettext), so rewording a message does
not break these tests; each page is also checked for words of the other language.

Full-page screenshots of each key screen go to test-results/screens/<language>/<journey>-<step>.png.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

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
from incidents.models.correspondence import DRAFT_KINDS
from incidents.reports.report import IncidentReport
from incidents.reports.services import incident_report
from tests.browser.conftest import ROOT
from tests.factories import PASSWORD, UserFactory
from tests.i18n_support import HAN, chinese_text, english_words, ensure_compiled, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = ROOT / "test-results" / "screens"
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


@pytest.fixture(scope="session", autouse=True)
def catalogue():
    ensure_compiled()


@pytest.fixture
def world(language, db) -> World:
    return World(language)


@pytest.fixture
def open_browser(browser, live_server):
    """A new browser window for the language's locale: open_browser(language) -> page."""
    contexts = []

    def open_(language: str):
        context = browser.new_context(locale=BROWSER_LOCALES[language], accept_downloads=True, viewport=DESKTOP)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/$"))


# 1. The employee.
@LANGUAGES
def test_employee_reports_a_mis_sent_quotation_and_takes_the_clients_draft(open_browser, live_server, world, language):
    data = world.data
    page = open_browser(language)
    page.goto(f"{live_server.url}/login/")
    assert page.inner_text("h1") == t(language, "Log in")
    speaks(page, language)
    sign_in(page, live_server, "employee")

    page.click(f"nav >> text={t(language, 'Report a mis-sent email')}")
    assert page.inner_text("h1") == t(language, "Report a mis-sent email")
    speaks(page, language)
    shot(page, language, "employee-1-report")

    dropped = page.evaluate_handle(
        "data => { const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));"
        " const t = new DataTransfer(); t.items.add(new File([bytes], 'Q-88.eml', {type: 'message/rfc822'}));"
        " return t; }",
        base64.b64encode(world.sent_message()).decode("ascii"),
    )
    page.dispatch_event("#message-drop", "drop", {"dataTransfer": dropped})
    page.wait_for_selector("#message-read")
    assert page.inner_text("#message-read") == t(
        language, "The report is filled from the message. Check it, then say what went wrong and who it was meant for."
    )
    assert page.input_value("#id_subject") == data["subject"]
    assert data["contact"][2] in page.input_value("#id_to_recipients")
    assert data["attachment"] in page.input_value("#id_attachments")
    assert data["body"].splitlines()[2] in page.input_value("#id_body")
    page.check("input[value=wrong_recipient]")
    page.fill("#id_intended_recipients", world.buyer)
    speaks(page, language)
    shot(page, language, "employee-2-filled")
    page.click("input[type=submit][name=submit]")

    # The assessment: severity, and why.
    page.wait_for_selector("#drafts")
    incident = Incident.objects.get()
    assert incident.reporter == world.users["employee"] and incident.message_id == "<q88.1@mail.ourco.com>"
    with translation.override(language):
        severity = incident.get_severity_display()
    assert t(language, "Report filed and assessed.") in page.inner_text("main [role=status]")
    assert severity in page.inner_text("h1")
    assert page.inner_text("#why") == t(language, "Severity: %(s)s — why", s=severity)
    factors = page.locator("section[aria-labelledby=why] li > div:first-child").all_inner_texts()
    assert factors, "no factor explains the severity"
    if language == "zh-hans":
        assert all(HAN.search(f) for f in factors), factors
    assert page.inner_text("#drafts") == t(language, "What to send now")
    speaks(page, language)
    shot(page, language, "employee-3-assessment")

    # The client's draft: the request to delete, greeting the contact who got the quote.
    page.click("#drafts >> xpath=../.. >> a.fw-semibold[href*='deletion_request']")
    page.wait_for_selector("#id_text")
    subject, text = page.input_value("#id_subject"), page.input_value("#id_text")
    assert page.inner_text("h1") == subject
    greeting_line = text.splitlines()[0]
    assert data["greeting"] in greeting_line
    if language == "zh-hans":
        assert HAN.search(subject) and ("，" in greeting_line or "：" in greeting_line), greeting_line
        assert not re.search(r"[A-Za-z]{2,}", greeting_line)
    speaks(page, language)
    shot(page, language, "employee-4-draft")

    page.click("[data-copy-draft]")
    expect(page.locator("[data-copy-draft]")).to_have_text(t(language, "Copied"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(subject) and data["greeting"] in copied

    with page.expect_download() as download:
        page.click(
            f"a[href$='/eml/']:has-text('{t(language, 'Download .eml (opens as a draft in Outlook/Thunderbird)')}')"
        )
    with open(download.value.path(), "rb") as stream:
        message = BytesParser(policy=policy.default).parse(stream)
    assert message["Subject"] == subject and message["X-Unsent"] == "1"
    assert [a.addr_spec for a in message["To"].addresses] == [data["contact"][2]]
    assert message["In-Reply-To"] == "<q88.1@mail.ourco.com>"
    assert data["greeting"] in message.get_body(("plain",)).get_content()


# 2. The manager.
@LANGUAGES
def test_manager_acknowledges_the_employees_incident_from_the_triage_queue(open_browser, live_server, world, language):
    data = world.data
    incident = world.file(data["escalated_subject"], body=data["body"], attachments=[data["attachment"]])
    assert incident.route_manager
    manager = world.users["manager"]
    manager_name = manager.get_full_name()
    page = open_browser(language)
    sign_in(page, live_server, "manager")
    assert page.inner_text("h1") == t(language, "Incidents")
    listed = page.locator("tbody tr", has_text=data["escalated_subject"])
    assert world.users["employee"].get_full_name() in listed.inner_text()
    assert t(language, "Manager") in listed.inner_text()
    speaks(page, language)
    shot(page, language, "manager-0-list")
    readable_on_a_phone(page, language, "manager-0-list-phone", subjects="main tbody td:nth-child(3)")

    page.click(f"nav >> text={t(language, 'Triage')}")
    assert page.inner_text("h1") == t(language, "Triage: escalated incidents")
    row = page.locator("tbody tr", has_text=data["escalated_subject"]).filter(has_text=t(language, "Managers"))
    assert t(language, "Not acknowledged") in row.inner_text()
    speaks(page, language)
    shot(page, language, "manager-1-triage")
    readable_on_a_phone(page, language, "manager-1-triage-phone", subjects="main tbody td:nth-child(3)")

    row.locator(f"a:has-text('{data['escalated_subject']}')").click()
    page.wait_for_selector("#timeline")
    assert data["escalated_subject"] in page.inner_text("h1")
    assert t(language, "waiting for acknowledgement") in page.inner_text("section[aria-labelledby=escalation]")
    speaks(page, language)
    shot(page, language, "manager-2-incident")

    page.click(f"form[action$='/acknowledge/'] button:has-text('{t(language, 'Acknowledge')}')")
    page.wait_for_selector("main [role=status]")
    assert page.inner_text("main [role=status]") == t(language, "Acknowledged: no further levels will be notified.")
    assert page.inner_text("#timeline") == t(language, "Timeline")
    entries = page.locator("ol.timeline > li").all_inner_texts()
    acknowledged = t(language, "Acknowledged for %(route)s", route=t(language, "Managers"))
    assert any(acknowledged in entry and manager_name in entry for entry in entries), entries
    speaks(page, language)
    shot(page, language, "manager-3-acknowledged")

    page.click(f"nav >> text={t(language, 'Triage')}")
    row = page.locator("tbody tr", has_text=data["escalated_subject"]).filter(has_text=t(language, "Managers"))
    assert t(language, "Acknowledged by %(who)s", who=manager_name) in row.inner_text()
    speaks(page, language)
    shot(page, language, "manager-4-triage-after")

    page.click("#nav a[href$='/inbox/']")
    told = page.locator("li.list-group-item", has_text=data["escalated_subject"])
    assert (
        t(language, "Escalated to %(route)s, level %(level)s", route=t(language, "Managers"), level=1)
        in told.inner_text()
    )
    assert t(language, "waiting for acknowledgement") not in told.inner_text()
    speaks(page, language)
    shot(page, language, "manager-5-inbox")


# 3. Legal.
@LANGUAGES
def test_legal_approve_the_withdrawal_of_a_firm_quote_and_the_draft_becomes_sendable(
    open_browser, live_server, world, language
):
    data = world.data
    buyer = world.buyer
    incident = world.file(
        data["firm_subject"],
        recipients=[(Address(buyer), "to")],
        intended=[Address(buyer)],
        problems=["wrong_price"],
        quoted_price=Decimal("82.00"),
        correct_price=Decimal("100.00"),
        currency="USD",
        firm_offer=True,
        recipient_status="accepted",
    )
    assert incident.route_legal
    legal_name = world.users["legal"].get_full_name()
    page = open_browser(language)
    sign_in(page, live_server, "legal")

    page.click(f"nav >> text={t(language, 'Legal review')}")
    assert page.inner_text("h1") == t(language, "Legal review")
    row = page.locator("tbody tr", has_text=data["firm_subject"])
    with translation.override(language):
        withdrawal = str(dict(DRAFT_KINDS)["offer_withdrawal"])
    assert t(language, "firm offer / validity stated") in row.inner_text()
    assert t(language, "%(kind)s awaits your approval", kind=withdrawal) in row.inner_text()
    speaks(page, language)
    shot(page, language, "legal-1-queue")
    readable_on_a_phone(
        page, language, "legal-1-queue-phone", subjects="main tbody td:nth-child(3)", buttons="main tbody button"
    )

    row.locator(f"a:has-text('{data['firm_subject']}')").click()
    page.wait_for_selector("#drafts")
    waiting = page.locator("#drafts >> xpath=../.. >> li", has=page.locator("a[href*='offer_withdrawal']"))
    assert t(language, "legal must approve before sending") in waiting.inner_text()
    speaks(page, language)
    shot(page, language, "legal-2-incident")

    waiting.locator("a.fw-semibold").click()
    page.wait_for_selector("#refusal")
    assert page.locator("[data-copy-draft]").count() == 0
    assert page.locator("button[disabled]", has_text=t(language, "Copy")).count() == 1
    subject = page.input_value("#id_subject")
    if language == "zh-hans":
        assert HAN.search(subject) and HAN.search(page.input_value("#id_text"))
    speaks(page, language)
    shot(page, language, "legal-3-draft-waiting")

    page.fill("textarea[name=comment]", data["comment"])
    page.click(f"button[name=decision][value=approve]:has-text('{t(language, 'Approve')}')")
    page.wait_for_selector("main [role=status]")
    assert page.inner_text("main [role=status]") == t(language, "Decision recorded.")
    approved = page.inner_text("main [role=alert]")
    assert approved == t(language, "Approved by %(who)s. %(comment)s", who=legal_name, comment=data["comment"])
    assert t(language, "approved by legal") in page.inner_text("main")
    # Sendable: no refusal, Copy and Download .eml work.
    assert page.locator("#refusal").count() == 0
    assert page.locator("[data-copy-draft]:not([disabled])").count() == 1
    with page.expect_download() as download:
        page.click("a[href$='/eml/']")
    with open(download.value.path(), "rb") as stream:
        message = BytesParser(policy=policy.default).parse(stream)
    assert message["Subject"] == subject and [a.addr_spec for a in message["To"].addresses] == [buyer]
    speaks(page, language)
    shot(page, language, "legal-4-approved")

    page.click(f"nav >> text={t(language, 'Legal review')}")
    row = page.locator("tbody tr", has_text=data["firm_subject"])
    assert t(language, "%(kind)s awaits your approval", kind=withdrawal) not in row.inner_text()
    # Deciding acknowledged the legal route in legal's name. This queue names them by their login for now
    # (queues.legal_queue reads acknowledged_by__username): data, not a word to translate.
    assert any(
        t(language, "Legal acknowledged (%(who)s)", who=who) in row.inner_text() for who in (legal_name, "legal")
    )
    speaks(page, language, frozenset({"legal"}))
    shot(page, language, "legal-5-queue-after")


def directory_words() -> frozenset:
    from incidents.models import Organisation, Team

    names = [*Organisation.objects.values_list("name", flat=True), *Team.objects.values_list("name", flat=True)]
    return frozenset(word for name in names for word in re.findall(r"[A-Za-z]{2,}", name))


# The language switch, remembered across signing out and in.
def test_the_language_chosen_in_the_navigation_is_kept_after_logging_out_and_in(open_browser, live_server, db):
    world = World("en")
    # Erin Walsh stays Erin Walsh on a Chinese page, and so do the team and organisations the list's
    # filters offer (their names are the company's data, not the interface).
    names = frozenset(world.data["people"]["employee"]) | directory_words()
    page = open_browser("en")  # an English browser
    sign_in(page, live_server, "employee")
    assert t("en", "Report a mis-sent email") in page.inner_text("nav")
    speaks(page, "en")

    page.click(".language-switch button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-Hans]")
    assert page.url == f"{live_server.url}/incidents/"
    assert t("zh-hans", "Report a mis-sent email") in page.inner_text("nav")
    speaks(page, "zh-hans", names)
    shot(page, "zh-hans", "switch-1-chosen")

    page.click("#user-menu")
    page.click(f"nav form[action$='/logout/'] button:has-text('{t('zh-hans', 'Log out')}')")
    page.wait_for_selector("#id_username")
    assert page.inner_text("h1") == t("zh-hans", "Log in")
    speaks(page, "zh-hans")
    shot(page, "zh-hans", "switch-2-logged-out")

    sign_in(page, live_server, "employee")
    assert t("zh-hans", "Report a mis-sent email") in page.inner_text("nav")
    speaks(page, "zh-hans", names)

    # Another English browser, without the cookie: signing in brings the chosen language back.
    elsewhere = open_browser("en")
    elsewhere.goto(f"{live_server.url}/login/")
    assert elsewhere.inner_text("h1") == t("en", "Log in")
    sign_in(elsewhere, live_server, "employee")
    assert t("zh-hans", "Report a mis-sent email") in elsewhere.inner_text("nav")
    speaks(elsewhere, "zh-hans", names)
    shot(elsewhere, "zh-hans", "switch-3-other-browser")
