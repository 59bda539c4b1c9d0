"""The language chosen in the navigation, in a real browser: kept after logging out and in, and brought back
by signing in from another browser."""

import pytest

from tests.browser.support_journeys import World, directory_words, shot, sign_in, speaks, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
