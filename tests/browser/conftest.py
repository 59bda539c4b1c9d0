"""Browser tests drive Debian's chromium through Playwright (no browser downloads here)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from tests.browser.support_journeys import BROWSER_LOCALES, DESKTOP
from tests.factories import UserFactory
from tests.i18n_support import ensure_compiled

CHROMIUM = Path(os.environ.get("MISSEND_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]

# Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Chromium writes its profile and caches under XDG folders: keep them inside the project.
os.environ.setdefault("XDG_CONFIG_HOME", str(ROOT / "var" / "xdg-config"))
os.environ.setdefault("XDG_CACHE_HOME", str(ROOT / "var" / "xdg-cache"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, service_missing):
    if not CHROMIUM.exists():
        service_missing("Chromium at /usr/bin/chromium", "apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "locale": "en-GB"}


@pytest.fixture
def erin(directory):
    """Erin Export, an employee (the role groups exist: a transactional test empties them)."""
    for name in ("Employee", "Manager", "Legal"):
        Group.objects.get_or_create(name=name)
    user = UserFactory(username="erin", email="erin@ourco.com", first_name="Erin", last_name="Export")
    user.groups.add(Group.objects.get(name="Employee"))
    return user


@pytest.fixture(scope="session")
def catalogue():
    """The zh-hans catalogue compiled (as `make test` does) before a journey's pages are read."""
    ensure_compiled()


@pytest.fixture
def open_browser(browser, live_server, catalogue):
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
