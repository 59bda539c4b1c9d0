"""Chaos: 1,000 incidents filed over HTTP while the Celery worker is SIGKILLed (its whole process group,
and single pool children, as an out-of-memory kill does), a Redis of the test's own (AOF on) is
killed and restarted, the SMTP server is down for a while and beat crashes and comes back.

What must hold afterwards: every notification the policy requires, at every level, delivered;
nothing sent twice unless its claim records that a worker died mid-send; nothing told after the
route was acknowledged; and nothing pending once the faults are over and two sweeps have run.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from incidents.models import Escalation, Notification
from incidents.notifications.delivery import message_id
from tests.integration.processes import wait_until
from tests.integration.stack import AppStack, api_post, file_incident

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INCIDENTS = 1000
ACK_EVERY = 5  # Max acknowledges every fifth incident over the API as soon as it is filed
SWEEP = 1.0
SMTP_DOWN_AT_LEAST = 6.0  # seconds; with retries 1 s and 3 s apart, a claim meets the outage more than once
# After this many incidents are filed, do this.
FAULTS = {
    100: "kill worker",
    200: "kill pool child",
    300: "kill redis",
    320: "restart redis",
    400: "stop smtp",
    500: "start smtp",
    550: "kill beat",
    600: "restart beat",
    700: "kill pool child",
    800: "kill worker",
    900: "kill pool child",
}
LIVE = (Notification.Status.PENDING, Notification.Status.SENDING)


def pool_children(leader_pid: int) -> list[int]:
    """The Celery pool's processes: the worker leader's children."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == leader_pid and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return children


def kill_one_pool_child(stack: AppStack) -> int:
    children = wait_until(lambda: pool_children(stack.worker.popen.pid), timeout=30, what="the worker's pool children")
    os.kill(children[0], signal.SIGKILL)
    return children[0]


def test_a_thousand_incidents_through_worker_redis_smtp_and_beat_failures(
    private_redis, smtp_sink, database_url, people, manager_policy, tmp_path, print_logs_on_failure, capsys
):
    manager_policy(delays_minutes=("0.1", "60"))  # level 2 (Max and Mona) 6 s after level 1 (Max)
    manager_token = Token.objects.create(user=people["manager"]).key
    stack = AppStack(
        database_url=database_url,
        broker_url=private_redis.url(),
        smtp_port=smtp_sink.port,
        var_dir=tmp_path / "app",
        secret_key=secrets.token_urlsafe(50),
        sweep_seconds=SWEEP,
        # One reporter files a thousand reports in under a minute: far above a person's limit.
        extra_env={"MISSEND_API_USER_RATE": "100000/min"},
    )
    print_logs_on_failure(stack)
    done: list[str] = []
    started = time.monotonic()
    try:
        stack.start()
        incident_ids, acknowledged = [], set()
        smtp_stopped_at = None
        for number in range(INCIDENTS):
            fault = FAULTS.get(number)
            if fault == "kill worker":
                stack.worker.kill()
                stack.start_worker(wait=False)
            elif fault == "kill pool child":
                kill_one_pool_child(stack)
            elif fault == "kill redis":
                private_redis.kill()
            elif fault == "restart redis":
                private_redis.start()
            elif fault == "stop smtp":
                smtp_sink.stop()
                smtp_stopped_at = time.monotonic()
            elif fault == "start smtp":
                time.sleep(max(0.0, SMTP_DOWN_AT_LEAST - (time.monotonic() - smtp_stopped_at)))
                smtp_sink.start()
            elif fault == "kill beat":
                stack.beat.kill()
            elif fault == "restart beat":
                stack.start_beat()
            if fault:
                done.append(fault)
            incident = file_incident(stack.base_url, people["token"], f"Quote Q-{number}")
            incident_ids.append(incident["id"])
            if number % ACK_EVERY == 0:
                status, body = api_post(
                    stack.base_url, f"/api/incidents/{incident['id']}/acknowledge/", {}, token=manager_token
                )
                assert (status, body.get("acknowledged")) == (200, ["manager"]), body
                acknowledged.add(incident["id"])
        filed = time.monotonic()

        waiting = [i for i in incident_ids if i not in acknowledged]
        claims = Notification.objects.filter(channel=Notification.Channel.EMAIL)

        def settled():
            # Level 2 reached for every incident nobody acknowledged, and no claim left to send.
            return (
                Escalation.objects.filter(incident_id__in=waiting, level=1).count() == len(waiting)
                and not claims.filter(status__in=LIVE).exists()
            )

        wait_until(
            settled, timeout=300, interval=0.5, what="every escalation to reach level 2 and every claim to settle"
        )
        settled_at = time.monotonic()
        # Two more sweeps: nothing new is pending, nothing more arrives.
        received_before = len(smtp_sink.snapshot())
        sweeps = stack.sweeps_done()
        wait_until(lambda: stack.sweeps_done() >= sweeps + 2, timeout=30, what="two more sweeps")
        assert not claims.filter(status__in=LIVE).exists()
        assert len(smtp_sink.snapshot()) == received_before
    finally:
        stack.stop()

    assert done == list(FAULTS.values())
    assert (stack.workers_started, private_redis.starts) == (3, 2)
    claims = list(claims.select_related("recipient"))
    by_incident: dict[int, list[Notification]] = {}
    for claim in claims:
        by_incident.setdefault(claim.incident_id, []).append(claim)

    # Every required notification at every level: level 1 to Max, level 2 to Max and Mona, all sent.
    required = {(i, 0, "max") for i in waiting} | {(i, 1, who) for i in waiting for who in ("max", "mona")}
    sent = {(c.incident_id, c.level, c.recipient.username) for c in claims if c.status == Notification.Status.SENT}
    assert required - sent == set(), f"{len(required - sent)} required notifications not sent"
    assert {c.status for c in claims} <= {Notification.Status.SENT, Notification.Status.CANCELLED}
    assert not [c for c in claims if c.status == Notification.Status.CANCELLED and c.incident_id not in acknowledged]

    # Acknowledged at once: level 2 never started, and a level 1 email not yet sent was not sent.
    for incident_id in acknowledged:
        assert {c.level for c in by_incident[incident_id]} == {0}, incident_id
    arrived = Counter(m.message_id for m in smtp_sink.snapshot())
    by_id = {message_id(c): c for c in claims}
    assert set(arrived) <= set(by_id), f"unexpected emails: {set(arrived) - set(by_id)}"
    assert [mid for mid in arrived if by_id[mid].status == Notification.Status.CANCELLED] == []
    assert {message_id(c) for c in claims if c.status == Notification.Status.SENT} <= set(arrived)

    # Twice only where the claim says a worker died between the server's OK and our commit.
    repeated = {mid: count for mid, count in arrived.items() if count > 1}
    assert [mid for mid in repeated if not by_id[mid].resent_after_lost_worker] == []

    with capsys.disabled():
        print(
            f"\n[chaos] {INCIDENTS} incidents ({len(acknowledged)} acknowledged at once), {len(claims)} email claims: "
            f"{sum(c.status == Notification.Status.SENT for c in claims)} sent, "
            f"{sum(c.status == Notification.Status.CANCELLED for c in claims)} cancelled by acknowledgement; "
            f"{sum(arrived.values()) - len(arrived)} duplicate email(s), "
            f"{sum(c.resent_after_lost_worker for c in claims)} claim(s) flagged as resent after a lost worker, "
            f"{sum(c.attempts > 1 for c in claims)} sent after a failed attempt; filing took {filed - started:.0f} s, "
            f"everything settled {settled_at - filed:.0f} s later"
        )
