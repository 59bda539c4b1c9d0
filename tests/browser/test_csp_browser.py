"""The Content-Security-Policy breaks nothing a person does: the main pages, used as a person uses them
(the admin's and the site's login, the report form reading a dropped message, the incident page and a draft's Copy button, Before you send
checking a draft, held messages, the dashboard's charts), in English and in Simplified Chinese, leave no
CSP violation in the browser's console."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from incidents.models import Team
from tests.factories import PASSWORD, UserFactory, file_incident, held_message
from tests.i18n_support import ensure_compiled
from tests.support_messages import sent_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def erin(directory):
    """An employee who also manages her team, so the dashboard opens for her too."""
    ensure_compiled()
    user = UserFactory(username="erin", email="erin@ourco.com", first_name="Erin", last_name="Export")
    for name in ("Employee", "Manager"):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    team = Team.objects.create(name="Export Sales")
    team.members.add(user)
    team.managers.add(user)
    return user


def watch(page) -> list[str]:
    """Every console message or page error that names the Content Security Policy."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(str(error)) if "Content Security Policy" in str(error) else None)
    return seen


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_main_pages_used_as_a_person_does_leave_no_csp_violation(page, live_server, erin, tmp_path, language):
    incident = file_incident(erin)
    held = held_message()
    message = tmp_path / "Q-77.eml"
    message.write_bytes(sent_message())
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    violations = watch(page)

    page.goto(f"{live_server.url}/admin/login/", wait_until="load")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/$"))
    assert page.locator("html").get_attribute("lang") == {"en": "en", "zh-hans": "zh-Hans"}[language]

    page.goto(f"{live_server.url}/incidents/report/", wait_until="load")
    page.set_input_files("#id_message", str(message))
    page.wait_for_selector("#message-read")

    page.goto(f"{live_server.url}/incidents/{incident.pk}/", wait_until="load")
    page.wait_for_selector("#drafts")
    page.locator("main a[href*='/drafts/']").first.click()
    page.wait_for_selector("[data-copy-draft]")
    copy = page.locator("[data-copy-draft]")
    label = copy.inner_text()
    copy.click()
    page.wait_for_function("([el, label]) => el.textContent !== label", arg=[copy.element_handle(), label])

    page.goto(f"{live_server.url}/incidents/before-you-send/", wait_until="load")
    page.fill("#id_to", "sales@rival-exports.com")
    page.fill("#id_subject", "Quotation for Acme Trading")
    page.fill("#id_body", "Dear Anna, please find our price attached.")
    page.click("#check-draft")
    page.wait_for_selector("#precheck-warnings")

    page.goto(f"{live_server.url}/incidents/held/", wait_until="load")
    page.goto(f"{live_server.url}/incidents/held/{held.pk}/", wait_until="load")
    page.goto(f"{live_server.url}/incidents/dashboard/", wait_until="load")
    page.wait_for_selector("svg.pygal-chart, .dashboard-chart svg")
    page.goto(f"{live_server.url}/incidents/", wait_until="load")

    assert violations == []
