"""Background work: every task's name, and the one way to enqueue it once the transaction commits.

Tasks are enqueued by name, so a service never imports a tasks module (tasks import services, not the
other way round). The database keeps what is due, so an enqueue lost to a broker outage or a crash
between commit and enqueue is found again by the feature's sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)

DELIVER_NOTIFICATION = "incidents.deliver_notification"
SWEEP_ESCALATIONS = "incidents.sweep_escalations"
REFRESH_DASHBOARD = "incidents.refresh_dashboard"
RELEASE_HELD_MESSAGE = "incidents.release_held_message"
NOTIFY_HELD_MESSAGE = "incidents.notify_held_message"
SWEEP_HELD_MESSAGES = "incidents.sweep_held_messages"


def send(task: str, *args) -> None:
    """Hand one task to the broker now."""
    current_app.send_task(task, args=args)


def enqueue_after_commit(task: str, ids: Iterable[int]) -> None:
    """Enqueue ``task`` for each id once the current transaction commits (at once outside one).

    A broker that refuses is logged, not raised: the row stays due and the feature's sweep enqueues it again.
    """
    ids = list(ids)
    if not ids:
        return

    def enqueue() -> None:
        for pk in ids:
            try:
                send(task, pk)
            except Exception:
                log.warning("Could not enqueue %s for %s; the sweep will enqueue it again", task, pk, exc_info=True)

    transaction.on_commit(enqueue, robust=True)
