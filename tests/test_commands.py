"""The README's commands: demo seeding, the dev server with its worker, and the Makefile targets."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpRequest

from incidents.models import Contact, Incident, MailDomain, Organisation, Team
from tests.integration.processes import ROOT, free_port


def test_seed_demo_creates_users_directory_and_assessed_incidents_once(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Organisation.objects.count(), MailDomain.objects.count(), Incident.objects.count())
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        MailDomain.objects.count(),
        Incident.objects.count(),
    ) == counts
    assert counts[0] == 4 and counts[3] >= 3
    for username in ("employee", "manager", "legal", "admin"):
        assert re.search(rf"{username}\s+\S+", first), f"{username}'s password is not printed"
    manager = User.objects.get(username="manager")
    assert Team.objects.get(name="Export Sales").managers.filter(pk=manager.pk).exists()
    assert set(Incident.objects.values_list("severity", flat=True)) >= {"low", "high", "critical"}
    # Contacts, so a new user sees greetings by name and title (李经理) and a zh-hant client exists.
    assert Contact.objects.count() == 3
    assert Contact.objects.get(email="li.wei@globex.com.cn").title == "采购经理"


def test_demo_passwords_printed_by_seed_demo_log_in(client, db, capsys):
    call_command("seed_demo")
    logins = re.findall(r"^\s+(\w+)\s+(\S+)$", capsys.readouterr().out, re.M)
    assert len(logins) == 4
    for username, password in logins:
        assert client.login(request=HttpRequest(), username=username, password=password), username  # for django-axes


def test_readme_quick_start_names_only_make_targets_that_exist():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    commands = re.findall(r"^make (\w+)", readme, re.M)
    assert {"run", "test"} <= set(commands)
    for target in commands:
        assert re.search(rf"^{target}:", makefile, re.M), (
            f"README says `make {target}` but the Makefile has no such target"
        )
    assert "make test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_devserver_serves_the_app_with_a_worker_and_ctrl_c_stops_both(tmp_path):
    env = {**os.environ, "MISSEND_VAR_DIR": str(tmp_path), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "project.settings"}
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        worker_seen = False
        while time.monotonic() < deadline and not worker_seen:
            children = subprocess.run(["pgrep", "-f", "-s", str(server.pid), "celery"], capture_output=True, text=True)
            worker_seen = bool(children.stdout.strip())
            time.sleep(0.3)
        assert worker_seen, "no Celery worker runs beside the web server"
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    leftover = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True, text=True).stdout.strip()
    assert not leftover, f"processes left running after Ctrl-C: {leftover}\n{output[-2000:]}"


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 20 + "-production-key-that-is-long-enough-" + "y" * 20,
        "ALLOWED_HOSTS": "desk.example.com",
        "MISSEND_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "project.settings",
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the browser tests set the latter for their process
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
