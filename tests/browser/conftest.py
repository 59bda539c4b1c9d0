"""Browser tests drive Debian's chromium through Playwright (no browser downloads here)."""

import os
from pathlib import Path

import pytest

from tests.conftest import service_missing

CHROMIUM = Path(os.environ.get("MISSEND_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]

# Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Chromium writes its profile and caches under XDG folders: keep them inside the project.
os.environ.setdefault("XDG_CONFIG_HOME", str(ROOT / "var" / "xdg-config"))
os.environ.setdefault("XDG_CACHE_HOME", str(ROOT / "var" / "xdg-cache"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
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
