"""The "Before you send" page: a draft in, the verdict, checklist and delayed-send steps out; nothing stored
unless kept; kept checks are their owner's alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from incidents.accounts.services import profile_for
from incidents.models import Contact, KeptCheck, Organisation, PriceFloor
from incidents.prevention import services as prechecks
from tests.factories import file_incident
from tests.support_messages import saved_draft

URL = reverse("incidents:precheck")
QUOTE_FOR_ACME = {
    "to": "Li Wei <li.wei@globex.com.cn>",
    "cc": "",
    "bcc": "",
    "subject": "Quotation for Acme Trading",
    "attachments": "",
    "body": "Please find our quotation attached: PVC pipe USD 1.50 a metre.",
    "mail_system": "gmail",
}


pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def signed_in(signed_in):
    """The employee signed in, with a price floor for PVC pipe."""
    PriceFloor.objects.create(product="PVC pipe", other_words="PVC管", currency="USD", floor=Decimal("2.00"))
    return signed_in


def speaks(user, language: str) -> None:
    profile = profile_for(user)
    profile.language = language
    profile.save()


def check(client, **changes):
    return client.post(URL, {**QUOTE_FOR_ACME, "action": "check", **changes})


def codes(response) -> list[str]:
    return [w.code for w in response.context["verdict"]["warnings"]]


def test_the_page_is_in_the_navigation_with_the_checklist_and_the_steps_of_the_users_mail_system(signed_in, employee):
    file_incident(employee, mail_system="qq")
    page = signed_in.get(URL)
    html = page.content.decode()
    assert f'href="{URL}"' in html
    assert page.context["chosen_system"] == "qq"
    assert 'data-delay-system="qq">' in html and 'data-delay-system="gmail" hidden' in html
    assert "A send delay of 2 to 5 minutes" in html
    assert page.context["verdict"] is None


def test_without_reports_the_steps_are_for_another_mail_system(signed_in):
    assert signed_in.get(URL).context["chosen_system"] == "other"


def test_a_check_names_each_problem_in_a_sentence_with_its_code(signed_in):
    response = check(signed_in)
    assert codes(response) == ["other_client_recipient", "price_below_floor", "attachment_missing"]
    html = response.content.decode()
    assert 'data-warning-code="other_client_recipient"' in html
    assert escape("li.wei@globex.com.cn is at Globex China, but the draft names Acme Trading") in html
    assert "USD 1.50 for PVC pipe is below the floor price of USD 2.00." in html
    assert 'data-delay-system="gmail">' in html
    assert 'id="keep-check"' in html


def test_a_clean_draft_says_so_and_nothing_is_stored(signed_in):
    response = check(signed_in, to="buyer@acme-trading.com", body="PVC pipe USD 2.50", attachments="Quote.pdf")
    assert codes(response) == []
    assert 'id="precheck-clear"' in response.content.decode()
    assert not KeptCheck.objects.exists()


def test_the_draft_overview_names_each_recipients_organisation(signed_in):
    response = check(signed_in, cc="sales@rival-exports.com", bcc="someone@elsewhere.org")
    html = response.content.decode()
    assert "li.wei@globex.com.cn · Globex China (Client)" in html  # the organisation and its kind
    assert "sales@rival-exports.com · Rival Exports (Competitor)" in html
    assert "someone@elsewhere.org · not in the directory" in html
    assert "USD 1.50" in response.context["verdict"]["overview"].figures


def test_bad_addresses_are_field_errors_and_keep_what_was_typed(signed_in):
    response = check(signed_in, to="li.wei@globex.com.cn, not-an-address", body="Text I typed")
    form = response.context["form"]
    assert "not-an-address" in form.errors["to"][0]
    html = response.content.decode()
    assert "li.wei@globex.com.cn, not-an-address" in html and "Text I typed" in html
    assert response.context["verdict"] is None


def test_a_draft_with_no_recipient_asks_for_one(signed_in):
    response = check(signed_in, to="")
    assert "at least one recipient" in response.context["form"].errors["to"][0]


def test_a_saved_draft_fills_the_fields_and_is_checked_at_once(signed_in):
    upload = SimpleUploadedFile("draft.eml", saved_draft(), content_type="message/rfc822")
    response = signed_in.post(URL, {"action": "read", "message": upload, "mail_system": "other"})
    form = response.context["form"]
    assert form["to"].value() == "Jane <buyer@acme-trading.com>"
    assert form["cc"].value() == "sales@rival-exports.com"
    assert form["subject"].value() == "报价单：PVC管"
    assert codes(response) == ["competitor_recipient", "price_below_floor", "attachment_missing"]
    assert not KeptCheck.objects.exists()


def test_a_file_that_is_not_an_email_is_an_error_on_its_field_and_typed_text_stays(signed_in):
    upload = SimpleUploadedFile("quote.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = signed_in.post(URL, {"action": "read", "message": upload, "subject": "Mine", "mail_system": "other"})
    assert "PDF" in response.context["upload"].errors["message"][0]
    assert 'id="message_error"' in response.content.decode()
    assert response.context["form"]["subject"].value() == "Mine"


def test_keeping_stores_the_draft_and_its_warnings_and_shows_them(signed_in, employee):
    response = check(signed_in, action="keep")
    kept = KeptCheck.objects.get()
    assert response.status_code == 302 and response.url == reverse("incidents:kept_check", args=[kept.pk])
    assert kept.owner == employee and kept.subject == "Quotation for Acme Trading"
    assert kept.recipients == [{"address": "li.wei@globex.com.cn", "field": "to"}]
    assert [w["code"] for w in kept.warnings] == ["other_client_recipient", "price_below_floor", "attachment_missing"]
    page = signed_in.get(response.url).content.decode()
    assert "USD 1.50 for PVC pipe is below the floor price of USD 2.00." in page
    assert "The check is kept. Only you can see it." in page


def test_a_kept_check_is_its_owners_alone(signed_in, client, other_employee, employee):
    kept = prechecks.kept_check_create(owner=employee, draft=_draft(), warnings=())
    client.force_login(other_employee)
    assert client.get(reverse("incidents:kept_check", args=[kept.pk])).status_code == 404
    assert client.post(reverse("incidents:kept_check_delete", args=[kept.pk])).status_code == 404
    assert "data-kept-check" not in client.get(URL).content.decode()
    assert KeptCheck.objects.filter(pk=kept.pk).exists()


def test_the_owner_deletes_a_kept_check(signed_in, employee):
    kept = prechecks.kept_check_create(owner=employee, draft=_draft(), warnings=())
    response = signed_in.post(reverse("incidents:kept_check_delete", args=[kept.pk]))
    assert response.status_code == 302 and not KeptCheck.objects.exists()


def test_deleting_needs_a_post(signed_in, employee):
    kept = prechecks.kept_check_create(owner=employee, draft=_draft(), warnings=())
    assert signed_in.get(reverse("incidents:kept_check_delete", args=[kept.pk])).status_code == 405


def _draft(subject="Quote"):
    from incidents.assessment import Party
    from incidents.precheck import OutgoingDraft

    return OutgoingDraft((Party("buyer@acme-trading.com", "to"),), subject, "Hello")


def test_the_kept_list_is_newest_first_paged_and_reads_the_same_queries_for_3_or_30(signed_in, employee):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(URL).status_code == 200
        return len(captured)

    for number in range(3):
        prechecks.kept_check_create(owner=employee, draft=_draft(f"Quote {number}"), warnings=())
    few = queries()
    for number in range(3, 30):
        prechecks.kept_check_create(owner=employee, draft=_draft(f"Quote {number}"), warnings=())
    assert queries() == few
    page = signed_in.get(URL).context["page"]
    assert [k.subject for k in page][:2] == ["Quote 29", "Quote 28"] and page.has_next()
    assert signed_in.get(URL, {"page": 2}).context["page"].object_list[-1].subject == "Quote 0"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "sales@rival-exports.com is at Rival Exports, a competitor."),
        ("zh-hans", "sales@rival-exports.com"),
    ],
)
def test_the_sentences_and_the_page_are_in_the_users_language(signed_in, employee, language, expected, zh_catalogue):
    speaks(employee, language)
    response = check(signed_in, cc="sales@rival-exports.com")
    html = response.content.decode()
    assert expected in html
    if language == "zh-hans":
        assert '<html lang="zh-Hans">' in html and "竞争" in html and "Before you send" not in html


def test_the_chinese_kept_check_shows_its_warnings_in_chinese(signed_in, employee, zh_catalogue):
    check(signed_in, action="keep", cc="sales@rival-exports.com")
    speaks(employee, "zh-hans")
    html = signed_in.get(reverse("incidents:kept_check", args=[KeptCheck.objects.get().pk])).content.decode()
    assert "竞争" in html and "is at Rival Exports" not in html


def test_contacts_of_a_client_name_it(signed_in):
    globex = Organisation.objects.get(name="Globex China")
    Contact.objects.create(organisation=globex, name="王伟", email="wang.wei@globex.com.cn")
    response = check(signed_in, to="buyer@acme-trading.com", subject="报价", body="王伟您好：", attachments="a.pdf")
    assert codes(response) == ["other_client_recipient"]


def test_an_admin_sets_a_floor_that_the_next_check_uses(client, superuser, directory):
    client.force_login(superuser)
    added = client.post(
        reverse("admin:incidents_pricefloor_add"),
        {"product": " Ball valve ", "other_words": "球阀, valves", "currency": "usd", "floor": "3.00"},
    )
    assert added.status_code == 302
    floor = PriceFloor.objects.get()
    assert (floor.product, floor.currency, floor.words) == ("Ball valve", "USD", ("Ball valve", "球阀", "valves"))
    listed = client.get(reverse("admin:incidents_pricefloor_changelist"), {"q": "球阀"}).content.decode()
    assert "Ball valve" in listed
    response = client.post(
        URL,
        {
            **QUOTE_FOR_ACME,
            "to": "buyer@acme-trading.com",
            "subject": "报价",
            "body": "球阀 USD 2.50",
            "action": "check",
        },
    )
    assert codes(response) == ["price_below_floor"]
