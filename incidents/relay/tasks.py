"""The hold-and-check relay's background work: releasing a due message, the sender's notice, the sweep."""

from celery import shared_task

from incidents.platform import jobs
from incidents.relay.services import notice, release
from incidents.relay.services import sweep as sweeper


@shared_task(name=jobs.RELEASE_HELD_MESSAGE, ignore_result=True)
def release_held_message(held_id: int) -> str:
    return release.release(held_id)


@shared_task(name=jobs.NOTIFY_HELD_MESSAGE, ignore_result=True)
def notify_held_message(held_id: int) -> str:
    return notice.notify(held_id)


@shared_task(name=jobs.SWEEP_HELD_MESSAGES, ignore_result=True)
def sweep_held_messages() -> dict:
    return sweeper.sweep().__dict__
