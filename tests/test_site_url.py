"""Where `make run` listens and where emailed links point: PORT and HOST, SITE_URL or the server's own address."""

import email
import email.policy
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from incidents.management.commands.devserver import site_url_for
from tests.integration.processes import ROOT, free_port


@pytest.mark.parametrize(
    "addrport, environ, expected",
    [
        ("127.0.0.1:8000", {}, "http://127.0.0.1:8000"),
        ("127.0.0.1:8080", {}, "http://127.0.0.1:8080"),
        ("8081", {}, "http://127.0.0.1:8081"),
        ("localhost:9000", {}, "http://localhost:9000"),
        ("desk.internal:80", {}, "http://desk.internal:80"),
        ("0.0.0.0:8080", {}, "http://127.0.0.1:8080"),
        ("0:8080", {}, "http://127.0.0.1:8080"),
        ("[::]:8080", {}, "http://[::1]:8080"),
        ("[::1]:8000", {}, "http://[::1]:8000"),
        ("127.0.0.1:8080", {"SITE_URL": ""}, "http://127.0.0.1:8080"),
        ("127.0.0.1:8080", {"SITE_URL": "https://desk.example.com"}, "https://desk.example.com"),
    ],
)
def test_links_point_to_site_url_else_to_the_address_served(addrport, environ, expected):
    assert site_url_for(addrport, environ) == expected


def test_an_address_runserver_would_refuse_is_refused():
    with pytest.raises(CommandError):
        site_url_for("127.0.0.1:http", {})


@pytest.mark.parametrize(
    "arguments, address",
    [
        ([], "127.0.0.1:8000"),
        (["PORT=8080"], "127.0.0.1:8080"),
        (["HOST=0.0.0.0", "PORT=8081"], "0.0.0.0:8081"),
        (["HOST=::1"], "[::1]:8000"),
    ],
)
def test_make_run_serves_and_announces_the_address_asked_for(arguments, address):
    env = {key: value for key, value in os.environ.items() if key not in {"HOST", "PORT", "MAKEFLAGS"}}
    plan = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert f"Missend Desk on http://{address} " in plan
    assert re.search(rf"manage\.py devserver {re.escape(address)}$", plan, re.M), plan


def test_the_readmes_make_run_lines_serve_where_they_say():
    readme = (ROOT / "README.md").read_text()
    lines = re.findall(r"^(make run [^#`\n]+?)\s*(?:#.*)?$", readme, re.M)
    assert len(lines) >= 1
    env = {key: value for key, value in os.environ.items() if key not in {"HOST", "PORT", "MAKEFLAGS"}}
    for line in lines:
        arguments = dict(word.split("=", 1) for word in line.split()[2:])
        plan = subprocess.run(
            [*line.split(), "-n"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
        address = f"{arguments.get('HOST', '127.0.0.1')}:{arguments.get('PORT', '8000')}"
        assert f"manage.py devserver {address}" in plan, (line, plan)


def _mail_links(mail_dir: Path, pattern: str) -> list[str]:
    links = []
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip() + "\n", policy=email.policy.default)
                links += re.findall(pattern, message.get_body(("plain",)).get_content())
    return links


def _log_in(opener, base: str, username: str, password: str) -> None:
    page = opener.open(f"{base}/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    request = urllib.request.Request(f"{base}/login/", data=data.encode(), headers={"Referer": f"{base}/login/"})
    opener.open(request, timeout=10)


@pytest.mark.slow
def test_devserver_without_site_url_links_to_its_own_port_from_web_and_worker(tmp_path):
    env = {
        **os.environ,
        "MISSEND_VAR_DIR": str(tmp_path),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "MISSEND_SWEEP_SECONDS": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL", "EMAIL_HOST", "EMAIL_BACKEND"):
        env.pop(name, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 45
        links: list[str] = []
        while time.monotonic() < deadline and not links:
            links = _mail_links(tmp_path / "mail", r"https?://[^\s/]+/ack/")
            time.sleep(0.3)
        assert links, "the worker sent no escalation email with an acknowledge link"
        assert set(links) == {f"{base}/ack/"}

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        _log_in(opener, base, "manager", "demo-manager-pass")
        page = opener.open(f"{base}/incidents/1/drafts/internal_summary/", timeout=10).read().decode()
        assert f"{base}/incidents/1/" in page
        assert "127.0.0.1:8000" not in page
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=30)[0].decode(errors="replace")
        print(output[-4000:])
