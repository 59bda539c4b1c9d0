"""Webhook targets: https to public addresses only, checked on save and again right before each call."""

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from incidents.core import webhook as webhook_target
from incidents.core.webhook import WebhookFailed, WebhookTargetRefused, check
from incidents.models import EscalationPolicy, Notification
from incidents.notifications import services as notifications
from tests.factories import file_incident
from tests.support_admin import ADD_URL, free_route, level, policy_form


def resolver(*addresses):
    """A fake DNS: every name resolves to these addresses (no network in the table tests)."""

    def resolve(host, port):
        if not addresses:
            raise OSError("Name or service not known")
        return list(addresses)

    return resolve


@pytest.mark.parametrize(
    "url, addresses, debug, code",
    [
        ("https://hooks.example.com/x", ["93.184.216.34"], False, None),
        ("https://hooks.example.com/x", ["2606:2800:220:1:248:1893:25c8:1946"], False, None),
        ("http://hooks.example.com/x", ["93.184.216.34"], False, "not_https"),
        ("http://hooks.example.com/x", ["93.184.216.34"], True, "not_https"),
        ("http://localhost:8000/x", ["127.0.0.1"], True, None),
        ("https://localhost/x", ["127.0.0.1", "::1"], True, None),
        ("http://localhost:8000/x", ["127.0.0.1"], False, "not_https"),
        ("https://localhost/x", ["127.0.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["10.0.0.5"], False, "not_public"),
        ("https://hooks.example.com/x", ["10.0.0.5"], True, "not_public"),
        ("https://hooks.example.com/x", ["172.16.3.4"], False, "not_public"),
        ("https://hooks.example.com/x", ["192.168.1.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["100.64.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["169.254.169.254"], False, "not_public"),
        ("https://hooks.example.com/x", ["169.254.10.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["fd00:ec2::254"], False, "not_public"),
        ("https://hooks.example.com/x", ["fe80::1%eth0"], False, "not_public"),
        ("https://hooks.example.com/x", ["::ffff:10.0.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["::ffff:127.0.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["0.0.0.0"], False, "not_public"),
        ("https://hooks.example.com/x", ["224.0.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["240.0.0.1"], False, "not_public"),
        ("https://hooks.example.com/x", ["93.184.216.34", "10.0.0.5"], False, "not_public"),
        ("https://hooks.example.com/x", [], False, "unresolvable"),
        ("ftp://hooks.example.com/x", ["93.184.216.34"], False, "invalid"),
        ("https:///x", ["93.184.216.34"], False, "invalid"),
        ("https://hooks.example.com:99999/x", ["93.184.216.34"], False, "invalid"),
        ("https://user:secret@hooks.example.com/x", ["93.184.216.34"], False, "credentials"),
    ],
)
def test_the_target_rules(url, addresses, debug, code):
    if code is None:
        target = check(url, debug=debug, resolve=resolver(*addresses))
        assert target.address == addresses[0].split("%")[0]
    else:
        with pytest.raises(WebhookTargetRefused) as refused:
            check(url, debug=debug, resolve=resolver(*addresses))
        assert refused.value.code == code


def test_the_checked_address_is_the_one_connected_to_with_the_host_name_kept():
    target = check("https://hooks.example.com:8443/post?room=1", debug=False, resolve=resolver("93.184.216.34"))
    assert (target.host, target.port, target.path, target.address) == (
        "hooks.example.com",
        8443,
        "/post?room=1",
        "93.184.216.34",
    )


@pytest.mark.parametrize("language, words", [("en", "private, local or metadata"), ("zh-hans", "私有")])
def test_a_policy_with_a_private_webhook_is_refused_on_save_in_both_languages(
    db, monkeypatch, zh_catalogue, language, words
):
    monkeypatch.setattr(webhook_target, "system_resolver", resolver("10.1.2.3"))
    policy = EscalationPolicy.objects.get(route="manager")
    policy.webhook_url = "https://hooks.internal.example/x"
    with translation.override(language), pytest.raises(ValidationError) as refused:
        policy.full_clean()
        raise AssertionError("not refused")
    with translation.override(language):
        assert words in " ".join(refused.value.message_dict["webhook_url"])


class _Hook(BaseHTTPRequestHandler):
    seen: list = []
    answer = 204

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.seen.append((self.headers["Host"], json.loads(body)))
        self.send_response(_Hook.answer)
        if _Hook.answer in (301, 302, 307, 308):
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server():
    _Hook.seen, _Hook.answer = [], 204
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook_claim(directory, employee, manager):
    def make(url):
        EscalationPolicy.objects.filter(route="manager").update(webhook_url=url)
        incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
        return Notification.objects.get(incident=incident, channel="webhook")

    return make


def test_loopback_is_refused_outside_debug_at_call_time_and_fails_at_once(webhook_claim, hook_server, settings):
    settings.DEBUG = False
    claim = webhook_claim(f"http://127.0.0.1:{hook_server}/hook")
    assert notifications.deliver(claim.pk) == "failed"
    claim.refresh_from_db()
    assert claim.status == "failed" and claim.attempts == 1 and "not_https" not in claim.last_error
    assert "Use an https address" in claim.last_error
    assert _Hook.seen == []
    assert claim.incident.events.filter(type="notification_failed").exists()


def test_a_name_that_now_resolves_to_a_private_address_is_refused_when_called(
    webhook_claim, hook_server, settings, monkeypatch
):
    settings.DEBUG = False
    claim = webhook_claim("https://hooks.example.com/hook")  # saved while it resolved to a public address
    monkeypatch.setattr(webhook_target, "system_resolver", resolver("192.168.0.10"))
    assert notifications.deliver(claim.pk) == "failed"
    claim.refresh_from_db()
    assert "private, local or metadata" in claim.last_error


def test_in_debug_the_post_goes_to_the_checked_address_with_the_host_name(
    webhook_claim, hook_server, settings, monkeypatch
):
    settings.DEBUG = True
    monkeypatch.setattr(webhook_target, "system_resolver", resolver("127.0.0.1"))
    claim = webhook_claim(f"http://hooks.localtest:{hook_server}/hook")
    assert notifications.deliver(claim.pk) == "sent"
    [(host, payload)] = _Hook.seen
    assert host == f"hooks.localtest:{hook_server}" and payload["incident"] == claim.incident_id


def test_a_redirect_is_not_followed_but_recorded_as_a_failure(webhook_claim, hook_server, settings):
    settings.DEBUG = True
    _Hook.answer = 302
    claim = webhook_claim(f"http://127.0.0.1:{hook_server}/hook")
    assert notifications.deliver(claim.pk) == "retry"
    claim.refresh_from_db()
    assert "302" in claim.last_error and "not followed" in claim.last_error
    assert len(_Hook.seen) == 1  # the POST, and no request to the Location


def test_the_answer_is_read_only_up_to_the_cap(hook_server):
    class Big(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 1024 * 1024))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(b"x" * (10 * 1024 * 1024))

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = check(f"http://127.0.0.1:{server.server_port}/", debug=True)
        assert (
            webhook_target.post(target, b"{}", {"Content-Type": "application/json"}, timeout=5, response_cap=1024)
            == 200
        )
    finally:
        server.shutdown()
        server.server_close()


def test_an_error_status_is_a_failure(hook_server):
    _Hook.answer = 500
    target = check(f"http://127.0.0.1:{hook_server}/", debug=True)
    with pytest.raises(WebhookFailed):
        webhook_target.post(target, b"{}", {}, timeout=5)


def test_the_admin_refuses_a_private_webhook_on_the_field_and_keeps_what_was_typed(client, superuser, monkeypatch):
    monkeypatch.setattr(webhook_target, "system_resolver", resolver("169.254.169.254"))
    client.force_login(superuser)
    free_route()
    data = policy_form([level(0, reporter_team_managers="on")])
    data["webhook_url"] = "https://metadata.example.com/latest"
    with translation.override("en"):
        response = client.post(ADD_URL, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "private, local or metadata" in " ".join(form.errors["webhook_url"])
    assert 'value="https://metadata.example.com/latest"' in response.content.decode()
    assert not EscalationPolicy.objects.filter(route="manager").exists()
