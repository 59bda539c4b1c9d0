"""Killing the relay, the Celery worker and Redis while messages are held loses none and repeats none.

A module of its own: the stack of test_hold_relay.py shares the test database and would release these
messages to its own upstream."""

from __future__ import annotations

import secrets
import time
from collections import Counter

import pytest

from incidents.models import HeldMessage
from tests.integration.processes import wait_until
from tests.integration.smtp_sink import SmtpSink
from tests.integration.stack import AppStack
from tests.integration.support_relay import Relay, relay_env
from tests.support_messages import outgoing

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
Status = HeldMessage.Status

FIRST, SECOND = 20, 10


def test_killing_the_relay_the_worker_and_redis_while_messages_are_held_loses_none_and_repeats_none(
    private_redis, smtp_sink, database_url, erin, tmp_path, print_logs_on_failure, capsys
):
    upstream = SmtpSink().start()
    stack = AppStack(
        database_url=database_url,
        broker_url=private_redis.url(),
        smtp_port=smtp_sink.port,
        var_dir=tmp_path / "app",
        secret_key=secrets.token_urlsafe(50),
        extra_env=relay_env(upstream.port, 15),
    )
    relay = Relay(stack)
    print_logs_on_failure(stack)
    print_logs_on_failure(relay)
    try:
        stack.start()
        relay.start()
        ids = [f"<fault-{n}@ourco.com>" for n in range(FIRST + SECOND)]
        for message_id in ids[:FIRST]:
            relay.send(outgoing(message_id=message_id))
        relay.process.kill()  # SIGKILL: held messages live in the database, not in the relay
        stack.worker.kill()  # and its pool children
        private_redis.kill()  # the broker, with whatever it queued
        private_redis.start()
        stack.start_worker(wait=False)
        relay.start()
        for message_id in ids[FIRST:]:
            relay.send(outgoing(message_id=message_id))
        assert HeldMessage.objects.filter(status=Status.HELD).count() == FIRST + SECOND
        assert upstream.snapshot() == []  # nothing left early

        def all_arrived():
            return set(ids) <= {m.message_id for m in upstream.snapshot()}

        try:
            wait_until(all_arrived, timeout=60, interval=0.25, what="every held message upstream")
        except TimeoutError:
            missing = sorted(set(ids) - {m.message_id for m in upstream.snapshot()})
            rows = list(
                HeldMessage.objects.filter(message_id__in=missing).values_list(
                    "message_id", "status", "due_at", "enqueued_at", "last_error"
                )
            )
            raise AssertionError(f"not upstream: {rows}") from None
        wait_until(
            lambda: not HeldMessage.objects.exclude(status=Status.RELEASED).exists(),
            timeout=10,
            what="every held message to be marked released",
        )
        time.sleep(3)  # room for a duplicate to show up
    finally:
        relay.stop()
        stack.stop()
        upstream.stop()

    counted = Counter(m.message_id for m in upstream.snapshot())
    assert set(counted) == set(ids) and [mid for mid, n in counted.items() if n > 1] == []
    assert set(HeldMessage.objects.values_list("status", flat=True)) == {Status.RELEASED}
    assert not HeldMessage.objects.filter(resent_after_lost_worker=True).exists()
    assert (relay.starts, stack.workers_started, private_redis.starts) == (2, 2, 2)
    with capsys.disabled():
        late = sorted(
            m.arrived - HeldMessage.objects.get(message_id=m.message_id).due_at.timestamp() for m in upstream.snapshot()
        )
        print(
            f"\n[relay fault test] {len(ids)} held messages, relay, worker and Redis killed: all released once; "
            f"after their due time by {late[len(late) // 2]:.2f} s (median), {late[-1]:.2f} s (max)"
        )
