"""A sales employee's first minutes after a mis-send, in a real browser."""

from email import policy
from email.parser import BytesParser

import pytest

from incidents.models import DraftRecord, Incident
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_reports_a_wrong_client_email_edits_the_deletion_request_downloads_it_and_marks_it_sent(
    page, live_server, erin, tmp_path
):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.click("text=Report a mis-sent email")
    page.fill("#id_subject", "Quotation Q-77 for Acme: 3,000 flanges")
    page.select_option("#id_mail_system", "gmail")
    page.fill("#id_sender", "erin@ourco.com")
    page.fill("#id_to_recipients", "Li Wei <li.wei@globex.com.cn>")
    page.fill("#id_intended_recipients", "buyer@acme-trading.com")
    page.check("input[value=wrong_recipient]")
    page.fill("#id_attachments", "Quotation_Q-77_Acme.pdf")
    page.fill("#id_message_id", "<q77.1@mail.ourco.com>")
    page.click("input[type=submit]")

    page.wait_for_selector("text=Report filed and assessed.")
    assert "High" in page.inner_text("h1")
    page.click("a:has-text('Open') >> nth=1")  # the call script comes first, then the deletion request
    assert "邮件误发" in page.inner_text("h1")  # Globex is a .com.cn client: Chinese by default
    page.click("a:has-text('English')")
    text = page.input_value("#id_text")
    assert "delete" in text
    page.fill("#id_text", text.replace("Kind regards", "Thank you for your understanding. Kind regards"))
    page.click("button:has-text('Save my wording')")
    page.wait_for_selector("text=Your wording is saved.")

    with page.expect_download() as download_info:
        page.click("a:has-text('Download .eml')")
    path = tmp_path / "draft.eml"
    download_info.value.save_as(path)
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert message["X-Unsent"] == "1"
    assert message["In-Reply-To"] == "<q77.1@mail.ourco.com>"
    assert [a.addr_spec for a in message["To"].addresses] == ["li.wei@globex.com.cn"]
    assert "Thank you for your understanding." in message.get_body(("plain",)).get_content()

    page.select_option("#id_via", "eml")
    page.click("button:has-text('Mark as sent')")
    page.wait_for_selector("text=Marked as sent.")
    page.click("text=← #")
    timeline = page.inner_text("#timeline >> xpath=../..")
    assert "Draft sent" in timeline and "deletion_request:globex.com.cn" in timeline
    assert "First correction sent" in page.content()

    incident = Incident.objects.get()
    record = DraftRecord.objects.get(incident=incident, key="deletion_request:globex.com.cn")
    assert record.sent_via == "eml" and incident.first_correction_at is not None
