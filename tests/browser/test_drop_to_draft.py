"""From "I sent it wrong" to the right draft on screen in at most five actions: drop the sent message,
say what went wrong and who it was meant for, submit."""

import pytest

from incidents.models import Incident
from tests.factories import PASSWORD, file_incident
from tests.support_messages import sent_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_ACTIONS = 5


class Actions:
    """Counts what the person does (clicks, drops, typing into one field), not what the test checks."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __getattr__(self, name):
        def act(*args, **kwargs):
            self.count += 1
            return getattr(self.page, name)(*args, **kwargs)

        return act


def test_dropping_the_sent_message_fills_the_report_and_the_drafts_follow_in_five_actions(page, live_server, erin):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Report a mis-sent email")
    eml = sent_message(mailer="Microsoft Outlook 16.0").decode("ascii")
    you = Actions(page)

    you.click("text=Report a mis-sent email")
    # The page's script must be listening before the drop: the click returns once the navigation has
    # started, and under load the drop came before report_upload.js had run (a CI run timed out).
    page.wait_for_url("**/incidents/report/", wait_until="load")
    dropped = page.evaluate_handle(
        "text => { const t = new DataTransfer(); t.items.add(new File([text], 'Q-77.eml', {type: 'message/rfc822'}));"
        " return t; }",
        eml,
    )
    you.dispatch_event("#message-drop", "drop", {"dataTransfer": dropped})
    page.wait_for_selector("#message-read")
    assert page.input_value("#id_subject") == "Quotation Q-77 for Acme Trading"
    assert "li.wei@globex.com.cn" in page.input_value("#id_to_recipients")
    assert page.input_value("#id_mail_system") == "microsoft365"
    assert page.input_value("#id_message_id") == "<q77.1@mail.ourco.com>"
    assert "Quotation_Q-77.pdf" in page.input_value("#id_attachments")
    assert "This mentions Acme Trading: was it meant for them?" in page.content()
    you.check("input[value=wrong_recipient]")
    you.fill("#id_intended_recipients", "buyer@acme-trading.com")
    you.click("input[type=submit][value='Save and assess']")

    page.wait_for_selector("#drafts")
    assert "High" in page.inner_text("h1")
    assert "What to send now" in page.inner_text("#drafts")
    assert page.locator("a:has-text('Open')").count() >= 1
    assert you.count <= MAX_ACTIONS, f"{you.count} actions"
    incident = Incident.objects.get()
    assert incident.message_id == "<q77.1@mail.ourco.com>" and incident.reporter == erin


def test_choosing_the_file_reads_it_at_once_and_a_known_address_fills_the_intended_recipients(
    page, live_server, erin, tmp_path
):
    file_incident(erin, intended=["buyer@acme-trading.com"])
    path = tmp_path / "Q-77.eml"
    path.write_bytes(sent_message())
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/incidents/report/")

    page.set_input_files("#id_message", str(path))  # no click on "Read the message": choosing is enough
    page.wait_for_selector("#message-read")
    page.click("[data-fill-intended='buyer@acme-trading.com']")

    assert page.input_value("#id_intended_recipients") == "buyer@acme-trading.com"
    assert page.input_value("#id_subject") == "Quotation Q-77 for Acme Trading"


def test_keeping_the_dropped_message_as_evidence_takes_one_tick_and_the_download_is_the_same_file(
    page, live_server, erin, tmp_path
):
    import hashlib
    from pathlib import Path

    data = sent_message()
    path = tmp_path / "Q-77.eml"
    path.write_bytes(data)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/incidents/report/")

    page.check("#id_keep")
    page.set_input_files("#id_message", str(path))
    page.wait_for_selector("[data-held-evidence]")
    assert page.is_checked("#id_keep")
    page.check("input[value=wrong_recipient]")
    page.fill("#id_intended_recipients", "buyer@acme-trading.com")
    page.screenshot(path=str(Path("test-results") / "report-keep-evidence.png"), full_page=True)
    page.click("input[type=submit][value='Save and assess']")

    page.wait_for_selector("#evidence")
    sha = hashlib.sha256(data).hexdigest()
    assert sha in page.inner_text("[data-evidence]")
    page.locator("[data-evidence]").screenshot(path=str(Path("test-results") / "incident-evidence.png"))
    with page.expect_download() as download:
        page.click("[data-evidence] a")
    assert download.value.suggested_filename == "Q-77.eml"
    assert hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest() == sha
