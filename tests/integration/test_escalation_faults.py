"""Faults while incidents arrive: the worker killed twice, Redis killed once; no notification lost,
and a second copy only where the database recorded that a worker died mid-send."""

from __future__ import annotations

import secrets
import time
from collections import Counter

import pytest

from incidents.models import Escalation, Notification
from incidents.notifications.delivery import message_id
from tests.integration.processes import wait_until
from tests.integration.stack import AppStack, file_incident

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INCIDENTS = 200
# After this many incidents are filed, do this (the worker is restarted at once, without waiting).
FAULTS = {30: "kill worker", 80: "kill redis", 105: "restart redis", 150: "kill worker"}


def test_two_worker_kills_and_a_redis_restart_lose_no_notification_and_repeat_only_recorded_ones(
    private_redis, smtp_sink, database_url, people, manager_policy, tmp_path, print_logs_on_failure, capsys
):
    manager_policy(delays_minutes=("60", "60"))  # only level 1 falls due: one email per incident
    stack = AppStack(
        database_url=database_url,
        broker_url=private_redis.url(),
        smtp_port=smtp_sink.port,
        var_dir=tmp_path / "app",
        secret_key=secrets.token_urlsafe(50),
    )
    print_logs_on_failure(stack)
    started = time.monotonic()
    try:
        stack.start()
        incident_ids = []
        for number in range(INCIDENTS):
            fault = FAULTS.get(number)
            if fault == "kill worker":
                stack.worker.kill()  # SIGKILL to the worker and its pool children
                stack.start_worker(wait=False)
            elif fault == "kill redis":
                private_redis.kill()
            elif fault == "restart redis":
                private_redis.start()
            incident_ids.append(file_incident(stack.base_url, people["token"], f"Quote Q-{number}")["id"])
        filed = time.monotonic()

        claims = Notification.objects.filter(channel=Notification.Channel.EMAIL)

        def all_delivered():
            expected = {message_id(c) for c in claims}
            return (
                len(expected) == INCIDENTS
                and not claims.exclude(status=Notification.Status.SENT).exists()
                and expected <= {m.message_id for m in smtp_sink.snapshot()}
            )

        wait_until(all_delivered, timeout=60, interval=0.25, what="every level 1 email to be sent and received")
        delivered = time.monotonic()
    finally:
        stack.stop()

    assert (stack.workers_started, private_redis.starts) == (3, 2)
    assert Escalation.objects.filter(incident_id__in=incident_ids, level=0).count() == INCIDENTS
    claims = list(claims.select_related("recipient"))
    assert [c.pk for c in claims if c.status != Notification.Status.SENT] == []
    assert sorted(c.incident_id for c in claims) == sorted(incident_ids)
    assert {c.recipient.username for c in claims} == {"max"}
    arrived = Counter(m.message_id for m in smtp_sink.snapshot())
    by_id = {message_id(c): c for c in claims}
    assert set(arrived) == set(by_id), f"unexpected emails: {set(arrived) - set(by_id)}"
    repeated = {mid: count for mid, count in arrived.items() if count > 1}
    unrecorded = [mid for mid in repeated if not by_id[mid].resent_after_lost_worker]
    assert unrecorded == [], f"sent more than once without the claim saying a worker died: {unrecorded}"
    recorded = sum(c.resent_after_lost_worker for c in claims)
    with capsys.disabled():
        print(
            f"\n[fault test] {INCIDENTS} incidents, {len(claims)} email claims all sent; "
            f"{sum(arrived.values()) - len(arrived)} duplicate email(s) ({len(repeated)} claim(s)); "
            f"{recorded} claim(s) resent after a lost worker; filing took {filed - started:.1f} s, "
            f"all delivered {delivered - filed:.1f} s later"
        )
