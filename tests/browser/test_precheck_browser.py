"""Before you send, in a real browser: fill or drop a draft, see each warning, keep the check, in English
and in Simplified Chinese (switched with the navigation's language buttons, as a person does)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext

from incidents.models import KeptCheck, PriceFloor
from tests.browser.support_journeys import SCREENS
from tests.factories import PASSWORD, UserFactory
from tests.i18n_support import HAN, ensure_compiled
from tests.support_messages import saved_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.fixture
def erin(directory):
    ensure_compiled()
    PriceFloor.objects.create(product="PVC pipe", other_words="PVC管", currency="USD", floor=Decimal("2.00"))
    user = UserFactory(username="erin", email="erin@ourco.com", first_name="Erin", last_name="Export")
    user.groups.add(Group.objects.get_or_create(name="Employee")[0])
    return user


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/$"))


def shot(page, language: str) -> None:
    """The verdict as a person sees it, for review: test-results/screens/<language>/precheck.png."""
    folder = SCREENS / language
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "precheck.png"), full_page=True)


def warnings(page) -> dict[str, str]:
    return {
        item.get_attribute("data-warning-code"): item.inner_text() for item in page.locator("[data-warning-code]").all()
    }


def test_an_english_draft_gets_its_warnings_and_the_check_can_be_kept_and_deleted(page, live_server, erin):
    sign_in(page, live_server)
    page.click("nav >> text=Before you send")
    page.wait_for_url("**/incidents/before-you-send/", wait_until="load")
    page.fill("#id_to", "Li Wei <li.wei@globex.com.cn>")
    page.fill("#id_cc", "sales@rival-exports.com")
    page.fill("#id_subject", "Quotation for Acme Trading")
    page.fill(
        "#id_body", "Dear Anna,\nplease find our price attached: PVC pipe USD 1.50 a metre.\nOur cost is USD 0.90."
    )
    page.select_option("#id_mail_system", "gmail")
    assert page.is_visible("[data-delay-system=gmail]") and not page.is_visible("[data-delay-system=other]")
    page.click("#check-draft")

    page.wait_for_selector("#precheck-warnings")
    found = warnings(page)
    assert list(found) == [
        "competitor_recipient",
        "other_client_recipient",
        "internal_words_outside",
        "cost_figures_outside",
        "price_below_floor",
        "attachment_missing",
    ]
    assert found["competitor_recipient"] == "sales@rival-exports.com is at Rival Exports, a competitor."
    assert found["price_below_floor"] == "USD 1.50 for PVC pipe is below the floor price of USD 2.00."
    assert page.input_value("#id_body").startswith("Dear Anna")
    assert "Gmail" in page.inner_text("[data-delay-system=gmail]")
    assert not KeptCheck.objects.exists()
    shot(page, "en")

    page.click("#keep-check")
    page.wait_for_url(re.compile(r"/before-you-send/kept/\d+/$"))
    assert "sales@rival-exports.com is at Rival Exports, a competitor." in page.inner_text("#precheck-verdict")
    page.click("#delete-kept-check")
    page.wait_for_url("**/incidents/before-you-send/")
    assert not KeptCheck.objects.exists()


def test_dropping_a_saved_draft_fills_the_fields_and_checks_it(page, live_server, erin):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/incidents/before-you-send/", wait_until="load")
    dropped = page.evaluate_handle(
        "text => { const t = new DataTransfer(); t.items.add(new File([text], 'draft.eml', {type: 'message/rfc822'}));"
        " return t; }",
        saved_draft().decode("utf-8"),
    )
    page.dispatch_event("#message-drop", "drop", {"dataTransfer": dropped})
    page.wait_for_selector("#precheck-verdict")
    assert page.input_value("#id_subject") == "报价单：PVC管"
    assert "buyer@acme-trading.com" in page.input_value("#id_to")
    assert list(warnings(page)) == ["competitor_recipient", "price_below_floor", "attachment_missing"]


def test_a_chinese_draft_gets_its_warnings_in_chinese(page, live_server, erin):
    sign_in(page, live_server)
    page.click("nav button[name=language][value=zh-hans]")
    page.wait_for_function("document.documentElement.lang === 'zh-Hans'")
    page.click(f"nav >> text={t('zh-hans', 'Before you send')}")
    page.wait_for_url("**/incidents/before-you-send/", wait_until="load")
    assert page.inner_text("h1") == t("zh-hans", "Before you send")
    page.fill("#id_to", "wang@globex.com.cn")
    page.fill("#id_cc", "sales@rival-exports.com")
    page.fill("#id_subject", "报价单")
    page.fill("#id_body", "王经理您好：\n附件是报价单，PVC管 USD 1.80/米。\n我们的成本是 0.9 美元，请勿外传。")
    page.click("#check-draft")

    page.wait_for_selector("#precheck-warnings")
    found = warnings(page)
    assert list(found) == [
        "competitor_recipient",
        "internal_words_outside",
        "cost_figures_outside",
        "price_below_floor",
        "attachment_missing",
    ]
    assert all(HAN.search(sentence) for sentence in found.values()), found
    assert "竞争对手" in found["competitor_recipient"] and "sales@rival-exports.com" in found["competitor_recipient"]
    assert "附件" in found["attachment_missing"]
    assert "is at" not in page.inner_text("main") and "Before you send" not in page.inner_text("body")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    shot(page, "zh-hans")
