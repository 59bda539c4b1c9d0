"""Every main page carries the security headers: a Content-Security-Policy with no inline script and no
framing, X-Frame-Options, Referrer-Policy and X-Content-Type-Options; production settings add HSTS."""

import base64
import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import file_incident

ROOT = Path(__file__).resolve().parents[1]

SIGNED_IN_PAGES = [
    "/incidents/",
    "/incidents/{incident}/",
    "/incidents/report/",
    "/incidents/before-you-send/",
    "/incidents/held/",
    "/incidents/dashboard/",
    "/incidents/account/",
]
ANONYMOUS_PAGES = ["/login/", "/admin/login/"]


def policy(response) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def assert_secured(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce: the pages have no inline script
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["style-src"][0] == "'self'" and "'unsafe-inline'" not in csp["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_pages_carry_the_security_headers(client, manager, directory, page):
    incident = file_incident(manager)
    client.force_login(manager)
    response = client.get(page.format(incident=incident.pk))
    assert response.status_code == 200
    assert_secured(response)


@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_login_and_admin_login_carry_the_security_headers(client, db, page):
    response = client.get(page)
    assert response.status_code == 200
    assert_secured(response)


def test_the_api_carries_the_security_headers_too(client, employee):
    client.force_login(employee)
    assert_secured(client.get("/api/incidents/"))


def test_the_dashboards_chart_style_is_allowed_by_its_hash_not_by_unsafe_inline(client, manager, directory):
    file_incident(manager)
    client.force_login(manager)
    response = client.get("/incidents/dashboard/")
    page = response.content.decode()
    block = page.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert policy(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]


def test_production_settings_pass_the_deployment_checks_without_a_warning(tmp_path):
    """DEBUG off and a secret key from the environment: HTTPS, HSTS, secure cookies (what .ci/run checks)."""
    # Only what production sets: nothing a test left in this process's environment leaks in.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "HTTPS": "1",
        "ALLOWED_HOSTS": "desk.example.com",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MISSEND_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "project.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
